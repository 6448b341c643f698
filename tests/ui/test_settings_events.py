"""设置 → 网格事件与走访 through the real widgets: the category tree (a limit of 0, a duplicate, a department
no longer listed refused inline, on the right tab), a valid change saved and told to the other pages, the
visit frequencies and the ranking weights."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services import visits as vs
from desktop.services.reports.grid_bulletin import ranking_weights
from desktop.ui.data_changes import DataChanges
from desktop.ui.dialogs.event_settings_dialog import DEPARTMENT, NAME, NORMAL, URGENT, EventSettingsDialog
from desktop.ui.dialogs.visit_settings_dialog import RankingWeightsDialog, VisitSettingsDialog
from desktop.ui.pages.settings_page import SettingsPage
from desktop.ui.qt import Qt, QtWidgets
from tests.unit.test_event_services import new_event


@pytest.fixture
def page(qtbot, street_ctx):
    p = SettingsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 720)
    p.show()
    p.activate()
    return p


def _item(dialog: EventSettingsDialog, category: str, sub: str | None = None) -> QtWidgets.QTreeWidgetItem:
    tree = dialog.tree
    top = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == category
    )
    if sub is None:
        return top
    return next(top.child(j) for j in range(top.childCount()) if top.child(j).text(NAME) == sub)


def _edit(qtbot, dialog: EventSettingsDialog, item: QtWidgets.QTreeWidgetItem, col: int, text: str) -> None:
    """Through the tree's own editor (the delegate): open it, type, commit."""
    if dialog.tree.state() != QtWidgets.QAbstractItemView.State.EditingState:  # 新增 opens the name's editor
        dialog.tree.setCurrentItem(item, col)
        dialog.tree.editItem(item, col)
    editor = dialog.tree.focusWidget()
    if isinstance(editor, QtWidgets.QComboBox):
        editor.setCurrentIndex(editor.findData(text))
    else:
        assert isinstance(editor, QtWidgets.QLineEdit)
        editor.setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # ends the cell's edit, not the dialog
    qtbot.waitUntil(lambda: dialog.tree.state() != QtWidgets.QAbstractItemView.State.EditingState)
    assert dialog.isVisible()


