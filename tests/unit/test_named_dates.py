"""Date-sensitive rules through the services, on named days: the clock is moved, nothing passes ``today``.

Every service here reads the day from the context's clock (``ctx.today()``), so these tests prove both the
rule and that the services ask the one clock — on the days that break naive date arithmetic: a Thursday
whose 30-day deadline falls on a Saturday, the eve of 国庆, 29 February, 1 January and 31 December.
The expected days are worked out by hand from the calendar (法释〔2011〕5号 and 民事诉讼法第八十五条:
the first day is not counted; a period ending on a rest day ends on the next working day).
"""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.clock import FixedClock
from desktop.core.errors import ValidationError
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.reports.periods import parse_month, parse_period
from tests.unit.test_judicial_services import COURT, agreement_on
from tests.unit.test_mediation_helpers import intake, setup_committee

D = dt.date


def _settled_on(ctx: ServiceContext, clock: FixedClock, effective: dt.date) -> str:
    """A case whose written agreement was made and took effect on ``effective`` (the clock stands there)."""
    cid, m1, _ = setup_committee(ctx)
    clock.set(effective)
    no = intake(ctx, cid, m1, accepted_on=effective - dt.timedelta(days=10))
    med.save_agreement(ctx, med.get_case(ctx, no).id, agreement_on(effective))
    return no


# (name, effective, today, deadline, days left on that day)
WINDOWS = [
    # a Thursday: 30 days later is Saturday 04-18 → Monday 04-20; on the Saturday itself 2 days remain
    ("thursday-deadline-on-saturday", D(2026, 3, 19), D(2026, 4, 18), D(2026, 4, 20), 2),
    # 30 days from 09-01 is 10-01 (国庆, 10-01…10-07 off) → 10-08; asked on the eve of 国庆
    ("eve-of-national-day", D(2026, 9, 1), D(2026, 9, 30), D(2026, 10, 8), 8),
    # 2028 is a leap year: 30 days from 01-30 is Tuesday 02-29, and it is the last day
    ("29-february", D(2028, 1, 30), D(2028, 2, 29), D(2028, 2, 29), 0),
    # 30 days from 2026-12-02 is 2027-01-01 (元旦), then a weekend → Monday 2027-01-04
    ("1-january", D(2026, 12, 2), D(2027, 1, 1), D(2027, 1, 4), 3),
    # 30 days from 12-01 is Thursday 12-31, a working day: asked on the last day of the year
    ("31-december", D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 31), 0),
]


@pytest.mark.parametrize(("effective", "today", "deadline", "left"), [w[1:] for w in WINDOWS], ids=[w[0] for w in WINDOWS])
def test_the_confirmation_window_on_named_days(
    street_ctx: ServiceContext, clock: FixedClock, effective: dt.date, today: dt.date, deadline: dt.date, left: int
) -> None:
    jc.save_court_settings(street_ctx, jc.CourtSettings(COURT))
    no = _settled_on(street_ctx, clock, effective)
    clock.set(today)
    [candidate] = jc.list_candidates(street_ctx)
    assert (candidate.case_no, candidate.deadline, candidate.days_left) == (no, deadline, left)
    e = jc.check_case(street_ctx, no)
    assert e.ok and e.deadline == deadline
    tid = jc.start_confirmation(street_ctx, no)
    track = jc.get_track(street_ctx, tid)
    assert (track.effective_on, track.deadline.day) == (effective, deadline)
    assert track.deadline.moved == (deadline != effective + dt.timedelta(days=30))
    # the next day the window has closed: the track is late, and a new case would be refused
    clock.set(deadline + dt.timedelta(days=1))
    [row] = jc.list_tracks(street_ctx)
    assert row.deadline == deadline
    assert jc.list_candidates(street_ctx) == []


def test_the_application_needs_a_late_reason_from_the_day_after_the_window(
    street_ctx: ServiceContext, clock: FixedClock
) -> None:
    jc.save_court_settings(street_ctx, jc.CourtSettings(COURT))
    no = _settled_on(street_ctx, clock, D(2026, 3, 19))
    tid = jc.start_confirmation(street_ctx, no)
    clock.set(D(2026, 4, 20))  # Monday, the moved deadline: still in time
    assert jc.get_track(street_ctx, tid).can_print_application(street_ctx.today()) == (True, "")
    clock.set(D(2026, 4, 21))
    track = jc.get_track(street_ctx, tid)
    ok, why = track.can_print_application(street_ctx.today())
    assert not ok and "2026-04-20" in why and "逾期" in why
    jc.record_late_reason(street_ctx, tid, track.version, "当事人住院治疗，出院后即来申请")
    assert jc.get_track(street_ctx, tid).can_print_application(street_ctx.today()) == (True, "")


@pytest.mark.parametrize(
    ("today", "started", "not_started"),
    [
        (D(2026, 12, 31), ["2026-12", "2026Q4", "2026"], ["2027-01", "2027Q1", "2027"]),
        (D(2027, 1, 1), ["2027-01", "2027Q1", "2027", "2026-12"], ["2027-02", "2027Q2", "2028"]),
        (D(2028, 2, 29), ["2028-02", "2028Q1"], ["2028-03", "2028Q2"]),
        (D(2026, 9, 30), ["2026-09", "2026Q3"], ["2026-10", "2026Q4"]),
    ],
    ids=["31-december", "1-january", "29-february", "eve-of-national-day"],
)
def test_report_periods_open_on_their_first_day(today: dt.date, started: list[str], not_started: list[str]) -> None:
    for code in started:
        assert parse_period(code, today).start <= today
    for code in not_started:
        with pytest.raises(ValidationError, match="尚未开始"):
            parse_period(code, today)
    month = parse_month(f"{today:%Y-%m}", today)
    assert (month.start, month.end) == (today.replace(day=1), _month_end(today))


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "today", [D(2026, 11, 23), D(2027, 1, 4), D(2027, 2, 10), D(2027, 10, 4), D(2028, 2, 29)], ids=str
)
def test_a_context_reads_only_its_clock(street_ctx: ServiceContext, clock: FixedClock, today: dt.date) -> None:
    """Whatever the system date, a saved record is dated by the context's clock, and a date after it is refused."""
    clock.set(dt.datetime.combine(today, dt.time(16, 45)))
    assert (street_ctx.today(), street_ctx.now()) == (today, dt.datetime.combine(today, dt.time(16, 45)))
    cid, m1, _ = setup_committee(street_ctx)
    no = intake(street_ctx, cid, m1, accepted_on=today)
    assert med.get_case(street_ctx, no).accepted_on == today
    with pytest.raises(ValidationError, match="晚于"):
        intake(street_ctx, cid, m1, accepted_on=today + dt.timedelta(days=1))
