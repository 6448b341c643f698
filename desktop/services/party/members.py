"""Party members: the list, the card, saving with validation and the link to the resident register.

身份证号 and phone leave this module masked, except through :func:`reveal_member` (audited). A member
whose 身份证号 matches a resident is linked to that resident (``resident_id``) on every save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from db.schema.party import (
    CommunityCheckIn,
    DuesCategory,
    MemberEventKind,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyMemberEvent,
    PartyOrg,
    PartyOrgKind,
    RecruitmentStep,
)
from db.schema.people import Resident
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.identity import (
    age_on,
    check_person,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    DUES_CATEGORY_LABELS,
    LOST_REASONS,
    MEMBER_STAGES,
    ORG_KIND_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    add_years,
    label_of,
    member_snapshot,
    month_of,
    parse_month,
)
from desktop.services.party.orgs import current_posts, subtree_ids
from desktop.services.residents.common import clean_free_text, name_initials

#: MemberFilter.stage values besides a MemberStage
STAGE_MEMBERS = "MEMBERS"  # 正式 + 预备党员
STAGE_RECRUITS = "RECRUITS"  # 申请人、积极分子、发展对象
FLAGS = {"MOBILE": "流动党员", "LOST": "失联党员", "CHECK_IN": "在职党员报到"}


@dataclass(frozen=True)
class MemberFilter:
    """``text`` matches 姓名, 拼音首字母, 身份证号 (start) or phone tail; ``org_id`` includes sub-organisations."""

    text: str = ""
    org_id: int | None = None
    stage: str | None = STAGE_MEMBERS  # a MemberStage, STAGE_MEMBERS, STAGE_RECRUITS or None (all)
    flag: str | None = None  # MOBILE / LOST / CHECK_IN
    status: str | None = MembershipStatus.ACTIVE  # None: every status


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    name_initials: str
    gender: str | None
    age: int | None
    ethnicity: str | None
    education: str | None
    id_number: str  # masked
    phone: str  # masked
    stage: str
    stage_label: str
    org_id: int
    org_name: str
    group_name: str
    grid_name: str
    joined_on: dt.date | None
    confirmed_on: dt.date | None
    is_mobile: bool
    is_lost_contact: bool
    checked_in: bool
    status: str
    status_label: str
    posts: str  # 书记、组织委员 …
    address: str | None
    birth_date: dt.date | None
    resident_id: int | None

    @property
    def flags(self) -> str:
        return "、".join(
            text
            for flag, text in (
                (self.is_mobile, "流动"),
                (self.is_lost_contact, "失联"),
                (self.checked_in, "报到"),
            )
            if flag
        )


@dataclass
class MemberInput:
    """A new member (``id`` None) or changes. On update ``id_number``/``phone`` None keep the stored
    values; ``phone=""`` clears the phone. The stage changes through recruitment steps (except for a
    member without any, whose record is being corrected)."""

    name: str
    org_id: int
    id_number: str | None = None
    stage: str = MemberStage.FULL
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    native_place: str | None = None
    education: str | None = None
    occupation: str | None = None
    work_unit: str | None = None
    phone: str | None = None
    address: str | None = None
    applied_on: dt.date | None = None
    joined_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    added_how: str | None = None
    group_id: int | None = None
    grid_id: int | None = None
    dues_category: str = DuesCategory.IN_WORK
    dues_base_fen: int | None = None
    dues_base_from: str | None = None
    dues_reduced_fen: int | None = None
    dues_reduced_ref: str | None = None
    dues_start_month: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int | None = None


# ---------------------------------------------------------------- the list


def _org_names(s: Session) -> dict[int, str]:
    return {k: v for k, v in s.execute(select(PartyOrg.id, PartyOrg.name))}


def list_members(ctx: ServiceContext, flt: MemberFilter, today: dt.date | None = None) -> list[MemberRow]:
    """The members ``flt`` selects, ordered by organisation then 拼音 (4,000 rows in a few tens of ms)."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        scope.check_org_id(s, flt.org_id)
        q = select(PartyMember).where(scope.member_list_condition(s, flt.flag == "CHECK_IN"))
        if flt.status is not None:
            q = q.where(PartyMember.status == flt.status)
        if flt.org_id is not None:
            ids = subtree_ids(s, flt.org_id)
            q = q.where(or_(PartyMember.org_id.in_(ids), PartyMember.group_id.in_(ids)))
        if flt.stage == STAGE_MEMBERS:
            q = q.where(PartyMember.stage.in_(list(MEMBER_STAGES)))
        elif flt.stage == STAGE_RECRUITS:
            q = q.where(PartyMember.stage.not_in(list(MEMBER_STAGES)))
        elif flt.stage is not None:
            q = q.where(PartyMember.stage == flt.stage)
        active_check_in = exists().where(
            CommunityCheckIn.member_id == PartyMember.id, CommunityCheckIn.ended_on.is_(None)
        )
        if flt.flag == "MOBILE":
            q = q.where(PartyMember.is_mobile.is_(True))
        elif flt.flag == "LOST":
            q = q.where(PartyMember.is_lost_contact.is_(True))
        elif flt.flag == "CHECK_IN":
            q = q.where(active_check_in)
        numbers: list[str] = []
        for word in clean_text(flt.text).split():
            upper = normalize_id_number(word)
            conds = [PartyMember.name.contains(word, autoescape=True)]
            if word.isascii() and word.isalpha():
                conds.append(PartyMember.name_initials.startswith(word.lower(), autoescape=True))
            if upper[:1].isdigit():  # 身份证号 and phone are encrypted: matched below, after decryption
                numbers.append(upper)
                continue
            q = q.where(or_(*conds))
        q = q.add_columns(active_check_in.label("checked_in")).order_by(
            PartyMember.org_id, PartyMember.name_initials, PartyMember.id
        )
        rows: list[Any] = [r for r in s.execute(q).all() if all(_number_matches(r[0], n) for n in numbers)]
        orgs = _org_names(s)
        grids = {k: v for k, v in s.execute(select(Grid.id, Grid.name))}
        posts = current_posts(s)
    held: dict[int, list[str]] = {}
    for org_posts in posts.values():
        for p in org_posts:
            held.setdefault(p.member_id, []).append(p.post_label)
    return [_row(r[0], bool(r[1]), orgs, grids, held, today) for r in rows]


