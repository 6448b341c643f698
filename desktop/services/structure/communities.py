"""The street and its communities: read and save."""

from __future__ import annotations

from sqlalchemy import func, select

from db.schema.structure import Community, Grid, Street
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.structure.common import (
    CommunityInput,
    CommunityRow,
    StreetInfo,
    _opt,
)
from desktop.services.structure.grids import check_grid_community, require_grids, scope_communities

# ---------------------------------------------------------------- street & communities


def get_street(ctx: ServiceContext) -> StreetInfo | None:
    with ctx.read() as s:
        st = s.scalar(select(Street).order_by(Street.id).limit(1))
        return (
            None
            if st is None
            else StreetInfo(st.id, st.name, st.district, st.city, st.address, st.phone, st.version)
        )


def save_street(
    ctx: ServiceContext,
    name: str,
    district: str | None = None,
    city: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    version: int | None = None,
) -> int:
    name = clean_text(name)
    if not name:
        raise ValidationError("街道名称不能为空。", field="name")
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        st = uow.session.scalar(select(Street).order_by(Street.id).limit(1))
        before = None
        if st is None:
            st = Street(name=name)
            uow.session.add(st)
        else:
            check_version(st.version, version, f"街道“{st.name}”")
            before = snapshot(st)
        st.name, st.district, st.city = name, _opt(district), _opt(city)
        st.address, st.phone = _opt(address), _opt(phone)
        uow.session.flush()
        uow.audit(
            "create" if before is None else "update",
            "street",
            st.id,
            summary=f"街道：{name}",
            before=before,
            after=snapshot(st),
        )
        return st.id


def list_communities(ctx: ServiceContext, include_retired: bool = False) -> list[CommunityRow]:
    with ctx.read() as s:
        counts = dict(
            s.execute(
                select(Grid.community_id, func.count())
                .where(Grid.retired_on.is_(None))
                .group_by(Grid.community_id)
            ).all()
        )
        q = select(Community).order_by(Community.code, Community.id)
        allowed = scope_communities(s)  # a community's (or its grids') account sees its own community
        if allowed is not None:
            q = q.where(Community.id.in_(allowed))
        if not include_retired:
            q = q.where(Community.retired_on.is_(None))
        return [
            CommunityRow(
                c.id, c.name, c.code, c.address, c.phone, counts.get(c.id, 0), c.retired_on, c.version
            )
            for c in s.scalars(q)
        ]


def save_community(ctx: ServiceContext, data: CommunityInput) -> int:
    name = clean_text(data.name)
    if not name:
        raise ValidationError("社区名称不能为空。", field="name")
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        s = uow.session
        street = s.scalar(select(Street).order_by(Street.id).limit(1))
        if street is None:
            raise ValidationError("请先在“设置”中填写街道名称。")
        if data.id is None and scope_communities(s) is not None:
            check_grid_community(s, -1, "新建社区")  # the street's structure: a street-wide account's
        clash = s.scalar(select(Community).where(Community.name == name, Community.id != (data.id or 0)))
        if clash is not None:
            raise ConflictError(f"已有名为“{name}”的社区。", detail="name")
        before = None
        if data.id is None:
            c = Community(street_id=street.id, name=name)
            s.add(c)
        else:
            c = get_or_raise(s, Community, data.id, "社区")
            check_grid_community(s, c.id, f"社区“{c.name}”")
            check_version(c.version, data.version, f"社区“{c.name}”")
            before = snapshot(c)
        c.name, c.code, c.address, c.phone = name, _opt(data.code), _opt(data.address), _opt(data.phone)
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "community",
            c.id,
            summary=f"社区：{name}",
            before=before,
            after=snapshot(c),
        )
        return c.id
