"""Intake (受理登记) and the parties: create a case with its number, edit it, add/edit/remove parties."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.mediation import (
    CaseParty,
    CaseSource,
    CaseStage,
    MediationCase,
    MediationCommittee,
    Mediator,
    PartyRole,
)
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from desktop.domain.mediation import SOURCE_LABELS
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.mediation.common import editable, load_case
from desktop.services.mediation.dictionary import load_dispute_types, match_dispute_type
from desktop.services.mediation.numbering import format_case_no, parse_case_no, reserve_number, take_number
from desktop.services.mediation.parties import (  # PartyInput, clean_party: also imported from here
    PartyInput as PartyInput,
)
from desktop.services.mediation.parties import (
    clean_party as clean_party,
)
from desktop.services.mediation.parties import (
    guardian_reason,
    identity_clash,
    missing_guardian,
    stored_values,
)

#: ``ValidationError.detail`` of a party's error in :func:`create_case`: this prefix and the party's number
PARTY_DETAIL = "party:"


@dataclass
class CaseInput:
    committee_id: int
    accepted_on: dt.date
    source: str
    dispute_type: str
    summary: str
    dispute_subtype: str | None = None
    referred_by: str | None = None
    requests: str | None = None
    amount_involved: decimal.Decimal | None = None
    mediator_id: int | None = None
    assistant_mediators: str | None = None
    recorder: str | None = None
    registrar: str | None = None
    community_id: int | None = None
    grid_id: int | None = None
    notes: str | None = None
    extended_until: dt.date | None = None
    extension_reason: str | None = None
    parties: list[PartyInput] = field(default_factory=list)  # only used by create_case
    #: the parties come from residents' records (转人民调解): 民族, 职业, 电话 may be filled in later
    details_later: bool = False


def _opt(value: object, limit: int, label: str, field_name: str) -> str | None:
    text = clean_text(value)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字符。", field=field_name)
    return text or None


def _case_values(s: Session, data: CaseInput, today: dt.date) -> dict[str, object]:
    if s.get(MediationCommittee, data.committee_id) is None:
        raise NotFoundError("请先在“调委会设置”中建立人民调解委员会。")
    if data.accepted_on is None:
        raise ValidationError("请填写受理日期。", field="accepted_on")
    if data.accepted_on > today:
        raise ValidationError("受理日期不能晚于今天。", field="accepted_on")
    if data.source not in SOURCE_LABELS:
        raise ValidationError("案件来源应为申请调解、主动调解或委托移送调解。", field="source")
    referred_by = _opt(data.referred_by, 100, "移送单位", "referred_by")
    if data.source == CaseSource.REFERRAL and not referred_by:
        raise ValidationError("委托移送调解的案件请填写委托或移送单位。", field="referred_by")
    found = match_dispute_type(data.dispute_type, load_dispute_types(s))
    if found is None:
        raise ValidationError(f"纠纷类型“{data.dispute_type}”不在纠纷类型字典中。", field="dispute_type")
    summary = clean_text(data.summary)
    if not summary:
        raise ValidationError("请填写纠纷简要情况。", field="summary")
    amount = data.amount_involved
    if amount is not None:
        amount = decimal.Decimal(amount).quantize(decimal.Decimal("0.01"))
        if amount < 0:
            raise ValidationError("涉及金额不能为负数。", field="amount_involved")
    if data.mediator_id is not None:
        m = s.get(Mediator, data.mediator_id)
        if m is None or m.committee_id != data.committee_id:
            raise ValidationError("主持调解员不属于该人民调解委员会。", field="mediator_id")
    community_id = data.community_id
    if data.grid_id is not None:
        grid = s.get(Grid, data.grid_id)
        if grid is None:
            raise ValidationError("所属网格不存在。", field="grid_id")
        if community_id is not None and grid.community_id != community_id:
            raise ValidationError("所属网格不在所选社区内。", field="grid_id")
        community_id = grid.community_id
    if data.extended_until is not None:
        if data.extended_until <= data.accepted_on:
            raise ValidationError("延长后的调解期限应晚于受理日期。", field="extended_until")
        if not clean_text(data.extension_reason):
            raise ValidationError("延长调解期限须写明经双方当事人同意的情况。", field="extension_reason")
    return {
        "accepted_on": data.accepted_on,
        "source": data.source,
        "referred_by": referred_by,
        "dispute_type": found.code,
        "dispute_subtype": _opt(data.dispute_subtype, 40, "纠纷子类", "dispute_subtype"),
        "summary": summary,
        "requests": clean_text(data.requests) or None,
        "amount_involved": amount,
        "mediator_id": data.mediator_id,
        "assistant_mediators": _opt(data.assistant_mediators, 200, "协助调解员", "assistant_mediators"),
        "recorder": _opt(data.recorder, 50, "记录人", "recorder"),
        "registrar": _opt(data.registrar, 50, "登记人", "registrar"),
        "community_id": community_id,
        "grid_id": data.grid_id,
        "notes": clean_text(data.notes) or None,
        "extended_until": data.extended_until,
        "extension_reason": _opt(data.extension_reason, 200, "延期说明", "extension_reason"),
    }


def create_case(
    ctx: ServiceContext, data: CaseInput, *, case_no: str | None = None, today: dt.date | None = None
) -> str:
    """受理登记: check, take the next number (or keep a given one), save case and parties; returns the number."""
    with ctx.write() as uow:
        return create_case_in(uow, data, case_no=case_no, today=today or ctx.today()).case_no


def create_case_in(
    uow: UnitOfWork, data: CaseInput, *, case_no: str | None = None, today: dt.date
) -> MediationCase:
    """``create_case`` inside the caller's transaction (转人民调解 links the event in the same one)."""
    s = uow.session
    values = _case_values(s, data, today)  # the form's order: the case first, then its parties
    if not data.parties:
        raise ValidationError("请至少填写一位当事人。", field="parties")
    parties: list[dict[str, object]] = []
    for i, p in enumerate(data.parties, start=1):
        try:  # the error names the party: detail "party:<n>" (the form opens that party's tab)
            cleaned = clean_party(p, i, today=today, day=data.accepted_on, details_later=data.details_later)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=exc.field, detail=f"{PARTY_DETAIL}{i}") from exc
        others = [(f"第 {j} 位当事人（{o['name']}）", o) for j, o in enumerate(parties, start=1)]
        if clash := identity_clash(cleaned, f"第 {i} 位当事人（{cleaned['name']}）", others):
            raise ValidationError(clash.message, field=clash.field, detail=f"{PARTY_DETAIL}{i}")
        parties.append(cleaned)
    if data.source == CaseSource.APPLICATION and not any(p["role"] == PartyRole.APPLICANT for p in parties):
        raise ValidationError("申请调解的案件至少要有一位申请人。", field="parties")
    committee = s.get(MediationCommittee, data.committee_id)
    assert committee is not None
    if committee.retired_on is not None:
        raise ValidationError(f"{committee.name}已撤销，不能再受理案件。", field="committee_id")
    account = uow.account
    if account is not None and account.committee_id not in (None, committee.id):  # a 调解员's committee
        raise PermissionDenied(f"没有权限：{committee.name}不是账号 {account.login} 所在的调解委员会")
    year = data.accepted_on.year
    seq: int | None
    if case_no:
        given = parse_case_no(case_no)
        number = str(given) if given else clean_text(case_no)
        if s.scalar(select(MediationCase.id).where(MediationCase.case_no == number)) is not None:
            raise ConflictError(f"案件编号“{number}”已被使用。")
        if given and given.short_name == committee.short_name:
            year, seq = given.year, given.seq
            reserve_number(s, committee.id, year, seq)
        else:
            year, seq = (given.year, given.seq) if given else (year, None)
    else:
        seq = take_number(s, committee.id, year)
        number = format_case_no(year, committee.short_name, seq)
    case = MediationCase(
        case_no=number,
        committee_id=committee.id,
        case_year=year,
        case_seq=seq,
        stage=CaseStage.ACCEPTED,
        **values,
    )
    s.add(case)
    s.flush()
    for i, cleaned in enumerate(parties, start=1):
        s.add(CaseParty(case_id=case.id, seq=i, **cleaned))
    s.flush()
    uow.audit(
        "create",
        "mediation_case",
        case.id,
        summary=f"受理人民调解案件 {number}",
        after={**snapshot(case), "parties": [p["name"] for p in parties]},
    )
    return case


