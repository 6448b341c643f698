"""今日应走访 and the visit rate, for a grid, a grid worker or the whole street, in a few queries.

The register is read once (active residents with tier, grid and household; their special-group tags; the
tier changes) and the window's visits as one set of residents per day (``reads.day_sets``). Residents are
sorted by frequency first (tier + groups). For the many without a tier history who were registered before
the window, the work is set arithmetic a frequency and a period at a time: those not visited in a period
are the frequency's residents less the union of the period's day sets; a resident's missed periods are how
many of those differences it is in. Only the residents on the list become Python objects. Those registered
inside the window take a few look-ups each; those with a tier history go through ``rules.due_state`` /
``rules.month_count``. Whole street (130,590 residents, a million visits; tests/bench/bench_visits.py).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentStatus
from db.schema.structure import Grid, GridStaff
from desktop.core.errors import ValidationError
from desktop.domain import visits as rules
from desktop.domain.accounts import VISITS
from desktop.domain.identity import mask_id_number
from desktop.domain.text import clean_text
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.visits.config import Frequencies, load_frequencies
from desktop.services.visits.reads import (
    Register,
    RegisterRow,
    dates_of,
    day_sets,
    iso_days,
    last_visits,
    load_register,
    paused_gc,
    sets_of,
    staff,
)

#: missed periods are counted over the periods that ended in about the last three months
LOOKBACK_DAYS = 92
_TIER_RANK = {"RED": 0, "ORANGE": 1, "BLUE": 2, "GREEN": 3}


class DueRow(NamedTuple):
    """One resident on the list; a named tuple: a street's list has tens of thousands of them."""

    resident_id: int
    name: str
    id_stored: str | None  # as stored: encrypted at rest (db.crypto); ``id_number`` shows it masked
    household_id: int | None
    grid_id: int | None
    grid_code: str
    grid_name: str
    community_name: str
    workers: tuple[str, ...]  # the grid's 专职网格员 (and 网格长)
    tier: str
    special_groups: tuple[str, ...]
    frequency: str  # DAY/WEEK/HALF_MONTH/MONTH: the stricter of tier and groups
    period_start: dt.date
    period_end: dt.date  # the date by which this period's visit is due
    done: bool  # visited in the current period
    last_visit_on: dt.date | None
    missed_periods: int
    opener: Callable[[str | None], str | None] = lambda v: v  # decrypts ``id_stored``

    @property
    def id_number(self) -> str:
        """The ID number masked (110105********002X), opened only when shown: a street's list holds
        tens of thousands of rows and the page shows a screenful."""
        return mask_id_number(self.opener(self.id_stored))


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


def _key_maps(freq: str, first: dt.date, end: dt.date) -> dict[str, int]:
    """ISO date → period key for each day in [first, end] (a few months at most)."""
    out: dict[str, int] = {}
    day, one = first, dt.timedelta(days=1)
    while day <= end:
        out[day.isoformat()] = rules.period_key(freq, day)
        day += one
    return out


def _spans(
    freq_of: dict[str, str],
    tier: str,
    created: dt.date,
    changes: list[tuple[dt.date, str, str | None]],
) -> list[rules.TierSpan]:
    """A resident's spans; ``freq_of``: tier → the frequency that applies with the resident's groups."""
    initial = (changes[0][2] or changes[0][1]) if changes else tier
    return rules.spans(created, initial, [(d, to) for d, to, _ in changes], freq_of)


class _Sorted(NamedTuple):
    """The register split for the work: residents without a tier history registered before the window of
    their frequency (by frequency), those registered inside it, those with a tier history."""

    old: dict[str, list[RegisterRow]]
    new: list[tuple[RegisterRow, str]]
    history: list[RegisterRow]


#: a register row with its frequency now, the ISO day from which that frequency runs (registration, or the
#: last tier change), and whether it has a tier history
Classified = tuple[RegisterRow, str, str, bool]


