"""Screenshots of every area, every dialog and the first start, on a real X server (not collected as a test).

``xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb SHEQU_SHOTS=/tmp/shots \\
.venv/bin/python -m pytest -q tests/ui/shots_areas.py`` (and again with ``-screen 0 1920x1080x24``) saves
whole-screen PNGs under ``SHEQU_SHOTS/<width>x<height>/``: each area of the community demo (the window
maximised, as on an office PC), each dialog of the dialog-fit check, and an empty database's first start
(the first-administrator form, then 工作台 with its 开始使用 path).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.ui.main_window import AREAS, MainWindow
from desktop.ui.qt import QtGui, QtWidgets
from tests.ui.demo_data import demo_ctx  # noqa: F401  (fixture)
from tests.ui.stall import longest_stall
from tests.ui.test_dialog_fit import FACTORIES, world  # noqa: F401  (fixture)
from tests.ui.test_party_page import roll  # noqa: F401  (fixture)

OUT = os.environ.get("SHEQU_SHOTS", "")
pytestmark = pytest.mark.skipif(not OUT, reason="screenshots only when SHEQU_SHOTS names a folder")


def _screen(qtbot, name: str, ms: int = 300) -> Path:
    qtbot.wait(ms)
    screen = QtGui.QGuiApplication.primaryScreen()
    size = screen.size()
    path = Path(OUT) / f"{size.width()}x{size.height()}" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0).save(str(path))
    return path


def _fill_screen(window: QtWidgets.QMainWindow) -> None:
    """Maximised; a bare X server has no window manager to maximise it, so it is also given the screen."""
    window.showMaximized()
    window.setGeometry(QtGui.QGuiApplication.primaryScreen().availableGeometry())


def test_shot_every_area(qtbot, demo_ctx) -> None:  # noqa: F811
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    _fill_screen(window)
    qtbot.waitExposed(window)
    for area in AREAS:
        if area.key not in window.visible_areas():
            continue
        longest_stall(lambda k=area.key: window.show_area(k), timeout_s=60)
        _screen(qtbot, f"area_{area.key}", 500)
        page = window.page(area.key)
        tabs = getattr(page, "tabs", None)
        if isinstance(tabs, QtWidgets.QTabWidget):  # every tab of the area
            for i in range(1, tabs.count()):
                longest_stall(lambda i=i, t=tabs: t.setCurrentIndex(i), timeout_s=60)
                _screen(qtbot, f"area_{area.key}_tab{i}", 400)
            tabs.setCurrentIndex(0)
    window.close()


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_shot_dialog(qtbot, world, name: str) -> None:  # noqa: F811
    ctx, w = world
    dialog = FACTORIES[name](ctx, w)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    _screen(qtbot, f"dialog_{name}")
    dialog.reject()


def test_shot_first_start(qtbot, tmp_path: Path) -> None:
    from desktop.services.bootstrap import open_database
    from desktop.ui.dialogs.login_dialog import FirstAdminDialog

    ctx = open_database(tmp_path / "empty.sqlite3").ctx
    dialog = FirstAdminDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    _screen(qtbot, "first_start_1_admin")
    dialog.reject()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    _fill_screen(window)
    qtbot.waitExposed(window)
    longest_stall(lambda: window.show_area("home"))
    _screen(qtbot, "first_start_2_home", 500)
    window.close()
    ctx.database.dispose()
