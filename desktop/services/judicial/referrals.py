"""诉前委派调解 (court-referred mediation before filing): register, extend, record the result, report back.

* the mediation period is 30 days from the day the committee received the case (counted like every
  civil-procedure period), plus an extension of at most 30 days that needs the parties' request and the
  court's approval — recorded with its date and a note;
* the result is 调解成功 / 调解失败 / 终止调解, then the date it was reported back to the court;
* the referral may be linked to the mediation case it became; a confirmation track of that case then
  goes to the referring court, and its 诉前调确 number is copied here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, ReferralResult
from db.schema.mediation import CaseParty, MediationCase
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.domain.accounts import JUDICIAL
from desktop.domain.text import clean_text
from desktop.services.access import (
    check_case_in_session,
    check_referral_in_session,
    receiving_committee,
    referral_condition,
    require,
)
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import (
    REFERRAL_RESULT_LABELS,
    load_calendar,
    not_future,
    opt_text,
)
from desktop.services.mediation.numbering import normalize_case_no


@dataclass
class ReferralInput:
    court: str
    referral_no: str
    referred_on: dt.date
    received_on: dt.date | None = None  # default: referred_on
    judge: str | None = None
    judge_phone: str | None = None
    parties: str | None = None
    matter: str | None = None
    case_no: str | None = None  # the mediation case it became
    extension_days: int = 0
    extension_approved_on: dt.date | None = None
    extension_note: str | None = None
    result: str | None = None
    result_on: dt.date | None = None
    reported_back_on: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ReferralRow:
    id: int
    version: int
    court: str
    referral_no: str
    referred_on: dt.date
    received_on: dt.date
    judge: str | None
    judge_phone: str | None
    parties: str | None
    matter: str | None
    case_id: int | None
    case_no: str | None
    deadline: dt.date
    deadline_checked: bool
    extension_days: int
    extension_approved_on: dt.date | None
    extension_note: str | None
    result: str | None
    result_label: str
    result_on: dt.date | None
    reported_back_on: dt.date | None
    confirmation_no: str | None
    notes: str | None
    alerts: tuple[dl.Alert, ...] = ()

    @property
    def level(self) -> str:
        return dl.worst(self.alerts)

    @property
    def alert_text(self) -> str:
        return "；".join(a.text for a in self.alerts)

    @property
    def state_label(self) -> str:
        if self.result is None:
            return "调解中" + ("（已延长）" if self.extension_days else "")
        return self.result_label + ("，已反馈" if self.reported_back_on else "，待反馈法院")


def _validate(s: Session, d: ReferralInput, today: dt.date) -> dict[str, object]:
    court = clean_text(d.court)
    if not court:
        raise ValidationError("请填写委派法院。", field="court")
    if not court.endswith(("法院", "法庭")):
        raise ValidationError(f"“{court}”不像法院名称，应以“法院”或“法庭”结尾。", field="court")
    number = clean_text(d.referral_no).replace(" ", "")
    if not number:
        raise ValidationError("请填写委派编号（诉前调解案号）。", field="referral_no")
    if d.referred_on is None:
        raise ValidationError("请填写委派日期。", field="referred_on")
    received = d.received_on or d.referred_on
    not_future(d.referred_on, today, "委派日期", "referred_on")
    not_future(received, today, "接收日期", "received_on")
    if received < d.referred_on:
        raise ValidationError("接收日期不能早于委派日期。", field="received_on")
    if not 0 <= d.extension_days <= dl.REFERRAL_MAX_EXTENSION:
        raise ValidationError(f"延长期限最多 {dl.REFERRAL_MAX_EXTENSION} 日。", field="extension_days")
    ext_note = opt_text(d.extension_note, 300, "延长说明", "extension_note")
    if d.extension_days and (not d.extension_approved_on or not ext_note):
        raise ValidationError(
            "延长调解期限须经双方当事人申请、法院批准：请填写批准日期和说明（如“经双方申请，××法官批准”）。",
            field="extension_note",
        )
    if d.result not in (None, *ReferralResult.__members__):
        raise ValidationError(f"结果“{d.result}”无效。", field="result")
    if bool(d.result) != bool(d.result_on):
        raise ValidationError("调解结果和结果日期应一并填写。", field="result_on" if d.result else "result")
    for day, label, key in (
        (d.result_on, "结果日期", "result_on"),
        (d.reported_back_on, "反馈法院日期", "reported_back_on"),
        (d.extension_approved_on, "批准延长日期", "extension_approved_on"),
    ):
        not_future(day, today, label, key)
        if day is not None and day < received:
            raise ValidationError(f"{label}不能早于接收日期。", field=key)
    if d.reported_back_on and not d.result:
        raise ValidationError("请先填写调解结果，再填写反馈法院日期。", field="result")
    if d.reported_back_on and d.result_on and d.reported_back_on < d.result_on:
        raise ValidationError("反馈法院日期不能早于结果日期。", field="reported_back_on")
    case_id, committee_id = None, receiving_committee(s)
    if d.case_no and clean_text(d.case_no):
        case = s.scalar(select(MediationCase).where(MediationCase.case_no == normalize_case_no(d.case_no)))
        if case is None:
            raise ValidationError(f"找不到调解案件“{d.case_no}”。", field="case_no")
        check_case_in_session(s, case.id, case.case_no)  # linking to another committee's case is refused
        case_id, committee_id = case.id, case.committee_id
    cal = load_calendar(s)
    return {
        "court": court[:100],
        "referral_no": number[:60],
        "referred_on": d.referred_on,
        "received_on": received,
        "judge": opt_text(d.judge, 50, "承办法官", "judge"),
        "judge_phone": opt_text(d.judge_phone, 30, "联系电话", "judge_phone"),
        "parties": opt_text(d.parties, 200, "当事人", "parties"),
        "matter": opt_text(d.matter, 200, "案由", "matter"),
        "case_id": case_id,
        "committee_id": committee_id,
        "deadline": dl.referral_deadline(received, d.extension_days, cal).day,
        "extension_days": d.extension_days,
        "extension_approved_on": d.extension_approved_on if d.extension_days else None,
        "extension_note": ext_note if d.extension_days else None,
        "result": d.result,
        "result_on": d.result_on,
        "reported_back_on": d.reported_back_on,
        "notes": opt_text(d.notes, 2000, "备注", "notes"),
    }


def save_referral(
    ctx: ServiceContext,
    data: ReferralInput,
    referral_id: int | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Register or update a referral. It belongs to the committee that received it (the account's, see
    ``access.receiving_committee``) until it is linked to a case, then to the case's; an account changes
    only the referrals it reaches (``access.check_referral_in_session``)."""
    require(ctx, JUDICIAL)
    today = today or ctx.today()
    try:
        with ctx.write() as uow:
            s = uow.session
            if referral_id is not None and (old := s.get(CourtReferral, referral_id)) is not None:
                check_referral_in_session(s, old.id, old.referral_no)
            values = _validate(s, data, today)
            clash = s.scalar(select(CourtReferral).where(CourtReferral.referral_no == values["referral_no"]))
            if clash is not None and clash.id != referral_id:
                raise ConflictError(f"委派编号“{values['referral_no']}”已登记。")
            if referral_id is None:
                r = CourtReferral(**values)
                s.add(r)
                before = None
            else:
                found = s.get(CourtReferral, referral_id)
                if found is None or found.retired_on is not None:
                    raise NotFoundError("该委派调解记录已不存在。")
                r = found
                check_version(r.version, version)
                before = snapshot(r)
                if values["case_id"] is None and r.committee_id is not None:
                    values["committee_id"] = r.committee_id  # an edit by the street keeps the committee
                for k, v in values.items():
                    setattr(r, k, v)
            s.flush()
            state = REFERRAL_RESULT_LABELS.get(r.result or "", "调解中")
            uow.audit(
                "create" if before is None else "update",
                "court_referral",
                r.id,
                summary=f"委派调解 {r.referral_no}（{r.court}）：{state}，期限 {r.deadline:%Y-%m-%d}",
                before=before,
                after=snapshot(r),
            )
            return r.id
    except IntegrityError as exc:  # another PC registered the same number meanwhile
        raise ConflictError(f"委派编号“{data.referral_no}”已登记。") from exc