def _classify(reg: Register, freqs: Frequencies) -> list[Classified]:
    """Each resident's frequency now (the stricter of the last tier and the groups) and since when."""
    tier_freq, tags, changes = freqs.tiers, reg.tags, reg.changes
    cache: dict[tuple[str, tuple[str, ...]], str] = {}
    out: list[Classified] = []
    for r in reg.residents:
        rid = r[0]
        tier, groups, changed = r[5], tags.get(rid), changes.get(rid)
        if changed is not None:
            tier = changed[-1][1]  # in order of the day they took effect
        if groups is None:
            f = tier_freq.get(tier, rules.MONTH)
        else:
            key = (tier, tuple(groups))
            f = cache.get(key) or cache.setdefault(key, freqs.for_resident(tier, groups))
        if changed is None:
            out.append((r, f, r[6], False))
        else:
            out.append((r, f, max(r[6], changed[-1][0].isoformat()), True))
    return out


def _sort(classified: list[Classified], old_from: dict[str, str], *, leavers_old: bool = True) -> _Sorted:
    """``old_from``: frequency → the ISO day on or before which a registration is "old". A resident whose
    tier changes all took effect on or before that day of the final tier's frequency is old too (under
    that frequency): the earlier tiers' periods all ended before the window."""
    old: dict[str, list[RegisterRow]] = {f: [] for f in rules.FREQUENCIES}
    new: list[tuple[RegisterRow, str]] = []
    history: list[RegisterRow] = []
    for r, f, start, changed in classified:
        if not leavers_old and r[7] != ResidentStatus.ACTIVE:
            history.append(r)
        elif start <= old_from[f]:
            old[f].append(r)
        elif changed:
            history.append(r)
        else:
            new.append((r, f))
    return _Sorted(old, new, history)


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

    Residents without a tier history registered before the window (nearly all) are worked out a frequency
    at a time with sets: those not visited in a period are the frequency's residents less the day sets of
    the period's days. Those registered inside the window take a few look-ups each; those with a tier
    history go through ``rules.due_state``. All give what ``due_state`` gives (tests/unit/test_visit_fast.py)."""
    require(ctx, VISITS)
    with paused_gc():
        return _due_list(ctx, today, grid, worker, include_done, lookback_days)


def _due_list(
    ctx: ServiceContext,
    today: dt.date | None,
    grid: str | int | None,
    worker: str | None,
    include_done: bool,
    lookback_days: int,
) -> DueList:
    today = today or ctx.today()
    since = today - dt.timedelta(days=lookback_days)
    lows = {f: rules.period_of(f, since).start for f in rules.FREQUENCIES}
    window = min(lows.values())
    with ctx.read() as s:
        grid_ids = _grid_filter(s, grid, worker)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            scoped = scope.grid_ids_in(s)
            grid_ids = scoped if grid_ids is None else [g for g in grid_ids if g in scoped]
        freqs = load_frequencies(s)
        reg = load_register(s, grid_ids, leavers_from=None)
        days = day_sets(s, grid_ids, window, today)
        grids, workers = staff(s)
        parts = _sort(_classify(reg, freqs), {f: d.isoformat() for f, d in lows.items()})
        k_today = {f: rules.period_key(f, today) for f in rules.FREQUENCIES}
        current = {f: rules.period_of_key(f, k) for f, k in k_today.items()}
        # (row, frequency, period, done, missed)
        found: list[tuple[RegisterRow, str, rules.Period, bool, int]] = []
        done_count = 0
        for f, members in parts.old.items():
            if not members:
                continue
            ids = {r[0] for r in members}
            cur = current[f]
            pending = ids.difference(*sets_of(days, cur.start, today))
            done_count += len(ids) - len(pending)
            missed: Counter[int] = Counter()
            for k in range(rules.period_key(f, since), k_today[f]):
                p = rules.period_of_key(f, k)
                missed.update(ids.difference(*sets_of(days, p.start, p.end)))
            listed = members if include_done else [r for r in members if r[0] in pending or r[0] in missed]
            found += [(r, f, cur, r[0] not in pending, missed.get(r[0], 0)) for r in listed]
        few = {r[0] for r, _ in parts.new} | {r[0] for r in parts.history}
        dates = dates_of(days, few)
        today_s, since_s = today.isoformat(), since.isoformat()
        keys = {f: _key_maps(f, lows[f], current[f].start - dt.timedelta(days=1)) for f in rules.FREQUENCIES}
        for r, f in parts.new:
            created, cur = r[6], current[f]
            start = min(created, today_s)
            mine = dates.get(r[0], [])
            # visits before the resident was registered do not count
            done = any(d >= created and d >= cur.start.isoformat() for d in mine)
            hit = {keys[f].get(d) for d in mine if d >= created}
            hit.discard(None)
            first = rules.period_key(f, reg.day(max(start, since_s)))
            missed_n = max(0, k_today[f] - first - len(hit))
            done_count += done
            if include_done or missed_n or not done:
                found.append((r, f, rules.Period(max(cur.start, reg.day(start)), cur.end), done, missed_n))
        for r in parts.history:
            groups = reg.tags.get(r[0], [])
            freq_of = {t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES}
            spans = _spans(freq_of, r[5], reg.day(r[6]), reg.changes[r[0]])
            state = rules.due_state(spans, [reg.day(d) for d in dates.get(r[0], [])], today, since)
            done_count += state.done
            if include_done or state.missed or not state.done:
                found.append((r, state.freq, state.period, state.done, state.missed))
        last = last_visits(s, days, (x[0][0] for x in found), window)
    none: tuple[str, str, str, tuple[str, ...]] = ("", "", "", ())
    place = {gid: (*g, workers.get(gid, ())) for gid, g in grids.items()}
    prefixes: dict[tuple[bool, dt.date, str], str] = {}
    tags, no_tags, make = reg.tags, (), DueRow._make
    # the register was read past the result layer: its ID numbers are still encrypted (db.crypto); a row
    # opens its own when shown (DueRow.id_number)
    processor = Resident.__table__.c.id_number.type.result_processor(ctx.database.engine.dialect, None)
    opener: Callable[[str | None], str | None] = processor if processor is not None else (lambda v: v)

    keyed = []
    for (rid, name, idn, gid, hid, tier, _c, _s, _l), f, period, done, missed_n in found:
        code, gname, community, staffed = place.get(gid, none) if gid is not None else none
        tagged = tags.get(rid)
        row = make((
            rid, name, idn, hid, gid, code, gname, community, staffed, tier,
            no_tags if tagged is None else tuple(tagged), f, period.start, period.end, done, last.get(rid),
            missed_n, opener,
        ))  # fmt: skip
        # soonest deadline first, then the stricter tier, grid, name: one text key sorts faster than tuples
        head = prefixes.get((done, period.end, tier))
        if head is None:
            head = prefixes[(done, period.end, tier)] = f"{done:d}{period.end}{_TIER_RANK.get(tier, 9)}"
        keyed.append((f"{head}{code}\0{name}\0{rid:012d}", row))
    keyed.sort()
    rows = [row for _key, row in keyed]
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
    month) with a visit ÷ periods due. A resident who left the register counts until the day they left.

    Residents in the register since before the month's periods began, still active, without a tier history
    are counted a frequency and a period at a time (set differences, then a count per grid of the residents
    without a visit); the others one at a time (``rules.month_count`` or its one-span shortcut)."""
    return month_rates(ctx, [(year, month)], grid=grid, today=today)[0]


