"""The 司法确认 register: one row per track with its deadline colour; candidates not yet registered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, JudicialConfirmation
from db.schema.mediation import Agreement, CaseParty, MediationCase, MediationCommittee
from desktop.domain.accounts import JUDICIAL
from desktop.domain.judicial import LAPSED_LABEL, RULING_LABELS, STATE_LABELS
from desktop.domain.text import clean_text
from desktop.services.access import case_condition, require, session_case_condition
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import load_calendar
from desktop.services.judicial.detail import facts_of
from desktop.services.judicial.lapsed import lapsed_agreements

#: the list's filters (UI combo order)
FILTERS = {
    "ALL": "全部",
    "ATTENTION": "需要处理",
    "NEAR": "临近期限",
    "OVERDUE": "已逾期",
    "PREPARING": "准备申请",
    "FILED": "待受理",
    "ACCEPTED": "待裁定",
    "RULED": "已裁定",
    "CLOSED": "撤回/不予受理",
}


@dataclass(frozen=True)
class TrackRow:
    id: int
    case_id: int
    case_no: str
    committee: str
    parties: str
    agreement_no: str
    effective_on: dt.date
    deadline: dt.date
    deadline_checked: bool
    court: str | None
    filed_on: dt.date | None
    accepted_on: dt.date | None
    court_case_no: str | None
    ruling_on: dt.date | None
    ruling: str | None
    state: str
    state_label: str
    alerts: tuple[dl.Alert, ...] = ()

    @property
    def level(self) -> str:
        return dl.worst(self.alerts)

    @property
    def overdue(self) -> bool:
        return any(a.overdue for a in self.alerts)

    @property
    def alert_text(self) -> str:
        return "；".join(a.text for a in self.alerts)

    @property
    def ruling_label(self) -> str:
        return RULING_LABELS.get(self.ruling or "", "")

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days


def _accepts(row: TrackRow, flt: str) -> bool:
    if flt == "ALL":
        return True
    if flt == "ATTENTION":
        return bool(row.alerts)
    if flt == "NEAR":
        return any(not a.overdue and a.kind in ("deadline", "enforcement") for a in row.alerts)
    if flt == "OVERDUE":
        return row.overdue
    if flt == "RULED":
        return row.state in ("VALID", "REJECTED")
    if flt == "CLOSED":
        return row.state in ("WITHDRAWN", "NOT_ACCEPTED")
    return row.state == flt


def _names(s: Session, case_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(case_ids), 900):
        for cid, name in s.execute(
            select(CaseParty.case_id, CaseParty.name)
            .where(CaseParty.case_id.in_(case_ids[i : i + 900]))
            .order_by(CaseParty.case_id, CaseParty.seq)
        ):
            names[cid].append(name)
    return names


def list_tracks(
    ctx: ServiceContext, flt: str = "ALL", text: str = "", today: dt.date | None = None
) -> list[TrackRow]:
    require(ctx, JUDICIAL)
    today = today or ctx.today()
    with ctx.read() as s:
        cal = load_calendar(s)
        q = (
            select(JudicialConfirmation, MediationCase.case_no, MediationCommittee.name)
            .join(MediationCase, MediationCase.id == JudicialConfirmation.case_id)
            .join(MediationCommittee, MediationCommittee.id == MediationCase.committee_id)
            .where(JudicialConfirmation.retired_on.is_(None))
            .order_by(JudicialConfirmation.deadline.desc(), JudicialConfirmation.id.desc())
        )
        q = q.where(case_condition(ctx))  # a 调解员's committee
        words = clean_text(text)
        if words:
            like = f"%{words}%"
            q = q.where(
                or_(
                    MediationCase.case_no.like(like),
                    JudicialConfirmation.court_case_no.like(like),
                    JudicialConfirmation.court.like(like),
                    MediationCase.id.in_(select(CaseParty.case_id).where(CaseParty.name.like(like))),
                )
            )
        found = s.execute(q).all()
        names = _names(s, [t.case_id for t, _no, _c in found])
        rows = [
            TrackRow(
                t.id,
                t.case_id,
                case_no,
                committee,
                "、".join(names.get(t.case_id, [])),
                t.agreement_no,
                t.effective_on,
                t.deadline,
                cal.is_checked(t.deadline),
                t.court,
                t.filed_on,
                t.accepted_on,
                t.court_case_no,
                t.ruling_on,
                t.ruling,
                t.state,
                STATE_LABELS.get(t.state, t.state),
                tuple(dl.track_alerts(facts_of(t), today, cal)),
            )
            for t, case_no, committee in found
        ]
    return [r for r in rows if _accepts(r, flt)]


@dataclass(frozen=True)
class Candidate:
    """A case whose written agreement is effective and still inside the window, with no track yet."""

    case_id: int
    case_no: str
    parties: str
    effective_on: dt.date
    deadline: dt.date
    days_left: int


def list_candidates(ctx: ServiceContext, today: dt.date | None = None) -> list[Candidate]:
    require(ctx, JUDICIAL)
    today = today or ctx.today()
    with ctx.read() as s:
        return _candidates(s, today)


def _candidates(s: Session, today: dt.date) -> list[Candidate]:
    cal = load_calendar(s)
    # the window is at most 30 days plus the longest holiday stretch: look back 50 days
    since = today - dt.timedelta(days=50)
    tracked = select(JudicialConfirmation.case_id).where(JudicialConfirmation.retired_on.is_(None))
    rows = s.execute(
        select(MediationCase.id, MediationCase.case_no, Agreement.effective_on)
        .join(Agreement, Agreement.case_id == MediationCase.id)
        .where(
            session_case_condition(s),
            MediationCase.retired_on.is_(None),
            Agreement.oral.is_(False),
            Agreement.effective_on.is_not(None),
            Agreement.effective_on >= since,
            MediationCase.id.not_in(tracked),
        )
        .order_by(Agreement.effective_on)
    ).all()
    names = _names(s, [r.id for r in rows])
    out = []
    for cid, case_no, effective_on in rows:
        if effective_on is None:
            continue
        due = dl.confirmation_deadline(effective_on, cal).day
        if due >= today:
            out.append(
                Candidate(cid, case_no, "、".join(names.get(cid, [])), effective_on, due, (due - today).days)
            )
    return out


def confirmation_by_case(
    s: Session, case_ids: list[int], today: dt.date
) -> dict[int, tuple[dt.date | None, str]]:
    """For the mediation list: case id → (application deadline or None, state label).

    A case with a track shows the track's deadline and state; a case with an effective written agreement
    and no track shows the deadline counted from the agreement and “未申请”; other cases are left out.
    A case whose window ended without an application (:func:`desktop.services.judicial.lapsed.lapsed_agreements`,
    the rule the 月报 and 工作台 use too) shows “逾期未申请”, with the track's state after it if there is one.
    """
    out: dict[int, tuple[dt.date | None, str]] = {}
    if not case_ids:
        return out
    cal = load_calendar(s)
    lapsed = lapsed_agreements(s, today, case_ids=case_ids)
    for i in range(0, len(case_ids), 900):
        part = case_ids[i : i + 900]
        for cid, oral, eff in s.execute(
            select(Agreement.case_id, Agreement.oral, Agreement.effective_on).where(
                Agreement.case_id.in_(part)
            )
        ):
            if not oral and eff is not None:
                out[cid] = (dl.confirmation_deadline(eff, cal).day, "未申请")
        for t in s.scalars(
            select(JudicialConfirmation)
            .where(JudicialConfirmation.case_id.in_(part), JudicialConfirmation.retired_on.is_(None))
            .order_by(JudicialConfirmation.id)
        ):
            out[t.case_id] = (t.deadline, STATE_LABELS.get(t.state, t.state))
    for cid, gone in lapsed.items():
        _due, state = out.get(cid, (None, "未申请"))
        label = LAPSED_LABEL
        if gone.filed_late_on is not None:
            label += f"（{gone.filed_late_on:%Y-%m-%d}逾期申请，{state}）"
        elif state not in ("未申请", STATE_LABELS["PREPARING"]):
            label += f"（{state}）"
        out[cid] = (gone.deadline, label)
    return out


def referral_for_case(s: Session, case_id: int) -> CourtReferral | None:
    return s.scalar(
        select(CourtReferral)
        .where(CourtReferral.case_id == case_id, CourtReferral.retired_on.is_(None))
        .order_by(CourtReferral.id.desc())
    )
