"""The community list on the grid page: “全部社区” first, then each community with its grid count.

Two columns (name, count) so a ``QTreeView`` can show the count right-aligned without a delegate.
The counts are computed from the grids the page has loaded, so they match what the table shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.services.structure import CommunityRow, GridRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.models.grid_table_model import muted_brush
from desktop.ui.qt import Qt, QtCore

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class CommunityEntry:
    id: int | None  # None = 全部社区
    name: str
    grid_count: int
    retired: bool = False


class CommunityListModel(ColumnTableModel[CommunityEntry]):
    NAME, COUNT = range(2)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        tr = self.tr
        muted = muted_brush()
        self._all_label = tr("全部社区")
        retired_suffix = tr("（已撤销）")
        super().__init__(
            [
                Column(
                    tr("社区"),
                    lambda e: e.name + (retired_suffix if e.retired else ""),
                    align=LEFT,
                    foreground=lambda e: muted if e.retired else None,
                ),
                Column(
                    tr("网格"),
                    lambda e: e.grid_count,
                    lambda n: f"{n:,}",
                    align=RIGHT,
                    foreground=lambda e: muted,
                ),
            ],
            parent,
            row_id=lambda e: e.id if e.id is not None else 0,
            row_tooltip=lambda e: tr("{0}：{1} 个网格").format(e.name, e.grid_count),
        )

    def set_data(  # not QAbstractItemModel.setData
        self, communities: Iterable[CommunityRow], grids: Iterable[GridRow], show_retired: bool = False
    ) -> None:
        """Rebuild the list; retired communities appear only with ``show_retired``."""
        grids = [g for g in grids if show_retired or g.retired_on is None]
        counts = Counter(g.community_id for g in grids)
        entries = [CommunityEntry(None, self._all_label, len(grids))]
        entries += [
            CommunityEntry(c.id, c.name, counts.get(c.id, 0), c.retired_on is not None)
            for c in communities
            if show_retired or c.retired_on is None
        ]
        self.set_rows(entries)

    def entries(self) -> list[CommunityEntry]:
        return self.rows()

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        """The community id of ``index``; None for 全部社区 (and for an invalid index)."""
        entry = self.row_at(index.row()) if index.isValid() else None
        return None if entry is None else entry.id

    def row_of(self, community_id: int | None) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == community_id), -1)