def update_case(ctx: ServiceContext, case_id: int, version: int | None, data: CaseInput) -> None:
    """Edit the intake facts (not the number, the committee or the parties)."""
    with ctx.write() as uow:
        s = uow.session
        case = load_case(s, case_id)
        editable(case)
        check_version(case.version, version)
        if data.committee_id != case.committee_id:
            raise ValidationError("案件的人民调解委员会不能更改（案件编号随委员会）。", field="committee_id")
        values = _case_values(s, data, ctx.today())
        if data.accepted_on != case.accepted_on:
            _check_guardians(case, data.accepted_on)
        before = snapshot(case)
        for key, value in values.items():
            setattr(case, key, value)
        s.flush()
        uow.audit(
            "update",
            "mediation_case",
            case.id,
            summary=f"修改案件 {case.case_no} 受理信息",
            before=before,
            after=snapshot(case),
        )


def save_party(
    ctx: ServiceContext,
    case_id: int,
    data: PartyInput,
    party_id: int | None = None,
    version: int | None = None,
) -> int:
    with ctx.write() as uow:
        s = uow.session
        case = load_case(s, case_id)
        editable(case)
        values = clean_party(data, today=ctx.today(), day=case.accepted_on)
        others = [
            (f"第 {p.seq} 位当事人（{p.name}）", stored_values(p))
            for p in sorted(case.parties, key=lambda p: p.seq)
            if p.id != party_id
        ]
        if clash := identity_clash(values, f"当事人（{values['name']}）", others):
            raise ValidationError(clash.message, field=clash.field)
        if party_id is None:
            seq = max((p.seq for p in case.parties), default=0) + 1
            party = CaseParty(case_id=case.id, seq=seq, **values)
            s.add(party)
            before = None
        else:
            found = next((p for p in case.parties if p.id == party_id), None)
            if found is None:
                raise NotFoundError("该当事人已不存在。")
            party = found
            check_version(party.version, version)
            before = snapshot(party)
            for key, value in values.items():
                setattr(party, key, value)
        s.flush()
        _sync_copies(case)
        uow.audit(
            "create" if before is None else "update",
            "case_party",
            party.id,
            summary=f"案件 {case.case_no} 当事人 {party.name}",
            before=before,
            after=snapshot(party),
        )
        return party.id


