"""司法确认 deadline arithmetic: first day not counted, rest days moved, month ends, leap years, warnings."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from desktop.core.paths import resources_dir
from desktop.services.judicial import deadlines as dl

D = dt.date


def _seed_calendar() -> dl.HolidayCalendar:
    rows = []
    for name in ("cn_2026.csv", "cn_2027.csv"):
        with open(resources_dir() / "holidays" / name, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                kind = "WORKDAY" if r["类型"] == "上班" else "HOLIDAY"
                rows.append(
                    (D.fromisoformat(r["日期"]), kind, r["名称"], int(r["年度"]), r["待核对"] == "是")
                )
    return dl.HolidayCalendar.of(rows)


CAL = _seed_calendar()


@pytest.mark.parametrize(
    ("effective", "deadline", "moved"),
    [
        (D(2026, 3, 20), D(2026, 4, 20), True),  # 04-19 is a Sunday → Monday
        (D(2026, 3, 19), D(2026, 4, 20), True),  # 04-18 Saturday → Monday
        (D(2026, 3, 17), D(2026, 4, 16), False),  # a plain Thursday; the first day is not counted
        (D(2026, 1, 31), D(2026, 3, 2), False),  # across February (28 days)
        (D(2026, 2, 28), D(2026, 3, 30), False),  # from a month's last day
        (D(2026, 7, 2), D(2026, 8, 3), True),  # 08-01 Saturday → 08-03 Monday
        (D(2026, 9, 1), D(2026, 10, 8), True),  # 10-01 国庆节 … 10-07 → 10-08
        (D(2026, 9, 10), D(2026, 10, 10), False),  # 10-10 is a Saturday but a 调休 working day
        (D(2026, 8, 21), D(2026, 9, 20), False),  # 09-20 is a Sunday but a 调休 working day
        (D(2026, 1, 16), D(2026, 2, 24), True),  # 02-15 春节 … 02-23 → 02-24
        (D(2026, 1, 15), D(2026, 2, 14), False),  # 02-14 Saturday, 调休上班
        (D(2025, 12, 2), D(2026, 1, 4), True),  # 01-01 元旦 … 01-03 → 01-04, a 调休 Sunday
        (D(2026, 4, 5), D(2026, 5, 6), True),  # 05-05 劳动节 → 05-06
        (D(2026, 5, 20), D(2026, 6, 22), True),  # 06-19 端午节 … 06-21 → 06-22
    ],
)
def test_confirmation_deadline_2026(effective: dt.date, deadline: dt.date, moved: bool) -> None:
    due = dl.confirmation_deadline(effective, CAL)
    assert due.nominal == effective + dt.timedelta(days=30)
    assert (due.day, due.moved, due.checked) == (deadline, moved, True)


def test_leap_years() -> None:
    # 2028 has no holiday data yet: weekends still move the day, but the result is flagged
    due = dl.confirmation_deadline(D(2028, 1, 30), CAL)
    assert (due.day, due.checked) == (D(2028, 2, 29), False)  # 2028-02-29 is a Tuesday
    assert dl.confirmation_deadline(D(2028, 2, 29), CAL).day == D(2028, 3, 30)
    assert dl.confirmation_deadline(D(2028, 2, 1), CAL).day == D(2028, 3, 2)
    # 30 days from 2027-01-30 in a common year: 03-01
    assert dl.confirmation_deadline(D(2027, 1, 30), CAL).nominal == D(2027, 3, 1)
    # years: 29 February has no day two years later → the last day of February
    assert dl.same_day_years_later(D(2028, 2, 29), 2) == D(2030, 2, 28)
    assert dl.same_day_years_later(D(2026, 2, 28), 2) == D(2028, 2, 28)
    lim = dl.enforcement_limit(D(2028, 2, 29), CAL)
    assert (lim.nominal, lim.day, lim.checked) == (D(2030, 2, 28), D(2030, 2, 28), False)


def test_provisional_2027_is_flagged_and_still_used() -> None:
    plain = dl.confirmation_deadline(D(2027, 1, 5), CAL)
    assert (plain.day, plain.checked) == (D(2027, 2, 4), False)
    eve = dl.confirmation_deadline(D(2027, 1, 6), CAL)  # 02-05 除夕 … 02-08 → 02-09
    assert (eve.day, eve.moved, eve.checked) == (D(2027, 2, 9), True, False)
    assert "待核对" in eve.describe(CAL)
    assert "顺延" in eve.describe(CAL) and "春节" in eve.describe(CAL)


def test_court_periods() -> None:
    assert dl.acceptance_due(D(2026, 9, 29), CAL).day == D(2026, 10, 8)  # 10-02 in 国庆节
    assert dl.acceptance_due(D(2026, 11, 18), CAL).day == D(2026, 11, 23)  # 11-21 Saturday → Monday
    assert dl.ruling_due(D(2026, 9, 16), False, CAL).day == D(2026, 10, 8)  # 10-01 → 10-08
    assert dl.ruling_due(D(2026, 9, 16), True, CAL).day == D(2026, 10, 12)  # 10-11 Sunday → 10-12
    assert dl.ruling_due(D(2026, 11, 2), False, CAL).day == D(2026, 11, 17)


def test_referral_periods() -> None:
    assert dl.referral_deadline(D(2026, 4, 1), 0, CAL).day == D(2026, 5, 6)  # 05-01 … 05-05 → 05-06
    assert dl.referral_deadline(D(2026, 4, 1), 30, CAL).day == D(2026, 6, 1)  # 05-31 Sunday
    assert dl.referral_deadline(D(2026, 11, 2), 10, CAL).day == D(2026, 12, 14)  # 12-12 Saturday
    with pytest.raises(ValueError):
        dl.referral_deadline(D(2026, 4, 1), 31, CAL)


def test_enforcement_period() -> None:
    assert dl.enforcement_from(D(2026, 5, 10), [D(2026, 4, 10), None, D(2026, 6, 30)]) == D(2026, 6, 30)
    assert dl.enforcement_from(D(2026, 5, 10), []) == D(2026, 5, 10)
    assert dl.enforcement_limit(D(2026, 6, 30), CAL).day == D(2028, 6, 30)  # a Friday
    assert dl.enforcement_limit(D(2026, 4, 30), CAL).day == D(2028, 5, 1)  # 2028-04-30 is a Sunday


def test_empty_calendar_moves_only_weekends() -> None:
    cal = dl.HolidayCalendar()
    assert dl.confirmation_deadline(D(2026, 9, 1), cal).day == D(2026, 10, 1)  # no holidays known
    assert not dl.confirmation_deadline(D(2026, 9, 1), cal).checked


# ---------------------------------------------------------------- warnings

T = D(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("deadline", "level", "overdue", "words"),
    [
        (D(2026, 12, 4), None, False, ""),  # 11 days
        (D(2026, 12, 3), "yellow", False, "还剩 10 天"),
        (D(2026, 11, 27), "yellow", False, "还剩 4 天"),
        (D(2026, 11, 26), "red", False, "还剩 3 天"),
        (D(2026, 11, 23), "red", False, "今天是"),
        (D(2026, 11, 20), "red", True, "已过 3 天"),
    ],
)
def test_application_deadline_levels(deadline: dt.date, level: str | None, overdue: bool, words: str) -> None:
    alerts = dl.track_alerts(dl.TrackFacts("PREPARING", deadline), T, CAL)
    if level is None:
        assert alerts == []
        return
    [a] = alerts
    assert (a.kind, a.level, a.overdue) == ("deadline", level, overdue)
    assert words in a.text and "司法确认申请期限" in a.text


def test_filed_tracks_do_not_warn_about_the_application_deadline() -> None:
    assert dl.track_alerts(dl.TrackFacts("FILED", D(2026, 11, 20), filed_on=D(2026, 11, 19)), T, CAL) == []


def test_court_late_on_acceptance_and_ruling() -> None:
    [late] = dl.track_alerts(dl.TrackFacts("FILED", D(2026, 11, 30), filed_on=D(2026, 11, 16)), T, CAL)
    assert (late.kind, late.level, late.due_on) == ("acceptance_late", "orange", D(2026, 11, 19))
    on_time = dl.TrackFacts("FILED", D(2026, 11, 30), filed_on=D(2026, 11, 18))  # due 11-23 (Monday)
    assert dl.track_alerts(on_time, T, CAL) == []
    accepted = dl.TrackFacts("ACCEPTED", D(2026, 11, 1), filed_on=D(2026, 10, 27), accepted_on=D(2026, 11, 2))
    [ruling] = dl.track_alerts(accepted, T, CAL)  # 15 days → 11-17
    assert (ruling.kind, ruling.due_on) == ("ruling_late", D(2026, 11, 17))
    assert "延长" in ruling.text
    extended = dl.TrackFacts(
        "ACCEPTED", D(2026, 11, 1), filed_on=D(2026, 10, 27), accepted_on=D(2026, 11, 2), ruling_extended=True
    )
    assert dl.track_alerts(extended, T, CAL) == []  # 25 days → 11-27


def test_rejected_needs_re_mediation_until_followed_up() -> None:
    f = dl.TrackFacts("REJECTED", D(2026, 10, 1), ruling_on=D(2026, 11, 2))
    [a] = dl.track_alerts(f, T, CAL)
    assert a.kind == "rejected" and "重新调解" in a.text
    done = dl.TrackFacts(
        "REJECTED", D(2026, 10, 1), ruling_on=D(2026, 11, 2), rejection_follow_up="已重新调解"
    )
    assert dl.track_alerts(done, T, CAL) == []


def test_enforcement_warning_only_when_not_performed() -> None:
    base = dict(state="VALID", deadline=D(2025, 1, 1), ruling_on=D(2025, 1, 10))
    near = dl.TrackFacts(**base, performance="NOT_PERFORMED", enforcement_limit=D(2026, 12, 20))
    [a] = dl.track_alerts(near, T, CAL)
    assert (a.kind, a.level) == ("enforcement", "yellow")
    assert (
        dl.track_alerts(
            dl.TrackFacts(**base, performance="PERFORMED", enforcement_limit=D(2026, 12, 20)),
            T,
            CAL,
        )
        == []
    )
    applied = dl.TrackFacts(
        **base,
        performance="PARTIAL",
        enforcement_limit=D(2026, 11, 1),
        enforcement_applied_on=D(2026, 10, 1),
    )
    assert dl.track_alerts(applied, T, CAL) == []


def test_referral_alerts() -> None:
    [a] = dl.referral_alerts(dl.ReferralFacts(D(2026, 11, 25)), T, CAL)
    assert (a.kind, a.level) == ("referral", "red")
    [over] = dl.referral_alerts(dl.ReferralFacts(D(2026, 11, 20)), T, CAL)
    assert over.overdue and "反馈法院" in over.text
    assert dl.referral_alerts(dl.ReferralFacts(D(2026, 12, 20)), T, CAL) == []
    [report] = dl.referral_alerts(dl.ReferralFacts(D(2026, 11, 20), result="SUCCESS"), T, CAL)
    assert report.kind == "report_back"
    assert dl.referral_alerts(dl.ReferralFacts(D(2026, 11, 20), "FAILED", D(2026, 11, 21)), T, CAL) == []
    assert dl.worst([a, report]) == "red"