def _number_matches(m: PartyMember, word: str) -> bool:
    """A search word of digits: the start of the 身份证号, or the last four digits of the phone."""
    if m.id_number and m.id_number.startswith(word):
        return True
    return len(word) == 4 and word.isdigit() and bool(m.phone) and str(m.phone).endswith(word)


def _row(
    m: PartyMember,
    checked_in: bool,
    orgs: dict[int, str],
    grids: dict[int, str],
    held: dict[int, list[str]],
    today: dt.date,
) -> MemberRow:
    return MemberRow(
        id=m.id,
        name=m.name,
        name_initials=m.name_initials or "",
        gender=m.gender,
        age=age_on(m.birth_date, today),
        ethnicity=m.ethnicity,
        education=m.education,
        id_number=mask_id_number(m.id_number),
        phone=mask_phone(m.phone),
        stage=m.stage,
        stage_label=label_of(STAGE_LABELS, m.stage),
        org_id=m.org_id,
        org_name=orgs.get(m.org_id, ""),
        group_name=orgs.get(m.group_id, "") if m.group_id else "",
        grid_name=grids.get(m.grid_id, "") if m.grid_id else "",
        joined_on=m.joined_on,
        confirmed_on=m.confirmed_on,
        is_mobile=m.is_mobile,
        is_lost_contact=m.is_lost_contact,
        checked_in=checked_in,
        status=m.status,
        status_label=label_of(STATUS_LABELS, m.status),
        posts="、".join(held.get(m.id, [])),
        address=m.address,
        birth_date=m.birth_date,
        resident_id=m.resident_id,
    )


