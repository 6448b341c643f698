"""The case after intake: notice, investigation, sessions, outcome, agreement, performance, visits, closing, archive.

Rules (REFERENCE §1, §3.2, §7):

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
import decimal
from dataclasses import dataclass

from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseFileItem,
    CaseOutcome,
    CaseStage,
    FollowUp,
    Investigation,
    MediationCase,
    MediationSession,
    Performance,
    PerformanceStatus,
)
from desktop.core.errors import NotFoundError, ValidationError
from desktop.documents.mediation.record import OUTCOME_LABELS, PERFORMANCE_LABELS
from desktop.exchange.validators import clean_text
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.mediation import casefile
from desktop.services.mediation.common import (
    MediationRules,
    check_version,
    editable,
    facts,
    load_case,
    load_rules,
)


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _not_before_intake(case: MediationCase, day: dt.date, what: str, field_name: str) -> None:
    if day < case.accepted_on:
        raise ValidationError(f"{what}不能早于受理日期（{case.accepted_on:%Y-%m-%d}）。", field=field_name)


def _start_mediating(case: MediationCase) -> None:
    if case.stage == CaseStage.ACCEPTED:
        case.stage = CaseStage.MEDIATING


def _open(case: MediationCase) -> None:
    editable(case)
    if case.stage == CaseStage.CLOSED:
        raise ValidationError(f"案件 {case.case_no} 已结案，不能再修改调解过程。")


def _audit(uow: UnitOfWork, action: str, entity: str, obj: object, summary: str, before: dict | None) -> None:
    uow.audit(action, entity, getattr(obj, "id", None), summary=summary, before=before, after=snapshot(obj))


# ---------------------------------------------------------------- notice, investigation, sessions


def set_rights_notified(
    ctx: ServiceContext, case_id: int, on: dt.date | None, today: dt.date | None = None
) -> None:
    """当事人权利义务告知书 signed by the parties on ``on`` (None: not yet)."""
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        if on is not None:
            _not_before_intake(case, on, "告知日期", "rights_notified_on")
            if on > _today(today):
                raise ValidationError("告知日期不能晚于今天。", field="rights_notified_on")
        before = snapshot(case)
        case.rights_notified_on = on
        uow.session.flush()
        _audit(uow, "update", "mediation_case", case, f"案件 {case.case_no} 权利义务告知", before)


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
    if data.held_on is None or data.held_on > _today(today):
        raise ValidationError("调查日期不能为空，也不能晚于今天。", field="held_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        _open(case)
        _not_before_intake(case, data.held_on, "调查日期", "held_on")
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
        _start_mediating(case)
        uow.session.flush()
        _audit(
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
    if data.held_at is None or data.held_at.date() > _today(today):
        raise ValidationError("调解时间不能为空，也不能晚于今天。", field="held_at")
    if not clean_text(data.place):
        raise ValidationError("请填写调解地点。", field="place")
    if not clean_text(data.minutes):
        raise ValidationError("请填写调解记录（调解过程）。", field="minutes")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        _open(case)
        _not_before_intake(case, data.held_at.date(), "调解时间", "held_at")
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
        _start_mediating(case)
        uow.session.flush()
        _audit(
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
    if on > _today(today):
        raise ValidationError("结果日期不能晚于今天。", field="outcome_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        _open(case)
        check_version(case.version, version)
        _not_before_intake(case, on, "结果日期", "outcome_on")
        if case.agreement is not None:
            raise ValidationError("该案件已达成协议，不能再记为调解不成功或终止调解。")
        before = snapshot(case)
        case.outcome, case.outcome_on, case.outcome_note = outcome, on, note
        case.routes_open = "、".join(clean_text(r) for r in routes or [] if clean_text(r)) or None
        case.stage = CaseStage.MEDIATING
        uow.session.flush()
        _audit(
            uow, "update", "mediation_case", case, f"案件 {case.case_no} {OUTCOME_LABELS[outcome]}", before
        )


@dataclass
class TermInput:
    text: str
    amount: decimal.Decimal | None = None
    due_on: dt.date | None = None


@dataclass
class AgreementInput:
    made_on: dt.date
    facts: str
    terms: list[TermInput]
    oral: bool = False
    disputes: str | None = None
    responsibilities: str | None = None
    performance_manner: str | None = None
    performance_place: str | None = None
    performance_deadline: dt.date | None = None
    signed_by_parties: bool = False
    signed_by_mediator: bool = False
    sealed: bool = False
    effective_on: dt.date | None = None  # default: made_on once signed and sealed


def _party_gaps(case: MediationCase) -> list[str]:
    gaps = []
    for p in case.parties:
        if p.kind == "PERSON":
            missing = [
                label
                for label, v in (
                    ("性别", p.gender),
                    ("民族", p.ethnicity),
                    ("年龄", p.birth_date or p.age),
                    ("职业或职务", p.occupation),
                    ("联系电话", p.phone),
                    ("住址", p.address),
                )
                if not v
            ]
        else:
            missing = [label for label, v in (("地址", p.address), ("法定代表人", p.legal_rep)) if not v]
        if missing:
            gaps.append(f"{p.name}（缺{'、'.join(missing)}）")
    return gaps


def check_agreement(case: MediationCase, data: AgreementInput) -> list[tuple[str, str]]:
    """Every rule the agreement breaks, as (field, message); empty when it may be saved."""
    problems: list[tuple[str, str]] = []
    if len(case.parties) < 2:
        problems.append(("parties", "协议至少需要两方当事人。"))
    gaps = _party_gaps(case)
    if gaps:
        problems.append(("parties", "当事人基本情况不完整：" + "；".join(gaps) + "。"))
    if data.made_on is None:
        problems.append(("made_on", "请填写协议日期。"))
    elif data.made_on < case.accepted_on:
        problems.append(("made_on", "协议日期不能早于受理日期。"))
    if not clean_text(data.facts):
        problems.append(("facts", "请填写纠纷主要事实。"))
    terms = [t for t in data.terms if clean_text(t.text)]
    if not terms:
        problems.append(("terms", "请填写协议内容（至少一条）。"))
    for i, t in enumerate(terms, start=1):
        if t.amount is not None and decimal.Decimal(t.amount) < 0:
            problems.append(("terms", f"第 {i} 条的金额不能为负数。"))
        if t.due_on is not None and data.made_on is not None and t.due_on < data.made_on:
            problems.append(("terms", f"第 {i} 条的履行期限早于协议日期。"))
        if t.due_on and data.performance_deadline and t.due_on > data.performance_deadline:
            problems.append(("terms", f"第 {i} 条的履行期限晚于协议的履行期限。"))
    for value, label, key in (
        (data.performance_manner, "履行方式", "performance_manner"),
        (data.performance_place, "履行地点", "performance_place"),
    ):
        if not clean_text(value):
            problems.append((key, f"请填写{label}。"))
    if data.performance_deadline is None:
        problems.append(("performance_deadline", "请填写履行期限。"))
    elif data.made_on is not None and data.performance_deadline < data.made_on:
        problems.append(("performance_deadline", "履行期限不能早于协议日期。"))
    return problems


def effective_date(data: AgreementInput) -> dt.date | None:
    """§3.2: an oral agreement on the day it is reached; a written one once all signatures and the seal are on."""
    if data.oral:
        return data.made_on
    if data.signed_by_parties and data.signed_by_mediator and data.sealed:
        return data.effective_on or data.made_on
    return None


def save_agreement(
    ctx: ServiceContext,
    case_id: int,
    data: AgreementInput,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """Save (or replace) the agreement: 调解成功, stage 履行中, follow-ups scheduled against the due dates."""
    today = _today(today)
    with ctx.write() as uow:
        s = uow.session
        case = load_case(s, case_id)
        _open(case)
        problems = check_agreement(case, data)
        if data.made_on and data.made_on > today:
            problems.append(("made_on", "协议日期不能晚于今天。"))
        eff = effective_date(data)
        if eff is not None and not data.oral:
            if eff < data.made_on:
                problems.append(("effective_on", "生效日期不能早于协议日期。"))
            if eff > today:
                problems.append(("effective_on", "生效日期不能晚于今天。"))
        if not data.oral and data.effective_on and eff is None:
            problems.append(("effective_on", "当事人、调解员签名并加盖调委会印章后协议方可生效。"))
        if problems:
            field_name, _msg = problems[0]
            raise ValidationError("；".join(m.rstrip("。") for _f, m in problems) + "。", field=field_name)
        a = case.agreement
        before = None
        if a is None:
            a = Agreement(case_id=case.id, agreement_no=case.case_no, made_on=data.made_on, facts="")
            s.add(a)
            case.agreement = a
        else:
            check_version(a.version, version)
            before = {**snapshot(a), "terms": [t.text for t in a.terms]}
        a.oral = data.oral
        a.made_on = data.made_on
        a.facts = clean_text(data.facts)
        a.disputes = clean_text(data.disputes) or None
        a.responsibilities = clean_text(data.responsibilities) or None
        a.performance_manner = clean_text(data.performance_manner)[:200]
        a.performance_place = clean_text(data.performance_place)[:200]
        a.performance_deadline = data.performance_deadline
        a.copies = len(case.parties) + 1
        a.signed_by_parties = data.oral or data.signed_by_parties
        a.signed_by_mediator = data.oral or data.signed_by_mediator
        a.sealed = data.oral or data.sealed
        a.effective_on = eff
        a.terms.clear()
        s.flush()
        for i, t in enumerate((t for t in data.terms if clean_text(t.text)), start=1):
            amount = None if t.amount is None else decimal.Decimal(t.amount).quantize(decimal.Decimal("0.01"))
            a.terms.append(AgreementTerm(seq=i, text=clean_text(t.text), amount=amount, due_on=t.due_on))
        case.outcome, case.outcome_on = CaseOutcome.SUCCESS, data.made_on
        case.routes_open = case.outcome_note = None
        case.stage = CaseStage.PERFORMING
        s.flush()
        schedule_follow_ups(case, load_rules(s), today)
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "agreement",
            a.id,
            summary=f"案件 {case.case_no} {'口头' if a.oral else '书面'}协议（{len(a.terms)} 条）",
            before=before,
            after={**snapshot(a), "terms": [t.text for t in a.terms]},
        )


def set_signatures(
    ctx: ServiceContext,
    case_id: int,
    version: int | None,
    *,
    parties: bool,
    mediator: bool,
    sealed: bool,
    effective_on: dt.date | None = None,
    today: dt.date | None = None,
) -> dt.date | None:
    """Tick the signature/seal boxes of a written agreement; returns its effective date (None: not yet)."""
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        _open(case)
        a = case.agreement
        if a is None:
            raise ValidationError("该案件还没有协议。")
        check_version(a.version, version)
        if a.oral:
            raise ValidationError("口头协议自达成之日起生效，无需签名盖章。")
        if effective_on is not None and not (parties and mediator and sealed):
            raise ValidationError("当事人、调解员签名并加盖调委会印章后协议方可生效。", field="effective_on")
        eff = (effective_on or a.made_on) if parties and mediator and sealed else None
        if eff is not None and (eff < a.made_on or eff > _today(today)):
            raise ValidationError("生效日期应在协议日期和今天之间。", field="effective_on")
        before = snapshot(a)
        a.signed_by_parties, a.signed_by_mediator, a.sealed, a.effective_on = parties, mediator, sealed, eff
        uow.session.flush()
        _audit(
            uow,
            "update",
            "agreement",
            a,
            f"协议 {a.agreement_no} 签名盖章" + ("，已生效" if eff else ""),
            before,
        )
        return eff


# ---------------------------------------------------------------- performance and follow-ups


def follow_up_dates(
    terms_due: list[dt.date], deadline: dt.date | None, made_on: dt.date, rules: MediationRules
) -> list[dt.date]:
    """回访 dates: after each distinct due date, plus one before a due date far away (pure, tested)."""
    dues = sorted({d for d in [*terms_due, deadline] if d is not None}) or [made_on]
    out: set[dt.date] = set()
    for d in dues:
        out.add(d + dt.timedelta(days=rules.follow_up_after_days))
        if (d - made_on).days > 30 and rules.follow_up_before_days:
            out.add(d - dt.timedelta(days=rules.follow_up_before_days))
    return sorted(out)


def schedule_follow_ups(case: MediationCase, rules: MediationRules, today: dt.date) -> None:
    """Replace the pending scheduled visits by those the agreement's due dates call for."""
    a = case.agreement
    if a is None:
        return
    wanted = follow_up_dates(
        [t.due_on for t in a.terms if t.due_on], a.performance_deadline, a.made_on, rules
    )
    pending = [
        f for f in case.follow_ups if f.visited_on is None and not f.cancelled and f.due_on is not None
    ]
    keep = {f.due_on for f in pending if f.due_on in wanted}
    for f in pending:
        if f.due_on not in wanted:
            f.cancelled = True
    for d in wanted:
        if d not in keep:
            case.follow_ups.append(FollowUp(due_on=d))


