"""今日应走访 and the visit rate, for a grid, a grid worker or the whole street, in a few queries.

The register is read once (active residents with tier, grid and household; their special-group tags; the
tier changes; the visit dates since the look-back window), then each resident's state is worked out in
Python with period keys (``desktop.domain.visits``): a resident whose tier never changed — nearly all —
takes a handful of dictionary look-ups, one with a tier history goes through ``due_state``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from typing import cast as cast_type

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    case,
    cast,
    distinct,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentEvent, ResidentEventKind, ResidentStatus, ResidentTag
from db.schema.structure import Grid, GridRole, GridStaff
from db.schema.visits import VisitMember
from desktop.core.errors import ValidationError
from desktop.domain import visits as rules
from desktop.domain.identity import mask_id_number
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext
from desktop.services.visits.config import Frequencies, load_frequencies

#: missed periods are counted over the periods that ended in about the last three months
LOOKBACK_DAYS = 92
_TIER_RANK = {"RED": 0, "ORANGE": 1, "BLUE": 2, "GREEN": 3}


@dataclass(frozen=True)
class DueRow:
    resident_id: int
    name: str
    id_number: str  # masked
    household_id: int | None
    grid_id: int | None
    grid_code: str
    grid_name: str
    workers: tuple[str, ...]  # the grid's 专职网格员 (and 网格长)
    tier: str
    special_groups: tuple[str, ...]
    frequency: str  # DAY/WEEK/HALF_MONTH/MONTH: the stricter of tier and groups
    period_start: dt.date
    period_end: dt.date  # the date by which this period's visit is due
    done: bool  # visited in the current period
    last_visit_on: dt.date | None
    missed_periods: int


@dataclass(frozen=True)
class DueList:
    today: dt.date
    since: dt.date  # missed periods are those that ended on or after this day
    rows: list[DueRow]  # residents still due this period or with a missed period
    residents: int  # residents looked at
    done: int  # of them, visited in the current period


def _grid_filter(s: Session, grid: str | int | None, worker: str | None) -> list[int] | None:
    """Grid ids a ``grid`` (id or 网格编号) and/or a ``worker`` (a grid staff name) narrow to; None: all."""
    ids: set[int] | None = None
    if grid is not None and grid != "":
        if isinstance(grid, int):
            g = s.get(Grid, grid)
        else:
            g = s.scalar(select(Grid).where(Grid.code == clean_text(grid)))
        if g is None:
            raise ValidationError(f"网格“{grid}”不存在（请用网格编号）。", field="grid")
        ids = {g.id}
    if worker:
        name = clean_text(worker)
        mine = set(
            s.scalars(select(GridStaff.grid_id).where(GridStaff.name == name, GridStaff.retired_on.is_(None)))
        )
        if not mine:
            raise ValidationError(f"没有名为“{name}”的在岗网格员。", field="worker")
        ids = mine if ids is None else ids & mine
    return None if ids is None else sorted(ids)


_Q = TypeVar("_Q")


def _in_grids(q: _Q, grid_ids: list[int] | None) -> _Q:
    """``q`` (a select over Resident) narrowed to the grids, if any."""
    return q if grid_ids is None else cast_type(Any, q).where(Resident.grid_id.in_(grid_ids))


@dataclass
class _Register:
    """The register as read: dates of visits and of registration as ISO text (compared as text, turned into
    dates once per distinct value) — parsing a million dates would cost more than the rest together."""

    residents: list[tuple[int, str, str | None, int | None, int | None, str, str, str, dt.date | None]]
    tags: dict[int, list[str]]
    changes: dict[int, list[tuple[dt.date, str, str | None]]]
    visits: dict[int, list[str]]
    _dates: dict[str, dt.date]

    def day(self, text: str) -> dt.date:
        got = self._dates.get(text)
        if got is None:
            got = self._dates[text] = dt.date.fromisoformat(text[:10])
        return got


def _load(
    s: Session,
    grid_ids: list[int] | None,
    visits_from: dt.date,
    visits_to: dt.date,
    *,
    leavers_from: dt.date | None,
    only_changed: bool = False,
) -> _Register:
    """Residents (active; with ``leavers_from``, also those who left on or after it), tags, tier changes and
    visit dates in [visits_from, visits_to]. Core queries on the session's connection (no ORM rows)."""
    conn = s.connection()
    who = Resident.status == ResidentStatus.ACTIVE
    if leavers_from is not None:
        who = who | (Resident.status_changed_on >= leavers_from)
    q = _in_grids(
        select(
            Resident.id, Resident.name, Resident.id_number, Resident.grid_id, Resident.household_id,
            Resident.care_tier, cast(Resident.created_at, String), Resident.status, Resident.status_changed_on,
        ).where(who),
        grid_ids,
    )  # fmt: skip
    residents = [
        (rid, name, idn, gid, hid, tier, str(created)[:10], status, changed)
        for rid, name, idn, gid, hid, tier, created, status, changed in conn.execute(q.order_by(Resident.id))
    ]
    tags: dict[int, list[str]] = defaultdict(list)
    tq = select(ResidentTag.resident_id, ResidentTag.tag).join(
        Resident, Resident.id == ResidentTag.resident_id
    )
    for rid, tag in conn.execute(_in_grids(tq.where(who), grid_ids).order_by(ResidentTag.id)):
        tags[rid].append(tag)
    changes: dict[int, list[tuple[dt.date, str, str | None]]] = defaultdict(list)
    cq = (
        select(
            ResidentEvent.resident_id, ResidentEvent.on_date, ResidentEvent.to_value, ResidentEvent.from_value
        )
        .join(Resident, Resident.id == ResidentEvent.resident_id)
        .where(ResidentEvent.kind == ResidentEventKind.CARE_TIER, who)
    )
    for rid, on, to, frm in conn.execute(
        _in_grids(cq, grid_ids).order_by(ResidentEvent.on_date, ResidentEvent.id)
    ):
        changes[rid].append((on, to, frm))
    visits: dict[int, list[str]] = defaultdict(list)
    vq = select(VisitMember.resident_id, cast(VisitMember.visited_on, String)).where(
        VisitMember.visited_on >= visits_from, VisitMember.visited_on <= visits_to
    )
    if grid_ids is not None:
        vq = vq.join(Resident, Resident.id == VisitMember.resident_id).where(Resident.grid_id.in_(grid_ids))
    if only_changed:  # the others are summed up in SQL (``_summary``)
        changed = select(ResidentEvent.resident_id).where(ResidentEvent.kind == ResidentEventKind.CARE_TIER)
        vq = vq.where(VisitMember.resident_id.in_(changed))
    for rid, day_text in conn.execute(vq):
        visits[rid].append(str(day_text))
    return _Register(residents, tags, changes, visits, {})