def sponsor_candidates(ctx: ServiceContext, org_id: int | None = None) -> list[tuple[int, str, str]]:
    """(id, name, organisation) of active full members: 培养联系人 and 入党介绍人 come from them."""
    require(ctx, PARTY)
    with ctx.read() as s:
        q = select(PartyMember.id, PartyMember.name, PartyMember.org_id).where(
            PartyMember.status == MembershipStatus.ACTIVE, PartyMember.stage == MemberStage.FULL,
            scope.member_list_condition(s),
        )  # fmt: skip
        if org_id is not None:
            q = q.where(PartyMember.org_id.in_(subtree_ids(s, org_id)))
        orgs = _org_names(s)
        return [(i, n, orgs.get(o, "")) for i, n, o in s.execute(q.order_by(PartyMember.name_initials))]


# ---------------------------------------------------------------- saving


def _check_dates(values: dict[str, Any], stage: str, birth: dt.date | None, today: dt.date) -> None:
    applied, joined, confirmed = values["applied_on"], values["joined_on"], values["confirmed_on"]
    for key, day in (("applied_on", applied), ("joined_on", joined), ("confirmed_on", confirmed)):
        if day is not None and day > today:
            raise ValidationError("日期不能晚于今天。", field=key)
    if stage in MEMBER_STAGES and joined is None:
        raise ValidationError(f"{STAGE_LABELS[MemberStage(stage)]}须填写入党日期。", field="joined_on")
    if stage not in MEMBER_STAGES and (joined or confirmed):
        raise ValidationError(
            f"{label_of(STAGE_LABELS, stage)}还不是党员，不能填写入党或转正日期。", field="joined_on"
        )
    if stage == MemberStage.PROBATIONARY and confirmed is not None:
        raise ValidationError("预备党员尚未转正，不能填写转正日期。", field="confirmed_on")
    if birth is not None and joined is not None and joined < add_years(birth, rules.MIN_AGE):
        raise ValidationError(
            f"入党日期 {joined} 时未满 {rules.MIN_AGE} 周岁（出生日期 {birth}）。", field="joined_on"
        )
    if joined is not None and confirmed is not None and confirmed < add_years(joined, rules.PROBATION_YEARS):
        raise ValidationError(
            f"转正日期不能早于预备期满（入党日期 {joined}，最早 {add_years(joined, rules.PROBATION_YEARS)}）。",
            field="confirmed_on",
        )
    if applied is not None and joined is not None and applied > joined:
        raise ValidationError("申请入党日期不能晚于入党日期。", field="applied_on")


