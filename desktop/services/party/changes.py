"""Dated changes to a member: 组织关系转入/转出, status, 流动党员, 失联党员, 在职党员报到.

Every change is one transaction with an event row (``party_member_event``, append-only) and an audit
record. A member who leaves is never deleted: the record stays with its status and history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from db.schema.party import (
    CommunityCheckIn,
    MemberEventKind,
    MembershipStatus,
    PartyMember,
    PartyOrg,
    PartyPost,
)
from desktop.core.errors import ValidationError
from desktop.domain.identity import normalize_id_number
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    LOST_REASONS,
    MEMBER_STAGES,
    MOBILE_DIRECTIONS,
    STATUS_LABELS,
    label_of,
    member_snapshot,
    month_of,
)
from desktop.services.party.members import MemberInput, event, save_member_in
from desktop.services.residents.common import clean_free_text


@dataclass
class MobileInput:
    direction: str  # OUT 流出 / IN 流入
    since: dt.date
    destination: str  # 外出流向 (OUT) or 来自 (IN)
    card_no: str | None = None  # 流动党员活动证号
    contact: str | None = None
    last_contact: dt.date | None = None


@dataclass
class CheckInInput:
    member_id: int
    unit: str
    checked_in_on: dt.date
    community_id: int | None = None
    unit_org: str | None = None
    claimed_post: str | None = None
    service_hours: float = 0.0
    last_evaluated_on: dt.date | None = None
    evaluation: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int | None = None


def _not_future(day: dt.date, today: dt.date, what: str, field: str) -> None:
    if day > today:
        raise ValidationError(f"{what}不能晚于今天。", field=field)


def _end_posts(uow: UnitOfWork, m: PartyMember, on_date: dt.date) -> None:
    for post in uow.session.scalars(
        select(PartyPost).where(PartyPost.member_id == m.id, PartyPost.to_date.is_(None))
    ):
        post.to_date = max(on_date, post.from_date)


def _load(uow: UnitOfWork, member_id: int, version: int | None) -> PartyMember:
    m = get_or_raise(uow.session, PartyMember, member_id, "党员")
    scope.check_member(uow.session, m)
    check_version(m.version, version, f"党员“{m.name}”")
    return m


def _audit(uow: UnitOfWork, m: PartyMember, action: str, summary: str, before: dict[str, Any]) -> None:
    uow.session.flush()
    uow.audit(action, "party_member", m.id, summary=summary, before=before, after=member_snapshot(m))


# ---------------------------------------------------------------- 组织关系转接


def transfer_out(
    ctx: ServiceContext,
    member_id: int,
    on_date: dt.date,
    destination: str,
    letter_no: str | None = None,
    reason: str | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """组织关系转出: the member leaves the roll (status 已转出) with a dated event; posts end that day.

    The sending side of a transfer, also between two communities of the street: a community's account
    transfers out its own members only, naming the receiving organisation in ``destination`` (free text:
    it need not see the other community's tree). It cannot move the member into the other community's
    organisation itself — the receiving community records the 转入 with the same 身份证号 (``transfer_in``),
    which takes over this record and its history; until then the sender keeps seeing it as 已转出."""
    today = today or ctx.today()
    _not_future(on_date, today, "转出日期", "on_date")
    destination = clean_free_text(destination)
    if not destination:
        raise ValidationError("请填写转往的党组织。", field="counterpart")
    with ctx.write() as uow:
        m = _load(uow, member_id, version)
        if m.status != MembershipStatus.ACTIVE:
            raise ValidationError(f"{m.name}的党籍状态为“{label_of(STATUS_LABELS, m.status)}”，不能转出。")
        if m.stage not in MEMBER_STAGES:
            raise ValidationError(f"{m.name}还不是党员，不需要转接组织关系。", field="stage")
        before = member_snapshot(m)
        org = uow.session.get(PartyOrg, m.org_id)
        m.status, m.status_changed_on = MembershipStatus.TRANSFERRED_OUT.value, on_date
        _end_posts(uow, m, on_date)
        event(
            uow,
            m,
            MemberEventKind.TRANSFER_OUT,
            on_date,
            org.name if org else None,
            destination[:100],
            counterpart=destination[:150],
            letter_no=clean_text(letter_no) or None,
            reason=clean_free_text(reason) or None,
        )
        _audit(uow, m, "transfer_out", f"党员 {m.name} 组织关系转出至 {destination}（{on_date}）", before)


def transfer_in(
    ctx: ServiceContext,
    data: MemberInput,
    on_date: dt.date,
    source: str,
    letter_no: str | None = None,
    today: dt.date | None = None,
) -> int:
    """组织关系转入: a new member record, or the old one of someone who had transferred out, back on the roll.

    The receiving organisation must be in the account's reach; the old record of someone transferred out —
    by another community of the street too — is taken over with its history (the member's file follows them)."""
    today = today or ctx.today()
    _not_future(on_date, today, "转入日期", "on_date")
    source = clean_free_text(source)
    if not source:
        raise ValidationError("请填写转出的党组织（介绍信开具单位）。", field="counterpart")
    if data.stage not in MEMBER_STAGES:
        raise ValidationError("只有正式党员和预备党员办理组织关系转接。", field="stage")
    with ctx.write() as uow:
        existing = None
        if data.id_number:
            existing = uow.session.scalar(
                select(PartyMember).where(PartyMember.id_number_bidx == normalize_id_number(data.id_number))
            )
        if existing is not None and existing.status != MembershipStatus.TRANSFERRED_OUT:
            if not scope.member_visible(uow.session, existing):  # (not naming a member out of reach)
                raise ValidationError(
                    "该身份证号码的党员组织关系目前在本账号负责范围以外的党组织在册，须先由原党组织办理转出。",
                    field="id_number",
                )
            raise ValidationError(
                f"{existing.name}的组织关系目前在册（{label_of(STATUS_LABELS, existing.status)}），不能重复转入。",
                field="id_number",
            )
        data = replace(
            data,
            id=existing.id if existing else None,
            version=None,
            added_how=data.added_how or "转入",
            dues_start_month=data.dues_start_month or month_of(on_date),
        )
        m, _changed = save_member_in(uow, data, today, taking_in=existing is not None)
        old = m.status
        m.status, m.status_changed_on = MembershipStatus.ACTIVE.value, on_date
        org = uow.session.get(PartyOrg, m.org_id)
        event(
            uow,
            m,
            MemberEventKind.TRANSFER_IN,
            on_date,
            source[:100],
            org.name if org else None,
            counterpart=source[:150],
            letter_no=clean_text(letter_no) or None,
            reason=None if existing is None else f"原状态：{label_of(STATUS_LABELS, old)}",
        )
        uow.session.flush()
        uow.audit(
            "transfer_in",
            "party_member",
            m.id,
            summary=f"党员 {m.name} 组织关系自 {source} 转入（{on_date}）",
            after=member_snapshot(m),
        )
        return m.id


def change_status(
    ctx: ServiceContext,
    member_id: int,
    status: str,
    on_date: dt.date,
    reason: str,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """去世, 停止党籍, 注销 (or back to 正常, with a reason). Dated, kept in the history."""
    today = today or ctx.today()
    if status not in STATUS_LABELS or status == MembershipStatus.TRANSFERRED_OUT:
        raise ValidationError("请用“组织关系转出”办理转出。" if status == "TRANSFERRED_OUT" else "状态无效。")
    _not_future(on_date, today, "变更日期", "on_date")
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写变更原因（如去世、停止党籍的决定）。", field="reason")
    with ctx.write() as uow:
        m = _load(uow, member_id, version)
        if m.status == status:
            raise ValidationError(f"{m.name}已是“{label_of(STATUS_LABELS, status)}”状态。", field="status")
        before = member_snapshot(m)
        old = m.status
        m.status, m.status_changed_on = status, on_date
        if status != MembershipStatus.ACTIVE:
            _end_posts(uow, m, on_date)
        event(uow, m, MemberEventKind.STATUS, on_date, old, status, reason=reason[:200])
        _audit(
            uow,
            m,
            "status",
            f"党员 {m.name} {label_of(STATUS_LABELS, old)} → {label_of(STATUS_LABELS, status)}：{reason}",
            before,
        )


# ---------------------------------------------------------------- 流动 / 失联


def set_mobile(
    ctx: ServiceContext,
    member_id: int,
    data: MobileInput | None,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """登记流动党员 (or, with ``data`` None, end it: the member is back)."""
    today = today or ctx.today()
    with ctx.write() as uow:
        m = _load(uow, member_id, version)
        before = member_snapshot(m)
        if data is None:
            if not m.is_mobile:
                raise ValidationError(f"{m.name}不是流动党员。")
            m.is_mobile = False
            event(uow, m, MemberEventKind.MOBILE, today, m.mobile_destination, None, reason="流动结束")
            _audit(uow, m, "update", f"党员 {m.name} 结束流动", before)
            return
        if data.direction not in MOBILE_DIRECTIONS:
            raise ValidationError("流向应为流出或流入。", field="mobile_direction")
        destination = clean_free_text(data.destination)
        if not destination:
            raise ValidationError("请填写外出流向（或流入党员的来处）。", field="mobile_destination")
        _not_future(data.since, today, "外出日期", "mobile_since")
        if data.last_contact is not None:
            _not_future(data.last_contact, today, "最后联系日期", "mobile_last_contact")
        m.is_mobile = True
        m.mobile_direction, m.mobile_since = data.direction, data.since
        m.mobile_destination = destination[:100]
        m.mobile_card_no = clean_text(data.card_no) or None
        m.mobile_contact = clean_text(data.contact) or None
        m.mobile_last_contact = data.last_contact
        event(
            uow,
            m,
            MemberEventKind.MOBILE,
            data.since,
            None,
            destination[:100],
            reason=MOBILE_DIRECTIONS[data.direction],
        )
        _audit(
            uow,
            m,
            "update",
            f"党员 {m.name} 登记为流动党员（{MOBILE_DIRECTIONS[data.direction]}：{destination}）",
            before,
        )


def set_lost_contact(
    ctx: ServiceContext,
    member_id: int,
    since: dt.date | None,
    reason_code: str | None = None,
    notes: str | None = None,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """认定失联党员 (no contact for ≥ 6 months, with a 情形代码), or with ``since`` None: 恢复联系."""
    today = today or ctx.today()
    with ctx.write() as uow:
        m = _load(uow, member_id, version)
        before = member_snapshot(m)
        if since is None:
            if not m.is_lost_contact:
                raise ValidationError(f"{m.name}不是失联党员。")
            m.is_lost_contact = False
            event(uow, m, MemberEventKind.LOST_CONTACT, today, m.lost_since.isoformat() if m.lost_since else None, None,
                  reason=clean_free_text(notes) or "恢复联系")  # fmt: skip
            _audit(uow, m, "update", f"党员 {m.name} 恢复联系", before)
            return
        rules.check_lost_contact(since, today)
        if reason_code not in LOST_REASONS:
            raise ValidationError("请选择失联情形（1 外出务工经商 … 7 其他）。", field="lost_reason")
        m.is_lost_contact, m.lost_since, m.lost_reason = True, since, reason_code
        m.lost_notes = clean_free_text(notes)[:200] or None
        event(
            uow, m, MemberEventKind.LOST_CONTACT, since, None, LOST_REASONS[reason_code], reason=m.lost_notes
        )
        _audit(
            uow,
            m,
            "update",
            f"党员 {m.name} 认定为失联党员（{since} 起，{LOST_REASONS[reason_code]}）",
            before,
        )


# ---------------------------------------------------------------- 在职党员进社区报到


def save_check_in(ctx: ServiceContext, data: CheckInInput, today: dt.date | None = None) -> int:
    today = today or ctx.today()
    unit = clean_free_text(data.unit)
    if not unit:
        raise ValidationError("请填写所在单位。", field="unit")
    _not_future(data.checked_in_on, today, "报到日期", "checked_in_on")
    if data.service_hours < 0:
        raise ValidationError("服务时长不能为负数。", field="service_hours")
    if data.last_evaluated_on is not None:
        _not_future(data.last_evaluated_on, today, "评价日期", "last_evaluated_on")
    with ctx.write() as uow:
        s = uow.session
        m = get_or_raise(s, PartyMember, data.member_id, "党员")
        current = None
        if data.id is not None:  # the community checked into records hours and evaluations as well
            current = get_or_raise(s, CommunityCheckIn, data.id, "报到记录")
            scope.check_check_in(s, current)
            if current.member_id != m.id:
                raise ValidationError("报到记录与党员不符。", field="member_id")
            check_version(current.version, data.version, "报到记录")
        else:  # a new check-in is registered by the member's own organisation
            scope.check_member(s, m)
        if m.stage not in MEMBER_STAGES:
            raise ValidationError(f"{m.name}还不是党员，不能办理在职党员报到。")
        if current is None and s.scalar(
            select(CommunityCheckIn.id).where(
                CommunityCheckIn.member_id == m.id, CommunityCheckIn.ended_on.is_(None)
            )
        ):
            raise ValidationError(f"{m.name}已在社区报到，请修改原报到记录。")
        before = None if current is None else snapshot(current)
        c = current or CommunityCheckIn(member_id=m.id, unit=unit, checked_in_on=data.checked_in_on)
        if current is None:
            s.add(c)
        c.unit, c.checked_in_on = unit[:100], data.checked_in_on
        c.community_id = data.community_id
        c.unit_org = clean_free_text(data.unit_org)[:100] or None
        c.claimed_post = clean_free_text(data.claimed_post)[:100] or None
        c.service_hours = round(float(data.service_hours), 1)
        c.last_evaluated_on, c.evaluation = data.last_evaluated_on, clean_text(data.evaluation) or None
        c.notes = clean_free_text(data.notes)[:200] or None
        s.flush()
        if current is None:
            event(
                uow, m, MemberEventKind.CHECK_IN, data.checked_in_on, None, unit[:100], reason=c.claimed_post
            )
        uow.audit(
            "create" if current is None else "update",
            "party_check_in",
            c.id,
            summary=f"在职党员 {m.name} 进社区报到（{unit}）",
            before=before,
            after=snapshot(c),
        )
        return c.id


def end_check_in(
    ctx: ServiceContext,
    check_in_id: int,
    on_date: dt.date,
    version: int | None = None,
    today: dt.date | None = None,
) -> None:
    today = today or ctx.today()
    _not_future(on_date, today, "结束日期", "ended_on")
    with ctx.write() as uow:
        c = get_or_raise(uow.session, CommunityCheckIn, check_in_id, "报到记录")
        scope.check_check_in(uow.session, c)
        check_version(c.version, version, "报到记录")
        if c.ended_on is not None:
            raise ValidationError("该报到已结束。")
        if on_date < c.checked_in_on:
            raise ValidationError(f"结束日期不能早于报到日期（{c.checked_in_on}）。", field="ended_on")
        before = snapshot(c)
        c.ended_on = on_date
        m = uow.session.get(PartyMember, c.member_id)
        assert m is not None
        event(uow, m, MemberEventKind.CHECK_IN, on_date, c.unit, None, reason="报到结束")
        uow.session.flush()
        uow.audit(
            "update",
            "party_check_in",
            c.id,
            summary=f"在职党员 {m.name} 报到结束",
            before=before,
            after=snapshot(c),
        )
