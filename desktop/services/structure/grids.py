"""Grids (基础, 专属, 微网格): list, detail, save, retire and restore."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentStatus
from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff
from desktop.core.errors import ConflictError, PermissionDenied, ValidationError
from desktop.domain.accounts import GRIDS, permission_label
from desktop.domain.text import clean_text, normalize_code
from desktop.services.access import outside_scope, session_scope
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.structure.common import (
    GRID_KIND_LABELS,
    GRID_ROLE_LABELS,
    GridDetail,
    GridInput,
    GridRow,
    StaffRow,
    _opt,
)

# ---------------------------------------------------------------- grids


def scope_communities(s: Session) -> frozenset[int] | None:
    """The communities whose grids the session's account sees: its community, or the communities of its
    grids (a 网格员 knows the neighbouring grids and their staff, whom they work with); None for every
    community. The grid structure is shown by community: a community's account does not browse the street's."""
    found = session_scope(s)
    if found is None:
        return None
    scope = found[1]
    if scope.grid_ids is not None:
        ids = scope.grid_ids or (-1,)
        return frozenset(s.scalars(select(Grid.community_id).where(Grid.id.in_(ids)).distinct()))
    return frozenset({scope.community_id if scope.community_id is not None else -1})


def require_grids(s: Session) -> None:
    """Refuse a change of the structure to a signed-in account without 网格与社区结构 — first, so the refusal
    names the missing permission rather than the scope (the audit checks it again when the change is recorded;
    checked on the write's own session: no extra transaction)."""
    account = s.info.get("account")
    if account is not None and not account.can(GRIDS):
        raise PermissionDenied(
            f"没有权限：{permission_label(GRIDS)}（账号 {account.login}，角色 {account.role}）"
        )


def check_grid_community(s: Session, community_id: int, what: str) -> None:
    """Refuse reading or changing a grid of a community outside the session's account's scope."""
    allowed = scope_communities(s)
    if allowed is not None and community_id not in allowed:
        found = session_scope(s)
        raise outside_scope(found[0] if found else "", what)


def _staff_row(m: GridStaff) -> StaffRow:
    return StaffRow(
        m.id,
        m.grid_id,
        m.role,
        GRID_ROLE_LABELS.get(GridRole(m.role), m.role),
        m.helper_kind,
        m.name,
        m.gender,
        m.phone,
        m.office_phone,
        m.organisation,
        m.notes,
        m.retired_on,
        m.retired_reason,
        m.version,
    )


def _grid_rows(s: Session, grids: list[Grid]) -> list[GridRow]:
    ids = [g.id for g in grids]
    if not ids:
        return []
    staff: dict[int, list[GridStaff]] = {}
    for m in s.scalars(
        select(GridStaff)
        .where(GridStaff.grid_id.in_(ids), GridStaff.retired_on.is_(None))
        .order_by(GridStaff.sort_key, GridStaff.id)
    ):
        staff.setdefault(m.grid_id, []).append(m)
    residents = dict(
        s.execute(
            select(Resident.grid_id, func.count())
            .where(Resident.grid_id.in_(ids), Resident.status == ResidentStatus.ACTIVE)
            .group_by(Resident.grid_id)
        ).all()
    )
    names = dict(s.execute(select(Community.id, Community.name)).all())
    rows = []
    for g in grids:
        members = staff.get(g.id, [])
        rows.append(
            GridRow(
                id=g.id,
                community_id=g.community_id,
                community_name=names.get(g.community_id, ""),
                code=g.code,
                name=g.name,
                kind=g.kind,
                kind_label=GRID_KIND_LABELS.get(GridKind(g.kind), g.kind),
                boundary=g.boundary,
                households=g.households,
                population=g.population,
                chiefs="、".join(m.name for m in members if m.role == GridRole.CHIEF),
                workers="、".join(m.name for m in members if m.role == GridRole.WORKER),
                helper_count=sum(1 for m in members if m.role == GridRole.HELPER),
                registered_residents=residents.get(g.id, 0),
                retired_on=g.retired_on,
                version=g.version,
            )
        )
    return rows


def list_grids(
    ctx: ServiceContext,
    community_id: int | None = None,
    include_retired: bool = False,
    search: str | None = None,
) -> list[GridRow]:
    with ctx.read() as s:
        q = select(Grid).order_by(Grid.code)
        allowed = scope_communities(s)
        if allowed is not None:
            q = q.where(Grid.community_id.in_(allowed))
        if community_id is not None:
            q = q.where(Grid.community_id == community_id)
        if not include_retired:
            q = q.where(Grid.retired_on.is_(None))
        text = clean_text(search)
        if text:
            like = f"%{text}%"
            q = q.where(Grid.code.like(like) | Grid.name.like(like) | Grid.boundary.like(like))
        return _grid_rows(s, list(s.scalars(q)))


def get_grid(ctx: ServiceContext, grid_id: int, include_retired_staff: bool = False) -> GridDetail:
    with ctx.read() as s:
        g = get_or_raise(s, Grid, grid_id, "网格")
        check_grid_community(s, g.community_id, f"网格“{g.name}”")
        q = (
            select(GridStaff)
            .where(GridStaff.grid_id == grid_id)
            .order_by(GridStaff.retired_on.is_not(None), GridStaff.sort_key, GridStaff.id)
        )
        if not include_retired_staff:
            q = q.where(GridStaff.retired_on.is_(None))
        return GridDetail(
            _grid_rows(s, [g])[0], g.notes, g.retired_reason, [_staff_row(m) for m in s.scalars(q)]
        )


def _validate_grid(data: GridInput) -> GridInput:
    code, name = normalize_code(data.code), clean_text(data.name)
    if not code:
        raise ValidationError("网格编号不能为空。", field="code")
    if len(code) > 30:
        raise ValidationError("网格编号不能超过 30 个字符。", field="code")
    if not name:
        raise ValidationError("网格名称不能为空。", field="name")
    try:
        kind = GridKind(data.kind)
    except ValueError:
        raise ValidationError(
            f"网格类型“{data.kind}”无效，应为基础网格、专属网格或微网格。", field="kind"
        ) from None
    for key, label, value in (
        ("households", "户数", data.households),
        ("population", "人数", data.population),
    ):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(f"{label}应为不小于 0 的整数。", field=key)
    return GridInput(
        data.community_id,
        code,
        name,
        kind,
        _opt(data.boundary),
        data.households,
        data.population,
        _opt(data.notes),
        data.id,
        data.version,
    )


def save_grid(ctx: ServiceContext, data: GridInput) -> int:
    data = _validate_grid(data)
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        s = uow.session
        community = get_or_raise(s, Community, data.community_id, "社区")
        check_grid_community(s, community.id, f"社区“{community.name}”")
        if data.id is not None:
            current = get_or_raise(s, Grid, data.id, "网格")
            check_grid_community(s, current.community_id, f"网格“{current.name}”")
        if community.retired_on is not None:
            raise ValidationError(f"社区“{community.name}”已撤销，不能在其下保存网格。", field="community_id")
        clash = s.scalar(select(Grid).where(Grid.code == data.code, Grid.id != (data.id or 0)))
        if clash is not None:
            raise ConflictError(f"网格编号“{data.code}”已被网格“{clash.name}”使用。", detail="code")
        before = None
        if data.id is None:
            g = Grid(community_id=community.id, code=data.code, name=data.name)
            s.add(g)
        else:
            g = get_or_raise(s, Grid, data.id, "网格")
            check_version(g.version, data.version, f"网格“{g.name}”")
            before = snapshot(g)
        g.community_id, g.code, g.name, g.kind = community.id, data.code, data.name, data.kind
        g.boundary, g.households, g.population, g.notes = (
            data.boundary,
            data.households,
            data.population,
            data.notes,
        )
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "grid",
            g.id,
            summary=f"网格 {g.code} {g.name}",
            before=before,
            after=snapshot(g),
        )
        return g.id


