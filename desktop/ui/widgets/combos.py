"""Filter combo boxes: an "everything" entry (data None) followed by the choices."""

from __future__ import annotations

from desktop.ui.qt import QtWidgets


def refill_filter_combo(combo: QtWidgets.QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
    """Replace the choices of ``combo`` with ``everything`` (data None) and ``items`` (text, data), keeping the
    current choice when it is still offered, without emitting change signals."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)
    combo.blockSignals(False)
