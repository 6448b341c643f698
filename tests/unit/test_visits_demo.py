"""The demo's 分色走访 at community scale: registration dates in the past, when each tier took effect, a year
of visits by tier in the tier's frequency, nothing after the demo's day, and the 一月一通报 / 今日应走访
showing real figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from db.schema.people import Resident, ResidentEvent, ResidentTag
from db.schema.visits import Visit, VisitMember
from desktop.core.clock import FixedClock
from desktop.core.identity import Actor
from desktop.domain import visits as rules
from desktop.services import demo
from desktop.services import visits as vs
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext
from desktop.services.reports.grid_bulletin import bulletin_figures
from tests.conftest import NOW, TODAY


@dataclass
class Made:
    ctx: ServiceContext
    residents: dict[int, Any]  # id → (tier, created_at, status, status_changed_on)
    changes: dict[int, list[Any]]
    tags: dict[int, list[str]]
    visits: list[Any]
    members: list[Any]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    opened = open_database(
        tmp_path_factory.mktemp("vdemo") / "small.sqlite3",
        actor=Actor("测试员", "test-pc"),
        clock=FixedClock(NOW),
    )
    summary = demo.generate(opened.ctx, "small")
    assert summary.visits > 0 and f"走访记录 {summary.visits:,} 次" in summary.describe()
    with opened.ctx.read() as s:
        residents = {
            r.id: (r.care_tier, r.created_at, r.status, r.status_changed_on)
            for r in s.execute(
                select(
                    Resident.id,
                    Resident.care_tier,
                    Resident.created_at,
                    Resident.status,
                    Resident.status_changed_on,
                )
            )
        }
        changes: dict[int, list[Any]] = defaultdict(list)
        for e in s.execute(
            select(ResidentEvent).where(ResidentEvent.kind == "CARE_TIER").order_by(ResidentEvent.on_date)
        ).scalars():
            changes[e.resident_id].append((e.on_date, e.from_value, e.to_value, e.reason, e.approver))
        tags: dict[int, list[str]] = defaultdict(list)
        for rid, tag in s.execute(select(ResidentTag.resident_id, ResidentTag.tag)):
            tags[rid].append(tag)
        visits = s.execute(
            select(Visit.id, Visit.visited_on, Visit.visitor, Visit.way, Visit.household_id)
        ).all()
        members = s.execute(
            select(VisitMember.visit_id, VisitMember.resident_id, VisitMember.visited_on)
        ).all()
    yield Made(opened.ctx, residents, dict(changes), dict(tags), visits, members)
    opened.ctx.database.dispose()


def test_tiers_groups_and_when_each_tier_took_effect(made: Made) -> None:
    active = {rid: r for rid, r in made.residents.items() if r[2] == "ACTIVE"}
    tiers = Counter(r[0] for r in active.values())
    n = len(active)
    assert tiers["GREEN"] > 0.8 * n
    assert 0.03 * n < tiers["BLUE"] < 0.15 * n and 0.005 * n < tiers["ORANGE"] < tiers["BLUE"]
    assert 0 < tiers["RED"] < tiers["ORANGE"]
    grouped = {
        rid for rid, t in made.tags.items() if rid in active and {"社区矫正对象", "刑满释放人员"} & set(t)
    }
    assert 0 < len(grouped) < 0.01 * n
    # registered in the past (most before the last year), never after leaving
    created = [r[1].date() for r in made.residents.values()]
    assert max(created) < TODAY and sum(d < TODAY - dt.timedelta(days=365) for d in created) > 0.9 * len(
        created
    )
    assert all(r[1].date() < r[3] for r in made.residents.values() if r[3] is not None)
    # tier changes: dated, after registration, not in the future, reason and approver recorded, ending on the tier
    assert len(made.changes) > 0.2 * (n - tiers["GREEN"])
    for rid, rows in made.changes.items():
        tier, created_at, *_ = made.residents[rid]
        for on, frm, to, reason, approver in rows:
            assert created_at.date() < on < TODAY and frm != to and reason and approver
        assert rows[-1][2] == tier


def test_a_year_of_visits_in_each_tiers_frequency(made: Made) -> None:
    visits = {v.id: v for v in made.visits}
    assert min(v.visited_on for v in made.visits) >= TODAY - dt.timedelta(days=365)
    assert max(v.visited_on for v in made.visits) < TODAY  # nothing on or after the demo's day
    ways = Counter(v.way for v in made.visits)
    assert ways["HOME"] > ways["PHONE"] > ways["VIDEO"] > ways["OTHER"] > 0
    assert all(v.visitor for v in made.visits)
    by_resident: dict[int, list[dt.date]] = defaultdict(list)
    for m in made.members:
        assert m.visited_on == visits[m.visit_id].visited_on
        by_resident[m.resident_id].append(m.visited_on)
    for rid, days in by_resident.items():
        _tier, created_at, _status, left_on = made.residents[rid]
        assert min(days) >= created_at.date()
        assert left_on is None or max(days) < left_on
    # residents with one tier all year and no special group: periods of the tier's frequency with a visit
    year = rules.Period(TODAY - dt.timedelta(days=365), TODAY - dt.timedelta(days=1))
    shares: dict[str, list[float]] = defaultdict(list)
    per_period: dict[str, list[float]] = defaultdict(list)
    for rid, (tier, created_at, status, _left) in made.residents.items():
        grouped = set(made.tags.get(rid, ())) & set(rules.DEFAULT_GROUP_FREQUENCIES)
        if status != "ACTIVE" or rid in made.changes or grouped or created_at.date() > year.start:
            continue
        freq = rules.DEFAULT_TIER_FREQUENCIES[tier]
        periods = [p for p in rules.periods(freq, year.start, year.end) if p.end <= year.end]
        days = by_resident.get(rid, [])
        shares[tier].append(sum(any(d in p for d in days) for p in periods) / len(periods))
        per_period[tier].append(len([d for d in days if d >= periods[0].start]) / len(periods))
    for tier in ("GREEN", "BLUE", "ORANGE"):
        assert shares[tier], tier
        mean = sum(shares[tier]) / len(shares[tier])
        assert 0.75 < mean < 0.98, (tier, mean)
        # about one visit a period, not many more
        assert sum(per_period[tier]) / len(per_period[tier]) < 1.2, tier


def test_the_bulletin_and_todays_list_show_real_figures(made: Made) -> None:
    october = bulletin_figures(made.ctx, "2026-10", with_ranking=False).total.figures
    assert october.visits_due > 2000
    assert october.visit_rate is not None and 0.75 < october.visit_rate < 0.97
    assert october.special_visited > 0
    quarter = bulletin_figures(made.ctx, "2026Q3")
    assert quarter.ranking and len({r.score for r in quarter.ranking}) > 1  # grids differ
    due = vs.due_list(made.ctx)
    assert 0.3 * due.residents < due.done < 0.95 * due.residents
    assert any(r.missed_periods for r in due.rows) and any(r.last_visit_on for r in due.rows)