def _spans(
    freqs: Frequencies,
    tier: str,
    groups: list[str],
    created: dt.date,
    changes: list[tuple[dt.date, str, str | None]],
) -> list[rules.TierSpan]:
    freq_of = {t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES}
    initial = (changes[0][2] or changes[0][1]) if changes else tier
    return rules.spans(created, initial, [(d, to) for d, to, _ in changes], freq_of)


def _staff(s: Session) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, ...]]]:
    grids = {gid: (code, name) for gid, code, name in s.execute(select(Grid.id, Grid.code, Grid.name))}
    workers: dict[int, list[str]] = defaultdict(list)
    for gid, name in s.execute(
        select(GridStaff.grid_id, GridStaff.name)
        .where(GridStaff.retired_on.is_(None), GridStaff.role.in_([GridRole.WORKER, GridRole.CHIEF]))
        .order_by(GridStaff.grid_id, GridStaff.role.desc(), GridStaff.sort_key, GridStaff.id)
    ):
        workers[gid].append(name)
    return grids, {g: tuple(n) for g, n in workers.items()}


def _week_key(dialect: str) -> ColumnElement[Any]:
    """``period_key(WEEK, visited_on)`` in SQL: whole weeks since Monday 0001-01-01."""
    if dialect == "postgresql":
        return literal_column("(visit_member.visited_on - DATE '0001-01-01') / 7")
    return cast((func.julianday(VisitMember.visited_on) - 1721425.5) / 7, Integer)


