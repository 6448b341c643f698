"""Reading events: the filtered list with lights, today's red and yellow events, the 督办 list, the
department ledger.

Lights are computed at a moment (``as_of``, default now) from the stored end and closed time: SQL narrows
the rows (an open event is red when its end has passed; yellow ones end before the next working day is
over, or are hour-limited), Python gives each its light with one :class:`LightMeter`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from db.schema.events import EventStep, GridEvent
from db.schema.structure import Community, Grid
from desktop.core.errors import ValidationError
from desktop.domain.accounts import EVENTS
from desktop.domain.events import (
    DEPARTMENT_STATES,
    LIGHT_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    LightMeter,
    format_end,
)
from desktop.domain.text import clean_text, grid_label
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.judicial.common import load_calendar

LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}


@dataclass(frozen=True)
class EventFilter:
    grid_id: int | None = None
    community_id: int | None = None
    source: str | None = None
    category: str | None = None
    department: str | None = None
    light: str | None = None  # red | yellow | green | none (closed)
    state: str | None = None  # a state code, or "open" / "closed"
    urgency: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str | None = None  # in the number, place, description or reporter
    extended: bool | None = None  # only events with an approved extension (True) or without (False)


@dataclass(frozen=True)
class EventRow:
    id: int
    event_no: str
    source: str
    category: str
    subcategory: str | None
    urgency: str
    grid_id: int
    grid_code: str
    grid_name: str
    place: str
    received_at: dt.datetime
    deadline: dt.datetime
    state: str
    department: str | None
    light: str | None
    extended_days: int
    extension_pending: bool
    closed_at: dt.datetime | None
    version: int
    #: the grid as the list shows it: 第一网格, or 新华社区·第一网格 when the list spans communities
    grid_label: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, self.urgency)

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS.get(self.light or "", "")

    @property
    def deadline_text(self) -> str:
        return format_end(self.deadline) + ("（已延期）" if self.extended_days else "")

    @property
    def extended(self) -> bool:
        return self.extended_days > 0

    def to_json(self) -> dict[str, Any]:
        """The keys of ``shequ events list --json`` (ISO 8601 local times): codes for urgency (NORMAL/URGENT),
        state (REPORTED … CLOSED) and light (red/yellow/green, null once closed), each code with its Chinese
        ``…_label`` beside it; source and category are dictionary entries, their code is their name."""
        return {
            "event_no": self.event_no,
            "source": self.source,
            "category": self.category,
            "subcategory": self.subcategory,
            "urgency": self.urgency,
            "urgency_label": self.urgency_label,
            "grid_code": self.grid_code,
            "received_at": self.received_at.isoformat(timespec="minutes"),
            "deadline": self.deadline.isoformat(timespec="minutes"),
            "light": self.light,
            "state": self.state,
            "state_label": self.state_label,
            "department": self.department,
            "extended_days": self.extended_days,
            "closed_at": self.closed_at.isoformat(timespec="minutes") if self.closed_at else None,
        }


@dataclass(frozen=True)
class EventList:
    rows: list[EventRow]
    total: int  # before limit/offset
    as_of: dt.datetime
    lights: dict[str, int] = field(default_factory=dict)  # red/yellow/green counts among the matches


_COLUMNS = (
    GridEvent.id,
    GridEvent.event_no,
    GridEvent.source,
    GridEvent.category,
    GridEvent.subcategory,
    GridEvent.urgency,
    GridEvent.grid_id,
    Grid.code,
    Grid.name,
    GridEvent.place,
    GridEvent.received_at,
    GridEvent.deadline,
    GridEvent.state,
    GridEvent.department,
    GridEvent.extended_days,
    GridEvent.extension_pending,
    GridEvent.closed_at,
    GridEvent.version,
    GridEvent.limit_unit,
    GridEvent.limit_amount,
)


def _is_open(as_of: dt.datetime) -> ColumnElement[bool]:
    return or_(GridEvent.closed_at.is_(None), GridEvent.closed_at > as_of)


def _where(f: EventFilter, as_of: dt.datetime, horizon: dt.datetime) -> list[ColumnElement[bool]]:
    w: list[ColumnElement[bool]] = []
    if f.grid_id is not None:
        w.append(GridEvent.grid_id == f.grid_id)
    if f.community_id is not None:
        w.append(GridEvent.grid_id.in_(select(Grid.id).where(Grid.community_id == f.community_id)))
    for value, col in ((f.source, GridEvent.source), (f.category, GridEvent.category)):
        if clean_text(value):
            w.append(col == clean_text(value))
    if clean_text(f.department):
        w.append(GridEvent.department == clean_text(f.department))
    if f.urgency:
        w.append(GridEvent.urgency == f.urgency)
    if f.state == "open":
        w.append(_is_open(as_of))
    elif f.state == "closed":
        w.append(GridEvent.closed_at <= as_of)
    elif f.state:
        if f.state not in STATE_LABELS:
            raise ValidationError(f"未知的事件状态“{f.state}”。", field="state")
        w.append(GridEvent.state == f.state)
    if f.received_from:
        w.append(GridEvent.received_at >= dt.datetime.combine(f.received_from, dt.time()))
    if f.received_to:
        w.append(GridEvent.received_at < dt.datetime.combine(f.received_to + dt.timedelta(days=1), dt.time()))
    if f.extended is not None:
        w.append(GridEvent.extended_days > 0 if f.extended else GridEvent.extended_days == 0)
    text = clean_text(f.text)
    if text:
        like = f"%{text}%"
        w.append(
            or_(
                GridEvent.event_no.like(like),
                GridEvent.place.like(like),
                GridEvent.description.like(like),
                GridEvent.reporter_name.like(like),
            )
        )
    if f.light == "red":
        w += [_is_open(as_of), GridEvent.deadline <= as_of]
    elif f.light == "yellow":
        hourly = and_(GridEvent.limit_unit == "HOUR", GridEvent.extended_days == 0)
        w += [_is_open(as_of), GridEvent.deadline > as_of, or_(hourly, GridEvent.deadline <= horizon)]
    elif f.light == "green":
        w += [_is_open(as_of), GridEvent.deadline > as_of]
    elif f.light == "none":
        w.append(GridEvent.closed_at <= as_of)
    elif f.light:
        raise ValidationError("亮灯应为红灯、黄灯或绿灯。", field="light")
    return w


def _query(f: EventFilter, as_of: dt.datetime, horizon: dt.datetime) -> Any:  # a Select of _COLUMNS
    return select(*_COLUMNS).join(Grid, Grid.id == GridEvent.grid_id).where(*_where(f, as_of, horizon))


def _grid_labels(s: Session, f: EventFilter) -> dict[int, str]:
    """Grid id → its label in a list of ``f``'s matches: with the community when the list can span more than
    one (no grid or community chosen, and the street has several)."""
    grids = s.execute(
        select(Grid.id, Grid.name, Community.name).join(Community, Community.id == Grid.community_id)
    ).all()
    many = f.grid_id is None and f.community_id is None and len({c for _g, _n, c in grids}) > 1
    return {gid: grid_label(name, community if many else "") for gid, name, community in grids}


def _rows(s: Session, q: Any, meter: LightMeter, labels: dict[int, str]) -> list[EventRow]:
    out = []
    for r in s.connection().execute(q):  # Core rows: no ORM loading for a few thousand tuples
        closed = r.closed_at is not None and r.closed_at <= meter.as_of
        hours = r.limit_amount if r.limit_unit == "HOUR" and not r.extended_days else None
        out.append(
            EventRow(
                r.id,
                r.event_no,
                r.source,
                r.category,
                r.subcategory,
                r.urgency,
                r.grid_id,
                r.code,
                r.name,
                r.place,
                r.received_at,
                r.deadline,
                r.state,
                r.department,
                meter(r.deadline, closed=closed, hours=hours),
                r.extended_days,
                r.extension_pending,
                r.closed_at,
                r.version,
                labels.get(r.grid_id, r.name),
            )
        )
    return out


def _lights(
    s: Session, where: list[ColumnElement[bool]], meter: LightMeter
) -> Iterator[tuple[int, dt.datetime, str | None]]:
    """(id, end, light) of each open match, read from the few columns the lights need (no whole rows)."""
    cols = (
        GridEvent.id,
        GridEvent.deadline,
        GridEvent.limit_unit,
        GridEvent.limit_amount,
        GridEvent.extended_days,
    )
    for event_id, end, unit, amount, extended in s.connection().execute(
        select(*cols).where(*where, _is_open(meter.as_of))
    ):
        yield event_id, end, meter(end, hours=amount if unit == "HOUR" and not extended else None)


def _light_counts(s: Session, where: list[ColumnElement[bool]], meter: LightMeter) -> dict[str, int]:
    """Red/yellow/green counts of the open matches."""
    counts = Counter(light for _id, _end, light in _lights(s, where, meter))
    return {k: v for k, v in counts.items() if k}


#: where a page read newest first begins: the (received_at, id) of the last row of the page before it
Cursor = tuple[dt.datetime, int]


def page_query(
    f: EventFilter,
    as_of: dt.datetime,
    horizon: dt.datetime,
    *,
    after: Cursor | None,
    limit: int | None,
    scope: ColumnElement[bool] | None = None,
) -> Any:  # a Select of _COLUMNS
    """The SQL of a page read newest first: after ``after`` by keyset (an index range, however deep the
    page), else from the start; ``scope`` limits it to the account's grids."""
    q = _query(f, as_of, horizon)
    if scope is not None:
        q = q.where(scope)
    if after is not None:
        # a row value: SQLite and PostgreSQL seek the (received_at) index to it (an OR of the two tests
        # would scan the index from the top)
        q = q.where(tuple_(GridEvent.received_at, GridEvent.id) < tuple_(*after))
    q = q.order_by(GridEvent.received_at.desc(), GridEvent.id.desc())
    return q if limit is None else q.limit(limit)