def record_performance(
    ctx: ServiceContext,
    case_id: int,
    on: dt.date,
    status: str,
    note: str | None = None,
    amount_paid: decimal.Decimal | None = None,
    today: dt.date | None = None,
) -> int:
    if status not in PERFORMANCE_LABELS:
        raise ValidationError("履行情况应为已履行、部分履行、未履行或履行中。", field="status")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        _open(case)
        if case.agreement is None:
            raise ValidationError("该案件没有调解协议，无需记录履行情况。")
        if on < case.agreement.made_on or on > _today(today):
            raise ValidationError("履行情况日期应在协议日期和今天之间。", field="on")
        if amount_paid is not None and decimal.Decimal(amount_paid) < 0:
            raise ValidationError("已履行金额不能为负数。", field="amount_paid")
        perf = Performance(
            case_id=case.id,
            on_date=on,
            status=status,
            note=clean_text(note) or None,
            amount_paid=amount_paid,
            recorded_by=uow.actor.user,
        )
        uow.session.add(perf)
        uow.session.flush()
        _audit(
            uow,
            "create",
            "performance",
            perf,
            f"案件 {case.case_no} 履行情况：{PERFORMANCE_LABELS[status]}",
            None,
        )
        return perf.id


@dataclass
class FollowUpInput:
    visited_on: dt.date
    visitor: str
    notes: str
    visited_party: str | None = None


