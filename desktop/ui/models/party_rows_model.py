"""A read-only table of dataclass rows described by columns: used by the 党建 lists (members, who is due
for which step, arrears, meeting status, meetings, posts, payments, history).

Each :class:`RowColumn` says how to show a row (text, alignment, colour, tooltip) and how to sort it.
Sorting is done in the model (Python's sort, names by 拼音 through the initials the services provide).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

R = TypeVar("R")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_INDEX = QtCore.QModelIndex()
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class RowColumn(Generic[R]):
    header: str
    text: Callable[[R], object]
    align: Qt.AlignmentFlag = LEFT
    width: int = 90
    sort_key: Callable[[R], Any] | None = None  # default: the text, blanks last
    colour: Callable[[R], str | None] | None = None
    tooltip: Callable[[R], str | None] | None = None


def _blank_last(value: object) -> tuple[int, Any]:
    if value is None or value == "":
        return (1, "")
    return (0, value)


class PartyRowsTableModel(QtCore.QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[RowColumn[R]], parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []
        self._muted: Callable[[R], bool] | None = None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_muted(self, muted: Callable[[R], bool]) -> None:
        """Rows for which ``muted`` is true are shown grey (transferred out, retired …)."""
        self._muted = muted

    def rows(self) -> list[R]:
        return list(self._rows)

    def row(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ---------------------------------------------------------------- the model

    def rowCount(self, parent: QtCore.QModelIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.text(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = col.colour(row) if col.colour else None
            if colour:
                return QtGui.QColor(colour)
            if self._muted is not None and self._muted(row):
                return QtGui.QColor("#8a94a0")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: QtCore.QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        col = self.columns[column]
        key = col.sort_key or (lambda r: col.text(r))
        reverse = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        present = [r for r in old if _blank_last(key(r))[0] == 0]
        blank = [r for r in old if _blank_last(key(r))[0] == 1]
        present.sort(key=lambda r: key(r), reverse=reverse)
        self._rows = present + blank
        where = {id(r): i for i, r in enumerate(self._rows)}
        moved_from = self.persistentIndexList()
        moved_to = [self.index(where[id(old[i.row()])], i.column()) for i in moved_from]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()


def rows_view(
    columns: Sequence[RowColumn],  # type: ignore[type-arg]
    parent: QtWidgets.QWidget | None = None,
    sortable: bool = False,
) -> tuple[QtWidgets.QTableView, PartyRowsTableModel]:  # type: ignore[type-arg]
    """A read-only table view (house look) on a new model of ``columns``; ``sortable``: click a header to
    sort, starting from the service's own order (no column sorted)."""
    model: PartyRowsTableModel = PartyRowsTableModel(columns, parent)
    view = QtWidgets.QTableView(parent)
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for i, c in enumerate(columns):
        header.resizeSection(i, c.width)
    header.setStretchLastSection(True)
    if sortable:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    return view, model
