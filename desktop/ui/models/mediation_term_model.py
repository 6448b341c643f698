"""The numbered terms of an agreement being edited: 条款内容, 金额（元）, 履行期限 (editable in place)."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from desktop.ui.qt import Qt, QtCore

NO_PARENT = QtCore.QModelIndex()


@dataclass
class TermRow:
    text: str = ""
    amount: decimal.Decimal | None = None
    due_on: dt.date | None = None


class MediationTermTableModel(QtCore.QAbstractTableModel):
    TEXT, AMOUNT, DUE = range(3)

    def __init__(self, rows: list[TermRow] | None = None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows or [])
        self._headers = [self.tr("条款内容"), self.tr("金额（元）"), self.tr("履行期限")]

    def rows(self) -> list[TermRow]:
        return [r for r in self._rows if r.text.strip()]

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < 3 else None
        return str(section + 1)

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.TEXT:
                return row.text
            if col == self.AMOUNT:
                return (
                    ""
                    if row.amount is None
                    else f"{row.amount:,.2f}"
                    if role == Qt.ItemDataRole.DisplayRole
                    else str(row.amount)
                )
            return row.due_on.isoformat() if row.due_on else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and col != self.TEXT:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.DUE:
            return self.tr("格式：2026-04-30")
        return None

    def setData(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        value: object,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        text = "" if value is None else str(value).strip()
        if index.column() == self.TEXT:
            row.text = text
        elif index.column() == self.AMOUNT:
            try:
                row.amount = decimal.Decimal(text.replace(",", "").replace("元", "")) if text else None
            except decimal.InvalidOperation:
                return False
        else:
            if not text:
                row.due_on = None
            else:
                d = QtCore.QDate.fromString(text.replace("/", "-").replace(".", "-"), "yyyy-M-d")
                if not d.isValid():
                    return False
                row.due_on = d.toPython()  # type: ignore[assignment]
        self.dataChanged.emit(index, index)
        return True

    def add_row(self) -> int:
        n = len(self._rows)
        self.beginInsertRows(NO_PARENT, n, n)
        self._rows.append(TermRow())
        self.endInsertRows()
        return n

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(NO_PARENT, row, row)
            del self._rows[row]
            self.endRemoveRows()