def _summary(
    s: Session, grid_ids: list[int] | None, since: dt.date, today: dt.date
) -> dict[int, tuple[str, dict[str, tuple[int, bool]]]]:
    """Per resident with a visit since the look-back window, in one grouped query: the last visit (ISO
    text) and, for each frequency, the distinct periods visited from the window's period up to the current
    one (not included) and whether the current period has a visit. Visits before the resident was
    registered do not count."""
    text = cast(VisitMember.visited_on, String)
    month = func.substr(text, 1, 7)
    key_of = {
        rules.DAY: VisitMember.visited_on,
        rules.WEEK: _week_key(s.get_bind().dialect.name),
        rules.HALF_MONTH: month + case((func.substr(text, 9, 2) > "15", "b"), else_="a"),
        rules.MONTH: month,
    }
    cols: list[Any] = [VisitMember.resident_id, func.max(text)]
    lows = {}
    for f in rules.FREQUENCIES:
        lo, cur = rules.period_of(f, since).start, rules.period_of(f, today).start
        lows[f] = lo
        in_window = (VisitMember.visited_on >= lo) & (VisitMember.visited_on < cur)
        cols.append(func.count(distinct(case((in_window, key_of[f]), else_=None))))
        cols.append(func.max(case((VisitMember.visited_on >= cur, 1), else_=0)))
    q = (
        select(*cols)
        .join(Resident, Resident.id == VisitMember.resident_id)
        .where(
            VisitMember.visited_on >= min(lows.values()),
            VisitMember.visited_on <= today,
            VisitMember.visited_on >= func.date(Resident.created_at),
            Resident.status == ResidentStatus.ACTIVE,
        )
        .group_by(VisitMember.resident_id)
    )
    if grid_ids is not None:
        q = q.where(Resident.grid_id.in_(grid_ids))
    out: dict[int, tuple[str, dict[str, tuple[int, bool]]]] = {}
    for row in s.connection().execute(q):
        out[row[0]] = (
            str(row[1]),
            {f: (int(row[2 + 2 * i]), bool(row[3 + 2 * i])) for i, f in enumerate(rules.FREQUENCIES)},
        )
    return out


def due_list(
    ctx: ServiceContext,
    today: dt.date | None = None,
    *,
    grid: str | int | None = None,
    worker: str | None = None,
    include_done: bool = False,
    lookback_days: int = LOOKBACK_DAYS,
) -> DueList:
    """今日应走访 on ``today`` (default: the app's today) for the street, a grid (id or 网格编号) or a grid
    worker's grids: residents not yet visited in their current period or with a missed period since the
    look-back window, soonest deadline first (then the stricter tier). ``include_done`` lists everyone."""
    today = today or ctx.today()
    since = today - dt.timedelta(days=lookback_days)
    with ctx.read() as s:
        grid_ids = _grid_filter(s, grid, worker)
        freqs = load_frequencies(s)
        reg = _load(s, grid_ids, since - dt.timedelta(days=31), today, leavers_from=None, only_changed=True)
        summary = _summary(s, grid_ids, since, today)
        grids, workers = _staff(s)
    today_s = today.isoformat()
    k_today = {f: rules.period_key(f, today) for f in rules.FREQUENCIES}
    current = {f: rules.period_of_key(f, k) for f, k in k_today.items()}
    firsts: dict[tuple[str, str], tuple[int, rules.Period]] = {}
    freq_cache: dict[tuple[str, tuple[str, ...]], str] = {}
    since_s = since.isoformat()
    rows: list[DueRow] = []
    done_count = 0
    nothing: tuple[str, dict[str, tuple[int, bool]]] = ("", {})
    for rid, name, idn, gid, hid, tier, created, _status, _changed in reg.residents:
        groups = reg.tags.get(rid, [])
        history = reg.changes.get(rid)
        if history is None:
            fk = (tier, tuple(groups))
            freq = freq_cache.get(fk) or freq_cache.setdefault(fk, freqs.for_resident(tier, groups))
            start = min(created, today_s)
            got = firsts.get((freq, start))
            if got is None:
                cur = current[freq]
                got = firsts[(freq, start)] = (
                    rules.period_key(freq, reg.day(max(start, since_s))),
                    rules.Period(max(cur.start, reg.day(start)), cur.end),
                )
            first, period = got
            last_s, counts = summary.get(rid, nothing)
            hits, done = counts.get(freq, (0, False))
            missed = max(0, k_today[freq] - first - hits)
            last = reg.day(last_s) if last_s else None
        else:
            state = rules.due_state(
                _spans(freqs, tier, groups, reg.day(created), history),
                [reg.day(d) for d in reg.visits.get(rid, [])],
                today,
                since,
            )
            freq, period, done, missed, last = (
                state.freq,
                state.period,
                state.done,
                state.missed,
                state.last_visit_on,
            )
        done_count += done
        if done and not missed and not include_done:
            continue
        code, gname = grids.get(gid, ("", "")) if gid is not None else ("", "")
        rows.append(
            DueRow(
                rid, name, mask_id_number(idn), hid, gid, code, gname, workers.get(gid, ()) if gid else (), tier,
                tuple(groups), freq, period.start, period.end, done, last, missed,
            )
        )  # fmt: skip
    _older_visits(ctx, rows)
    rows.sort(
        key=lambda r: (r.done, r.period_end, _TIER_RANK.get(r.tier, 9), r.grid_code, r.name, r.resident_id)
    )
    return DueList(today, since, rows, len(reg.residents), done_count)


