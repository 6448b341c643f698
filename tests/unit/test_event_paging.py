"""The event list read a page at a time: keyset pages (after the previous page's last row) and deep offsets
give exactly the rows of one whole read; grids are labelled with their community when the list spans
communities (第一网格 exists in many)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from desktop.domain.text import grid_label
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services import visits as vs
from desktop.services.context import ServiceContext
from tests.unit.test_event_services import new_event
from tests.unit.visit_street import build

T = dt.datetime


@pytest.fixture
def grids(street_ctx: ServiceContext) -> dict[str, int]:
    return {g.code: g.id for g in st.list_grids(street_ctx)}


def test_keyset_and_deep_offsets_give_the_rows_of_one_read(street_ctx, grids) -> None:
    rng = random.Random(5)
    codes = sorted(grids)
    for i in range(47):
        # several events share a received time: the id breaks the tie in both orders
        at = T(2026, 11, 1, 8, 0) + dt.timedelta(hours=rng.randrange(0, 400, 3))
        new_event(street_ctx, grids[rng.choice(codes)], received_at=at, place=f"地点{i}")
    as_of = T(2026, 11, 23, 10, 0)
    for flt in (ev.EventFilter(), ev.EventFilter(grid_id=grids["GC-01-001"]), ev.EventFilter(state="closed")):
        whole = [r.id for r in ev.list_events(street_ctx, flt, as_of=as_of).rows]
        paged: list[int] = []
        after = None
        while True:
            page = ev.list_events(street_ctx, flt, as_of=as_of, limit=6, after=after, totals=False)
            assert page.total == -1
            if not page.rows:
                break
            paged += [r.id for r in page.rows]
            after = (page.rows[-1].received_at, page.rows[-1].id)
        assert paged == whole
        for offset in (0, 1, 5, 6, 13, len(whole) - 1, len(whole), len(whole) + 4):
            got = ev.list_events(street_ctx, flt, as_of=as_of, limit=5, offset=offset)
            assert [r.id for r in got.rows] == whole[offset : offset + 5], (flt, offset)
            assert got.total == len(whole)


def test_grids_carry_their_community_when_the_list_spans_communities(street_ctx, grids) -> None:
    assert grid_label("新华社区第一网格") == "第一网格"
    assert grid_label("第四网格", "东风社区") == "东风社区·第四网格"
    assert grid_label("新华一网格") == "新华一网格"
    new_event(street_ctx, grids["GC-01-001"])
    new_event(street_ctx, grids["GC-02-001"], received_at=T(2026, 11, 23, 9, 30))
    street = ev.list_events(street_ctx, as_of=T(2026, 11, 23, 10, 0))
    assert {r.grid_label for r in street.rows} == {"新华社区·新华一网格", "朝阳社区·朝阳一网格"}
    one = ev.list_events(street_ctx, ev.EventFilter(grid_id=grids["GC-01-001"]), as_of=T(2026, 11, 23, 10, 0))
    assert [r.grid_label for r in one.rows] == ["新华一网格"]
    alerts = ev.todays_alerts(street_ctx, as_of=T(2026, 12, 1, 10, 0))  # both past their 5 working days
    assert {r.grid_label for r in alerts.rows} == {"新华社区·新华一网格", "朝阳社区·朝阳一网格"}
    assert {r.event.grid_label for r in ev.supervision_list(street_ctx, as_of=T(2026, 12, 1, 10, 0))} == {
        "新华社区·新华一网格",
        "朝阳社区·朝阳一网格",
    }
    # the CLI's JSON keeps the grid's code
    assert street.rows[0].to_json()["grid_code"] in {"GC-01-001", "GC-02-001"}
    # 今日应走访 rows carry the community for the page to show
    people = build(street_ctx)
    rows = {r.name: r for r in vs.due_list(street_ctx).rows}
    assert (rows["周明"].grid_name, rows["周明"].community_name) == ("朝阳一网格", "朝阳社区")
    assert rows["马东"].community_name == "新华社区" and people.ids["马东"] == rows["马东"].resident_id
