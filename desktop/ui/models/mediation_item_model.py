"""Small read-only tables of one case (parties, sessions, visits, the 卷宗 checklist …): rows of texts with an id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import QtCore, QtGui

LEVEL_COLOURS = {"red": "#fde2e1", "orange": "#fdebd3", "yellow": "#fdf6d3", "green": "#e3f3e6"}


Item = tuple[object, list[str], str]


class MediationItemTableModel(ColumnTableModel[Item]):
    """``set_rows(rows)`` with rows ``(id, [texts…], level)``; ``UserRole`` gives the id."""

    def __init__(self, headers: Sequence[str], parent: QtCore.QObject | None = None) -> None:
        def text(i: int) -> Callable[[Item], str]:
            return lambda r: r[1][i] if i < len(r[1]) else ""

        def background(r: Item) -> QtGui.QBrush | None:
            return QtGui.QBrush(QtGui.QColor(LEVEL_COLOURS[r[2]])) if r[2] in LEVEL_COLOURS else None

        columns = [Column(h, text(i), tooltip=text(i)) for i, h in enumerate(headers)]
        super().__init__(columns, parent, row_id=lambda r: r[0], row_background=background)

    def set_rows(self, rows: Iterable[tuple[object, Sequence[object], str]]) -> None:
        super().set_rows(
            (rid, ["" if v is None else str(v) for v in texts], level) for rid, texts, level in rows
        )

    def row_id(self, row: int) -> object:
        return self.id_at(row)