def _validated(s: Session, data: MemberInput, current: PartyMember | None, today: dt.date) -> dict[str, Any]:
    person = check_person(
        data.name,
        today=today,
        id_number=data.id_number,
        gender=data.gender,
        birth_date=data.birth_date,
        phone=data.phone,
        stored_id_number=current.id_number if current is not None else None,
        stored_phone=current.phone if current is not None else None,
    )
    if not person.id_number:
        raise ValidationError("公民身份号码不能为空（全国党员管理信息系统必填项）。", field="id_number")
    birth = person.birth_date
    values: dict[str, Any] = {
        "name": person.name,
        "name_initials": name_initials(person.name),
        "id_number": person.id_number,
        "birth_date": birth,
        "gender": person.gender,
        "phone": person.phone,
    }
    if data.stage not in STAGE_LABELS:
        raise ValidationError(f"发展阶段“{data.stage}”无效。", field="stage")
    values["stage"] = data.stage
    for key in ("applied_on", "joined_on", "confirmed_on"):
        values[key] = getattr(data, key)
    _check_dates(values, data.stage, birth, today)
    org = get_or_raise(s, PartyOrg, data.org_id, "党组织")
    if org.kind in (PartyOrgKind.GROUP, PartyOrgKind.WORKING_COMMITTEE):
        raise ValidationError(
            f"党员应编入党支部（或党委、党总支直属），不能直接编入{label_of(ORG_KIND_LABELS, org.kind)}。",
            field="org_id",
        )
    if org.retired_on is not None and (current is None or current.org_id != org.id):
        raise ValidationError(f"党组织“{org.name}”已撤销。", field="org_id")
    values["org_id"] = org.id
    group_id = data.group_id
    if group_id is not None:
        group = get_or_raise(s, PartyOrg, group_id, "党小组")
        if group.kind != PartyOrgKind.GROUP or group.parent_id != org.id:
            raise ValidationError(f"党小组“{group.name}”不属于“{org.name}”。", field="group_id")
    values["group_id"] = group_id
    grid_id = data.grid_id if data.grid_id is not None else org.grid_id
    if grid_id is not None:
        get_or_raise(s, Grid, grid_id, "网格")
    values["grid_id"] = grid_id
    if data.dues_category not in DUES_CATEGORY_LABELS:
        raise ValidationError(f"党费类别“{data.dues_category}”无效。", field="dues_category")
    values["dues_category"] = data.dues_category
    for key in ("dues_base_fen", "dues_reduced_fen"):
        amount = getattr(data, key)
        if amount is not None and amount < 0:
            raise ValidationError("金额不能为负数。", field=key)
        values[key] = amount
    if data.dues_reduced_fen is not None and not clean_free_text(data.dues_reduced_ref):
        raise ValidationError(
            "减免党费须经支部研究、上级党委批准，请填写批准情况或文号。", field="dues_reduced_ref"
        )
    values["dues_reduced_ref"] = clean_free_text(data.dues_reduced_ref) or None
    for key in ("dues_base_from", "dues_start_month"):
        month = clean_text(getattr(data, key)) or None
        if month:
            parse_month(month)
        values[key] = month
    for key, limit in (
        ("ethnicity", 20),
        ("native_place", 50),
        ("education", 20),
        ("occupation", 40),
        ("work_unit", 100),
        ("added_how", 12),
    ):
        text = clean_text(getattr(data, key)) or None
        if text and len(text) > limit:
            raise ValidationError(f"内容不能超过 {limit} 个字。", field=key)
        values[key] = text
    address = clean_free_text(data.address) or None
    if address and len(address) > 200:
        raise ValidationError("家庭住址不能超过 200 个字。", field="address")
    values["address"] = address
    values["notes"] = clean_free_text(data.notes) or None
    return values


def _link_resident(s: Session, m: PartyMember) -> None:
    """Link to the resident with the same 身份证号 (or unlink when it no longer matches)."""
    rid = s.scalar(select(Resident.id).where(Resident.id_number_bidx == m.id_number)) if m.id_number else None
    m.resident_id = rid
    if rid is not None and m.grid_id is None:
        m.grid_id = s.scalar(select(Resident.grid_id).where(Resident.id == rid))


def event(
    uow: UnitOfWork,
    m: PartyMember,
    kind: MemberEventKind,
    on_date: dt.date,
    from_value: str | None = None,
    to_value: str | None = None,
    **extra: str | None,
) -> PartyMemberEvent:
    e = PartyMemberEvent(
        member_id=m.id,
        kind=kind.value,
        on_date=on_date,
        from_value=from_value,
        to_value=to_value,
        user=uow.actor.user,
        **extra,
    )
    uow.session.add(e)
    return e


