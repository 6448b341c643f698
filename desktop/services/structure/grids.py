"""The street's structure: street, communities, grids and grid staff (1+1+N)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentStatus
from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff, Street
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.text import clean_text, normalize_code
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext

GRID_KIND_LABELS = {GridKind.BASIC: "基础网格", GridKind.DEDICATED: "专属网格", GridKind.MICRO: "微网格"}
GRID_ROLE_LABELS = {GridRole.CHIEF: "网格长", GridRole.WORKER: "专职网格员", GridRole.HELPER: "兼职网格员"}
HELPER_KINDS = ("党员", "楼栋长", "志愿者", "民警", "物业人员", "驻区单位人员", "其他")


def grid_kind_from_label(text: str) -> GridKind | None:
    t = clean_text(text)
    for kind, label in GRID_KIND_LABELS.items():
        if t in (label, label.removesuffix("网格"), kind.value):
            return kind
    return None


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class StreetInfo:
    id: int
    name: str
    district: str | None
    city: str | None
    address: str | None
    phone: str | None
    version: int


@dataclass(frozen=True)
class CommunityRow:
    id: int
    name: str
    code: str | None
    address: str | None
    phone: str | None
    grid_count: int
    retired_on: dt.date | None
    version: int


@dataclass(frozen=True)
class StaffRow:
    id: int
    grid_id: int
    role: str
    role_label: str
    helper_kind: str | None
    name: str
    gender: str | None
    phone: str | None
    office_phone: str | None
    organisation: str | None
    notes: str | None
    retired_on: dt.date | None
    retired_reason: str | None
    version: int


@dataclass(frozen=True)
class GridRow:
    id: int
    community_id: int
    community_name: str
    code: str
    name: str
    kind: str
    kind_label: str
    boundary: str | None
    households: int | None
    population: int | None
    chiefs: str  # names joined with 、
    workers: str
    helper_count: int
    registered_residents: int  # live count from the resident register
    retired_on: dt.date | None
    version: int


@dataclass(frozen=True)
class GridDetail:
    grid: GridRow
    notes: str | None
    retired_reason: str | None
    staff: list[StaffRow] = field(default_factory=list)


@dataclass
class GridInput:
    community_id: int
    code: str
    name: str
    kind: str = GridKind.BASIC
    boundary: str | None = None
    households: int | None = None
    population: int | None = None
    notes: str | None = None
    id: int | None = None  # None = new grid
    version: int | None = None  # the version the editor loaded


@dataclass
class StaffInput:
    grid_id: int
    role: str
    name: str
    helper_kind: str | None = None
    gender: str | None = None
    phone: str | None = None
    office_phone: str | None = None
    organisation: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class CommunityInput:
    name: str
    code: str | None = None
    address: str | None = None
    phone: str | None = None
    id: int | None = None
    version: int | None = None


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
        st = uow.session.scalar(select(Street).order_by(Street.id).limit(1))
        before = None
        if st is None:
            st = Street(name=name)
            uow.session.add(st)
        else:
            _check_version(st.version, version, f"街道“{st.name}”")
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
        s = uow.session
        street = s.scalar(select(Street).order_by(Street.id).limit(1))
        if street is None:
            raise ValidationError("请先在“设置”中填写街道名称。")
        clash = s.scalar(select(Community).where(Community.name == name, Community.id != (data.id or 0)))
        if clash is not None:
            raise ConflictError(f"已有名为“{name}”的社区。", detail="name")
        before = None
        if data.id is None:
            c = Community(street_id=street.id, name=name)
            s.add(c)
        else:
            c = _get(s, Community, data.id, "社区")
            _check_version(c.version, data.version, f"社区“{c.name}”")
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


# ---------------------------------------------------------------- grids


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
        g = _get(s, Grid, grid_id, "网格")
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
    for label, value in (("户数", data.households), ("人数", data.population)):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(
                f"{label}应为不小于 0 的整数。", field="households" if label == "户数" else "population"
            )
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
        s = uow.session
        community = _get(s, Community, data.community_id, "社区")
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
            g = _get(s, Grid, data.id, "网格")
            _check_version(g.version, data.version, f"网格“{g.name}”")
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
        g = _get(uow.session, Grid, grid_id, "网格")
        _check_version(g.version, version, f"网格“{g.name}”")
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
        g = _get(uow.session, Grid, grid_id, "网格")
        if g.retired_on is None:
            return
        before = snapshot(g)
        g.retired_on, g.retired_reason = None, None
        uow.session.flush()
        uow.audit(
            "restore", "grid", g.id, summary=f"恢复网格 {g.code} {g.name}", before=before, after=snapshot(g)
        )


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
        s = uow.session
        grid = _get(s, Grid, data.grid_id, "网格")
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
            m = _get(s, GridStaff, data.id, "网格人员")
            _check_version(m.version, data.version, f"人员“{m.name}”")
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
        m = _get(uow.session, GridStaff, staff_id, "网格人员")
        _check_version(m.version, version, f"人员“{m.name}”")
        if m.retired_on is not None:
            raise ConflictError(f"{m.name}已于 {m.retired_on:%Y-%m-%d} 调离。")
        before = snapshot(m)
        m.retired_on, m.retired_reason = on or ctx.today(), reason
        uow.session.flush()
        uow.audit(
            "retire", "grid_staff", m.id, summary=f"调离 {m.name}：{reason}", before=before, after=snapshot(m)
        )


# ---------------------------------------------------------------- helpers


def _opt(value: object) -> str | None:
    text = clean_text(value)
    return text or None


def _get(s: Session, model: type, ident: int, label: str):  # type: ignore[no-untyped-def]
    obj = s.get(model, ident)
    if obj is None:
        raise NotFoundError(f"{label}（编号 {ident}）不存在，可能已被其他用户撤销。")
    return obj


def _check_version(current: int, loaded: int | None, what: str) -> None:
    if loaded is not None and loaded != current:
        raise ConflictError(f"{what}已被其他用户修改，请重新打开后再编辑。您的修改尚未保存。")