def _older_visits(ctx: ServiceContext, rows: list[DueRow]) -> None:
    """Fill ``last_visit_on`` of the rows with no visit in the window from the visits before it."""
    missing = [i for i, r in enumerate(rows) if r.last_visit_on is None]
    if not missing:
        return
    found: dict[int, dt.date] = {}
    with ctx.read() as s:
        for n in range(0, len(missing), 900):
            ids = [rows[i].resident_id for i in missing[n : n + 900]]
            q = (
                select(VisitMember.resident_id, func.max(VisitMember.visited_on))
                .where(VisitMember.resident_id.in_(ids))
                .group_by(VisitMember.resident_id)
            )
            found.update({rid: on for rid, on in s.execute(q)})
    for i in missing:
        if (on := found.get(rows[i].resident_id)) is not None:
            rows[i] = replace(rows[i], last_visit_on=on)


@dataclass(frozen=True)
class GridRate:
    grid_id: int | None
    grid_code: str
    grid_name: str
    due: int  # periods due that ended in the month
    done: int  # of them, with a visit

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


def visit_rates(
    ctx: ServiceContext, year: int, month: int, *, grid: str | int | None = None, today: dt.date | None = None
) -> list[GridRate]:
    """Visit rate per grid for a month: periods due that ended in the month (up to yesterday for the current
    month) with a visit ÷ periods due. A resident who left the register counts until the day they left."""
    today = today or ctx.today()
    try:
        bounds = rules.month_bounds(year, month)
    except ValueError:
        raise ValidationError(f"月份“{year}-{month}”无效。", field="month") from None
    if bounds.start > today:
        raise ValidationError(f"{year} 年 {month} 月还没有开始。", field="month")
    as_of = min(bounds.end, today - dt.timedelta(days=1))
    with ctx.read() as s:
        grid_ids = _grid_filter(s, grid, None)
        freqs = load_frequencies(s)
        reg = _load(s, grid_ids, bounds.start - dt.timedelta(days=31), bounds.end, leavers_from=bounds.start)
        grids, _ = _staff(s)
    counts: dict[int | None, rules.RateCount] = defaultdict(rules.RateCount)
    for rid, _name, _idn, gid, _hid, tier, created_s, status, changed in reg.residents:
        created = reg.day(created_s)
        if created > as_of:
            continue
        groups = reg.tags.get(rid, [])
        spans = _spans(freqs, tier, groups, created, reg.changes.get(rid, []))
        until = changed if status != ResidentStatus.ACTIVE else None
        days = [reg.day(d) for d in reg.visits.get(rid, [])]
        counts[gid] = counts[gid] + rules.month_count(spans, days, year, month, as_of, until)
    return sorted(
        (
            GridRate(
                gid,
                *(grids.get(gid, ("", "（未分网格）")) if gid is not None else ("", "（未分网格）")),
                c.due,
                c.done,
            )
            for gid, c in counts.items()
        ),
        key=lambda r: (r.grid_code == "", r.grid_code),
    )


def total_rate(rates: Iterable[GridRate]) -> rules.RateCount:
    total = rules.RateCount()
    for r in rates:
        total = total + rules.RateCount(r.due, r.done)
    return total
