"""Print the 司法确认 documents of a case: the application, 送达地址确认书, 授权委托书, checklist, package.

The application (and the package that contains it) is blocked once the deadline has passed, unless the
track records why the parties still apply (``tracks.record_late_reason``). Documents that carry full ID
numbers leave an audit record (who printed what, when).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, JudicialConfirmation
from desktop.core.errors import ValidationError
from desktop.documents import judicial as docs
from desktop.domain.judicial import STATE_LABELS, ConfirmationRecord, MaterialLine, state_is_closed
from desktop.services.access import check_case_in_session
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial import rules
from desktop.services.judicial.common import load_calendar
from desktop.services.judicial.eligibility import _eligibility, _load_case, _parties, unrepresented
from desktop.services.mediation.common import build_record, load_case

BLOCKED_AFTER_DEADLINE = ("application", "package")


def _record(s: Session, case_ref: int | str, track_id: int | None, today: dt.date) -> ConfirmationRecord:
    if track_id is not None:
        t = s.get(JudicialConfirmation, track_id)
        if t is None or t.retired_on is not None:
            raise ValidationError("该司法确认记录已不存在。")
        check_case_in_session(s, t.case_id, f"（司法确认 {track_id}）")
        case_ref = t.case_id
    else:
        case_row = _load_case(s, case_ref)
        t = s.scalar(
            select(JudicialConfirmation)
            .where(JudicialConfirmation.case_id == case_row.id, JudicialConfirmation.retired_on.is_(None))
            .order_by(JudicialConfirmation.id.desc())
        )
    case = build_record(s, load_case(s, case_ref))
    if t is not None:
        ref = s.get(CourtReferral, t.referral_id) if t.referral_id else None
        return ConfirmationRecord(
            case=case,
            court=t.court,
            effective_on=t.effective_on,
            deadline=t.deadline,
            filed_on=t.filed_on,
            court_case_no=t.court_case_no,
            referral_court=ref.court if ref else None,
            referral_no=ref.referral_no if ref else None,
            agent_applies=t.agent_applies,
            materials=tuple(
                MaterialLine(m.label, m.required, m.received, m.copies, m.note, m.code) for m in t.materials
            ),
            state_label=STATE_LABELS.get(t.state, t.state),
            late_reason=t.late_reason,
            printed_on=today,
        )
    # no track yet: a draft from the rules, for a case that could start one
    row = _load_case(s, case.id)
    e = _eligibility(s, row, today)
    if not e.ok or e.effective_on is None or e.deadline is None:
        raise ValidationError("不能生成司法确认申请书：" + "；".join(e.problems) + "。")
    parties = _parties(s, row.id)
    briefs = [rules.brief_of(p, row.accepted_on) for p in parties]
    materials = rules.materials_for(briefs, e.agent_applies, False)
    return ConfirmationRecord(
        case=case,
        court=e.court.court if e.court else None,
        effective_on=e.effective_on,
        deadline=e.deadline,
        agent_applies=e.agent_applies,
        materials=tuple(MaterialLine(m.label, m.required, False, code=m.code) for m in materials),
        state_label="未登记",
        printed_on=today,
    )


def confirmation_record(
    ctx: ServiceContext,
    case: int | str | None = None,
    track_id: int | None = None,
    today: dt.date | None = None,
) -> ConfirmationRecord:
    with ctx.read() as s:
        return _record(s, case or 0, track_id, today or ctx.today())


def write_document(
    ctx: ServiceContext,
    key: str,
    path: Path,
    *,
    case: int | str | None = None,
    track_id: int | None = None,
    today: dt.date | None = None,
    audit: bool = True,
) -> Path:
    """Write document ``key`` (see ``desktop.documents.judicial.DOCUMENTS``) of a track or a case.

    ``audit=False`` for an on-screen preview (the print or save that follows is audited)."""
    if key not in docs.DOCUMENTS:
        raise ValidationError(f"没有“{key}”这种文书，可选：{'、'.join(docs.DOCUMENTS)}。", field="key")
    today = today or ctx.today()
    with ctx.read() as s:
        rec = _record(s, case or 0, track_id, today)
        if gaps := unrepresented(_parties(s, rec.case.id), rec.case.accepted_on):
            raise ValidationError("不能生成司法确认文书：" + "；".join(gaps) + "。")
        t = None
        if track_id is not None:
            t = s.get(JudicialConfirmation, track_id)
        elif rec.state_label != "未登记":
            t = s.scalar(
                select(JudicialConfirmation)
                .where(JudicialConfirmation.case_id == rec.case.id, JudicialConfirmation.retired_on.is_(None))
                .order_by(JudicialConfirmation.id.desc())
            )
        cal = load_calendar(s)
    if key in BLOCKED_AFTER_DEADLINE:
        _check_deadline(rec, t, today, cal)
    out = docs.write(rec, key, path)
    if audit:
        record_printed(ctx, rec.case.case_no, None if t is None else t.id, key, str(Path(out).resolve()))
    return out


def record_printed(ctx: ServiceContext, case_no: str, track_id: int | None, key: str, where: str) -> None:
    """Audit a document that left the program (printed or saved), with its full ID numbers."""
    with ctx.write() as uow:
        uow.audit(
            "print",
            "judicial_confirmation",
            track_id,
            summary=f"打印{docs.DOCUMENTS[key]}：{case_no}（含当事人身份证号码）",
            after={"to": where, "key": key},
        )


def _check_deadline(
    rec: ConfirmationRecord, t: JudicialConfirmation | None, today: dt.date, cal: dl.HolidayCalendar
) -> None:
    if t is not None and state_is_closed(t.state):
        raise ValidationError(f"该司法确认已{STATE_LABELS[t.state]}，不能再生成申请书。")
    if today <= rec.deadline or (t is not None and (t.late_reason or t.filed_on)):
        return
    due = dl.confirmation_deadline(rec.effective_on, cal)
    where = (
        "请在司法确认页面记录逾期申请的理由后再生成。"
        if t is not None
        else "如仍需申请，请先登记司法确认并记录逾期申请的理由。"
    )
    raise ValidationError(
        f"已超过司法确认申请期限（协议{rec.effective_on:%Y-%m-%d}生效，期限{due.describe(cal)}），"
        f"不能直接生成申请书。{where}",
        field="late_reason",
    )
