"""发展党员: recording the mandated steps (refused when too early, naming the rule) and who is due for what.

A member's stage follows the steps: 递交申请 → 入党申请人, 确定积极分子 → 入党积极分子, 确定发展对象 →
发展对象, 支部大会接收 → 预备党员 (that day is the 入党日期), 支部大会讨论转正 → 正式党员 (the 转正日期 is
the day probation ended, 预备期满之日). A mistaken step is withdrawn (retired), the latest one only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.party import (
    MemberEventKind,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyOrg,
    RecruitmentStep,
    RecruitmentStepKind,
)
from desktop.core.errors import ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.audit import snapshot
from desktop.services.common import get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    STAGE_LABELS,
    STEP_LABELS,
    add_years,
    label_of,
    member_snapshot,
)
from desktop.services.party.members import MemberInput, event, save_member_in
from desktop.services.party.orgs import subtree_ids
from desktop.services.residents.common import clean_free_text

K = RecruitmentStepKind
_NAMES = re.compile(r"[、,，;；/\s]+")


@dataclass
class StepInput:
    member_id: int
    kind: str
    on_date: dt.date
    people: str | None = None  # mentors / sponsors / talker, names separated by 、
    first_person_id: int | None = None  # mentors and sponsors on the roll
    second_person_id: int | None = None
    training_days: int | None = None
    training_hours: int | None = None
    entitled: int | None = None
    present: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    valid_until: dt.date | None = None
    reference: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class StepRow:
    id: int
    kind: str
    label: str
    on_date: dt.date
    people: str | None
    training_days: int | None
    training_hours: int | None
    entitled: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    valid_until: dt.date | None
    reference: str | None
    notes: str | None
    user: str


@dataclass(frozen=True)
class StepResult:
    step_id: int
    stage: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class DueRow:
    member_id: int
    name: str
    org_id: int
    org_name: str
    stage: str
    stage_label: str
    due: rules.DueStep
    since: dt.date  # the date of the member's latest step


def _records(steps: list[RecruitmentStep]) -> list[rules.StepRecord]:
    return [
        rules.StepRecord(s.kind, s.on_date, s.training_days, s.training_hours, s.valid_until)
        for s in steps
        if s.retired_on is None
    ]


def _active_steps(s: Session, member_id: int) -> list[RecruitmentStep]:
    return list(
        s.scalars(
            select(RecruitmentStep)
            .where(RecruitmentStep.member_id == member_id, RecruitmentStep.retired_on.is_(None))
            .order_by(RecruitmentStep.on_date, RecruitmentStep.id)
        )
    )


def _row(st: RecruitmentStep) -> StepRow:
    return StepRow(
        st.id,
        st.kind,
        label_of(STEP_LABELS, st.kind),
        st.on_date,
        st.people,
        st.training_days,
        st.training_hours,
        st.entitled,
        st.present,
        st.votes_for,
        st.votes_against,
        st.votes_abstain,
        st.valid_until,
        st.reference,
        st.notes,
        st.user,
    )


def list_steps(ctx: ServiceContext, member_id: int) -> list[StepRow]:
    require(ctx, PARTY)
    with ctx.read() as s:
        scope.check_member_id(s, member_id)
        return [_row(st) for st in _active_steps(s, member_id)]


def start_application(
    ctx: ServiceContext,
    data: MemberInput,
    applied_on: dt.date,
    today: dt.date | None = None,
    notes: str | None = None,
) -> int:
    """A new 入党申请人: the person's record and the 递交入党申请书 step (age ≥ 18 checked) together."""
    today = today or ctx.today()
    data = replace(
        data, stage=MemberStage.APPLICANT, applied_on=applied_on, joined_on=None, confirmed_on=None
    )
    with ctx.write() as uow:
        m, _changed = save_member_in(uow, data, today)
        rules.check_step([], rules.StepProposal(K.APPLICATION, applied_on), today, m.birth_date)
        st = RecruitmentStep(
            member_id=m.id,
            kind=K.APPLICATION.value,
            on_date=applied_on,
            notes=clean_free_text(notes) or None,
            user=uow.actor.user,
        )
        uow.session.add(st)
        uow.session.flush()
        uow.audit(
            "create",
            "recruitment_step",
            st.id,
            summary=f"{m.name} 递交入党申请书（{applied_on}）",
            after=snapshot(st),
        )
        return m.id


