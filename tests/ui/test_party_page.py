"""党建 page driven through real widgets (offscreen): tree and warnings, members, card and edit, recruitment
refusals, dues, meetings, posts, roster preview and printing, the main window's area."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.domain.identity import id_check_char
from desktop.services import party, structure
from desktop.ui.dialogs.party_member_card_dialog import PartyMemberCardDialog
from desktop.ui.dialogs.party_step_dialog import PartyStepDialog
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_org_tree_model import PartyOrgTreeModel
from desktop.ui.models.party_rows_model import PartyRowsTableModel
from desktop.ui.pages.party.party_page import PartyPage
from desktop.ui.qt import Qt, QtCore, QtGui, QtPrintSupport, QtWidgets
from tests.conftest import TODAY

D = dt.date
LEFT = Qt.MouseButton.LeftButton


def make_id(birth: dt.date, seq: int) -> str:
    first17 = f"620201{birth:%Y%m%d}{(seq * 2 + 1) % 1000:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def roll(street_ctx):
    """钢城街道党工委 → 新华社区党委 → 一网格党支部 (8 members, a recruit) and 二网格党支部 (2 members)."""
    ctx = street_ctx
    grid = structure.list_grids(ctx)[0].id
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    comm = party.save_org(
        ctx, party.OrgInput("新华社区党委", "COMMITTEE", parent_id=top, term_start=D(2024, 1, 1))
    )
    big = party.save_org(
        ctx,
        party.OrgInput(
            "新华社区一网格党支部", "BRANCH", parent_id=comm, grid_id=grid, term_start=D(2024, 1, 1)
        ),
    )
    small = party.save_org(
        ctx, party.OrgInput("新华社区二网格党支部", "BRANCH", parent_id=comm, term_start=D(2024, 1, 1))
    )
    names = ["王建国", "李秀英", "张志强", "刘丽娟", "陈明华", "杨红梅", "赵海涛", "黄春兰"]
    ids = [
        party.save_member(
            ctx,
            party.MemberInput(
                n, big, id_number=make_id(D(1960 + i, 3, 5), i), joined_on=D(1990 + i, 7, 1), confirmed_on=D(1991 + i, 7, 1),
                phone=f"1380937{i:04d}", dues_category="RETIRED", dues_base_fen=400_000, dues_start_month=f"{TODAY.year}-01",
            ),
        )
        for i, n in enumerate(names)
    ]  # fmt: skip
    for i, n in enumerate(("周新", "吴军")):
        party.save_member(
            ctx,
            party.MemberInput(
                n, small, id_number=make_id(D(1970, 1, 1 + i), 50 + i), joined_on=D(2000, 7, 1)
            ),
        )
    party.assign_post(ctx, party.PostInput(big, ids[0], "SECRETARY", D(2024, 1, 1)))
    recruit = party.start_application(
        ctx,
        party.MemberInput("孙悦", big, id_number=make_id(D(1995, 6, 6), 80)),
        TODAY - dt.timedelta(days=400),
    )
    party.record_step(ctx, party.StepInput(recruit, "TALK", TODAY - dt.timedelta(days=390)))
    party.record_step(
        ctx, party.StepInput(recruit, "ACTIVIST", TODAY - dt.timedelta(days=200), people="王建国")
    )
    party.set_mobile(ctx, ids[3], party.MobileInput("OUT", D(2025, 3, 1), "广东省深圳市"))
    party.set_tracking_start(ctx, f"{TODAY.year}-01")
    return ctx, {"top": top, "comm": comm, "big": big, "small": small, "members": ids, "recruit": recruit}


def wait_tab(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.loading and not tab._stale, timeout=5000)


@pytest.fixture
def page(qtbot, roll):
    ctx, ids = roll
    p = PartyPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    p.select_org(ids["big"])
    wait_tab(qtbot, p.members_tab)
    return p


def names(model: PartyRowsTableModel) -> list[str]:
    return [r.name for r in model.rows()]


def shown_dialogs(parent: QtWidgets.QWidget, kind: type) -> list[QtWidgets.QDialog]:
    return [d for d in parent.findChildren(kind) if d.isVisible()]


# ---------------------------------------------------------------- tree, members


def test_tree_shows_the_hierarchy_counts_and_warnings(page, roll, qtmodeltester) -> None:
    _ctx, ids = roll
    m = page.tree_model
    qtmodeltester.check(m, force_py=True)
    top = m.index(0, 0)
    assert top.data() == "钢城街道党工委" and m.index(0, PartyOrgTreeModel.MEMBERS).data() == "10"
    comm = m.index(0, 0, top)
    assert [m.index(r, 0, comm).data() for r in range(m.rowCount(comm))] == ["一网格党支部", "二网格党支部"]
    small = m.index_of(ids["small"])
    assert "正式党员不足 3 名（现有 2 名）" in small.data(Qt.ItemDataRole.ToolTipRole)
    assert small.data(Qt.ItemDataRole.ForegroundRole) is not None  # red
    assert "党员 10 名" in page.header.subtitle_label.text()
    page.select_org(ids["small"])
    assert "正式党员不足 3 名" in page.warnings_label.text() and page.warnings_label.isVisible()


def test_members_tab_lists_filters_and_searches(qtbot, page, roll, qtmodeltester) -> None:
    tab = page.members_tab
    qtmodeltester.check(tab.model, force_py=True)
    assert len(names(tab.model)) == 8 and "孙悦" not in names(tab.model)
    assert tab.table.isColumnHidden(4)  # one branch: no 所在党组织 column
    assert tab.count_label.text() == "共 8 人"
    tab.flag_combo.setCurrentIndex(tab.flag_combo.findData("MOBILE"))
    wait_tab(qtbot, tab)
    assert names(tab.model) == ["刘丽娟"]
    assert tab.model.index(0, 8).data() == "流动"
    tab.flag_combo.setCurrentIndex(0)
    tab.stage_combo.setCurrentIndex(tab.stage_combo.findData(party.STAGE_RECRUITS))
    wait_tab(qtbot, tab)
    assert names(tab.model) == ["孙悦"]
    tab.stage_combo.setCurrentIndex(0)
    tab.search_edit.setText("wjg")
    qtbot.waitUntil(lambda: names(tab.model) == ["王建国"], timeout=5000)
    # sorting by a header keeps the rows valid for the model tester
    tab.search_edit.clear()
    qtbot.waitUntil(lambda: len(names(tab.model)) == 8, timeout=5000)
    tab.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    ages = [r.age for r in tab.model.rows()]
    assert ages == sorted(ages, reverse=True)
    page.select_org(roll[1]["top"])
    wait_tab(qtbot, tab)
    assert len(names(tab.model)) == 10 and not tab.table.isColumnHidden(4)


def test_card_opens_on_double_click_and_edits(qtbot, page, roll) -> None:
    tab = page.members_tab
    row = names(tab.model).index("王建国")
    pos = tab.table.visualRect(tab.model.index(row, 0)).center()
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=pos)
    qtbot.mouseDClick(tab.table.viewport(), LEFT, pos=pos)
    (card,) = shown_dialogs(page, PartyMemberCardDialog)
    assert card.name_label.text() == "王建国" and "正式党员" in card.badge_label.text()
    assert card.tabs.currentIndex() == 1  # no recruitment steps: the 党费 tab
    assert "每月 ¥20.00" in card.dues_label.text()  # retiree, 4000 × 0.5%
    edit = card.open_edit_dialog()
    edit.address_edit.setText("新华小区3号楼2单元301室")
    edit.ok_button.click()
    assert not edit.isVisible() and card.changed
    assert any(lbl.text() == "新华小区3号楼2单元301室" for lbl in card.findChildren(QtWidgets.QLabel))
    # a bad ID stays in the dialog, next to the field
    edit = card.open_edit_dialog()
    edit.id_edit.setText("620201199001011234")
    edit.ok_button.click()
    assert edit.isVisible() and "校验位" in edit.error_label.text()
    assert edit.id_edit.property("invalid") is True
    edit.reject()
    card.reject()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)


def test_card_actions_mobile_lost_transfer(qtbot, page, roll) -> None:
    _ctx, ids = roll
    card = page.open_member_card(ids["members"][5])
    d = card.open_mobile_dialog()
    d.destination_edit.setText("北京市")
    d.ok_button.click()
    assert "流动党员" in card.badge_label.text() and card.mobile_button.text() == "结束流动"
    card.mobile_button.click()
    assert "流动党员" not in card.badge_label.text()
    lost = card.open_lost_dialog()
    lost.since_edit.setDate(QtCore.QDate(TODAY).addMonths(-3))
    lost.ok_button.click()
    assert lost.isVisible() and "满 6 个月" in lost.error_label.text()
    lost.reject()
    t = card.open_transfer_dialog()
    t.target_edit.setText("中共兰州市城关区某街道工作委员会")
    t.ok_button.click()
    assert "已转出" in card.badge_label.text() and not card.transfer_button.isEnabled()
    assert card.events_model.rows()[0].kind == "TRANSFER_OUT"
    card.reject()
    wait_tab(qtbot, page.members_tab)
    assert len(names(page.members_tab.model)) == 7


# ---------------------------------------------------------------- recruitment, dues, meetings


def test_recruitment_tab_shows_due_and_refuses_early_steps(qtbot, page, roll, qtmodeltester) -> None:
    page.tabs.setCurrentWidget(page.recruitment_tab)
    tab = page.recruitment_tab
    wait_tab(qtbot, tab)
    qtmodeltester.check(tab.model, force_py=True)
    (row,) = tab.model.rows()
    assert (row.name, row.due.label, row.due.state) == ("孙悦", "确定为发展对象", "waiting")
    assert tab.model.index(0, 6).data() == "未到时间"
    earliest = row.due.earliest
    tab.table.selectRow(0)
    dialog = tab.open_step_dialog()
    assert isinstance(dialog, PartyStepDialog) and dialog.kind() == "CANDIDATE"
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert f"确定为发展对象须在列为入党积极分子满一年后（最早 {earliest}）" in dialog.error_label.text()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("CANCELLED"))
    assert not dialog.training_row.isVisibleTo(dialog)
    dialog.notes_edit.setPlainText("本人申请暂缓")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_tab(qtbot, tab)
    assert tab.model.rows() == []


def test_dues_tab_lists_arrears_and_records_payment(qtbot, page, roll, qtmodeltester) -> None:
    if TODAY.month == 1:
        pytest.skip("in January nothing is owed yet this year")
    page.tabs.setCurrentWidget(page.dues_tab)
    tab = page.dues_tab
    wait_tab(qtbot, tab)
    qtmodeltester.check(tab.model, force_py=True)
    assert len(tab.model.rows()) == 8 and "欠交党费 8 人" in tab.summary_label.text()
    tab.table.selectRow(names(tab.model).index("王建国"))
    dialog = tab.open_payment_dialog()
    assert dialog is not None and "¥20.00" in dialog.note_label.text()
    assert f"共 {TODAY.month - 1} 个月" in dialog.total_label.text()
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_tab(qtbot, tab)
    assert "王建国" not in names(tab.model) and len(tab.model.rows()) == 7
    # the book starts this month: nothing is owed before it
    tab.book_combo.setCurrentIndex(0)
    tab.book_combo.activated.emit(0)
    qtbot.waitUntil(lambda: not tab.loading and tab.model.rows() == [], timeout=5000)
    assert party.tracking_start(roll[0]) == f"{TODAY:%Y-%m}"


def test_meetings_tab_shows_overdue_and_records_a_meeting(qtbot, page, roll, qtmodeltester) -> None:
    _ctx, ids = roll
    page.tabs.setCurrentWidget(page.meetings_tab)
    tab = page.meetings_tab
    wait_tab(qtbot, tab)
    qtmodeltester.check(tab.status_model, force_py=True)
    overdue = {(r.org_name, r.item.kind) for r in tab.status_model.rows()}
    assert ("新华社区一网格党支部", "THEME_DAY") in overdue
    assert ("新华社区一网格党支部", "COMMITTEE") in overdue  # 8 full members: a committee is required
    dialog = tab.open_meeting_dialog(ids["big"], "THEME_DAY")
    assert dialog.attendance_list.count() == 8
    dialog.attendance_list.item(0).setCheckState(Qt.CheckState.PartiallyChecked)
    assert "实到 7 人，请假 1 人" in dialog.count_label.text()
    dialog.ok_button.click()
    assert dialog.isVisible() and "议题" in dialog.error_label.text()
    dialog.topic_edit.setText("学习党章")
    dialog.date_edit.setDate(QtCore.QDate(TODAY).addMonths(-1))
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_tab(qtbot, tab)
    assert ("新华社区一网格党支部", "THEME_DAY") not in {
        (r.org_name, r.item.kind) for r in tab.status_model.rows()
    }
    assert tab.meetings_model.rows()[0].topic == "学习党章"
    assert tab.meetings_model.rows()[0].attendance_text == "7/8"


def test_org_tab_posts_and_new_group(qtbot, page, roll) -> None:
    page.tabs.setCurrentWidget(page.org_tab)
    tab = page.org_tab
    wait_tab(qtbot, tab)
    assert tab.title_label.text() == "党支部 · 新华社区一网格党支部"
    assert [p.member_name for p in tab.posts_model.rows()] == ["王建国"]
    assert "应设立支部委员会" in tab.warnings_label.text()
    dialog = tab.open_post_dialog()
    assert dialog.post_combo.currentData() == "DEPUTY"  # the first post nobody holds
    dialog.post_combo.setCurrentIndex(dialog.post_combo.findData("SECRETARY"))
    dialog.member_combo.setCurrentIndex(1)
    dialog.ok_button.click()
    assert dialog.isVisible() and "请先办理免职" in dialog.error_label.text()
    dialog.post_combo.setCurrentIndex(dialog.post_combo.findData("ORGANISATION"))
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_tab(qtbot, tab)
    assert len(tab.posts_model.rows()) == 2
    child = tab.open_child_dialog()
    assert child.kind_combo.currentData() == "GROUP"
    child.name_edit.setText("一号楼党小组")
    child.ok_button.click()
    assert not child.isVisible()
    qtbot.waitUntil(lambda: any(n.name == "一号楼党小组" for n in page.tree_model.nodes()), timeout=5000)


# ---------------------------------------------------------------- print, window


def test_roster_preview_prints_and_saves(qtbot, page, roll, tmp_path: Path) -> None:
    dialog = page.open_roster_dialog()
    with qtbot.waitSignal(dialog.rendered, timeout=15000) as blocker:
        pass
    assert blocker.args[0] >= 1 and dialog.print_button.isEnabled()
    assert "8 名党员" in dialog.info_label.text()
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert dialog.print_to(printer) == blocker.args[0]
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    saved = dialog.save_to(tmp_path / "saved.pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    dialog.org_combo.setCurrentIndex(0)  # 全部党支部
    qtbot.waitUntil(lambda: "10 名党员" in dialog.info_label.text(), timeout=15000)
    dialog.reject()


def test_new_member_and_applicant_dialogs(qtbot, page, roll) -> None:
    d = page.open_member_dialog("new")
    d.name_edit.setText("郑好")
    d.id_edit.setText(make_id(D(1980, 8, 8), 300))
    d.id_edit.editingFinished.emit()
    assert d.birth_edit.value() == D(1980, 8, 8) and d.gender_combo.currentData() == "男"
    d.joined_edit.set_value(D(2005, 7, 1))
    d.confirmed_edit.set_value(D(2006, 7, 1))
    d.ok_button.click()
    assert not d.isVisible()
    wait_tab(qtbot, page.members_tab)
    assert "郑好" in names(page.members_tab.model)
    a = page.open_member_dialog("applicant")
    a.name_edit.setText("小周")
    a.id_edit.setText(make_id(TODAY.replace(year=TODAY.year - 17) - dt.timedelta(days=30), 301))
    a.ok_button.click()
    assert a.isVisible() and "年满 18 周岁" in a.error_label.text()
    a.reject()


def test_main_window_shows_the_party_area(qtbot, roll) -> None:
    from desktop.ui.main_window import AREAS, MainWindow

    ctx, _ids = roll
    area = next(a for a in AREAS if a.key == "party")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_area("party")
    page = window.findChild(PartyPage)
    assert page is not None and area.title == "党建"
    qtbot.waitUntil(lambda: page.tree_model.rowCount() == 1, timeout=5000)


def test_columns_have_headers_and_tooltips() -> None:
    for make in (cols.member_columns, cols.due_columns, cols.arrears_columns, cols.meeting_status_columns,
                 cols.meeting_columns, cols.post_columns, cols.payment_columns, cols.step_columns, cols.event_columns):  # fmt: skip
        columns = make()
        assert columns and all(c.header and c.width > 0 for c in columns)
    assert QtGui.QColor(cols.RED).isValid()


def test_import_from_the_page_reports_and_refreshes(
    qtbot, page, roll, tmp_path: Path, no_modal_boxes
) -> None:
    from desktop.services.party import roster_exchange

    ctx, _ids = roll
    out = tmp_path / "名册.xlsx"
    roster_exchange.export_members(ctx, out, reason="核对名册")
    page.last_import = None
    wizard = page.import_file(out)  # the one import flow: check first, nothing written
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    assert wizard.check_report.unchanged == 11 and page.last_import is None
    qtbot.mouseClick(wizard.next_button, LEFT)  # 导入 11 条有效记录
    qtbot.waitUntil(lambda: getattr(page, "last_import", None) is not None, timeout=10000)
    report = page.last_import
    assert (report.created, report.updated, report.rejected) == (0, 0, 0) and report.unchanged == 11
    assert wizard.windowTitle() == "导入党员名册" and wizard.step() == wizard.DONE
    wizard.accept()
    export = tmp_path / "导出.csv"
    page.export_file(export, "核对名册")
    qtbot.waitUntil(export.exists, timeout=10000)
    assert "公民身份号码" in export.read_text(encoding="utf-8-sig").splitlines()[0]
