"""今日应走访 and the visit rate, for a grid, a grid worker or the whole street, in a few queries.

The register is read once (active residents with tier, grid and household; their special-group tags; the
tier changes) and the visits in one grouped pass over the ``visit_member(resident_id, visited_on)`` index:
per resident, the last visit and the window's visit dates run together as one text. Then each resident's
state is worked out in Python with period keys (``desktop.domain.visits``): a resident whose tier never
changed — nearly all — gets its frequency first (tier + groups) and takes a handful of dictionary look-ups;
one with a tier history goes through ``due_state`` / ``month_count``. Whole street (130,590 residents, a
million visits; tests/bench/bench_visits.py): about twice the time of the SQL reads alone.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar
from typing import cast as cast_type

from sqlalchemy import (
    String,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentEvent, ResidentEventKind, ResidentStatus, ResidentTag
from db.schema.structure import Grid, GridRole, GridStaff
from db.schema.visits import VisitMember
from desktop.core.errors import ValidationError
from desktop.domain import visits as rules
from desktop.domain.accounts import VISITS
from desktop.domain.identity import mask_id_number
from desktop.domain.text import clean_text
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.visits.config import load_frequencies

#: missed periods are counted over the periods that ended in about the last three months
LOOKBACK_DAYS = 92
_TIER_RANK = {"RED": 0, "ORANGE": 1, "BLUE": 2, "GREEN": 3}


class DueRow(NamedTuple):
    """One resident on the list; a named tuple: a street's list has tens of thousands of them."""

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
    _dates: dict[str, dt.date]

    def day(self, text: str) -> dt.date:
        got = self._dates.get(text)
        if got is None:
            got = self._dates[text] = dt.date.fromisoformat(text[:10])
        return got


