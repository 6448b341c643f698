"""委派调解 and the holiday calendar under accounts (issue 13 §2): a referral is a case's — it follows the case
once linked, and before that the committee that received it (a 调解员's, a community's committees); one the
street registers with no committee is the street's. The holiday calendar is street-wide reference data: every
signed-in account reads it, only 司法确认 changes it, nobody reads it without signing in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from desktop.app import main
from desktop.core.errors import LoginRequired, PermissionDenied
from desktop.domain.accounts import JUDICIAL
from desktop.services import accounts
from desktop.services import judicial as jc
from desktop.services.judicial import holidays, referrals

from .test_mediation_scope import PW, two_committees  # noqa: F401  (the fixture)

D = dt.date
COURT = "嘉峪关市城区人民法院"


def _referral(ctx, n: int, parties: str, case_no: str | None = None) -> int:
    data = jc.ReferralInput(
        COURT, f"（2026）甘0202民诉前调{n}号", D(2026, 11, 2), parties=parties, case_no=case_no
    )
    return jc.save_referral(ctx, data, today=D(2026, 11, 23))


def _with_judicial(signed):
    role = next(r for r in accounts.list_roles(signed["admin"]) if r.name == "街道管理员/统计员")
    accounts.save_role_permissions(signed["admin"], role.name, [*role.permissions, JUDICIAL])
    return signed["street"].signed_in(accounts.sign_in(signed["street"], "street", PW).account)


def _listed(ctx) -> set[str]:
    return {r.parties or "" for r in jc.list_referrals(ctx, today=D(2026, 11, 23))}


def test_referrals_follow_the_case_or_the_receiving_committee(two_committees):  # noqa: F811
    signed, cases, _committees, _rid = two_committees
    med, sec, street = signed["med"], signed["secretary"], signed["street"]
    with pytest.raises(PermissionDenied, match="没有权限：司法确认"):  # 街道管理员 has no 司法确认 by default
        _listed(street)
    street = _with_judicial(signed)  # the street's account, given it: every referral
    street_ref = _referral(street, 1, "街道甲、街道乙")  # no committee: the street's
    own_ref = _referral(med, 2, "新华甲、新华乙")  # received by the mediator's committee
    other_case = _referral(street, 3, "朝阳甲、朝阳乙", case_no=cases["朝阳"])
    own_case = _referral(street, 4, "新华丙、新华丁", case_no=cases["新华"])
    assert _listed(street) == {"街道甲、街道乙", "新华甲、新华乙", "朝阳甲、朝阳乙", "新华丙、新华丁"}
    assert _listed(med) == {"新华甲、新华乙", "新华丙、新华丁"}
    assert _listed(sec) == {"新华甲、新华乙", "新华丙、新华丁"}  # the committees of its community
    for ref in (street_ref, other_case):
        with pytest.raises(PermissionDenied, match="不在账号 med 负责的调解委员会或社区内"):
            jc.get_referral(med, ref)
        with pytest.raises(PermissionDenied):
            referrals.retire_referral(med, ref, 1, "误登")
        with pytest.raises(PermissionDenied):
            jc.save_referral(
                med, jc.ReferralInput(COURT, "（2026）甘0202民诉前调9号", D(2026, 11, 2)), ref, 1
            )
    assert jc.get_referral(med, own_ref).parties == "新华甲、新华乙"
    assert jc.get_referral(sec, own_case).case_no == cases["新华"]
    # linking a referral to another committee's case is refused; to its own, it follows the case
    with pytest.raises(PermissionDenied, match="案件"):
        _referral(med, 5, "某甲", case_no=cases["朝阳"])
    data = jc.ReferralInput(COURT, "（2026）甘0202民诉前调2号", D(2026, 11, 2), parties="新华甲、新华乙",
                            case_no=cases["新华"])  # fmt: skip
    jc.save_referral(med, data, own_ref, 1, today=D(2026, 11, 23))
    assert jc.get_referral(med, own_ref).case_no == cases["新华"]
    # the 工作台 warnings of the mediator name no other committee's referral
    texts = " ".join(w.text for w in jc.dashboard_warnings(med, D(2026, 11, 30)))
    assert "朝阳甲" not in texts and "街道甲" not in texts


def test_the_holiday_calendar_is_read_by_all_and_changed_by_judicial_only(two_committees):  # noqa: F811
    signed, _cases, _committees, _rid = two_committees
    med, street, admin = signed["med"], signed["street"], signed["admin"]
    day = holidays.save_day(med, holidays.HolidayInput(D(2027, 3, 10), "HOLIDAY", "调休测试日"))
    for reader in (street, admin, med, signed["secretary"]):
        assert "调休测试日" in [d.name for d in holidays.list_days(reader, 2027)]
    for writer in (street, admin):
        with pytest.raises(PermissionDenied, match="司法确认"):
            holidays.save_day(writer, holidays.HolidayInput(D(2027, 3, 11), "HOLIDAY", "调休测试日"))
        with pytest.raises(PermissionDenied, match="司法确认"):
            holidays.delete_day(writer, day, 1)
    nobody = med.signed_in(None)
    with pytest.raises(LoginRequired):
        holidays.list_days(nobody)


def test_the_holiday_calendar_through_the_command_line(two_committees, monkeypatch, capsys, tmp_path):  # noqa: F811
    signed, _cases, _committees, _rid = two_committees
    db = str(signed["admin"].database.sqlite_path)

    def shequ(user: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PW + "\n"))
        status = main(["--db", db, "--user", user, "--password-stdin", *argv])
        out, err = capsys.readouterr()
        return status, out, err

    book = Workbook()
    book.active.append(["日期", "类型", "名称", "年度"])
    book.active.append([D(2028, 1, 1), "放假", "元旦", 2028])
    path = tmp_path / "2028.xlsx"
    book.save(path)
    # the command group is 司法确认's (the calendar is read by every account in the program, through the services)
    status, _out, err = shequ("street", "holidays", "import", str(path))
    assert status == 4 and "司法确认" in err
    status, out, _err = shequ("secretary", "holidays", "list", "--year", "2028")
    assert status == 0 and "元旦" not in out  # the refused import saved nothing
    status, out, err = shequ("med", "holidays", "import", str(path))  # the calendar's owner
    assert status == 0, err
    assert "件网格事件的办理时限" in out  # a 调解员 has no 网格事件, yet the calendar's owner recomputes them
    status, out, _err = shequ("secretary", "holidays", "list", "--year", "2028")
    assert "元旦" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--db", db, "holidays", "list"]) == 3  # nobody signed in