def month_rates(
    ctx: ServiceContext,
    months: list[tuple[int, int]],
    *,
    grid: str | int | None = None,
    today: dt.date | None = None,
) -> list[list[GridRate]]:
    """``visit_rates`` of several months (a quarter's ranking) from one read of the register and visits."""
    require(ctx, VISITS)
    with paused_gc():
        return _month_rates_all(ctx, months, grid, today)


def _month_rates_all(
    ctx: ServiceContext, months: list[tuple[int, int]], grid: str | int | None, today: dt.date | None
) -> list[list[GridRate]]:
    today = today or ctx.today()
    spans: list[tuple[int, int, rules.Period, dt.date]] = []
    for year, month in months:
        try:
            bounds = rules.month_bounds(year, month)
        except ValueError:
            raise ValidationError(f"月份“{year}-{month}”无效。", field="month") from None
        if bounds.start > today:
            raise ValidationError(f"{year} 年 {month} 月还没有开始。", field="month")
        spans.append((year, month, bounds, min(bounds.end, today - dt.timedelta(days=1))))
    if not spans:
        return []
    first = min(b.start for _y, _m, b, _a in spans)
    with ctx.read() as s:
        grid_ids = _grid_filter(s, grid, None)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            scoped = scope.grid_ids_in(s)
            grid_ids = [g for g in grid_ids if g in scoped] if grid_ids is not None else scoped
        freqs = load_frequencies(s)
        reg = load_register(s, grid_ids, leavers_from=first)
        days = day_sets(s, grid_ids, first - dt.timedelta(days=6), max(a for *_r, a in spans))
        grids, _ = staff(s)
    classified = _classify(reg, freqs)
    out = []
    for year, month, bounds, as_of in spans:
        start_s = bounds.start.isoformat()
        mine = [
            c
            for c in classified
            if c[0][7] == ResidentStatus.ACTIVE or (c[0][8] is not None and c[0][8] >= start_s)
        ]
        out.append(_month_rates(reg, mine, days, freqs, grids, year, month, bounds, as_of))
    return out


