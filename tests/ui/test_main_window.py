"""The app shell, driven through real widgets (offscreen)."""

from __future__ import annotations

import pytest

from desktop.core.errors import ValidationError
from desktop.ui import screen_fit
from desktop.ui.main_window import AREAS, MainWindow
from desktop.ui.qt import QtCore, QtWidgets


@pytest.fixture
def window(qtbot, street_ctx):
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def test_sidebar_lists_every_area_in_chinese(window):
    # a database without accounts: every area but 账号与角色 and 审计日志 (shown to the roles that have them)
    items = [window.sidebar.item(i) for i in range(window.sidebar.count())]
    titles = [item.text().strip() for item in items if not item.isHidden()]
    assert titles == [
        "工作台",
        "网格",
        "居民",
        "党建",
        "人民调解",
        "司法确认",
        "网格事件",
        "分色走访",
        "统计报表",
        "设置",
    ]
    assert AREAS[0].key == "home"


def test_home_shows_the_streets_figures(window, qtbot, qtmodeltester):
    home = window.page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=5000)
    assert home.card_communities.value.text() == "2"
    assert home.card_grids.value.text() == "3"
    assert "基础 1" in home.card_grids.detail.text()
    assert "钢城街道" in home.header.subtitle_label.text()
    texts = [home.warnings_list.item(i).text() for i in range(home.warnings_list.count())]
    assert any("没有网格长" in t for t in texts)
    assert home.community_model.rowCount() == 2
    model = home.community_model
    assert {(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(2)} == {
        ("新华社区", "2"),
        ("朝阳社区", "1"),
    }
    qtmodeltester.check(home.community_model, force_py=True)


def test_the_figures_are_read_once_while_the_window_is_built(qtbot, street_ctx, monkeypatch):
    # the 工作台's queries start before the window and its page are built (Area.prefetch), and the page
    # shows that result instead of reading the figures a second time
    import threading

    from desktop.services import dashboard

    calls: list[str] = []
    real = dashboard.street_figures

    def counted(ctx, today=None):
        calls.append(threading.current_thread().name)
        return real(ctx, today)

    monkeypatch.setattr(dashboard, "street_figures", counted)
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    home = w.page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=5000)
    assert calls == ["工作台数字"]  # once, on the thread started with the window
    assert home.card_communities.value.text() == "2"
    home.refresh()  # F5 afterwards reads them afresh
    qtbot.waitUntil(lambda: len(calls) == 2 and not home._loading, timeout=5000)


def test_a_window_opening_elsewhere_reads_no_figures_first(qtbot, street_ctx, monkeypatch):
    from desktop.services import dashboard
    from desktop.ui.ui_settings import ui_settings

    ui_settings().setValue("main/area", "residents")
    calls: list[int] = []
    monkeypatch.setattr(dashboard, "street_figures", lambda ctx, today=None: calls.append(1))
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    assert w.current_area() == "residents"
    assert calls == [] and "home" not in w.pages


def test_the_events_area_is_the_event_list(window, qtbot):
    from desktop.ui.pages.events.events_page import EventsPage

    window.show_area("events")
    page = window.stack.currentWidget()
    assert isinstance(page, EventsPage) and page is window.page("events")
    qtbot.waitUntil(lambda: not page.is_searching(), timeout=5000)
    labels = " ".join(label.text() for label in page.findChildren(QtWidgets.QLabel))
    assert "正在建设中" not in labels and "共 0 件" in labels


def test_status_bar_shows_database_user_and_backup(window):
    assert "SQLite" in window.db_status.text()
    assert "测试员" in window.user_status.text()
    assert window.backup_status.text().startswith("最近备份：尚无备份")


def test_last_area_and_geometry_are_remembered(qtbot, street_ctx):
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    w.resize(1000, 640)
    w.show_area("settings")
    w.close()
    w2 = MainWindow(street_ctx)
    qtbot.addWidget(w2)
    assert w2.current_area() == "settings"
    w2.show()
    # the offscreen screen is only 800 px wide, so the width is clamped to the minimum; the height is not
    assert w2.height() == 640
    assert w2.settings.value(f"main/geometry/{screen_fit.screen_key(w2)}") is not None  # per screen


def test_closing_after_changes_takes_a_verified_backup(qtbot, street_ctx):
    from desktop.services import backups

    assert backups.last_backup(street_ctx) is None
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    w.close()
    info = backups.last_backup(street_ctx)
    assert info is not None and info.reason == "close"
    assert not backups.changed_since_last_backup(street_ctx)


def test_standard_buttons_are_chinese(qtbot):
    box = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    assert texts == {"保存", "取消"}
    assert QtCore.QLocale().name() == "zh_CN"


def test_settings_page_saves_the_street_and_adds_a_community(window, qtbot, no_modal_boxes, qtmodeltester):
    from desktop.services import structure

    window.show_area("settings")
    page = window.page("settings")
    page.street_district.clear()
    page.street_district.insert("长城区")  # QTest.keyClicks only types ASCII
    qtbot.mouseClick(page.save_street_button, QtCore.Qt.MouseButton.LeftButton)
    assert structure.get_street(window.ctx).district == "长城区"

    dialog = page.open_community_dialog()
    dialog.name_edit.insert("新华社区")  # duplicate name: the dialog stays open and keeps the text
    dialog._on_buttons_accepted()
    assert dialog.isVisible() and "已有名为“新华社区”" in dialog.error_label.text()
    assert dialog.name_edit.text() == "新华社区"
    dialog.name_edit.setText("五一社区")
    dialog._on_buttons_accepted()
    assert not dialog.isVisible()
    names = [c.name for c in structure.list_communities(window.ctx)]
    assert "五一社区" in names
    assert page.community_model.rowCount() == 3
    qtmodeltester.check(page.community_model, force_py=True)


def test_known_errors_are_shown_in_chinese_and_bugs_are_logged(qtbot, no_modal_boxes, isolated_home):
    from desktop.ui.errors import show_error

    show_error(None, ValidationError("网格编号不能为空。"))
    assert no_modal_boxes[-1] == ("操作未完成", "网格编号不能为空。")
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        show_error(None, exc)
    title, text = no_modal_boxes[-1]
    assert title == "程序错误" and "shequ.log" in text
    log = (isolated_home / "logs" / "shequ.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: boom" in log


def test_background_task_reports_progress_and_can_be_cancelled(qtbot):
    import threading

    from desktop.core.errors import CancelledError
    from desktop.ui.tasks import run_in_background

    results: list[object] = []
    errors: list[BaseException] = []
    gate = threading.Event()

    def work(progress):
        for i in range(1000):
            gate.wait(0.01)
            progress(i, 1000, "处理中")
        return "done"

    handle = run_in_background(work, results.append, errors.append)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors) or bool(results), timeout=5000)
    assert not results and isinstance(errors[0], CancelledError)

    run_in_background(lambda p: 42, results.append, errors.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)


def test_background_results_are_not_delivered_to_a_closed_page(qtbot):
    import threading

    import shiboken6

    from desktop.ui.tasks import run_in_background

    widget = QtWidgets.QLabel()
    gate = threading.Event()
    delivered: list[object] = []
    run_in_background(
        lambda _p: gate.wait(5) and "late", lambda r: delivered.append(widget.text()), parent=widget
    )
    widget.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget), timeout=2000)
    gate.set()
    qtbot.wait(200)
    assert delivered == []
