"""演示数据 for 网格事件: a year of events through the 吹哨报到 loop, with every step on record.

Street scale: about 40 events per grid per month (187 grids → some 90,000 a year); small scale: 8. They come
from the eight sources (most from the grid workers' rounds, then residents, the 12345 hotline and video
patrols), in the categories and sub-categories of the street's event settings (the defaults while none are
configured), most of them 一般 and some 紧急. Most are handled in the grid or community (就地处置, simple
ones closed the same day); the rest are dispatched to the category's department (派单) and a minority
whistled (工作推进哨/攻坚克难哨, then 报到). Some ask for an extension (approved or refused), some close after
their limit, a few stall and are red at the demo's moment (some of those with 督办 records), a few orders
are sent back (退回) or fail 核查. Events of the last days are still open, green or yellow.

Everything is written as the services would have written it, but in bulk (Core inserts inside the demo's
one transaction): numbers ``SJ2026-000123`` in order of receipt per year with the counter set to the last,
the limit and its end from the category rule on the holiday calendar (``desktop.domain.events.deadline``,
an approved extension through ``extended_deadline``), each step's state from ``next_state`` (the state
machine), the event's state, department, closed time, rating and step count from its steps.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from db.base import Base
from db.schema.events import EventNumberCounter, EventStep, GridEvent
from desktop.domain import events as rules
from desktop.services.demo import events_texts as tx
from desktop.services.demo import names as data
from desktop.services.demo.events_world import Limits, bulk, grid_world, receipts
from desktop.services.events.config import EventDictionary, load_event_dictionary
from desktop.services.events.intake import format_event_no
from desktop.services.judicial.common import load_calendar

EVENTS_PER_GRID_MONTH = {"street": 40, "small": 8}
SOURCE_WEIGHTS = {
    "网格员巡查": 42, "居民反映": 18, "12345热线": 14, "两代表一委员": 3, "上级交办": 5, "部门移交": 4,
    "视频监控": 10, "其他": 4,
}  # fmt: skip
CATEGORY_WEIGHTS = {
    "矛盾纠纷": 12, "治安隐患": 9, "安全生产": 6, "环境卫生": 22, "市政设施": 17, "违章建筑": 9, "消防安全": 11,
    "民生服务": 10, "其他": 4,
}  # fmt: skip
#: the share of a category's events handed to a department (the rest are handled in the grid/community)
TO_DEPARTMENT = {"违章建筑": 0.6, "市政设施": 0.55, "消防安全": 0.45, "安全生产": 0.45, "治安隐患": 0.4}
DEPARTMENT_SHARE = 0.3
WHISTLE_SHARE = 0.3  # of the events handed to a department
TOUGH_SHARE = 0.3  # of the whistles
URGENT_SHARE = 0.08
EXTENSION_SHARE = 0.1  # of day-limited events handed to a department
APPROVE_SHARE = 0.7
LATE_SHARE = 0.05  # closed after their limit
STALLED_SHARE = 0.035  # of the last 60 days' events: stuck, red at the demo's moment
SUPERVISE_SHARE = 0.5  # of the late ones
RETURN_SHARE = 0.03
REWORK_SHARE = 0.04  # 核查 not passed
RATINGS = (("SATISFIED", 80), ("BASIC", 16), ("UNSATISFIED", 4))
#: the people who report in person (with name and phone)
REPORTERS = ("居民反映", "12345热线", "两代表一委员")
OPERATOR = "演示数据"
_GIVEN = (
    "伟",
    "磊",
    "军",
    "勇",
    "静",
    "敏",
    "丽",
    "强",
    "涛",
    "超",
    "明",
    "华",
    "芳",
    "娟",
    "鹏",
    "斌",
    "杰",
    "刚",
)
_M = 60  # minutes an hour


@dataclass
class EventsDemo:
    events: int = 0
    steps: int = 0
    open: int = 0
    late: int = 0
    rows: int = 0
    seconds: float = 0.0


def _t(model: type[Base]) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _weighted(rng: random.Random, names: tuple[str, ...], weights: dict[str, int], default: int) -> str:
    return rng.choices(names, [weights.get(x, default) for x in names])[0]


def generate(
    s: Session, scale: str, rng: random.Random, as_of: dt.date, now_local: dt.datetime, now_utc: dt.datetime
) -> EventsDemo:
    """A year of grid events up to the demo's moment (9:00 of ``as_of``, or ``now_local`` if earlier)."""
    started = time.perf_counter()
    out = EventsDemo()
    cal = load_calendar(s)
    dic = load_event_dictionary(s)
    limits = Limits(cal)
    grids, people, spots, staff = grid_world(s, rng)
    if not grids or not dic.categories or not dic.sources:
        return out
    cutoff = min(dt.datetime.combine(as_of, dt.time(9, 0)), now_local.replace(second=0, microsecond=0))
    n = EVENTS_PER_GRID_MONTH[scale] * 12 * len(grids)
    people_of = {
        d: [f"{d}{rng.choice(data.SURNAMES)[0]}{rng.choice(_GIVEN)}" for _ in range(3)]
        for d in dic.departments
    }
    center = people_of.get("街道综治中心") or ["街道综治中心"]
    stamp = {"created_at": now_utc, "updated_at": now_utc, "version": 1}
    ev_id = int(s.scalar(select(func.max(GridEvent.id))) or 0)
    st_id = int(s.scalar(select(func.max(EventStep.id))) or 0)
    seqs: dict[int, int] = defaultdict(int)
    events: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    cats = dic.categories
    cat_w = [CATEGORY_WEIGHTS.get(c.code, 3) for c in cats]
    stall_from = cutoff - dt.timedelta(days=60)
    for received in receipts(rng, n, cutoff, cal):
        gid, gname = rng.choice(grids)
        cat = rng.choices(cats, cat_w)[0]
        sub = rng.choice(cat.subcategories).label if cat.subcategories else None
        urgency = "URGENT" if rng.random() < URGENT_SHARE else "NORMAL"
        resolved = dic.resolve(cat.code, sub, urgency)
        source = _weighted(rng, dic.sources, SOURCE_WEIGHTS, 3)
        workers = staff.get(gid) or [f"{gname}网格员"]
        worker, chief = rng.choice(workers), workers[0]
        spot = rng.choice(spots[gid]) if spots.get(gid) else None
        if spot:
            b, u = spot[1], spot[2]
            place = spot[0] + rng.choice(tx.PLACE_SPOTS).format(b=b, u=u)
        else:
            place = gname + rng.choice(("内", "门口", "周边道路", "院内"))
        texts = tx.DESCRIPTIONS.get(sub or cat.code) or tuple(
            g.replace("{what}", sub or cat.code) for g in tx.GENERIC
        )
        person = rng.choice(people[gid]) if source in REPORTERS and people.get(gid) else None
        ev_id += 1
        seqs[received.year] += 1
        ev: dict[str, Any] = {
            "id": ev_id,
            "event_no": format_event_no(received.year, seqs[received.year]),
            "source": source,
            "received_at": received,
            "grid_id": gid,
            "place": place,
            "category": cat.code,
            "subcategory": sub,
            "urgency": urgency,
            "description": rng.choice(texts).format(place=place),
            "reporter_name": person.name if person else None,
            "reporter_phone": person.phone if person else None,
            "resident_id": person.id if person and source == "居民反映" else None,
            "household_id": person.household_id if person and source == "居民反映" else None,
            "mediation_case_id": None,
            "limit_amount": resolved.limit.amount,
            "limit_unit": resolved.limit.unit,
            "created_by": OPERATOR,
            **stamp,
        }
        plan = _plan(rng, ev, resolved.department, dic, limits, received >= stall_from, cutoff)
        ev_steps = _steps(rng, ev, plan, received, cutoff, worker, chief, person, people_of, center)
        for row in ev_steps:
            st_id += 1
            row["id"] = st_id
            row["recorded_at"] = now_utc
        steps += ev_steps
        events.append(ev)
        out.open += ev["closed_at"] is None
        out.late += (ev["closed_at"] or cutoff) > ev["deadline"]
    bulk(s, _t(GridEvent), events)
    bulk(s, _t(EventStep), steps)
    counters = [{"year": y, "last_seq": n} for y, n in sorted(seqs.items())]
    s.execute(delete(_t(EventNumberCounter)).where(_t(EventNumberCounter).c.year.in_(list(seqs))))
    s.execute(insert(_t(EventNumberCounter)), counters)
    out.events, out.steps = len(events), len(steps)
    out.rows = len(events) + len(steps) + len(counters)
    out.seconds = time.perf_counter() - started
    return out