def retire_referral(ctx: ServiceContext, referral_id: int, version: int | None, reason: str) -> None:
    text = opt_text(reason, 200, "撤销原因", "retired_reason")
    if not text:
        raise ValidationError("请填写撤销原因。", field="retired_reason")
    require(ctx, JUDICIAL)
    with ctx.write() as uow:
        r = uow.session.get(CourtReferral, referral_id)
        if r is None or r.retired_on is not None:
            raise NotFoundError("该委派调解记录已不存在。")
        check_referral_in_session(uow.session, r.id, r.referral_no)
        check_version(r.version, version)
        before = snapshot(r)
        r.retired_on, r.retired_reason = ctx.today(), text
        uow.session.flush()
        uow.audit("retire", "court_referral", r.id, summary=f"撤销委派调解记录 {r.referral_no}：{text}",
                  before=before, after=snapshot(r))  # fmt: skip


def list_referrals(
    ctx: ServiceContext, flt: str = "ALL", text: str = "", today: dt.date | None = None
) -> list[ReferralRow]:
    """``flt``: ALL, ATTENTION, OPEN (调解中), NEAR, OVERDUE, DONE (有结果). The account's referrals only:
    its committee's or community's (a case's referral follows the case, like 人民调解)."""
    require(ctx, JUDICIAL)
    today = today or ctx.today()
    with ctx.read() as s:
        cal = load_calendar(s)
        q = (
            select(CourtReferral, MediationCase.case_no)
            .outerjoin(MediationCase, MediationCase.id == CourtReferral.case_id)
            .where(CourtReferral.retired_on.is_(None), referral_condition(ctx))
            .order_by(CourtReferral.received_on.desc(), CourtReferral.id.desc())
        )
        words = clean_text(text)
        if words:
            like = f"%{words}%"
            q = q.where(
                or_(
                    CourtReferral.referral_no.like(like),
                    CourtReferral.court.like(like),
                    CourtReferral.parties.like(like),
                    MediationCase.case_no.like(like),
                    CourtReferral.case_id.in_(select(CaseParty.case_id).where(CaseParty.name.like(like))),
                )
            )
        found = s.execute(q).all()
        names: dict[int, list[str]] = {}
        linked = [r.case_id for r, _no in found if r.case_id and not r.parties]
        if linked:
            for cid, name in s.execute(
                select(CaseParty.case_id, CaseParty.name)
                .where(CaseParty.case_id.in_(linked))
                .order_by(CaseParty.case_id, CaseParty.seq)
            ):
                names.setdefault(cid, []).append(name)
        rows = [
            _row(r, case_no, cal, today, "、".join(names.get(r.case_id or 0, [])) or None)
            for r, case_no in found
        ]
    keep: Callable[[ReferralRow], bool] = {
        "ALL": lambda r: True,
        "ATTENTION": lambda r: bool(r.alerts),
        "OPEN": lambda r: r.result is None,
        "NEAR": lambda r: any(not a.overdue and a.kind == "referral" for a in r.alerts),
        "OVERDUE": lambda r: any(a.overdue for a in r.alerts),
        "DONE": lambda r: r.result is not None,
    }[flt if flt in ("ALL", "ATTENTION", "OPEN", "NEAR", "OVERDUE", "DONE") else "ALL"]
    return [r for r in rows if keep(r)]


