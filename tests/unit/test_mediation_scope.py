"""A 调解员 belongs to one 人民调解委员会: their cases only (list, card, print, export, judicial list), the
committee chosen with the account (service and `users add … --committee`), residents read-only and masked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.app import main
from desktop.core.errors import PermissionDenied, ValidationError
from desktop.services import accounts
from desktop.services import mediation as med
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.accounts import AccountInput
from desktop.services.judicial.queries import list_tracks
from desktop.services.mediation.exchange import export_cases
from desktop.services.mediation.printing import print_document

from .test_mediation_helpers import intake, setup_committee

PW = "Scope#2026x"


@pytest.fixture
def two_committees(street_ctx):
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    xinhua, m1, _m2 = setup_committee(ctx, comms["新华社区"])
    chaoyang = med.save_committee(
        ctx, med.CommitteeInput("朝阳社区人民调解委员会", "朝阳社区", community_id=comms["朝阳社区"])
    )
    m3 = med.save_mediator(ctx, med.MediatorInput(chaoyang, "周明", "男", "13909370003", "主任"))
    cases = {"新华": intake(ctx, xinhua, m1), "朝阳": intake(ctx, chaoyang, m3)}
    rid = rs.save_resident(
        ctx, rs.ResidentInput(name="王建国", community_id=comms["新华社区"], phone="13800001111")
    )
    accounts.create_account(ctx, AccountInput("admin", "系统管理员"), PW)
    admin = ctx.signed_in(accounts.sign_in(ctx, "admin", PW).account)
    accounts.create_account(
        admin, AccountInput("med", "调解员", committee_id=xinhua, must_change_password=False), PW
    )
    accounts.create_account(
        admin,
        AccountInput(
            "secretary", "社区书记/主任", community_id=comms["新华社区"], must_change_password=False
        ),
        PW,
    )
    accounts.create_account(
        admin, AccountInput("street", "街道管理员/统计员", must_change_password=False), PW
    )
    signed = {
        name: ctx.signed_in(accounts.sign_in(ctx, name, PW).account)
        for name in ("med", "secretary", "street")
    }
    signed["admin"] = admin
    return signed, cases, {"新华": xinhua, "朝阳": chaoyang}, rid


def test_a_mediator_needs_a_committee_and_only_mediation_roles_take_one(two_committees):
    signed, _, committees, _ = two_committees
    admin = signed["admin"]
    with pytest.raises(ValidationError, match="请为账号“m2”选择调解委员会"):
        accounts.create_account(admin, AccountInput("m2", "调解员"), PW)
    with pytest.raises(ValidationError, match="不需要调解委员会"):
        accounts.create_account(admin, AccountInput("p2", "党务", committee_id=committees["新华"]), PW)
    rows = {r.login: r for r in accounts.list_accounts(admin)}
    assert rows["med"].committee == "新华社区人民调解委员会"
    accounts.set_role(admin, "med", "调解员", committee_id=committees["朝阳"])
    assert {r.login: r for r in accounts.list_accounts(admin)}["med"].committee == "朝阳社区人民调解委员会"


def test_a_mediator_sees_their_committees_cases_only(two_committees, tmp_path):
    signed, cases, committees, rid = two_committees
    mediator = signed["med"]
    assert [r.case_no for r in med.list_cases(mediator)] == [cases["新华"]]
    assert {r.case_no for r in med.list_cases(signed["street"])} == set(cases.values())
    assert [r.case_no for r in med.list_cases(signed["secretary"])] == [cases["新华"]]
    assert med.get_case(mediator, cases["新华"]).case_no == cases["新华"]
    with pytest.raises(PermissionDenied, match="不在账号 med 负责的调解委员会"):
        med.get_case(mediator, cases["朝阳"])
    with pytest.raises(PermissionDenied, match="不在账号 med"):
        print_document(mediator, cases["朝阳"], "application", tmp_path / "a.pdf")
    out = tmp_path / "cases.xlsx"
    export_cases(mediator, out)
    numbers = {row[0] for row in list(load_workbook(out).worksheets[0].iter_rows(values_only=True))[1:]}
    assert numbers == {cases["新华"]}
    with pytest.raises(PermissionDenied, match="导出居民及完整信息"):
        export_cases(mediator, tmp_path / "full.xlsx", full=True, reason="法院调取")
    assert list_tracks(mediator) == []
    with pytest.raises(PermissionDenied):  # nor can they take a case into another committee
        intake(mediator, committees["朝阳"])
    # residents: read, masked, no unmasking; a role with the permission still gives a reason
    card = rs.get_resident(mediator, rid)
    assert card.phone != "13800001111"
    with pytest.raises(PermissionDenied, match="查看完整证件号"):
        rs.reveal_resident(mediator, rid, "核对当事人")
    with pytest.raises(ValidationError):
        rs.reveal_resident(signed["secretary"], rid, "")
    assert rs.reveal_resident(signed["secretary"], rid, "核对当事人").phone == "13800001111"


def test_the_committee_through_the_command_line(two_committees, monkeypatch, capsys):
    signed, cases, _, _ = two_committees
    db = str(signed["admin"].database.sqlite_path)

    def shequ(*argv: str, stdin: str = PW + "\n") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        return status, out, err

    status, _, err = shequ("--user", "admin", "--password-stdin", "users", "add", "m3", "--role", "调解员",
                           "--committee", "朝阳社区", "--password-stdin", stdin=f"{PW}\n{PW}\n")  # fmt: skip
    assert status == 0, err
    status, _, err = shequ("--user", "admin", "--password-stdin", "users", "add", "m4", "--role", "调解员",
                           "--committee", "没有这个", "--password-stdin", stdin=f"{PW}\n{PW}\n")  # fmt: skip
    assert status != 0 and "没有名为“没有这个”的调解委员会" in err
    status, out, _ = shequ("--user", "admin", "--password-stdin", "users", "list")
    assert "朝阳社区人民调解委员会" in out
    # m3 must change the password first; the administrator's set-role works on med instead
    status, out, err = shequ("--user", "med", "--password-stdin", "mediation", "list", "--json")
    assert status == 0, err
    assert [c["case_no"] for c in json.loads(out)] == [cases["新华"]]
    status, _, err = shequ("--user", "med", "--password-stdin", "mediation", "show", cases["朝阳"])
    assert status == 4 and "不在账号 med" in err
    status, _, err = shequ("--user", "admin", "--password-stdin", "users", "set-role", "med", "--role", "调解员",
                           "--committee", "朝阳社区人民调解委员会")  # fmt: skip
    assert status == 0, err
    status, out, err = shequ("--user", "med", "--password-stdin", "mediation", "list", "--json")
    assert [c["case_no"] for c in json.loads(out)] == [cases["朝阳"]]
    assert Path(db).exists()


def test_the_desk_warns_of_the_accounts_own_cases_only(two_committees):
    from desktop.services.dashboard import street_figures

    signed, cases, _committees, _ = two_committees

    def warned(ctx) -> str:
        return " ".join(w.text for w in street_figures(ctx).warnings if w.area == "mediation")

    assert cases["新华"] in warned(signed["street"]) and cases["朝阳"] in warned(signed["street"])
    for name in ("med", "secretary"):  # 新华's committee, 新华社区
        text = warned(signed[name])
        assert cases["新华"] in text and cases["朝阳"] not in text, (name, text)

