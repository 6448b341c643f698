"""The case list (台账): one row per case with its deadline colour; the JSON of ``shequ mediation list``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.schema.mediation import Agreement, CaseParty, MediationCase, MediationCommittee, Mediator, Performance
from db.schema.structure import Community, Grid
from desktop.domain.accounts import MEDIATION_READ
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.domain.mediation import (
    FORM_LABELS,
    OPEN_FILTER,
    OPEN_STAGES,
    OUTCOME_LABELS,
    PERFORMANCE_LABELS,
    SOURCE_LABELS,
    STAGE_LABELS,
    CaseRecord,
    PartyRecord,
)
from desktop.domain.text import clean_text
from desktop.services.access import case_condition, require
from desktop.services.context import ServiceContext
from desktop.services.mediation.common import load_rules
from desktop.services.mediation.deadlines import Deadline, open_case_deadlines, worst
from desktop.services.mediation.dictionary import dispute_label, load_dispute_types


@dataclass(frozen=True)
class CaseRow:
    id: int
    case_no: str
    committee: str
    accepted_on: dt.date
    source: str
    source_label: str
    dispute_type: str
    dispute_label: str
    dispute_subtype: str | None
    parties: str
    mediator: str | None
    stage: str
    stage_label: str
    outcome: str | None
    outcome_label: str
    agreement_no: str | None
    agreement_form: str | None  # 书面 / 口头
    agreement_effective_on: dt.date | None
    performance: str | None  # 已履行 …
    amount_involved: float | None
    community: str | None
    grid: str | None
    closed_on: dt.date | None
    deadlines: tuple[Deadline, ...] = ()
    confirmation_deadline: dt.date | None = None  # 司法确认申请期限 (judicial module)
    confirmation_state: str | None = None  # 未申请 / 准备申请 / 已申请待受理 … (judicial module)

    @property
    def level(self) -> str:
        return worst(list(self.deadlines))

    @property
    def deadline_text(self) -> str:
        return "；".join(d.text for d in self.deadlines)


@dataclass
class CaseFilter:
    text: str = ""  # case number, party name or summary words
    year: int | None = None
    stage: str | None = None  # a CaseStage, or "OPEN" for every stage before 结案
    dispute_type: str | None = None
    committee_id: int | None = None
    warnings_only: bool = False
    include_retired: bool = False


#: (session, case ids, today) → {case id: (司法确认申请期限 or None, state label)}: the judicial module's
#: ``confirmation_by_case``, which the caller showing both areas passes in (mediation never imports judicial)
ConfirmationLookup = Callable[[Session, list[int], dt.date], Mapping[int, tuple[dt.date | None, str]]]


def list_cases(
    ctx: ServiceContext,
    flt: CaseFilter | None = None,
    today: dt.date | None = None,
    *,
    confirmations: ConfirmationLookup | None = None,
) -> list[CaseRow]:
    """The case list (台账) filtered by ``flt``, with each case's deadlines on ``today``; the 司法确认
    columns are filled by ``confirmations`` (services.judicial.queries.confirmation_by_case), if given."""
    require(ctx, MEDIATION_READ)
    flt = flt or CaseFilter()
    today = today or ctx.today()
    with ctx.read() as s:
        q = (
            select(
                MediationCase,
                MediationCommittee.name.label("committee_name"),
                Mediator.name.label("mediator_name"),
                Community.name.label("community_name"),
                Grid.name.label("grid_name"),
                Agreement.agreement_no,
                Agreement.oral,
                Agreement.effective_on,
            )
            .join(MediationCommittee, MediationCommittee.id == MediationCase.committee_id)
            .outerjoin(Mediator, Mediator.id == MediationCase.mediator_id)
            .outerjoin(Community, Community.id == MediationCase.community_id)
            .outerjoin(Grid, Grid.id == MediationCase.grid_id)
            .outerjoin(Agreement, Agreement.case_id == MediationCase.id)
            .order_by(MediationCase.accepted_on.desc(), MediationCase.id.desc())
        )
        if not flt.include_retired:
            q = q.where(MediationCase.retired_on.is_(None))
        if flt.year:
            q = q.where(MediationCase.accepted_on.between(dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)))
        if flt.stage == OPEN_FILTER:
            q = q.where(MediationCase.stage.in_(OPEN_STAGES))
        elif flt.stage:
            q = q.where(MediationCase.stage == flt.stage)
        if flt.dispute_type:
            q = q.where(MediationCase.dispute_type == flt.dispute_type)
        if flt.committee_id:
            q = q.where(MediationCase.committee_id == flt.committee_id)
        q = q.where(case_condition(ctx))  # a 调解员's committee, a 社区书记's community
        text = clean_text(flt.text)
        if text:
            like = f"%{text}%"
            q = q.where(
                or_(
                    MediationCase.case_no.like(like),
                    MediationCase.summary.like(like),
                    MediationCase.id.in_(select(CaseParty.case_id).where(CaseParty.name.like(like))),
                )
            )
        rows = s.execute(q).all()
        ids = [r[0].id for r in rows]
        names: dict[int, list[str]] = defaultdict(list)
        perf: dict[int, str] = {}
        if ids:
            for chunk in range(0, len(ids), 900):
                part = ids[chunk : chunk + 900]
                for cid, name in s.execute(
                    select(CaseParty.case_id, CaseParty.name)
                    .where(CaseParty.case_id.in_(part))
                    .order_by(CaseParty.case_id, CaseParty.seq)
                ):
                    names[cid].append(name)
                for cid, st in s.execute(
                    select(Performance.case_id, Performance.status)
                    .where(Performance.case_id.in_(part))
                    .order_by(Performance.case_id, Performance.on_date, Performance.id)
                ):
                    perf[cid] = st
        deadlines = open_case_deadlines(s, load_rules(s), today)
        confirmed = confirmations(s, ids, today) if confirmations else {}
        types = load_dispute_types(s, include_inactive=True)
    out = []
    for case, committee, mediator, community, grid, agreement_no, oral, effective_on in rows:
        found = deadlines.get(case.id)
        if flt.warnings_only and not found:
            continue
        out.append(
            CaseRow(
                case.id,
                case.case_no,
                committee,
                case.accepted_on,
                case.source,
                SOURCE_LABELS.get(case.source, case.source),
                case.dispute_type,
                dispute_label(case.dispute_type, types),
                case.dispute_subtype,
                "、".join(names.get(case.id, [])),
                mediator,
                case.stage,
                STAGE_LABELS.get(case.stage, case.stage),
                case.outcome,
                OUTCOME_LABELS.get(case.outcome or "", ""),
                agreement_no,
                None if oral is None else FORM_LABELS[bool(oral)],
                effective_on,
                PERFORMANCE_LABELS.get(perf.get(case.id, ""), None),
                None if case.amount_involved is None else float(case.amount_involved),
                community,
                grid,
                case.closed_on,
                tuple(found.deadlines) if found else (),
                *confirmed.get(case.id, (None, None)),
            )
        )
    return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def case_list_json(rows: list[CaseRow]) -> list[dict[str, object]]:
    """What ``shequ mediation list --json`` prints: dates as YYYY-MM-DD or null."""
    return [
        {
            "case_no": r.case_no,
            "accepted_on": _iso(r.accepted_on),
            "dispute_type": r.dispute_label,
            "dispute_subtype": r.dispute_subtype,
            "source": r.source_label,
            "parties": r.parties,
            "mediator": r.mediator,
            "stage": r.stage_label,
            "result": r.outcome_label or None,
            "agreement_no": r.agreement_no,
            "agreement_form": r.agreement_form,
            "agreement_effective_on": _iso(r.agreement_effective_on),
            "performance": r.performance,
            "closed_on": _iso(r.closed_on),
            "community": r.community,
            "grid": r.grid,
            "warnings": [d.text for d in r.deadlines],
            "confirmation_deadline": _iso(r.confirmation_deadline),
            "confirmation_state": r.confirmation_state,
        }
        for r in rows
    ]


def party_json(p: PartyRecord, accepted_on: dt.date) -> dict[str, object]:
    """One party as ``shequ mediation show --json`` prints it: ID numbers and phones masked; who acts for
    the party (法定代表人, 法定代理人, 委托代理人) in full; ``needs_guardian`` as of the 受理日期."""
    return {
        "seq": p.seq,
        "role": p.role_label,
        "kind": p.kind_label,
        "name": p.name,
        "gender": p.gender,
        "birth_date": _iso(p.birth_date),
        "age_on_acceptance": p.age_on(accepted_on) if p.is_person else None,
        "id_number": mask_id_number(p.id_number) or None,
        "phone": mask_phone(p.phone) or None,
        "address": p.address,
        "legal_rep": p.legal_rep,
        "legal_rep_title": p.legal_rep_title,
        "lacks_capacity": p.lacks_capacity,
        "needs_guardian": p.needs_guardian_on(accepted_on),
        "guardian": None
        if not p.guardian_name
        else {
            "name": p.guardian_name,
            "relation": p.guardian_relation,
            "id_number": mask_id_number(p.guardian_id_number) or None,
            "phone": mask_phone(p.guardian_phone) or None,
        },
        "agent": None
        if not p.agent
        else {
            "name": p.agent,
            "relation": p.agent_relation,
            "id_number": mask_id_number(p.agent_id_number) or None,
            "phone": mask_phone(p.agent_phone) or None,
        },
    }


def case_json(rec: CaseRecord) -> dict[str, object]:
    """What ``shequ mediation show --json`` prints: the intake facts and every party."""
    return {
        "case_no": rec.case_no,
        "accepted_on": _iso(rec.accepted_on),
        "source": rec.source_label,
        "dispute_type": rec.dispute_label,
        "stage": rec.stage_label,
        "result": rec.outcome_label or None,
        "mediator": rec.mediator,
        "parties": [party_json(p, rec.accepted_on) for p in rec.parties],
    }
