"""工作台: the street's figures, the day's warnings and today's red and yellow grid events, computed from the
records.

The areas' services are imported here at module level, not inside the functions: ``street_figures`` runs on
a worker thread while the GUI thread may be importing the same modules, and a first import racing on two
threads can see a half-initialised module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, select

from db.schema.mediation import MediationCommittee
from db.schema.people import Household, ResidenceKind, Resident, ResidentStatus, ResidentTag
from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff, Street
from desktop.domain.accounts import EVENTS, JUDICIAL, MEDIATION_READ
from desktop.services import events
from desktop.services.access import allowed, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.events import TodaysAlerts
from desktop.services.judicial.warnings import dashboard_warnings as judicial_warnings
from desktop.services.mediation.deadlines import dashboard_warnings as mediation_warnings
from desktop.services.structure import get_street

#: the 亮灯 events the 工作台 lists, the most urgent first; the rest are counted (and a click away in 网格事件)
ALERTS_LISTED = 50


@dataclass(frozen=True)
class CommunityFigures:
    id: int
    name: str
    grids: int
    households: int
    residents: int
    staff: int


@dataclass(frozen=True)
class Warning:
    level: str  # "red" | "orange" | "yellow" | "info"
    area: str  # sidebar area the warning belongs to, e.g. "grids"
    text: str


@dataclass(frozen=True)
class SetupStep:
    """One step of the first-run path (开始使用), done or not as the records say."""

    key: str  # "street" | "communities" | "grids" | "residents" | "committee"
    title: str
    #: what to do, in a sentence
    hint: str
    done: bool
    #: where the step is done: "area/step" (see Page.start_step)
    target: str


@dataclass(frozen=True)
class StreetFigures:
    street_name: str
    today: dt.date
    communities: int
    grids: int
    grids_by_kind: dict[str, int]
    staff_by_role: dict[str, int]
    households: int
    residents: int
    registered: int
    floating: int
    special_group_residents: int
    per_community: list[CommunityFigures] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    #: 网格事件 red or yellow now: the first ALERTS_LISTED (red first, the soonest end first) and the counts
    alerts: TodaysAlerts = field(default_factory=lambda: TodaysAlerts([], 0, 0))
    #: the first-run path, in order (see :func:`setup_steps`)
    setup: list[SetupStep] = field(default_factory=list)

    @property
    def setup_done(self) -> bool:
        return all(step.done for step in self.setup)

    @property
    def next_step(self) -> SetupStep | None:
        return next((step for step in self.setup if not step.done), None)

    @property
    def staff(self) -> int:
        return sum(self.staff_by_role.values())


def street_figures(ctx: ServiceContext, today: dt.date | None = None) -> StreetFigures:
    """The figures of the street — or of the account's scope: a 社区书记 sees their community's counts, a
    网格员 their grids' (residents, households, staff and alerts), never the street's."""
    today = today or ctx.today()
    street = get_street(ctx)
    scope = resident_scope(ctx)
    with ctx.read() as s:
        active_grid: ColumnElement[bool] = Grid.retired_on.is_(None)
        active_res: ColumnElement[bool] = Resident.status == ResidentStatus.ACTIVE
        in_community: ColumnElement[bool] = Community.retired_on.is_(None)
        households_in: ColumnElement[bool] = Household.id.is_not(None)
        if scope is not None:
            active_grid = and_(active_grid, scope.grid_condition(Grid.id))
            active_res = and_(active_res, scope.condition(Resident.community_id, Resident.grid_id))
            households_in = scope.condition(Household.community_id, Household.grid_id)
            if scope.grid_ids is not None:
                in_community = and_(
                    in_community, Community.id.in_(select(Grid.community_id).where(active_grid))
                )
            else:
                in_community = and_(in_community, Community.id == scope.community_id)
        grids_by_kind = {k.value: 0 for k in GridKind}
        grids_by_kind.update(
            dict(s.execute(select(Grid.kind, func.count()).where(active_grid).group_by(Grid.kind)).all())
        )
        staff_rows = s.execute(
            select(GridStaff.grid_id, GridStaff.role, func.count())
            .join(Grid, Grid.id == GridStaff.grid_id)
            .where(GridStaff.retired_on.is_(None), active_grid)
            .group_by(GridStaff.grid_id, GridStaff.role)
        ).all()
        staff_by_role = {r.value: 0 for r in GridRole}
        roles_per_grid: dict[int, set[str]] = {}
        for grid_id, role, n in staff_rows:
            staff_by_role[role] = staff_by_role.get(role, 0) + n
            roles_per_grid.setdefault(grid_id, set()).add(role)
        by_kind = dict(
            s.execute(
                select(Resident.residence_kind, func.count())
                .where(active_res)
                .group_by(Resident.residence_kind)
            ).all()
        )
        # from the tags' distinct residents to their rows (the tagged are few), not every resident to its tags
        tagged_ids = select(ResidentTag.resident_id).distinct().subquery()
        tagged = s.scalar(
            select(func.count())
            .select_from(tagged_ids)
            .join(Resident, Resident.id == tagged_ids.c.resident_id)
            .where(active_res)
        )
        res_per_comm = dict(
            s.execute(
                select(Resident.community_id, func.count()).where(active_res).group_by(Resident.community_id)
            ).all()
        )
        hh_per_comm = dict(
            s.execute(
                select(Household.community_id, func.count())
                .where(households_in)
                .group_by(Household.community_id)
            ).all()
        )
        grids_per_comm = dict(
            s.execute(
                select(Grid.community_id, func.count()).where(active_grid).group_by(Grid.community_id)
            ).all()
        )
        staff_per_comm = dict(
            s.execute(
                select(Grid.community_id, func.count())
                .join(GridStaff, GridStaff.grid_id == Grid.id)
                .where(GridStaff.retired_on.is_(None), active_grid)
                .group_by(Grid.community_id)
            ).all()
        )
        communities = list(
            s.execute(
                select(Community.id, Community.name)
                .where(in_community)
                .order_by(Community.code, Community.id)
            )
        )
        grids = list(s.execute(select(Grid.id, Grid.code, Grid.name).where(active_grid).order_by(Grid.code)))

    per_community = [
        CommunityFigures(
            cid,
            name,
            grids_per_comm.get(cid, 0),
            hh_per_comm.get(cid, 0),
            res_per_comm.get(cid, 0),
            staff_per_comm.get(cid, 0),
        )
        for cid, name in communities
    ]
    warnings: list[Warning] = []
    no_chief = [
        f"{code} {name}" for gid, code, name in grids if GridRole.CHIEF not in roles_per_grid.get(gid, set())
    ]
    no_worker = [
        f"{code} {name}" for gid, code, name in grids if GridRole.WORKER not in roles_per_grid.get(gid, set())
    ]
    if no_chief:
        warnings.append(Warning("orange", "grids", f"{len(no_chief)} 个网格没有网格长：{_some(no_chief)}"))
    if no_worker:
        warnings.append(
            Warning("orange", "grids", f"{len(no_worker)} 个网格没有专职网格员：{_some(no_worker)}")
        )
    empty = [c.name for c in per_community if c.grids == 0]
    if empty:
        warnings.append(Warning("yellow", "grids", f"{len(empty)} 个社区还没有划分网格：{_some(empty)}"))
    # each area's warnings only for a role that works in it (issue 13)
    if allowed(ctx, MEDIATION_READ):
        warnings += _mediation_warnings(ctx, today)
    if allowed(ctx, JUDICIAL):
        warnings += _judicial_warnings(ctx, today)
    return StreetFigures(
        street_name=street.name if street else "",
        today=today,
        communities=len(communities),
        grids=sum(grids_by_kind.values()),
        grids_by_kind=grids_by_kind,
        staff_by_role=staff_by_role,
        households=sum(hh_per_comm.values()),
        residents=sum(by_kind.values()),
        registered=by_kind.get(ResidenceKind.REGISTERED, 0),
        floating=by_kind.get(ResidenceKind.FLOATING, 0),
        special_group_residents=int(tagged or 0),
        per_community=per_community,
        warnings=warnings,
        alerts=events.todays_alerts(ctx, listed=ALERTS_LISTED)
        if allowed(ctx, EVENTS)
        else TodaysAlerts([], 0, 0),
        setup=setup_steps(ctx),
    )


def setup_steps(ctx: ServiceContext) -> list[SetupStep]:
    """The first-run path of a new database, each step done when its records exist: the street named, a
    community, a grid, a resident, a 人民调解委员会 (the order the data depend on one another)."""
    with ctx.read() as s:
        named = bool(s.scalar(select(func.count()).where(func.length(func.trim(Street.name)) > 0)))
        communities = s.scalar(
            select(func.count()).select_from(Community).where(Community.retired_on.is_(None))
        )
        grids = s.scalar(select(func.count()).select_from(Grid).where(Grid.retired_on.is_(None)))
        residents = s.scalar(select(func.count()).select_from(Resident))
        committees = s.scalar(
            select(func.count())
            .select_from(MediationCommittee)
            .where(MediationCommittee.retired_on.is_(None))
        )
    return [
        SetupStep("street", "街道名称", "在“设置”中填写街道名称并保存。", named, "settings/street"),
        SetupStep(
            "communities", "社区", "在“设置”中新增本街道的社区。", bool(communities), "settings/community"
        ),
        SetupStep(
            "grids",
            "网格",
            "在“网格”中新增网格，或从“文件 → 导入网格”导入网格表。",
            bool(grids),
            "grids/new",
        ),
        SetupStep(
            "residents",
            "导入居民",
            "在“居民”中导入居民名单（Excel 或 CSV）。",
            bool(residents),
            "residents/import",
        ),
        SetupStep(
            "committee",
            "调解委员会",
            "在“人民调解 → 设置 → 调委会设置”中填写人民调解委员会和调解员。",
            bool(committees),
            "mediation/committee",
        ),
    ]


def _mediation_warnings(ctx: ServiceContext, today: dt.date) -> list[Warning]:
    """人民调解: mediation past its time limit, follow-ups due, performance dates passed."""
    with ctx.read() as s:
        return [Warning(level, "mediation", text) for level, text in mediation_warnings(s, today)]


def _judicial_warnings(ctx: ServiceContext, today: dt.date) -> list[Warning]:
    """司法确认: application deadlines near or passed, court late, rejections, referral deadlines."""
    return [Warning(w.level, "court", w.text) for w in judicial_warnings(ctx, today)]


def _some(items: list[str], n: int = 3) -> str:
    return "、".join(items[:n]) + (f" 等 {len(items)} 个" if len(items) > n else "")
