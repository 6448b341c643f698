"""One resident: the card, revealing the full identity (audited), saving, tags, care tier and status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.people import (
    CareTier,
    Household,
    ResidenceKind,
    Resident,
    ResidentEvent,
    ResidentEventKind,
    ResidentStatus,
    ResidentTag,
)
from db.schema.structure import Community, Grid
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.accounts import RESIDENTS_READ, RESIDENTS_UNMASK, RESIDENTS_WRITE
from desktop.domain.identity import (
    age_on,
    check_person,
    mask_id_number,
    mask_phone,
)
from desktop.domain.text import clean_text
from desktop.services.access import check_resident_in_scope, require
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.residents.common import (
    EVENT_KIND_LABELS,
    CareTierInfo,
    ResidentCard,
    ResidentEventRow,
    ResidentInput,
    RevealedIdentity,
    clean_free_text,
    masked_snapshot,
    name_initials,
    phone_tail,
    residence_kind_label,
    status_label,
)
from desktop.services.residents.config import care_tiers, special_groups
from desktop.services.residents.households import household_card, save_household_in

# ---------------------------------------------------------------- one resident


def get_resident(ctx: ServiceContext, resident_id: int, today: dt.date | None = None) -> ResidentCard:
    require(ctx, RESIDENTS_READ)
    today = today or ctx.today()
    tiers = {t.code: t for t in care_tiers(ctx)}
    with ctx.read() as s:
        r = get_or_raise(s, Resident, resident_id, "居民")
        check_resident_in_scope(ctx, r.community_id, r.grid_id)
        community = s.get(Community, r.community_id)
        grid = s.get(Grid, r.grid_id) if r.grid_id else None
        household = household_card(s, r.household, today) if r.household is not None else None
        history = tuple(_event_row(e, tiers) for e in sorted(r.events, key=lambda e: (e.on_date, e.id)))
        return ResidentCard(
            id=r.id,
            name=r.name,
            gender=r.gender,
            ethnicity=r.ethnicity,
            birth_date=r.birth_date,
            age=age_on(r.birth_date, today),
            id_number=mask_id_number(r.id_number),
            phone=mask_phone(r.phone),
            residence_kind=r.residence_kind,
            residence_kind_label=residence_kind_label(r.residence_kind),
            community_id=r.community_id,
            community_name=community.name if community else "",
            grid_id=r.grid_id,
            grid_name=grid.name if grid else "",
            relation_to_head=r.relation_to_head,
            care_tier=tiers.get(r.care_tier, tiers["GREEN"]),
            status=r.status,
            status_label=status_label(r.status),
            status_changed_on=r.status_changed_on,
            notes=r.notes,
            version=r.version,
            tags=tuple(t.tag for t in sorted(r.tags, key=lambda t: t.id)),
            household=household,
            history=history,
        )


def reveal_resident(ctx: ServiceContext, resident_id: int, reason: str) -> RevealedIdentity:
    """The full 身份证号 and phone, for a stated reason; the viewing is written to the audit trail."""
    require(ctx, RESIDENTS_UNMASK)
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写查看完整信息的原因（将记录在操作日志中）。", field="reason")
    if len(reason) > 200:
        raise ValidationError("原因不能超过 200 个字。", field="reason")
    with ctx.write() as uow:
        r = get_or_raise(uow.session, Resident, resident_id, "居民")
        check_resident_in_scope(ctx, r.community_id, r.grid_id)
        uow.audit(
            "reveal",
            "resident",
            r.id,
            summary=f"查看居民{r.name}的完整身份证号和电话；原因：{reason}",
            after={"reason": reason, "fields": ["id_number", "phone"]},
        )
        return RevealedIdentity(r.id, r.id_number, r.phone)


def _validated(s: Session, data: ResidentInput, current: Resident | None, today: dt.date) -> dict[str, Any]:
    """The checked, normalised column values for ``data`` as of ``today`` (ValidationError names the field)."""
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
    values: dict[str, Any] = {
        "name": person.name,
        "name_initials": name_initials(person.name),
        "id_number": person.id_number,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "phone": person.phone,
        "phone_tail": phone_tail(person.phone),
    }

    try:
        values["residence_kind"] = ResidenceKind(data.residence_kind).value
    except ValueError:
        raise ValidationError("户籍类别应为户籍人口或流动人口。", field="residence_kind") from None
    values["ethnicity"] = clean_text(data.ethnicity) or None
    values["relation_to_head"] = clean_text(data.relation_to_head) or None
    values["notes"] = clean_free_text(data.notes) or None

    # no id, no look-up (a get with None warns "fully NULL primary key" and finds nothing anyway)
    community = s.get(Community, data.community_id) if data.community_id is not None else None
    if community is None:
        raise ValidationError("请选择所属社区。", field="community_id")
    moved = current is None or current.community_id != community.id
    if community.retired_on is not None and moved:
        raise ValidationError(f"社区“{community.name}”已撤销，不能登记到该社区。", field="community_id")
    values["community_id"] = community.id
    grid_id = data.grid_id
    household = None
    if data.new_household is None and data.household_id is not None:
        household = get_or_raise(s, Household, data.household_id, "住户")
        if household.community_id != community.id:
            raise ValidationError("所选住户不属于所选社区。", field="household_id")
        grid_id = grid_id if grid_id is not None else household.grid_id
    if grid_id is not None:
        grid = s.get(Grid, grid_id)
        if grid is None or grid.community_id != community.id:
            raise ValidationError(
                f"网格“{grid.name if grid else grid_id}”不属于{community.name}，请重新选择网格。",
                field="grid_id",
            )
        if grid.retired_on is not None and (current is None or current.grid_id != grid.id):
            raise ValidationError(f"网格“{grid.name}”已撤销，请选择其他网格。", field="grid_id")
    values["grid_id"] = grid_id
    values["household_id"] = household.id if household is not None else None
    return values


def save_resident(ctx: ServiceContext, data: ResidentInput) -> int:
    """Register a resident or save changes (optimistic ``version``). Returns the resident's id."""
    require(ctx, RESIDENTS_WRITE)
    allowed_tags = set(special_groups(ctx)) if data.tags is not None else set()
    with ctx.write() as uow:
        s = uow.session
        current = None
        if data.id is not None:
            current = get_or_raise(s, Resident, data.id, "居民")
            check_version(current.version, data.version, f"居民“{current.name}”")
        values = _validated(s, data, current, ctx.today())
        if values["id_number"] and (current is None or values["id_number"] != current.id_number):
            other = s.scalar(
                select(Resident).where(
                    Resident.id_number_bidx == values["id_number"], Resident.id != (data.id or 0)
                )
            )
            if other is not None:
                where = s.get(Community, other.community_id)
                raise ConflictError(
                    f"身份证号码 {mask_id_number(values['id_number'])} 已登记为居民“{other.name}”"
                    f"（{where.name if where else ''}，{status_label(other.status)}），不能重复登记。",
                    detail="id_number",
                )
        if data.new_household is not None:
            hh_data = data.new_household
            hh_data.community_id = values["community_id"]
            hh_data.grid_id = hh_data.grid_id if hh_data.grid_id is not None else values["grid_id"]
            values["household_id"] = save_household_in(uow, hh_data)
        elif current is not None and data.household_id is None:
            values["household_id"] = None  # the form cleared it
        if values["relation_to_head"] == "户主" and values["household_id"] is not None:
            head = s.scalar(
                select(Resident).where(
                    Resident.household_id == values["household_id"],
                    Resident.relation_to_head == "户主",
                    Resident.status == ResidentStatus.ACTIVE,
                    Resident.id != (data.id or 0),
                )
            )
            if head is not None:
                raise ValidationError(
                    f"该户已有户主{head.name}，请先修改其与户主关系。", field="relation_to_head"
                )
        before = None if current is None else masked_snapshot(current)
        id_changed = current is not None and current.id_number != values["id_number"]
        r = current or Resident(name=values["name"], community_id=values["community_id"])
        if current is None:
            s.add(r)
        for key, value in values.items():
            setattr(r, key, value)
        if data.tags is not None:
            _replace_tags(r, _checked_tags(allowed_tags, data.tags, r))
        s.flush()
        after = masked_snapshot(r) | ({"id_number_changed": True} if id_changed else {})
        if data.tags is not None:
            after["tags"] = [t.tag for t in r.tags]
        uow.audit(
            "create" if current is None else "update",
            "resident",
            r.id,
            summary=f"居民 {r.name}",
            before=before,
            after=after,
        )
        return r.id


