"""The resident list (居民列表): ``ResidentTableModel`` holds only the ordered ids of the current search and
fetches their rows lazily, a page of 200 at a time, into a small LRU cache (like Anki's browser table).

Sorting is done by the query: ``sort()`` emits ``sort_requested(key, descending)`` and the page runs the
search again. The values shown for 身份证号 and 联系电话 come masked from the service.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import ClassVar

from desktop.services.residents import CareTierInfo, ResidentRow
from desktop.ui.marks import tier_dot
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui, Signal

#: the row's ``ResidentRow`` (fetched on demand)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole

CENTER = Qt.AlignmentFlag.AlignCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
INACTIVE_COLOUR = "#8a94a0"


def short_grid_name(grid_name: str, community_name: str) -> str:
    """新华社区第一网格 → 第一网格 next to a 社区 column that already says 新华社区."""
    rest = grid_name.removeprefix(community_name)
    return rest if rest and rest != grid_name else grid_name


class ResidentTableModel(ColumnTableModel[ResidentRow]):
    """One row per resident id; rows are fetched through ``fetch(ids)`` a page at a time."""

    NAME, GENDER, AGE, ID_NUMBER, PHONE, KIND, COMMUNITY, GRID, ADDRESS, RELATION, TAGS, TIER = range(12)
    PAGE_SIZE = 200
    CACHE_PAGES = 20  # 4,000 rows: a few screens either way of where the user is
    #: column → sort key of ``ResidentFilter.sort``; other columns are not sortable
    SORT_KEYS: ClassVar[dict[int, str]] = {
        NAME: "name",
        GENDER: "gender",
        AGE: "age",
        KIND: "residence_kind",
        COMMUNITY: "default",
        GRID: "grid",
        ADDRESS: "address",
        RELATION: "relation",
        TIER: "care_tier",
    }
    #: the roles a cell answers from its row (any other role is answered without fetching the row)
    ROW_ROLES = frozenset(
        {
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            ROW_ROLE,
        }
    )
    row_role = ROW_ROLE
    sort_role = Qt.ItemDataRole.UserRole + 2

    sort_requested = Signal(str, bool)  # key, descending

    def __init__(
        self, fetch: Callable[[Sequence[int]], list[ResidentRow]], parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(self._columns(), parent, row_foreground=_inactive_colour)
        self._fetch = fetch
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[ResidentRow | None]] = OrderedDict()
        self._tiers: dict[str, CareTierInfo] = {}
        self.fetch_count = 0  # pages fetched since the last reset (tests and the benchmark read it)

    def _columns(self) -> list[Column[ResidentRow]]:
        tr = self.tr
        masked = tr("脱敏显示；在居民详情中可凭事由查看完整信息（留痕）")

        def tier(r: ResidentRow) -> CareTierInfo | None:
            return self._tiers.get(r.care_tier)

        def tier_tooltip(r: ResidentRow) -> str | None:
            t = tier(r)
            if t is None:
                return None
            return tr("%1，每 %2 天走访一次").replace("%1", t.label).replace("%2", str(t.visit_days))

        return [
            Column(
                tr("姓名"),
                lambda r: r.name if r.status == "ACTIVE" else f"{r.name}（{r.status_label}）",
                tooltip=lambda r: None if r.status == "ACTIVE" else tr("状态：") + r.status_label,
            ),
            Column(tr("性别"), lambda r: r.gender, align=CENTER),
            Column(tr("年龄"), lambda r: r.age, align=CENTER),
            Column(tr("身份证号"), lambda r: r.id_number, header_tooltip=masked),
            Column(tr("联系电话"), lambda r: r.phone, header_tooltip=masked),
            Column(tr("户籍/流动"), lambda r: r.residence_kind_label, align=CENTER),
            Column(tr("社区"), lambda r: r.community_name),
            Column(
                tr("网格"),
                lambda r: short_grid_name(r.grid_name, r.community_name),
                tooltip=lambda r: r.grid_name or None,
            ),
            Column(tr("住址"), lambda r: r.address, tooltip=lambda r: r.address or None),
            Column(tr("与户主关系"), lambda r: r.relation_to_head),
            Column(tr("标签"), lambda r: "、".join(r.tags), tooltip=lambda r: "、".join(r.tags) or None),
            Column(
                tr("等级"),
                lambda r: t.label if (t := tier(r)) else r.care_tier,
                tooltip=tier_tooltip,
                decoration=lambda r: tier_dot(t.colour) if (t := tier(r)) else None,
            ),
        ]

    # ---------------------------------------------------------------- data in / out

    def set_ids(self, ids: Sequence[int], first_rows: Sequence[ResidentRow] | None = None) -> None:
        """A new search result. ``first_rows`` (fetched with it, off the GUI thread) seed the first page."""
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        self.fetch_count = 0
        if first_rows:
            self._store(0, list(first_rows))
        self.endResetModel()

    def set_tiers(self, tiers: Sequence[CareTierInfo]) -> None:
        self._tiers = {t.code: t for t in tiers}
        if self._ids:
            self.dataChanged.emit(self.index(0, self.TIER), self.index(len(self._ids) - 1, self.TIER))

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, resident_id: int) -> int:
        """The row showing ``resident_id``, or -1."""
        try:
            return self._ids.index(resident_id)
        except ValueError:
            return -1

    def row_count(self) -> int:
        return len(self._ids)

    def row_at(self, row: int) -> ResidentRow | None:
        """The (masked) row data of ``row``, fetching its page if needed."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load(page)
        else:
            self._pages.move_to_end(page)
        return rows[row % self.PAGE_SIZE]

    resident = row_at

    def refresh(self, resident_ids: Sequence[int] | None = None) -> None:
        """Forget cached rows (all, or the pages holding ``resident_ids``) so they are fetched again."""
        if resident_ids is None:
            self._pages.clear()
        else:
            wanted = set(resident_ids)
            for page in [p for p, rows in self._pages.items() if any(r and r.id in wanted for r in rows)]:
                del self._pages[page]
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _load(self, page: int) -> list[ResidentRow | None]:
        start = page * self.PAGE_SIZE
        ids = self._ids[start : start + self.PAGE_SIZE]
        self.fetch_count += 1
        return self._store(page, self._fetch(ids))

    def _store(self, page: int, fetched: list[ResidentRow]) -> list[ResidentRow | None]:
        start = page * self.PAGE_SIZE
        by_id = {r.id: r for r in fetched}
        rows: list[ResidentRow | None] = [by_id.get(i) for i in self._ids[start : start + self.PAGE_SIZE]]
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.CACHE_PAGES:
            self._pages.popitem(last=False)
        return rows

    # ---------------------------------------------------------------- QAbstractTableModel

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in self.ROW_ROLES:
            return None
        return super().data(index, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)


def _inactive_colour(r: ResidentRow) -> QtGui.QColor | None:
    return QtGui.QColor(INACTIVE_COLOUR) if r.status != "ACTIVE" else None
