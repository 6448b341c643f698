"""A colour legend under a list whose rows are coloured: each colour as a swatch and what it means."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.ui.qt import QtWidgets

#: the row backgrounds of the deadline lists (人民调解, 司法确认) and their swatch text
RED, ORANGE, YELLOW = "#fde2e1", "#fdebd3", "#fdf6d3"


def colour_legend(items: Sequence[tuple[str, str, str]], note: str = "") -> QtWidgets.QLabel:
    """A wrapped label: ``(background, swatch text, meaning)`` per colour, then ``note``."""
    parts = [f"<span style='background:{bg}'>　{swatch}　</span> {meaning}" for bg, swatch, meaning in items]
    label = QtWidgets.QLabel("　".join(parts) + (f"　{note}" if note else ""))
    label.setObjectName("figureDetail")
    label.setWordWrap(True)
    return label
