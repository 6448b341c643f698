"""The materials checklist of a confirmation track: tick “已收到”; the page saves each tick at once."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.services.judicial.detail import MaterialRow
from desktop.ui.qt import Qt, QtCore, QtGui, Signal

NO_PARENT = QtCore.QModelIndex()


class JudicialMaterialTableModel(QtCore.QAbstractTableModel):
    LABEL, REQUIRED, RECEIVED, ON = range(4)
    #: a tick changed: (material code, received)
    received_toggled = Signal(str, bool)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MaterialRow] = []
        self.editable = True
        self._headers = [self.tr("材料"), self.tr("必需"), self.tr("已收到"), self.tr("收到日期")]

    def set_rows(self, rows: Iterable[MaterialRow], editable: bool = True) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.editable = editable
        self.endResetModel()

    def row_at(self, row: int) -> MaterialRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.RECEIVED and self.editable:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                m.label,
                self.tr("必需") if m.required else self.tr("按需"),
                "",
                m.received_on.isoformat() if m.received_on else "",
            ][col]
        if role == Qt.ItemDataRole.CheckStateRole and col == self.RECEIVED:
            return Qt.CheckState.Checked if m.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.note or m.label
        if role == Qt.ItemDataRole.ForegroundRole and m.required and not m.received and col == self.LABEL:
            return QtGui.QBrush(QtGui.QColor("#b3261e"))
        return None

    def setData(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        value: object,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not (
            index.isValid() and role == Qt.ItemDataRole.CheckStateRole and index.column() == self.RECEIVED
        ):
            return False
        if not self.editable:
            return False
        m = self._rows[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self.received_toggled.emit(m.code, bool(checked))
        return True