def record_follow_up(
    ctx: ServiceContext,
    case_id: int,
    data: FollowUpInput,
    follow_up_id: int | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> int:
    """A visit done: fills a scheduled 回访 (``follow_up_id``) or adds an unscheduled one."""
    if not clean_text(data.visitor):
        raise ValidationError("请填写回访人。", field="visitor")
    if not clean_text(data.notes):
        raise ValidationError("请填写回访情况。", field="notes")
    if data.visited_on is None or data.visited_on > _today(today):
        raise ValidationError("回访日期不能为空，也不能晚于今天。", field="visited_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        _not_before_intake(case, data.visited_on, "回访日期", "visited_on")
        if follow_up_id is None:
            f = FollowUp(case_id=case.id)
            uow.session.add(f)
            before = None
        else:
            found = next((x for x in case.follow_ups if x.id == follow_up_id), None)
            if found is None:
                raise NotFoundError("该回访计划已不存在。")
            f = found
            check_version(f.version, version)
            before = snapshot(f)
        f.visited_on, f.visitor, f.notes = (
            data.visited_on,
            clean_text(data.visitor)[:50],
            clean_text(data.notes),
        )
        f.visited_party = (
            clean_text(data.visited_party)[:200] or "、".join(p.name for p in case.parties)[:200]
        )
        f.cancelled = False
        uow.session.flush()
        _audit(
            uow,
            "create" if before is None else "update",
            "follow_up",
            f,
            f"案件 {case.case_no} 回访（{f.visited_on:%Y-%m-%d}）",
            before,
        )
        return f.id


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
        if on > _today(today) or (case.outcome_on and on < case.outcome_on):
            raise ValidationError("结案日期应在调解结果日期和今天之间。", field="closed_on")
        before = snapshot(case)
        case.closed_on, case.stage = on, CaseStage.CLOSED
        uow.session.flush()
        _audit(uow, "close", "mediation_case", case, f"案件 {case.case_no} 结案", before)


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
        _audit(
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
        if case.stage != CaseStage.CLOSED:
            raise ValidationError(f"案件 {case.case_no} 尚未结案，不能归档。")
        missing = casefile.missing_required(casefile.checklist(facts(case)))
        if missing:
            names = "、".join(i.title for i in missing)
            raise ValidationError(f"卷宗缺少必备材料，不能归档：{names}。", field="file_items")
        if (case.closed_on and on < case.closed_on) or on > _today(today):
            raise ValidationError("立卷日期应在结案日期和今天之间。", field="archived_on")
        before = snapshot(case)
        case.archived_on, case.filed_by, case.retention, case.stage = (
            on,
            filed_by[:50],
            retention,
            CaseStage.ARCHIVED,
        )
        uow.session.flush()
        _audit(uow, "archive", "mediation_case", case, f"案件 {case.case_no} 归档", before)
