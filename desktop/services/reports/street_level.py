"""The street-level rest: what the street report counts that belongs to no community, shown on its own.

Every additive figure of the street report (a count or an amount, not a rate or an average) equals the sum
of the same figure in the community reports plus what belongs to no community — the 党工委 and its own
members, a case of the street committee that names no community, a court referral not linked to a case
yet (街道直接接收) … Those are counted here with the same section code (scope ``unattached``) and printed
after each section's tables, with the reason, so the district office can add the communities up and
arrive at the street's figure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from desktop.domain.reports import PERCENT, Indicator, ReportSection, ReportTable
from desktop.services.reports.judicial import judicial_section
from desktop.services.reports.mediation import mediation_section
from desktop.services.reports.party import party_section
from desktop.services.reports.periods import Period, Scope
from desktop.services.reports.population import population_section
from desktop.services.reports.structure import grid_section

#: counts and amounts that do not add up over the communities
NOT_ADDITIVE = frozenset({"grids.communities", "grids.avg_population"})
TITLE = "未归属社区的部分（只计入全街道）"
NOTE = "全街道数 = 各社区月报之和 + 本表所列数；本表未列的指标，全街道数即各社区之和。"
REASONS = {
    "party": "所在党组织不属于任何社区（如街道党工委及其直属党员），或报到记录、党员住址和所在党组织都不能确定社区的"
    "在职党员报到，只计入全街道",
    "population": "居民未登记所属社区的，只计入全街道",
    "mediation": "调委会不属于社区（如街道人民调解委员会）、案件又未注明纠纷发生社区的，只计入全街道",
    "judicial": "街道直接接收：法院委派后尚未关联调解案件（或关联的案件不属于任何社区）的委派，以及不属于任何社区的"
    "案件的司法确认，只计入全街道",
    "grids": "网格未归属社区的，只计入全街道",
}
SPECIAL_LABELS = {"referral.received": "接收委派（街道直接接收）"}


def additive(row: Indicator) -> bool:
    return row.unit != PERCENT and row.key not in NOT_ADDITIVE and not isinstance(row.value, float)


def key_of(row_key: str) -> str:
    """The key of the street-level row of an indicator."""
    return f"street_level.{row_key}"


def _table(section: ReportSection) -> ReportTable | None:
    rows = []
    for table in section.tables:
        main = table.label_header == "指标"
        for r in table.rows:
            if not additive(r) or not (r.value or r.target):
                continue
            label = SPECIAL_LABELS.get(r.key) or r.label.removeprefix("其中：")
            rows.append(
                Indicator(
                    key_of(r.key),
                    label if main else f"{table.title}·{label}",
                    r.value,
                    r.unit,
                    f"未归属社区的部分：{REASONS.get(section.key, '不属于任何社区的记录，只计入全街道')}",
                    target=r.target,
                )
            )
    if not rows:
        return None
    columns: tuple[tuple[str, str], ...] = (("value", "数值"), ("unit", "单位"))
    if any(r.target for r in rows):
        columns += (("target", "应开展"),)
    return ReportTable(f"{section.key}.street_level", TITLE, tuple(rows), columns=columns, note=NOTE)


def with_street_level(
    s: Session,
    scope: Scope,
    p: Period,
    today: dt.date,
    groups: list[str],
    tiers: list[tuple[str, str]],
    sections: tuple[ReportSection, ...],
) -> tuple[ReportSection, ...]:
    """``sections`` of the street report, each followed by its street-level rest (when there is any)."""
    if not scope.is_street:
        return sections
    rest = scope.street_level()
    party, _f = party_section(s, rest, p)
    population, pop = population_section(s, rest, p, groups, tiers)
    mediation, _f = mediation_section(s, rest, p)
    judicial, _f = judicial_section(s, rest, p, today)
    grids, _f = grid_section(s, rest, p, pop["residents"])
    extra = {x.key: _table(x) for x in (party, population, mediation, judicial, grids)}
    out = []
    for section in sections:
        table = extra.get(section.key)
        out.append(
            section if table is None else dataclasses.replace(section, tables=(*section.tables, table))
        )
    return tuple(out)
