"""The loop, one function per step: 受理, 就地处置, 吹哨, 派单, 签收, 联系社区, 报到, 处置, 核查, 结案, 回访, 评价, 退回.

Each takes the event's id and the version the user saw (``None`` skips the check, for scripts), checks
that the state machine (``desktop.domain.events.TRANSITIONS``) allows the step and what the step itself
needs, writes the step and the event's new state in one audited transaction, and returns the event's new
version. ``at`` is when it happened (default: now); ``actor`` who did it (default: the operator).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from desktop.core.errors import PermissionDenied, ValidationError
from desktop.domain.events import RATING_LABELS, WHISTLE_LABELS
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext
from desktop.services.events.common import apply_step, load_for_step, need_text, opt_text, step_time
from desktop.services.events.config import load_event_dictionary, load_whistlers


def _simple(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    kind: str,
    *,
    at: dt.datetime | None,
    actor: str | None,
    note: str | None,
    note_label: str | None = None,
) -> int:
    """A step that needs nothing but a note (required when ``note_label`` names it)."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, kind)
        when = step_time(event, at, ctx.now())
        text = (
            need_text(note, 2000, note_label, "note") if note_label else opt_text(note, 2000, "说明", "note")
        )
        apply_step(uow, event, version, kind, at=when, actor=actor, note=text)
        return event.version


def accept_event(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
    note: str | None = None,
) -> int:
    """受理."""
    return _simple(ctx, event_id, version, "ACCEPT", at=at, actor=actor, note=note)