def list_events(
    ctx: ServiceContext,
    f: EventFilter | None = None,
    *,
    as_of: dt.datetime | None = None,
    order: str = "received",
    limit: int | None = None,
    offset: int = 0,
    after: Cursor | None = None,
    totals: bool = True,
) -> EventList:
    """The events matching ``f`` with their lights at ``as_of``; ``order`` ``received`` (newest first) or
    ``urgency`` (open ones red, yellow, green, the soonest end first; then the closed ones, newest first).

    Newest first, a page comes straight from SQL, with the total and the light counts of the open matches
    alongside (``totals=False``: not counted, ``total`` is -1 — for later pages of a list whose total is
    known). ``after`` (the received time and id of the previous page's last row) reads the page by keyset
    and ``offset`` is then ignored; without it a deep ``offset`` is found on the received-time index alone
    and the page is read by keyset from there. By light or by urgency, the open matches (a few thousand even
    at street scale) are read whole and ordered here; closed ones follow a page at a time."""
    require(ctx, EVENTS)
    f = f or EventFilter()
    as_of = as_of or ctx.now()
    if order not in ("received", "urgency"):
        raise ValueError(f"unknown order {order!r}")
    newest = (GridEvent.received_at.desc(), GridEvent.id.desc())
    stop = None if limit is None else offset + limit
    with ctx.read() as s:
        meter = LightMeter(as_of, load_calendar(s))
        labels = _grid_labels(s, f)
        where = _where(f, as_of, meter.horizon)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        in_scope = None if scope is None else scope.grid_condition(GridEvent.grid_id)
        if in_scope is not None:
            where.append(in_scope)
        base = select(*_COLUMNS).join(Grid, Grid.id == GridEvent.grid_id).where(*where)
        lit = f.light in ("red", "yellow", "green")
        if order == "received" and not lit and f.state != "open":
            total, counts = -1, {}
            if totals:
                total = int(s.scalar(select(func.count()).select_from(GridEvent).where(*where)) or 0)
                counts = {} if f.light == "none" else _light_counts(s, where, meter)
            if after is None and offset > 0:
                after = _cursor_at(s, where, offset)
                if after is None:
                    return EventList([], total, as_of, counts)
            q = page_query(f, as_of, meter.horizon, after=after, limit=limit, scope=in_scope)
            return EventList(_rows(s, q, meter, labels), total, as_of, counts)
        opened = [] if f.light == "none" else _rows(s, base.where(_is_open(as_of)), meter, labels)
        open_matches = len(opened)
        if lit:
            opened = [r for r in opened if r.light == f.light]
        counts = dict(Counter(r.light for r in opened if r.light))
        if order == "urgency":
            opened.sort(key=lambda r: (LIGHT_ORDER[r.light], r.deadline, -r.id))
        else:
            opened.sort(key=lambda r: (r.received_at, r.id), reverse=True)
        page = opened[offset:stop]
        total = len(opened)
        if not lit and f.state != "open":  # every match is open or closed: count all (no join), less the open
            total += (
                int(s.scalar(select(func.count()).select_from(GridEvent).where(*where)) or 0) - open_matches
            )
            if stop is None or stop > len(opened):
                q = (
                    base.where(GridEvent.closed_at <= as_of)
                    .order_by(*newest)
                    .offset(max(0, offset - len(opened)))
                )
                page += _rows(
                    s, q if stop is None else q.limit(stop - max(offset, len(opened))), meter, labels
                )
    return EventList(page, total, as_of, counts)