def retire_grid(
    ctx: ServiceContext, grid_id: int, reason: str, on: dt.date | None = None, version: int | None = None
) -> None:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("请填写撤销网格的原因。", field="reason")
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        g = get_or_raise(uow.session, Grid, grid_id, "网格")
        check_grid_community(uow.session, g.community_id, f"网格“{g.name}”")
        check_version(g.version, version, f"网格“{g.name}”")
        if g.retired_on is not None:
            raise ConflictError(f"网格“{g.name}”已于 {g.retired_on:%Y-%m-%d} 撤销。")
        before = snapshot(g)
        g.retired_on, g.retired_reason = on or ctx.today(), reason
        uow.session.flush()
        uow.audit(
            "retire",
            "grid",
            g.id,
            summary=f"撤销网格 {g.code} {g.name}：{reason}",
            before=before,
            after=snapshot(g),
        )


def restore_grid(ctx: ServiceContext, grid_id: int) -> None:
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        g = get_or_raise(uow.session, Grid, grid_id, "网格")
        check_grid_community(uow.session, g.community_id, f"网格“{g.name}”")
        if g.retired_on is None:
            return
        before = snapshot(g)
        g.retired_on, g.retired_reason = None, None
        uow.session.flush()
        uow.audit(
            "restore", "grid", g.id, summary=f"恢复网格 {g.code} {g.name}", before=before, after=snapshot(g)
        )