def set_tags(ctx: ServiceContext, resident_id: int, tags: Iterable[str]) -> None:
    """Replace a resident's 特殊人群 tags (labels from the SPECIAL_GROUP dictionary)."""
    allowed = set(special_groups(ctx))
    with ctx.write() as uow:
        r = get_or_raise(uow.session, Resident, resident_id, "居民")
        before = [t.tag for t in r.tags]
        _replace_tags(r, _checked_tags(allowed, tags, r))
        uow.session.flush()
        after = [t.tag for t in r.tags]
        if after != before:
            uow.audit(
                "update",
                "resident",
                r.id,
                summary=f"居民 {r.name} 的特殊人群标签：{'、'.join(after) or '无'}",
                before={"tags": before},
                after={"tags": after},
            )


def _checked_tags(dictionary: set[str], tags: Iterable[str], r: Resident) -> list[str]:
    allowed = dictionary | {t.tag for t in r.tags}  # a label retired from the dictionary may stay where it is
    result: list[str] = []
    for tag in (clean_text(t) for t in tags):
        if not tag or tag in result:
            continue
        if tag not in allowed:
            raise ValidationError(f"“{tag}”不在特殊人群标签字典中，请先在设置中添加。", field="tags")
        result.append(tag)
    return result


def _replace_tags(r: Resident, tags: list[str]) -> None:
    keep = [t for t in r.tags if t.tag in tags]
    have = {t.tag for t in keep}
    r.tags = keep + [ResidentTag(tag=t) for t in tags if t not in have]