def remove_party(ctx: ServiceContext, case_id: int, party_id: int, version: int | None = None) -> None:
    """Take a wrongly entered party off a case that has no agreement yet (audited with the full record)."""
    with ctx.write() as uow:
        s = uow.session
        case = load_case(s, case_id)
        editable(case)
        if case.agreement is not None:
            raise ValidationError("已达成协议的案件不能删除当事人。")
        party = next((p for p in case.parties if p.id == party_id), None)
        if party is None:
            raise NotFoundError("该当事人已不存在。")
        check_version(party.version, version)
        if len(case.parties) == 1:
            raise ValidationError("案件至少要有一位当事人。")
        before = snapshot(party)
        case.parties.remove(party)
        for i, p in enumerate(sorted(case.parties, key=lambda p: p.seq), start=1):
            p.seq = i
        s.flush()
        uow.audit(
            "delete",
            "case_party",
            party_id,
            summary=f"案件 {case.case_no} 删除当事人 {before['name']}",
            before=before,
        )


def _check_guardians(case: MediationCase, accepted_on: dt.date) -> None:
    """A new 受理日期 may make a party a minor on it: then the party needs a 法定代理人 first."""
    for p in sorted(case.parties, key=lambda p: p.seq):
        values = stored_values(p)
        if missing_guardian(values, accepted_on):
            raise ValidationError(
                f"按新的受理日期，第 {p.seq} 位当事人（{p.name}）{guardian_reason(values, accepted_on)}，"
                "请先为其填写法定代理人。",
                field="accepted_on",
            )


def _sync_copies(case: MediationCase) -> None:
    if case.agreement is not None:
        case.agreement.copies = len(case.parties) + 1


def retire_case(
    ctx: ServiceContext, case_id: int, version: int | None, reason: str, on: dt.date | None = None
) -> None:
    """撤销 a case entered by mistake: it stays (with its number, never reused) but leaves lists and statistics."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("请写明撤销原因。", field="reason")
    with ctx.write() as uow:
        case = load_case(uow.session, case_id)
        editable(case)
        check_version(case.version, version)
        before = snapshot(case)
        case.retired_on, case.retired_reason = on or ctx.today(), reason[:200]
        uow.session.flush()
        uow.audit(
            "retire",
            "mediation_case",
            case.id,
            summary=f"撤销案件 {case.case_no}：{reason}",
            before=before,
            after=snapshot(case),
        )
