"""Households (户): the card with its members, a picker search, and saving the address."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.schema.people import Household, Resident, ResidentStatus
from db.schema.structure import Community, Grid
from desktop.core.errors import ValidationError
from desktop.domain.accounts import RESIDENTS_READ
from desktop.domain.identity import age_on, mask_id_number
from desktop.domain.text import clean_text
from desktop.services import dictionaries
from desktop.services.access import check_community_in_session, require, resident_scope
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.residents.common import (
    ADDRESS_SUFFIX_RE,
    HouseholdCard,
    HouseholdInput,
    HouseholdMember,
    HouseholdRow,
    address_expr,
    clean_free_text,
    format_address,
    status_label,
)

# ---------------------------------------------------------------- households


def get_household(ctx: ServiceContext, household_id: int, today: dt.date | None = None) -> HouseholdCard:
    require(ctx, RESIDENTS_READ)
    with ctx.read() as s:
        h = get_or_raise(s, Household, household_id, "住户")
        check_community_in_session(s, h.community_id, h.grid_id, f"住户（编号 {household_id}）")
        return household_card(s, h, today or ctx.today())


def search_households(
    ctx: ServiceContext, community_id: int | None, text: str, limit: int = 30
) -> list[HouseholdRow]:
    """Households whose address contains ``text`` (for a picker), with their head's name."""
    require(ctx, RESIDENTS_READ)
    text = clean_text(text)
    with ctx.read() as s:
        q = select(Household).order_by(Household.estate, Household.building, Household.unit, Household.room)
        if community_id is not None:
            q = q.where(Household.community_id == community_id)
        scope = resident_scope(ctx)
        if scope is not None:
            q = q.where(scope.condition(Household.community_id, Household.grid_id))
        if text:
            words = {text, ADDRESS_SUFFIX_RE.sub(r"\1", text)}
            q = q.where(or_(*(address_expr().contains(w, autoescape=True) for w in words)))
        households = list(s.scalars(q.limit(limit)))
        members: dict[int | None, list[tuple[str, str | None]]] = {}
        if households:
            for hid, name, rel in s.execute(
                select(Resident.household_id, Resident.name, Resident.relation_to_head).where(
                    Resident.household_id.in_([h.id for h in households]),
                    Resident.status == ResidentStatus.ACTIVE,
                )
            ):
                members.setdefault(hid, []).append((name, rel))
        rows = []
        for h in households:
            people = members.get(h.id, [])
            head = next((n for n, rel in people if rel == "户主"), people[0][0] if people else "")
            rows.append(
                HouseholdRow(
                    h.id,
                    h.community_id,
                    h.grid_id,
                    format_address(h.estate, h.building, h.unit, h.room),
                    head,
                    len(people),
                )
            )
        return rows


def save_household(ctx: ServiceContext, data: HouseholdInput) -> int:
    """A household's address (and community/grid: its members move with it)."""
    with ctx.write() as uow:
        return save_household_in(uow, data)


def save_household_in(uow: UnitOfWork, data: HouseholdInput) -> int:
    """``save_household`` inside a caller's unit of work (a resident registered with a new household)."""
    s: Session = uow.session
    parts = {k: clean_text(getattr(data, k)) or None for k in ("estate", "building", "unit", "room")}
    if not any(parts.values()):
        raise ValidationError("请填写住址（小区/街路、楼栋、单元、门牌至少一项）。", field="estate")
    for key, limit, label in (
        ("estate", 60, "小区"),
        ("building", 20, "楼栋"),
        ("unit", 20, "单元"),
        ("room", 20, "门牌"),
    ):
        value = parts[key]
        if value and len(value) > limit:
            raise ValidationError(f"{label}不能超过 {limit} 个字。", field=key)
    community = s.get(Community, data.community_id) if data.community_id is not None else None
    if community is None:
        raise ValidationError("请选择所属社区。", field="community_id")
    if data.grid_id is not None:
        grid = s.get(Grid, data.grid_id)
        if grid is None or grid.community_id != community.id:
            raise ValidationError(f"所选网格不属于{community.name}。", field="grid_id")
    check_community_in_session(s, community.id, data.grid_id, "所选社区或网格")
    before = None
    if data.id is None:
        h = Household(community_id=community.id)
        s.add(h)
    else:
        h = get_or_raise(s, Household, data.id, "住户")
        check_community_in_session(s, h.community_id, h.grid_id, f"住户（编号 {data.id}）")
        check_version(h.version, data.version, "住户")
        before = snapshot(h)
        if (h.community_id, h.grid_id) != (community.id, data.grid_id):
            for m in h.members:  # the members live there: they move with the household
                if (m.community_id, m.grid_id) == (h.community_id, h.grid_id):
                    m.community_id, m.grid_id = community.id, data.grid_id
    h.community_id, h.grid_id = community.id, data.grid_id
    h.household_no, h.notes = clean_text(data.household_no) or None, clean_free_text(data.notes) or None
    h.estate, h.building, h.unit, h.room = parts["estate"], parts["building"], parts["unit"], parts["room"]
    s.flush()
    uow.audit(
        "create" if before is None else "update",
        "household",
        h.id,
        summary=f"住户 {format_address(h.estate, h.building, h.unit, h.room)}",
        before=before,
        after=snapshot(h),
    )
    return h.id


def household_card(s: Session, h: Household, today: dt.date) -> HouseholdCard:
    community = s.get(Community, h.community_id)
    grid = s.get(Grid, h.grid_id) if h.grid_id else None
    relation_order = {rel: i for i, rel in enumerate(dictionaries.RELATIONS_TO_HEAD)}
    members = sorted(
        h.members,
        key=lambda m: (
            m.status != ResidentStatus.ACTIVE,
            relation_order.get(m.relation_to_head or "", 99),
            m.id,
        ),
    )
    return HouseholdCard(
        id=h.id,
        community_id=h.community_id,
        community_name=community.name if community else "",
        grid_id=h.grid_id,
        grid_name=grid.name if grid else "",
        household_no=h.household_no,
        estate=h.estate,
        building=h.building,
        unit=h.unit,
        room=h.room,
        address=format_address(h.estate, h.building, h.unit, h.room),
        notes=h.notes,
        version=h.version,
        members=tuple(
            HouseholdMember(
                m.id,
                m.name,
                m.gender,
                age_on(m.birth_date, today),
                m.relation_to_head,
                mask_id_number(m.id_number),
                m.care_tier,
                m.status,
                status_label(m.status),
            )
            for m in members
        ),
    )
