"""Intake (上报登记): check an event, number it ``SJ2026-000123``, give it its time limit, record 上报.

Numbers come from ``event_number_counter`` in the same transaction that saves the event (UPDATE … RETURNING,
the first event of a year inserting the row under a savepoint), as case numbers do: never max()+1, never
handed out twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema.events import EventNumberCounter, EventStep, GridEvent
from db.schema.mediation import MediationCase
from db.schema.people import Household, Resident
from db.schema.structure import Grid
from desktop.core.errors import ValidationError
from desktop.domain import events as rules
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.text import clean_text
from desktop.services.access import check_grid_in_session
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.events.common import apply_step, load_event, need_text, opt_text
from desktop.services.events.config import EventDictionary, load_event_dictionary
from desktop.services.judicial.common import load_calendar

_T = cast(Table, EventNumberCounter.__table__)
_EVENT_NO = re.compile(r"^SJ(\d{4})-(\d{6})$")
_URGENCY_WORDS = {"NORMAL": "NORMAL", "一般": "NORMAL", "URGENT": "URGENT", "紧急": "URGENT"}


def format_event_no(year: int, seq: int) -> str:
    return f"SJ{year}-{seq:06d}"


def parse_event_no(text: object) -> tuple[int, int] | None:
    m = _EVENT_NO.match(clean_text(text).upper())
    return (int(m.group(1)), int(m.group(2))) if m else None


def take_event_number(session: Session, year: int) -> int:
    """The next sequence number of ``year``, inside the caller's transaction."""
    for _attempt in range(5):
        seq = session.execute(
            update(_T).where(_T.c.year == year).values(last_seq=_T.c.last_seq + 1).returning(_T.c.last_seq)
        ).scalar()
        if seq is not None:
            return int(seq)
        try:
            with session.begin_nested():
                session.execute(insert(_T).values(year=year, last_seq=1))
            return 1
        except IntegrityError:
            continue  # another PC created the year's counter first
    raise RuntimeError("event number counter could not be updated")  # pragma: no cover


def reserve_event_number(session: Session, year: int, seq: int) -> None:
    """Move ``year``'s counter past ``seq`` (a number kept from a file), inside the caller's transaction."""
    take = take_event_number(session, year)  # creates the year's row if needed and locks it
    session.execute(update(_T).where(_T.c.year == year).values(last_seq=max(take - 1, seq)))


@dataclass
class EventInput:
    source: str
    received_at: dt.datetime
    grid_id: int
    place: str
    category: str
    description: str
    urgency: str = "NORMAL"  # NORMAL 一般 | URGENT 紧急 (the labels are accepted too)
    subcategory: str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    resident_id: int | None = None
    household_id: int | None = None
    mediation_case_id: int | None = None


def clean_event(s: Session, data: EventInput, now: dt.datetime, dic: EventDictionary) -> dict[str, object]:
    """Checked column values of an event, with a Chinese message naming the field on the first problem."""
    source = clean_text(data.source)
    if not source:
        raise ValidationError("请选择事件来源。", field="source")
    if source not in dic.sources:
        raise ValidationError(
            f"事件来源“{source}”不在来源字典中（{'、'.join(dic.sources)}）。", field="source"
        )
    if data.received_at is None:
        raise ValidationError("请填写上报时间。", field="received_at")
    received = data.received_at.replace(second=0, microsecond=0)
    if received > now:
        raise ValidationError(f"上报时间（{received:%Y-%m-%d %H:%M}）不能晚于现在。", field="received_at")
    grid = s.get(Grid, data.grid_id) if data.grid_id is not None else None
    if grid is None:
        raise ValidationError("请选择所属网格。", field="grid_id")
    if grid.retired_on is not None:
        raise ValidationError(f"网格“{grid.name}”已停用，不能登记新事件。", field="grid_id")
    check_grid_in_session(s, grid.id, f"网格“{grid.name}”")  # a 网格员 reports in their own grids
    place = need_text(data.place, 200, "事件地点", "place")
    cat = dic.category(data.category)
    if cat is None:
        raise ValidationError(f"事件类别“{clean_text(data.category)}”不在类别字典中。", field="category")
    sub = clean_text(data.subcategory) or None
    if sub is not None and cat.subcategory(sub) is None:
        raise ValidationError(f"“{sub}”不是“{cat.code}”的子类。", field="subcategory")
    urgency = _URGENCY_WORDS.get(clean_text(data.urgency))
    if urgency is None:
        raise ValidationError("紧急程度应为“一般”或“紧急”。", field="urgency")
    phone = normalize_phone(data.reporter_phone) or None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"上报人{problem}", field="reporter_phone")
    for ident, model, label, field_name in (
        (data.resident_id, Resident, "关联居民", "resident_id"),
        (data.household_id, Household, "关联户", "household_id"),
        (data.mediation_case_id, MediationCase, "关联调解案件", "mediation_case_id"),
    ):
        if ident is not None and s.get(model, ident) is None:
            raise ValidationError(f"{label}（编号 {ident}）不存在。", field=field_name)
    return {
        "source": source,
        "received_at": received,
        "grid_id": grid.id,
        "place": place,
        "category": cat.code,
        "subcategory": sub,
        "urgency": urgency,
        "description": need_text(data.description, 4000, "事件描述", "description"),
        "reporter_name": opt_text(data.reporter_name, 50, "上报人姓名", "reporter_name"),
        "reporter_phone": phone,
        "resident_id": data.resident_id,
        "household_id": data.household_id,
        "mediation_case_id": data.mediation_case_id,
    }


