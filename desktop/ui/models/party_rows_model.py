"""The 党建 lists (members, who is due for which step, arrears, meeting status, meetings, posts, payments,
history): a :class:`ColumnTableModel` that sorts itself (Python's sort, names by 拼音 through the initials
the services provide) and greys muted rows; :func:`rows_view` gives it a view in the house look."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

R = TypeVar("R")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MUTED_COLOUR = "#8a94a0"


def party_column(
    header: str,
    text: Callable[[R], object],
    align: Qt.AlignmentFlag = LEFT,
    width: int = 90,
    sort_key: Callable[[R], Any] | None = None,
    colour: Callable[[R], str | None] | None = None,
    tooltip: Callable[[R], str | None] | None = None,
    *,
    priority: int = 1,
    elide: Qt.TextElideMode | None = None,
) -> Column[R]:
    """A column of a 党建 list; ``colour`` gives a text colour name (or None) per row; ``priority`` and
    ``elide`` as in :class:`Column` (which columns a narrow window hides first, how long names shorten)."""

    def foreground(row: R) -> QtGui.QColor | None:
        name = colour(row) if colour is not None else None
        return QtGui.QColor(name) if name else None

    return Column(
        header,
        text,
        align=int(align),
        width=width,
        sort_key=sort_key,
        foreground=foreground if colour is not None else None,
        tooltip=tooltip,
        priority=priority,
        elide=elide,
    )


class PartyRowsTableModel(ColumnTableModel[R]):
    row_role = ROW_ROLE
    sort_role = Qt.ItemDataRole.UserRole + 2

    def __init__(self, columns: Sequence[Column[R]], parent: QtCore.QObject | None = None) -> None:
        super().__init__(columns, parent, numbered_rows=True, sorts_rows=True)

    def set_muted(self, muted: Callable[[R], bool]) -> None:
        """Rows for which ``muted`` is true are shown grey (transferred out, retired …)."""
        self.row_foreground = lambda r: QtGui.QColor(MUTED_COLOUR) if muted(r) else None

    def row(self, row: int) -> R | None:  # QObject has no row(); the tabs call it
        return self.row_at(row)


def rows_view(
    columns: Sequence[Column],
    parent: QtWidgets.QWidget | None = None,
    sortable: bool = False,
) -> tuple[QtWidgets.QTableView, PartyRowsTableModel]:
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
