"""Can this mediation case apply for 司法确认? (人民调解法 §33; 法释〔2011〕5号): the case's agreement, parties
and referral, read for the checks ``tracks.start_confirmation`` and the documents make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, JudicialConfirmation
from db.schema.mediation import Agreement, CaseParty, MediationCase
from desktop.core.errors import NotFoundError
from desktop.domain.judicial import OPEN_STATES, STATE_LABELS
from desktop.services.access import check_case_in_session
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial import rules
from desktop.services.judicial.common import load_calendar, load_court_settings
from desktop.services.mediation.numbering import normalize_case_no
from desktop.services.mediation.parties import guardian_reason, missing_guardian, stored_values

# ---------------------------------------------------------------- reading a case


def _load_case(s: Session, case: int | str) -> MediationCase:
    if isinstance(case, int):
        found = s.get(MediationCase, case)
    else:
        found = s.scalar(select(MediationCase).where(MediationCase.case_no == normalize_case_no(case)))
    if found is None or found.retired_on is not None:
        raise NotFoundError(f"找不到案件“{case}”（或已撤销）。")
    check_case_in_session(s, found.id, found.case_no)  # a 调解员: their committee's cases only
    return found


def _parties(s: Session, case_id: int) -> list[CaseParty]:
    return list(s.scalars(select(CaseParty).where(CaseParty.case_id == case_id).order_by(CaseParty.seq)))


def _agreement_texts(a: Agreement) -> list[str | None]:
    return [a.facts, a.disputes, a.responsibilities, *(t.text for t in a.terms)]


def _involves_property(a: Agreement) -> bool:
    if any(t.amount for t in a.terms):
        return False  # money only: an IOU or receipt is enough, no title proof needed
    words = ("房屋", "车辆", "土地", "产权", "过户", "财产")
    return any(w in (t.text or "") for t in a.terms for w in words)


def _referral_court(s: Session, case: MediationCase) -> tuple[CourtReferral | None, str | None]:
    ref = s.scalar(
        select(CourtReferral)
        .where(CourtReferral.case_id == case.id, CourtReferral.retired_on.is_(None))
        .order_by(CourtReferral.id.desc())
    )
    if ref is not None:
        return ref, ref.court
    if case.source == "REFERRAL":
        return None, rules.court_from_referral_text(case.referred_by)
    return None, None


def unrepresented(parties: list[CaseParty], accepted_on: dt.date) -> list[str]:
    """Parties who act through a 法定代理人 (a minor on the 受理日期, or lacking capacity) but have none
    recorded: such a party can neither apply nor sign before the court alone (民法典 §19–23)."""
    return [
        f"第 {p.seq} 位当事人（{p.name}）{guardian_reason(stored_values(p), accepted_on)}，"
        "尚未登记法定代理人（须由法定代理人代为申请、签名），请先在当事人信息中补填"
        for p in parties
        if missing_guardian(stored_values(p), accepted_on)
    ]


@dataclass(frozen=True)
class Eligibility:
    """Whether a case can start a confirmation track, and what the mediator must look at first."""

    case_id: int
    case_no: str
    ok: bool
    problems: tuple[str, ...]
    hints: tuple[rules.SubjectHint, ...]
    effective_on: dt.date | None
    deadline: dt.date | None
    court: rules.CourtSuggestion | None
    agent_applies: bool


def _eligibility(s: Session, case: MediationCase, today: dt.date) -> Eligibility:
    problems: list[str] = []
    a = case.agreement
    if case.outcome not in (None, "SUCCESS"):
        problems.append("案件调解未成功，没有可申请确认的调解协议")
    if a is None:
        problems.append("案件还没有调解协议")
    elif a.oral:
        problems.append("口头协议不能申请司法确认：应先制作书面调解协议书，经各方签名、盖章后再申请")
    elif a.effective_on is None:
        problems.append("调解协议尚未生效（需各方当事人签名、调解员签名并加盖调委会印章）")
    parties = _parties(s, case.id)
    if len(parties) < 2:
        problems.append("司法确认须由双方当事人共同申请，案件当事人不足两方")
    problems += unrepresented(parties, case.accepted_on)
    live = s.scalar(
        select(JudicialConfirmation).where(
            JudicialConfirmation.case_id == case.id,
            JudicialConfirmation.retired_on.is_(None),
            JudicialConfirmation.state.in_((*OPEN_STATES, "VALID")),
        )
    )
    if live is not None:
        problems.append(f"该案已有司法确认记录（{STATE_LABELS[live.state]}），不能重复登记")
    hints: list[rules.SubjectHint] = []
    deadline = court = None
    if a is not None:
        hints = rules.subject_hints(
            case.dispute_type, case.dispute_subtype, [case.summary, *_agreement_texts(a)]
        )
    if a is not None and a.effective_on is not None:
        deadline = dl.confirmation_deadline(a.effective_on, load_calendar(s)).day
    _ref, ref_court = _referral_court(s, case)
    court = rules.suggest_court(ref_court, load_court_settings(s).court_for(case.committee_id))
    return Eligibility(
        case.id,
        case.case_no,
        not problems,
        tuple(problems),
        tuple(hints),
        None if a is None else a.effective_on,
        deadline,
        court,
        any(p.agent for p in parties),
    )


def check_case(ctx: ServiceContext, case: int | str, today: dt.date | None = None) -> Eligibility:
    with ctx.read() as s:
        return _eligibility(s, _load_case(s, case), today or ctx.today())