def save_member_in(
    uow: UnitOfWork, data: MemberInput, today: dt.date | None = None, taking_in: bool = False
) -> tuple[PartyMember, bool]:
    """The body of :func:`save_member` inside a unit of work; returns the member and whether it changed.
    The record and its organisation must be in the account's reach (``scope.check_member_save``)."""
    today = today or uow.clock.today()
    s = uow.session
    current = None
    if data.id is not None:
        current = get_or_raise(s, PartyMember, data.id, "党员")
        check_version(current.version, data.version, f"党员“{current.name}”")
    scope.check_member_save(s, current, data.org_id, taking_in)
    values = _validated(s, data, current, today)
    if current is None or values["id_number"] != current.id_number:
        other = s.scalar(
            select(PartyMember).where(
                PartyMember.id_number_bidx == values["id_number"], PartyMember.id != (data.id or 0)
            )
        )
        if other is not None:
            where = s.get(PartyOrg, other.org_id)
            raise ConflictError(
                f"身份证号码 {mask_id_number(values['id_number'])} 已登记为“{other.name}”"
                f"（{where.name if where else ''}，{label_of(STATUS_LABELS, other.status)}），不能重复登记。"
                if scope.member_visible(s, other)
                else f"身份证号码 {mask_id_number(values['id_number'])} 已登记在本账号负责范围以外的党组织，不能重复登记。",
                detail="id_number",
            )
    if current is not None and values["stage"] != current.stage:
        has_steps = s.scalar(
            select(RecruitmentStep.id).where(
                RecruitmentStep.member_id == current.id, RecruitmentStep.retired_on.is_(None)
            )
        )
        if has_steps:
            raise ValidationError("发展阶段请在“发展党员”中记录相应步骤来变更。", field="stage")
    before = None if current is None else member_snapshot(current)
    m = current or PartyMember(name=values["name"], org_id=values["org_id"])
    if current is None:
        s.add(m)
    old_org = current.org_id if current is not None else None
    for key, value in values.items():
        setattr(m, key, value)
    _link_resident(s, m)
    s.flush()
    if current is not None and old_org != m.org_id:
        orgs = _org_names(s)
        event(uow, m, MemberEventKind.INTERNAL_MOVE, today, orgs.get(old_org or 0), orgs.get(m.org_id))
    after = member_snapshot(m)
    if before is not None and before == after:
        return m, False
    uow.audit(
        "create" if current is None else "update",
        "party_member",
        m.id,
        summary=f"党员 {m.name}（{label_of(STAGE_LABELS, m.stage)}）",
        before=before,
        after=after,
    )
    return m, True


def save_member(ctx: ServiceContext, data: MemberInput, today: dt.date | None = None) -> int:
    """Register a member or save changes (optimistic ``version``); links the resident by 身份证号."""
    require(ctx, PARTY)
    with ctx.write() as uow:
        m, _changed = save_member_in(uow, data, today)
        return m.id


def reveal_member(ctx: ServiceContext, member_id: int, reason: str) -> tuple[str | None, str | None]:
    """The full 身份证号 and phone for a stated reason, written to the audit trail."""
    require(ctx, PARTY)
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写查看完整信息的原因（将记录在操作日志中）。", field="reason")
    with ctx.write() as uow:
        m = get_or_raise(uow.session, PartyMember, member_id, "党员")
        scope.check_member(uow.session, m)
        uow.audit(
            "reveal",
            "party_member",
            m.id,
            summary=f"查看党员{m.name}的完整身份证号和电话；原因：{reason}",
            after={"reason": reason, "fields": ["id_number", "phone"]},
        )
        return m.id_number, m.phone


def member_input_from(m: PartyMember) -> MemberInput:
    """A MemberInput holding ``m`` as it is (id_number/phone None = keep), for edits that change a field."""
    return MemberInput(
        name=m.name,
        org_id=m.org_id,
        stage=m.stage,
        gender=m.gender,
        ethnicity=m.ethnicity,
        birth_date=m.birth_date,
        native_place=m.native_place,
        education=m.education,
        occupation=m.occupation,
        work_unit=m.work_unit,
        address=m.address,
        applied_on=m.applied_on,
        joined_on=m.joined_on,
        confirmed_on=m.confirmed_on,
        added_how=m.added_how,
        group_id=m.group_id,
        grid_id=m.grid_id,
        dues_category=m.dues_category,
        dues_base_fen=m.dues_base_fen,
        dues_base_from=m.dues_base_from,
        dues_reduced_fen=m.dues_reduced_fen,
        dues_reduced_ref=m.dues_reduced_ref,
        dues_start_month=m.dues_start_month,
        notes=m.notes,
        id=m.id,
        version=m.version,
    )


def resident_name(s: Session, resident_id: int | None) -> str:
    if resident_id is None:
        return ""
    return s.scalar(select(Resident.name).where(Resident.id == resident_id)) or ""


def dues_start(m: PartyMember) -> str | None:
    """The first month a member owes dues: the recorded 起缴月份, else the month of the 入党日期."""
    if m.dues_start_month:
        return m.dues_start_month
    return month_of(m.joined_on) if m.joined_on else None


def lost_reason_label(code: str | None) -> str:
    return LOST_REASONS.get(code or "", "")
