"""网格事件: the vocabulary of the loop, the state machine (one table), time limits and warning lights.

The loop, as the 吹哨报到 practice describes it: 上报 → 受理 → handled in the grid or community (就地处置;
simple events closed the same day) or 吹哨 to a department → 派单 → 签收 (within 1 hour of the whistle) →
联系社区 (within 24 hours) → 报到/处置 → 核查 → 结案 → 回访/评价. Extensions are requested and approved or refused; red events get 督办 records; a department may
退回 an order that is not its own. Every step is a dated record; nothing is deleted.

Time limits (pure functions on plain values, the holiday calendar passed in):

* a limit of N working days ends at 24:00 of the N-th working day after the day of receipt (that day is
  not counted); weekends and 放假 days are skipped, 调休上班 weekend days count (国务院办公厅 yearly notice);
  the end is stored as 00:00 of the following day;
* a limit of N hours ends N clock hours after receipt;
* light at a moment ``as_of``: red once the end has passed; yellow when the end falls today or on the next
  working day (hour limits: less than a quarter of the limit left); green otherwise; none once closed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.core.errors import ValidationError
from desktop.domain.calendar import HolidayCalendar

# ---------------------------------------------------------------- vocabulary

URGENCY_LABELS = {"NORMAL": "一般", "URGENT": "紧急"}
WHISTLE_LABELS = {"PROGRESS": "工作推进哨", "TOUGH": "攻坚克难哨"}
RATING_LABELS = {"SATISFIED": "满意", "BASIC": "基本满意", "UNSATISFIED": "不满意"}
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
UNIT_LABELS = {"WORKDAY": "个工作日", "HOUR": "小时"}

STATE_LABELS = {
    "REPORTED": "待受理",
    "ACCEPTED": "已受理",
    "HANDLED": "已就地处置",
    "WHISTLED": "已吹哨",
    "DISPATCHED": "已派单",
    "SIGNED": "已签收",
    "ARRIVED": "已报到",
    "DISPOSED": "已处置",
    "VERIFIED": "已核查",
    "CLOSED": "已结案",
}
OPEN_STATES = tuple(s for s in STATE_LABELS if s != "CLOSED")
#: a department holds the event in these states
DEPARTMENT_STATES = ("WHISTLED", "DISPATCHED", "SIGNED", "ARRIVED", "DISPOSED")

STEP_LABELS = {
    "REPORT": "上报",
    "ACCEPT": "受理",
    "HANDLE": "就地处置",
    "WHISTLE": "吹哨",
    "DISPATCH": "派单",
    "SIGN": "签收",
    "CONTACT": "联系社区",
    "ARRIVE": "报到",
    "DISPOSE": "处置",
    "VERIFY": "核查",
    "CLOSE": "结案",
    "VISIT": "回访",
    "RATE": "评价",
    "EXT_REQUEST": "申请延期",
    "EXT_APPROVE": "批准延期",
    "EXT_REFUSE": "驳回延期",
    "SUPERVISE": "督办",
    "RETURN": "退回",
    "TO_MEDIATION": "转人民调解",
}

# ---------------------------------------------------------------- the state machine (the one table)


@dataclass(frozen=True)
class Transition:
    """Which states a step may be taken from and the state it leads to (``None``: the state stays)."""

    sources: tuple[str, ...]
    target: str | None
    #: the state a failed 核查 sends the event back to, per source state
    on_fail: tuple[tuple[str, str], ...] = ()


TRANSITIONS: dict[str, Transition] = {
    "ACCEPT": Transition(("REPORTED",), "ACCEPTED"),
    "HANDLE": Transition(("ACCEPTED",), "HANDLED"),
    "WHISTLE": Transition(("ACCEPTED",), "WHISTLED"),
    "DISPATCH": Transition(("ACCEPTED", "WHISTLED"), "DISPATCHED"),
    "SIGN": Transition(("DISPATCHED",), "SIGNED"),
    # 吹哨: the department contacts the community within 24 hours of the whistle (a dated record; the state
    # stays 已签收 until it comes in person, 报到). Older events without one count 报到/处置 as the contact.
    "CONTACT": Transition(("SIGNED",), None),
    "ARRIVE": Transition(("SIGNED",), "ARRIVED"),
    "DISPOSE": Transition(("SIGNED", "ARRIVED"), "DISPOSED"),
    "VERIFY": Transition(
        ("HANDLED", "DISPOSED"), "VERIFIED", on_fail=(("HANDLED", "ACCEPTED"), ("DISPOSED", "SIGNED"))
    ),
    "CLOSE": Transition(("HANDLED", "VERIFIED"), "CLOSED"),
    "VISIT": Transition(("CLOSED",), None),
    "RATE": Transition(("CLOSED",), None),
    "EXT_REQUEST": Transition(OPEN_STATES[1:], None),
    "EXT_APPROVE": Transition(OPEN_STATES[1:], None),
    "EXT_REFUSE": Transition(OPEN_STATES[1:], None),
    "SUPERVISE": Transition(OPEN_STATES, None),
    "RETURN": Transition(("WHISTLED", "DISPATCHED", "SIGNED"), "ACCEPTED"),
    "TO_MEDIATION": Transition(("ACCEPTED",), "HANDLED"),
}


def allowed_steps(state: str) -> list[str]:
    """The steps the state machine allows from ``state`` (before the extra checks of each step)."""
    return [k for k, t in TRANSITIONS.items() if state in t.sources]


def next_state(state: str, kind: str, *, passed: bool = True) -> str:
    """The state after step ``kind`` from ``state``, or a ValidationError saying why it is not allowed."""
    rule = TRANSITIONS.get(kind)
    if rule is None:
        raise ValidationError(f"未知的事件环节“{kind}”。", field="kind")
    if state not in rule.sources:
        now = STATE_LABELS.get(state, state)
        can = "、".join(STEP_LABELS[k] for k in allowed_steps(state)) or "无"
        raise ValidationError(
            f"事件当前状态为“{now}”，不能{STEP_LABELS[kind]}（当前可以：{can}）。", field="state"
        )
    if kind == "VERIFY" and not passed:
        return dict(rule.on_fail)[state]
    return state if rule.target is None else rule.target


# ---------------------------------------------------------------- time limits


@dataclass(frozen=True)
class TimeLimit:
    """``amount`` working days (``WORKDAY``) or clock hours (``HOUR``)."""

    amount: int
    unit: str = "WORKDAY"

    def __post_init__(self) -> None:
        if self.unit not in UNIT_LABELS:
            raise ValidationError(f"时限单位应为工作日或小时（不是“{self.unit}”）。", field="unit")
        if not 1 <= self.amount <= (720 if self.unit == "HOUR" else 60):
            most = 720 if self.unit == "HOUR" else 60
            raise ValidationError(f"时限应在 1–{most}{UNIT_LABELS[self.unit]}之间。", field="amount")

    def __str__(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"

    def to_json(self) -> list[object]:
        return [self.amount, self.unit]

    @classmethod
    def from_json(cls, value: object) -> TimeLimit:
        """``[5, "WORKDAY"]`` → the limit (ValueError/TypeError/ValidationError on anything else)."""
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise TypeError("a time limit is [amount, unit]")
        amount, unit = value
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError("amount must be an integer")
        return cls(amount, str(unit))


_LIMIT_TEXT = re.compile(r"^([+-]?\d+)\s*(个)?\s*(工作日|小时|h|天|日)?$", re.IGNORECASE)


def parse_limit(text: str) -> TimeLimit | None:
    """``"5个工作日"``/``"5 工作日"``/``"24小时"``/``"24h"`` → the limit; blank → None (inherited); anything else a
    ValidationError saying what to write (``"0个工作日"``: the range; ``"5天"``: working days or hours?)."""
    raw = (text or "").strip()
    if not raw:
        return None
    m = _LIMIT_TEXT.match(raw.replace(" ", ""))
    if m is None:
        raise ValidationError(f"时限“{raw}”无法识别，请写成“5个工作日”或“24小时”。", field="amount")
    number, _ge, unit = m.groups()
    if unit is None:
        raise ValidationError(
            f"时限“{raw}”没有单位，请写成“{number}个工作日”或“{number}小时”。", field="unit"
        )
    if unit in ("天", "日"):
        raise ValidationError(
            f"时限“{raw}”不明确：请写“{number}个工作日”（节假日不计）或换算成小时。", field="unit"
        )
    amount = int(number)
    code = "HOUR" if unit.lower() in ("小时", "h") else "WORKDAY"
    if amount <= 0:
        raise ValidationError(f"时限“{raw}”应为正数（至少 1{UNIT_LABELS[code]}）。", field="amount")
    return TimeLimit(amount, code)


DEFAULT_NORMAL_LIMIT = TimeLimit(5, "WORKDAY")
DEFAULT_URGENT_LIMIT = TimeLimit(24, "HOUR")
#: 吹哨: the department reports (报到) within 3 (工作推进哨) or 5 (攻坚克难哨) working days,
#: signs for it within 1 hour and contacts the community within 24 hours
WHISTLE_REPORT_LIMITS = {"PROGRESS": TimeLimit(3), "TOUGH": TimeLimit(5)}
SIGN_LIMIT = TimeLimit(1, "HOUR")
CONTACT_LIMIT = TimeLimit(24, "HOUR")


def nth_working_day_after(day: dt.date, n: int, cal: HolidayCalendar) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


def deadline(start: dt.datetime, limit: TimeLimit, cal: HolidayCalendar) -> dt.datetime:
    """When ``limit`` counted from ``start`` ends: 24:00 (00:00 of the next day) of the N-th working day
    after ``start``'s day, or ``start`` plus N hours."""
    if limit.unit == "HOUR":
        return start + dt.timedelta(hours=limit.amount)
    last = nth_working_day_after(start.date(), limit.amount, cal)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time())


