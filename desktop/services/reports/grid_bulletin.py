"""一月一通报 and 一季一排名: events, 吹哨报到, ratings and visits per grid, per community and for the street.

One function computes the figures (``bulletin_figures``); the bulletin, the ranking and section 六 of the
月报 all read them, so the three never disagree. Counts are taken per grid and added up: a community is
the sum of its grids, the street the sum of its communities.

* 受理: events received in the period; 办结: closed in the period; 按期办结: of those, closed at or before the
  end of their time limit (an approved extension counts); 超期未办结: received before and still open at the
  period's end (24:00 of its last day, or now while it runs) with the limit already passed.
* 吹哨报到: the 吹哨 steps of the period; the department signs for it within 1 hour and reports in (报到)
  within 3 (工作推进哨) or 5 (攻坚克难哨) working days (``desktop.domain.events.whistle_due``).
* 评价: ratings given in the period (满意/基本满意/不满意); 满意率 = (满意 + 基本满意) ÷ 评价数.
* 走访: ``visits.month_rates`` per month; special-group residents visited: residents with a 特殊人群 tag who
  were visited in the month, each counted once a month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.schema.events import EventStep, GridEvent
from db.schema.people import Resident, ResidentTag
from db.schema.structure import Community, Grid
from db.schema.visits import VisitMember
from desktop.core.errors import ValidationError
from desktop.domain.accounts import REPORTS
from desktop.domain.bulletin import (
    DepartmentWhistles,
    Figures,
    GridBulletin,
    RankingWeights,
    UnitFigures,
    rank,
)
from desktop.domain.events import whistle_due
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.judicial.common import load_calendar
from desktop.services.reports.periods import (
    Period,
    Scope,
    month_period,
    parse_month,
    parse_period,
    resolve_scope,
)
from desktop.services.settings import json_object, load_setting, store_setting
from desktop.services.visits import month_rates

RANKING_KEY = "reports.grid_ranking_weights"
_WEIGHT_FIELDS = ("closed_in_time", "satisfaction", "visits", "overdue_penalty", "penalty_cap")
WEIGHT_LABELS = {
    "closed_in_time": "按期办结率的分值",
    "satisfaction": "满意率的分值",
    "visits": "走访完成率的分值",
    "overdue_penalty": "每件超期事件扣分",
    "penalty_cap": "超期扣分上限",
}


def _weights(value: Any) -> RankingWeights:
    obj = json_object(value)
    nums = {k: float(obj[k]) for k in _WEIGHT_FIELDS if k in obj}
    if any(v < 0 for v in nums.values()):
        raise ValueError("negative weight")
    return RankingWeights(**nums)


def ranking_weights(ctx: ServiceContext) -> RankingWeights:
    """The 一季一排名 weights (setting ``reports.grid_ranking_weights``; defaults 40/20/30, −1 capped at 10)."""
    with ctx.read() as s:
        return load_setting(s, RANKING_KEY, RankingWeights(), _weights)


def save_ranking_weights(ctx: ServiceContext, weights: RankingWeights) -> None:
    values = {k: getattr(weights, k) for k in _WEIGHT_FIELDS}
    for k, v in values.items():
        if v < 0 or v > 100:
            raise ValidationError(f"{WEIGHT_LABELS[k]}应在 0–100 之间（现为 {v:g}）。", field=k)
    if not weights.closed_in_time + weights.satisfaction + weights.visits:
        raise ValidationError("按期办结率、满意率、走访完成率的分值不能都为 0。", field="closed_in_time")
    with ctx.write() as uow:
        store_setting(uow, RANKING_KEY, values, "修改网格排名计分权重")


def _months(p: Period) -> list[Period]:
    out, y, m = [], p.start.year, p.start.month
    while dt.date(y, m, 1) <= p.end:
        out.append(month_period(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _grids(s: Session, scope: Scope, p: Period) -> list[tuple[int, str, str, int, str]]:
    """Grids that existed during the period: (id, code, name, community id, community name)."""
    q = (
        select(Grid.id, Grid.code, Grid.name, Community.id, Community.name)
        .join(Community, Community.id == Grid.community_id)
        .where(or_(Grid.retired_on.is_(None), Grid.retired_on >= p.start))
        .order_by(Community.code, Community.id, Grid.code)
    )
    return [
        (gid, code, name, cid, cname)
        for gid, code, name, cid, cname in s.execute(scope.where(q, Grid.community_id))
    ]


def _event_counts(
    s: Session, ids: list[int], start: dt.datetime, end: dt.datetime, as_of: dt.datetime
) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    q = select(GridEvent.grid_id, GridEvent.received_at, GridEvent.closed_at, GridEvent.deadline).where(
        GridEvent.grid_id.in_(ids),
        GridEvent.received_at < end,
        or_(GridEvent.closed_at.is_(None), GridEvent.closed_at >= start),
    )
    for gid, received, closed, limit_end in s.execute(q):
        c = counts[gid]
        if start <= received < end:
            c["received"] += 1
        if closed is not None and start <= closed < min(end, as_of):
            c["closed"] += 1
            c["closed_in_time"] += closed <= limit_end
        if received < as_of and (closed is None or closed >= as_of) and limit_end <= as_of:
            c["overdue_open"] += 1
    return counts


def _steps(
    s: Session, ids: list[int], start: dt.datetime, end: dt.datetime, counts: dict[int, dict[str, int]]
) -> list[DepartmentWhistles]:
    """吹哨 and 评价 per grid (into ``counts``) and per department (returned)."""
    cal = load_calendar(s)
    rows = s.execute(
        select(
            EventStep.event_id,
            EventStep.kind,
            EventStep.at,
            EventStep.department,
            EventStep.whistle_kind,
            EventStep.rating,
            GridEvent.grid_id,
            GridEvent.department,
        )
        .join(GridEvent, GridEvent.id == EventStep.event_id)
        .where(GridEvent.grid_id.in_(ids), EventStep.kind.in_(("WHISTLE", "SIGN", "ARRIVE", "RATE")))
        .order_by(EventStep.event_id, EventStep.id)
    ).all()
    later: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
    for eid, kind, at, *_rest in rows:
        if kind in ("SIGN", "ARRIVE"):
            later[(eid, kind)].append(at)
    depts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    rating_field = {"SATISFIED": "satisfied", "BASIC": "basic", "UNSATISFIED": "unsatisfied"}
    for eid, kind, at, step_dept, wkind, rating, gid, event_dept in rows:
        if not start <= at < end:
            continue
        dept = step_dept or event_dept or "（未指定部门）"
        if kind == "RATE" and rating in rating_field:
            counts[gid][rating_field[rating]] += 1
            depts[dept][rating_field[rating]] += 1
        elif kind == "WHISTLE":
            counts[gid]["whistles"] += 1
            d = depts[dept]
            d["whistles"] += 1
            due = whistle_due(wkind or "PROGRESS", at, cal)
            sign = next((t for t in later[(eid, "SIGN")] if t >= at), None)
            arrive = next((t for t in later[(eid, "ARRIVE")] if t >= at), None)
            if sign is not None:
                d["signed"] += 1
                d["signed_in_time"] += sign <= due.sign_by
                d["sign_hours"] += (sign - at).total_seconds() / 3600
            if arrive is not None:
                d["reported"] += 1
                d["reported_in_time"] += arrive <= due.report_by
    return [
        DepartmentWhistles(
            name,
            whistles=int(d["whistles"]),
            signed=int(d["signed"]),
            signed_in_time=int(d["signed_in_time"]),
            reported=int(d["reported"]),
            reported_in_time=int(d["reported_in_time"]),
            sign_hours=d["sign_hours"],
            satisfied=int(d["satisfied"]),
            basic=int(d["basic"]),
            unsatisfied=int(d["unsatisfied"]),
        )
        for name, d in sorted(depts.items(), key=lambda x: (-x[1]["whistles"], x[0]))
    ]


def _special_visited(s: Session, ids: list[int], months: list[Period], last: dt.date) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for m in months:
        q = (
            select(Resident.grid_id, VisitMember.resident_id)
            .distinct()
            .join(Resident, Resident.id == VisitMember.resident_id)
            .where(
                Resident.grid_id.in_(ids),
                VisitMember.visited_on >= m.start,
                VisitMember.visited_on <= min(m.end, last),
                VisitMember.resident_id.in_(select(ResidentTag.resident_id)),
            )
        )
        for gid, _rid in s.execute(q):
            if gid is not None:
                out[gid] += 1
    return out


def bulletin_figures(
    ctx: ServiceContext,
    period: str,
    community: str | None = None,
    today: dt.date | None = None,
    *,
    with_ranking: bool | None = None,
) -> GridBulletin:
    """The figures of ``period`` ("2026-10" or "2026Q3") per grid, per community and in total.

    ``with_ranking``: rank the grids (default: for a quarter); a month that ends a quarter gets the
    quarter's ranking attached. Raises ValidationError (bad or future period), NotFoundError (community)."""
    require(ctx, REPORTS)
    today = today or ctx.today()
    p = parse_period(period, today) if "Q" in period.upper() else parse_month(period, today)
    if p.kind not in ("month", "quarter"):
        raise ValidationError(f"统计期间“{period}”应为月份（2026-10）或季度（2026Q3）。", field="period")
    start = dt.datetime.combine(p.start, dt.time())
    end = dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time())
    as_of = min(end, ctx.now())
    months = [m for m in _months(p) if m.start <= today]  # a running quarter: the months begun
    with ctx.read() as s:
        scope = resolve_scope(s, community)
        grids = _grids(s, scope, p)
        ids = [g[0] for g in grids]
        counts = _event_counts(s, ids, start, end, as_of)
        departments = _steps(s, ids, start, end, counts)
        special = _special_visited(s, ids, months, min(p.end, today))
        weights = load_setting(s, RANKING_KEY, RankingWeights(), _weights)
    id_set = set(ids)
    for rates in month_rates(ctx, [(m.start.year, m.start.month) for m in months], today=today):
        for r in rates:
            if r.grid_id is not None and r.grid_id in id_set:
                c = counts[r.grid_id]
                c["visits_due"] += r.due
                c["visits_done"] += r.done
    units = []
    for gid, code, name, _cid, cname in grids:
        c = counts.get(gid, {})
        f = Figures(**{k: int(v) for k, v in c.items()}, special_visited=special.get(gid, 0))
        units.append(UnitFigures("grid", code, name, cname, f))
    by_community: dict[str, Figures] = {}
    for u in units:
        by_community[u.community] = by_community.get(u.community, Figures()) + u.figures
    communities = tuple(UnitFigures("community", "", n, n, f) for n, f in by_community.items())
    total = Figures()
    for cu in communities:
        total = total + cu.figures
    name = scope.community or scope.street
    bulletin = GridBulletin(
        period=p.code,
        label=p.label,
        start=p.start,
        end=p.end,
        as_of=as_of,
        issued_on=today,
        street=scope.street,
        community=scope.community,
        grids=tuple(units),
        communities=communities,
        total=UnitFigures("community" if scope.community else "street", "", name, name, total),
        departments=tuple(departments),
    )
    rank_it = p.kind == "quarter" if with_ranking is None else with_ranking
    if rank_it:
        return replace(bulletin, ranking=tuple(rank(units, weights)), ranking_label=p.label,
                       ranking_formula=weights.formula())  # fmt: skip
    if p.kind == "month" and p.end.month % 3 == 0 and with_ranking is None:
        quarter = bulletin_figures(ctx, f"{p.end.year}Q{p.end.month // 3}", community, today)
        return replace(bulletin, ranking=quarter.ranking, ranking_label=quarter.label,
                       ranking_formula=quarter.ranking_formula)  # fmt: skip
    return bulletin
