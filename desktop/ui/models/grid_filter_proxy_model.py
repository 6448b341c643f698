"""The grid list's proxy: filters the grids by community, text and retirement and sorts them (numbers as
numbers, Chinese text by pinyin through the one column sort proxy)."""

from __future__ import annotations

from desktop.services.structure import GridRow
from desktop.ui.models.column_sort_proxy_model import ColumnSortProxyModel
from desktop.ui.models.grid_table_model import ROW_ROLE, GridTableModel
from desktop.ui.qt import QtCore


class GridFilterProxyModel(ColumnSortProxyModel):
    """Filters by community, by text (编号、名称、四至) and hides retired grids unless asked;
    sorts numbers as numbers and Chinese text by pinyin."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent, case_sensitive=False, tie_column=GridTableModel.CODE)
        self._community_id: int | None = None
        self._text = ""
        self._show_retired = False

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
