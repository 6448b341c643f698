"""The grid table (网格列表): ``GridTableModel`` holds the street's grids, ``GridFilterProxyModel`` filters
them by community, text and retirement and sorts them (Chinese text by pinyin through ``QCollator``)."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.services.structure import GridRow
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

#: raw value for sorting: ``str`` for text columns, ``int`` for figures
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: the row's ``GridRow``
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
WARNING_COLOUR = "#b3261e"


def muted_brush() -> QtGui.QBrush:
    """The palette's placeholder grey, copied (the palette ``QApplication.palette()`` returns is a temporary)."""
    palette = QtWidgets.QApplication.palette()
    colour = palette.color(QtGui.QPalette.ColorGroup.Active, QtGui.QPalette.ColorRole.PlaceholderText)
    return QtGui.QBrush(QtGui.QColor(colour))


NO_PARENT = QtCore.QModelIndex()


class GridTableModel(QtCore.QAbstractTableModel):
    """One row per grid; ``UserRole`` gives the grid's id."""

    CODE, NAME, COMMUNITY, KIND, CHIEF, WORKER, HELPERS, HOUSEHOLDS, POPULATION, REGISTERED = range(10)
    NUMERIC = frozenset({HELPERS, HOUSEHOLDS, POPULATION, REGISTERED})

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GridRow] = []
        self._by_id: dict[int, int] = {}
        self._headers = [
            self.tr("网格编号"),
            self.tr("网格名称"),
            self.tr("社区"),
            self.tr("类型"),
            self.tr("网格长"),
            self.tr("专职网格员"),
            self.tr("兼职人数"),
            self.tr("户数"),
            self.tr("人数"),
            self.tr("在册居民"),
        ]
        self._retired_suffix = self.tr("（已撤销）")
        self._missing = self.tr("未配备")
        self._muted = muted_brush()
        self._warning = QtGui.QBrush(QtGui.QColor(WARNING_COLOUR))

    # ---------------------------------------------------------------- data in / out

    def set_rows(self, rows: Iterable[GridRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_id = {row.id: i for i, row in enumerate(self._rows)}
        self.endResetModel()

    def rows(self) -> list[GridRow]:
        return list(self._rows)

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        """The grid id of ``index`` (an index of this model)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()].id

    def row_for(self, grid_id: int) -> GridRow | None:
        i = self._by_id.get(grid_id)
        return None if i is None else self._rows[i]

    def rows_for(self, ids: Iterable[int]) -> list[GridRow]:
        return [self._rows[i] for gid in ids if (i := self._by_id.get(gid)) is not None]

    def index_for(self, grid_id: int, column: int = 0) -> QtCore.QModelIndex:
        i = self._by_id.get(grid_id)
        return QtCore.QModelIndex() if i is None else self.index(i, column)

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(
        self,
        parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT,
    ) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if section in self.NUMERIC else LEFT
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_value(row, col)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col in self.NUMERIC else LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.retired_on is not None:
                return self._muted
            if (col == self.CHIEF and not row.chiefs) or (col == self.WORKER and not row.workers):
                return self._warning
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    # ---------------------------------------------------------------- helpers

    def _display(self, row: GridRow, col: int) -> str:
        if col == self.CODE:
            return row.code
        if col == self.NAME:
            return row.name + (self._retired_suffix if row.retired_on else "")
        if col == self.COMMUNITY:
            return row.community_name
        if col == self.KIND:
            return row.kind_label
        if col == self.CHIEF:
            return row.chiefs or ("" if row.retired_on else self._missing)
        if col == self.WORKER:
            return row.workers or ("" if row.retired_on else self._missing)
        value = self._number(row, col)
        return "—" if value is None else f"{value:,}"

    def _number(self, row: GridRow, col: int) -> int | None:
        return {
            self.HELPERS: row.helper_count,
            self.HOUSEHOLDS: row.households,
            self.POPULATION: row.population,
            self.REGISTERED: row.registered_residents,
        }[col]

    def _sort_value(self, row: GridRow, col: int) -> str | int:
        if col in self.NUMERIC:
            value = self._number(row, col)
            return -1 if value is None else value
        if col == self.CHIEF:
            return row.chiefs
        if col == self.WORKER:
            return row.workers
        if col == self.NAME:
            return row.name
        return self._display(row, col)

    def _tooltip(self, row: GridRow) -> str:
        lines = [self.tr("四至：") + (row.boundary or self.tr("未填写"))]
        if row.retired_on is not None:
            lines.append(self.tr("已于 {0} 撤销").format(row.retired_on.isoformat()))
        return "\n".join(lines)


class GridFilterProxyModel(QtCore.QSortFilterProxyModel):
    """Filters by community, by text (编号、名称、四至) and hides retired grids unless asked;
    sorts numbers as numbers and Chinese text by pinyin."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._community_id: int | None = None
        self._text = ""
        self._show_retired = False
        self._collator = QtCore.QCollator(
            QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
        )
        self._collator.setNumericMode(True)
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortRole(SORT_ROLE)

    # ---------------------------------------------------------------- filter settings

    @property
    def community_id(self) -> int | None:
        return self._community_id

    @property
    def text(self) -> str:
        return self._text

    @property
    def show_retired(self) -> bool:
        return self._show_retired

    def set_community_id(self, community_id: int | None) -> None:
        if community_id != self._community_id:
            self.beginFilterChange()
            self._community_id = community_id
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        text = " ".join(text.split()).casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def set_show_retired(self, show: bool) -> None:
        if show != self._show_retired:
            self.beginFilterChange()
            self._show_retired = show
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def accepts(self, row: GridRow) -> bool:
        if row.retired_on is not None and not self._show_retired:
            return False
        if self._community_id is not None and row.community_id != self._community_id:
            return False
        if self._text:
            haystack = " ".join((row.code, row.name, row.boundary or "")).casefold()
            return all(word in haystack for word in self._text.split(" "))
        return True

    # ---------------------------------------------------------------- QSortFilterProxyModel

    def filterAcceptsRow(
        self, source_row: int, source_parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE) if model is not None else None
        return row is not None and self.accepts(row)

    def lessThan(
        self,
        left: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        right: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, str) and isinstance(b, str):
            order = self._collator.compare(a, b)
            if order == 0:  # ties: keep the grid codes in order
                return str(left.siblingAtColumn(0).data(SORT_ROLE)) < str(
                    right.siblingAtColumn(0).data(SORT_ROLE)
                )
            return order < 0
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return super().lessThan(left, right)