def _cursor_at(s: Session, where: list[ColumnElement[bool]], offset: int) -> Cursor | None:
    """The (received_at, id) of the row just before ``offset`` newest first, read on the (received_at) index
    — the index holds the id — without touching the rows before it; None past the end."""
    got = s.execute(
        select(GridEvent.received_at, GridEvent.id)
        .where(*where)
        .order_by(GridEvent.received_at.desc(), GridEvent.id.desc())
        .offset(offset - 1)
        .limit(1)
    ).first()
    return None if got is None else (got[0], got[1])


@dataclass(frozen=True)
class TodaysAlerts:
    """The 工作台's lit events: the first ones, the most urgent first, and how many of each light there are."""

    rows: list[EventRow]
    red: int
    yellow: int

    @property
    def total(self) -> int:
        return self.red + self.yellow


def todays_alerts(ctx: ServiceContext, *, as_of: dt.datetime | None = None, listed: int = 50) -> TodaysAlerts:
    """工作台: the open events that are red or yellow now — the first ``listed``, red first, the soonest end
    first — and the count of each light. The lights are read from the few columns they need; whole rows only
    for the events listed (a street can have a thousand red ones)."""
    as_of = as_of or ctx.now()
    with ctx.read() as s:
        meter = LightMeter(as_of, load_calendar(s))
        hourly = and_(GridEvent.limit_unit == "HOUR", GridEvent.extended_days == 0)
        where = [or_(GridEvent.deadline <= meter.horizon, hourly)]
        scope = resident_scope(ctx)  # 工作台 of a 网格员: their grids' alerts only
        if scope is not None:
            where.append(scope.grid_condition(GridEvent.grid_id))
        lit = sorted(
            (LIGHT_ORDER[light], end, event_id)
            for event_id, end, light in _lights(s, where, meter)
            if light in ("red", "yellow")
        )
        ids = [event_id for _order, _end, event_id in lit[: max(listed, 0)]]
        found: dict[int, EventRow] = {}
        if ids:
            q = _query(EventFilter(), as_of, meter.horizon).where(GridEvent.id.in_(ids))
            found = {r.id: r for r in _rows(s, q, meter, _grid_labels(s, EventFilter()))}
    red = sum(1 for order, _end, _id in lit if order == LIGHT_ORDER["red"])
    return TodaysAlerts([found[i] for i in ids if i in found], red, len(lit) - red)


