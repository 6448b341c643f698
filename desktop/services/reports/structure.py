"""五、网格建设 (grids and the 1+1+N staff, as at the month's end) and 六、网格事件与走访 (the 一月一通报's
figures, ``grid_bulletin.bulletin_figures``: one computation for both)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff
from desktop.domain.bulletin import Figures
from desktop.domain.reports import PERCENT, Indicator, ReportSection, ReportTable
from desktop.services.reports.periods import Period, Scope, ratio

GRID_KIND_LABELS = {GridKind.BASIC: "基础网格", GridKind.DEDICATED: "专属网格", GridKind.MICRO: "微网格"}
ROLE_LABELS = {GridRole.CHIEF: "网格长", GridRole.WORKER: "专职网格员", GridRole.HELPER: "兼职网格员（N）"}


def grid_section(s: Session, scope: Scope, p: Period, residents: int) -> tuple[ReportSection, dict[str, Any]]:
    end = p.end
    grid_exists = or_(Grid.retired_on.is_(None), Grid.retired_on > end)
    staff_exists = or_(GridStaff.retired_on.is_(None), GridStaff.retired_on > end)
    gq = select(Grid.kind, func.count()).where(grid_exists).group_by(Grid.kind)
    gq = scope.where(gq, Grid.community_id)
    by_kind = dict(s.execute(gq).all())
    grids = sum(by_kind.values())
    sq = (
        select(GridStaff.grid_id, GridStaff.role, func.count())
        .join(Grid, Grid.id == GridStaff.grid_id)
        .where(grid_exists, staff_exists)
        .group_by(GridStaff.grid_id, GridStaff.role)
    )
    sq = scope.where(sq, Grid.community_id)
    roles: dict[int, dict[str, int]] = {}
    by_role: dict[str, int] = {}
    for grid_id, role, n in s.execute(sq):
        roles.setdefault(grid_id, {})[role] = n
        by_role[role] = by_role.get(role, 0) + n
    complete = sum(1 for r in roles.values() if all(r.get(x, 0) for x in GridRole))
    with_chief = sum(1 for r in roles.values() if r.get(GridRole.CHIEF, 0))
    with_worker = sum(1 for r in roles.values() if r.get(GridRole.WORKER, 0))
    rows: list[Indicator] = []
    if scope.is_street:
        communities = int(
            s.scalar(
                select(func.count())
                .select_from(Community)
                .where(or_(Community.retired_on.is_(None), Community.retired_on > end))
            )
            or 0
        )
        rows.append(Indicator("grids.communities", "社区", communities, "个", "社区数 = 月末未撤销的社区数"))
    rows.append(Indicator("grids.total", "网格总数", grids, "个", "网格总数 = 月末未撤销的网格数"))
    rows += [
        Indicator(
            f"grids.kind.{k.value}",
            f"其中：{label}",
            int(by_kind.get(k.value, 0)),
            "个",
            "基础网格、专属网格、微网格数 = 网格类型为该类的月末未撤销网格数",
            level=1,
        )
        for k, label in GRID_KIND_LABELS.items()
    ]
    rows += [
        Indicator(
            f"grids.staff.{role.value}",
            label,
            by_role.get(role.value, 0),
            "人",
            "网格长、专职网格员、兼职网格员人数 = 月末在岗、所在网格未撤销的相应人员数",
        )
        for role, label in ROLE_LABELS.items()
    ]
    rows += [
        Indicator(
            "grids.complete",
            "“1+1+N”配齐的网格",
            complete,
            "个",
            "“1+1+N”配齐网格数 = 同时配有网格长、专职网格员和至少 1 名兼职网格员的网格数",
        ),
        Indicator(
            "grids.complete_rate",
            "“1+1+N”配齐率",
            ratio(complete, grids),
            PERCENT,
            "“1+1+N”配齐率 = 配齐网格数 ÷ 网格总数 × 100%",
            note="无网格",
        ),
        Indicator(
            "grids.no_chief",
            "未配网格长的网格",
            grids - with_chief,
            "个",
            "未配网格长网格数 = 网格总数 − 配有网格长的网格数",
        ),
        Indicator(
            "grids.no_worker",
            "未配专职网格员的网格",
            grids - with_worker,
            "个",
            "未配专职网格员网格数 = 网格总数 − 配有专职网格员的网格数",
        ),
        Indicator(
            "grids.avg_population",
            "平均每个网格实有人口",
            None if not grids else round(residents / grids, 1),
            "人",
            "平均每个网格实有人口 = 实有人口 ÷ 网格总数（保留一位小数）",
            note="无网格",
        ),
    ]
    section = ReportSection(
        "grids", "网格建设", (ReportTable("grids.structure", "网格和网格员队伍（月末）", tuple(rows)),)
    )
    return section, {"grids": grids, "complete_rate": ratio(complete, grids)}


def events_section(figures: Figures) -> ReportSection:
    """六、网格事件与走访 from the bulletin's total (the street's or the community's figures)."""
    f = figures
    rows = (
        Indicator("events.received", "受理网格事件", f.received, "件", "受理事件 = 本月上报的网格事件数"),
        Indicator("events.closed", "办结", f.closed, "件", "办结 = 本月结案的事件数"),
        Indicator(
            "events.closed_in_time", "其中：按期办结", f.closed_in_time, "件",
            "按期办结 = 本月结案且结案时间不晚于办理时限（含批准的延期）的事件数", level=1,
        ),
        Indicator(
            "events.in_time_rate", "按期办结率", f.closed_in_time_rate, PERCENT,
            "按期办结率 = 按期办结 ÷ 办结 × 100%", note="本月无办结事件",
        ),
        Indicator(
            "events.overdue_open", "月末超期未办结", f.overdue_open, "件",
            "超期未办结 = 月末 24:00 仍未结案且已超过办理时限的事件数",
        ),
        Indicator("events.whistles", "吹哨", f.whistles, "次", "吹哨 = 本月吹哨次数"),
        Indicator(
            "events.satisfaction_rate", "部门办理满意率", f.satisfaction_rate, PERCENT,
            "满意率 = （满意 + 基本满意）÷ 本月评价数 × 100%", note="本月无评价",
        ),
        Indicator("events.visits_due", "应走访", f.visits_due, "人次", "应走访 = 本月到期的走访周期数"),
        Indicator("events.visits_done", "已走访", f.visits_done, "人次", "已走访 = 其中有走访记录的周期数"),
        Indicator(
            "events.visit_rate", "走访完成率", f.visit_rate, PERCENT,
            "走访完成率 = 已走访 ÷ 应走访 × 100%", note="本月无应走访",
        ),
        Indicator(
            "events.special_visited", "走访特殊人群", f.special_visited, "人",
            "走访特殊人群 = 本月有走访记录的特殊人群居民人数",
        ),
    )  # fmt: skip
    return ReportSection(
        "events", "网格事件与走访", (ReportTable("events.main", "网格事件办理与走访（本月）", rows),)
    )