def _sponsors(s: Session, data: StepInput) -> tuple[rules.Sponsor, ...]:
    out = []
    for pid in (data.first_person_id, data.second_person_id):
        if pid is None:
            continue
        p = get_or_raise(s, PartyMember, pid, "入党介绍人")
        scope.check_member(s, p)  # (a member out of reach is not named in the rules' messages either)
        out.append(rules.Sponsor(p.name, p.stage, p.status == MembershipStatus.ACTIVE))
    named = [n for n in _NAMES.split(clean_text(data.people)) if n]
    for name in named[len(out) :]:
        found = s.scalar(
            select(PartyMember).where(
                PartyMember.name == name,
                PartyMember.status == MembershipStatus.ACTIVE,
                scope.member_condition(s),
            )
        )
        out.append(rules.Sponsor(name, found.stage if found else None, True))
    return tuple(out)


def record_step(ctx: ServiceContext, data: StepInput, today: dt.date | None = None) -> StepResult:
    """Record one step after checking the rules; the stage, 入党日期 or 转正日期 follow. One transaction."""
    today = today or ctx.today()
    if data.kind == K.APPLICATION:
        raise ValidationError("入党申请请在“新增入党申请人”中登记。", field="kind")
    with ctx.write() as uow:
        s = uow.session
        m = get_or_raise(s, PartyMember, data.member_id, "人员")
        scope.check_member(s, m)
        if m.status != MembershipStatus.ACTIVE and data.kind != K.CANCELLED:
            raise ValidationError(f"{m.name}目前不在册，不能记录发展步骤。")
        steps = _active_steps(s, m.id)
        history = _records(steps)
        if not history:
            raise ValidationError(f"{m.name}没有入党申请记录，请先登记入党申请。", field="kind")
        names = [n for n in _NAMES.split(clean_text(data.people)) if n]
        proposal = rules.StepProposal(
            kind=data.kind,
            on_date=data.on_date,
            mentors=max(len(names), len([p for p in (data.first_person_id, data.second_person_id) if p])),
            sponsors=_sponsors(s, data) if data.kind == K.SPONSORS else (),
            training_days=data.training_days,
            training_hours=data.training_hours,
            entitled=data.entitled,
            present=data.present,
            votes_for=data.votes_for,
            valid_until=data.valid_until,
            reason=clean_free_text(data.notes),
        )
        warnings = rules.check_step(history, proposal, today, m.birth_date)
        valid_until = data.valid_until
        if data.kind == K.VETTING and valid_until is None:
            valid_until = add_years(data.on_date, rules.VETTING_VALID_YEARS)
        st = RecruitmentStep(
            member_id=m.id,
            kind=data.kind,
            on_date=data.on_date,
            people="、".join(names)[:100] or None,
            first_person_id=data.first_person_id,
            second_person_id=data.second_person_id,
            training_days=data.training_days,
            training_hours=data.training_hours,
            entitled=data.entitled,
            present=data.present,
            votes_for=data.votes_for,
            votes_against=data.votes_against,
            votes_abstain=data.votes_abstain,
            valid_until=valid_until,
            reference=clean_text(data.reference)[:100] or None,
            notes=clean_free_text(data.notes)[:400] or None,
            user=uow.actor.user,
        )
        s.add(st)
        before = member_snapshot(m)
        old_stage = m.stage
        if data.kind in rules.STAGE_AFTER:
            m.stage = rules.STAGE_AFTER[data.kind].value  # type: ignore[index]
        if data.kind == K.BRANCH_MEETING:
            m.joined_on = data.on_date
        elif data.kind == K.CONFIRMATION:
            m.confirmed_on = rules.probation_end(history)
        elif data.kind == K.CANCELLED:
            m.status, m.status_changed_on = MembershipStatus.REMOVED.value, data.on_date
            event(uow, m, MemberEventKind.STATUS, data.on_date, MembershipStatus.ACTIVE, MembershipStatus.REMOVED,
                  reason=proposal.reason[:200])  # fmt: skip
        s.flush()
        if m.stage != old_stage:
            event(
                uow,
                m,
                MemberEventKind.STAGE,
                data.on_date,
                old_stage,
                m.stage,
                reason=STEP_LABELS[K(data.kind)],
            )
        uow.audit(
            "recruitment",
            "party_member",
            m.id,
            summary=f"{m.name}：{STEP_LABELS[K(data.kind)]}（{data.on_date}）",
            before=before,
            after=member_snapshot(m) | {"step": snapshot(st)},
        )
        return StepResult(st.id, m.stage, tuple(warnings))


