"""The materials checklist of a confirmation track: tick “已收到”; the page saves each tick at once."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.services.judicial.detail import MaterialRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import QtCore, QtGui, Signal

MISSING_COLOUR = "#b3261e"


class JudicialMaterialTableModel(ColumnTableModel[MaterialRow]):
    LABEL, REQUIRED, RECEIVED, ON = range(4)
    #: a tick changed: (material code, received)
    received_toggled = Signal(str, bool)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        def missing(m: MaterialRow) -> QtGui.QBrush | None:
            return QtGui.QBrush(QtGui.QColor(MISSING_COLOUR)) if m.required and not m.received else None

        def toggle(m: MaterialRow, received: object) -> bool:
            self.received_toggled.emit(m.code, bool(received))
            return True

        super().__init__(
            [
                Column(self.tr("材料"), lambda m: m.label, foreground=missing),
                Column(self.tr("必需"), lambda m: self.tr("必需") if m.required else self.tr("按需")),
                Column(self.tr("已收到"), lambda m: "", checked=lambda m: m.received, set_value=toggle),
                Column(self.tr("收到日期"), lambda m: m.received_on.isoformat() if m.received_on else ""),
            ],
            parent,
            row_tooltip=lambda m: m.note or m.label,
        )

    def set_rows(self, rows: Iterable[MaterialRow], editable: bool = True) -> None:
        self.editable = editable
        super().set_rows(rows)
