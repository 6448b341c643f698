"""今日应走访 benchmark: the whole street (130,590 residents) on a temp database, with months of visits.

Run: ``.venv/bin/python -m tests.bench.bench_visits [--residents N] [--months M]``. Prints a table (step, ms,
rows); not a pass/fail test. Target (issue 12): 今日应走访 for the whole street < 1 s. The last two lines
time the services' SQL reads alone (rows fetched, nothing worked out): the floor to compare with.
Residents, tags, tier changes and visits are inserted in bulk (Core): tiers about 85 % green, 10 % blue,
4 % orange, 1 % red; about 3 % in a group with a monthly minimum; visits made in about nine periods of ten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from db.schema.people import Resident, ResidentEvent, ResidentTag
from db.schema.visits import Visit, VisitMember
from desktop.core.clock import FixedClock
from desktop.core.identity import Actor
from desktop.domain import visits as rules
from desktop.services import structure as st
from desktop.services import visits as vs
from desktop.services.bootstrap import open_database
from desktop.services.visits import due, reads

NOW = dt.datetime(2026, 11, 23, 10, 0)
TODAY = NOW.date()


def _table(model: Any) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _fill(ctx: Any, n: int, months: int, grids: list[tuple[int, int]]) -> int:
    rng = random.Random(12)
    start = TODAY - dt.timedelta(days=30 * months)
    people, tags, changes, visits, members = [], [], [], [], []
    tiers = ["GREEN"] * 85 + ["BLUE"] * 10 + ["ORANGE"] * 4 + ["RED"]
    created = dt.datetime(2025, 6, 1, 8, 0)
    for rid in range(1, n + 1):
        community, grid = grids[rid % len(grids)]
        tier = rng.choice(tiers)
        people.append(
            {"id": rid, "name": f"居民{rid}", "community_id": community, "grid_id": grid, "care_tier": tier,
             "residence_kind": "REGISTERED", "status": "ACTIVE", "created_at": created, "updated_at": created,
             "version": 1}
        )  # fmt: skip
        if rng.random() < 0.03:
            tags.append({"resident_id": rid, "tag": rng.choice(["社区矫正对象", "刑满释放人员", "吸毒人员"])})
        if tier != "GREEN" and rng.random() < 0.3:
            changes.append(
                {"resident_id": rid, "kind": "CARE_TIER", "on_date": start + dt.timedelta(days=rng.randrange(90)),
                 "from_value": "GREEN", "to_value": tier, "user": "bench", "recorded_at": NOW}
            )  # fmt: skip
        freq = rules.DEFAULT_TIER_FREQUENCIES[tier]
        for p in rules.periods(freq, start, TODAY - dt.timedelta(days=1)):
            if rng.random() < 0.9:
                day = p.start + dt.timedelta(days=rng.randrange((min(p.end, TODAY) - p.start).days + 1))
                vid = len(visits) + 1
                visits.append({"id": vid, "visited_on": day, "visitor": "网格员", "way": "HOME", "findings": "正常",
                               "grid_id": grid, "recorded_by": "bench", "recorded_at": NOW})  # fmt: skip
                members.append({"visit_id": vid, "resident_id": rid, "visited_on": day})
    with ctx.write() as uow:
        s = uow.session
        for model, rows in ((Resident, people), (ResidentTag, tags), (ResidentEvent, changes),
                            (Visit, visits), (VisitMember, members)):  # fmt: skip
            for i in range(0, len(rows), 50_000):
                s.execute(sa.insert(_table(model)), rows[i : i + 50_000])
    return len(members)


def _reads(ctx: Any, month: tuple[int, int] | None = None) -> list[Any]:
    """The SQL reads of ``due_list`` (or of ``visit_rates`` for ``month``) alone, rows fetched and nothing
    worked out: the floor the service's own time is compared with."""
    with ctx.read() as s:
        if month is None:
            since = TODAY - dt.timedelta(days=due.LOOKBACK_DAYS)
            reg = reads.load_register(s, None, leavers_from=None)
            reads.day_sets(s, None, rules.period_of(rules.MONTH, since).start - dt.timedelta(days=6), TODAY)
        else:
            bounds = rules.month_bounds(*month)
            reg = reads.load_register(s, None, leavers_from=bounds.start)
            reads.day_sets(s, None, bounds.start - dt.timedelta(days=6), bounds.end)
        reads.staff(s)
    return reg.residents


def _time(label: str, fn: Any, out: list[tuple[str, float, int]]) -> None:
    best = float("inf")
    rows = 0
    for _ in range(3):
        t = time.perf_counter()
        got = fn()
        best = min(best, time.perf_counter() - t)
        rows = len(got.rows) if hasattr(got, "rows") else len(got)
    out.append((label, best * 1000, rows))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=130_590)
    ap.add_argument("--months", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        opened = open_database(Path(tmp) / "bench.sqlite3", actor=Actor("bench", "pc"), clock=FixedClock(NOW))
        ctx = opened.ctx
        st.save_street(ctx, "钢城街道")
        grids: list[tuple[int, int]] = []
        for c in range(8):
            cid = st.save_community(ctx, st.CommunityInput(f"社区{c}", code=f"{c:02d}"))
            for g in range(20):
                gid = st.save_grid(ctx, st.GridInput(cid, f"GC-{c:02d}-{g:03d}", f"网格{c}-{g}", "BASIC"))
                st.save_staff(ctx, st.StaffInput(gid, "WORKER", f"网格员{c}{g:02d}"))
                grids.append((cid, gid))
        t = time.perf_counter()
        count = _fill(ctx, args.residents, args.months, grids)
        fill_s = time.perf_counter() - t
        out: list[tuple[str, float, int]] = []
        _time("今日应走访, whole street", lambda: vs.due_list(ctx), out)
        _time("今日应走访, one grid", lambda: vs.due_list(ctx, grid="GC-03-007"), out)
        _time("今日应走访, one worker", lambda: vs.due_list(ctx, worker="网格员307"), out)
        _time("visit rate per grid, last month", lambda: vs.visit_rates(ctx, 2026, 10), out)
        _time("SQL reads alone: 今日应走访, street", lambda: _reads(ctx), out)
        _time("SQL reads alone: visit rate", lambda: _reads(ctx, (2026, 10)), out)
        print(f"{args.residents} residents and {count} visits inserted in {fill_s:.1f} s")
        print(f"{'step':40} {'ms':>8} {'rows':>7}")
        for label, ms, n in out:
            print(f"{label:40} {ms:8.1f} {n:7d}")
        ctx.database.dispose()


if __name__ == "__main__":
    main()
