"""网格 page, driven through real widgets (offscreen): browse, filter, add, edit, retire, staff."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import structure
from desktop.ui.dialogs.grid_dialog import GridDialog
from desktop.ui.dialogs.retire_dialog import RetireDialog
from desktop.ui.dialogs.staff_dialog import StaffDialog
from desktop.ui.models.community_list_model import CommunityListModel
from desktop.ui.models.grid_filter_proxy_model import GridFilterProxyModel
from desktop.ui.models.grid_table_model import GridTableModel
from desktop.ui.models.staff_table_model import StaffTableModel
from desktop.ui.pages.grids.grids_page import GridsPage
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets
from tests.conftest import TODAY

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def page(qtbot, street_ctx):
    p = GridsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    return p


def codes(page: GridsPage) -> list[str]:
    return [page.grid_model.row_for(gid).code for gid in page.visible_grid_ids()]


def grid_id(ctx, code: str) -> int:
    return next(g.id for g in structure.list_grids(ctx, include_retired=True) if g.code == code)


def click_row(qtbot, view: QtWidgets.QAbstractItemView, row: int, double: bool = False) -> None:
    """Click (or double-click: a press/release, then the double-click event, as a real mouse sends) a row."""
    pos = view.visualRect(view.model().index(row, 0)).center()
    qtbot.mouseClick(view.viewport(), LEFT, pos=pos)
    if double:
        qtbot.mouseDClick(view.viewport(), LEFT, pos=pos)


def click_grid(qtbot, page: GridsPage, code: str, double: bool = False) -> None:
    click_row(qtbot, page.table, codes(page).index(code), double)


def type_text(qtbot, widget: QtWidgets.QWidget, text: str) -> None:
    """Type ``text`` at the cursor. ASCII goes key by key; Chinese arrives the way a pinyin input method
    delivers it, as committed text (QTest's key clicks only know ASCII)."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
        else:
            event = QtGui.QInputMethodEvent()
            event.setCommitString(char)
            QtWidgets.QApplication.sendEvent(widget, event)


def type_into(qtbot, widget: QtWidgets.QWidget, text: str) -> None:
    """Replace what the widget shows with ``text``, typed."""
    if isinstance(widget, QtWidgets.QAbstractSpinBox):
        widget.selectAll()
    elif isinstance(widget, QtWidgets.QLineEdit):
        widget.clear()
    type_text(qtbot, widget, text)


def open_dialog(page: GridsPage, kind: type) -> QtWidgets.QDialog:
    shown = [d for d in page.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


# ---------------------------------------------------------------- browsing


def test_lists_the_fixtures_three_grids_with_figures(page):
    assert codes(page) == ["GC-01-001", "GC-01-002", "GC-02-001"]
    m = page.grid_model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == [
        "网格编号",
        "网格名称",
        "社区",
        "类型",
        "网格长",
        "专职网格员",
        "兼职人数",
        "户数",
        "人数",
        "在册居民",
    ]
    first = page.proxy.index(0, 0)
    row = [page.proxy.index(0, c).data() for c in range(10)]
    assert row == [
        "GC-01-001",
        "新华一网格",
        "新华社区",
        "基础网格",
        "王建国",
        "李晓梅",
        "1",
        "420",
        "1,010",
        "0",
    ]
    align = page.proxy.index(0, GridTableModel.HOUSEHOLDS).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(align) & Qt.AlignmentFlag.AlignRight
    assert (
        first.data(Qt.ItemDataRole.UserRole)
        == page.grid_model.row_for(first.data(Qt.ItemDataRole.UserRole)).id
    )
    assert "东至新华路" in first.data(Qt.ItemDataRole.ToolTipRole)
    # a grid without a 网格长 says so, in the warning colour
    micro = page.proxy.index(2, GridTableModel.CHIEF)
    assert micro.data() == "未配备" and micro.data(Qt.ItemDataRole.ForegroundRole) is not None
    entries = [(e.name, e.grid_count) for e in page.community_model.entries()]
    assert entries == [("全部社区", 3), ("新华社区", 2), ("朝阳社区", 1)]
    assert (
        "共 3 个网格" in page.header.subtitle_label.text() and "1,520 人" in page.header.subtitle_label.text()
    )
    # something is selected at once, so the detail panel is never blank
    assert page.selected_grid().code == "GC-01-001"
    assert page.detail_panel.stack.currentIndex() == 1


def test_clicking_a_community_filters_the_table(qtbot, page, street_ctx):
    click_row(qtbot, page.community_view, 2)  # 朝阳社区
    assert codes(page) == ["GC-02-001"]
    assert page.table.isColumnHidden(GridTableModel.COMMUNITY)
    assert page.selected_grid().code == "GC-02-001"
    click_row(qtbot, page.community_view, 0)  # 全部社区
    assert len(codes(page)) == 3 and not page.table.isColumnHidden(GridTableModel.COMMUNITY)

    structure.save_community(street_ctx, structure.CommunityInput("胜利社区", code="03"))
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.refresh_button, LEFT)
    click_row(qtbot, page.community_view, 3)
    assert codes(page) == []
    assert page.table_stack.currentIndex() == 1
    assert page.empty_label.text() == "该社区还没有网格，点击“新增网格”添加。"
    assert not page.edit_button.isEnabled() and page.new_button.isEnabled()


def test_typing_in_the_search_box_filters_instantly(qtbot, page):
    type_text(qtbot, page.search_edit, "商圈")  # in GC-01-002's 四至
    assert codes(page) == ["GC-01-002"]
    assert page.selected_grid().code == "GC-01-002"
    type_into(qtbot, page.search_edit, "gc-02")
    assert codes(page) == ["GC-02-001"]
    type_into(qtbot, page.search_edit, "没有这个")
    assert codes(page) == []
    assert "没有找到与“没有这个”相符的网格" in page.empty_label.text()
    assert not page.detail_panel.isVisible()
    page.search_edit.clear()
    assert len(codes(page)) == 3 and page.detail_panel.isVisible()


def test_selecting_a_grid_shows_its_card_and_staff(qtbot, page):
    click_grid(qtbot, page, "GC-01-001")
    panel = page.detail_panel
    assert "GC-01-001" in panel.title_label.text() and "新华一网格" in panel.title_label.text()
    assert panel.kind_chip.text() == "基础网格" and panel.community_chip.text() == "新华社区"
    assert (panel.households_value.text(), panel.population_value.text()) == ("420", "1,010")
    assert panel.registered_value.text() == "0"
    assert "东至新华路" in panel.boundary_label.text()
    staff = [(m.role_label, m.name, m.helper_kind) for m in panel.staff_model.rows()]
    assert staff == [
        ("网格长", "王建国", None),
        ("专职网格员", "李晓梅", None),
        ("兼职网格员", "赵志刚", "楼栋长"),
    ]
    assert panel.staff_model.index(0, StaffTableModel.PHONE).data() == "13809371234"
    assert (
        "网格长 王建国" in panel.staff_summary.text()
        and "兼职 1 名（楼栋长 1）" in panel.staff_summary.text()
    )

    click_grid(qtbot, page, "GC-02-001")
    assert panel.staff_model.rowCount() == 0
    assert panel.staff_stack.currentWidget() is panel.staff_empty
    assert "尚未配备网格长" in panel.staff_summary.text()


def test_the_selection_survives_a_refresh(qtbot, page):
    click_grid(qtbot, page, "GC-02-001")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.refresh_button, LEFT)
    assert page.selected_grid().code == "GC-02-001"
    assert "GC-02-001" in page.detail_panel.title_label.text()