def withdraw_step(ctx: ServiceContext, step_id: int, reason: str, today: dt.date | None = None) -> None:
    """撤销 a step recorded by mistake (the member's latest only); the stage and dates go back with it."""
    today = today or ctx.today()
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写撤销原因。", field="reason")
    with ctx.write() as uow:
        s = uow.session
        st = get_or_raise(s, RecruitmentStep, step_id, "发展步骤")
        scope.check_member_id(s, st.member_id)
        steps = _active_steps(s, st.member_id)
        if st.retired_on is not None or not steps or steps[-1].id != st.id:
            raise ValidationError("只能撤销最近记录的一个步骤。")
        if st.kind == K.APPLICATION:
            raise ValidationError("入党申请不能撤销；如不再培养，请记录“取消资格、不再培养”。")
        m = get_or_raise(s, PartyMember, st.member_id, "人员")
        scope.check_member(s, m)
        before = member_snapshot(m)
        st.retired_on, st.retired_reason = today, reason[:200]
        rest = _records(steps[:-1])
        stage = MemberStage.APPLICANT
        for rec in rest:
            stage = rules.STAGE_AFTER.get(rec.kind, stage)  # type: ignore[call-overload]
        old_stage = m.stage
        m.stage = stage.value
        if st.kind == K.BRANCH_MEETING:
            m.joined_on = None
        elif st.kind == K.CONFIRMATION:
            m.confirmed_on = None
        elif st.kind == K.CANCELLED:
            m.status, m.status_changed_on = MembershipStatus.ACTIVE.value, today
            event(
                uow,
                m,
                MemberEventKind.STATUS,
                today,
                MembershipStatus.REMOVED,
                MembershipStatus.ACTIVE,
                reason=reason[:200],
            )
        if m.stage != old_stage:
            event(uow, m, MemberEventKind.STAGE, today, old_stage, m.stage, reason=f"撤销：{reason}"[:200])
        s.flush()
        uow.audit(
            "withdraw",
            "recruitment_step",
            st.id,
            summary=f"撤销 {m.name} 的“{label_of(STEP_LABELS, st.kind)}”：{reason}",
            before=before,
            after=member_snapshot(m),
        )


def recruitment_due(
    ctx: ServiceContext, org_id: int | None = None, today: dt.date | None = None
) -> list[DueRow]:
    """Everyone in recruitment (申请人 … 预备党员 awaiting 转正 approval) with the next step and when."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        scope.check_org_id(s, org_id)
        q = select(PartyMember).where(
            PartyMember.status == MembershipStatus.ACTIVE, scope.member_condition(s)
        )
        if org_id is not None:
            q = q.where(PartyMember.org_id.in_(subtree_ids(s, org_id)))
        members = {m.id: m for m in s.scalars(q)}
        orgs = {k: v for k, v in s.execute(select(PartyOrg.id, PartyOrg.name))}
        by_member: dict[int, list[RecruitmentStep]] = {}
        for st in s.scalars(
            select(RecruitmentStep)
            .where(RecruitmentStep.retired_on.is_(None))
            .order_by(RecruitmentStep.on_date, RecruitmentStep.id)
        ):
            if st.member_id in members:
                by_member.setdefault(st.member_id, []).append(st)
    out: list[DueRow] = []
    for mid, steps in by_member.items():
        m = members[mid]
        history = _records(steps)
        for due in rules.due_steps(history, today)[:1]:
            out.append(
                DueRow(
                    mid,
                    m.name,
                    m.org_id,
                    orgs.get(m.org_id, ""),
                    m.stage,
                    label_of(STAGE_LABELS, m.stage),
                    due,
                    history[-1].on_date,
                )
            )
    order = {"overdue": 0, "due": 1, "waiting": 2}
    return sorted(out, key=lambda r: (order[r.due.state], r.due.deadline or r.due.earliest or today, r.name))