def _month_rates(
    reg: Register,
    classified: list[Classified],
    days: dict[str, set[int]],
    freqs: Frequencies,
    grids: dict[int, tuple[str, str, str]],
    year: int,
    month: int,
    bounds: rules.Period,
    as_of: dt.date,
) -> list[GridRate]:
    # per frequency, the calendar periods ending in the month up to as_of (a week may begin in the month
    # before)
    due_periods: dict[str, list[rules.Period]] = {}
    for f in rules.FREQUENCIES:
        keys = range(rules.period_key(f, bounds.start), rules.period_key(f, bounds.end) + 1)
        due_periods[f] = [p for k in keys if bounds.start <= (p := rules.period_of_key(f, k)).end <= as_of]
    old_from = {
        f: (ps[0].start if ps else min(bounds.start, as_of)).isoformat() for f, ps in due_periods.items()
    }
    parts = _sort(classified, old_from, leavers_old=False)
    counts: dict[int | None, list[int]] = {}
    for f, members in parts.old.items():
        grid_of = {r[0]: r[3] for r in members}
        for gid, n in Counter(grid_of.values()).items():
            got = counts.setdefault(gid, [0, 0])
            got[0] += n * len(due_periods[f])
            got[1] += n * len(due_periods[f])
        ids = set(grid_of)
        for p in due_periods[f]:
            for gid, n in Counter(grid_of[r] for r in ids.difference(*sets_of(days, p.start, p.end))).items():
                counts[gid][1] -= n
    # per frequency, each day → the index of the period ending in the month it falls in
    ends = {f: [p.end.isoformat() for p in ps] for f, ps in due_periods.items()}
    index = {
        f: {d: i for i, p in enumerate(ps) for d in iso_days(p.start, p.end)} for f, ps in due_periods.items()
    }
    few = {r[0] for r, _ in parts.new} | {r[0] for r in parts.history}
    dates = dates_of(days, few)
    as_of_s = as_of.isoformat()
    for r, freq in parts.new:
        created_s = r[6]
        if created_s > as_of_s:
            continue
        # one span from registration, still active: the periods ending in the month on or after
        # registration, and those of them with a visit on or after registration
        lo, hi = bisect_left(ends[freq], created_s), len(ends[freq])
        idx = index[freq]
        hit = {idx.get(d) for d in dates.get(r[0], []) if d >= created_s}
        got = counts.setdefault(r[3], [0, 0])
        got[0] += max(0, hi - lo)
        got[1] += sum(1 for i in hit if i is not None and lo <= i < hi)
    for rid, _name, _idn, gid, _hid, tier, created_s, status, changed in parts.history:
        created = reg.day(created_s)
        if created > as_of:
            continue
        groups = reg.tags.get(rid, [])
        until = reg.day(changed) if status != ResidentStatus.ACTIVE and changed else None
        freq_of = {t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES}
        spans = _spans(freq_of, tier, created, reg.changes.get(rid, []))
        c = rules.month_count(spans, [reg.day(d) for d in dates.get(rid, [])], year, month, as_of, until)
        got = counts.setdefault(gid, [0, 0])
        got[0] += c.due
        got[1] += c.done
    no_grid = ("", "（未分网格）", "")
    return sorted(
        (
            GridRate(gid, *(grids.get(gid, no_grid) if gid is not None else no_grid)[:2], due, done)
            for gid, (due, done) in counts.items()
        ),
        key=lambda r: (r.grid_code == "", r.grid_code),
    )


def total_rate(rates: Iterable[GridRate]) -> rules.RateCount:
    total = rules.RateCount()
    for r in rates:
        total = total + rules.RateCount(r.due, r.done)
    return total