@dataclass(frozen=True)
class SupervisionRow:
    event: EventRow
    supervised: int  # 督办 records so far
    last_at: dt.datetime | None
    last_demand: str | None


def supervision_list(ctx: ServiceContext, *, as_of: dt.datetime | None = None) -> list[SupervisionRow]:
    """督办 list: the red events with their 督办 records so far, the most overdue first."""
    require(ctx, EVENTS)
    red = list_events(ctx, EventFilter(light="red"), as_of=as_of, order="urgency").rows
    if not red:
        return []
    with ctx.read() as s:
        steps = s.execute(
            select(EventStep.event_id, EventStep.at, EventStep.note)
            .where(EventStep.kind == "SUPERVISE", EventStep.event_id.in_([r.id for r in red]))
            .order_by(EventStep.id)
        ).all()
    by_event: dict[int, list[tuple[dt.datetime, str | None]]] = {}
    for st in steps:
        by_event.setdefault(st.event_id, []).append((st.at, st.note))
    out = []
    for r in red:
        done = by_event.get(r.id, [])
        out.append(SupervisionRow(r, len(done), done[-1][0] if done else None, done[-1][1] if done else None))
    return out


@dataclass(frozen=True)
class DepartmentLine:
    department: str
    received: int  # events handed to it (吹哨 or 派单) in the period
    open: int  # held by it now
    overdue: int  # held by it now and red
    ratings: dict[str, int]  # SATISFIED/BASIC/UNSATISFIED → count, for events closed in the period

    @property
    def satisfaction(self) -> float | None:
        """(满意 + 基本满意) ÷ rated, None when nothing was rated."""
        rated = sum(self.ratings.values())
        return (
            None if not rated else (self.ratings.get("SATISFIED", 0) + self.ratings.get("BASIC", 0)) / rated
        )