def _row(
    r: CourtReferral, case_no: str | None, cal: dl.HolidayCalendar, today: dt.date, parties: str | None = None
) -> ReferralRow:
    return ReferralRow(
        r.id,
        r.version,
        r.court,
        r.referral_no,
        r.referred_on,
        r.received_on,
        r.judge,
        r.judge_phone,
        r.parties or parties,
        r.matter,
        r.case_id,
        case_no,
        r.deadline,
        cal.is_checked(r.deadline),
        r.extension_days,
        r.extension_approved_on,
        r.extension_note,
        r.result,
        REFERRAL_RESULT_LABELS.get(r.result or "", ""),
        r.result_on,
        r.reported_back_on,
        r.confirmation_no,
        r.notes,
        tuple(dl.referral_alerts(dl.ReferralFacts(r.deadline, r.result, r.reported_back_on), today, cal)),
    )


def get_referral(ctx: ServiceContext, referral_id: int, today: dt.date | None = None) -> ReferralRow:
    require(ctx, JUDICIAL)
    today = today or ctx.today()
    with ctx.read() as s:
        r = s.get(CourtReferral, referral_id)
        if r is None or r.retired_on is not None:
            raise NotFoundError("该委派调解记录已不存在。")
        check_referral_in_session(s, r.id, r.referral_no)
        case_no = (
            s.scalar(select(MediationCase.case_no).where(MediationCase.id == r.case_id))
            if r.case_id
            else None
        )
        return _row(r, case_no, load_calendar(s), today)
