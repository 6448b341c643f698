"""Helpers of the 网格事件 demo: the grids' places, people and staff, moments of receipt, the domain's limit ends
looked up once, and a bulk insert fast enough for half a million steps."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.schema.people import Household, Resident
from db.schema.structure import Grid, GridStaff
from desktop.domain import events as rules
from desktop.domain.calendar import HolidayCalendar

_M = 60  # minutes an hour


class Limits:
    """The domain's ends of limits, looked up once per (day, amount)."""

    def __init__(self, cal: HolidayCalendar) -> None:
        self.cal = cal
        self._days: dict[tuple[dt.date, int], dt.datetime] = {}
        self._ext: dict[tuple[dt.datetime, int], dt.datetime] = {}

    def end(self, start: dt.datetime, limit: rules.TimeLimit) -> dt.datetime:
        if limit.unit == "HOUR":
            return rules.deadline(start, limit, self.cal)
        key = (start.date(), limit.amount)
        if key not in self._days:
            self._days[key] = rules.deadline(start, limit, self.cal)
        return self._days[key]

    def extended(self, end: dt.datetime, days: int) -> dt.datetime:
        key = (end, days)
        if key not in self._ext:
            self._ext[key] = rules.extended_deadline(end, days, self.cal)
        return self._ext[key]


def grid_world(
    s: Session, rng: random.Random
) -> tuple[list[Any], dict[int, list[Any]], dict[int, list[Any]], dict[int, list[str]]]:
    """Grids, a sample of addresses and residents per grid, and the grid staff's names."""
    grids = list(s.execute(select(Grid.id, Grid.name).where(Grid.retired_on.is_(None)).order_by(Grid.id)))
    n_res = s.scalar(select(func.count()).select_from(Resident)) or 0
    step = max(1, n_res // 8000)
    people: dict[int, list[Any]] = defaultdict(list)
    spots: dict[int, list[Any]] = defaultdict(list)
    rows = s.execute(
        select(
            Resident.id, Resident.name, Resident.phone, Resident.household_id, Household.grid_id,
            Household.estate, Household.building, Household.unit,
        )
        .join(Household, Household.id == Resident.household_id)
        .where(Resident.status == "ACTIVE", Resident.id % step == 0)
        .order_by(Resident.id)
    )  # fmt: skip
    for r in rows:
        if r.grid_id is None:
            continue
        if r.phone:
            people[r.grid_id].append(r)
        if r.estate and r.building:
            spots[r.grid_id].append((r.estate, r.building, r.unit or "1单元"))
    staff: dict[int, list[str]] = defaultdict(list)
    for gid, name in s.execute(
        select(GridStaff.grid_id, GridStaff.name)
        .where(GridStaff.role.in_(("CHIEF", "WORKER")))
        .order_by(GridStaff.grid_id, GridStaff.sort_key, GridStaff.id)
    ):
        staff[gid].append(name)
    return grids, people, spots, staff


def receipts(rng: random.Random, n: int, cutoff: dt.datetime, cal: HolidayCalendar) -> list[dt.datetime]:
    """``n`` moments of receipt over the year before ``cutoff``: fewer on rest days, in working hours mostly."""
    first = cutoff.date() - dt.timedelta(days=364)
    days = [first + dt.timedelta(days=i) for i in range(365)]
    weights = [1.0 if cal.is_working_day(d) else 0.45 for d in days]
    out = []
    for day in rng.choices(days, weights, k=n):
        minute = int(rng.triangular(7 * _M + 30, 21 * _M, 10 * _M))
        at = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
        if at > cutoff:
            at -= dt.timedelta(days=1)
        out.append(at)
    out.sort()
    return out


def bulk(s: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys): on SQLite straight through the driver's executemany, the
    values converted by the dialect's own bind processors (what an ORM insert would store); Core otherwise."""
    if not rows:
        return
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        for i in range(0, len(rows), 20_000):
            s.execute(insert(table), rows[i : i + 20_000])
        return
    names = list(rows[0])
    procs = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conv = [
        (i, p, isinstance(table.c[n].type, sa.DateTime))
        for i, (n, p) in enumerate(zip(names, procs, strict=True))
        if p is not None
    ]
    sample = dt.datetime(2026, 1, 2, 3, 4)
    iso = all(p(sample) == sample.isoformat(" ", "microseconds") for _i, p, is_dt in conv if is_dt)

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        out = [row[n] for n in names]
        for i, p, is_dt in conv:
            v = out[i]
            if v is not None:
                # the dialect's own text of a naive datetime is its ISO form; the C method is much faster
                out[i] = v.isoformat(" ", "microseconds") if is_dt and iso and v.tzinfo is None else p(v)
        return tuple(out)

    conn.exec_driver_sql(sql, [values(r) for r in rows])