def create_event(
    ctx: ServiceContext, data: EventInput, *, accept: bool = False, actor: str | None = None
) -> int:
    """上报: save the event with its number and time limit and the 上报 step; ``accept`` records 受理 at
    once (a grid worker entering what they found on their rounds). Returns the event's id."""
    now = ctx.now()
    with ctx.write() as uow:
        event = create_event_in(uow, data, now, load_event_dictionary(uow.session), actor=actor)
        if accept:
            apply_step(
                uow, event, event.version, "ACCEPT", at=now.replace(second=0, microsecond=0), actor=actor
            )
        return event.id


def create_event_in(
    uow: UnitOfWork,
    data: EventInput,
    now: dt.datetime,
    dic: EventDictionary,
    *,
    actor: str | None = None,
    number: tuple[int, int] | None = None,
) -> GridEvent:
    """``create_event`` inside the caller's transaction (the import's): ``number`` (year, seq) keeps a
    number given in a file, the year's counter moved past it; without it the next number is taken."""
    s = uow.session
    values = clean_event(s, data, now, dic)
    resolved = dic.resolve(str(values["category"]), data.subcategory, str(values["urgency"]))
    received = cast(dt.datetime, values["received_at"])
    if number is None:
        year, seq = received.year, take_event_number(s, received.year)
    else:
        year, seq = number
        reserve_event_number(s, year, seq)
    event = GridEvent(
        event_no=format_event_no(year, seq),
        state="REPORTED",
        department=resolved.department,
        limit_amount=resolved.limit.amount,
        limit_unit=resolved.limit.unit,
        deadline=rules.deadline(received, resolved.limit, load_calendar(s)),
        created_by=uow.actor.user,
        step_count=1,
        **values,
    )
    s.add(event)
    s.flush()
    uow.audit("create", "grid_event", event.id, summary=f"登记事件 {event.event_no}", after=snapshot(event))
    reporter = actor or cast(str | None, values["reporter_name"]) or uow.actor.user
    step = EventStep(
        event_id=event.id,
        kind="REPORT",
        at=received,
        actor=reporter[:50],
        department=None,
        note=None,
        state_after="REPORTED",
        recorded_by=uow.actor.user,
        recorded_at=uow.clock.utcnow(),
    )
    s.add(step)
    event.steps.append(step)
    s.flush()
    return event


#: the intake facts that may be corrected once a department holds an event or it is handled: they do not
#: decide its time limit, department or place in the loop
DESCRIPTIVE_FIELDS = ("place", "description", "reporter_name", "reporter_phone")
#: states whose intake facts may all still be corrected (nobody has been handed the event)
EDITABLE_STATES = ("REPORTED", "ACCEPTED")


def update_event(ctx: ServiceContext, event_id: int, version: int | None, data: EventInput) -> None:
    """Correct the intake facts of an event not yet handed to anyone (待受理 or 已受理). A changed category,
    urgency or time of receipt gives it the time limit it should have had (unless an extension was approved)."""
    with ctx.write() as uow:
        s = uow.session
        event = load_event(s, event_id)
        check_version(event.version, version, f"事件 {event.event_no} ")
        if event.state not in EDITABLE_STATES:
            label = rules.STATE_LABELS[event.state]
            raise ValidationError(f"事件 {event.event_no} 已{label.removeprefix('已')}，登记信息不能再修改。")
        dic = load_event_dictionary(s)
        update_event_in(uow, event, clean_event(s, data, ctx.now(), dic), dic)


def update_event_in(
    uow: UnitOfWork,
    event: GridEvent,
    values: dict[str, object],
    dic: EventDictionary,
    *,
    only: tuple[str, ...] | None = None,
) -> list[str]:
    """Write checked intake ``values`` (``clean_event``) to ``event`` inside the caller's transaction; with
    ``only``, just those fields. Returns the fields that changed (nothing written, nothing audited when none)."""
    s = uow.session
    wanted = {k: v for k, v in values.items() if only is None or k in only}
    changed = [k for k, v in wanted.items() if getattr(event, k) != v]
    if not changed:
        return []
    late = "received_at" in changed and event.steps[1:]
    if late and cast(dt.datetime, wanted["received_at"]) > event.steps[1].at:
        raise ValidationError("上报时间不能晚于受理时间。", field="received_at")
    before = snapshot(event)
    for key in changed:
        setattr(event, key, wanted[key])
    if event.extended_days == 0 and {"received_at", "category", "subcategory", "urgency"} & set(changed):
        resolved = dic.resolve(event.category, event.subcategory, event.urgency)
        event.limit_amount, event.limit_unit = resolved.limit.amount, resolved.limit.unit
        event.deadline = rules.deadline(event.received_at, resolved.limit, load_calendar(s))
        if "category" in changed or "subcategory" in changed:
            event.department = resolved.department
    s.flush()
    uow.audit(
        "update",
        "grid_event",
        event.id,
        summary=f"修改事件 {event.event_no} 登记信息",
        before=before,
        after=snapshot(event),
    )
    return changed