def _load(s: Session, grid_ids: list[int] | None, *, leavers_from: dt.date | None) -> _Register:
    """Residents (active; with ``leavers_from``, also those who left on or after it), their tags and tier
    changes. Core queries on the session's connection (no ORM rows)."""
    conn = s.connection()
    who = Resident.status == ResidentStatus.ACTIVE
    # the same test on an expression: nearly every resident is active, and a table scan reads a street
    # about twice as fast as the status index does
    scan = Resident.status.concat("") == ResidentStatus.ACTIVE
    if leavers_from is not None:
        who = who | (Resident.status_changed_on >= leavers_from)
        scan = scan | (Resident.status_changed_on >= leavers_from)
    q = _in_grids(
        select(
            Resident.id, Resident.name, Resident.id_number, Resident.grid_id, Resident.household_id,
            Resident.care_tier, cast(Resident.created_at, String), Resident.status, Resident.status_changed_on,
        ).where(scan),
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
    return _Register(residents, tags, changes, {})


def _visit_dates(
    s: Session, grid_ids: list[int] | None, lo: dt.date, hi: dt.date
) -> dict[int, tuple[str, str]]:
    """Per resident with a visit on or before ``hi``, in one grouped pass over the (resident, date) index:
    the last visit on or before ``hi`` and the dates of the visits in [lo, hi] run together (ISO text, ten
    characters each, in no particular order; cut with ``_days``). One row per resident instead of one per
    visit keeps a street's million visits cheap to read."""
    text = cast(VisitMember.visited_on, String)
    recent = case((VisitMember.visited_on >= lo, text), else_=None)
    if s.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(recent, literal(""))
    else:
        joined = func.group_concat(recent, "")
    q = (
        select(VisitMember.resident_id, func.max(text), joined)
        .where(VisitMember.visited_on <= hi)
        .group_by(VisitMember.resident_id)
    )
    if grid_ids is not None:
        q = q.where(VisitMember.resident_id.in_(select(Resident.id).where(Resident.grid_id.in_(grid_ids))))
    return {rid: (str(last), str(days or "")) for rid, last, days in s.connection().execute(q)}


def _days(joined: str) -> list[str]:
    """The ISO dates run together by ``_visit_dates``."""
    return [joined[i : i + 10] for i in range(0, len(joined), 10)]


def _spans(
    freq_of: dict[str, str],
    tier: str,
    created: dt.date,
    changes: list[tuple[dt.date, str, str | None]],
) -> list[rules.TierSpan]:
    """A resident's spans; ``freq_of``: tier → the frequency that applies with the resident's groups."""
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


def _key_maps(freq: str, first: dt.date, end: dt.date) -> dict[str, int]:
    """ISO date → period key for each day in [first, end] (a few months at most)."""
    out: dict[str, int] = {}
    day, one = first, dt.timedelta(days=1)
    while day <= end:
        out[day.isoformat()] = rules.period_key(freq, day)
        day += one
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
    look-back window, soonest deadline first (then the stricter tier). ``include_done`` lists everyone.

    A resident whose tier never changed (nearly all) is worked out from its frequency alone: the current
    period has its visit when the last visit falls in it, and the missed periods are the periods since the
    window less the distinct periods its window visits fall in (integer keys); one with a tier history
    goes through ``rules.due_state``. Both give what ``due_state`` gives (tests/unit/test_visit_fast.py)."""
    require(ctx, VISITS)
    today = today or ctx.today()
    since = today - dt.timedelta(days=lookback_days)
    lows = {f: rules.period_of(f, since).start for f in rules.FREQUENCIES}
    with ctx.read() as s:
        grid_ids = _grid_filter(s, grid, worker)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            mine = scope.grid_ids_in(s)
            grid_ids = mine if grid_ids is None else [g for g in grid_ids if g in mine]
        freqs = load_frequencies(s)
        reg = _load(s, grid_ids, leavers_from=None)
        seen = _visit_dates(s, grid_ids, min(lows.values()), today)
        grids, workers = _staff(s)
    today_s, since_s = today.isoformat(), since.isoformat()
    k_today = {f: rules.period_key(f, today) for f in rules.FREQUENCIES}
    current = {f: rules.period_of_key(f, k) for f, k in k_today.items()}
    cur_s = {f: p.start.isoformat() for f, p in current.items()}
    low_s = {f: d.isoformat() for f, d in lows.items()}
    # the window's days before the current period → their period key
    keys = {f: _key_maps(f, lows[f], current[f].start - dt.timedelta(days=1)) for f in rules.FREQUENCIES}
    months = sorted({d[:7] for d in keys[rules.MONTH]})  # the window's months before the current one
    firsts: dict[tuple[str, str], tuple[int, rules.Period]] = {}
    freq_cache: dict[tuple[str, tuple[str, ...]], str] = {}
    spans_cache: dict[tuple[str, ...], dict[str, str]] = {}
    rows: list[DueRow] = []
    done_count = 0
    for rid, name, idn, gid, hid, tier, created, _status, _changed in reg.residents:
        groups = reg.tags.get(rid, [])
        history = reg.changes.get(rid)
        last_s, joined = seen.get(rid, ("", ""))
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
            # visits before the resident was registered do not count
            done = last_s >= cur_s[freq] and last_s >= created
            if created > low_s[freq]:
                hit = {keys[freq].get(d) for d in _days(joined) if d >= created}
                hit.discard(None)
                missed = max(0, k_today[freq] - first - len(hit))
            elif freq == rules.MONTH:
                # "YYYY-MM" can only match where a date starts in dates run together: a month had a visit
                # if it occurs in the text
                missed = max(0, k_today[freq] - first - sum(m in joined for m in months))
            else:
                hit = {keys[freq].get(joined[i : i + 10]) for i in range(0, len(joined), 10)}
                hit.discard(None)
                missed = max(0, k_today[freq] - first - len(hit))
        else:
            gk = tuple(groups)
            freq_of = spans_cache.get(gk)
            if freq_of is None:
                freq_of = spans_cache[gk] = {
                    t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES
                }
            state = rules.due_state(
                _spans(freq_of, tier, reg.day(created), history),
                [reg.day(d) for d in _days(joined)],
                today,
                since,
            )
            freq, period, done, missed = state.freq, state.period, state.done, state.missed
        done_count += done
        if done and not missed and not include_done:
            continue
        code, gname = grids.get(gid, ("", "")) if gid is not None else ("", "")
        rows.append(
            DueRow(
                rid, name, mask_id_number(idn), hid, gid, code, gname, workers.get(gid, ()) if gid else (), tier,
                tuple(groups), freq, period.start, period.end, done, reg.day(last_s) if last_s else None, missed,
            )
        )  # fmt: skip
    rows.sort(
        key=lambda r: (r.done, r.period_end, _TIER_RANK.get(r.tier, 9), r.grid_code, r.name, r.resident_id)
    )
    return DueList(today, since, rows, len(reg.residents), done_count)


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
    require(ctx, VISITS)
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
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            mine = scope.grid_ids_in(s)
            grid_ids = [g for g in grid_ids if g in mine] if grid_ids is not None else mine
        freqs = load_frequencies(s)
        reg = _load(s, grid_ids, leavers_from=bounds.start)
        seen = _visit_dates(s, grid_ids, bounds.start - dt.timedelta(days=31), bounds.end)
        grids, _ = _staff(s)
    # per frequency, the calendar periods ending in the month (by end), and each of their days → index
    ends: dict[str, list[str]] = {}
    index: dict[str, dict[str, int]] = {}
    for f in rules.FREQUENCIES:
        # (a week running into the next month is cut off by the bisection below: its end is after as_of)
        keys = range(rules.period_key(f, bounds.start), rules.period_key(f, bounds.end) + 1)
        in_month = [rules.period_of_key(f, k) for k in keys]
        ends[f] = [p.end.isoformat() for p in in_month]
        index[f] = {d: i for i, p in enumerate(in_month) for d in _key_maps(f, p.start, p.end)}
    as_of_s = as_of.isoformat()
    counts: dict[int | None, list[int]] = {}
    freq_cache: dict[tuple[str, tuple[str, ...]], str] = {}
    for rid, _name, _idn, gid, _hid, tier, created_s, status, changed in reg.residents:
        created = reg.day(created_s)
        if created > as_of:
            continue
        groups = reg.tags.get(rid, [])
        until = changed if status != ResidentStatus.ACTIVE else None
        joined = seen.get(rid, ("", ""))[1]
        history = reg.changes.get(rid)
        if history is None:
            # one span from registration: the periods ending in the month, on or after registration and
            # before leaving, and those of them with a visit on or after registration
            fk = (tier, tuple(groups))
            freq = freq_cache.get(fk) or freq_cache.setdefault(fk, freqs.for_resident(tier, groups))
            last_s = as_of_s if until is None else min(as_of_s, (until - dt.timedelta(days=1)).isoformat())
            lo, hi = bisect_left(ends[freq], created_s), bisect_right(ends[freq], last_s)
            idx = index[freq]
            hit = {idx.get(d) for d in _days(joined) if d >= created_s}
            c = rules.RateCount(max(0, hi - lo), sum(1 for i in hit if i is not None and lo <= i < hi))
        else:
            freq_of = {t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES}
            spans = _spans(freq_of, tier, created, history)
            days = [reg.day(d) for d in _days(joined)]
            c = rules.month_count(spans, days, year, month, as_of, until)
        got = counts.setdefault(gid, [0, 0])
        got[0] += c.due
        got[1] += c.done
    return sorted(
        (
            GridRate(
                gid,
                *(grids.get(gid, ("", "（未分网格）")) if gid is not None else ("", "（未分网格）")),
                due,
                done,
            )
            for gid, (due, done) in counts.items()
        ),
        key=lambda r: (r.grid_code == "", r.grid_code),
    )


def total_rate(rates: Iterable[GridRate]) -> rules.RateCount:
    total = rules.RateCount()
    for r in rates:
        total = total + rules.RateCount(r.due, r.done)
    return total
