"""Search results do not depend on how many rows a prefix matches.

The list used to switch from the initials / region-code index to a scan of the whole register above 8,000
matches; the two plans must have given (and the single plan now gives) the same ids in the same order.
"""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from db.schema.people import Household, Resident
from desktop.services import residents as rs
from desktop.services import structure as st

CUTOFF = 8000  # the old cut-over, kept here to place the result sets either side of it


def _add(ctx, start: int, count: int, rnd: random.Random, initials: str, region: str, hh_base: int) -> None:
    """``count`` residents from id ``start``: mixed grids and households, ids not in list order."""
    grids = [(g.community_id, g.id) for g in st.list_grids(ctx)]
    households, residents = [], []
    for k in range(count // 4 + 1):
        cid, gid = grids[k % len(grids)]
        households.append({"id": hh_base + k, "community_id": cid, "grid_id": gid, "household_no": f"T{hh_base + k}",
                           "estate": "新华小区", "version": 1})  # fmt: skip
    order = list(range(count))
    rnd.shuffle(order)
    for n, k in enumerate(order):
        hh = households[k // 4]
        name = rnd.choice("王魏吴") + rnd.choice("建军杰娟")
        residents.append({
            "id": start + n, "name": name, "name_initials": initials + rnd.choice("gjx"), "id_region": region,
            "community_id": hh["community_id"], "grid_id": hh["grid_id"], "household_id": hh["id"],
            "status": "ACTIVE" if rnd.random() < 0.95 else "MOVED", "version": 1,
        })  # fmt: skip
    with ctx.database.engine.begin() as conn:
        conn.execute(sa.insert(Household.__table__), households)
        for i in range(0, len(residents), 2000):
            conn.execute(sa.insert(Resident.__table__), residents[i : i + 2000])


def _expected(ctx, prefix: str, key) -> list[int]:
    with ctx.database.engine.connect() as conn:
        rows = conn.execute(sa.select(Resident.__table__).where(Resident.status == "ACTIVE")).mappings().all()
    return [r["id"] for r in sorted((r for r in rows if key(r).startswith(prefix)), key=_list_order)]


def _list_order(r) -> tuple[int, int, int, int]:
    return (r["community_id"], r["grid_id"], r["household_id"], r["id"])


@pytest.mark.parametrize(
    ("text", "key"), [("wj", lambda r: r["name_initials"]), ("6202", lambda r: r["id_region"])]
)
def test_a_prefix_gives_the_same_list_below_and_above_the_old_cutoff(street_ctx, text, key):
    ctx, rnd = street_ctx, random.Random(16)
    _add(ctx, 1000, 7600, rnd, "wj", "620201", 1000)  # ≈ 7,220 active matches: below the cut-over
    _add(ctx, 20_000, 3000, rnd, "wx", "410102", 5000)  # near misses of both prefixes
    below = rs.search_resident_ids(ctx, rs.ResidentFilter(text=text))
    assert below == _expected(ctx, text, key)
    assert len(below) < CUTOFF
    first_page = [r.id for r in rs.fetch_resident_rows(ctx, below[:200])]

    _add(ctx, 40_000, 1200, rnd, "wj", "620201", 9000)  # households after the first page's, in every grid
    above = rs.search_resident_ids(ctx, rs.ResidentFilter(text=text))
    assert above == _expected(ctx, text, key)
    assert len(above) > CUTOFF
    assert sorted(above) == sorted(set(above))
    # the list order is 社区 → 网格 → 户: the new households sort into each grid after the old ones, so the
    # first page (all in the first grid's early households) is unchanged
    assert [r.id for r in rs.fetch_resident_rows(ctx, above[:200])] == first_page == below[:200]


def test_name_sort_is_initials_then_name_then_id_both_ways(street_ctx):
    ctx, rnd = street_ctx, random.Random(7)
    _add(ctx, 1000, 3000, rnd, "wj", "620201", 1000)
    _add(ctx, 9000, 3000, rnd, "lj", "620201", 5000)
    with ctx.database.engine.connect() as conn:
        rows = conn.execute(
            sa.select(Resident.id, Resident.name_initials, Resident.name).where(Resident.status == "ACTIVE")
        ).all()
    expected = [r.id for r in sorted(rows, key=lambda r: (r.name_initials, r.name, r.id))]
    assert rs.search_resident_ids(ctx, rs.ResidentFilter(sort="name")) == expected
    assert rs.search_resident_ids(ctx, rs.ResidentFilter(sort="name", descending=True)) == expected[::-1]
    wj = [i for i in expected if i < 9000]
    assert rs.search_resident_ids(ctx, rs.ResidentFilter(text="wj", sort="name")) == wj
