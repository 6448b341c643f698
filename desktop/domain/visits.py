"""分色走访 rules: the visiting period of each tier, who is due when, what was missed, the visit rate. Pure.

* A **frequency** is one of four calendar periods: ``DAY`` (each day), ``WEEK`` (Monday–Sunday),
  ``HALF_MONTH`` (the 1st–15th and the 16th–month end) and ``MONTH`` (the calendar month). Tiers map to a
  frequency (a setting; default 绿 monthly, 蓝 half-monthly, 橙 weekly, 红 daily), so do special groups
  (社区矫正对象, 刑满释放人员 … monthly by default); the **stricter** (shorter) of a resident's tier and
  groups applies.
* A resident is **due once in each period** from the day the tier took effect. The first period runs from
  that day to the end of its calendar period; a period cut short by a later tier change is not due under
  the old tier (the new tier's first period starts on the day of the change). A visit counts for the period
  it falls in, on or after the day that tier took effect.
* Each period has an integer **key**, consecutive within a frequency (the next period's key is one more),
  so a street's worth of visit dates are turned into sets of keys and periods are counted by subtraction.
* **Visit rate** of a month = periods due that end in the month (up to the day asked) and have a visit ÷
  periods due that end in the month. A week that spans a month end belongs to the month its Sunday is in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAY, WEEK, HALF_MONTH, MONTH = "DAY", "WEEK", "HALF_MONTH", "MONTH"
#: strictest first
FREQUENCIES: tuple[str, ...] = (DAY, WEEK, HALF_MONTH, MONTH)
FREQUENCY_LABELS = {DAY: "每日", WEEK: "每周", HALF_MONTH: "每半月", MONTH: "每月"}
DEFAULT_TIER_FREQUENCIES = {"GREEN": MONTH, "BLUE": HALF_MONTH, "ORANGE": WEEK, "RED": DAY}
#: special groups visited at least monthly unless the setting says otherwise (local practice, e.g. the
#: monthly visits of 社区矫正对象 and 刑满释放人员 in street grid work plans)
DEFAULT_GROUP_FREQUENCIES = {
    "社区矫正对象": MONTH,
    "刑满释放人员": MONTH,
    "严重精神障碍患者": MONTH,
    "吸毒人员": MONTH,
}

WAYS: tuple[str, ...] = ("HOME", "PHONE", "VIDEO", "OTHER")
WAY_LABELS = {"HOME": "入户", "PHONE": "电话", "VIDEO": "视频", "OTHER": "其他"}


def way_code(text: str) -> str | None:
    """``HOME``… from a code or its label (入户/电话/视频/其他, also 上门/走访 for 入户); None if unknown."""
    t = (text or "").strip()
    if t.upper() in WAYS:
        return t.upper()
    for code, label in WAY_LABELS.items():
        if t in (label, label + "走访"):
            return code
    return {"上门": "HOME", "上门走访": "HOME", "入户走访": "HOME", "电话回访": "PHONE"}.get(t)


def stricter(*frequencies: str | None) -> str:
    """The strictest of the given frequencies (None ignored); MONTH when none is given."""
    given = [f for f in frequencies if f]
    for f in given:
        if f not in FREQUENCIES:
            raise ValueError(f"unknown frequency {f!r}")
    return min(given, key=FREQUENCIES.index) if given else MONTH


def resident_frequency(
    tier: str, groups: Iterable[str], tier_frequencies: dict[str, str], group_frequencies: dict[str, str]
) -> str:
    """The frequency that applies to a resident: the stricter of the tier's and each group's."""
    return stricter(tier_frequencies.get(tier, MONTH), *(group_frequencies.get(g) for g in groups))


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period_key(freq: str, day: dt.date) -> int:
    """The period ``day`` falls in, as an integer; consecutive periods have consecutive keys."""
    if freq == DAY:
        return day.toordinal()
    if freq == WEEK:
        return (day.toordinal() - 1) // 7  # 0001-01-01 was a Monday
    months = day.year * 12 + day.month - 1
    if freq == MONTH:
        return months
    if freq == HALF_MONTH:
        return months * 2 + (day.day > 15)
    raise ValueError(f"unknown frequency {freq!r}")


def period_keys(freq: str, days: Iterable[dt.date]) -> set[int]:
    """``{period_key(freq, d) for d in days}``, without a call per day."""
    if freq == DAY:
        return {d.toordinal() for d in days}
    if freq == WEEK:
        return {(d.toordinal() - 1) // 7 for d in days}
    if freq == MONTH:
        return {d.year * 12 + d.month - 1 for d in days}
    if freq == HALF_MONTH:
        return {(d.year * 12 + d.month - 1) * 2 + (d.day > 15) for d in days}
    raise ValueError(f"unknown frequency {freq!r}")


def period_of_key(freq: str, key: int) -> Period:
    """The calendar period with this key."""
    if freq == DAY:
        d = dt.date.fromordinal(key)
        return Period(d, d)
    if freq == WEEK:
        start = dt.date.fromordinal(key * 7 + 1)
        return Period(start, start + dt.timedelta(days=6))
    months, half = (key // 2, key % 2) if freq == HALF_MONTH else (key, 0)
    if freq not in (MONTH, HALF_MONTH):
        raise ValueError(f"unknown frequency {freq!r}")
    year, month = divmod(months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if freq == MONTH:
        return Period(dt.date(year, month, 1), dt.date(year, month, last))
    return (
        Period(dt.date(year, month, 16), dt.date(year, month, last))
        if half
        else Period(dt.date(year, month, 1), dt.date(year, month, 15))
    )


def period_of(freq: str, day: dt.date) -> Period:
    """The calendar period of ``freq`` that contains ``day``."""
    return period_of_key(freq, period_key(freq, day))


def periods(freq: str, start: dt.date, end: dt.date) -> list[Period]:
    """The periods due from ``start`` (the day a tier took effect) to ``end`` inclusive: the first one
    begins on ``start``; the last one is whole (its end may be after ``end``)."""
    if end < start:
        return []
    first, last = period_key(freq, start), period_key(freq, end)
    found = [period_of_key(freq, k) for k in range(first, last + 1)]
    found[0] = Period(start, found[0].end)
    return found


@dataclass(frozen=True)
class TierSpan:
    """A stretch of time under one frequency: from ``start`` until the day before ``until`` (None: still)."""

    start: dt.date
    freq: str
    until: dt.date | None = None


def spans(
    first_day: dt.date, initial: str, changes: Iterable[tuple[dt.date, str]], freq_of: dict[str, str]
) -> list[TierSpan]:
    """A resident's frequencies over time: tier ``initial`` from ``first_day`` (the record's first day),
    then each change (day it took effect, new tier); ``freq_of`` maps a tier to the frequency that
    applies (the stricter of the tier and the resident's groups). Same-day changes: the last one wins; a
    change to a tier of the same frequency does not restart the period."""
    ordered = sorted(changes, key=lambda c: c[0])
    begin = min([first_day, *(d for d, _ in ordered[:1])])
    points: list[tuple[dt.date, str]] = [(begin, freq_of[initial])]
    for day, tier in ordered:
        freq = freq_of[tier]
        if day <= points[-1][0]:
            points[-1] = (points[-1][0], freq)
        elif freq != points[-1][1]:
            points.append((day, freq))
    merged: list[tuple[dt.date, str]] = []
    for day, freq in points:
        if merged and merged[-1][1] == freq:
            continue
        merged.append((day, freq))
    return [
        TierSpan(day, freq, merged[i + 1][0] if i + 1 < len(merged) else None)
        for i, (day, freq) in enumerate(merged)
    ]


@dataclass(frozen=True)
class DueState:
    period: Period  # the current period (starting no earlier than the day the tier took effect)
    done: bool  # visited in the current period
    last_visit_on: dt.date | None
    missed: int  # past periods (ending on or after ``since``) without a visit
    freq: str


def due_state(
    span_list: Sequence[TierSpan], visits: Iterable[dt.date], today: dt.date, since: dt.date
) -> DueState:
    """Where a resident stands on ``today``: the current period (of the last span), whether it has its
    visit, the last visit, and how many periods that ended before today, and on or after ``since``, had
    none. ``visits`` are visit dates (any order, duplicates allowed)."""
    days = set(visits)
    last_visit = max((d for d in days if d <= today), default=None)
    one = dt.timedelta(days=1)
    missed = 0
    sp = span_list[-1]
    for sp in span_list:
        if sp.start > today:
            break
        hit = period_keys(sp.freq, (d for d in days if d >= sp.start and (sp.until is None or d < sp.until)))
        last_day = today - one if sp.until is None else min(today - one, sp.until - one)
        if last_day >= max(sp.start, since):
            first = period_key(sp.freq, max(sp.start, since))
            last = period_key(sp.freq, last_day)
            if period_of_key(sp.freq, last).end > last_day:
                last -= 1  # not ended (yet, or before the tier changed): not a missed period
            missed += sum(1 for k in range(first, last + 1) if k not in hit)
        if sp.until is None:
            cur = period_of(sp.freq, today)
            return DueState(
                Period(max(cur.start, sp.start), cur.end),
                period_key(sp.freq, today) in hit,
                last_visit,
                missed,
                sp.freq,
            )
    # the newest tier takes effect after today (or nothing is in force yet)
    start = sp.start
    return DueState(Period(start, period_of(sp.freq, start).end), False, last_visit, missed, sp.freq)


@dataclass(frozen=True)
class RateCount:
    due: int = 0
    done: int = 0

    def __add__(self, other: RateCount) -> RateCount:
        return RateCount(self.due + other.due, self.done + other.done)

    @property
    def rate(self) -> float | None:
        """done ÷ due, or None when nothing was due."""
        return self.done / self.due if self.due else None


def month_bounds(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def month_count(
    span_list: Sequence[TierSpan],
    visits: Iterable[dt.date],
    year: int,
    month: int,
    as_of: dt.date,
    until: dt.date | None = None,
) -> RateCount:
    """Periods due that end in the month (and by ``as_of``) and how many of them have a visit. ``until``:
    the day the resident left the register (periods ending on or after it are not due)."""
    m = month_bounds(year, month)
    last = min(m.end, as_of)
    if until is not None:
        last = min(last, until - dt.timedelta(days=1))
    days = set(visits)
    due = done = 0
    for sp in span_list:
        # a period ending in the month starts at most 31 days before it: older ones need not be listed
        for p in periods(sp.freq, max(sp.start, m.start - dt.timedelta(days=31)), last):
            if p.end < m.start or p.end > last or (sp.until is not None and p.end >= sp.until):
                continue
            due += 1
            done += any(d in p for d in days)
    return RateCount(due, done)
