"""Small read-only tables of one case (parties, sessions, visits, the 卷宗 checklist …): rows of texts with an id."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.ui.qt import Qt, QtCore, QtGui

NO_PARENT = QtCore.QModelIndex()
LEVEL_COLOURS = {"red": "#fde2e1", "orange": "#fdebd3", "yellow": "#fdf6d3", "green": "#e3f3e6"}


class MediationItemTableModel(QtCore.QAbstractTableModel):
    """``set_rows(rows)`` with rows ``(id, [texts…], level)``; ``UserRole`` gives the id."""

    def __init__(self, headers: Sequence[str], parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[tuple[object, list[str], str]] = []

    def set_rows(self, rows: Sequence[tuple[object, Sequence[object], str]]) -> None:
        self.beginResetModel()
        self._rows = [
            (rid, ["" if v is None else str(v) for v in texts], level) for rid, texts, level in rows
        ]
        self.endResetModel()

    def row_id(self, row: int) -> object:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

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

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rid, texts, level = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[index.column()] if index.column() < len(texts) else ""
        if role == Qt.ItemDataRole.UserRole:
            return rid
        if role == Qt.ItemDataRole.BackgroundRole and level in LEVEL_COLOURS:
            return QtGui.QBrush(QtGui.QColor(LEVEL_COLOURS[level]))
        return None
