"""Grid staff (网格长, 专职/兼职网格员): save and retire."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.schema.structure import Grid, GridRole, GridStaff
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.structure.common import GRID_ROLE_LABELS, StaffInput, _opt
from desktop.services.structure.grids import check_grid_community, require_grids

# ---------------------------------------------------------------- staff


def _validate_staff(data: StaffInput) -> StaffInput:
    name = clean_text(data.name)
    if not name:
        raise ValidationError("姓名不能为空。", field="name")
    try:
        role = GridRole(data.role)
    except ValueError:
        raise ValidationError(f"岗位“{data.role}”无效。", field="role") from None
    phone = normalize_phone(data.phone) if data.phone else None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"手机号码：{problem}。", field="phone")
    office = normalize_phone(data.office_phone) if data.office_phone else None
    if office and (problem := phone_problem(office)):
        raise ValidationError(f"办公电话：{problem}。", field="office_phone")
    helper_kind = _opt(data.helper_kind) if role == GridRole.HELPER else None
    if data.gender not in (None, "", "男", "女"):
        raise ValidationError("性别应为“男”或“女”。", field="gender")
    return StaffInput(
        data.grid_id,
        role,
        name,
        helper_kind,
        data.gender or None,
        phone or None,
        office or None,
        _opt(data.organisation),
        _opt(data.notes),
        data.id,
        data.version,
    )


def save_staff(ctx: ServiceContext, data: StaffInput) -> int:
    data = _validate_staff(data)
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        s = uow.session
        grid = get_or_raise(s, Grid, data.grid_id, "网格")
        check_grid_community(s, grid.community_id, f"网格“{grid.name}”")
        if grid.retired_on is not None:
            raise ValidationError(f"网格“{grid.name}”已撤销，不能再配备人员。")
        if data.role == GridRole.CHIEF:
            other = s.scalar(
                select(GridStaff).where(
                    GridStaff.grid_id == grid.id,
                    GridStaff.role == GridRole.CHIEF,
                    GridStaff.retired_on.is_(None),
                    GridStaff.id != (data.id or 0),
                )
            )
            if other is not None:
                raise ConflictError(
                    f"网格“{grid.name}”已有网格长{other.name}，请先将其调离或改任其他岗位。", detail="role"
                )
        before = None
        if data.id is None:
            m = GridStaff(grid_id=grid.id, role=data.role, name=data.name)
            m.sort_key = {GridRole.CHIEF: 0, GridRole.WORKER: 1, GridRole.HELPER: 2}[GridRole(data.role)]
            s.add(m)
        else:
            m = get_or_raise(s, GridStaff, data.id, "网格人员")
            home = get_or_raise(s, Grid, m.grid_id, "网格")
            check_grid_community(s, home.community_id, f"网格“{home.name}”")
            check_version(m.version, data.version, f"人员“{m.name}”")
            before = snapshot(m)
        m.grid_id, m.role, m.name, m.helper_kind, m.gender = (
            grid.id,
            data.role,
            data.name,
            data.helper_kind,
            data.gender,
        )
        m.phone, m.office_phone, m.organisation, m.notes = (
            data.phone,
            data.office_phone,
            data.organisation,
            data.notes,
        )
        m.sort_key = {GridRole.CHIEF: 0, GridRole.WORKER: 1, GridRole.HELPER: 2}[GridRole(data.role)]
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "grid_staff",
            m.id,
            summary=f"{GRID_ROLE_LABELS[GridRole(m.role)]} {m.name}（网格 {grid.code}）",
            before=before,
            after=snapshot(m),
        )
        return m.id


def retire_staff(
    ctx: ServiceContext, staff_id: int, reason: str, on: dt.date | None = None, version: int | None = None
) -> None:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("请填写调离原因。", field="reason")
    with ctx.write() as uow:
        require_grids(uow.session)  # the permission first, then the scope
        m = get_or_raise(uow.session, GridStaff, staff_id, "网格人员")
        home = get_or_raise(uow.session, Grid, m.grid_id, "网格")
        check_grid_community(uow.session, home.community_id, f"网格“{home.name}”")
        check_version(m.version, version, f"人员“{m.name}”")
        if m.retired_on is not None:
            raise ConflictError(f"{m.name}已于 {m.retired_on:%Y-%m-%d} 调离。")
        before = snapshot(m)
        m.retired_on, m.retired_reason = on or ctx.today(), reason
        uow.session.flush()
        uow.audit(
            "retire", "grid_staff", m.id, summary=f"调离 {m.name}：{reason}", before=before, after=snapshot(m)
        )
