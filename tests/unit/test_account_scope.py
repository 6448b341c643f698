"""Scope and permissions enforced in the services: a 网格员 sees their grids' residents only (list, search,
card, export), a 社区书记 their community, a 调解员 cannot unmask; writes outside a role roll back."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from desktop.core.errors import PermissionDenied
from desktop.services import accounts
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.accounts import AccountInput
from desktop.services.residents.exchange import export_residents
from tests.unit.test_mediation_helpers import setup_committee
from tests.unit.test_residents_service import LI, WANG, ZHANG

PW = "Scope#2026x"


@pytest.fixture
def world(street_ctx):
    """Four residents: two in 新华一网格, one in 新华二网格, one in 朝阳一网格; an account per role."""
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    grids = {g.name: g.id for g in st.list_grids(ctx)}
    xinhua, chaoyang = comms["新华社区"], comms["朝阳社区"]
    people = {
        "王建国": (xinhua, grids["新华一网格"], WANG),
        "李秀兰": (xinhua, grids["新华一网格"], LI),
        "张伟": (xinhua, grids["新华二网格"], ZHANG),
        "赵敏": (chaoyang, grids["朝阳一网格"], None),
    }
    ids = {
        name: rs.save_resident(
            ctx, rs.ResidentInput(name=name, community_id=c, grid_id=g, id_number=idn, phone="13800001111")
        )
        for name, (c, g, idn) in people.items()
    }
    committee = setup_committee(ctx, xinhua)[0]  # a 调解员 belongs to one
    accounts.create_account(ctx, AccountInput("admin", "系统管理员"), PW)
    admin = ctx.signed_in(accounts.sign_in(ctx, "admin", PW).account)
    made = {
        "grid": AccountInput("grid", "网格员", grid_ids=[grids["新华一网格"]], must_change_password=False),
        "secretary": AccountInput(
            "secretary", "社区书记/主任", community_id=xinhua, must_change_password=False
        ),
        "street": AccountInput("street", "街道管理员/统计员", must_change_password=False),
        "mediator": AccountInput("mediator", "调解员", committee_id=committee, must_change_password=False),
        "party": AccountInput("party", "党务", must_change_password=False),
    }
    signed = {"admin": admin}
    for login, data in made.items():
        accounts.create_account(admin, data, PW)
        signed[login] = ctx.signed_in(accounts.sign_in(ctx, login, PW).account)
    return signed, ids, grids


def _names(ctx, text=""):
    found = rs.search_resident_ids(ctx, rs.ResidentFilter(text=text))
    return {row.name for row in rs.fetch_resident_rows(ctx, found)}


def test_each_role_lists_only_its_scope(world):
    signed, ids, _ = world
    assert _names(signed["street"]) == {"王建国", "李秀兰", "张伟", "赵敏"}
    assert _names(signed["secretary"]) == {"王建国", "李秀兰", "张伟"}
    assert _names(signed["grid"]) == {"王建国", "李秀兰"}
    assert _names(signed["grid"], "张伟") == set()  # search does not reach another grid
    assert _names(signed["grid"], "1111") == {"王建国", "李秀兰"}  # the phone tail, not 张伟 or 赵敏
    # asking for another grid's rows by id gives nothing either
    assert rs.fetch_resident_rows(signed["grid"], [ids["张伟"], ids["赵敏"]]) == []
    for role in ("admin", "party"):
        with pytest.raises(PermissionDenied, match="没有权限：查看居民"):
            _names(signed[role])


def test_the_card_and_unmasking_respect_scope_and_permission(world):
    signed, ids, _ = world
    assert rs.get_resident(signed["grid"], ids["王建国"]).name == "王建国"
    with pytest.raises(PermissionDenied, match="不在账号 grid 负责的社区或网格内"):
        rs.get_resident(signed["grid"], ids["赵敏"])
    with pytest.raises(PermissionDenied, match="不在账号 secretary"):
        rs.get_resident(signed["secretary"], ids["赵敏"])
    assert rs.get_resident(signed["mediator"], ids["赵敏"]).id_number != WANG  # read, masked
    with pytest.raises(PermissionDenied, match="查看完整证件号"):
        rs.reveal_resident(signed["mediator"], ids["王建国"], "核对当事人")
    with pytest.raises(PermissionDenied, match="查看完整证件号"):
        rs.reveal_resident(signed["grid"], ids["王建国"], "核对")
    assert rs.reveal_resident(signed["secretary"], ids["王建国"], "核对").id_number == WANG


def test_export_stays_inside_the_scope(world, tmp_path):
    signed, _, _ = world
    with pytest.raises(PermissionDenied, match="导出居民"):
        export_residents(signed["grid"], tmp_path / "g.xlsx")
    out = tmp_path / "s.xlsx"
    assert export_residents(signed["secretary"], out) == 3
    names = {row[0] for row in list(load_workbook(out).active.iter_rows(values_only=True))[1:]}
    assert names == {"王建国", "李秀兰", "张伟"}
    assert export_residents(signed["street"], tmp_path / "all.xlsx") == 4


def test_writes_outside_a_role_roll_back(world):
    signed, ids, _ = world
    card = rs.get_resident(signed["street"], ids["王建国"])
    with pytest.raises(PermissionDenied, match="编辑居民"):
        rs.save_resident(
            signed["mediator"],
            rs.ResidentInput(
                name="王建国改", community_id=card.community_id, id=card.id, version=card.version
            ),
        )
    with pytest.raises(PermissionDenied, match="网格与社区结构"):
        st.save_street(signed["grid"], "别的街道")
    assert rs.get_resident(signed["street"], ids["王建国"]).name == "王建国"
    assert st.get_street(signed["street"]).name == "钢城街道"


def test_events_and_visits_stay_inside_the_scope(world, clock):
    import datetime as dt

    from desktop.services import events as ev
    from desktop.services.visits.due import due_list

    signed, _, grids = world
    street = signed["street"]
    for grid in ("新华一网格", "新华二网格", "朝阳一网格"):
        ev.create_event(
            street,
            ev.EventInput(
                "网格员巡查", dt.datetime(2026, 11, 23, 8, 30), grids[grid], grid, "市政设施", "井盖松动"
            ),
        )
    places = {
        name: {r.place for r in ev.list_events(signed[name]).rows} for name in ("street", "secretary", "grid")
    }
    assert places["street"] == {"新华一网格", "新华二网格", "朝阳一网格"}
    assert places["secretary"] == {"新华一网格", "新华二网格"}
    assert places["grid"] == {"新华一网格"}
    assert ev.list_events(signed["grid"]).total == 1
    with pytest.raises(PermissionDenied, match="网格事件"):
        ev.list_events(signed["mediator"])

    def due(name: str, **kw) -> set[str]:
        return {r.name for r in due_list(signed[name], include_done=True, **kw).rows}

    assert due("grid") == {"王建国", "李秀兰"}
    assert due("grid", grid="GC-02-001") == set()  # asking for another grid gives nothing
    assert due("secretary") == {"王建国", "李秀兰", "张伟"}
