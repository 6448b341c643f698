"""The community list on the grid page: “全部社区” first, then each community with its grid count.

Two columns (name, count) so a ``QTreeView`` can show the count right-aligned without a delegate.
The counts are computed from the grids the page has loaded, so they match what the table shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.services.structure import CommunityRow, GridRow
from desktop.ui.models.grid_table_model import muted_brush
from desktop.ui.qt import Qt, QtCore

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


NO_PARENT = QtCore.QModelIndex()


@dataclass(frozen=True)
class CommunityEntry:
    id: int | None  # None = 全部社区
    name: str
    grid_count: int
    retired: bool = False


class CommunityListModel(QtCore.QAbstractTableModel):
    NAME, COUNT = range(2)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._muted = muted_brush()
        self._entries: list[CommunityEntry] = []
        self._all_label = self.tr("全部社区")
        self._retired_suffix = self.tr("（已撤销）")

    def set_data(
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
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entries(self) -> list[CommunityEntry]:
        return list(self._entries)

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        """The community id of ``index``; None for 全部社区 (and for an invalid index)."""
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        return self._entries[index.row()].id

    def row_of(self, community_id: int | None) -> int:
        return next((i for i, e in enumerate(self._entries) if e.id == community_id), -1)

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(
        self,
        parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT,
    ) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return {self.NAME: self.tr("社区"), self.COUNT: self.tr("网格")}.get(section)
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
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, col = self._entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COUNT:
                return f"{entry.grid_count:,}"
            return entry.name + (self._retired_suffix if entry.retired else "")
        if role == Qt.ItemDataRole.UserRole:
            return entry.id if entry.id is not None else 0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col == self.COUNT else LEFT
        if role == Qt.ItemDataRole.ForegroundRole and (entry.retired or col == self.COUNT):
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{0}：{1} 个网格").format(entry.name, entry.grid_count)
        return None
