"""Small marks the lists share: the coloured dot of a 分色等级 or an event's light (cached icons), and a grid's
short name. Kept apart from the list models so the 工作台 can use them without loading those models' services
(start-up, issue 16)."""

from __future__ import annotations

from desktop.ui.qt import Qt, QtCore, QtGui

LIGHT_COLOURS = {"red": "#c62828", "yellow": "#e0a800", "green": "#2e7d32"}
LIGHT_TEXT_COLOURS = {"red": "#b3261e", "yellow": "#8a6d00", "green": "#2e7d32"}

_dots: dict[tuple[str, int], QtGui.QIcon] = {}


def tier_dot(colour: str, size: int = 12) -> QtGui.QIcon:
    """A filled circle in ``colour`` (the 分色等级 marker), cached."""
    key = (colour, size)
    if key not in _dots:
        pixmap = QtGui.QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(pixmap)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(QtGui.QPen(QtGui.QColor(colour).darker(115), 1))
        painter.setBrush(QtGui.QColor(colour))
        painter.drawEllipse(QtCore.QRectF(1, 1, size - 2, size - 2))
        painter.end()
        _dots[key] = QtGui.QIcon(pixmap)
    return _dots[key]


def light_dot(light: str | None, size: int = 12) -> QtGui.QIcon | None:
    """The light as a filled circle (None for a closed event)."""
    return tier_dot(LIGHT_COLOURS[light], size) if light in LIGHT_COLOURS else None


def short_grid(name: str) -> str:
    """新华社区第一网格 → 第一网格 (the full name is the tooltip)."""
    _head, sep, rest = name.partition("社区")
    return rest if sep and rest else name
