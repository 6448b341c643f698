"""The case after intake: notice, investigation, sessions, outcome, agreement, performance, visits, closing, archive.

Rules (人民调解法 §28–30; 人民调解工作若干规定 §35):

* an agreement needs at least two parties with complete details, numbered terms, and the 履行方式,
  地点 and 期限; its number is the case number and it is printed in parties + 1 copies;
* a written agreement takes effect (生效) only when every party has signed, the mediator has signed and
  the committee's seal is on it; its effective date is the date of the last of these (default: the date
  printed on it). An oral agreement is effective the day it is reached;
* follow-up visits (回访) are scheduled against the performance due dates;
* closing needs an outcome (and, after a success, an effective agreement and a performance record that
  is not 履行中); archiving needs a closed case and every mandatory 卷宗 item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.schema.mediation import (
    CaseFileItem,
    CaseOutcome,
    CaseStage,
    Investigation,
    MediationCase,
    MediationSession,
    PerformanceStatus,
)
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.mediation import OUTCOME_LABELS, stage_can_archive
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext
from desktop.services.mediation import casefile
from desktop.services.mediation.agreement import (
    AgreementInput,
    FollowUpInput,
    TermInput,
    check_agreement,
    effective_date,
    follow_up_dates,
    record_follow_up,
    record_performance,
    save_agreement,
    schedule_follow_ups,
    set_signatures,
)
from desktop.services.mediation.common import (
    editable,
    facts,
    load_case,
)
from desktop.services.mediation.lifecycle_common import (
    audit_change,
    check_open,
    not_before_intake,
    start_mediating,
)

# ---------------------------------------------------------------- notice, investigation, sessions


def set_rights_notified(
    ctx: ServiceContext, case_id: int, on: dt.date | None, today: dt.date | None = None
) -> None:
    """当事人权利义务告知书 signed by the parties on ``on`` (None: not yet)."""
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        if on is not None:
            not_before_intake(case, on, "告知日期", "rights_notified_on")
            if on > (today or ctx.today()):
                raise ValidationError("告知日期不能晚于今天。", field="rights_notified_on")
        before = snapshot(case)
        case.rights_notified_on = on
        uow.session.flush()
        audit_change(uow, "update", "mediation_case", case, f"案件 {case.case_no} 权利义务告知", before)


@dataclass
class InvestigationInput:
    held_on: dt.date
    investigator: str
    interviewee: str
    content: str
    place: str | None = None
    recorder: str | None = None


def save_investigation(
    ctx: ServiceContext,
    case_id: int,
    data: InvestigationInput,
    investigation_id: int | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> int:
    for value, label, key in (
        (data.investigator, "调查人", "investigator"),
        (data.interviewee, "被调查人", "interviewee"),
        (data.content, "调查内容", "content"),
    ):
        if not clean_text(value):
            raise ValidationError(f"请填写{label}。", field=key)
    if data.held_on is None or data.held_on > (today or ctx.today()):
        raise ValidationError("调查日期不能为空，也不能晚于今天。", field="held_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        check_open(case)
        not_before_intake(case, data.held_on, "调查日期", "held_on")
        if investigation_id is None:
            inv = Investigation(
                case_id=case.id, held_on=data.held_on, investigator="", interviewee="", content=""
            )
            uow.session.add(inv)
            before = None
        else:
            found = next((i for i in case.investigations if i.id == investigation_id), None)
            if found is None:
                raise NotFoundError("该调查记录已不存在。")
            inv = found
            check_version(inv.version, version)
            before = snapshot(inv)
        inv.held_on = data.held_on
        inv.investigator = clean_text(data.investigator)[:100]
        inv.interviewee = clean_text(data.interviewee)[:100]
        inv.content = clean_text(data.content)
        inv.place = clean_text(data.place)[:100] or None
        inv.recorder = clean_text(data.recorder)[:50] or None
        start_mediating(case)
        uow.session.flush()
        audit_change(
            uow,
            "create" if before is None else "update",
            "investigation",
            inv,
            f"案件 {case.case_no} 调查记录（{inv.held_on:%Y-%m-%d}）",
            before,
        )
        return inv.id


@dataclass
class SessionInput:
    held_at: dt.datetime
    place: str
    minutes: str
    mediators: str | None = None
    attendees: str | None = None
    parties_present: str | None = None
    recorder: str | None = None
    result: str | None = None


def save_session(
    ctx: ServiceContext,
    case_id: int,
    data: SessionInput,
    session_id: int | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> int:
    if data.held_at is None or data.held_at.date() > (today or ctx.today()):
        raise ValidationError("调解时间不能为空，也不能晚于今天。", field="held_at")
    if not clean_text(data.place):
        raise ValidationError("请填写调解地点。", field="place")
    if not clean_text(data.minutes):
        raise ValidationError("请填写调解记录（调解过程）。", field="minutes")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        check_open(case)
        not_before_intake(case, data.held_at.date(), "调解时间", "held_at")
        if session_id is None:
            rec = MediationSession(case_id=case.id, held_at=data.held_at, place="", minutes="")
            uow.session.add(rec)
            before = None
        else:
            found = next((m for m in case.sessions if m.id == session_id), None)
            if found is None:
                raise NotFoundError("该调解记录已不存在。")
            rec = found
            check_version(rec.version, version)
            before = snapshot(rec)
        rec.held_at = data.held_at.replace(second=0, microsecond=0)
        rec.place = clean_text(data.place)[:100]
        rec.minutes = clean_text(data.minutes)
        rec.mediators = clean_text(data.mediators)[:200] or None
        rec.attendees = clean_text(data.attendees)[:300] or None
        rec.parties_present = (clean_text(data.parties_present) or "、".join(p.name for p in case.parties))[
            :300
        ]
        rec.recorder = clean_text(data.recorder)[:50] or case.recorder
        rec.result = clean_text(data.result) or None
        start_mediating(case)
        uow.session.flush()
        audit_change(
            uow,
            "create" if before is None else "update",
            "mediation_session",
            rec,
            f"案件 {case.case_no} 调解记录（{rec.held_at:%Y-%m-%d %H:%M}）",
            before,
        )
        return rec.id


# ---------------------------------------------------------------- outcome and agreement


def record_failure(
    ctx: ServiceContext,
    case_id: int,
    version: int | None,
    outcome: str,
    on: dt.date,
    note: str,
    routes: list[str] | None = None,
    today: dt.date | None = None,
) -> None:
    """调解不成功 (with the routes the parties were told of) or 终止调解 (with the reason)."""
    if outcome not in (CaseOutcome.FAILED, CaseOutcome.TERMINATED):
        raise ValidationError("此处只能记录调解不成功或终止调解。", field="outcome")
    note = clean_text(note)
    if not note:
        raise ValidationError(f"请写明{OUTCOME_LABELS[outcome]}的原因。", field="outcome_note")
    if outcome == CaseOutcome.FAILED and not routes:
        raise ValidationError(
            "调解不成功时，请选择已告知当事人的其他解决途径（诉讼、仲裁等）。", field="routes_open"
        )
    if on > (today or ctx.today()):
        raise ValidationError("结果日期不能晚于今天。", field="outcome_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        check_open(case)
        check_version(case.version, version)
        not_before_intake(case, on, "结果日期", "outcome_on")
        if case.agreement is not None:
            raise ValidationError("该案件已达成协议，不能再记为调解不成功或终止调解。")
        before = snapshot(case)
        case.outcome, case.outcome_on, case.outcome_note = outcome, on, note
        case.routes_open = "、".join(clean_text(r) for r in routes or [] if clean_text(r)) or None
        case.stage = CaseStage.MEDIATING
        uow.session.flush()
        audit_change(
            uow, "update", "mediation_case", case, f"案件 {case.case_no} {OUTCOME_LABELS[outcome]}", before
        )


# ---------------------------------------------------------------- closing and archiving


def close_problems(case: MediationCase) -> list[str]:
    problems = []
    if case.outcome is None:
        problems.append("尚未记录调解结果")
    if not case.sessions:
        problems.append("尚无调解记录")
    if case.outcome == CaseOutcome.SUCCESS:
        a = case.agreement
        if a is None:
            problems.append("调解成功但没有协议")
        elif a.effective_on is None:
            problems.append("协议尚未签名盖章生效")
        last = case.performances[-1].status if case.performances else None
        if last in (None, PerformanceStatus.IN_PROGRESS):
            problems.append("协议尚在履行中（请先记录履行情况）")
    return problems


def close_case(
    ctx: ServiceContext, case_id: int, version: int | None, on: dt.date, today: dt.date | None = None
) -> None:
    """结案."""
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        check_version(case.version, version)
        if case.stage == CaseStage.CLOSED:
            raise ValidationError(f"案件 {case.case_no} 已结案。")
        problems = close_problems(case)
        if problems:
            raise ValidationError(f"案件 {case.case_no} 还不能结案：{'；'.join(problems)}。")
        if on > (today or ctx.today()) or (case.outcome_on and on < case.outcome_on):
            raise ValidationError("结案日期应在调解结果日期和今天之间。", field="closed_on")
        before = snapshot(case)
        case.closed_on, case.stage = on, CaseStage.CLOSED
        uow.session.flush()
        audit_change(uow, "close", "mediation_case", case, f"案件 {case.case_no} 结案", before)


def set_file_item(
    ctx: ServiceContext,
    case_id: int,
    code: str,
    present: bool,
    pages: int | None = None,
    note: str | None = None,
) -> None:
    """Confirm a paper item of the 卷宗 (身份证明, 证据材料, 履行凭证 …) and its page count."""
    if code not in casefile.PAPER_CODES:
        raise ValidationError("该卷宗材料由程序生成，无需手工确认。", field="code")
    if pages is not None and not 0 < pages < 1000:
        raise ValidationError("页数应为 1–999。", field="pages")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        item = next((i for i in case.file_items if i.code == code), None)
        before = None if item is None else snapshot(item)
        if item is None:
            item = CaseFileItem(case_id=case.id, code=code)
            case.file_items.append(item)
        item.present, item.pages, item.note = present, pages, clean_text(note)[:200] or None
        uow.session.flush()
        audit_change(
            uow,
            "update",
            "case_file_item",
            item,
            f"案件 {case.case_no} 卷宗材料“{casefile.ITEM_TITLES[code]}”{'已归入' if present else '未归入'}",
            before,
        )


def archive_case(
    ctx: ServiceContext,
    case_id: int,
    version: int | None,
    on: dt.date,
    filed_by: str,
    retention: str = "长期",
    today: dt.date | None = None,
) -> None:
    """归档 (立卷): only a closed case with every mandatory 卷宗 item."""
    filed_by = clean_text(filed_by)
    if not filed_by:
        raise ValidationError("请填写立卷人。", field="filed_by")
    if retention not in ("永久", "长期", "短期"):
        raise ValidationError("保管期限应为永久、长期或短期。", field="retention")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        check_version(case.version, version)
        if not stage_can_archive(case.stage):
            raise ValidationError(f"案件 {case.case_no} 尚未结案，不能归档。")
        missing = casefile.missing_required(casefile.checklist(facts(case)))
        if missing:
            names = "、".join(i.title for i in missing)
            raise ValidationError(f"卷宗缺少必备材料，不能归档：{names}。", field="file_items")
        if (case.closed_on and on < case.closed_on) or on > (today or ctx.today()):
            raise ValidationError("立卷日期应在结案日期和今天之间。", field="archived_on")
        before = snapshot(case)
        case.archived_on, case.filed_by, case.retention, case.stage = (
            on,
            filed_by[:50],
            retention,
            CaseStage.ARCHIVED,
        )
        uow.session.flush()
        audit_change(uow, "archive", "mediation_case", case, f"案件 {case.case_no} 归档", before)


__all__ = [
    "AgreementInput",
    "FollowUpInput",
    "InvestigationInput",
    "SessionInput",
    "TermInput",
    "archive_case",
    "check_agreement",
    "close_case",
    "close_problems",
    "effective_date",
    "follow_up_dates",
    "record_failure",
    "record_follow_up",
    "record_performance",
    "save_agreement",
    "save_investigation",
    "save_session",
    "schedule_follow_ups",
    "set_file_item",
    "set_rights_notified",
    "set_signatures",
]
