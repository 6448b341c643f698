"""演示数据 for 分色走访: when each resident's colour tier took effect, and a year of visits by the grid workers.

* **Tier history.** A resident above 绿 got the tier either when entered in the register (no change record:
  the tier runs from registration) or later, by a 分色等级调整 (``resident_event`` CARE_TIER, from 绿 or
  from 蓝, with a reason and the approver) on a day in the last year and a half; a few residents now 绿
  were 蓝 until some day of the last year.
* **Visits**, each period of the resident's frequency (the stricter of tier and special group, the
  settings' frequencies; ``desktop.domain.visits``) from the later of registration and a year ago up to the
  day before the demo's day, by the grid's 专职网格员: the 绿 residents of a household are visited together
  once a month (the members at home seen), the others one at a time in each of their periods (蓝 twice a
  month, 橙 weekly, 红 daily, more often by phone). Most periods are visited; each grid has its own
  diligence, so some grids miss more than others and the 一季一排名 has something to rank. A period's day is
  drawn over the whole period, so the running period is partly visited, as on a real 23rd of the month.

Written in bulk: plain tuples in the stored form through the driver's executemany on SQLite (dates as ISO
text), Core inserts elsewhere.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.base import Base
from db.schema.people import Resident, ResidentEvent, ResidentTag
from db.schema.structure import GridRole, GridStaff
from db.schema.visits import Visit, VisitMember
from desktop.domain import visits as rules
from desktop.services.visits.config import load_frequencies

OPERATOR = "演示数据"
#: share of the residents above 绿 whose tier came by a later change (the rest: since registration)
CHANGED_LATER = 0.4
DOWNGRADED = 0.01  # of the 绿 residents: 蓝 until a day of the last year
#: chance a period gets its visit, by frequency, before the grid's own diligence
VISITED = {rules.MONTH: 0.97, rules.HALF_MONTH: 0.95, rules.WEEK: 0.93, rules.DAY: 0.9}
SEEN_AT_HOME = 0.95  # a household member is seen on a 入户 visit
REACHED = 0.75  # … or reached on a call (the one who answers at least)
WAYS = {
    rules.MONTH: (("HOME", 72), ("PHONE", 20), ("VIDEO", 5), ("OTHER", 3)),
    rules.HALF_MONTH: (("HOME", 60), ("PHONE", 30), ("VIDEO", 8), ("OTHER", 2)),
    rules.WEEK: (("HOME", 50), ("PHONE", 38), ("VIDEO", 10), ("OTHER", 2)),
    rules.DAY: (("HOME", 30), ("PHONE", 55), ("VIDEO", 13), ("OTHER", 2)),
}
FINDINGS = {
    "GREEN": (
        "家中情况正常。",
        "生活正常，无异常情况。",
        "已宣传反诈知识，家中正常。",
        "已提醒用电用气安全。",
    ),
    "BLUE": ("老人身体尚可，子女定期探望。", "生活基本正常，已提醒按时服药。", "家中正常，已登记近期需求。"),
    "ORANGE": (
        "独居，身体状况一般，已联系家属。",
        "生活需照料，已协调志愿者上门。",
        "情绪稳定，家中无异常。",
    ),
    "RED": ("在家，情绪稳定，按时报到。", "已核实在居住地，无异常。", "已与家属沟通，落实监护措施。"),
}
REASONS = {
    "BLUE": "新增关爱对象，纳入蓝色管理",
    "ORANGE": "身体状况变化，需重点关注",
    "RED": "列入重点管控对象",
    "GREEN": "情况稳定，调整为绿色",
}
APPROVER = "社区网格长"


@dataclass
class VisitsDemo:
    visits: int = 0
    members: int = 0
    tier_changes: int = 0
    rows: int = 0
    seconds: float = 0.0


def _t(model: type[Base]) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _bulk_load(s: Session, loads: list[tuple[sa.Table, list[str], list[tuple[Any, ...]]]]) -> None:
    """Rows as tuples already in the stored form (dates as ISO text, the stamp as the dialect's text). On
    SQLite the tables' own indexes are dropped, the rows go straight through the driver's executemany and
    the indexes are built again from their own DDL — a million rows into a fresh index at once, not one
    by one — all inside the demo's transaction. Core inserts elsewhere."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        for table, names, rows in loads:
            dates = [i for i, n in enumerate(names) if isinstance(table.c[n].type, sa.Date)]
            for i in range(0, len(rows), 20_000):
                chunk = []
                for r in rows[i : i + 20_000]:
                    values = list(r)
                    for j in dates:
                        values[j] = dt.date.fromisoformat(values[j])
                    chunk.append(dict(zip(names, values, strict=True)))
                s.execute(insert(table), chunk)
            if "id" in names:  # keys assigned here: move the table's sequence past them
                s.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                    )
                )
        return
    tables = [table.name for table, _n, _r in loads]
    marks = ", ".join("?" * len(tables))
    indexes = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tuple(tables),
    ).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    for table, names, rows in loads:
        if rows:
            sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            conn.exec_driver_sql(sql, rows)
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)


