"""二、人口与特殊人群: the register as at the month's end, the month's moves and deaths (resident_event).

A resident counts at the month's end if his or her status then was 在册: the status before the first
status change dated after the month's end (``resident_event``), or the present status when nothing
changed since. The care tier is taken the same way from the tier changes. Special-group tags have no
history: they are counted as they stand now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from db.schema.people import (
    ResidenceKind,
    Resident,
    ResidentEvent,
    ResidentEventKind,
    ResidentStatus,
    ResidentTag,
)
from desktop.domain.reports import PERCENT, Indicator, ReportSection, ReportTable
from desktop.services.reports.periods import Period, Scope, ratio

MOVES = (
    (ResidentStatus.MOVED, "迁出", "population.moved_out"),
    (ResidentStatus.LEFT, "离开（流动人口）", "population.left"),
    (ResidentStatus.DECEASED, "死亡", "population.deceased"),
    (ResidentStatus.ACTIVE, "恢复在册", "population.restored"),
)
AT_END = "在月末状态为“在册”的居民（以月末后第一次状态变动前的状态为准，月末后才迁出、离开或死亡的仍计入）"


def _first_change_after(kind: str, end: dt.date) -> Any:
    """resident_id → the value before the first change of ``kind`` dated after ``end``."""
    ranked = (
        select(
            ResidentEvent.resident_id.label("resident_id"),
            ResidentEvent.from_value.label("from_value"),
            func.row_number()
            .over(partition_by=ResidentEvent.resident_id, order_by=(ResidentEvent.on_date, ResidentEvent.id))
            .label("rn"),
        )
        .where(ResidentEvent.kind == kind, ResidentEvent.on_date > end)
        .subquery()
    )
    return select(ranked.c.resident_id, ranked.c.from_value).where(ranked.c.rn == 1).subquery()


def residents_at(end: dt.date, scope: Scope) -> Any:
    """A subquery of the residents 在册 at ``end``: id, kind, household, grid and care tier then."""
    status_ev = _first_change_after(ResidentEventKind.STATUS, end)
    tier_ev = _first_change_after(ResidentEventKind.CARE_TIER, end)
    status_then = func.coalesce(
        status_ev.c.from_value,
        case(
            (
                and_(
                    Resident.status != ResidentStatus.ACTIVE,
                    Resident.status_changed_on.is_not(None),
                    Resident.status_changed_on > end,
                ),
                ResidentStatus.ACTIVE.value,
            ),
            else_=Resident.status,
        ),
    )
    q = (
        select(
            Resident.id.label("id"),
            Resident.residence_kind.label("kind"),
            Resident.household_id.label("household_id"),
            Resident.grid_id.label("grid_id"),
            func.coalesce(tier_ev.c.from_value, Resident.care_tier).label("tier"),
        )
        .outerjoin(status_ev, status_ev.c.resident_id == Resident.id)
        .outerjoin(tier_ev, tier_ev.c.resident_id == Resident.id)
        .where(status_then == ResidentStatus.ACTIVE.value)
    )
    return scope.where(q, Resident.community_id).subquery()


def population_section(
    s: Session, scope: Scope, p: Period, groups: list[str], tiers: list[tuple[str, str]]
) -> tuple[ReportSection, dict[str, Any]]:
    """``groups``: the special-group labels in dictionary order; ``tiers``: (code, label) of the care tiers."""
    r = residents_at(p.end, scope)
    total = registered = floating = linked = in_grid = 0
    by_tier: dict[str, int] = {}
    for kind, tier, has_household, has_grid, n in s.execute(
        select(
            r.c.kind,
            r.c.tier,
            r.c.household_id.is_not(None),
            r.c.grid_id.is_not(None),
            func.count(),
        ).group_by(r.c.kind, r.c.tier, r.c.household_id.is_not(None), r.c.grid_id.is_not(None))
    ):
        total += n
        if kind == ResidenceKind.FLOATING:
            floating += n
        else:
            registered += n
        linked += n if has_household else 0
        in_grid += n if has_grid else 0
        by_tier[tier] = by_tier.get(tier, 0) + n
    households = int(s.scalar(select(func.count(func.distinct(r.c.household_id)))) or 0)
    tagged = dict(
        s.execute(
            select(ResidentTag.tag, func.count(func.distinct(ResidentTag.resident_id)))
            .join(r, r.c.id == ResidentTag.resident_id)
            .group_by(ResidentTag.tag)
        ).all()
    )
    tagged_people = int(
        s.scalar(
            select(func.count(func.distinct(ResidentTag.resident_id))).join(
                r, r.c.id == ResidentTag.resident_id
            )
        )
        or 0
    )
    register = ReportTable(
        "population.register",
        "实有人口（月末）",
        (
            Indicator("population.total", "实有人口", total, "人", f"实有人口 = {AT_END}人数"),
            Indicator(
                "population.registered",
                "其中：户籍人口",
                registered,
                "人",
                "户籍人口 = 月末在册且人口类别为户籍的居民数",
                level=1,
            ),
            Indicator(
                "population.floating",
                "其中：流动人口",
                floating,
                "人",
                "流动人口 = 月末在册且人口类别为流动的居民数",
                level=1,
            ),
            Indicator(
                "population.floating_share",
                "流动人口占比",
                ratio(floating, total),
                PERCENT,
                "流动人口占比 = 流动人口 ÷ 实有人口 × 100%",
                note="无居民",
            ),
            Indicator(
                "population.households", "实有户数", households, "户", "实有户数 = 有月末在册居民的户数"
            ),
            Indicator(
                "population.linked_rate",
                "人房关联率",
                ratio(linked, total),
                PERCENT,
                "人房关联率 = 已关联到户（标准地址）的月末在册居民数 ÷ 实有人口 × 100%",
                note="无居民",
            ),
            Indicator(
                "population.in_grid_rate",
                "人员入格率",
                ratio(in_grid, total),
                PERCENT,
                "人员入格率 = 已划入网格的月末在册居民数 ÷ 实有人口 × 100%",
                note="无居民",
            ),
        ),
    )
    opening = int(
        s.scalar(select(func.count()).select_from(residents_at(p.start - dt.timedelta(days=1), scope))) or 0
    )
    moves, balance = _moves(s, scope, p, opening, total)
    special = ReportTable(
        "population.special",
        "特殊人群（月末在册）",
        (
            Indicator(
                "population.special.total",
                "特殊人群（按人去重）",
                tagged_people,
                "人",
                "特殊人群人数 = 带有任一特殊人群标签的月末在册居民数（一人多标签只计一次）",
            ),
            *(
                Indicator(
                    f"population.special.{g}",
                    g,
                    int(tagged.get(g, 0)),
                    "人",
                    "各类特殊人群人数 = 带有该类特殊人群标签的月末在册居民数（标签按当前登记）",
                    level=1,
                )
                for g in groups
            ),
        ),
    )
    tier_table = ReportTable(
        "population.tiers",
        "分色管理（月末）",
        tuple(
            Indicator(
                f"population.tier.{code}",
                f"{label}等级",
                by_tier.get(code, 0),
                "人",
                "各分色等级人数 = 月末分色等级为该等级的在册居民数（以月末后第一次等级调整前的等级为准）；"
                "占比 = 该等级人数 ÷ 实有人口 × 100%",
                share=ratio(by_tier.get(code, 0), total),
            )
            for code, label in tiers
        ),
        columns=(("value", "人数"), ("unit", "单位"), ("share", "占比")),
    )
    figures = {
        "residents": total,
        "floating": floating,
        "households": households,
        "special": tagged_people,
        "balance": balance,
    }
    return ReportSection("population", "人口与特殊人群", (register, moves, special, tier_table)), figures


@dataclass(frozen=True)
class StockFlow:
    """期初 − 迁出 − 离开 − 死亡 + 恢复在册 = 期末: the register at two month ends and the moves between them.

    ``gap`` is the difference the change records do not explain (期末 − 按变动推算的期末): 0 when every status
    change was recorded with its change record, as the register's 状态变更 does.
    """

    opening: int
    moved_out: int
    left: int
    deceased: int
    restored: int
    closing: int

    @property
    def expected(self) -> int:
        return self.opening - self.moved_out - self.left - self.deceased + self.restored

    @property
    def gap(self) -> int:
        return self.closing - self.expected

    def note(self) -> str:
        text = (
            f"核对：上月末实有人口 {self.opening:,} − 本月迁出 {self.moved_out:,} − 离开 {self.left:,} − 死亡 "
            f"{self.deceased:,} + 恢复在册 {self.restored:,} = {self.expected:,} 人"
        )
        if not self.gap:
            return text + "，与月末实有人口一致。"
        return (
            text + f"，月末实有人口为 {self.closing:,} 人，相差 {self.gap:+,} 人：有居民的在册状态变更没有"
            "变动记录（未经“状态变更”登记），月末人数与本月变动不能互相印证，请核查。"
        )


def _moves(s: Session, scope: Scope, p: Period, opening: int, closing: int) -> tuple[ReportTable, StockFlow]:
    q = (
        select(ResidentEvent.kind, ResidentEvent.to_value, func.count())
        .join(Resident, Resident.id == ResidentEvent.resident_id)
        .where(ResidentEvent.on_date.between(p.start, p.end))
        .group_by(ResidentEvent.kind, ResidentEvent.to_value)
    )
    q = scope.where(q, Resident.community_id)
    counts: dict[tuple[str, str], int] = {(k, v): n for k, v, n in s.execute(q)}

    def moved(status: ResidentStatus) -> int:
        return counts.get((ResidentEventKind.STATUS.value, status.value), 0)

    balance = StockFlow(
        opening,
        moved(ResidentStatus.MOVED),
        moved(ResidentStatus.LEFT),
        moved(ResidentStatus.DECEASED),
        moved(ResidentStatus.ACTIVE),
        closing,
    )
    rows = [
        Indicator(
            "population.opening",
            "上月末实有人口",
            opening,
            "人",
            "上月末实有人口 = 在上月末状态为“在册”的居民人数（口径同实有人口）",
        ),
        *(
            Indicator(
                key,
                f"本月{label}",
                moved(status),
                "人",
                "本月迁出、离开、死亡、恢复在册 = 居民状态变动记录中变更为相应状态、变动日期在本月的人次",
            )
            for status, label, key in MOVES
        ),
    ]
    if balance.gap:
        rows.append(
            Indicator(
                "population.unrecorded",
                "无变动记录的人数差",
                balance.gap,
                "人",
                "无变动记录的人数差 = 月末实有人口 −（上月末实有人口 − 本月迁出 − 离开 − 死亡 + 恢复在册）",
            )
        )
    tier_changes = sum(n for (k, _v), n in counts.items() if k == ResidentEventKind.CARE_TIER)
    rows.append(
        Indicator(
            "population.tier_changes",
            "本月分色等级调整",
            tier_changes,
            "人次",
            "本月分色等级调整 = 调整日期在本月的分色等级变动记录数",
        )
    )
    note = balance.note() + "居民登记没有迁入日期，新登记的居民按一直在册计入以前各月。"
    return ReportTable("population.moves", "人口变动（本月）", tuple(rows), note=note), balance
