"""The grid structure by scope (issue 13 §2): a community's account, and a 网格员, see their own community's
grids, grid staff and residents' counts — not the street's; a community role given 网格与社区结构
changes its own community's grids and staff only. Street-wide accounts see and change everything."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.core.errors import PermissionDenied
from desktop.domain.accounts import GRIDS
from desktop.services import accounts, structure
from desktop.services.accounts import AccountInput
from desktop.services.structure.exchange import export_grids

PW = "Scope#2026x"


@pytest.fixture
def signed(street_ctx):
    ctx = street_ctx
    comm = {c.name: c.id for c in structure.list_communities(ctx)}
    grid = {g.name: g.id for g in structure.list_grids(ctx)}
    accounts.create_account(ctx, AccountInput("admin", "系统管理员"), PW)
    admin = ctx.signed_in(accounts.sign_in(ctx, "admin", PW).account)
    secretary_role = next(r for r in accounts.list_roles(admin) if r.name == "社区书记/主任")
    accounts.save_role_permissions(admin, secretary_role.name, {*secretary_role.permissions, GRIDS})
    made = {
        "secretary": AccountInput("secretary", "社区书记/主任", community_id=comm["新华社区"]),
        "worker": AccountInput("worker", "网格员", grid_ids=[grid["新华二网格"]]),
        "keeper": AccountInput("keeper", "社区书记/主任", community_id=comm["朝阳社区"]),
        "street": AccountInput("street", "街道管理员/统计员"),
    }
    out = {"admin": admin}
    for login, data in made.items():
        accounts.create_account(admin, dataclasses.replace(data, must_change_password=False), PW)
        out[login] = ctx.signed_in(accounts.sign_in(ctx, login, PW).account)
    return out, comm, grid


def test_each_account_sees_its_own_communitys_grids(signed) -> None:
    ctx, _comm, grid = signed
    codes = lambda c: {g.code for g in structure.list_grids(c)}  # noqa: E731
    assert codes(ctx["street"]) == {"GC-01-001", "GC-01-002", "GC-02-001"}
    assert codes(ctx["secretary"]) == {"GC-01-001", "GC-01-002"}
    assert codes(ctx["keeper"]) == {"GC-02-001"}
    assert codes(ctx["worker"]) == {"GC-01-001", "GC-01-002"}  # the neighbouring grid of its community too
    assert {c.name for c in structure.list_communities(ctx["secretary"])} == {"新华社区"}
    assert {c.name for c in structure.list_communities(ctx["street"])} == {"新华社区", "朝阳社区"}
    # a grid of another community, asked for by id, is refused, naming it and the account
    with pytest.raises(PermissionDenied, match=r"新华一网格.*keeper") as refused:
        structure.get_grid(ctx["keeper"], grid["新华一网格"])
    assert "王建国" not in str(refused.value)
    detail = structure.get_grid(ctx["secretary"], grid["新华一网格"])
    assert {m.name for m in detail.staff} >= {"王建国", "李晓梅"}


def test_a_community_role_changes_its_own_grids_only(signed, tmp_path) -> None:
    ctx, comm, grid = signed
    keeper = ctx["keeper"]
    with pytest.raises(PermissionDenied, match="新华社区"):
        structure.save_grid(keeper, structure.GridInput(comm["新华社区"], "GC-01-009", "新华九网格"))
    other = structure.get_grid(ctx["street"], grid["新华一网格"]).grid
    with pytest.raises(PermissionDenied, match="新华一网格"):
        structure.retire_grid(keeper, other.id, "合并", version=other.version)
    with pytest.raises(PermissionDenied, match="新华一网格"):
        structure.save_staff(keeper, structure.StaffInput(grid["新华一网格"], "WORKER", "外人"))
    assert "GC-01-009" not in {g.code for g in structure.list_grids(ctx["street"])}  # nothing written
    assert "外人" not in {m.name for m in structure.get_grid(ctx["street"], grid["新华一网格"]).staff}
    # its own community: allowed
    new_id = structure.save_grid(keeper, structure.GridInput(comm["朝阳社区"], "GC-02-002", "朝阳二网格"))
    structure.save_staff(keeper, structure.StaffInput(new_id, "WORKER", "朝阳网格员", phone="13700001111"))
    assert "GC-02-002" in {g.code for g in structure.list_grids(ctx["street"])}
    # its export holds its community's grids only
    out = tmp_path / "网格.csv"
    assert export_grids(keeper, out) == 2
    text = out.read_text(encoding="utf-8-sig")
    assert "朝阳二网格" in text and "新华一网格" not in text
