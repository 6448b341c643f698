"""A small register for the visit tests: residents in grid GC-01-001 with tiers, groups and a household,
registered from a given day (``created_at`` is set, as the register's first day of each record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from db.schema.people import Resident
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.context import ServiceContext
from tests.unit.resident_rosters import make_id


@dataclass
class VisitStreet:
    ctx: ServiceContext
    grids: dict[str, int]
    household: int
    ids: dict[str, int]  # name → resident id
    id_numbers: dict[str, str]


def registered_on(ctx: ServiceContext, day: dt.date, *ids: int) -> None:
    with ctx.write() as uow:
        uow.session.execute(
            update(Resident)
            .where(Resident.id.in_(ids))
            .values(created_at=dt.datetime.combine(day, dt.time(9)))
        )


def build(ctx: ServiceContext, since: dt.date = dt.date(2026, 1, 5)) -> VisitStreet:
    rows = st.list_grids(ctx)
    grids = {g.code: g.id for g in rows}
    community_of = {g.id: g.community_id for g in rows}
    community = community_of[grids["GC-01-001"]]
    g1, g2 = grids["GC-01-001"], grids["GC-02-001"]
    hh = rs.save_household(
        ctx, rs.HouseholdInput(community, g1, estate="新华小区", building="3", unit="1", room="101")
    )
    people = [
        ("张桂兰", g1, hh, None, "19480312", "011"),
        ("张建军", g1, hh, None, "19750620", "013"),
        ("刘晓燕", g1, hh, ["残疾人"], "19780909", "022"),
        ("马东", g1, None, ["社区矫正对象"], "19900101", "031"),
        ("周明", g2, None, None, "19850505", "041"),
    ]
    ids: dict[str, int] = {}
    numbers: dict[str, str] = {}
    for name, gid, household, tags, born, seq in people:
        numbers[name] = make_id("620201", born, seq)
        ids[name] = rs.save_resident(
            ctx,
            rs.ResidentInput(
                name,
                community_of[gid],
                id_number=numbers[name],
                grid_id=gid,
                household_id=household,
                tags=tags,
            ),
        )
    registered_on(ctx, since, *ids.values())
    return VisitStreet(ctx, grids, hh, ids, numbers)
