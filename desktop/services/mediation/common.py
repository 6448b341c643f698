"""Shared pieces of the mediation services: locality rules, loading a case, building its record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.schema.mediation import Agreement, MediationCase, MediationCommittee, Mediator
from db.schema.structure import Community, Grid
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.accounts import MEDIATION_READ
from desktop.domain.mediation import (
    AgreementRecord,
    CaseRecord,
    CommitteeRecord,
    FollowUpRecord,
    InvestigationRecord,
    PartyRecord,
    PerformanceRecord,
    SessionRecord,
    TermRecord,
    stage_is_archived,
)
from desktop.services.access import check_case_in_session, require
from desktop.services.context import ServiceContext
from desktop.services.mediation import casefile
from desktop.services.mediation.dictionary import dispute_label, load_dispute_types
from desktop.services.mediation.numbering import normalize_case_no
from desktop.services.settings import json_object, load_setting, store_setting

RULES_SETTING = "mediation.rules"


@dataclass(frozen=True)
class MediationRules:
    """Locality values (设置 → 人民调解): time limit, warning margins, follow-up schedule."""

    time_limit_days: int = 30  # 若干规定 §33: normally settled within one month
    warn_days: int = 5  # the case list turns orange this many days before the limit
    follow_up_after_days: int = 7  # a visit this many days after each performance due date
    follow_up_before_days: int = 3  # and one this many days before a due date more than 30 days away
    follow_up_warn_days: int = 3  # a pending visit shows on 工作台 this many days ahead


def load_rules(s: Session) -> MediationRules:
    return load_setting(s, RULES_SETTING, MediationRules(), _parse_rules)


def _parse_rules(value: Any) -> MediationRules:
    stored = json_object(value or {})
    known = {k: int(v) for k, v in stored.items() if k in MediationRules.__dataclass_fields__}
    return MediationRules(**known)


def rules(ctx: ServiceContext) -> MediationRules:
    with ctx.read() as s:
        return load_rules(s)


def save_rules(ctx: ServiceContext, value: MediationRules) -> None:
    for key, number in asdict(value).items():
        if not isinstance(number, int) or not 0 <= number <= 366:
            raise ValidationError(f"设置值“{number}”应为 0–366 之间的整数天数。", field=key)
    if value.time_limit_days < 1:
        raise ValidationError("调解期限至少为 1 天。", field="time_limit_days")
    with ctx.write() as uow:
        store_setting(uow, RULES_SETTING, asdict(value), "人民调解期限设置")


def _case_query() -> Any:  # Select[MediationCase] on SQLAlchemy 2.1, Select[tuple[MediationCase]] on 2.0
    return select(MediationCase).options(
        selectinload(MediationCase.parties),
        selectinload(MediationCase.investigations),
        selectinload(MediationCase.sessions),
        selectinload(MediationCase.agreement).selectinload(Agreement.terms),
        selectinload(MediationCase.performances),
        selectinload(MediationCase.follow_ups),
        selectinload(MediationCase.file_items),
    )


def load_case(s: Session, case: int | str, *, for_update: bool = False) -> MediationCase:
    """A case by id or by case number (either bracket width)."""
    if isinstance(case, int):
        q = _case_query().where(MediationCase.id == case)
    else:
        q = _case_query().where(MediationCase.case_no == normalize_case_no(case))
    found: MediationCase | None = s.scalar(q)
    if found is None:
        raise NotFoundError(f"找不到案件“{case}”。")
    check_case_in_session(s, found.id, found.case_no)  # a 调解员: their committee's cases only
    return found


def editable(c: MediationCase) -> None:
    if c.retired_on is not None:
        raise ValidationError(f"案件 {c.case_no} 已撤销，不能再修改。")
    if stage_is_archived(c.stage):
        raise ValidationError(f"案件 {c.case_no} 已归档，不能再修改。")


def facts(c: MediationCase) -> casefile.CaseFacts:
    a = c.agreement
    return casefile.CaseFacts(
        rights_notified=c.rights_notified_on is not None,
        has_agent=any(p.agent for p in c.parties),
        investigations=len(c.investigations),
        sessions=len(c.sessions),
        outcome=c.outcome,
        agreement_oral=None if a is None else a.oral,
        agreement_effective=a is not None and a.effective_on is not None,
        follow_ups_done=sum(1 for f in c.follow_ups if f.visited_on is not None),
        paper={i.code: (i.present, i.pages, i.note) for i in c.file_items},
    )


def build_record(s: Session, c: MediationCase) -> CaseRecord:
    committee = s.get(MediationCommittee, c.committee_id)
    assert committee is not None
    mediator = s.get(Mediator, c.mediator_id) if c.mediator_id else None
    community = s.get(Community, c.community_id) if c.community_id else None
    grid = s.get(Grid, c.grid_id) if c.grid_id else None
    types = load_dispute_types(s, include_inactive=True)
    a = c.agreement
    agreement = None
    if a is not None:
        agreement = AgreementRecord(
            a.id,
            a.agreement_no,
            a.oral,
            a.made_on,
            a.facts,
            a.disputes,
            a.responsibilities,
            a.performance_manner,
            a.performance_place,
            a.performance_deadline,
            a.copies,
            a.signed_by_parties,
            a.signed_by_mediator,
            a.sealed,
            a.effective_on,
            tuple(TermRecord(t.seq, t.text, t.amount, t.due_on) for t in a.terms),
            a.version,
        )
    return CaseRecord(
        id=c.id,
        case_no=c.case_no,
        committee=CommitteeRecord(
            committee.id,
            committee.name,
            committee.short_name,
            committee.seal_text,
            committee.address,
            committee.phone,
        ),
        accepted_on=c.accepted_on,
        source=c.source,
        referred_by=c.referred_by,
        dispute_type=c.dispute_type,
        dispute_type_label=dispute_label(c.dispute_type, types),
        dispute_subtype=c.dispute_subtype,
        summary=c.summary,
        requests=c.requests,
        amount_involved=c.amount_involved,
        mediator=mediator.name if mediator else None,
        mediator_id=c.mediator_id,
        assistant_mediators=c.assistant_mediators,
        recorder=c.recorder,
        registrar=c.registrar,
        community_id=c.community_id,
        community=community.name if community else None,
        grid_id=c.grid_id,
        grid=grid.name if grid else None,
        stage=c.stage,
        rights_notified_on=c.rights_notified_on,
        extended_until=c.extended_until,
        extension_reason=c.extension_reason,
        outcome=c.outcome,
        outcome_on=c.outcome_on,
        routes_open=c.routes_open,
        outcome_note=c.outcome_note,
        closed_on=c.closed_on,
        archived_on=c.archived_on,
        filed_by=c.filed_by,
        retention=c.retention,
        notes=c.notes,
        version=c.version,
        parties=tuple(
            PartyRecord(
                p.id,
                p.seq,
                p.role,
                p.kind,
                p.name,
                p.gender,
                p.ethnicity,
                p.birth_date,
                p.age,
                p.occupation,
                p.phone,
                p.address,
                p.id_number,
                p.legal_rep,
                p.legal_rep_title,
                p.agent,
                p.version,
                agent_relation=p.agent_relation,
                agent_id_number=p.agent_id_number,
                agent_phone=p.agent_phone,
                lacks_capacity=p.lacks_capacity,
                guardian_name=p.guardian_name,
                guardian_relation=p.guardian_relation,
                guardian_id_number=p.guardian_id_number,
                guardian_phone=p.guardian_phone,
            )
            for p in c.parties
        ),
        investigations=tuple(
            InvestigationRecord(
                i.id, i.held_on, i.place, i.investigator, i.interviewee, i.recorder, i.content, i.version
            )
            for i in c.investigations
        ),
        sessions=tuple(
            SessionRecord(
                m.id,
                m.held_at,
                m.place,
                m.mediators,
                m.attendees,
                m.parties_present,
                m.recorder,
                m.minutes,
                m.result,
                m.version,
            )
            for m in c.sessions
        ),
        agreement=agreement,
        performances=tuple(
            PerformanceRecord(p.id, p.on_date, p.status, p.amount_paid, p.note, p.recorded_by)
            for p in c.performances
        ),
        follow_ups=tuple(
            FollowUpRecord(
                f.id, f.due_on, f.visited_on, f.visitor, f.visited_party, f.notes, f.cancelled, f.version
            )
            for f in c.follow_ups
        ),
        file_items=tuple(casefile.checklist(facts(c))),
        retired_on=c.retired_on,
    )


def get_case(ctx: ServiceContext, case: int | str) -> CaseRecord:
    """The whole case as one record (for the workspace and every document)."""
    require(ctx, MEDIATION_READ)
    with ctx.read() as s:
        return build_record(s, load_case(s, case))
