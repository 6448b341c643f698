"""网格事件 rules on explicit dates: working-day limits around 国庆 2026, a 调休 Saturday and 元旦 2027,
hour limits, the light boundaries, the state machine, the whistle response times."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from desktop.core.errors import ValidationError
from desktop.core.paths import resources_dir
from desktop.domain import events as ev
from desktop.domain.calendar import HolidayCalendar
from desktop.services.judicial import deadlines as judicial_deadlines

T = dt.datetime
D = dt.date


def _calendar() -> HolidayCalendar:
    rows = []
    for name in ("cn_2026.csv", "cn_2027.csv"):
        with open(resources_dir() / "holidays" / name, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                kind = "WORKDAY" if r["类型"] == "上班" else "HOLIDAY"
                rows.append(
                    (D.fromisoformat(r["日期"]), kind, r["名称"], int(r["年度"]), r["待核对"] == "是")
                )
    return HolidayCalendar.of(rows)


CAL = _calendar()
FIVE = ev.TimeLimit(5, "WORKDAY")


def test_the_calendar_lives_in_the_domain_and_judicial_still_sees_it() -> None:
    assert judicial_deadlines.HolidayCalendar is HolidayCalendar
    assert CAL.is_working_day(D(2026, 10, 10))  # 国庆节调休上班, a Saturday
    assert not CAL.is_working_day(D(2026, 10, 7))  # 国庆节


@pytest.mark.parametrize(
    ("received", "limit", "end", "shown"),
    [
        # the eve of 国庆: 10-01…10-07 off; 10-08 (1), 10-09 (2), Saturday 10-10 调休上班 (3), 10-12 (4), 10-13 (5)
        (T(2026, 9, 30, 15, 0), FIVE, T(2026, 10, 14), "2026-10-13 24:00"),
        # the day of receipt is not counted, whatever the hour
        (T(2026, 9, 30, 0, 5), ev.TimeLimit(1), T(2026, 10, 9), "2026-10-08 24:00"),
        # Friday before the 调休 Saturday: the Saturday is the first working day
        (T(2026, 10, 9, 9, 0), ev.TimeLimit(1), T(2026, 10, 11), "2026-10-10 24:00"),
        # received on the 调休 Saturday itself: counting starts the next working day (Monday)
        (T(2026, 10, 10, 11, 0), ev.TimeLimit(2), T(2026, 10, 14), "2026-10-13 24:00"),
        # 2026-09-20 is a Sunday made a working day (国庆节调休上班); Saturday 09-19 is not
        (T(2026, 9, 18, 17, 0), ev.TimeLimit(1), T(2026, 9, 21), "2026-09-20 24:00"),
        # 元旦 2027 (Friday) and the weekend after it are skipped
        (T(2026, 12, 31, 16, 30), FIVE, T(2027, 1, 9), "2027-01-08 24:00"),
        (T(2027, 1, 1, 10, 0), ev.TimeLimit(1), T(2027, 1, 5), "2027-01-04 24:00"),
        # an ordinary week: Monday + 5 working days = next Monday
        (T(2026, 11, 23, 10, 0), FIVE, T(2026, 12, 1), "2026-11-30 24:00"),
    ],
)
def test_working_day_limits(received: dt.datetime, limit: ev.TimeLimit, end: dt.datetime, shown: str) -> None:
    got = ev.deadline(received, limit, CAL)
    assert got == end
    assert ev.format_end(got) == shown


def test_hour_limits_are_clock_hours_through_holidays() -> None:
    assert ev.deadline(T(2026, 9, 30, 20, 0), ev.TimeLimit(24, "HOUR"), CAL) == T(2026, 10, 1, 20, 0)
    assert ev.deadline(T(2026, 12, 31, 23, 30), ev.TimeLimit(1, "HOUR"), CAL) == T(2027, 1, 1, 0, 30)
    assert ev.format_end(T(2027, 1, 1, 0, 30)) == "2027-01-01 00:30"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (T(2026, 10, 10, 9, 0), "green"),  # Saturday (调休上班): next working day is Monday 10-12
        (T(2026, 10, 11, 10, 0), "green"),  # Sunday: the end (Tuesday) is after the next working day
        (T(2026, 10, 12, 8, 0), "yellow"),  # Monday: the end falls on the next working day
        (T(2026, 10, 13, 23, 59), "yellow"),  # the last day
        (T(2026, 10, 14, 0, 0), "red"),  # 24:00 has passed
        (T(2026, 10, 20, 9, 0), "red"),
    ],
)
def test_day_light_boundaries(as_of: dt.datetime, expected: str) -> None:
    end = ev.deadline(T(2026, 9, 30, 15, 0), FIVE, CAL)  # 2026-10-13 24:00
    assert ev.light(end, as_of, CAL) == expected


def test_yellow_across_the_national_day_holiday() -> None:
    """On the eve of 国庆 the next working day is 10-08: an event ending then is already yellow."""
    end = T(2026, 10, 9)  # 2026-10-08 24:00
    assert ev.light(end, T(2026, 9, 29, 10, 0), CAL) == "green"
    assert ev.light(end, T(2026, 9, 30, 10, 0), CAL) == "yellow"
    assert ev.light(end, T(2026, 10, 3, 10, 0), CAL) == "yellow"
    assert ev.light(end, T(2026, 10, 9, 0, 0), CAL) == "red"


def test_hour_light_boundaries() -> None:
    end = ev.deadline(T(2026, 11, 23, 10, 0), ev.TimeLimit(24, "HOUR"), CAL)
    assert end == T(2026, 11, 24, 10, 0)
    assert ev.light(end, T(2026, 11, 23, 10, 0), CAL, hours=24) == "green"
    assert ev.light(end, T(2026, 11, 24, 4, 0), CAL, hours=24) == "green"  # exactly a quarter left
    assert ev.light(end, T(2026, 11, 24, 4, 1), CAL, hours=24) == "yellow"  # under a quarter
    assert ev.light(end, T(2026, 11, 24, 9, 59), CAL, hours=24) == "yellow"
    assert ev.light(end, T(2026, 11, 24, 10, 0), CAL, hours=24) == "red"
    # judged by days, the same end would be yellow all of the 23rd
    assert ev.light(end, T(2026, 11, 23, 10, 0), CAL) == "yellow"


def test_no_light_once_closed() -> None:
    assert ev.light(T(2026, 10, 1), T(2026, 12, 1), CAL, closed=True) is None


def test_extension_counts_working_days_from_the_current_end() -> None:
    end = T(2026, 10, 14)  # 2026-10-13 24:00
    assert ev.extended_deadline(end, 3, CAL) == T(2026, 10, 17)  # 10-14, 10-15, 10-16
    # from the eve of 国庆: 2 more working days are 10-08 and 10-09
    assert ev.extended_deadline(T(2026, 10, 1), 2, CAL) == T(2026, 10, 10)
    # an hour limit ending mid-day: counted from that day
    assert ev.extended_deadline(T(2026, 9, 30, 20, 0), 1, CAL) == T(2026, 10, 9)


def test_whistle_response_times() -> None:
    due = ev.whistle_due("PROGRESS", T(2026, 9, 29, 16, 0), CAL)
    assert due.sign_by == T(2026, 9, 29, 17, 0)
    assert due.contact_by == T(2026, 9, 30, 16, 0)
    assert due.report_by == T(2026, 10, 10)  # 09-30, 10-08, 10-09 → 10-09 24:00
    tough = ev.whistle_due("TOUGH", T(2026, 9, 29, 16, 0), CAL)
    assert tough.report_by == T(2026, 10, 13)  # … Saturday 10-10, Monday 10-12 → 10-12 24:00
    with pytest.raises(ValidationError, match="工作推进哨或攻坚克难哨"):
        ev.whistle_due("LOUD", T(2026, 9, 29, 16, 0), CAL)


def test_state_machine_paths() -> None:
    s = "REPORTED"
    for kind in (
        "ACCEPT",
        "WHISTLE",
        "DISPATCH",
        "SIGN",
        "ARRIVE",
        "DISPOSE",
        "VERIFY",
        "CLOSE",
        "VISIT",
        "RATE",
    ):
        s = ev.next_state(s, kind)
    assert s == "CLOSED"
    assert ev.next_state("HANDLED", "CLOSE") == "CLOSED"  # a simple event closed after 就地处置
    assert ev.next_state("DISPOSED", "VERIFY", passed=False) == "SIGNED"
    assert ev.next_state("HANDLED", "VERIFY", passed=False) == "ACCEPTED"
    assert ev.next_state("SIGNED", "RETURN") == "ACCEPTED"
    assert "SUPERVISE" in ev.allowed_steps("SIGNED")
    assert "SUPERVISE" not in ev.allowed_steps("CLOSED")


@pytest.mark.parametrize(
    ("state", "kind", "words"),
    [
        ("REPORTED", "SIGN", "事件当前状态为“待受理”，不能签收"),
        ("ACCEPTED", "CLOSE", "不能结案"),
        ("CLOSED", "WHISTLE", "不能吹哨"),
        ("REPORTED", "EXT_REQUEST", "不能申请延期"),
        ("DISPATCHED", "DISPOSE", "当前可以：签收"),
    ],
)
def test_invalid_transitions_say_why_in_chinese(state: str, kind: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        ev.next_state(state, kind)
    assert words in err.value.message


def test_time_limit_checks() -> None:
    assert str(ev.TimeLimit(5)) == "5个工作日"
    assert str(ev.TimeLimit(24, "HOUR")) == "24小时"
    assert ev.TimeLimit.from_json([3, "WORKDAY"]) == ev.TimeLimit(3)
    with pytest.raises(ValidationError, match="1–60个工作日"):
        ev.TimeLimit(0)
    with pytest.raises(ValidationError, match="工作日或小时"):
        ev.TimeLimit(5, "WEEK")
    with pytest.raises(TypeError):
        ev.TimeLimit.from_json(["5", "WORKDAY"])