def _table_of(pairs: tuple[tuple[str, int], ...]) -> list[str]:
    """A hundred entries in the proportions of ``pairs``: one draw is ``table[int(random() * 100)]``."""
    out = [w for w, n in pairs for _ in range(n)]
    assert len(out) == 100
    return out


def generate(s: Session, rng: random.Random, as_of: dt.date, now_utc: dt.datetime) -> VisitsDemo:
    """Tier history and a year of visits for the residents in the register (see the module's note)."""
    started = time.perf_counter()
    out = VisitsDemo()
    freqs = load_frequencies(s)
    workers: dict[int, str] = {}
    for staffed, name, _role in s.execute(
        select(GridStaff.grid_id, GridStaff.name, GridStaff.role)
        .where(GridStaff.role.in_((GridRole.WORKER, GridRole.CHIEF)), GridStaff.retired_on.is_(None))
        .order_by(GridStaff.grid_id, GridStaff.role.desc(), GridStaff.sort_key, GridStaff.id)
    ):
        workers.setdefault(staffed, name)
    tags: dict[int, list[str]] = defaultdict(list)
    for rid, tag in s.execute(select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.id)):
        tags[rid].append(tag)
    residents = s.execute(
        select(
            Resident.id, Resident.grid_id, Resident.household_id, Resident.care_tier, Resident.created_at,
            Resident.status_changed_on, Resident.status,
        ).order_by(Resident.id)
    ).all()  # fmt: skip
    sqlite = s.get_bind().dialect.name == "sqlite"
    stamp: Any = now_utc.isoformat(" ", "microseconds") if sqlite else now_utc
    year_ago = as_of - dt.timedelta(days=365)
    last_day = as_of - dt.timedelta(days=1)
    # days as numbers from ``base``: a period's day is drawn as a number and written as its ISO text
    base = year_ago - dt.timedelta(days=40)
    iso = [(base + dt.timedelta(days=i)).isoformat() for i in range((as_of - base).days + 1)]
    last_i = (last_day - base).days
    diligence = {gid: rng.uniform(0.9, 1.02) for gid in sorted(workers)}
    changes: list[tuple[Any, ...]] = []
    # household → its monthly residents: (id, from, until) as day numbers — visited together
    households: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    alone: list[tuple[int, int, str, list[rules.TierSpan], dt.date]] = []
    freq_cache: dict[tuple[str, ...], dict[str, str]] = {}
    for rid, gid, hid, tier, created, left_on, status in residents:
        if gid is None or gid not in workers:
            continue
        registered = created.date()
        until = (
            last_day if status == "ACTIVE" or left_on is None else min(last_day, left_on - dt.timedelta(1))
        )
        history = _history(rng, tier, registered, as_of)
        changes += [
            (rid, "CARE_TIER", on.isoformat(), frm, to, REASONS[to], APPROVER, OPERATOR, stamp)
            for on, frm, to in history
        ]
        groups = tuple(tags.get(rid, ()))
        freq_of = freq_cache.get(groups)
        if freq_of is None:
            freq_of = freq_cache[groups] = {
                t: freqs.for_resident(t, groups) for t in rules.DEFAULT_TIER_FREQUENCIES
            }
        if not history and freq_of.get(tier, rules.MONTH) == rules.MONTH and hid is not None:
            households[(gid, hid)].append((rid, (max(registered, year_ago) - base).days, (until - base).days))
            continue
        initial = history[0][1] if history else tier
        alone.append(
            (
                rid,
                gid,
                tier,
                rules.spans(registered, initial, [(on, to) for on, _f, to in history], freq_of),
                until,
            )
        )
    draw = rng.random
    ways = {f: _table_of(pairs) for f, pairs in WAYS.items()}
    visits: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    vid = int(s.scalar(select(func.max(Visit.id))) or 0)
    months = [
        ((p.start - base).days, (p.end - base).days) for p in rules.periods(rules.MONTH, year_ago, last_day)
    ]
    green, home = FINDINGS["GREEN"], ways[rules.MONTH]
    for (gid, hid), people in households.items():
        worker, keep = workers[gid], VISITED[rules.MONTH] * diligence[gid]
        whole = all(m[1] <= months[0][0] and m[2] >= last_i for m in people)
        ids = [m[0] for m in people]
        for start, end in months:
            if draw() > keep:
                continue
            if whole:
                day = start + int(draw() * (end - start + 1))
                at = ids
            else:
                here = [m for m in people if m[1] <= end and m[2] >= start]
                if not here:
                    continue
                first = max(start, min(m[1] for m in here))
                day = first + int(draw() * (end - first + 1))
                at = [m[0] for m in here if m[1] <= day <= m[2]]
            if day > last_i or not at:
                continue  # this month's visit is still to come
            way = home[int(draw() * 100)]
            chance = SEEN_AT_HOME if way == "HOME" else REACHED
            seen = [r for r in at if draw() < chance] or at[:1]
            vid += 1
            text = iso[day]
            visits.append(
                (vid, text, worker, way, green[int(draw() * len(green))], hid, gid, OPERATOR, stamp)
            )
            members += [(vid, r, text) for r in seen]
    for rid, gid, tier, spans, until in alone:
        worker, texts = workers[gid], FINDINGS.get(tier, green)
        for sp in spans:
            end_day = until if sp.until is None else min(until, sp.until - dt.timedelta(days=1))
            keep, table = VISITED[sp.freq] * diligence[gid], ways[sp.freq]
            stop_i = (end_day - base).days
            for first, last in _bounds(sp.freq, max(sp.start, year_ago), end_day, base):
                if draw() > keep:
                    continue
                day = first + int(draw() * (last - first + 1))
                if day > stop_i:
                    continue
                vid += 1
                text = iso[day]
                visits.append(
                    (vid, text, worker, table[int(draw() * 100)], texts[int(draw() * len(texts))], None, gid,
                     OPERATOR, stamp)
                )  # fmt: skip
                members.append((vid, rid, text))
    _bulk_load(
        s,
        [
            (_t(ResidentEvent), ["resident_id", "kind", "on_date", "from_value", "to_value", "reason", "approver",
                                 "user", "recorded_at"], changes),
            (_t(Visit), ["id", "visited_on", "visitor", "way", "findings", "household_id", "grid_id", "recorded_by",
                         "recorded_at"], visits),
            (_t(VisitMember), ["visit_id", "resident_id", "visited_on"], members),
        ],
    )  # fmt: skip
    out.visits, out.members, out.tier_changes = len(visits), len(members), len(changes)
    out.rows = len(visits) + len(members) + len(changes)
    out.seconds = time.perf_counter() - started
    return out


