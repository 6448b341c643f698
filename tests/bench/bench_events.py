"""Event-list benchmark: a year of events at street scale (~90,000) on a temp database.

Run: ``.venv/bin/python -m tests.bench.bench_events [--events N]``. Prints a table (step, ms, rows); not a
pass/fail test. Targets (issue 12): the list's first rows < 200 ms, a filter < 100 ms, the lights of all open
events < 200 ms. The events are inserted in bulk (Core), as a demo would; most are closed, some open.
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

from db.schema.events import GridEvent
from desktop.core.clock import FixedClock
from desktop.core.identity import Actor
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.events import TimeLimit, deadline
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from desktop.services.judicial.common import load_calendar

NOW = dt.datetime(2026, 11, 23, 10, 0)


def _fill(ctx: Any, n: int, grids: list[int], cal: HolidayCalendar) -> None:
    rng = random.Random(7)
    dic = ev.event_dictionary(ctx)
    table = cast(sa.Table, GridEvent.__table__)
    start = NOW - dt.timedelta(days=365)
    rows = []
    for i in range(n):
        received = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        cat = rng.choice(dic.categories)
        sub = rng.choice(cat.subcategories).label if cat.subcategories else None
        urgent = rng.random() < 0.1
        limit = TimeLimit(24, "HOUR") if urgent else TimeLimit(5)
        end = deadline(received, limit, cal)
        closed = (
            None
            if received > NOW - dt.timedelta(days=20) and rng.random() < 0.5
            else received + dt.timedelta(hours=rng.randrange(1, 200))
        )
        rows.append(
            {
                "event_no": f"SJ{received.year}-{i + 1:06d}",
                "source": rng.choice(dic.sources),
                "received_at": received,
                "grid_id": rng.choice(grids),
                "place": "某小区",
                "category": cat.code,
                "subcategory": sub,
                "urgency": "URGENT" if urgent else "NORMAL",
                "description": "描述",
                "state": "REPORTED" if closed is None else "CLOSED",
                "department": cat.rule.department,
                "limit_amount": limit.amount,
                "limit_unit": limit.unit,
                "deadline": end,
                "extended_days": 0,
                "extension_pending": False,
                "closed_at": closed if closed is None or closed < NOW else None,
                "step_count": 1,
                "version": 1,
            }
        )
    with ctx.write() as uow:
        uow.session.execute(sa.insert(table), rows)


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
    ap.add_argument("--events", type=int, default=90_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        opened = open_database(Path(tmp) / "bench.sqlite3", actor=Actor("bench", "pc"), clock=FixedClock(NOW))
        ctx = opened.ctx
        st.save_street(ctx, "钢城街道")
        grids = []
        for c in range(8):
            cid = st.save_community(ctx, st.CommunityInput(f"社区{c}", code=f"{c:02d}"))
            for g in range(20):
                grids.append(
                    st.save_grid(ctx, st.GridInput(cid, f"GC-{c:02d}-{g:03d}", f"网格{c}-{g}", "BASIC"))
                )
        with ctx.read() as s:
            cal = load_calendar(s)
        t = time.perf_counter()
        _fill(ctx, args.events, grids, cal)
        fill_s = time.perf_counter() - t
        out: list[tuple[str, float, int]] = []
        _time("list, first 100 rows (newest first)", lambda: ev.list_events(ctx, limit=100), out)
        _time(
            "filter: one grid", lambda: ev.list_events(ctx, ev.EventFilter(grid_id=grids[3]), limit=100), out
        )
        _time("filter: red", lambda: ev.list_events(ctx, ev.EventFilter(light="red"), limit=100), out)
        _time("filter: yellow", lambda: ev.list_events(ctx, ev.EventFilter(light="yellow"), limit=100), out)
        _time("lights of all open events", lambda: ev.list_events(ctx, ev.EventFilter(state="open")), out)
        _time("today's red and yellow", lambda: ev.todays_alerts(ctx), out)
        print(f"{args.events} events inserted in {fill_s:.1f} s")
        print(f"{'step':40} {'ms':>8} {'rows':>7}")
        for label, ms, n in out:
            print(f"{label:40} {ms:8.1f} {n:7d}")
        ctx.database.dispose()


if __name__ == "__main__":
    main()