def extended_deadline(current: dt.datetime, days: int, cal: HolidayCalendar) -> dt.datetime:
    """An approved extension of ``days`` working days: 24:00 of the ``days``-th working day after the day
    the current limit ends on."""
    return dt.datetime.combine(
        nth_working_day_after(end_day(current), days, cal) + dt.timedelta(days=1), dt.time()
    )


def end_day(end: dt.datetime) -> dt.date:
    """The day a limit ends on: 00:00 belongs to the day before (24:00)."""
    return (end - dt.timedelta(microseconds=1)).date()


def format_end(end: dt.datetime) -> str:
    """ "2026-10-13 24:00" for a day's end, "2026-11-24 10:00" otherwise."""
    if end.time() == dt.time():
        return f"{end_day(end):%Y-%m-%d} 24:00"
    return f"{end:%Y-%m-%d %H:%M}"


def light(
    end: dt.datetime,
    as_of: dt.datetime,
    cal: HolidayCalendar,
    *,
    closed: bool = False,
    hours: int | None = None,
) -> str | None:
    """The warning light at ``as_of``: ``"red"``, ``"yellow"``, ``"green"``, or None once closed.

    ``hours`` is the limit of an hour-limited event (yellow under a quarter of it left); day-limited and
    extended events pass None (yellow when the end falls today or on the next working day)."""
    return LightMeter(as_of, cal)(end, closed=closed, hours=hours)


