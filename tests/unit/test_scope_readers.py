"""Scope beyond the residents list: events (card, 处置单, attachments, export, ledger), visits (record, import,
history), households, reports (a 社区书记 gets their community, a 网格员 none) and 工作台's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from desktop.core.errors import PermissionDenied
from desktop.services import dashboard
from desktop.services import events as ev
from desktop.services import residents as rs
from desktop.services.events.attachments import add_attachment, list_attachments, read_attachment
from desktop.services.events.detail import event_detail
from desktop.services.events.exchange import export_events
from desktop.services.events.printing import dispatch_sheet, event_ledger
from desktop.services.reports import mediation_statistics, monthly_report
from desktop.services.reports.grid_bulletin import bulletin_figures
from desktop.services.visits.exchange import import_visits
from desktop.services.visits.record import VisitInput, record_visit, visits_of
from tests.unit.test_account_scope import WANG, ZHANG, world  # noqa: F401  (the fixture)


@pytest.fixture
def events(world, clock):  # noqa: F811
    signed, ids, grids = world
    made = {}
    for grid in ("新华一网格", "新华二网格", "朝阳一网格"):
        eid = ev.create_event(
            signed["street"],
            ev.EventInput(
                "网格员巡查", dt.datetime(2026, 11, 23, 8, 30), grids[grid], grid, "市政设施", "井盖"
            ),
        )
        made[grid] = eid
    return signed, ids, grids, made


def test_an_event_outside_the_grids_is_refused_everywhere(events, tmp_path):
    signed, _, grids, made = events
    grid = signed["grid"]
    mine, other = made["新华一网格"], made["朝阳一网格"]
    assert event_detail(grid, mine).place == "新华一网格"
    with pytest.raises(PermissionDenied, match="不在账号 grid 负责"):
        event_detail(grid, other)
    other_no = event_detail(signed["street"], other).event_no
    with pytest.raises(PermissionDenied, match="不在账号 grid 负责"):
        dispatch_sheet(grid, other_no)
    assert dispatch_sheet(grid, event_detail(grid, mine).event_no)[0] == mine
    att = add_attachment(signed["street"], other, "现场.jpg", b"\xff\xd8photo")
    with pytest.raises(PermissionDenied):
        list_attachments(grid, other)
    with pytest.raises(PermissionDenied):
        read_attachment(grid, att)
    with pytest.raises(PermissionDenied):  # a step on another grid's event rolls back
        ev.accept_event(grid, other, 1)
    with pytest.raises(PermissionDenied):  # nor can they report into another grid
        ev.create_event(
            grid,
            ev.EventInput(
                "网格员巡查", dt.datetime(2026, 11, 23, 9), grids["朝阳一网格"], "x", "市政设施", "y"
            ),
        )
    out = tmp_path / "e.xlsx"
    assert export_events(grid, out) == 1
    places = {row[4] for row in list(load_workbook(out).active.iter_rows(values_only=True))[1:]}
    assert places == {"新华一网格"}
    assert {r.grid for r in event_ledger(grid, "2026-11").rows} == {"新华一网格"}
    secretary = event_ledger(signed["secretary"], "2026-11")
    assert secretary.scope == "新华社区" and {r.grid for r in secretary.rows} == {"新华一网格", "新华二网格"}
    with pytest.raises(PermissionDenied, match="朝阳社区"):
        event_ledger(signed["secretary"], "2026-11", community="朝阳社区")
    with pytest.raises(PermissionDenied, match="网格事件"):
        event_detail(signed["mediator"], mine)


def test_visits_and_households_stay_inside_the_scope(world, clock, tmp_path):  # noqa: F811
    signed, ids, _ = world
    grid = signed["grid"]
    visit = VisitInput(dt.date(2026, 11, 20), "李晓梅", "入户", "家中一切正常", resident_ids=[ids["张伟"]])
    with pytest.raises(PermissionDenied, match="不在账号 grid 负责"):
        record_visit(grid, visit)
    record_visit(signed["street"], visit)
    with pytest.raises(PermissionDenied):
        visits_of(grid, ids["张伟"])
    assert len(visits_of(signed["secretary"], ids["张伟"])) == 1
    mine = VisitInput(dt.date(2026, 11, 20), "李晓梅", "入户", "正常", resident_ids=[ids["王建国"]])
    assert record_visit(grid, mine) > 0
    # an import: the other grid's resident is a row error, not a visit
    wb = Workbook()
    sheet = wb.active
    sheet.append(["身份证号码", "走访日期", "走访人", "走访方式", "情况记录"])
    sheet.append([WANG, "2026-11-21", "李晓梅", "电话", "正常"])
    sheet.append([ZHANG, "2026-11-21", "李晓梅", "电话", "正常"])
    path = tmp_path / "visits.xlsx"
    wb.save(path)
    report = import_visits(grid, path, dry_run=True)
    assert [i.row for i in report.issues] == [3]
    assert "本账号负责的社区或网格内没有" in report.issues[0].reason
    comm = rs.get_resident(signed["street"], ids["张伟"]).community_id
    street = signed["street"]
    grid_ids = world[2]
    theirs = rs.save_household(
        street, rs.HouseholdInput(comm, grid_ids["新华二网格"], estate="新华小区", room="101")
    )
    ours = rs.save_household(
        street, rs.HouseholdInput(comm, grid_ids["新华一网格"], estate="新华小区", room="102")
    )
    with pytest.raises(PermissionDenied, match="住户"):
        rs.get_household(grid, theirs)
    assert rs.get_household(grid, ours).id == ours
    assert {h.id for h in rs.search_households(grid, None, "新华小区")} == {ours}
    with pytest.raises(PermissionDenied):  # nor a new household in another grid
        rs.save_household(
            grid, rs.HouseholdInput(comm, grid_ids["新华二网格"], estate="新华小区", room="103")
        )


def test_reports_for_a_secretary_cover_their_community_and_none_for_a_grid_worker(world, clock):  # noqa: F811
    signed, _, _ = world
    secretary = signed["secretary"]
    report = monthly_report(secretary, "2026-10")
    assert report.community == "新华社区"  # asking for the street gives their community
    assert monthly_report(secretary, "2026-10", "新华社区").community == "新华社区"
    with pytest.raises(PermissionDenied, match="朝阳社区不在账号 secretary"):
        monthly_report(secretary, "2026-10", "朝阳社区")
    with pytest.raises(PermissionDenied, match="朝阳社区不在账号 secretary"):
        mediation_statistics(secretary, "2026Q3", "朝阳社区")
    assert {u.name for u in bulletin_figures(secretary, "2026-10").grids} <= {"新华一网格", "新华二网格"}
    assert monthly_report(signed["street"], "2026-10").community is None
    # a 网格员 whose role was given 统计报表 still gets no report: they compare grids and communities
    from dataclasses import replace

    grid = signed["grid"]
    assert grid.account is not None
    widened = grid.signed_in(replace(grid.account, permissions=grid.account.permissions | {"reports"}))
    with pytest.raises(PermissionDenied, match="网格员账号只看本网格"):
        monthly_report(widened, "2026-10")
    with pytest.raises(PermissionDenied, match="网格员账号只看本网格"):
        bulletin_figures(widened, "2026-10")


def test_the_dashboard_counts_the_accounts_scope(events):
    signed, _, _, made = events
    street = dashboard.street_figures(signed["street"])
    secretary = dashboard.street_figures(signed["secretary"])
    grid = dashboard.street_figures(signed["grid"])
    assert (street.residents, secretary.residents, grid.residents) == (4, 3, 2)
    assert (street.grids, secretary.grids, grid.grids) == (3, 2, 1)
    assert [c.name for c in secretary.per_community] == ["新华社区"]
    assert [c.name for c in grid.per_community] == ["新华社区"]
    assert grid.per_community[0].residents == 2
    assert {a.id for a in grid.alerts.rows} <= {made["新华一网格"]}
    assert (
        {a.id for a in street.alerts.rows}
        >= {a.id for a in secretary.alerts.rows}
        >= {a.id for a in grid.alerts.rows}
    )


def test_the_party_area_is_for_party_roles_and_party_roles_see_no_residents(world):  # noqa: F811
    from desktop.services import party

    signed, ids, _ = world
    assert party.list_org_tree(signed["party"]) == []  # allowed, nothing yet
    for role in ("grid", "mediator"):
        with pytest.raises(PermissionDenied, match="党建"):
            party.list_org_tree(signed[role])
        with pytest.raises(PermissionDenied, match="党建"):
            party.get_member(signed[role], 1)
        with pytest.raises(PermissionDenied, match="党建"):
            party.dues_overview(signed[role])
    with pytest.raises(PermissionDenied, match="查看居民"):
        rs.get_resident(signed["party"], ids["王建国"])
    with pytest.raises(PermissionDenied, match="查看居民"):
        rs.search_households(signed["party"], None, "")