def test_event_settings_refusals_and_a_saved_limit(qtbot, page, street_ctx) -> None:
    ctx = street_ctx
    grid = st.list_grids(ctx)[0].id
    open_event = new_event(ctx, grid, category="消防安全", subcategory="消防通道堵塞")
    section = page.events_section
    assert "9 个类别" in section.events_label.text() and "不限" in section.events_label.text()
    qtbot.mouseClick(section.events_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, EventSettingsDialog) and dialog.isVisible()
    assert "已登记的事件保持登记时确定的办理时限" in " ".join(
        w.text() for w in dialog.findChildren(QtWidgets.QLabel)
    )
    blocked = _item(dialog, "消防安全", "消防通道堵塞")
    # what is inherited is shown, greyed: the category's department, the default urgent limit
    assert blocked.text(DEPARTMENT) == "同类别：消防救援站" and blocked.text(URGENT) == "同类别：24小时"
    assert blocked.text(NORMAL) == "2个工作日"
    # a limit of 0: refused inline, naming the sub-category, on the first tab
    _edit(qtbot, dialog, blocked, NORMAL, "0个工作日")
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 0
    assert "“消防安全 / 消防通道堵塞”的一般事件时限" in dialog.error_label.text()
    assert "应为正数" in dialog.error_label.text()
    _edit(qtbot, dialog, blocked, NORMAL, "1 工作日")
    assert blocked.text(NORMAL) == "1个工作日"
    # a duplicate department: refused on the second tab
    dialog.departments_edit.setPlainText(dialog.departments_edit.toPlainText() + "\n派出所")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentIndex() == 1 and "职能部门“派出所”重复" in dialog.error_label.text()
    # a department dropped while a category still names it
    names = [n for n in dialog.department_names() if n not in ("派出所", "消防救援站")]
    dialog.departments_edit.setPlainText("\n".join([*names, "派出所"]))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "“消防安全”的责任部门“消防救援站”不在职能部门列表中" in dialog.error_label.text()
    assert ev.event_settings(ctx).departments == ev.event_dictionary(ctx).departments  # nothing written
    dialog.departments_edit.setPlainText("\n".join([*names, "派出所", "消防救援站", "物业服务中心"]))
    # a new category with its own limits and department, one sub-category
    dialog.tree.clearSelection()
    dogs = dialog.add_category()
    _edit(qtbot, dialog, dogs, NAME, "文明养犬")
    _edit(qtbot, dialog, dogs, DEPARTMENT, "物业服务中心")
    _edit(qtbot, dialog, dogs, URGENT, "12小时")
    dialog.tree.setCurrentItem(dogs)
    leash = dialog.add_subcategory()
    assert leash is not None
    _edit(qtbot, dialog, leash, NAME, "未拴绳")
    assert leash.text(DEPARTMENT) == "同类别：物业服务中心" and leash.text(URGENT) == "同类别：12小时"
    told: list[DataChanges] = []
    page.changed.connect(told.append)
    messages: list[str] = []
    page.status_message.connect(messages.append)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.error_label.text()
    assert [c.changed_areas() for c in told] == [{"settings"}]
    assert messages and "1 个在办事件仍按登记时的时限办理" in messages[-1]
    assert "10 个类别" in section.events_label.text()
    # the open event kept its 2 working days; a new one gets 1
    assert str(ev.event_detail(ctx, open_event).limit) == "2个工作日"
    assert (
        str(ev.event_detail(ctx, new_event(ctx, grid, category="消防安全", subcategory="消防通道堵塞")).limit)
        == "1个工作日"
    )
    dog = ev.event_detail(
        ctx,
        new_event(ctx, grid, category="文明养犬", subcategory="未拴绳", urgency="紧急",
                  received_at=dt.datetime(2026, 11, 23, 9, 0)),
    )  # fmt: skip
    assert (dog.department, str(dog.limit), dog.deadline) == (
        "物业服务中心",
        "12小时",
        dt.datetime(2026, 11, 23, 21, 0),
    )


def test_visit_frequencies_and_ranking(qtbot, page, street_ctx) -> None:
    section = page.events_section
    qtbot.mouseClick(section.visits_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, VisitSettingsDialog)
    green = dialog.tier_combos["GREEN"]
    green.setCurrentIndex(green.findText("每半月"))
    group = dialog.group_combos["社区矫正对象"]
    group.setCurrentIndex(group.findText("每周"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    f = vs.frequencies(street_ctx)
    assert f.tiers["GREEN"] == "HALF_MONTH" and f.groups["社区矫正对象"] == "WEEK"
    assert "社区矫正对象 每周" in section.visits_label.text()

    qtbot.mouseClick(section.ranking_button, Qt.MouseButton.LeftButton)
    ranking = section.dialog
    assert isinstance(ranking, RankingWeightsDialog)
    for spin in (ranking.closed_spin, ranking.satisfaction_spin, ranking.visits_spin):
        spin.setValue(0)
    assert "按期办结率 × 0" in ranking.formula_label.text()
    qtbot.mouseClick(ranking.ok_button, Qt.MouseButton.LeftButton)
    assert ranking.isVisible() and "不能都为 0" in ranking.error_label.text()
    ranking.closed_spin.setValue(50)
    ranking.visits_spin.setValue(50)
    qtbot.mouseClick(ranking.ok_button, Qt.MouseButton.LeftButton)
    assert not ranking.isVisible()
    assert (ranking_weights(street_ctx).closed_in_time, ranking_weights(street_ctx).visits) == (50, 50)
    assert "按期办结率 50" in section.ranking_label.text()