def test_columns_sort_numbers_as_numbers_and_names_by_pinyin(qtbot, page):
    page.table.sortByColumn(GridTableModel.HOUSEHOLDS, Qt.SortOrder.AscendingOrder)
    assert codes(page) == ["GC-02-001", "GC-01-002", "GC-01-001"]  # 80, 120, 420
    proxy = GridFilterProxyModel()
    model = GridTableModel()
    names = ["张伟", "王芳", "李娜", "安宁", "陈静"]
    model.set_rows(_row(i, f"G{i}", chiefs=n) for i, n in enumerate(names))
    proxy.setSourceModel(model)
    proxy.sort(GridTableModel.CHIEF, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, GridTableModel.CHIEF).data() for r in range(proxy.rowCount())]
    assert shown == ["安宁", "陈静", "李娜", "王芳", "张伟"]


# ---------------------------------------------------------------- adding and editing grids


def test_adding_a_grid_through_the_dialog_saves_and_selects_it(qtbot, page, street_ctx):
    with qtbot.waitSignal(page.status_message) as status:
        qtbot.mouseClick(page.new_button, LEFT)
        dialog = open_dialog(page, GridDialog)
        assert dialog.windowTitle() == "新增网格"
        assert [b.text() for b in dialog.buttons.buttons()] == ["确定", "取消"]
        assert dialog.community_combo.currentText() == "新华社区"  # the selected grid's
        assert dialog.code_edit.placeholderText() == "例如：GC-01-003"  # the next free number
        dialog.community_combo.setCurrentIndex(dialog.community_combo.findText("朝阳社区"))
        assert dialog.code_edit.placeholderText() == "例如：GC-02-002"
        type_text(qtbot, dialog.code_edit, "GC-02-002")
        type_text(qtbot, dialog.name_edit, "朝阳二网格")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("微网格"))
        type_text(qtbot, dialog.boundary_edit, "东至朝阳路，西至文化街")
        type_into(qtbot, dialog.households_spin, "350")
        type_into(qtbot, dialog.population_spin, "1200")
        with qtbot.waitSignals([page.changed, page.loaded]):
            qtbot.mouseClick(dialog.ok_button, LEFT)
    assert status.args == ["已新增网格 GC-02-002 朝阳二网格"]
    saved = {g.code: g for g in structure.list_grids(street_ctx)}["GC-02-002"]
    assert (saved.name, saved.kind, saved.households, saved.population) == ("朝阳二网格", "MICRO", 350, 1200)
    assert saved.boundary is not None and saved.boundary.startswith("东至朝阳路")
    assert page.selected_grid().code == "GC-02-002"
    assert [(e.name, e.grid_count) for e in page.community_model.entries()][2] == ("朝阳社区", 2)


