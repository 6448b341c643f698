"""Windows and dialogs on the screen: never beyond its available geometry, remembered per screen.

The available geometry is the screen less its taskbar. A window's frame (title bar, borders) is outside
its geometry and is only known once the window manager has framed it, so until then an allowance is
kept for it (:data:`FRAME_ALLOWANCE`). Places are remembered in ``ui.ini`` under a key that names the
screen and its size (:func:`screen_key`): a laptop on a projector and on its own screen keeps two.
"""

from __future__ import annotations

import re

from desktop.ui.qt import QtCore, QtGui, QtWidgets
from desktop.ui.ui_settings import ui_settings

#: a title bar and borders (Windows 10/11 at 100 %: 31 px and 8 px; most Linux desktops less)
FRAME_ALLOWANCE = QtCore.QSize(16, 40)


def screen_of(widget: QtWidgets.QWidget | None) -> QtGui.QScreen | None:
    """The screen a window is (or will be) on: its own, its parent's, else the primary screen."""
    while widget is not None:
        screen = widget.screen()
        if screen is not None:
            return screen
        widget = widget.parentWidget()
    return QtGui.QGuiApplication.primaryScreen()


def available_geometry(widget: QtWidgets.QWidget | None) -> QtCore.QRect:
    """The part of the widget's screen a window may take (the taskbar left out)."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1366, 728)


def screen_key(widget: QtWidgets.QWidget | None) -> str:
    """The screen's name and size, fit for a settings key (``DP-1_1920x1080``)."""
    screen = screen_of(widget)
    if screen is None:
        return "screen"
    size = screen.size()
    name = re.sub(r"[^0-9A-Za-z_.-]+", "_", screen.name()) or "screen"
    return f"{name}_{size.width()}x{size.height()}"


def frame_extra(window: QtWidgets.QWidget) -> QtCore.QSize:
    """What the frame adds to the window's size: measured once framed, else :data:`FRAME_ALLOWANCE`."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.isVisible() and frame.size() != inner.size():
        return frame.size() - inner.size()
    return FRAME_ALLOWANCE


def client_limit(window: QtWidgets.QWidget) -> QtCore.QSize:
    """The largest window (without its frame) whose frame still fits the available geometry."""
    return available_geometry(window).size() - frame_extra(window)


def clamped(rect: QtCore.QRect, window: QtWidgets.QWidget) -> QtCore.QRect:
    """``rect`` (a window's geometry, frame excluded) made to fit the available geometry, frame included:
    shrunk if larger, moved in if it lies partly (or wholly) outside."""
    area = available_geometry(window)
    extra = frame_extra(window)
    size = rect.size().boundedTo(area.size() - extra)
    top_frame = extra.height() - extra.width() // 2  # the title bar; the rest of the frame is borders
    side = extra.width() // 2
    x = min(max(rect.x(), area.left() + side), area.right() + 1 - side - size.width())
    y = min(max(rect.y(), area.top() + top_frame), area.bottom() + 1 - side - size.height())
    return QtCore.QRect(QtCore.QPoint(x, y), size)


def keep_on_screen(window: QtWidgets.QWidget) -> None:
    """Move (and shrink) a shown window so that its frame lies inside the available geometry."""
    if window.isMaximized() or window.isFullScreen():
        return
    fitted = clamped(window.geometry(), window)
    if fitted.size() != window.size():
        window.resize(fitted.size())
    if fitted.topLeft() != window.geometry().topLeft():
        offset = window.geometry().topLeft() - window.pos()  # the frame's left and top, once framed
        window.move(fitted.topLeft() - offset)


def saved_rect(key: str, window: QtWidgets.QWidget) -> QtCore.QRect | None:
    """The geometry remembered under ``key`` for the window's screen, if any."""
    value = ui_settings().value(f"{key}/{screen_key(window)}")
    return value if isinstance(value, QtCore.QRect) and value.isValid() else None


def save_rect(key: str, window: QtWidgets.QWidget, rect: QtCore.QRect) -> None:
    settings = ui_settings()
    settings.setValue(f"{key}/{screen_key(window)}", rect)
    settings.sync()