def handle_on_site(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    note: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """就地处置: handled in the grid or community (then 核查, or 结案 directly for a simple event)."""
    return _simple(ctx, event_id, version, "HANDLE", at=at, actor=actor, note=note, note_label="处置情况")


def _department(s: Session, value: object, fallback: str | None) -> str:
    name = clean_text(value) or fallback
    if not name:
        raise ValidationError("请选择承办的职能部门。", field="department")
    departments = load_event_dictionary(s).departments
    if name not in departments:
        raise ValidationError(f"“{name}”不在职能部门字典中。", field="department")
    return name


def whistle(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    kind: str,
    department: str | None,
    note: str,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """吹哨: call a department in, as 工作推进哨 (报到 within 3 working days) or 攻坚克难哨 (within 5).
    Only the people named in 设置 → 可以吹哨的人员 may whistle (anyone while that list is empty)."""
    if kind not in WHISTLE_LABELS:
        raise ValidationError("吹哨类型应为工作推进哨或攻坚克难哨。", field="whistle_kind")
    with ctx.write() as uow:
        s = uow.session
        event = load_for_step(s, event_id, version, "WHISTLE")
        who = clean_text(actor) or ctx.actor.user
        allowed = load_whistlers(s)
        if allowed and who not in allowed and ctx.actor.user not in allowed:
            raise PermissionDenied(f"“{who}”不在可以吹哨的人员名单中（{'、'.join(allowed)}），不能吹哨。")
        when = step_time(event, at, ctx.now())
        dept = _department(s, department, event.department)
        reason = need_text(note, 2000, "吹哨事由", "note")
        apply_step(
            uow,
            event,
            version,
            "WHISTLE",
            at=when,
            actor=who,
            note=reason,
            changes={"department": dept, "whistle_kind": kind},
            whistle_kind=kind,
        )
        return event.version


def dispatch(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    department: str | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """派单 to a department (default: the one whistled, else the category's)."""
    with ctx.write() as uow:
        s = uow.session
        event = load_for_step(s, event_id, version, "DISPATCH")
        when = step_time(event, at, ctx.now())
        dept = _department(s, department, event.department)
        text = opt_text(note, 2000, "派单要求", "note")
        apply_step(
            uow, event, version, "DISPATCH", at=when, actor=actor, note=text, changes={"department": dept}
        )
        return event.version


def sign_for(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
    note: str | None = None,
) -> int:
    """签收 by the department (within 1 hour of a whistle)."""
    return _simple(ctx, event_id, version, "SIGN", at=at, actor=actor, note=note)


def contact_community(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
    note: str | None = None,
) -> int:
    """联系社区: the department got in touch with the community (within 24 hours of a whistle), once."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "CONTACT")
        since = max((s.id for s in event.steps if s.kind in ("WHISTLE", "DISPATCH")), default=0)
        done = next((s for s in event.steps if s.kind == "CONTACT" and s.id > since), None)
        if done is not None:
            raise ValidationError(
                f"事件 {event.event_no} 已于 {done.at:%Y-%m-%d %H:%M} 登记联系社区。", field="state"
            )
        when = step_time(event, at, ctx.now())
        text = opt_text(note, 2000, "联系情况", "note")
        apply_step(uow, event, version, "CONTACT", at=when, actor=actor, note=text)
        return event.version


def report_in(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
    note: str | None = None,
) -> int:
    """报到: the department comes to the community (within 3 or 5 working days of a whistle)."""
    return _simple(ctx, event_id, version, "ARRIVE", at=at, actor=actor, note=note)


def dispose(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    note: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """处置 by the department, with what was done."""
    return _simple(ctx, event_id, version, "DISPOSE", at=at, actor=actor, note=note, note_label="处置情况")


def verify(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    passed: bool,
    note: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """核查: passed → 已核查 (ready to close); not passed → back to whoever handled it, with the reason."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "VERIFY", passed=passed)
        when = step_time(event, at, ctx.now())
        if passed:
            text = opt_text(note, 2000, "核查意见", "note")
        else:
            text = need_text(note, 2000, "核查未通过的原因", "note")
        apply_step(uow, event, version, "VERIFY", at=when, actor=actor, note=text, passed=passed)
        return event.version


def close_event(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    note: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """结案 (after 核查, or straight after 就地处置 for a simple event); a pending extension lapses."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "CLOSE")
        when = step_time(event, at, ctx.now())
        text = opt_text(note, 2000, "结案意见", "note")
        changes = {"closed_at": when, "extension_pending": False}
        apply_step(uow, event, version, "CLOSE", at=when, actor=actor, note=text, changes=changes)
        return event.version


def record_visit(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    note: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """回访: the reporting resident told the result (and what they said)."""
    return _simple(ctx, event_id, version, "VISIT", at=at, actor=actor, note=note, note_label="回访情况")


def rate_department(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    rating: str,
    note: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """评价: the community rates the department that handled a closed event (满意/基本满意/不满意), once."""
    code = next((k for k, v in RATING_LABELS.items() if rating in (k, v)), None)
    if code is None:
        raise ValidationError("评价应为满意、基本满意或不满意。", field="rating")
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "RATE")
        when = step_time(event, at, ctx.now())
        if not any(s.kind in ("WHISTLE", "DISPATCH") for s in event.steps) or not event.department:
            raise ValidationError(f"事件 {event.event_no} 没有派给职能部门，无需评价部门。", field="rating")
        if event.rating is not None:
            done = RATING_LABELS.get(event.rating, event.rating)
            raise ValidationError(f"事件 {event.event_no} 已评价为“{done}”，不能重复评价。", field="rating")
        text = opt_text(note, 2000, "评价说明", "note")
        apply_step(
            uow,
            event,
            version,
            "RATE",
            at=when,
            actor=actor,
            note=text,
            changes={"rating": code},
            rating=code,
        )
        return event.version


def return_order(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    reason: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> int:
    """退回: the department sends back an order that is not its own; the community dispatches it again."""
    with ctx.write() as uow:
        event = load_for_step(uow.session, event_id, version, "RETURN")
        when = step_time(event, at, ctx.now())
        text = need_text(reason, 2000, "退回理由", "note")
        returning = event.department
        apply_step(
            uow,
            event,
            version,
            "RETURN",
            at=when,
            actor=actor,
            note=text,
            changes={"department": None, "whistle_kind": None},
            department=returning,
        )
        return event.version