def department_ledger(
    ctx: ServiceContext, start: dt.date, end: dt.date, *, as_of: dt.datetime | None = None
) -> list[DepartmentLine]:
    """Per department: orders received between ``start`` and ``end`` (inclusive), open and overdue now,
    ratings of the events closed in that period."""
    require(ctx, EVENTS)
    as_of = as_of or ctx.now()
    lo, hi = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    held = list_events(ctx, EventFilter(state="open"), as_of=as_of).rows
    with ctx.read() as s:
        received = dict(
            s.execute(
                select(EventStep.department, func.count(func.distinct(EventStep.event_id)))
                .where(EventStep.kind.in_(("WHISTLE", "DISPATCH")), EventStep.at >= lo, EventStep.at < hi)
                .group_by(EventStep.department)
            ).all()
        )
        rated = s.execute(
            select(EventStep.department, EventStep.rating, func.count())
            .join(GridEvent, GridEvent.id == EventStep.event_id)
            .where(EventStep.kind == "RATE", GridEvent.closed_at >= lo, GridEvent.closed_at < hi)
            .group_by(EventStep.department, EventStep.rating)
        ).all()
    ratings: dict[str, Counter[str]] = {}
    for dept, rating, n in rated:
        ratings.setdefault(dept or "", Counter())[rating or ""] += n
    names = {d for d in received if d} | {
        r.department for r in held if r.department and r.state in DEPARTMENT_STATES
    }
    names |= set(ratings) - {""}
    lines = []
    for name in sorted(names):
        mine = [r for r in held if r.department == name and r.state in DEPARTMENT_STATES]
        lines.append(
            DepartmentLine(
                name,
                int(received.get(name, 0)),
                len(mine),
                sum(1 for r in mine if r.light == "red"),
                dict(ratings.get(name, Counter())),
            )
        )
    return lines
