"""One confirmation track, read back: its materials, dates, deadline alerts and what the page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, JudicialConfirmation
from db.schema.mediation import MediationCase, MediationCommittee
from desktop.core.errors import ConflictError
from desktop.domain.judicial import RULING_LABELS, STATE_LABELS, state_is_closed
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import load_calendar
from desktop.services.judicial.eligibility import _load_case, _parties
from desktop.services.judicial.tracks import _load_track
from desktop.services.mediation.dictionary import dispute_label, load_dispute_types

# ---------------------------------------------------------------- one track, read back


@dataclass(frozen=True)
class MaterialRow:
    code: str
    label: str
    required: bool
    received: bool
    received_on: dt.date | None
    copies: int | None
    note: str | None


@dataclass(frozen=True)
class TrackDetail:
    id: int
    version: int
    case_id: int
    case_no: str
    committee_id: int
    committee: str
    parties: str
    dispute: str
    agreement_no: str
    effective_on: dt.date
    deadline: dl.Due
    deadline_text: str
    subject_note: str | None
    court_suggested: str | None
    court_basis: str | None
    court: str | None
    agent_applies: bool
    state: str
    state_label: str
    filed_on: dt.date | None
    late_reason: str | None
    acceptance_due: dt.date | None
    accepted_on: dt.date | None
    court_case_no: str | None
    judge: str | None
    ruling_due: dt.date | None
    ruling_extended: bool
    ruling_on: dt.date | None
    ruling: str | None
    ruling_no: str | None
    rejection_reason: str | None
    rejection_follow_up: str | None
    performance: str | None
    performance_on: dt.date | None
    performance_note: str | None
    enforcement_from: dt.date | None
    enforcement_limit: dt.date | None
    enforcement_applied_on: dt.date | None
    enforcement_case_no: str | None
    enforcement_note: str | None
    closed_reason: str | None
    notes: str | None
    referral_no: str | None
    materials: tuple[MaterialRow, ...] = ()
    alerts: tuple[dl.Alert, ...] = field(default_factory=tuple)

    @property
    def missing_materials(self) -> list[str]:
        return [m.label for m in self.materials if m.required and not m.received]

    @property
    def ruling_label(self) -> str:
        return RULING_LABELS.get(self.ruling or "", "")

    @property
    def is_closed(self) -> bool:
        """撤回 or 不予受理: the track can no longer change."""
        return state_is_closed(self.state)

    def can_print_application(self, today: dt.date) -> tuple[bool, str]:
        if self.is_closed:
            return False, f"该司法确认已{self.state_label}"
        if today > self.deadline.day and self.filed_on is None and not self.late_reason:
            return False, f"已超过申请期限（{self.deadline.day:%Y-%m-%d}），须先记录逾期申请的理由"
        return True, ""


def facts_of(t: JudicialConfirmation) -> dl.TrackFacts:
    return dl.TrackFacts(
        t.state,
        t.deadline,
        t.filed_on,
        t.accepted_on,
        t.ruling_extended,
        t.ruling_on,
        t.rejection_follow_up,
        t.performance,
        t.enforcement_limit,
        t.enforcement_applied_on,
    )


def _detail(s: Session, t: JudicialConfirmation, today: dt.date) -> TrackDetail:
    case = s.get(MediationCase, t.case_id)
    if case is None:
        raise ConflictError("司法确认记录所属的调解案件已不存在。")
    committee = s.get(MediationCommittee, case.committee_id)
    cal = load_calendar(s)
    due = dl.confirmation_deadline(t.effective_on, cal)
    ref = s.get(CourtReferral, t.referral_id) if t.referral_id else None
    return TrackDetail(
        id=t.id,
        version=t.version,
        case_id=case.id,
        case_no=case.case_no,
        committee_id=case.committee_id,
        committee=committee.name if committee else "",
        parties="、".join(p.name for p in _parties(s, case.id)),
        dispute=dispute_label(case.dispute_type, load_dispute_types(s, include_inactive=True)),
        agreement_no=t.agreement_no,
        effective_on=t.effective_on,
        deadline=due,
        deadline_text=due.describe(cal),
        subject_note=t.subject_note,
        court_suggested=t.court_suggested,
        court_basis=t.court_basis,
        court=t.court,
        agent_applies=t.agent_applies,
        state=t.state,
        state_label=STATE_LABELS.get(t.state, t.state),
        filed_on=t.filed_on,
        late_reason=t.late_reason,
        acceptance_due=dl.acceptance_due(t.filed_on, cal).day if t.filed_on else None,
        accepted_on=t.accepted_on,
        court_case_no=t.court_case_no,
        judge=t.judge,
        ruling_due=dl.ruling_due(t.accepted_on, t.ruling_extended, cal).day if t.accepted_on else None,
        ruling_extended=t.ruling_extended,
        ruling_on=t.ruling_on,
        ruling=t.ruling,
        ruling_no=t.ruling_no,
        rejection_reason=t.rejection_reason,
        rejection_follow_up=t.rejection_follow_up,
        performance=t.performance,
        performance_on=t.performance_on,
        performance_note=t.performance_note,
        enforcement_from=t.enforcement_from,
        enforcement_limit=t.enforcement_limit,
        enforcement_applied_on=t.enforcement_applied_on,
        enforcement_case_no=t.enforcement_case_no,
        enforcement_note=t.enforcement_note,
        closed_reason=t.closed_reason,
        notes=t.notes,
        referral_no=ref.referral_no if ref else None,
        materials=tuple(
            MaterialRow(m.code, m.label, m.required, m.received, m.received_on, m.copies, m.note)
            for m in t.materials
        ),
        alerts=tuple(dl.track_alerts(facts_of(t), today, cal)),
    )


def get_track(ctx: ServiceContext, track_id: int, today: dt.date | None = None) -> TrackDetail:
    with ctx.read() as s:
        return _detail(s, _load_track(s, track_id), today or ctx.today())


def track_for_case(ctx: ServiceContext, case: int | str, today: dt.date | None = None) -> TrackDetail | None:
    """The latest live track of a case (by id or case number), or None."""
    with ctx.read() as s:
        c = _load_case(s, case)
        t = s.scalar(
            select(JudicialConfirmation)
            .where(JudicialConfirmation.case_id == c.id, JudicialConfirmation.retired_on.is_(None))
            .order_by(JudicialConfirmation.id.desc())
        )
        return None if t is None else _detail(s, t, today or ctx.today())