def _bounds(freq: str, start: dt.date, end: dt.date, base: dt.date) -> list[tuple[int, int]]:
    """The periods from ``start`` to ``end`` (``rules.periods``: the first begins on ``start``) as day
    numbers from ``base``; days and weeks counted directly (a 红 resident has 365 of them)."""
    if end < start:
        return []
    s, e = (start - base).days, (end - base).days
    if freq == rules.DAY:
        return [(d, d) for d in range(s, e + 1)]
    if freq == rules.WEEK:
        monday = s - start.weekday()
        return [(max(d, s), d + 6) for d in range(monday, e + 1, 7)]
    return [(max((p.start - base).days, s), (p.end - base).days) for p in rules.periods(freq, start, end)]


def _history(
    rng: random.Random, tier: str, registered: dt.date, as_of: dt.date
) -> list[tuple[dt.date, str, str]]:
    """A resident's tier changes (day, from, to), oldest first; none when the tier ran from registration."""
    earliest = max(registered + dt.timedelta(days=1), as_of - dt.timedelta(days=540))
    span = (as_of - earliest).days
    if span <= 1:
        return []
    if tier == "GREEN":
        if rng.random() >= DOWNGRADED:
            return []
        return [(earliest + dt.timedelta(days=rng.randrange(span)), "BLUE", "GREEN")]
    if rng.random() >= CHANGED_LATER:
        return []
    before = "BLUE" if tier in ("ORANGE", "RED") and rng.random() < 0.3 else "GREEN"
    return [(earliest + dt.timedelta(days=rng.randrange(span)), before, tier)]