def test_a_new_grid_outside_the_current_filter_is_brought_into_view(qtbot, page, street_ctx):
    click_row(qtbot, page.community_view, 1)  # 新华社区
    type_text(qtbot, page.search_edit, "一")
    dialog = page.open_new_grid_dialog()
    dialog.community_combo.setCurrentIndex(dialog.community_combo.findText("朝阳社区"))
    type_text(qtbot, dialog.code_edit, "GC-02-009")
    type_text(qtbot, dialog.name_edit, "朝阳九网格")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert page.search_edit.text() == "" and page.proxy.community_id == page.communities[1].id
    assert page.community_view.currentIndex().data() == "朝阳社区"
    assert page.selected_grid().code == "GC-02-009"


def test_a_duplicate_code_keeps_the_dialog_open_with_what_was_typed(qtbot, page, street_ctx):
    dialog = page.open_new_grid_dialog()
    type_text(qtbot, dialog.code_edit, "GC-01-001")
    type_text(qtbot, dialog.name_edit, "重复的网格")
    type_text(qtbot, dialog.boundary_edit, "东至某路")
    type_into(qtbot, dialog.households_spin, "99")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "网格编号“GC-01-001”已被网格“新华一网格”使用。"
    assert dialog.code_edit.property("invalid") is True
    assert (dialog.code_edit.text(), dialog.name_edit.text()) == ("GC-01-001", "重复的网格")
    assert dialog.boundary_edit.toPlainText() == "东至某路" and dialog.households_spin.value() == 99
    assert len(structure.list_grids(street_ctx)) == 3
    # correcting the code clears the mark and saves
    type_into(qtbot, dialog.code_edit, "GC-01-003")
    assert not dialog.code_edit.property("invalid")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "GC-01-003" in {g.code for g in structure.list_grids(street_ctx)}


