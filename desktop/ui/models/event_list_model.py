"""The event list (网格事件): ``EventListModel`` knows the total of the current filter and fetches its rows a
page at a time (``list_events`` with ``limit``/``offset``) into a small LRU cache, so a street's year of
events (~90,000) scrolls without reading them all.

Lights are shown as a coloured dot *and* the words 红灯/黄灯/绿灯 (never colour alone).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from desktop.services.events import EventList, EventRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.models.resident_table_model import tier_dot
from desktop.ui.qt import Qt, QtCore, QtGui

LIGHT_COLOURS = {"red": "#c62828", "yellow": "#e0a800", "green": "#2e7d32"}
LIGHT_TEXT_COLOURS = {"red": "#b3261e", "yellow": "#8a6d00", "green": "#2e7d32"}
CENTER = Qt.AlignmentFlag.AlignCenter
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


def light_dot(light: str | None, size: int = 12) -> QtGui.QIcon | None:
    """The light as a filled circle (None for a closed event)."""
    return tier_dot(LIGHT_COLOURS[light], size) if light in LIGHT_COLOURS else None


def short_grid(name: str) -> str:
    """新华社区第一网格 → 第一网格 (the full name is the tooltip)."""
    _head, sep, rest = name.partition("社区")
    return rest if sep and rest else name


def light_text(row: EventRow) -> str:
    if row.light is None:
        return "—（已结案）" if row.closed_at is not None else "—"
    return row.light_label


def event_columns(tr: Callable[[str], str]) -> list[Column[EventRow]]:
    def lit_colour(r: EventRow) -> QtGui.QColor | None:
        return QtGui.QColor(LIGHT_TEXT_COLOURS[r.light]) if r.light in LIGHT_TEXT_COLOURS else None

    return [
        Column(tr("事件编号"), lambda r: r.event_no, width=118),
        Column(
            tr("灯"), light_text, decoration=lambda r: light_dot(r.light), foreground=lit_colour, width=74
        ),
        Column(
            tr("状态"),
            lambda r: r.state_label + ("（延期待批）" if r.extension_pending else ""),
            width=84,
        ),
        Column(tr("来源"), lambda r: r.source, width=92),
        Column(
            tr("类别"),
            lambda r: r.category + (f"/{r.subcategory}" if r.subcategory else ""),
            tooltip=lambda r: r.category + (f" / {r.subcategory}" if r.subcategory else ""),
            width=150,
        ),
        Column(
            tr("紧急程度"),
            lambda r: r.urgency_label,
            align=CENTER,
            foreground=lambda r: QtGui.QColor("#b3261e") if r.urgency == "URGENT" else None,
            width=64,
        ),
        Column(
            tr("网格"),
            lambda r: short_grid(r.grid_name),
            tooltip=lambda r: f"{r.grid_code} {r.grid_name}",
            width=96,
        ),
        Column(tr("责任部门"), lambda r: r.department or "", width=110),
        Column(tr("上报时间"), lambda r: f"{r.received_at:%Y-%m-%d %H:%M}", width=124),
        Column(tr("时限"), lambda r: r.deadline_text, tooltip=lambda r: r.place, width=150),
    ]


class EventListModel(ColumnTableModel[EventRow]):
    """Rows of the current filter, fetched by ``fetch(offset, limit)`` a page at a time."""

    EVENT_NO, LIGHT, STATE, SOURCE, CATEGORY, URGENCY, GRID, DEPARTMENT, RECEIVED, DEADLINE = range(10)
    PAGE_SIZE = 200
    CACHE_PAGES = 15
    row_role = ROW_ROLE

    def __init__(self, fetch: Callable[[int, int], EventList], parent: QtCore.QObject | None = None) -> None:
        super().__init__(event_columns(self.tr), parent)
        self._fetch = fetch
        self._total = 0
        self._pages: OrderedDict[int, list[EventRow]] = OrderedDict()
        self.fetch_count = 0  # pages fetched since the last reset (tests read it)

    def set_result(self, first: EventList) -> None:
        """A new filter's first page (fetched off the GUI thread) and its total."""
        self.beginResetModel()
        self._total = first.total
        self._pages.clear()
        self.fetch_count = 0
        self._pages[0] = list(first.rows)
        self.endResetModel()

    def set_fetch(self, fetch: Callable[[int, int], EventList]) -> None:
        self._fetch = fetch

    def row_count(self) -> int:
        return self._total

    def row_at(self, row: int) -> EventRow | None:
        if not 0 <= row < self._total:
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            self.fetch_count += 1
            rows = list(self._fetch(page * self.PAGE_SIZE, self.PAGE_SIZE).rows)
            self._pages[page] = rows
            while len(self._pages) > self.CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        i = row % self.PAGE_SIZE
        return rows[i] if i < len(rows) else None

    def row_id(self, row: int) -> int | None:
        r = self.row_at(row)
        return r.id if r is not None else None

    def row_of(self, event_id: int) -> int:
        """The row showing ``event_id`` among the pages already fetched, or -1."""
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == event_id:
                    return page * self.PAGE_SIZE + i
        return -1

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role == Qt.ItemDataRole.UserRole and index.isValid():
            return self.row_id(index.row())
        return super().data(index, role)