def set_care_tier(
    ctx: ServiceContext,
    resident_id: int,
    tier: str,
    reason: str,
    on_date: dt.date | None = None,
    approver: str | None = None,
    version: int | None = None,
) -> None:
    """分色等级调整, dated and with a reason (and optionally who approved it); kept in the history."""
    try:
        tier = CareTier(tier).value
    except ValueError:
        raise ValidationError(f"分色等级“{tier}”无效。", field="care_tier") from None
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写调整等级的原因。", field="reason")
    on_date = on_date or ctx.today()
    if on_date > ctx.today():
        raise ValidationError("调整日期不能晚于今天。", field="on_date")
    labels = {t.code: t.label for t in care_tiers(ctx)}
    with ctx.write() as uow:
        r = get_or_raise(uow.session, Resident, resident_id, "居民")
        check_version(r.version, version, f"居民“{r.name}”")
        if r.care_tier == tier:
            raise ValidationError(f"{r.name}已是{labels[tier]}等级。", field="care_tier")
        before = masked_snapshot(r)
        old = r.care_tier
        r.care_tier = tier
        r.events.append(
            _event(uow.actor.user, ResidentEventKind.CARE_TIER, on_date, old, tier, reason, approver)
        )
        uow.session.flush()
        uow.audit(
            "care_tier",
            "resident",
            r.id,
            summary=f"居民 {r.name} 等级 {labels.get(old, old)} → {labels[tier]}：{reason}",
            before=before,
            after=masked_snapshot(r) | {"reason": reason, "approver": clean_text(approver) or None},
        )


def change_status(
    ctx: ServiceContext,
    resident_id: int,
    status: str,
    on_date: dt.date,
    reason: str = "",
    version: int | None = None,
) -> None:
    """迁出 / 离开 / 死亡 (or back to 在册). The record stays; the change is kept in the history."""
    try:
        status = ResidentStatus(status).value
    except ValueError:
        raise ValidationError(f"居民状态“{status}”无效。", field="status") from None
    reason = clean_free_text(reason)
    if on_date > ctx.today():
        raise ValidationError("变更日期不能晚于今天。", field="on_date")
    with ctx.write() as uow:
        r = get_or_raise(uow.session, Resident, resident_id, "居民")
        check_version(r.version, version, f"居民“{r.name}”")
        if r.status == status:
            raise ValidationError(f"{r.name}已是“{status_label(status)}”状态。", field="status")
        if r.status == ResidentStatus.DECEASED and not reason:
            raise ValidationError(f"{r.name}已登记死亡。如登记有误需要更正，请填写更正原因。", field="reason")
        if r.birth_date is not None and on_date < r.birth_date:
            raise ValidationError("变更日期不能早于出生日期。", field="on_date")
        before = masked_snapshot(r)
        old = r.status
        r.status, r.status_changed_on = status, on_date
        r.events.append(
            _event(uow.actor.user, ResidentEventKind.STATUS, on_date, old, status, reason or None)
        )
        uow.session.flush()
        uow.audit(
            "status",
            "resident",
            r.id,
            summary=f"居民 {r.name} {status_label(old)} → {status_label(status)}（{on_date:%Y-%m-%d}）"
            + (f"：{reason}" if reason else ""),
            before=before,
            after=masked_snapshot(r) | {"reason": reason or None},
        )


def list_events(ctx: ServiceContext, resident_id: int) -> list[ResidentEventRow]:
    tiers = {t.code: t for t in care_tiers(ctx)}
    with ctx.read() as s:
        events = s.scalars(
            select(ResidentEvent)
            .where(ResidentEvent.resident_id == resident_id)
            .order_by(ResidentEvent.on_date, ResidentEvent.id)
        )
        return [_event_row(e, tiers) for e in events]


def _event(
    user: str,
    kind: ResidentEventKind,
    on_date: dt.date,
    old: str | None,
    new: str,
    reason: str | None,
    approver: str | None = None,
) -> ResidentEvent:
    return ResidentEvent(
        kind=kind.value,
        on_date=on_date,
        from_value=old,
        to_value=new,
        reason=reason,
        approver=clean_text(approver) or None,
        user=user,
    )


def _event_row(e: ResidentEvent, tiers: dict[str, CareTierInfo]) -> ResidentEventRow:
    def label(v: str | None) -> str:
        if v is None:
            return ""
        if e.kind == ResidentEventKind.CARE_TIER:
            return tiers[v].label if v in tiers else v
        return status_label(v)

    return ResidentEventRow(
        e.id,
        e.kind,
        EVENT_KIND_LABELS.get(ResidentEventKind(e.kind), e.kind),
        e.on_date,
        e.from_value,
        e.to_value,
        label(e.from_value),
        label(e.to_value),
        e.reason,
        e.approver,
        e.user,
        e.recorded_at,
    )
