"""Shared pieces of the event services: loading an event, the one step writer every transition uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from db.schema.events import EventStep, GridEvent
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.events import STEP_LABELS, light, next_state
from desktop.domain.text import clean_text
from desktop.services.access import check_grid_in_session
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import UnitOfWork

#: the columns a transition may change, kept in the audit record before/after
_AUDITED = (
    "state",
    "department",
    "whistle_kind",
    "deadline",
    "extended_days",
    "extension_pending",
    "closed_at",
)


def load_event(s: Session, event_id: int) -> GridEvent:
    event = s.get(GridEvent, event_id)
    if event is None:
        raise NotFoundError(f"事件（编号 {event_id}）不存在，可能已被其他用户修改。")
    check_grid_in_session(s, event.grid_id, f"事件 {event.event_no} ")  # every step and card passes here
    return event


def load_for_step(
    s: Session, event_id: int, version: int | None, kind: str, *, passed: bool = True
) -> GridEvent:
    """The event, once the version the user saw and the state machine allow step ``kind`` (checked first,
    so a refused step says why before any field of the form is looked at)."""
    event = load_event(s, event_id)
    check_version(event.version, version, f"事件 {event.event_no} ")
    next_state(event.state, kind, passed=passed)
    return event


def opt_text(value: object, limit: int, label: str, field_name: str) -> str | None:
    text = clean_text(value)
    if len(text) > limit:
        raise ValidationError(f"{label}过长（{len(text)} 字，最多 {limit} 字）。", field=field_name)
    return text or None


def need_text(value: object, limit: int, label: str, field_name: str) -> str:
    text = opt_text(value, limit, label, field_name)
    if not text:
        raise ValidationError(f"请填写{label}。", field=field_name)
    return text


def step_time(event: GridEvent, at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a step happened: ``now`` unless given; never before the event's last step, never in the future."""
    at = (at or now).replace(second=0, microsecond=0)
    if at > now:
        raise ValidationError(f"办理时间（{at:%Y-%m-%d %H:%M}）不能晚于现在。", field="at")
    last = max((s.at for s in event.steps), default=event.received_at)
    if at < last:
        raise ValidationError(
            f"办理时间（{at:%Y-%m-%d %H:%M}）不能早于上一环节（{last:%Y-%m-%d %H:%M}）。", field="at"
        )
    return at


def apply_step(
    uow: UnitOfWork,
    event: GridEvent,
    version: int | None,
    kind: str,
    *,
    at: dt.datetime,
    actor: str | None,
    note: str | None = None,
    passed: bool = True,
    changes: dict[str, Any] | None = None,
    **step: Any,
) -> EventStep:
    """Check the version and the state machine, write the step, apply ``changes`` and the new state, audit.

    The caller has checked what is particular to the step (a department named, a rating, …)."""
    check_version(event.version, version, f"事件 {event.event_no} ")
    state = next_state(event.state, kind, passed=passed)
    before = {k: v for k, v in snapshot(event).items() if k in _AUDITED}
    who = opt_text(actor, 50, "办理人", "actor") or uow.actor.user[:50]
    for key, value in (changes or {}).items():
        setattr(event, key, value)
    event.state = state
    event.step_count += 1
    row = EventStep(
        event_id=event.id,
        kind=kind,
        at=at,
        actor=who,
        note=note,
        state_after=state,
        passed=(passed if kind == "VERIFY" else None),
        recorded_by=uow.actor.user,
        recorded_at=uow.clock.utcnow(),
        **{"department": event.department, **step},
    )
    uow.session.add(row)
    event.steps.append(row)
    uow.session.flush()
    after = {k: v for k, v in snapshot(event).items() if k in _AUDITED}
    summary = f"事件 {event.event_no} {STEP_LABELS[kind]}" + (f"：{note}" if note else "")
    uow.audit("step", "grid_event", event.id, summary=summary, before=before, after=after)
    return row


def light_of(
    deadline: dt.datetime,
    closed_at: dt.datetime | None,
    limit_unit: str,
    limit_amount: int,
    extended_days: int,
    as_of: dt.datetime,
    cal: HolidayCalendar,
) -> str | None:
    """The light of an event from its stored columns (an extended event is judged by days)."""
    hours = limit_amount if limit_unit == "HOUR" and not extended_days else None
    return light(deadline, as_of, cal, closed=closed_at is not None and closed_at <= as_of, hours=hours)


def event_light(event: GridEvent, as_of: dt.datetime, cal: HolidayCalendar) -> str | None:
    return light_of(
        event.deadline, event.closed_at, event.limit_unit, event.limit_amount, event.extended_days, as_of, cal
    )
