"""Small field helpers shared by the 人民调解 forms (the base is :class:`~desktop.ui.dialogs.form_dialog.FormDialog`)."""

from __future__ import annotations

from desktop.ui.qt import QtWidgets


def inline_label(text: str) -> QtWidgets.QLabel:
    """A label between two fields on one form row, with room on its left."""
    label = QtWidgets.QLabel(text)
    label.setContentsMargins(10, 0, 2, 0)
    return label


def text_box(text: str | None = "", height: int = 80, placeholder: str = "") -> QtWidgets.QPlainTextEdit:
    box = QtWidgets.QPlainTextEdit(text or "")
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


def line(text: str | None = "", placeholder: str = "", max_length: int = 200) -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit(text or "")
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit
