"""Confirmation tracks: start one for a settled case, keep its checklist and court dates.

Whether a case may apply is ``eligibility``; reading a track back is ``detail``.

Rules:

* a track starts only for a case with a **written, effective** agreement (signed by every party and the
  mediator, sealed) and a subject the court may confirm (``rules.refusal_reason``); hints from the
  dispute type or the agreement must be answered with a note; one live track per case at a time;
* the deadline is computed from the agreement's effective date and stored (recomputed when the holiday
  calendar changes); the state follows the dates: 准备申请 → 已申请待受理 → 已受理待裁定 → 裁定有效/驳回,
  or 撤回/不予受理 with a reason;
* filing needs the court and every required material; filing — and printing the application — after
  the deadline needs a recorded reason (``record_late_reason``);
* a ruled-valid agreement gets its enforcement period (2 years from the last performance date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from db.schema.judicial import (
    ConfirmationState,
    CourtReferral,
    JudicialConfirmation,
    JudicialMaterial,
    Subject,
)
from db.schema.mediation import Agreement
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.judicial import STATE_LABELS, state_is_closed
from desktop.services.access import check_case_in_session
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial import rules
from desktop.services.judicial.common import (
    PERFORMANCE_LABELS,
    SUBJECT_LABELS,
    load_calendar,
    not_future,
    opt_text,
)
from desktop.services.judicial.eligibility import (
    _eligibility,
    _involves_property,
    _load_case,
    _parties,
    _referral_court,
)

# ---------------------------------------------------------------- starting a track


@dataclass
class StartInput:
    subject: str = Subject.ORDINARY
    subject_note: str | None = None  # required when there are hints
    court: str | None = None  # default: the suggestion
    agent_applies: bool | None = None  # default: a party has an agent
    notes: str | None = None


def start_confirmation(
    ctx: ServiceContext, case: int | str, data: StartInput | None = None, today: dt.date | None = None
) -> int:
    data = data or StartInput()
    if data.subject not in SUBJECT_LABELS:
        raise ValidationError(f"协议事项类别“{data.subject}”无效。", field="subject")
    refusal = rules.refusal_reason(data.subject)
    if refusal:
        raise ValidationError(
            f"不能申请司法确认：{refusal}。可告知当事人通过诉讼等途径解决。", field="subject"
        )
    note = opt_text(data.subject_note, 200, "核对说明", "subject_note")
    court = opt_text(data.court, 100, "受理法院", "court")
    with ctx.write() as uow:
        s = uow.session
        case_row = _load_case(s, case)
        e = _eligibility(s, case_row, today or ctx.today())
        if not e.ok:
            raise ValidationError("不能登记司法确认：" + "；".join(e.problems) + "。")
        if e.hints and not note:
            raise ValidationError(
                "请先核对协议事项并填写核对说明（例如“只涉及赡养费给付，不确认身份关系”）："
                + "；".join(h.reason for h in e.hints),
                field="subject_note",
            )
        a = case_row.agreement
        assert a is not None and a.effective_on is not None and e.deadline is not None and e.court is not None
        ref, _ = _referral_court(s, case_row)
        parties = _parties(s, case_row.id)
        agent = any(p.agent for p in parties) if data.agent_applies is None else data.agent_applies
        t = JudicialConfirmation(
            case_id=case_row.id,
            agreement_id=a.id,
            agreement_no=a.agreement_no,
            effective_on=a.effective_on,
            deadline=e.deadline,
            subject=Subject.ORDINARY,
            subject_note=note,
            referral_id=None if ref is None else ref.id,
            court_suggested=e.court.court,
            court_basis=e.court.basis[:200],
            court=court or e.court.court,
            agent_applies=agent,
            state=ConfirmationState.PREPARING,
            notes=opt_text(data.notes, 2000, "备注", "notes"),
        )
        briefs = [rules.brief_of(p, case_row.accepted_on) for p in parties]
        for i, m in enumerate(rules.materials_for(briefs, agent, _involves_property(a))):
            t.materials.append(JudicialMaterial(seq=i + 1, code=m.code, label=m.label, required=m.required))
        s.add(t)
        s.flush()
        uow.audit(
            "create",
            "judicial_confirmation",
            t.id,
            summary=f"案件 {case_row.case_no} 登记司法确认，申请期限 {t.deadline:%Y-%m-%d}",
            after=snapshot(t),
        )
        return t.id


# ---------------------------------------------------------------- editing a track


@dataclass
class TrackInput:
    court: str | None = None
    agent_applies: bool = False
    filed_on: dt.date | None = None
    accepted_on: dt.date | None = None
    court_case_no: str | None = None
    judge: str | None = None
    ruling_extended: bool = False
    ruling_on: dt.date | None = None
    ruling: str | None = None  # Ruling
    ruling_no: str | None = None
    rejection_reason: str | None = None
    rejection_follow_up: str | None = None
    performance: str | None = None
    performance_on: dt.date | None = None
    performance_note: str | None = None
    enforcement_applied_on: dt.date | None = None
    enforcement_case_no: str | None = None
    enforcement_note: str | None = None
    notes: str | None = None


def _load_track(s: Session, track_id: int) -> JudicialConfirmation:
    t = s.get(JudicialConfirmation, track_id)
    if t is None or t.retired_on is not None:
        raise NotFoundError("该司法确认记录已不存在。")
    check_case_in_session(s, t.case_id, f"（司法确认 {track_id}）")
    return t


def _derive_state(t: JudicialConfirmation) -> str:
    if t.ruling:
        return t.ruling
    if t.accepted_on:
        return ConfirmationState.ACCEPTED
    if t.filed_on:
        return ConfirmationState.FILED
    return ConfirmationState.PREPARING


def _missing_materials(t: JudicialConfirmation) -> list[str]:
    return [m.label for m in t.materials if m.required and not m.received]


def _due_dates(s: Session, agreement_id: int) -> list[dt.date]:
    a = s.get(Agreement, agreement_id)
    if a is None:
        return []
    return [d for d in [a.performance_deadline, *(t.due_on for t in a.terms)] if d]


def _validate(t: JudicialConfirmation, d: TrackInput, today: dt.date) -> dict[str, object]:
    court = opt_text(d.court, 100, "受理法院", "court")
    for day, label, key in (
        (d.filed_on, "申请日期", "filed_on"),
        (d.accepted_on, "受理日期", "accepted_on"),
        (d.ruling_on, "裁定日期", "ruling_on"),
        (d.performance_on, "履行情况日期", "performance_on"),
        (d.enforcement_applied_on, "申请执行日期", "enforcement_applied_on"),
    ):
        not_future(day, today, label, key)
    if d.filed_on and d.filed_on < t.effective_on:
        raise ValidationError(
            f"申请日期不能早于协议生效日期（{t.effective_on:%Y-%m-%d}）。", field="filed_on"
        )
    if d.filed_on and not court:
        raise ValidationError("已申请的案件须填写受理法院。", field="court")
    if d.accepted_on and not d.filed_on:
        raise ValidationError("请先填写申请日期，再填写受理日期。", field="filed_on")
    if d.accepted_on and d.filed_on and d.accepted_on < d.filed_on:
        raise ValidationError("受理日期不能早于申请日期。", field="accepted_on")
    case_no = None
    if d.court_case_no and d.court_case_no.strip():
        try:
            case_no = rules.normalize_court_case_no(d.court_case_no)
        except ValueError as exc:
            raise ValidationError(str(exc), field="court_case_no") from None
    if d.accepted_on and not case_no:
        raise ValidationError(
            "已受理的案件须填写法院受理案号（调确 / 诉前调确 / 民特）。", field="court_case_no"
        )
    if d.ruling not in (None, "VALID", "REJECTED"):
        raise ValidationError(f"裁定结果“{d.ruling}”无效。", field="ruling")
    if bool(d.ruling) != bool(d.ruling_on):
        raise ValidationError("裁定日期和裁定结果应一并填写。", field="ruling_on" if d.ruling else "ruling")
    if d.ruling and not d.accepted_on:
        raise ValidationError("请先填写受理日期，再填写裁定。", field="accepted_on")
    if d.ruling_on and d.accepted_on and d.ruling_on < d.accepted_on:
        raise ValidationError("裁定日期不能早于受理日期。", field="ruling_on")
    rejection = opt_text(d.rejection_reason, 2000, "驳回理由", "rejection_reason")
    if d.ruling == "REJECTED" and not rejection:
        raise ValidationError(
            "裁定驳回的，请填写驳回理由（法院裁定书载明的理由）。", field="rejection_reason"
        )
    if d.performance not in (None, *PERFORMANCE_LABELS):
        raise ValidationError(f"履行情况“{d.performance}”无效。", field="performance")
    if d.enforcement_applied_on:
        if d.ruling != "VALID":
            raise ValidationError("只有裁定调解协议有效后才能申请强制执行。", field="enforcement_applied_on")
        if d.ruling_on and d.enforcement_applied_on < d.ruling_on:
            raise ValidationError("申请执行日期不能早于裁定日期。", field="enforcement_applied_on")
    return {
        "court": court,
        "agent_applies": bool(d.agent_applies),
        "filed_on": d.filed_on,
        "accepted_on": d.accepted_on,
        "court_case_no": case_no,
        "judge": opt_text(d.judge, 50, "承办法官", "judge"),
        "ruling_extended": bool(d.ruling_extended),
        "ruling_on": d.ruling_on,
        "ruling": d.ruling,
        "ruling_no": opt_text(d.ruling_no, 60, "裁定书文号", "ruling_no"),
        "rejection_reason": rejection if d.ruling == "REJECTED" else None,
        "rejection_follow_up": opt_text(d.rejection_follow_up, 200, "驳回后处理", "rejection_follow_up"),
        "performance": d.performance,
        "performance_on": d.performance_on,
        "performance_note": opt_text(d.performance_note, 300, "履行情况说明", "performance_note"),
        "enforcement_applied_on": d.enforcement_applied_on,
        "enforcement_case_no": opt_text(d.enforcement_case_no, 60, "执行案号", "enforcement_case_no"),
        "enforcement_note": opt_text(d.enforcement_note, 300, "执行说明", "enforcement_note"),
        "notes": opt_text(d.notes, 2000, "备注", "notes"),
    }


def save_track(
    ctx: ServiceContext, track_id: int, version: int | None, data: TrackInput, today: dt.date | None = None
) -> None:
    today = today or ctx.today()
    with ctx.write() as uow:
        s = uow.session
        t = _load_track(s, track_id)
        check_version(t.version, version)
        if state_is_closed(t.state):
            raise ValidationError(f"该司法确认已{STATE_LABELS[t.state]}，不能再修改。")
        values = _validate(t, data, today)
        if values["filed_on"] and not t.filed_on:
            missing = _missing_materials(t)
            if missing:
                raise ValidationError(
                    "申请材料尚不齐全，请先收齐：" + "、".join(missing) + "。", field="filed_on"
                )
            if values["filed_on"] > t.deadline and not t.late_reason:  # type: ignore[operator]
                raise ValidationError(
                    f"申请日期已超过申请期限（{t.deadline:%Y-%m-%d}）：请先记录逾期申请的理由。",
                    field="filed_on",
                )
        before = snapshot(t)
        for k, v in values.items():
            setattr(t, k, v)
        t.state = _derive_state(t)
        if t.ruling == "VALID" and t.ruling_on:
            cal = load_calendar(s)
            t.enforcement_from = dl.enforcement_from(t.ruling_on, _due_dates(s, t.agreement_id))
            t.enforcement_limit = dl.enforcement_limit(t.enforcement_from, cal).day
        else:
            t.enforcement_from = t.enforcement_limit = None
        _sync_referral(s, t)
        s.flush()
        _audit(uow, t, "update", f"司法确认（{t.agreement_no}）：{STATE_LABELS[t.state]}", before)


def _sync_referral(s: Session, t: JudicialConfirmation) -> None:
    if t.referral_id and t.court_case_no:
        ref = s.get(CourtReferral, t.referral_id)
        if ref is not None and ref.confirmation_no != t.court_case_no:
            ref.confirmation_no = t.court_case_no


def _audit(
    uow: UnitOfWork, t: JudicialConfirmation, action: str, summary: str, before: dict[str, Any] | None
) -> None:
    uow.audit(action, "judicial_confirmation", t.id, summary=summary, before=before, after=snapshot(t))


def set_material(
    ctx: ServiceContext,
    track_id: int,
    code: str,
    received: bool,
    *,
    received_on: dt.date | None = None,
    copies: int | None = None,
    note: str | None = None,
    required: bool | None = None,
    today: dt.date | None = None,
) -> None:
    today = today or ctx.today()
    not_future(received_on, today, "收到日期", "received_on")
    with ctx.write() as uow:
        t = _load_track(uow.session, track_id)
        if state_is_closed(t.state):
            raise ValidationError(f"该司法确认已{STATE_LABELS[t.state]}，不能再修改。")
        m = next((m for m in t.materials if m.code == code), None)
        if m is None:
            raise NotFoundError(f"材料清单中没有“{code}”。")
        before = snapshot(m)
        m.received = bool(received)
        m.received_on = (received_on or today) if received else None
        if copies is not None:
            if not 0 <= copies <= 99:
                raise ValidationError("份数应在 0–99 之间。", field="copies")
            m.copies = copies
        m.note = opt_text(note, 200, "说明", "note") if note is not None else m.note
        if required is not None:
            m.required = required
        uow.session.flush()
        uow.audit(
            "update",
            "judicial_material",
            m.id,
            summary=f"司法确认材料“{m.label}”：{'已收到' if m.received else '未收到'}",
            before=before,
            after=snapshot(m),
        )


def record_late_reason(ctx: ServiceContext, track_id: int, version: int | None, reason: str) -> None:
    """The override that allows the application to be printed and filed after the deadline."""
    text = opt_text(reason, 300, "逾期理由", "late_reason")
    if not text or len(text) < 4:
        raise ValidationError("请写明逾期仍申请的理由（至少 4 个字）。", field="late_reason")
    with ctx.write() as uow:
        t = _load_track(uow.session, track_id)
        check_version(t.version, version)
        before = snapshot(t)
        t.late_reason = text
        t.late_recorded_by = uow.actor.user[:80]
        uow.session.flush()
        _audit(uow, t, "override", f"司法确认（{t.agreement_no}）逾期申请：{text}", before)


def close_track(
    ctx: ServiceContext,
    track_id: int,
    version: int | None,
    state: str,
    reason: str,
    today: dt.date | None = None,
) -> None:
    """撤回/不申请 (WITHDRAWN) or 不予受理 (NOT_ACCEPTED), with the reason."""
    if not state_is_closed(state):
        raise ValidationError("只能记录为“撤回/不申请”或“不予受理”。", field="state")
    text = opt_text(reason, 300, "原因", "closed_reason")
    if not text:
        raise ValidationError("请填写原因。", field="closed_reason")
    with ctx.write() as uow:
        t = _load_track(uow.session, track_id)
        check_version(t.version, version)
        if t.ruling:
            raise ValidationError("法院已作出裁定，不能再记录撤回或不予受理。")
        if state == "NOT_ACCEPTED" and not t.filed_on:
            raise ValidationError("尚未申请，不能记录为不予受理。", field="state")
        before = snapshot(t)
        t.state, t.closed_reason = state, text
        uow.session.flush()
        _audit(uow, t, "update", f"司法确认（{t.agreement_no}）{STATE_LABELS[state]}：{text}", before)


def retire_track(ctx: ServiceContext, track_id: int, version: int | None, reason: str) -> None:
    """A track registered by mistake is retired (kept, hidden), never deleted."""
    text = opt_text(reason, 200, "撤销原因", "retired_reason")
    if not text:
        raise ValidationError("请填写撤销原因。", field="retired_reason")
    with ctx.write() as uow:
        t = _load_track(uow.session, track_id)
        check_version(t.version, version)
        before = snapshot(t)
        t.retired_on, t.retired_reason = ctx.today(), text
        uow.session.flush()
        _audit(uow, t, "retire", f"撤销司法确认记录（{t.agreement_no}）：{text}", before)
