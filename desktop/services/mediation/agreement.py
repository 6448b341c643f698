"""The agreement and after: terms, 履行方式/地点/期限, copies, signatures and seal (生效), performance,
follow-up visits scheduled against the due dates (人民调解法 §28–30; 人民调解工作若干规定 §35)."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseOutcome,
    CaseStage,
    FollowUp,
    MediationCase,
    Performance,
)
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.mediation import PERFORMANCE_LABELS
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext
from desktop.services.mediation.common import (
    MediationRules,
    editable,
    load_case,
    load_rules,
)
from desktop.services.mediation.lifecycle_common import (
    audit_change,
    check_open,
    not_before_intake,
)
from desktop.services.mediation.parties import agreement_gaps, agreement_needs


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
    """The parties whose details the agreement needs are incomplete (the same rule as the intake)."""
    gaps = []
    for p in case.parties:
        columns = ("kind", "age", *(key for key, _ in agreement_needs(p.kind)))
        missing = [label for _, label in agreement_gaps({key: getattr(p, key) for key in columns})]
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
    """The 生效 date (人民调解法 §29–30): an oral agreement on the day it is reached; a written one once
    all signatures and the seal are on."""
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
    today = today or ctx.today()
    with ctx.write() as uow:
        s = uow.session
        case = load_case(s, case_id)
        check_open(case)
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
        check_open(case)
        a = case.agreement
        if a is None:
            raise ValidationError("该案件还没有协议。")
        check_version(a.version, version)
        if a.oral:
            raise ValidationError("口头协议自达成之日起生效，无需签名盖章。")
        if effective_on is not None and not (parties and mediator and sealed):
            raise ValidationError("当事人、调解员签名并加盖调委会印章后协议方可生效。", field="effective_on")
        eff = (effective_on or a.made_on) if parties and mediator and sealed else None
        if eff is not None and (eff < a.made_on or eff > (today or ctx.today())):
            raise ValidationError("生效日期应在协议日期和今天之间。", field="effective_on")
        before = snapshot(a)
        a.signed_by_parties, a.signed_by_mediator, a.sealed, a.effective_on = parties, mediator, sealed, eff
        uow.session.flush()
        audit_change(
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
        check_open(case)
        if case.agreement is None:
            raise ValidationError("该案件没有调解协议，无需记录履行情况。")
        if on < case.agreement.made_on or on > (today or ctx.today()):
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
        audit_change(
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
    if data.visited_on is None or data.visited_on > (today or ctx.today()):
        raise ValidationError("回访日期不能为空，也不能晚于今天。", field="visited_on")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        not_before_intake(case, data.visited_on, "回访日期", "visited_on")
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
        audit_change(
            uow,
            "create" if before is None else "update",
            "follow_up",
            f,
            f"案件 {case.case_no} 回访（{f.visited_on:%Y-%m-%d}）",
            before,
        )
        return f.id
