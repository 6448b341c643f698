"""The one table model of the UI: rows of any type, shown through a list of :class:`Column` specs.

Every data table of the application is a ``ColumnTableModel`` (or a subclass that adds a few helpers):
the columns say what a row shows, how it is aligned, coloured, sorted and edited, and this class answers
Qt's ``rowCount``/``headerData``/``data``/``flags``/``setData`` once for all of them.

Rows are held in a list by default. A model that fetches its rows lazily (the resident table keeps only
ids and a page cache, like Anki's browser) overrides :meth:`row_count` and :meth:`row_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from desktop.ui.models.column import Column
from desktop.ui.qt import Qt, QtCore

R = TypeVar("R")
NO_PARENT = QtCore.QModelIndex()
ID_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_ROW_ROLE = Qt.ItemDataRole.UserRole + 2
_CHECKED = (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)


def _blank_last(value: object) -> int:
    return 1 if value is None or value == "" else 0


class ColumnTableModel(QtCore.QAbstractTableModel, Generic[R]):
    """A table of rows described by ``columns``.

    * ``row_id`` (optional) maps a row to its id: given for ``ID_ROLE`` (``UserRole``), and used by
      :meth:`row_for` / :meth:`index_for`.
    * ``row_foreground`` / ``row_background`` / ``row_tooltip`` apply to every cell of a row whose
      column gives nothing for that role.
    * ``numbered_rows`` shows 1, 2, 3 … in the vertical header.
    * ``sorts_rows`` makes :meth:`sort` reorder the rows by the columns' ``sort_key`` (blank values
      last); otherwise sorting is left to a proxy model, which reads ``sort_role``.
    * ``editable`` switches off all editing and ticking at once (a read-only view of editable rows).
    """

    sort_role: int = DEFAULT_SORT_ROLE
    row_role: int = DEFAULT_ROW_ROLE

    def __init__(
        self,
        columns: Sequence[Column[R]],
        parent: QtCore.QObject | None = None,
        *,
        row_id: Callable[[R], Hashable] | None = None,
        row_foreground: Callable[[R], object] | None = None,
        row_background: Callable[[R], object] | None = None,
        row_tooltip: Callable[[R], object] | None = None,
        numbered_rows: bool = False,
        sorts_rows: bool = False,
    ) -> None:
        super().__init__(parent)
        self.columns: list[Column[R]] = list(columns)
        self._rows: list[R] = []
        self._row_id = row_id
        self._by_id: dict[Hashable, int] = {}
        self.row_foreground = row_foreground
        self.row_background = row_background
        self.row_tooltip = row_tooltip
        self.numbered_rows = numbered_rows
        self.sorts_rows = sorts_rows
        self.editable = True

    # ---------------------------------------------------------------- rows in / out

    def set_rows(self, rows: Iterable[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        key = self._row_id
        self._by_id = {} if key is None else {key(r): i for i, r in enumerate(self._rows)}

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_count(self) -> int:
        """How many rows the model has (a lazy model overrides this and :meth:`row_at`)."""
        return len(self._rows)

    def row_at(self, row: int) -> R | None:
        """The row object of row number ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> Any:
        """The id of row number ``row`` (``row_id`` of its row object), or None."""
        r = self.row_at(row)
        return None if r is None or self._row_id is None else self._row_id(r)

    def row_for(self, row_id: Hashable) -> R | None:
        i = self._by_id.get(row_id)
        return None if i is None else self._rows[i]

    def index_for(self, row_id: Hashable, column: int = 0) -> QtCore.QModelIndex:
        i = self._by_id.get(row_id)
        return QtCore.QModelIndex() if i is None else self.index(i, column)

    def insert_row(self, row: R, position: int | None = None) -> int:
        n = self.row_count() if position is None else position
        self.beginInsertRows(NO_PARENT, n, n)
        self._rows.insert(n, row)
        self._reindex()
        self.endInsertRows()
        return n

    def remove_row(self, position: int) -> None:
        if 0 <= position < len(self._rows):
            self.beginRemoveRows(NO_PARENT, position, position)
            del self._rows[position]
            self._reindex()
            self.endRemoveRows()

    def column(self, section: int) -> Column[R] | None:
        return self.columns[section] if 0 <= section < len(self.columns) else None

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Vertical:
            numbered = self.numbered_rows and 0 <= section < self.row_count()
            return str(section + 1) if numbered and role == Qt.ItemDataRole.DisplayRole else None
        col = self.column(section)
        if col is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.header_align
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.header_tooltip
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        col = self.column(index.column())
        if col is not None and col.set_value is not None and self.editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable if col.checked else Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid():
            return None
        col = self.column(index.column())
        if col is None or not 0 <= index.row() < self.row_count():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:  # needs no row: a lazy model fetches nothing for it
            return col.align
        row = self.row_at(index.row())
        if row is None:
            return None
        return self.cell_data(row, col, role)

    def cell_data(self, row: R, col: Column[R], role: int) -> object:
        """What ``row`` shows in ``col`` for ``role`` (subclasses add their own roles around it)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return col.edit_value(row) if col.edit_value is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _first(col.tooltip, self.row_tooltip, row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _first(col.foreground, self.row_foreground, row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _first(col.background, self.row_background, row)
        if role == Qt.ItemDataRole.DecorationRole:
            return col.decoration(row) if col.decoration is not None else None
        if role == Qt.ItemDataRole.FontRole:
            return col.font(row) if col.font is not None else None
        if role == Qt.ItemDataRole.CheckStateRole:
            if col.checked is None:
                return None
            return Qt.CheckState.Checked if col.checked(row) else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return self._row_id(row) if self._row_id is not None else None
        if role == self.sort_role:
            return col.sort_key(row) if col.sort_key is not None else col.text(row)
        if role == self.row_role:
            return row
        return None

    def setData(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        value: object,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid() or not self.editable:
            return False
        col = self.column(index.column())
        row = self.row_at(index.row())
        if col is None or row is None or col.set_value is None:
            return False
        if col.checked is not None:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = value in _CHECKED
        elif role != Qt.ItemDataRole.EditRole:
            return False
        if not col.set_value(row, value):
            return False
        self.dataChanged.emit(index, index)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self.column(column)
        if not self.sorts_rows or col is None:
            return
        key: Callable[[R], Any] = col.sort_key or col.value
        old = self._rows
        present = [r for r in old if not _blank_last(key(r))]
        blank = [r for r in old if _blank_last(key(r))]
        present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self._rows = present + blank
        self._reindex()
        where = {id(r): i for i, r in enumerate(self._rows)}
        moved_from = self.persistentIndexList()
        moved_to = [self.index(where[id(old[i.row()])], i.column()) for i in moved_from]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()


def _first(
    cell: Callable[[Any], object] | None, row_wide: Callable[[Any], object] | None, row: object
) -> object:
    value = cell(row) if cell is not None else None
    if value is None and row_wide is not None:
        value = row_wide(row)
    return value
