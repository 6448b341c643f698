"""月报 and 人民调解统计表: assembled from the sections, all in one read transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from desktop.domain.accounts import REPORTS
from desktop.domain.reports import MediationStatistics, MonthlyReport, fmt_change, fmt_number, fmt_share
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.reports.grid_bulletin import bulletin_figures
from desktop.services.reports.judicial import judicial_section
from desktop.services.reports.mediation import (
    CHANGE_NOTE,
    STATISTICS_NOTES,
    mediation_section,
    statistics_rows,
)
from desktop.services.reports.narrative import narrative_in
from desktop.services.reports.party import party_section
from desktop.services.reports.periods import parse_month, parse_period, resolve_scope
from desktop.services.reports.population import population_section
from desktop.services.reports.street_level import with_street_level
from desktop.services.reports.structure import events_section, grid_section
from desktop.services.residents.config import care_tiers, special_groups

GENERAL_NOTES = (
    "数据来源：本报表全部数据由系统根据居民、网格、党建、人民调解、司法确认等业务记录自动计算，未经人工填报；"
    "已作废（注销）的记录不计。",
    "时点指标（实有人口、党员、党组织、网格等）按月末状态统计；期间指标（受理、调解成功、缴费、人口变动等）"
    "按各事件的发生日期计入本月。",
    CHANGE_NOTE,
)


def monthly_report(
    ctx: ServiceContext, month: str, community: str | None = None, today: dt.date | None = None
) -> MonthlyReport:
    """The monthly report of ``month`` ("YYYY-MM") for one community (its name) or the whole street (None).

    Raises ValidationError for a malformed or future month, NotFoundError for an unknown community.
    """
    require(ctx, REPORTS)
    today = today or ctx.today()
    period = parse_month(month, today)
    groups = special_groups(ctx)
    tiers = [(t.code, t.label) for t in care_tiers(ctx)]
    events = bulletin_figures(ctx, period.code, community, today, with_ranking=False).total.figures
    with ctx.read() as s:
        scope = resolve_scope(s, community)
        party, party_fig = party_section(s, scope, period)
        population, pop_fig = population_section(s, scope, period, groups, tiers)
        mediation, med_fig = mediation_section(s, scope, period)
        judicial, jud_fig = judicial_section(s, scope, period, today)
        grids, grid_fig = grid_section(s, scope, period, pop_fig["residents"])
        narrative = narrative_in(s, period, scope)
        sections = with_street_level(
            s, scope, period, today, groups, tiers, (party, population, mediation, judicial, grids)
        )
    report = MonthlyReport(
        month=period.code,
        start=period.start,
        end=period.end,
        as_of=period.as_of(today),
        issued_on=today,
        street=scope.street,
        community=scope.community,
        sections=(*sections, events_section(events)),
        trend=med_fig["trend"],
        by_type=med_fig["by_type"],
        notes=GENERAL_NOTES,
        narrative=narrative,
    )
    summary = _summary(report, party_fig, pop_fig, med_fig, jud_fig, grid_fig)
    return dataclasses.replace(report, summary=summary)


def _summary(
    report: MonthlyReport,
    party: dict[str, Any],
    pop: dict[str, Any],
    med: dict[str, Any],
    jud: dict[str, Any],
    grids: dict[str, Any],
) -> tuple[str, ...]:
    """The overview paragraphs, written from the figures (never typed)."""
    who = "全街道" if report.community is None else "本社区"
    r = report.indicator
    lines = [
        f"截至{report.as_of.month}月{report.as_of.day}日，{who}共有网格{grids['grids']}个，"
        f"“1+1+N”网格力量配齐率{fmt_share(grids['complete_rate'])}；实有人口{pop['residents']:,}人、"
        f"{pop['households']:,}户，其中流动人口{pop['floating']:,}人，登记特殊人群{pop['special']:,}人。",
        f"党建方面，{who}有党组织{party['orgs']:,}个、党员{party['members']:,}名（其中预备党员{party['probationary']:,}名）"
        + ("" if party["meeting_rate"] is None else f"，三会一课按期开展率{fmt_share(party['meeting_rate'])}")
        + ("" if party["dues_rate"] is None else f"，本月党费收缴率{fmt_share(party['dues_rate'])}")
        + "。",
    ]
    received = r("mediation.received")
    settled = r("mediation.settled")
    rate = r("mediation.success_rate")
    text = (
        f"人民调解方面，本月受理矛盾纠纷{received.value:,}件，环比{_trend(received.mom)}，同比{_trend(received.yoy)}；"
        f"调结{r('mediation.concluded').value:,}件，其中调解成功{settled.value:,}件，"
        + ("" if rate.value is None else f"调解成功率{fmt_number(rate.value, rate.unit)}；")
        + f"协议涉及金额{fmt_number(r('mediation.amount').value, '元')}元。"
    )
    top = sorted(((n, label) for label, n in med["by_type"] if n), reverse=True)[:3]
    if top:
        text += "受理的纠纷以" + "、".join(f"{label}（{n}件）" for n, label in top) + "为主。"
    lines.append(text)
    lines.append(
        f"司法确认方面，本月申请司法确认{jud['filed']}件，法院裁定调解协议有效{jud['valid']}件、驳回{jud['rejected']}件。"
    )
    return tuple(lines)


def _trend(change: float | None) -> str:
    if change is None:
        return "无可比数据"
    if abs(change) < 0.0005:
        return "持平"
    return ("上升" if change > 0 else "下降") + fmt_change(abs(change)).lstrip("+")


def mediation_statistics(
    ctx: ServiceContext, period: str, community: str | None = None, today: dt.date | None = None
) -> MediationStatistics:
    """人民调解统计表 for "2026-10", "2026Q3" or "2026": every dispute type and every source, with 合计."""
    require(ctx, REPORTS)
    today = today or ctx.today()
    p = parse_period(period, today)
    with ctx.read() as s:
        scope = resolve_scope(s, community)
        by_type, by_source = statistics_rows(s, scope, p)
    return MediationStatistics(
        period=p.code,
        label=p.label,
        start=p.start,
        end=p.end,
        as_of=p.as_of(today),
        street=scope.street,
        community=scope.community,
        by_type=tuple(by_type),
        by_source=tuple(by_source),
        notes=STATISTICS_NOTES,
    )
