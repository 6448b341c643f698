"""The event list (网格事件): ``EventListModel`` knows the total of the current filter and fetches its rows a
page at a time into a small LRU cache, so a street's year of events (~90,000) scrolls without reading them
all. A page whose predecessor has been read is fetched by keyset (after that page's last row), so scrolling
deep costs what the first page costs; a jump far down finds its start on the received-time index.

Lights are shown as a coloured dot *and* the words 红灯/黄灯/绿灯 (never colour alone).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable

from desktop.services.events import EventList, EventRow
from desktop.ui.marks import LIGHT_TEXT_COLOURS, light_dot, short_grid
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui

CENTER = Qt.AlignmentFlag.AlignCenter
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


def light_text(row: EventRow) -> str:
    if row.light is None:
        return "—（已结案）" if row.closed_at is not None else "—"
    return row.light_label


def event_columns(tr: Callable[[str], str]) -> list[Column[EventRow]]:
    def lit_colour(r: EventRow) -> QtGui.QColor | None:
        return QtGui.QColor(LIGHT_TEXT_COLOURS[r.light]) if r.light in LIGHT_TEXT_COLOURS else None

    return [
        Column(tr("事件编号"), lambda r: r.event_no, width=118, priority=0),
        Column(
            tr("灯"),
            light_text,
            decoration=lambda r: light_dot(r.light),
            foreground=lit_colour,
            width=104,
            priority=0,
        ),
        Column(
            tr("状态"),
            lambda r: r.state_label + ("（延期待批）" if r.extension_pending else ""),
            width=84,
            priority=0,
        ),
        Column(tr("来源"), lambda r: r.source, width=86, priority=3),
        Column(
            tr("类别"),
            lambda r: r.category + (f"/{r.subcategory}" if r.subcategory else ""),
            tooltip=lambda r: r.category + (f" / {r.subcategory}" if r.subcategory else ""),
            width=132,
        ),
        Column(
            tr("紧急程度"),
            lambda r: r.urgency_label,
            align=CENTER,
            foreground=lambda r: QtGui.QColor("#b3261e") if r.urgency == "URGENT" else None,
            width=64,
            priority=2,
        ),
        Column(
            tr("网格"),
            lambda r: r.grid_label or short_grid(r.grid_name),
            tooltip=lambda r: f"{r.grid_code} {r.grid_name}",
            width=150,
        ),
        Column(tr("责任部门"), lambda r: r.department or "", width=110, priority=2),
        Column(tr("上报时间"), lambda r: f"{r.received_at:%Y-%m-%d %H:%M}", width=124, priority=3),
        Column(tr("时限"), lambda r: r.deadline_text, tooltip=lambda r: r.place, width=128, priority=0),
    ]


class EventListModel(ColumnTableModel[EventRow]):
    """Rows of the current filter, fetched by ``fetch(offset, limit)`` a page at a time.

    Painting never waits for the database: a cell of a page not yet read shows "载入中…" and the page is read
    off the GUI thread (an OFFSET deep into a year of events takes a few hundred ms); :meth:`row_at`, for
    code that needs the row itself (opening a card), reads it at once."""

    EVENT_NO, LIGHT, STATE, SOURCE, CATEGORY, URGENCY, GRID, DEPARTMENT, RECEIVED, DEADLINE = range(10)
    PAGE_SIZE = 200
    CACHE_PAGES = 15
    LOADING = "载入中…"
    row_role = ROW_ROLE

    def __init__(
        self,
        fetch: Callable[[int, int, tuple[dt.datetime, int] | None], EventList],
        parent: QtCore.QObject | None = None,
        *,
        background: bool = True,
    ) -> None:
        super().__init__(event_columns(self.tr), parent)
        self._fetch = fetch
        self._total = 0
        self._pages: OrderedDict[int, list[EventRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self.background = background
        self.fetch_count = 0  # pages fetched since the last reset (tests read it)

    def set_result(self, first: EventList) -> None:
        """A new filter's first page (fetched off the GUI thread) and its total."""
        self.beginResetModel()
        self._generation += 1
        self._total = first.total
        self._pages.clear()
        self._pending.clear()
        self.fetch_count = 0
        self._pages[0] = list(first.rows)
        self.endResetModel()

    def row_count(self) -> int:
        return self._total

    def _store(self, page: int, rows: list[EventRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.CACHE_PAGES:
            self._pages.popitem(last=False)

    def cached(self, row: int) -> EventRow | None:
        """The row if its page has been read, else None (and the page is asked for, off the GUI thread)."""
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if not self.background:
                return self.row_at(row)
            self._request(page)
            return None
        i = row % self.PAGE_SIZE
        return rows[i] if i < len(rows) else None

    def _after(self, page: int) -> tuple[dt.datetime, int] | None:
        """Where ``page`` begins when the page before it has been read (its last row's received time and
        id): the page is then read by keyset, as cheap deep in a year of events as at the top."""
        before = self._pages.get(page - 1) if page else None
        if not before or len(before) < self.PAGE_SIZE:
            return None
        return before[-1].received_at, before[-1].id

    def _request(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation, fetch, size, after = self._generation, self._fetch, self.PAGE_SIZE, self._after(page)
        from desktop.ui.tasks import run_in_background

        def done(result: EventList) -> None:
            if generation != self._generation:
                return  # a newer result replaced the one this page belonged to
            self._pending.discard(page)
            self.fetch_count += 1
            self._store(page, list(result.rows))
            first, last = page * size, min(self._total, (page + 1) * size) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

        def failed(_exc: BaseException) -> None:
            if generation == self._generation:
                self._pending.discard(page)  # asked again when next painted

        run_in_background(lambda _p: fetch(page * size, size, after), done, failed)

    def row_at(self, row: int) -> EventRow | None:
        if not 0 <= row < self._total:
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            self.fetch_count += 1
            rows = list(self._fetch(page * self.PAGE_SIZE, self.PAGE_SIZE, self._after(page)).rows)
            self._store(page, rows)
        else:
            self._pages.move_to_end(page)
        i = row % self.PAGE_SIZE
        return rows[i] if i < len(rows) else None

    def row_id(self, row: int) -> int | None:
        r = self.row_at(row)
        return r.id if r is not None else None

    def row_of(self, event_id: int) -> int:
        """The row showing ``event_id`` among the pages already read, or -1."""
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
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return super().data(index, role)
        row = self.cached(index.row())
        if row is None:
            loading = role == Qt.ItemDataRole.DisplayRole and index.column() == 0
            return self.tr(self.LOADING) if loading else None
        col = self.column(index.column())
        return None if col is None else self.cell_data(row, col, role)
