"""分色走访 rules on explicit dates: period boundaries, tier changes mid-period, the stricter of tier and
group, missed periods and the month's visit rate."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import visits as v

D = dt.date
FREQ = v.DEFAULT_TIER_FREQUENCIES


@pytest.mark.parametrize(
    ("freq", "day", "start", "end"),
    [
        (v.HALF_MONTH, D(2026, 11, 15), D(2026, 11, 1), D(2026, 11, 15)),
        (v.HALF_MONTH, D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 30)),
        (v.HALF_MONTH, D(2028, 2, 29), D(2028, 2, 16), D(2028, 2, 29)),  # leap February
        (v.HALF_MONTH, D(2027, 2, 16), D(2027, 2, 16), D(2027, 2, 28)),
        (v.MONTH, D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),
        (v.MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        # a Monday–Sunday week spanning the month (and year) end
        (v.WEEK, D(2026, 12, 31), D(2026, 12, 28), D(2027, 1, 3)),
        (v.WEEK, D(2027, 1, 3), D(2026, 12, 28), D(2027, 1, 3)),
        (v.WEEK, D(2026, 11, 23), D(2026, 11, 23), D(2026, 11, 29)),  # a Monday starts its week
        (v.DAY, D(2028, 2, 29), D(2028, 2, 29), D(2028, 2, 29)),
    ],
)
def test_calendar_periods(freq, day, start, end) -> None:
    p = v.period_of(freq, day)
    assert (p.start, p.end) == (start, end)
    assert v.period_of_key(freq, v.period_key(freq, day) + 1).start == end + dt.timedelta(days=1)


def test_periods_from_the_day_the_tier_took_effect() -> None:
    got = v.periods(v.HALF_MONTH, D(2028, 1, 20), D(2028, 3, 1))
    assert [(p.start, p.end) for p in got] == [
        (D(2028, 1, 20), D(2028, 1, 31)),  # the first one begins on the day itself
        (D(2028, 2, 1), D(2028, 2, 15)),
        (D(2028, 2, 16), D(2028, 2, 29)),
        (D(2028, 3, 1), D(2028, 3, 15)),
    ]
    assert v.periods(v.WEEK, D(2026, 11, 25), D(2026, 11, 24)) == []


def test_the_stricter_of_tier_and_group_applies() -> None:
    groups = {"社区矫正对象": v.MONTH, "吸毒人员": v.WEEK}
    assert v.resident_frequency("GREEN", ["社区矫正对象"], FREQ, groups) == v.MONTH
    assert v.resident_frequency("GREEN", ["吸毒人员", "社区矫正对象"], FREQ, groups) == v.WEEK
    assert v.resident_frequency("RED", ["吸毒人员"], FREQ, groups) == v.DAY  # the tier is stricter
    assert v.resident_frequency("BLUE", ["独居老人"], FREQ, groups) == v.HALF_MONTH  # no minimum
    # a locality that visits green monthly but 社区矫正对象 half-monthly
    assert (
        v.resident_frequency("GREEN", ["社区矫正对象"], FREQ, {"社区矫正对象": v.HALF_MONTH}) == v.HALF_MONTH
    )


def test_ways_read_from_codes_and_labels() -> None:
    assert [v.way_code(t) for t in ("入户", "电话", "视频", "其他", "phone", "上门走访", "微信")] == [
        "HOME", "PHONE", "VIDEO", "OTHER", "PHONE", "HOME", None,
    ]  # fmt: skip


def test_due_state_missed_and_done_for_a_blue_resident() -> None:
    spans = v.spans(D(2026, 9, 1), "BLUE", [], FREQ)
    today = D(2026, 11, 23)
    state = v.due_state(
        spans, [D(2026, 9, 3), D(2026, 10, 15), D(2026, 10, 16), D(2026, 11, 2)], today, D(2026, 9, 1)
    )
    # half-months ended: Sep 1–15 ✓, Sep 16–30 ✗, Oct 1–15 ✓, Oct 16–31 ✓, Nov 1–15 ✓ → one missed
    assert state.missed == 1
    assert (state.period.start, state.period.end, state.done) == (D(2026, 11, 16), D(2026, 11, 30), False)
    assert state.last_visit_on == D(2026, 11, 2)
    # the 15th and the 16th are different periods: one visit on the 15th does not cover the 16th–end
    later = v.due_state(spans, [D(2026, 11, 15)], D(2026, 11, 16), D(2026, 11, 1))
    assert (later.done, later.missed) == (False, 0)
    # the look-back window: periods that ended before ``since`` are not counted
    assert v.due_state(spans, [], today, D(2026, 11, 1)).missed == 1
    assert v.due_state(spans, [], today, D(2026, 9, 1)).missed == 5


def test_tier_change_mid_period_starts_the_new_tier_on_its_day() -> None:
    # green since January; red from Wednesday 2026-11-18 (the month's green period is cut: not due)
    spans = v.spans(D(2026, 1, 1), "GREEN", [(D(2026, 11, 18), "RED")], FREQ)
    assert [(s.start, s.freq, s.until) for s in spans] == [
        (D(2026, 1, 1), v.MONTH, D(2026, 11, 18)),
        (D(2026, 11, 18), v.DAY, None),
    ]
    visits = [D(2026, 10, 8), D(2026, 11, 3), D(2026, 11, 18), D(2026, 11, 20)]
    state = v.due_state(spans, visits, D(2026, 11, 23), D(2026, 10, 1))
    # October visited; November under green was cut by the change; red days 18–22: 19, 21, 22 missed
    assert state.missed == 3
    assert (state.freq, state.period.start, state.period.end) == (v.DAY, D(2026, 11, 23), D(2026, 11, 23))
    # orange from a Wednesday: the first week runs from that Wednesday to Sunday
    orange = v.spans(D(2026, 1, 1), "GREEN", [(D(2026, 11, 25), "ORANGE")], FREQ)
    s2 = v.due_state(orange, [D(2026, 11, 24)], D(2026, 11, 26), D(2026, 11, 1))
    assert (s2.period.start, s2.period.end, s2.done) == (D(2026, 11, 25), D(2026, 11, 29), False)
    s3 = v.due_state(orange, [D(2026, 11, 25)], D(2026, 11, 26), D(2026, 11, 1))
    assert s3.done


def test_change_to_the_same_frequency_keeps_the_period() -> None:
    groups = {"吸毒人员": v.WEEK}
    freq_of = {t: v.resident_frequency(t, ["吸毒人员"], FREQ, groups) for t in FREQ}
    spans = v.spans(D(2026, 1, 1), "GREEN", [(D(2026, 11, 18), "ORANGE")], freq_of)
    assert [(s.start, s.freq) for s in spans] == [(D(2026, 1, 1), v.WEEK)]


def test_month_rate_counts_periods_ending_in_the_month() -> None:
    spans = v.spans(D(2026, 1, 1), "ORANGE", [], FREQ)
    # November 2026: weeks ending Sun 1, 8, 15, 22, 29 (the week ending 6 Dec belongs to December)
    visits = [D(2026, 10, 28), D(2026, 11, 4), D(2026, 11, 20), D(2026, 11, 30)]
    c = v.month_count(spans, visits, 2026, 11, D(2026, 11, 30))
    assert (c.due, c.done) == (5, 3)  # Oct 26–Nov 1 ✓, Nov 2–8 ✓, 9–15 ✗, 16–22 ✓, 23–29 ✗
    assert c.rate == pytest.approx(0.6)
    # up to a day: only periods that ended by then
    assert v.month_count(spans, visits, 2026, 11, D(2026, 11, 22)) == v.RateCount(4, 3)
    # a resident who left on the 10th: due only for the periods that ended before
    assert v.month_count(spans, visits, 2026, 11, D(2026, 11, 30), until=D(2026, 11, 10)) == v.RateCount(2, 2)
    # February 2028, half-monthly: two periods, the second ending on the 29th
    blue = v.spans(D(2027, 1, 1), "BLUE", [], FREQ)
    assert v.month_count(blue, [D(2028, 2, 29)], 2028, 2, D(2028, 3, 31)) == v.RateCount(2, 1)
    assert v.RateCount(0, 0).rate is None