@dataclass
class _Plan:
    """An event's path: the loop steps (kind, extras) in order, how long it takes, extension and 督办."""

    main: list[tuple[str, dict[str, Any]]]
    deadline0: dt.datetime
    deadline: dt.datetime
    total: int  # minutes from receipt to 结案
    department: str | None  # the category's, given at intake
    ext_days: int = 0
    ext_approved: bool = False
    late: bool = False
    stalled: bool = False
    rated: bool = False


def _plan(
    rng: random.Random,
    ev: dict[str, Any],
    dept: str | None,
    dic: EventDictionary,
    limits: Limits,
    recent: bool,
    cutoff: dt.datetime,
) -> _Plan:
    received: dt.datetime = ev["received_at"]
    limit = rules.TimeLimit(ev["limit_amount"], ev["limit_unit"])
    end0 = limits.end(received, limit)
    share = TO_DEPARTMENT.get(ev["category"], DEPARTMENT_SHARE)
    depts = dic.departments
    to_dept = dept is not None and dept in depts and rng.random() < share
    main: list[tuple[str, dict[str, Any]]] = [("ACCEPT", {})]
    if not to_dept:
        main.append(("HANDLE", {}))
        if rng.random() < REWORK_SHARE:
            main += [("VERIFY", {"passed": False}), ("HANDLE", {})]
        simple = rng.random() < 0.55
        if not simple:
            main.append(("VERIFY", {"passed": True}))
        main.append(("CLOSE", {}))
    else:
        whistle = rng.random() < WHISTLE_SHARE
        if whistle:
            kind = "TOUGH" if rng.random() < TOUGH_SHARE else "PROGRESS"
            main += [
                ("WHISTLE", {"department": dept, "whistle_kind": kind}),
                ("DISPATCH", {"department": dept}),
            ]
        else:
            if rng.random() < RETURN_SHARE and len(depts) > 1:
                wrong = rng.choice([d for d in depts if d != dept])
                main += [("DISPATCH", {"department": wrong}), ("SIGN", {}), ("RETURN", {})]
            main.append(("DISPATCH", {"department": dept}))
        main.append(("SIGN", {}))
        if whistle or rng.random() < 0.2:
            main.append(("ARRIVE", {}))
        main.append(("DISPOSE", {}))
        if rng.random() < REWORK_SHARE:
            main += [("VERIFY", {"passed": False}), ("DISPOSE", {})]
        main += [("VERIFY", {"passed": True}), ("CLOSE", {})]
    plan = _Plan(main, end0, end0, 0, dept, rated=to_dept and rng.random() < 0.92)
    if to_dept and limit.unit == "WORKDAY" and rng.random() < EXTENSION_SHARE:
        plan.ext_days = rng.choice((3, 5, 5, 7, 10))
        plan.ext_approved = rng.random() < APPROVE_SHARE
        if plan.ext_approved:
            plan.deadline = limits.extended(end0, plan.ext_days)
    span = (plan.deadline - received).total_seconds() / 60
    roll = rng.random()
    if recent and roll < STALLED_SHARE:  # still open at the demo's moment, red once its limit is past
        u = (cutoff - received).total_seconds() / 60 / span + rng.uniform(0.2, 3.0)
    elif roll < STALLED_SHARE + LATE_SHARE or (plan.ext_days and not plan.ext_approved and roll < 0.5):
        u = rng.uniform(1.05, 1.8)
    elif plan.ext_approved:
        u = rng.uniform(0.75, 0.98)
    elif main[-2][0] == "HANDLE":  # a simple event, closed the same day
        u = min(rng.uniform(0.1, 0.9), rng.uniform(60, 300) / span)
    elif to_dept:  # a department takes most of its time
        u = rng.triangular(0.3, 0.98, 0.85)
    else:
        u = rng.uniform(0.15, 0.9)
    plan.total = max(len(main) * 5, int(span * u))
    plan.late = plan.total > span
    plan.stalled = recent and roll < STALLED_SHARE
    return plan


