"""Menus with 加速键, the page shortcuts (Ctrl+F, Ctrl+N, F5) and the offline 使用说明."""

from __future__ import annotations

import pytest

from desktop.ui.main_window import AREAS, MainWindow
from desktop.ui.qt import Qt, QtCore, QtWidgets


@pytest.fixture
def window(qtbot, street_ctx):
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def _press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, key, modifier)


def test_menus_carry_chinese_accelerators(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    file_items = [a.text() for a in window.menuBar().actions()[0].menu().actions() if a.text()]
    assert any(t.startswith("导入") for t in file_items) and any(t.startswith("导出") for t in file_items)
    assert any(t.startswith("立即备份") for t in file_items) and any(t.startswith("退出") for t in file_items)
    view_items = [a.text() for a in window.menuBar().actions()[2].menu().actions() if a.text()]
    shown = [a.title for a in AREAS if a.key in window.visible_areas()]  # the role's areas only
    assert shown == view_items[: len(shown)]
    help_items = [a.text() for a in window.menuBar().actions()[3].menu().actions()]
    assert help_items == ["使用说明(&G)", "关于(&A)"]


def test_view_menu_switches_areas_by_keyboard(window, qtbot):
    _press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == AREAS[2].key == "residents"


@pytest.mark.parametrize("area", ["grids", "residents", "mediation", "court", "events", "party"])
def test_ctrl_f_puts_the_cursor_in_the_pages_search(window, qtbot, area):
    window.show_area(area)
    page = window.page(area)
    window.sidebar.setFocus()
    _press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = page.search_field()
    assert field is not None
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is field, timeout=2000)


def test_ctrl_n_opens_the_pages_new_dialog(window, qtbot):
    from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog

    window.show_area("mediation")
    qtbot.waitUntil(lambda: window.page("mediation").new_button.isEnabled(), timeout=5000)
    _press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialogs = [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, MediationCaseDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].reject()


def test_ctrl_n_on_the_events_page_opens_the_quick_entry(window, qtbot):
    from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog

    window.show_area("events")
    _press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialogs = [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, EventEntryDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].reject()


def test_f5_refreshes_the_current_page(window, qtbot, monkeypatch):
    window.show_area("grids")
    page = window.page("grids")
    calls: list[str] = []
    monkeypatch.setattr(page, "refresh", lambda: calls.append("grids"))
    _press(qtbot, window, Qt.Key.Key_F5)
    assert calls == ["grids"]


def test_pages_without_a_search_say_so(window, qtbot):
    window.show_area("reports")
    _press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "本页没有搜索框"


def test_the_guide_opens_offline_with_a_section_per_area(window, qtbot):
    from desktop.ui.help_window import GuideWindow

    _press(qtbot, window, Qt.Key.Key_F1)
    guides = window.findChildren(GuideWindow)
    assert len(guides) == 1 and guides[0].isVisible()
    browser = guides[0].browser
    assert browser.source().isLocalFile()
    text = browser.toPlainText()
    for area in AREAS:
        assert area.title in text, area.title
    # every link stays inside the guide: nothing to fetch from the network
    html = browser.toHtml()
    links = QtCore.QRegularExpression(r'href="([^"]*)"').globalMatch(html)
    targets = []
    while links.hasNext():
        targets.append(links.next().captured(1))
    assert targets and all(t.startswith("#") for t in targets)
    window.guide_action.trigger()  # a second time: the same window, brought forward
    assert len(window.findChildren(GuideWindow)) == 1


def test_ctrl_n_says_why_when_the_new_button_is_greyed(qtbot, ctx):
    w = MainWindow(ctx)  # an empty database: no street, so no 新增社区 yet
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    from desktop.ui.tasks import running_tasks

    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=5000)  # 工作台 has said its own status
    w.show_area("settings")
    _press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    message = w.statusBar().currentMessage()
    assert message.startswith("“新增社区”暂不可用：") and "街道名称" in message