def test_a_validation_error_marks_the_field_named_by_the_service(qtbot, page):
    dialog = page.open_new_grid_dialog()
    type_text(qtbot, dialog.code_edit, "GC-09-001")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.error_label.text() == "网格名称不能为空。"
    assert dialog.name_edit.property("invalid") is True and not dialog.code_edit.property("invalid")
    assert dialog.code_edit.text() == "GC-09-001"
    type_text(qtbot, dialog.name_edit, "新")
    assert not dialog.name_edit.property("invalid")
    qtbot.mouseClick(dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert not dialog.isVisible()


def test_double_clicking_a_row_edits_the_grid(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-002", double=True)
    dialog = open_dialog(page, GridDialog)
    assert dialog.windowTitle() == "编辑网格 GC-01-002"
    assert dialog.name_edit.text() == "新华二网格" and dialog.kind_combo.currentText() == "专属网格"
    assert dialog.households_spin.value() == 120
    type_into(qtbot, dialog.name_edit, "新华商圈网格")
    type_into(qtbot, dialog.households_spin, "130")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    saved = structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-002")).grid
    assert (saved.name, saved.households, saved.version) == ("新华商圈网格", 130, 2)
    assert page.selected_grid().name == "新华商圈网格"
    assert "新华商圈网格" in page.detail_panel.title_label.text()


def test_an_edit_over_someone_elses_change_is_refused_and_keeps_the_text(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-002")
    dialog = page.open_edit_grid_dialog()
    other = structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-002")).grid
    structure.save_grid(
        street_ctx,
        structure.GridInput(
            other.community_id, other.code, "别人改的名字", other.kind, id=other.id, version=other.version
        ),
    )
    type_into(qtbot, dialog.name_edit, "我的名字")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert "已被其他用户修改" in dialog.error_label.text()
    assert dialog.name_edit.text() == "我的名字"


# ---------------------------------------------------------------- retiring and restoring grids


def test_retiring_a_grid_hides_it_and_show_retired_shows_it_greyed(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-002")
    assert page.retire_button.text() == "撤销网格"
    qtbot.mouseClick(page.retire_button, LEFT)
    dialog = open_dialog(page, RetireDialog)
    assert dialog.date_edit.date() == QtCore.QDate(TODAY) and dialog.date_edit.calendarPopup()
    qtbot.mouseClick(dialog.ok_button, LEFT)  # no reason yet
    assert dialog.isVisible() and dialog.error_label.text() == "请填写原因。"
    assert dialog.reason_edit.property("invalid") is True
    dialog.date_edit.setDate(QtCore.QDate(2026, 1, 15))
    type_text(qtbot, dialog.reason_edit, "并入新华一网格")
    with qtbot.waitSignals([page.changed, page.loaded]):
        qtbot.mouseClick(dialog.ok_button, LEFT)

    assert codes(page) == ["GC-01-001", "GC-02-001"]
    assert page.selected_grid() is not None  # the neighbour takes the selection
    retired = structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-002"))
    assert retired.grid.retired_on == dt.date(2026, 1, 15) and retired.retired_reason == "并入新华一网格"
    assert [e.grid_count for e in page.community_model.entries()] == [2, 1, 1]

    qtbot.mouseClick(page.show_retired_check, LEFT)
    assert codes(page) == ["GC-01-001", "GC-01-002", "GC-02-001"]
    row = codes(page).index("GC-01-002")
    name = page.proxy.index(row, GridTableModel.NAME)
    assert name.data() == "新华二网格（已撤销）"
    assert name.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert page.proxy.index(0, GridTableModel.NAME).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "（另有已撤销 1 个）" in page.header.subtitle_label.text()
    click_grid(qtbot, page, "GC-01-002")
    assert "2026-01-15 撤销：并入新华一网格" in page.detail_panel.retired_label.text()
    assert not page.detail_panel.add_staff_button.isEnabled()

    assert page.retire_button.text() == "恢复网格"
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.retire_button, LEFT)
    assert structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-002")).grid.retired_on is None
    assert page.selected_grid().code == "GC-01-002" and page.retire_button.text() == "撤销网格"


# ---------------------------------------------------------------- staff


def test_adding_staff_to_a_grid_without_any(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-02-001")
    qtbot.mouseClick(page.detail_panel.add_staff_button, LEFT)
    dialog = open_dialog(page, StaffDialog)
    assert dialog.role_combo.currentText() == "网格长"  # what the grid lacks first
    assert not dialog.helper_kind_combo.isEnabled()
    type_text(qtbot, dialog.name_edit, "孙丽")
    dialog.gender_combo.setCurrentIndex(dialog.gender_combo.findText("女"))
    type_text(qtbot, dialog.phone_edit, "138 0937 4321")
    with qtbot.waitSignals([page.changed, page.loaded]):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    detail = structure.get_grid(street_ctx, grid_id(street_ctx, "GC-02-001"))
    assert [(m.role, m.name, m.gender, m.phone) for m in detail.staff] == [
        ("CHIEF", "孙丽", "女", "13809374321")
    ]
    assert [m.name for m in page.detail_panel.staff_model.rows()] == ["孙丽"]
    assert page.detail_panel.selected_staff_id() == detail.staff[0].id
    assert page.selected_grid().chiefs == "孙丽"


def test_helper_kind_is_only_for_helpers_and_bad_phones_stay_in_the_dialog(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-001")
    dialog = page.open_new_staff_dialog()
    assert dialog.role_combo.currentText() == "兼职网格员" and dialog.helper_kind_combo.isEnabled()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("专职网格员"))
    assert not dialog.helper_kind_combo.isEnabled()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("兼职网格员"))
    assert [dialog.helper_kind_combo.itemText(i) for i in range(dialog.helper_kind_combo.count())] == list(
        structure.HELPER_KINDS
    )
    type_text(qtbot, dialog.helper_kind_combo.lineEdit(), "退休教师")  # editable: a kind not in the list
    type_text(qtbot, dialog.name_edit, "周明")
    type_text(qtbot, dialog.phone_edit, "12345")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.error_label.text().startswith("手机号码：")
    assert dialog.phone_edit.property("invalid") is True and dialog.name_edit.text() == "周明"
    type_into(qtbot, dialog.phone_edit, "13909370000")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    helpers = [
        m for m in structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-001")).staff if m.name == "周明"
    ]
    assert [(m.role, m.helper_kind) for m in helpers] == [("HELPER", "退休教师")]


def test_a_second_chief_is_refused_on_the_role_field(qtbot, page):
    click_grid(qtbot, page, "GC-01-001")
    dialog = page.open_new_staff_dialog()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("网格长"))
    type_text(qtbot, dialog.name_edit, "钱进")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "已有网格长王建国" in dialog.error_label.text()
    assert dialog.role_combo.property("invalid") is True


def test_editing_a_staff_member(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-001")
    panel = page.detail_panel
    click_row(qtbot, panel.staff_table, 1, double=True)  # 李晓梅
    dialog = open_dialog(page, StaffDialog)
    assert dialog.name_edit.text() == "李晓梅" and dialog.role_combo.currentText() == "专职网格员"
    type_text(qtbot, dialog.organisation_edit, "新华社区专职网格员")
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    member = next(
        m
        for m in structure.get_grid(street_ctx, grid_id(street_ctx, "GC-01-001")).staff
        if m.name == "李晓梅"
    )
    assert member.organisation == "新华社区专职网格员" and member.version == 2
    assert panel.selected_staff_id() == member.id


def test_moving_a_staff_member_away(qtbot, page, street_ctx):
    click_grid(qtbot, page, "GC-01-001")
    panel = page.detail_panel
    assert not panel.retire_staff_button.isEnabled()  # nobody selected yet
    click_row(qtbot, panel.staff_table, 2)  # 赵志刚
    assert panel.retire_staff_button.isEnabled()
    qtbot.mouseClick(panel.retire_staff_button, LEFT)
    dialog = open_dialog(page, RetireDialog)
    assert dialog.windowTitle() == "人员调离" and "赵志刚" in dialog.findChildren(QtWidgets.QLabel)[0].text()
    type_text(qtbot, dialog.reason_edit, "工作调动")
    with qtbot.waitSignals([page.changed, page.loaded]):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert [m.name for m in panel.staff_model.rows()] == ["王建国", "李晓梅"]
    assert page.selected_grid().helper_count == 0
    qtbot.mouseClick(panel.show_moved_check, LEFT)
    names = [
        panel.staff_model.index(r, StaffTableModel.NAME).data() for r in range(panel.staff_model.rowCount())
    ]
    assert names == ["王建国", "李晓梅", "赵志刚（已调离）"]
    assert "工作调动" in panel.staff_model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    click_row(qtbot, panel.staff_table, 2)
    assert not panel.retire_staff_button.isEnabled() and not panel.edit_staff_button.isEnabled()


# ---------------------------------------------------------------- empty database


def test_without_communities_the_page_says_what_to_do_first(qtbot, ctx, no_modal_boxes):
    p = GridsPage(ctx)
    qtbot.addWidget(p)
    p.show()
    with qtbot.waitSignal(p.loaded):
        p.activate()
    assert p.empty_label.text() == "还没有社区。请先在“设置”中添加社区，再新增网格。"
    assert not p.new_button.isEnabled()
    assert p.open_new_grid_dialog() is None and no_modal_boxes[0][0] == "新增网格"


# ---------------------------------------------------------------- models


def _row(
    i: int, code: str, chiefs: str = "", retired: bool = False, households: int | None = 10
) -> structure.GridRow:
    return structure.GridRow(
        i, 1, "新华社区", code, f"网格{i}", "BASIC", "基础网格", "东至某路" if i % 2 else None,
        households, None, chiefs, "", i, i * 3, dt.date(2026, 1, 1) if retired else None, 1,
    )  # fmt: skip


def test_grid_table_model_passes_the_model_tester(qtmodeltester):
    model = GridTableModel()
    model.set_rows([_row(1, "G1", "王"), _row(2, "G2", retired=True, households=None), _row(3, "G3")])
    qtmodeltester.check(model, force_py=True)
    assert model.rows_for([3, 99, 1]) == [model.rows()[2], model.rows()[0]]
    assert model.row_id(model.index(1, 4)) == 2 and model.row_id(QtCore.QModelIndex()) is None


def test_grid_filter_proxy_passes_the_model_tester(qtmodeltester):
    model = GridTableModel()
    model.set_rows([_row(1, "G1", "王"), _row(2, "G2", retired=True), _row(3, "G3")])
    proxy = GridFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.set_text("g")
    proxy.sort(GridTableModel.HOUSEHOLDS)
    qtmodeltester.check(proxy, force_py=True)
    assert proxy.rowCount() == 2
    proxy.set_show_retired(True)
    assert proxy.rowCount() == 3


def test_staff_table_model_passes_the_model_tester(qtmodeltester):
    model = StaffTableModel()
    model.set_rows(
        [
            structure.StaffRow(1, 1, "CHIEF", "网格长", None, "王建国", "男", "13809371234", None, None, None, None, None, 1),
            structure.StaffRow(2, 1, "HELPER", "兼职网格员", "党员", "赵", None, None, None, "单位", "备注",
                               dt.date(2026, 2, 1), "退休", 1),
        ]
    )  # fmt: skip
    qtmodeltester.check(model, force_py=True)


def test_community_list_model_passes_the_model_tester(qtmodeltester):
    model = CommunityListModel()
    communities = [
        structure.CommunityRow(1, "新华社区", "01", None, None, 2, None, 1),
        structure.CommunityRow(2, "旧社区", "02", None, None, 0, dt.date(2025, 1, 1), 1),
    ]
    model.set_data(communities, [_row(1, "G1"), _row(2, "G2", retired=True)], show_retired=True)
    qtmodeltester.check(model, force_py=True)
    assert [(e.name, e.grid_count) for e in model.entries()] == [
        ("全部社区", 2),
        ("新华社区", 2),
        ("旧社区", 0),
    ]
    model.set_data(communities, [_row(1, "G1"), _row(2, "G2", retired=True)], show_retired=False)
    assert [(e.name, e.grid_count) for e in model.entries()] == [("全部社区", 1), ("新华社区", 1)]
