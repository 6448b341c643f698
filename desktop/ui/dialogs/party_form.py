"""Small field helpers shared by the 党建 forms (the base is :class:`~desktop.ui.dialogs.form_dialog.FormDialog`)."""

from __future__ import annotations

from desktop.ui.qt import QtWidgets


def combo(
    items: list[tuple[str, object]], current: object = None, editable: bool = False
) -> QtWidgets.QComboBox:
    box = QtWidgets.QComboBox()
    box.setEditable(editable)
    for text, data in items:
        box.addItem(text, data)
    if current is not None:
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
        elif editable:
            box.setEditText(str(current))
    return box
