"""Extensions (申请延期 → 批准延期 / 驳回延期) and 督办 of red events.

An approved extension of N working days moves the event's end to 24:00 of the N-th working day after the
day the current limit ends on; the approval step records the days and the new end. Both the request and
the decision are steps; nothing is overwritten but the event's current end. 督办 is only for an event
whose light is red at that moment: who demanded what, and when.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.schema.events import EventStep, GridEvent
from desktop.core.errors import ValidationError
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.events import TimeLimit, deadline, extended_deadline, format_end
from desktop.services.context import ServiceContext
from desktop.services.events.common import (
    apply_step,
    event_light,
    load_for_step,
    need_text,
    opt_text,
    step_time,
)
from desktop.services.judicial.common import load_calendar

MAX_EXTENSION_DAYS = 30


def _days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(f"延期天数应为 1–{MAX_EXTENSION_DAYS} 个工作日。", field="days")
    return days


def request_extension(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    days: int,
    reason: str,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """申请延期 by ``days`` working days, with the reason; one request at a time."""
    days = _days(days)
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "EXT_REQUEST")
        when = step_time(event, at, ctx.now())
        text = need_text(reason, 2000, "延期理由", "note")
        if event.extension_pending:
            raise ValidationError(f"事件 {event.event_no} 已有待审批的延期申请。", field="days")
        apply_step(
            uow,
            event,
            version,
            "EXT_REQUEST",
            at=when,
            actor=actor,
            note=text,
            changes={"extension_pending": True},
            extension_days=days,
        )
        return event.version


def _pending_days(steps: list[EventStep]) -> int:
    """The days of the latest request."""
    return next((s.extension_days or 0 for s in reversed(steps) if s.kind == "EXT_REQUEST"), 0)


def approve_extension(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    days: int | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """批准延期: the days requested (or ``days``, fewer or more) are added; the new end is recorded."""
    with ctx.write() as uow:
        s = uow.session
        event = load_for_step(s, event_id, version, "EXT_APPROVE")
        when = step_time(event, at, ctx.now())
        if not event.extension_pending:
            raise ValidationError(f"事件 {event.event_no} 没有待审批的延期申请。", field="days")
        granted = _days(days if days is not None else _pending_days(list(event.steps)))
        new_end = extended_deadline(event.deadline, granted, load_calendar(s))
        text = (
            opt_text(note, 2000, "审批意见", "note")
            or f"同意延期 {granted} 个工作日，期限至 {format_end(new_end)}"
        )
        apply_step(
            uow,
            event,
            version,
            "EXT_APPROVE",
            at=when,
            actor=actor,
            note=text,
            changes={
                "extension_pending": False,
                "deadline": new_end,
                "extended_days": event.extended_days + granted,
            },
            extension_days=granted,
            new_deadline=new_end,
        )
        return event.version


def refuse_extension(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    reason: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """驳回延期, with the reason; the end stays where it was."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "EXT_REFUSE")
        when = step_time(event, at, ctx.now())
        if not event.extension_pending:
            raise ValidationError(f"事件 {event.event_no} 没有待审批的延期申请。", field="days")
        text = need_text(reason, 2000, "驳回理由", "note")
        apply_step(
            uow,
            event,
            version,
            "EXT_REFUSE",
            at=when,
            actor=actor,
            note=text,
            changes={"extension_pending": False},
        )
        return event.version


def supervise(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    demand: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """督办 a red (overdue) event: who demanded what of the department holding it, and when."""
    with ctx.write() as uow:
        s = uow.session
        event = load_for_step(s, event_id, version, "SUPERVISE")
        when = step_time(event, at, ctx.now())
        text = need_text(demand, 2000, "督办要求", "note")
        if event.closed_at is None and event_light(event, when, load_calendar(s)) != "red":
            raise ValidationError(
                f"事件 {event.event_no} 尚未超过办理时限（{format_end(event.deadline)}），只有红灯事件才能督办。",
                field="state",
            )
        apply_step(uow, event, version, "SUPERVISE", at=when, actor=actor, note=text)
        return event.version


def recompute_deadlines(s: Session, cal: HolidayCalendar) -> int:
    """Give every open event the end its limit and its approved extensions have on ``cal`` (after the holiday
    calendar was corrected); returns how many changed. The caller's transaction; the caller audits."""
    changed = 0
    events = s.scalars(
        select(GridEvent).where(GridEvent.closed_at.is_(None)).options(selectinload(GridEvent.steps))
    )
    for event in events:
        end = deadline(event.received_at, TimeLimit(event.limit_amount, event.limit_unit), cal)
        for step in event.steps:
            if step.kind == "EXT_APPROVE" and step.extension_days:
                end = extended_deadline(end, step.extension_days, cal)
        if end != event.deadline:
            event.deadline = end
            changed += 1
    s.flush()
    return changed


def recompute_event_deadlines(ctx: ServiceContext) -> int:
    """``recompute_deadlines`` in one audited transaction (设置 → 节假日 calls it after a change).

    It is the calendar change's consequence, not an edit of any event: it is audited as the calendar's
    (``holiday_calendar``), so the calendar's owner (司法确认) recomputes even without 网格事件, and the events
    never keep ends computed on a calendar that no longer holds. It shows nobody any event."""
    with ctx.write() as uow:
        n = recompute_deadlines(uow.session, load_calendar(uow.session))
        uow.audit("update", "holiday_calendar", None, summary=f"节假日安排变更，重算 {n} 个网格事件的办理时限")
        return n