def _steps(
    rng: random.Random,
    ev: dict[str, Any],
    plan: _Plan,
    received: dt.datetime,
    cutoff: dt.datetime,
    worker: str,
    chief: str,
    person: Any,
    people_of: dict[str, list[str]],
    center: list[str],
) -> list[dict[str, Any]]:
    """The event's steps up to ``cutoff`` with their states; fills in the event's state columns."""
    total, k = plan.total, len(plan.main)
    accept = min(rng.randint(5, 90), total // 4)
    marks = [*sorted(rng.randint(accept + 1, total) for _ in range(k - 2)), total]
    timed: list[tuple[int, int, str, dict[str, Any]]] = [(accept, 0, "ACCEPT", {})]
    for i, ((kind, extra), m) in enumerate(zip(plan.main[1:], marks, strict=True), start=1):
        if kind == "SIGN":  # within the hour of the order
            m = min(timed[-1][0] + rng.randint(5, 55), m)
        m = max(m, timed[-1][0])
        timed.append((m, i, kind, extra))
    close = timed[-1][0]
    end0 = int((plan.deadline0 - received).total_seconds() // 60)
    end = int((plan.deadline - received).total_seconds() // 60)
    if plan.ext_days:  # asked for by the department once it has signed for the order
        lo = max(m for m, _i, kind, _x in timed if kind == "SIGN") + 1
        hi = min(close, end0) - 2
        if hi > lo:
            r = rng.randint(lo, hi)
            d = min(r + rng.randint(60, 24 * _M), hi + 1)
            timed.append((r, k, "EXT_REQUEST", {"extension_days": plan.ext_days}))
            kind = "EXT_APPROVE" if plan.ext_approved else "EXT_REFUSE"
            timed.append((d, k + 1, kind, {"extension_days": plan.ext_days if plan.ext_approved else None}))
        elif plan.ext_approved:  # no room to ask before the limit: no extension after all
            plan.deadline, end = plan.deadline0, end0
    by = min(close - 1, end + 3 * 24 * _M, int((cutoff - received).total_seconds() // 60))
    if (
        plan.late and rng.random() < (0.85 if plan.stalled else SUPERVISE_SHARE) and by > end + 30
    ):  # 督办 once it is red
        timed.append((rng.randint(end + 30, by), k + 2, "SUPERVISE", {}))
    after = close
    if ev["reporter_name"] and rng.random() < 0.8:
        after += rng.randint(60, 3 * 24 * _M)
        timed.append((after, k + 3, "VISIT", {}))
    if plan.rated:
        after += rng.randint(30, 2 * 24 * _M)
        code = rng.choices([c for c, _w in RATINGS], [w for _c, w in RATINGS])[0]
        timed.append((after, k + 4, "RATE", {"rating": code}))
    timed.sort(key=lambda x: (x[0], x[1]))
    if ev["urgency"] == "NORMAL":  # an ordinary event waits for the morning
        start, last = received.hour * _M + received.minute, 0
        for j, (m, i, kind, extra) in enumerate(timed):
            last = max(last, _daytime(start + m) - start)
            timed[j] = (last, i, kind, extra)

    reporter = person.name if person else worker
    state, whistle_kind = "REPORTED", None
    dept = plan.department  # the category's, given at intake
    rows = [_row(ev, "REPORT", received, reporter, None, None, "REPORTED")]
    ev_deadline, extended, pending, closed_at, rating = plan.deadline0, 0, False, None, None
    for m, _i, kind, extra in timed:
        at = received + dt.timedelta(minutes=m)
        if at > cutoff:
            break
        passed = extra.get("passed", True)
        state = rules.next_state(state, kind, passed=passed)
        step_dept = dept
        note: str | None = None
        row_extra: dict[str, Any] = {}
        actor = worker
        who = dept or "街道综治中心"
        staff = people_of.get(who) or [who]
        if kind in ("WHISTLE", "DISPATCH"):
            dept = step_dept = extra["department"]
            actor = chief
            if kind == "WHISTLE":
                whistle_kind = row_extra["whistle_kind"] = extra["whistle_kind"]
                note = rng.choice(tx.WHISTLE_REASONS).format(dept=dept)
            else:
                note = rng.choice(tx.DISPATCH_NOTES)
        elif kind == "RETURN":
            actor, note = rng.choice(staff), rng.choice(tx.RETURNS)
            dept, whistle_kind = None, None
        elif kind in ("SIGN", "ARRIVE"):
            actor = rng.choice(staff)
        elif kind == "DISPOSE":
            actor, note = rng.choice(staff), rng.choice(tx.DISPOSED).format(dept=dept)
        elif kind == "HANDLE":
            note = rng.choice(tx.HANDLED)
        elif kind == "VERIFY":
            note = rng.choice(tx.VERIFY_OK if passed else tx.VERIFY_FAILED)
        elif kind == "CLOSE":
            actor, note, closed_at, pending = chief, rng.choice(tx.CLOSE_NOTES), at, False
        elif kind == "VISIT":
            note = rng.choice(tx.VISITS)
        elif kind == "RATE":
            actor, rating = chief, extra["rating"]
            row_extra["rating"] = rating
        elif kind == "EXT_REQUEST":
            actor, note, pending = rng.choice(staff), rng.choice(tx.EXTENSION_REASONS), True
            row_extra["extension_days"] = extra["extension_days"]
        elif kind == "EXT_APPROVE":
            ev_deadline, extended, pending = plan.deadline, extended + plan.ext_days, False
            actor = rng.choice(center)
            note = f"同意延期 {plan.ext_days} 个工作日，期限至 {rules.format_end(ev_deadline)}"
            row_extra.update(extension_days=plan.ext_days, new_deadline=ev_deadline)
        elif kind == "EXT_REFUSE":
            actor, note, pending = rng.choice(center), rng.choice(tx.REFUSALS), False
        elif kind == "SUPERVISE":
            actor, note = rng.choice(center), rng.choice(tx.SUPERVISIONS).format(dept=who)
        if kind != "RETURN":
            step_dept = dept
        row = _row(ev, kind, at, actor, step_dept, note, state, **row_extra)
        if kind == "VERIFY":
            row["passed"] = passed
        rows.append(row)
    ev.update(
        state=state,
        department=dept,
        whistle_kind=whistle_kind,
        deadline=ev_deadline,
        extended_days=extended,
        extension_pending=pending,
        closed_at=closed_at,
        rating=rating,
        step_count=len(rows),
    )
    return rows


def _daytime(minute: int) -> int:
    """A moment (minutes from a midnight) moved out of the night (22:00–7:00) into the early morning,
    never earlier than it was and keeping the order of moments."""
    day, m = divmod(minute, 24 * _M)
    if 7 * _M <= m < 22 * _M:
        return minute
    if m >= 22 * _M:
        return (day + 1) * 24 * _M + 7 * _M + (m - 22 * _M) // 8
    return day * 24 * _M + 7 * _M + (m + 2 * _M) // 8


def _row(
    ev: dict[str, Any],
    kind: str,
    at: dt.datetime,
    actor: str,
    department: str | None,
    note: str | None,
    state: str,
    *,
    whistle_kind: str | None = None,
    rating: str | None = None,
    extension_days: int | None = None,
    new_deadline: dt.datetime | None = None,
) -> dict[str, Any]:
    return {
        "event_id": ev["id"],
        "kind": kind,
        "at": at,
        "actor": actor[:50],
        "department": department,
        "note": note,
        "state_after": state,
        "whistle_kind": whistle_kind,
        "rating": rating,
        "passed": None,
        "extension_days": extension_days,
        "new_deadline": new_deadline,
        "recorded_by": OPERATOR,
    }
