"""The reads behind 今日应走访 and the visit rate, shaped for set arithmetic rather than per-resident loops.

* ``load_register``: the register as plain rows (active residents, with ``leavers_from`` also those who left
  on or after it), their special-group tags and their tier changes.
* ``day_sets``: per day of a window, the set of residents with a visit that day — one grouped pass over the
  ``visit_member(visited_on, resident_id)`` index, each day's ids run together as text and split in C. A
  street's window of visits (several hundred thousand) becomes about a hundred sets, and "who had no visit
  in this period" is a set difference.
* ``last_visits``: each resident's last visit on or before a day, from the day sets first and from the
  older history only for those the window does not answer.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from typing import cast as cast_type

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from db.schema.people import Resident, ResidentEvent, ResidentEventKind, ResidentStatus, ResidentTag
from db.schema.structure import Community, Grid, GridRole, GridStaff
from db.schema.visits import VisitMember

#: a register row: id, name, id_number, grid_id, household_id, care_tier, created (ISO day), status,
#: status_changed_on (ISO day)
RegisterRow = tuple[int, str, str | None, int | None, int | None, str, str, str, str | None]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a street's rows are built: they hold no cycles, and the collector
    would walk the hundreds of thousands of live tuples again and again (a quarter of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def raw_rows(s: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """Run a query built by SQLAlchemy straight on the DBAPI cursor: for a street's 130,000 rows the result
    layer costs more than the query. Only for columns that come back as plain text and numbers."""
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args: Any = [params[k] for k in compiled.positiontup] if compiled.positiontup else params
    cursor: Any = cast_type(Any, conn.connection).dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


_Q = TypeVar("_Q")


def in_grids(q: _Q, grid_ids: list[int] | None) -> _Q:
    """``q`` (a select over Resident) narrowed to the grids, if any."""
    return q if grid_ids is None else cast_type(Any, q).where(Resident.grid_id.in_(grid_ids))


@dataclass
class Register:
    residents: list[RegisterRow]
    tags: dict[int, list[str]]
    changes: dict[int, list[tuple[dt.date, str, str | None]]]
    _dates: dict[str, dt.date]

    def day(self, text: str) -> dt.date:
        """An ISO day as a date, parsed once per distinct value."""
        got = self._dates.get(text)
        if got is None:
            got = self._dates[text] = dt.date.fromisoformat(text[:10])
        return got


def load_register(s: Session, grid_ids: list[int] | None, *, leavers_from: dt.date | None) -> Register:
    """Residents (active; with ``leavers_from``, also those who left on or after it), their tags and tier
    changes. Core queries on the session's connection (no ORM rows)."""
    conn = s.connection()
    who = Resident.status == ResidentStatus.ACTIVE
    # the same test on an expression: nearly every resident is active, and a table scan reads a street
    # about twice as fast as the status index does
    scan = Resident.status.concat("") == ResidentStatus.ACTIVE
    if leavers_from is not None:
        who = who | (Resident.status_changed_on >= leavers_from)
        scan = scan | (Resident.status_changed_on >= leavers_from)
    q = in_grids(
        select(
            Resident.id, Resident.name, Resident.id_number, Resident.grid_id, Resident.household_id,
            Resident.care_tier, func.substr(cast(Resident.created_at, String), 1, 10), Resident.status,
            func.substr(cast(Resident.status_changed_on, String), 1, 10),
        ).where(scan),
        grid_ids,
    )  # fmt: skip
    residents = cast_type(list[RegisterRow], raw_rows(s, q.order_by(Resident.id)))
    tags: dict[int, list[str]] = defaultdict(list)
    tq = select(ResidentTag.resident_id, ResidentTag.tag).join(
        Resident, Resident.id == ResidentTag.resident_id
    )
    for rid, tag in conn.execute(in_grids(tq.where(who), grid_ids).order_by(ResidentTag.id)):
        tags[rid].append(tag)
    changes: dict[int, list[tuple[dt.date, str, str | None]]] = defaultdict(list)
    cq = (
        select(
            ResidentEvent.resident_id, ResidentEvent.on_date, ResidentEvent.to_value, ResidentEvent.from_value
        )
        .join(Resident, Resident.id == ResidentEvent.resident_id)
        .where(ResidentEvent.kind == ResidentEventKind.CARE_TIER, who)
    )
    for rid, on, to, frm in conn.execute(
        in_grids(cq, grid_ids).order_by(ResidentEvent.on_date, ResidentEvent.id)
    ):
        changes[rid].append((on, to, frm))
    return Register(residents, dict(tags), dict(changes), {})