class LightMeter:
    """The lights of many events at one moment (the next working day looked up once)."""

    def __init__(self, as_of: dt.datetime, cal: HolidayCalendar) -> None:
        self.as_of = as_of
        self.horizon = yellow_horizon(as_of, cal)

    def __call__(self, end: dt.datetime, *, closed: bool = False, hours: int | None = None) -> str | None:
        if closed:
            return None
        if self.as_of >= end:
            return "red"
        if hours is not None:
            return "yellow" if (end - self.as_of) * 4 < dt.timedelta(hours=hours) else "green"
        # the end falls today or on the next working day ⇔ it is no later than 24:00 of that day
        return "yellow" if end <= self.horizon else "green"


def yellow_horizon(as_of: dt.datetime, cal: HolidayCalendar) -> dt.datetime:
    """Day-limited events ending before this moment are yellow or red at ``as_of`` (an SQL prefilter)."""
    return dt.datetime.combine(nth_working_day_after(as_of.date(), 1, cal) + dt.timedelta(days=1), dt.time())


@dataclass(frozen=True)
class WhistleDue:
    """What a department owes after a 吹哨 at ``at``."""

    kind: str
    at: dt.datetime
    sign_by: dt.datetime
    contact_by: dt.datetime
    report_by: dt.datetime


def whistle_due(kind: str, at: dt.datetime, cal: HolidayCalendar) -> WhistleDue:
    if kind not in WHISTLE_REPORT_LIMITS:
        raise ValidationError("吹哨类型应为工作推进哨或攻坚克难哨。", field="whistle_kind")
    return WhistleDue(
        kind,
        at,
        deadline(at, SIGN_LIMIT, cal),
        deadline(at, CONTACT_LIMIT, cal),
        deadline(at, WHISTLE_REPORT_LIMITS[kind], cal),
    )
