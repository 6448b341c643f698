"""Deadline arithmetic of 司法确认 and 诉前委派, pure functions on plain values.

Civil-procedure periods (民诉法 §85; 民诉法解释: 法定休假日 includes the weekend):

* the day the period starts is not counted, so a 30-day period from 2026-03-20 ends on 2026-04-19;
* a last day that is a weekend or a statutory holiday moves to the next working day; a Saturday or
  Sunday the State Council made a working day (调休上班) counts as a working day;
* a period in years ends on the same month and day (民法典 §203: with no such day — 29 February — on
  the last day of that month).

The periods: application within 30 days of the agreement taking effect (人民调解法 §33); the court
decides on acceptance within 3 days and rules within 15 days of acceptance, 25 with the president's
approval (法释〔2011〕5号 §4–5); a court-referred mediation runs 30 days from receipt, plus an approved
extension of up to 30; enforcement must be applied for within 2 years of the last day of performance
(民诉法 §250 of the 2023 text).

Years without holiday data, or with provisional data (待官方公布后核对), give a result marked
``checked=False`` so the UI can say the date must be checked.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# the calendar moved to the domain (the 网格事件 time limits count working days too); re-exported here
from desktop.domain.calendar import HolidayCalendar as HolidayCalendar

CONFIRMATION_DAYS = 30
ACCEPTANCE_DAYS = 3
RULING_DAYS = 15
RULING_EXTENSION_DAYS = 10
REFERRAL_DAYS = 30
REFERRAL_MAX_EXTENSION = 30
ENFORCEMENT_YEARS = 2

WARN_DAYS = 10  # yellow from here
URGENT_DAYS = 3  # red from here
ENFORCEMENT_WARN_DAYS = 60

LEVEL_ORDER = {"red": 3, "orange": 2, "yellow": 1, "info": 0, "": -1}


@dataclass(frozen=True)
class Due:
    """The last day of a period: ``nominal`` by counting, ``day`` after moving past rest days."""

    day: dt.date
    nominal: dt.date
    checked: bool = True  # the holiday data of every year it touched is official

    @property
    def moved(self) -> bool:
        return self.day != self.nominal

    def describe(self, cal: HolidayCalendar | None = None) -> str:
        """ "2026-10-08（10月1日为国庆节，顺延）" style explanation."""
        text = f"{self.day:%Y-%m-%d}"
        if self.moved:
            why = cal.day_name(self.nominal) if cal else ""
            text += f"（{self.nominal:%m-%d}{'为' + why if why else '为休息日'}，顺延）"
        if not self.checked:
            text += "（节假日安排待核对）"
        return text


def _roll(nominal: dt.date, cal: HolidayCalendar) -> Due:
    day = cal.next_working_day(nominal)
    checked = cal.is_checked(nominal) and cal.is_checked(day)
    return Due(day, nominal, checked)


def add_days(start: dt.date, days: int, cal: HolidayCalendar) -> Due:
    """A period of ``days`` days from ``start`` (``start`` not counted), moved off rest days."""
    return _roll(start + dt.timedelta(days=days), cal)


def same_day_years_later(start: dt.date, years: int) -> dt.date:
    year = start.year + years
    last = _calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last))


def add_years(start: dt.date, years: int, cal: HolidayCalendar) -> Due:
    return _roll(same_day_years_later(start, years), cal)


def confirmation_deadline(effective_on: dt.date, cal: HolidayCalendar) -> Due:
    """申请司法确认的最后一日: 30 days after the agreement took effect."""
    return add_days(effective_on, CONFIRMATION_DAYS, cal)


def acceptance_due(filed_on: dt.date, cal: HolidayCalendar) -> Due:
    return add_days(filed_on, ACCEPTANCE_DAYS, cal)


def ruling_due(accepted_on: dt.date, extended: bool, cal: HolidayCalendar) -> Due:
    return add_days(accepted_on, RULING_DAYS + (RULING_EXTENSION_DAYS if extended else 0), cal)


def referral_deadline(received_on: dt.date, extension_days: int, cal: HolidayCalendar) -> Due:
    if not 0 <= extension_days <= REFERRAL_MAX_EXTENSION:
        raise ValueError(f"延长天数应在 0–{REFERRAL_MAX_EXTENSION} 之间")
    return add_days(received_on, REFERRAL_DAYS + extension_days, cal)


def enforcement_from(ruling_on: dt.date, due_dates: Iterable[dt.date | None]) -> dt.date:
    """申请执行期间的起算日: the last performance date of the agreement, else the day of the ruling."""
    dues = [d for d in due_dates if d is not None]
    return max(dues) if dues else ruling_on


def enforcement_limit(start: dt.date, cal: HolidayCalendar) -> Due:
    return add_years(start, ENFORCEMENT_YEARS, cal)


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Alert:
    kind: str  # deadline | acceptance_late | ruling_late | rejected | enforcement | referral | report_back
    level: str  # "red" | "orange" | "yellow"
    due_on: dt.date | None
    text: str
    overdue: bool = False


def _count_down(
    kind: str, what: str, due: dt.date, today: dt.date, checked: bool, warn: int = WARN_DAYS
) -> Alert | None:
    left = (due - today).days
    note = "" if checked else "（节假日安排待核对）"
    if left < 0:
        return Alert(kind, "red", due, f"{what}已过 {-left} 天（{due:%Y-%m-%d}）{note}", True)
    if left == 0:
        return Alert(kind, "red", due, f"今天是{what}最后一天（{due:%Y-%m-%d}）{note}")
    if left <= URGENT_DAYS:
        return Alert(kind, "red", due, f"{what}还剩 {left} 天（{due:%Y-%m-%d}）{note}")
    if left <= warn:
        return Alert(kind, "yellow", due, f"{what}还剩 {left} 天（{due:%Y-%m-%d}）{note}")
    return None


@dataclass(frozen=True)
class TrackFacts:
    """What the warnings of one confirmation track depend on."""

    state: str
    deadline: dt.date
    filed_on: dt.date | None = None
    accepted_on: dt.date | None = None
    ruling_extended: bool = False
    ruling_on: dt.date | None = None
    rejection_follow_up: str | None = None
    performance: str | None = None
    enforcement_limit: dt.date | None = None
    enforcement_applied_on: dt.date | None = None


def track_alerts(f: TrackFacts, today: dt.date, cal: HolidayCalendar) -> list[Alert]:
    out: list[Alert] = []
    if f.state == "PREPARING":
        a = _count_down("deadline", "司法确认申请期限", f.deadline, today, cal.is_checked(f.deadline))
        if a:
            out.append(a)
    elif f.state == "FILED" and f.filed_on is not None:
        due = acceptance_due(f.filed_on, cal)
        if today > due.day:
            out.append(
                Alert(
                    "acceptance_late",
                    "orange",
                    due.day,
                    f"法院逾期未决定是否受理（{f.filed_on:%Y-%m-%d}申请，应于{due.day:%Y-%m-%d}前决定），请联系法院",
                    True,
                )
            )
    elif f.state == "ACCEPTED" and f.accepted_on is not None:
        due = ruling_due(f.accepted_on, f.ruling_extended, cal)
        if today > due.day:
            limit = "25" if f.ruling_extended else "15"
            hint = "" if f.ruling_extended else "；如经院长批准延长，请在记录中勾选“已延长”"
            out.append(
                Alert(
                    "ruling_late",
                    "orange",
                    due.day,
                    f"法院逾期未裁定（{f.accepted_on:%Y-%m-%d}受理，{limit}日内应于{due.day:%Y-%m-%d}前裁定）{hint}",
                    True,
                )
            )
    elif f.state == "REJECTED" and not f.rejection_follow_up:
        out.append(
            Alert(
                "rejected",
                "orange",
                f.ruling_on,
                "裁定驳回申请：需组织重新调解（变更原协议或达成新协议）或告知当事人向法院起诉",
            )
        )
    elif (
        f.state == "VALID"
        and f.performance in ("NOT_PERFORMED", "PARTIAL")
        and f.enforcement_applied_on is None
        and f.enforcement_limit is not None
    ):
        a = _count_down(
            "enforcement",
            "申请强制执行期限",
            f.enforcement_limit,
            today,
            cal.is_checked(f.enforcement_limit),
            ENFORCEMENT_WARN_DAYS,
        )
        if a:
            out.append(a)
    return out


@dataclass(frozen=True)
class ReferralFacts:
    deadline: dt.date
    result: str | None = None
    reported_back_on: dt.date | None = None


def referral_alerts(f: ReferralFacts, today: dt.date, cal: HolidayCalendar) -> list[Alert]:
    if f.result is None:
        a = _count_down("referral", "委派调解期限", f.deadline, today, cal.is_checked(f.deadline))
        if a and a.overdue:
            a = Alert(a.kind, a.level, a.due_on, a.text + "，应终止调解并反馈法院，或经批准延长", True)
        return [a] if a else []
    if f.reported_back_on is None:
        return [Alert("report_back", "orange", None, "调解结果尚未反馈委派法院")]
    return []


def worst(alerts: Iterable[Alert]) -> str:
    return max((a.level for a in alerts), key=lambda lv: LEVEL_ORDER[lv], default="")
