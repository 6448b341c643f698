"""The one sorting proxy over a :class:`ColumnTableModel`: numbers (dates as ordinals) by value, Chinese
text by 拼音 through ``QCollator(zh_CN)`` (numbers inside text in numeric order)."""

from __future__ import annotations

from desktop.ui.models.column_table_model import DEFAULT_SORT_ROLE
from desktop.ui.qt import Qt, QtCore


class ColumnSortProxyModel(QtCore.QSortFilterProxyModel):
    """Sorts by the source's ``SORT_ROLE`` (the columns' ``sort_key``).

    ``tie_column``: rows whose texts compare equal are ordered by that column's sort value (the grid
    list keeps its codes in order); otherwise equal rows keep the source order.
    """

    def __init__(
        self,
        parent: QtCore.QObject | None = None,
        *,
        case_sensitive: bool = True,
        tie_column: int | None = None,
        sort_role: int = DEFAULT_SORT_ROLE,
    ) -> None:
        super().__init__(parent)
        self.setSortRole(sort_role)
        self._tie_column = tie_column
        self._collator = QtCore.QCollator(
            QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
        )
        self._collator.setNumericMode(True)
        if not case_sensitive:
            self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(
        self,
        left: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        right: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> bool:
        role = self.sortRole()
        a, b = left.data(role), right.data(role)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        order = self._collator.compare(str(a or ""), str(b or ""))
        if order == 0 and self._tie_column is not None:
            return str(left.siblingAtColumn(self._tie_column).data(role)) < str(
                right.siblingAtColumn(self._tie_column).data(role)
            )
        return order < 0