def _joined_ids(s: Session) -> Any:
    ids = cast(VisitMember.resident_id, String)
    if s.get_bind().dialect.name == "postgresql":
        return func.string_agg(ids, ",")
    return func.group_concat(ids, ",")


def day_sets(s: Session, grid_ids: list[int] | None, lo: dt.date, hi: dt.date) -> dict[str, set[int]]:
    """ISO day → the residents with a visit that day, for the days in [lo, hi] that have one."""
    if hi < lo:
        return {}
    q = (
        select(cast(VisitMember.visited_on, String), _joined_ids(s))
        .where(VisitMember.visited_on >= lo, VisitMember.visited_on <= hi)
        .group_by(VisitMember.visited_on)
    )
    if grid_ids is not None:
        q = q.where(VisitMember.resident_id.in_(select(Resident.id).where(Resident.grid_id.in_(grid_ids))))
    return {str(day)[:10]: set(map(int, ids.split(","))) for day, ids in raw_rows(s, q) if ids}


def iso_days(first: dt.date, last: dt.date) -> list[str]:
    """The ISO days from ``first`` to ``last`` inclusive."""
    out, day, one = [], first, dt.timedelta(days=1)
    while day <= last:
        out.append(day.isoformat())
        day += one
    return out


def sets_of(days: dict[str, set[int]], first: dt.date, last: dt.date) -> list[set[int]]:
    """The day sets of the days from ``first`` to ``last`` that have visits."""
    return [got for d in iso_days(first, last) if (got := days.get(d)) is not None]


def dates_of(days: dict[str, set[int]], ids: set[int]) -> dict[int, list[str]]:
    """Each of ``ids`` → the ISO days of its visits among ``days`` (in no particular order)."""
    out: dict[int, list[str]] = defaultdict(list)
    if ids:
        for day, seen in days.items():
            for rid in ids & seen:
                out[rid].append(day)
    return out


#: above this many residents without a visit in the window, their older last visits are read in one
#: grouped pass instead of by id
_BY_ID = 3000


def last_visits(
    s: Session, days: dict[str, set[int]], ids: Iterable[int], window_start: dt.date
) -> dict[int, dt.date]:
    """Each of ``ids`` → its last visit on or before the newest of ``days`` (``days`` cover every day from
    ``window_start`` to that one); residents never visited are absent."""
    pending = set(ids)
    out: dict[int, dt.date] = {}
    for day in sorted(days, reverse=True):
        if not pending:
            break
        hit = pending & days[day]
        if hit:
            when = dt.date.fromisoformat(day)
            out.update(dict.fromkeys(hit, when))
            pending -= hit
    if not pending:
        return out
    base = select(VisitMember.resident_id, func.max(cast(VisitMember.visited_on, String))).where(
        VisitMember.visited_on < window_start
    )
    older: list[Any] = []
    if len(pending) > _BY_ID:
        older = [r for r in s.connection().execute(base.group_by(VisitMember.resident_id)) if r[0] in pending]
    else:
        chunk = sorted(pending)
        for i in range(0, len(chunk), 500):
            older += s.connection().execute(
                base.where(VisitMember.resident_id.in_(chunk[i : i + 500])).group_by(VisitMember.resident_id)
            )
    out.update({rid: dt.date.fromisoformat(str(day)[:10]) for rid, day in older if day})
    return out


def staff(s: Session) -> tuple[dict[int, tuple[str, str, str]], dict[int, tuple[str, ...]]]:
    """Grid id → (code, name, community name), and grid id → its 专职网格员 and 网格长 in post."""
    grids = {
        gid: (code, name, community)
        for gid, code, name, community in s.execute(
            select(Grid.id, Grid.code, Grid.name, Community.name).join(
                Community, Community.id == Grid.community_id
            )
        )
    }
    workers: dict[int, list[str]] = defaultdict(list)
    for gid, name in s.execute(
        select(GridStaff.grid_id, GridStaff.name)
        .where(GridStaff.retired_on.is_(None), GridStaff.role.in_([GridRole.WORKER, GridRole.CHIEF]))
        .order_by(GridStaff.grid_id, GridStaff.role.desc(), GridStaff.sort_key, GridStaff.id)
    ):
        workers[gid].append(name)
    return grids, {g: tuple(n) for g, n in workers.items()}
