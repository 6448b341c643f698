"""Recording a visit: to a household with the members seen, or to one resident; optionally raising a grid
event from what was found, in the same step for the user.

The event goes through ``desktop.services.events.intake.create_event_in`` (its number, time limit, 上报 and
受理 steps) in the visit's own transaction: the visit and the event it raised are saved together or not at
all (a refused event leaves no visit behind, a refused visit no event).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.people import Household, Resident, ResidentStatus
from db.schema.visits import Visit, VisitMember
from desktop.core.errors import ValidationError
from desktop.domain import visits as rules
from desktop.domain.accounts import VISITS
from desktop.domain.text import clean_text
from desktop.services.access import check_community_in_session, require
from desktop.services.context import ServiceContext
from desktop.services.events import EventInput
from desktop.services.events.common import apply_step
from desktop.services.events.config import load_event_dictionary
from desktop.services.events.intake import create_event_in

FINDINGS_LIMIT = 2000


@dataclass
class VisitInput:
    visited_on: dt.date
    visitor: str
    way: str  # HOME/PHONE/VIDEO/OTHER or 入户/电话/视频/其他
    findings: str
    household_id: int | None = None  # a household visit: the members seen are ``resident_ids``
    resident_ids: list[int] = field(default_factory=list)  # one id for a one-resident visit


@dataclass(frozen=True)
class _Checked:
    visited_on: dt.date
    visitor: str
    way: str
    findings: str
    household_id: int | None
    grid_id: int | None
    residents: tuple[tuple[int, str], ...]  # (id, name)


def check_visit(s: Session, data: VisitInput, today: dt.date) -> _Checked:
    """The visit's values, or a ValidationError naming the field."""
    if data.visited_on is None:
        raise ValidationError("请填写走访日期。", field="visited_on")
    if data.visited_on > today:
        raise ValidationError(f"走访日期（{data.visited_on:%Y-%m-%d}）不能晚于今天。", field="visited_on")
    visitor = clean_text(data.visitor)
    if not visitor:
        raise ValidationError("请填写走访人。", field="visitor")
    if len(visitor) > 50:
        raise ValidationError(f"走访人过长（{len(visitor)} 字，最多 50 字）。", field="visitor")
    way = rules.way_code(clean_text(data.way))
    if way is None:
        raise ValidationError(
            f"走访方式“{clean_text(data.way)}”无效（可选：{'、'.join(rules.WAY_LABELS.values())}）。",
            field="way",
        )
    findings = (data.findings or "").strip()
    if not findings:
        raise ValidationError("请填写情况记录（走访中了解到的情况）。", field="findings")
    if len(findings) > FINDINGS_LIMIT:
        raise ValidationError(
            f"情况记录过长（{len(findings)} 字，最多 {FINDINGS_LIMIT} 字）。", field="findings"
        )
    ids = list(dict.fromkeys(data.resident_ids))
    if not ids:
        what = "请勾选本次见到的家庭成员。" if data.household_id is not None else "请选择走访的居民。"
        raise ValidationError(what, field="resident_ids")
    if data.household_id is None and len(ids) > 1:
        raise ValidationError("走访多名居民时请按户登记（选择户并勾选见到的成员）。", field="resident_ids")
    people = {r.id: r for r in s.scalars(select(Resident).where(Resident.id.in_(ids)))}
    for rid in ids:
        r = people.get(rid)
        if r is None:
            raise ValidationError(f"居民（编号 {rid}）不存在，可能已被其他用户修改。", field="resident_ids")
        check_community_in_session(s, r.community_id, r.grid_id, f"居民（编号 {rid}）")  # the account's scope
        if r.status != ResidentStatus.ACTIVE:
            raise ValidationError(f"{r.name}已不在册，不能登记走访。", field="resident_ids")
    grid_id: int | None
    if data.household_id is not None:
        hh = s.get(Household, data.household_id)
        if hh is None:
            raise ValidationError(f"户（编号 {data.household_id}）不存在。", field="household_id")
        strangers = [people[i].name for i in ids if people[i].household_id != hh.id]
        if strangers:
            raise ValidationError(f"{'、'.join(strangers)}不是该户成员。", field="resident_ids")
        grid_id = hh.grid_id or people[ids[0]].grid_id
    else:
        grid_id = people[ids[0]].grid_id
    return _Checked(
        data.visited_on,
        visitor,
        way,
        findings,
        data.household_id,
        grid_id,
        tuple((i, people[i].name) for i in ids),
    )


