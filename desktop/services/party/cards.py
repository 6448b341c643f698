"""The member card: everything about one member (masked), for the card dialog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, true

from db.schema.party import CommunityCheckIn, PartyMember, PartyMemberEvent, PartyOrg, PartyPost
from db.schema.structure import Grid
from desktop.domain.accounts import PARTY
from desktop.domain.identity import age_on, mask_id_number, mask_phone
from desktop.services.access import require
from desktop.services.common import get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import scope
from desktop.services.party.common import (
    EVENT_KIND_LABELS,
    MOBILE_DIRECTIONS,
    POST_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    label_of,
    party_years,
)
from desktop.services.party.dues import DuesStatus, PaymentRow, member_dues, payments_of
from desktop.services.party.members import MemberInput, lost_reason_label, member_input_from, resident_name
from desktop.services.party.orgs import PostRow
from desktop.services.party.recruitment import StepRow, list_steps
from desktop.services.party.rules import DueStep, StepRecord, due_steps


@dataclass(frozen=True)
class EventRow:
    id: int
    kind: str
    kind_label: str
    on_date: dt.date
    from_value: str | None
    to_value: str | None
    counterpart: str | None
    letter_no: str | None
    reason: str | None
    user: str

    @property
    def describe(self) -> str:
        values = {"STAGE": STAGE_LABELS, "STATUS": STATUS_LABELS}.get(self.kind)
        a = label_of(values, self.from_value) if values else (self.from_value or "")  # type: ignore[arg-type]
        b = label_of(values, self.to_value) if values else (self.to_value or "")  # type: ignore[arg-type]
        text = f"{a} → {b}" if a and b else (b or a)
        if self.letter_no:
            text += f"（介绍信 {self.letter_no}）"
        if self.reason:
            text += f"：{self.reason}" if text else self.reason
        return text


@dataclass(frozen=True)
class CheckInRow:
    id: int
    unit: str
    unit_org: str | None
    checked_in_on: dt.date
    claimed_post: str | None
    service_hours: float
    last_evaluated_on: dt.date | None
    evaluation: str | None
    ended_on: dt.date | None
    notes: str | None
    version: int


@dataclass(frozen=True)
class MemberCard:
    id: int
    name: str
    gender: str | None
    ethnicity: str | None
    birth_date: dt.date | None
    age: int | None
    id_number: str  # masked
    phone: str  # masked
    native_place: str | None
    education: str | None
    occupation: str | None
    work_unit: str | None
    address: str | None
    stage: str
    stage_label: str
    applied_on: dt.date | None
    joined_on: dt.date | None
    confirmed_on: dt.date | None
    party_years: int | None
    added_how: str | None
    org_id: int
    org_name: str
    group_id: int | None
    group_name: str
    grid_id: int | None
    grid_name: str
    status: str
    status_label: str
    status_changed_on: dt.date | None
    is_mobile: bool
    mobile_direction_label: str
    mobile_since: dt.date | None
    mobile_destination: str | None
    mobile_card_no: str | None
    mobile_contact: str | None
    mobile_last_contact: dt.date | None
    is_lost_contact: bool
    lost_since: dt.date | None
    lost_reason: str | None
    lost_reason_label: str
    lost_notes: str | None
    resident_id: int | None
    resident_name: str
    notes: str | None
    version: int
    edit: MemberInput  # the member as a form's starting values (身份证号/phone kept, not shown)
    posts: tuple[PostRow, ...] = ()
    events: tuple[EventRow, ...] = ()
    steps: tuple[StepRow, ...] = ()
    due: tuple[DueStep, ...] = ()
    check_ins: tuple[CheckInRow, ...] = ()
    dues: DuesStatus | None = None
    payments: tuple[PaymentRow, ...] = ()

    @property
    def active_check_in(self) -> CheckInRow | None:
        return next((c for c in self.check_ins if c.ended_on is None), None)


def get_member(ctx: ServiceContext, member_id: int, today: dt.date | None = None) -> MemberCard:
    """The member's card. A member outside the account's reach whose check-in is into the account's
    community (see ``scope``) gets a reduced card: identity (masked), organisation and the check-ins that
    community sees — no posts, history, recruitment or dues."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        full = scope.member_reach(s, get_or_raise(s, PartyMember, member_id, "党员")) == "full"
    steps = list_steps(ctx, member_id) if full else []
    dues = member_dues(ctx, member_id, today) if full else None
    payments = payments_of(ctx, member_id) if full else []
    with ctx.read() as s:
        m = get_or_raise(s, PartyMember, member_id, "党员")
        reach = scope.party_scope(s)
        seen = true() if full or reach is None else reach.check_in_condition()
        orgs = {k: v for k, v in s.execute(select(PartyOrg.id, PartyOrg.name))}
        grid = s.get(Grid, m.grid_id) if m.grid_id else None
        posts = tuple(
            PostRow(
                p.id,
                p.org_id,
                p.member_id,
                m.name,
                p.post,
                label_of(POST_LABELS, p.post),
                p.from_date,
                p.to_date,
                p.version,
            )
            for p in s.scalars(
                select(PartyPost).where(PartyPost.member_id == m.id).order_by(PartyPost.from_date.desc())
            )
            if full
        )
        events = tuple(
            EventRow(
                e.id,
                e.kind,
                label_of(EVENT_KIND_LABELS, e.kind),
                e.on_date,
                e.from_value,
                e.to_value,
                e.counterpart,
                e.letter_no,
                e.reason,
                e.user,
            )
            for e in s.scalars(
                select(PartyMemberEvent)
                .where(PartyMemberEvent.member_id == m.id)
                .order_by(PartyMemberEvent.on_date, PartyMemberEvent.id)
            )
            if full
        )
        check_ins = tuple(
            CheckInRow(
                c.id,
                c.unit,
                c.unit_org,
                c.checked_in_on,
                c.claimed_post,
                c.service_hours,
                c.last_evaluated_on,
                c.evaluation,
                c.ended_on,
                c.notes,
                c.version,
            )
            for c in s.scalars(
                select(CommunityCheckIn)
                .where(CommunityCheckIn.member_id == m.id, seen)
                .order_by(CommunityCheckIn.checked_in_on.desc())
            )
        )
        history = [
            StepRecord(st.kind, st.on_date, st.training_days, st.training_hours, st.valid_until)
            for st in steps
        ]
        return MemberCard(
            id=m.id,
            name=m.name,
            gender=m.gender,
            ethnicity=m.ethnicity,
            birth_date=m.birth_date,
            age=age_on(m.birth_date, today),
            id_number=mask_id_number(m.id_number),
            phone=mask_phone(m.phone),
            native_place=m.native_place,
            education=m.education,
            occupation=m.occupation,
            work_unit=m.work_unit,
            address=m.address,
            stage=m.stage,
            stage_label=label_of(STAGE_LABELS, m.stage),
            applied_on=m.applied_on,
            joined_on=m.joined_on,
            confirmed_on=m.confirmed_on,
            party_years=party_years(m.joined_on, today),
            added_how=m.added_how,
            org_id=m.org_id,
            org_name=orgs.get(m.org_id, ""),
            group_id=m.group_id,
            group_name=orgs.get(m.group_id, "") if m.group_id else "",
            grid_id=m.grid_id,
            grid_name=grid.name if grid else "",
            status=m.status,
            status_label=label_of(STATUS_LABELS, m.status),
            status_changed_on=m.status_changed_on,
            is_mobile=m.is_mobile,
            mobile_direction_label=MOBILE_DIRECTIONS.get(m.mobile_direction or "", ""),
            mobile_since=m.mobile_since,
            mobile_destination=m.mobile_destination,
            mobile_card_no=m.mobile_card_no,
            mobile_contact=m.mobile_contact,
            mobile_last_contact=m.mobile_last_contact,
            is_lost_contact=m.is_lost_contact,
            lost_since=m.lost_since,
            lost_reason=m.lost_reason,
            lost_reason_label=lost_reason_label(m.lost_reason),
            lost_notes=m.lost_notes,
            resident_id=m.resident_id,
            resident_name=resident_name(s, m.resident_id),
            notes=m.notes,
            version=m.version,
            edit=member_input_from(m),
            posts=posts,
            events=events,
            steps=tuple(steps),
            due=tuple(due_steps(history, today)) if m.status == "ACTIVE" and full else (),
            check_ins=check_ins,
            dues=dues,
            payments=tuple(payments),
        )
