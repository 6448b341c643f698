"""Event-list benchmark: a year of events at street scale (~90,000) on a temp database.

Run: ``.venv/bin/python -m tests.bench.bench_events [--events N | --db FILE]``. Prints a table (step, ms,
the same SQL run straight on the driver — "raw" — and the ratio, rows); not a pass/fail test. Targets
(issue 12): the list's first rows < 200 ms, a filter < 100 ms, the lights of all open events < 200 ms, deep
pages by keyset, the quarterly ranking < 2 s. The events are inserted in bulk (Core), as a demo would; most
are closed, some open. ``--db`` times an existing database instead (the street demo: events, residents and
visits, so the ranking has its visit rates to compute).
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
from desktop.domain.events import LightMeter, TimeLimit, deadline
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from desktop.services.events import queries
from desktop.services.judicial.common import load_calendar
from desktop.services.reports.grid_bulletin import bulletin_figures
from desktop.services.visits import reads

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


def _raw(ctx: Any, stmt: Any) -> list[Any]:
    """``stmt`` compiled by SQLAlchemy and run straight on the driver: the floor a service call is compared
    with."""
    with ctx.read() as s:
        return reads.raw_rows(s, stmt)


def _best(fn: Any) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(3):
        t = time.perf_counter()
        got = fn()
        best = min(best, time.perf_counter() - t)
        rows = len(got.rows) if hasattr(got, "rows") else len(got)
    return best * 1000, rows


def _time(label: str, fn: Any, raw: Any, out: list[tuple[str, float, int, float | None]]) -> None:
    ms, rows = _best(fn)
    out.append((label, ms, rows, None if raw is None else _best(raw)[0]))


def _steps(ctx: Any, grid: int) -> list[tuple[str, float, int, float | None]]:
    as_of = ctx.now()
    with ctx.read() as s:
        horizon = LightMeter(as_of, load_calendar(s)).horizon
    f_all, f_grid = ev.EventFilter(), ev.EventFilter(grid_id=grid)

    def page(f: ev.EventFilter, after: Any = None) -> Any:
        return queries.page_query(f, as_of, horizon, after=after, limit=100)

    def opened(f: ev.EventFilter) -> Any:
        return queries._query(f, as_of, horizon).where(queries._is_open(as_of))

    deep = ev.list_events(ctx, as_of=as_of, limit=1, offset=40_000).rows
    cursor = (deep[0].received_at, deep[0].id) if deep else None
    out: list[tuple[str, float, int, float | None]] = []
    _time("list, first 100 rows (newest first)", lambda: ev.list_events(ctx, as_of=as_of, limit=100),
          lambda: _raw(ctx, page(f_all)), out)  # fmt: skip
    _time("filter: one grid", lambda: ev.list_events(ctx, f_grid, as_of=as_of, limit=100),
          lambda: _raw(ctx, page(f_grid)), out)  # fmt: skip
    for light in ("red", "yellow"):
        f = ev.EventFilter(light=light)
        _time(f"filter: {light}", lambda f=f: ev.list_events(ctx, f, as_of=as_of, limit=100),
              lambda f=f: _raw(ctx, opened(f)), out)  # fmt: skip
    _time("page at row 40,000, keyset (after)",
          lambda: ev.list_events(ctx, as_of=as_of, limit=100, after=cursor, totals=False),
          lambda: _raw(ctx, page(f_all, cursor)), out)  # fmt: skip
    _time("page at row 40,000, by offset", lambda: ev.list_events(ctx, as_of=as_of, limit=100, offset=40_000,
          totals=False), lambda: _raw(ctx, page(f_all).offset(40_000)), out)  # fmt: skip
    _time("lights of all open events", lambda: ev.list_events(ctx, ev.EventFilter(state="open"), as_of=as_of),
          lambda: _raw(ctx, opened(ev.EventFilter(state="open"))), out)  # fmt: skip
    _time("today's red and yellow", lambda: ev.todays_alerts(ctx, as_of=as_of), None, out)
    _time("supervision (督办) list", lambda: ev.supervision_list(ctx, as_of=as_of), None, out)
    _time("quarterly ranking (一季一排名) 2026Q3", lambda: bulletin_figures(ctx, "2026Q3").ranking, None, out)
    return out


def _print(out: list[tuple[str, float, int, float | None]]) -> None:
    print(f"{'step':40} {'ms':>8} {'raw ms':>8} {'ratio':>6} {'rows':>7}")
    for label, ms, n, raw in out:
        extra = f"{raw:8.1f} {ms / raw:6.1f}" if raw else f"{'':8} {'':6}"
        print(f"{label:40} {ms:8.1f} {extra} {n:7d}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=90_000)
    ap.add_argument(
        "--db", help="time an existing database (e.g. the street demo) instead of a synthetic one"
    )
    args = ap.parse_args()
    if args.db:
        opened = open_database(Path(args.db), actor=Actor("bench", "pc"), clock=FixedClock(NOW))
        with opened.ctx.read() as s:
            n = s.scalar(sa.select(sa.func.count()).select_from(GridEvent))
            grid = s.scalar(sa.select(GridEvent.grid_id).limit(1))
        print(f"{args.db}: {n} events")
        _print(_steps(opened.ctx, int(grid or 0)))
        opened.ctx.database.dispose()
        return
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
        print(f"{args.events} events inserted in {fill_s:.1f} s")
        _print(_steps(ctx, grids[3]))
        ctx.database.dispose()


if __name__ == "__main__":
    main()
