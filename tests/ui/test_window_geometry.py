"""Windows and dialogs stay on the screen (issue 14, defects 3 and 10).

The screen is set by replacing :func:`screen_fit.available_geometry` (and the screen's key): a 1366×768
office PC whose taskbar leaves 1366×728, and a 1920×1080 one.
"""

from __future__ import annotations

import pytest

from desktop.ui import screen_fit
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import QtCore, QtWidgets
from tests.conftest import TODAY

SMALL = QtCore.QRect(0, 0, 1366, 728)
LARGE = QtCore.QRect(0, 0, 1920, 1040)


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch):
    """``screen(rect, key)`` puts every window on a screen with that available geometry and key."""

    def use(rect: QtCore.QRect, key: str) -> None:
        monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: QtCore.QRect(rect))
        monkeypatch.setattr(screen_fit, "screen_key", lambda _w: key)

    return use


def test_the_main_window_opens_maximised_on_a_1366x768_screen(qtbot, street_ctx, screen) -> None:
    screen(SMALL, "HDMI-1_1366x768")
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    assert window.windowState() & QtCore.Qt.WindowState.WindowMaximized
    # its normal size (when the user restores it) fits the screen with its frame
    normal = window.geometry()
    assert normal.height() + screen_fit.FRAME_ALLOWANCE.height() <= SMALL.height()
    assert SMALL.contains(normal)


def test_the_main_window_opens_at_its_default_size_where_there_is_room(qtbot, street_ctx, screen) -> None:
    screen(LARGE, "DP-1_1920x1080")
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    assert not window.windowState() & QtCore.Qt.WindowState.WindowMaximized
    assert window.size() == QtCore.QSize(1280, 800) and LARGE.contains(window.geometry())


def test_the_main_window_remembers_its_place_per_screen_and_is_pulled_back_in(
    qtbot, street_ctx, screen
) -> None:
    screen(LARGE, "DP-1_1920x1080")
    first = MainWindow(street_ctx)
    qtbot.addWidget(first)
    first.setGeometry(600, 200, 1200, 760)
    first.save_state()
    screen(SMALL, "HDMI-1_1366x768")  # another screen: its own (first-start) place
    other = MainWindow(street_ctx)
    qtbot.addWidget(other)
    assert other.windowState() & QtCore.Qt.WindowState.WindowMaximized
    screen(LARGE, "DP-1_1920x1080")
    again = MainWindow(street_ctx)
    qtbot.addWidget(again)
    assert again.geometry() == QtCore.QRect(600, 200, 1200, 760)
    # a place beyond the screen's edge (a screen since made smaller, or a hand-edited ui.ini)
    screen_fit.save_rect("main/geometry", again, QtCore.QRect(1700, 900, 1200, 760))
    far = MainWindow(street_ctx)
    qtbot.addWidget(far)
    assert LARGE.contains(far.geometry()) and far.size() == QtCore.QSize(1200, 760)


def _form() -> FormDialog:
    dialog = FormDialog("记住位置", today=TODAY)
    dialog.add_row("a", "甲", QtWidgets.QLineEdit())
    return dialog


def test_a_dialog_remembers_its_place_per_screen_clamped_on_restore(qtbot, screen) -> None:
    screen(LARGE, "DP-1_1920x1080")
    first = _form()
    qtbot.addWidget(first)
    first.open()
    qtbot.waitExposed(first)
    first.move(1100, 500)  # where the user dragged it (the frame's corner) and its size
    first.resize(600, 400)
    first.reject()
    again = _form()
    qtbot.addWidget(again)
    again.open()
    qtbot.waitExposed(again)
    assert again.pos() == QtCore.QPoint(1100, 500) and again.size() == QtCore.QSize(600, 400)
    again.reject()
    screen(SMALL, "HDMI-1_1366x768")  # the same place would be off this screen: pulled back in
    screen_fit.save_rect(again.settings_key(), again, QtCore.QRect(1100, 500, 600, 400))
    small = _form()
    qtbot.addWidget(small)
    small.open()
    qtbot.waitExposed(small)
    extra = screen_fit.frame_extra(small)
    assert small.size() == QtCore.QSize(600, 400)
    assert small.geometry().right() + extra.width() // 2 <= SMALL.right()
    assert small.geometry().bottom() + extra.width() // 2 <= SMALL.bottom()
    small.reject()


def test_a_dialog_taller_than_the_screen_is_cut_to_it_with_room_for_its_frame(qtbot, screen) -> None:
    screen(SMALL, "HDMI-1_1366x768")
    dialog = FormDialog("很长的表单", today=TODAY)
    qtbot.addWidget(dialog)
    for i in range(60):
        dialog.add_row(f"f{i}", f"第 {i} 项", QtWidgets.QLineEdit())
    dialog.open()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= SMALL.height() - screen_fit.FRAME_ALLOWANCE.height() + 1
    assert SMALL.contains(dialog.geometry())
    dialog.reject()