def record_visit(ctx: ServiceContext, data: VisitInput, event: EventInput | None = None) -> int:
    """Save a visit (one audited transaction) and return its id. With ``event``, a grid event is raised
    from it in the same transaction (its resident/household and grid filled from the visit where left empty) and linked."""
    today, now = ctx.today(), ctx.now()
    with ctx.write() as uow:
        s = uow.session
        checked = check_visit(s, data, today)
        event_id = None
        if event is not None:
            if event.household_id is None and checked.household_id is not None:
                event = replace(event, household_id=checked.household_id)
            if event.resident_id is None and checked.household_id is None:
                event = replace(event, resident_id=checked.residents[0][0])
            raised = create_event_in(uow, event, now, load_event_dictionary(s))
            apply_step(
                uow, raised, raised.version, "ACCEPT", at=now.replace(second=0, microsecond=0), actor=None
            )
            event_id = raised.id
        visit = Visit(
            visited_on=checked.visited_on,
            visitor=checked.visitor,
            way=checked.way,
            findings=checked.findings,
            household_id=checked.household_id,
            grid_id=checked.grid_id,
            event_id=event_id,
            recorded_by=uow.actor.user,
            recorded_at=uow.clock.utcnow(),
        )
        visit.members = [
            VisitMember(resident_id=i, visited_on=checked.visited_on) for i, _ in checked.residents
        ]
        uow.session.add(visit)
        uow.session.flush()
        names = "、".join(n for _, n in checked.residents)
        uow.audit(
            "create",
            "visit",
            visit.id,
            summary=f"登记走访 {checked.visited_on:%Y-%m-%d} {rules.WAY_LABELS[checked.way]}：{names}",
            after={
                "visited_on": checked.visited_on.isoformat(),
                "visitor": checked.visitor,
                "way": checked.way,
                "household_id": checked.household_id,
                "resident_ids": [i for i, _ in checked.residents],
                "event_id": event_id,
            },
        )
        return visit.id


@dataclass(frozen=True)
class VisitRow:
    id: int
    visited_on: dt.date
    visitor: str
    way_label: str
    findings: str
    names: tuple[str, ...]
    event_id: int | None


def visits_of(ctx: ServiceContext, resident_id: int, limit: int = 50) -> list[VisitRow]:
    """A resident's visits, newest first (a resident outside the account's scope: refused)."""
    require(ctx, VISITS)
    with ctx.read() as s:
        who = s.get(Resident, resident_id)
        if who is not None:
            check_community_in_session(s, who.community_id, who.grid_id, f"居民（编号 {resident_id}）")
        visits = list(
            s.scalars(
                select(Visit)
                .join(VisitMember, VisitMember.visit_id == Visit.id)
                .where(VisitMember.resident_id == resident_id)
                .order_by(Visit.visited_on.desc(), Visit.id.desc())
                .limit(limit)
            )
        )
        seen: dict[int, list[str]] = {}
        for vid, name in s.execute(
            select(VisitMember.visit_id, Resident.name)
            .join(Resident, Resident.id == VisitMember.resident_id)
            .where(VisitMember.visit_id.in_([v.id for v in visits]))
            .order_by(VisitMember.id)
        ):
            seen.setdefault(vid, []).append(name)
        return [
            VisitRow(
                v.id,
                v.visited_on,
                v.visitor,
                rules.WAY_LABELS.get(v.way, v.way),
                v.findings,
                tuple(seen.get(v.id, ())),
                v.event_id,
            )
            for v in visits
        ]
