"""Accounts: the first administrator, password policy, lockout on the fixed clock, roles and the three-power
separation, permissions and the residents' scope enforced in the services, audit under the login name."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import select

from db.schema.accounts import Account
from db.schema.audit import AuditRecord
from desktop.core.errors import LoginRequired, PermissionDenied, ValidationError
from desktop.core.identity import host_name
from desktop.domain import accounts as perms
from desktop.domain.accounts import password_problem, separation_problem
from desktop.services import accounts
from desktop.services.access import accounts_exist, require
from desktop.services.accounts import AccountInput, audit_log

ADMIN_PW = "Admin#2026x"


def _admin(ctx):
    accounts.create_account(ctx, AccountInput("zhang", "管理员", "张主任"), ADMIN_PW)
    return ctx.signed_in(accounts.sign_in(ctx, "zhang", ADMIN_PW).account)


def _audit(ctx, action):
    with ctx.read() as s:
        return list(
            s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id))
        )


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Abc12345", True), ("abc12345", False), ("abcdefgh", False), ("Ab1!", False), ("abc-1234", True)],
)
def test_password_policy_needs_eight_characters_of_three_kinds(password, ok):
    assert (password_problem(password) is None) is ok


def test_the_first_account_must_be_the_administrator_and_needs_no_login(ctx):
    assert not accounts_exist(ctx)
    require(ctx, perms.RESIDENTS_UNMASK)  # no accounts: everything allowed
    with pytest.raises(PermissionDenied, match="第一个账号的角色必须是系统管理员"):
        accounts.create_account(ctx, AccountInput("li", "网格员"), ADMIN_PW)
    accounts.create_account(ctx, AccountInput("zhang", "管理员"), ADMIN_PW)
    assert accounts_exist(ctx)
    with pytest.raises(LoginRequired, match="需要登录"):
        require(ctx, perms.RESIDENTS_READ)
    with ctx.read() as s:
        account = s.scalar(select(Account))
    assert account.password_hash and ADMIN_PW not in account.password_hash
    assert account.password_params == "scrypt:n=32768,r=8,p=1" and len(account.password_salt) == 32
    assert not account.must_change_password  # the administrator chose it


def test_login_is_audited_under_the_login_name_with_the_pc_name_and_is_fast(ctx):
    accounts.create_account(ctx, AccountInput("zhang", "系统管理员"), ADMIN_PW)
    started = time.perf_counter()
    result = accounts.sign_in(ctx, "zhang", ADMIN_PW)
    assert time.perf_counter() - started < 1.0
    assert result.account.role == "系统管理员" and not result.must_change_password
    rec = _audit(ctx, "login")[-1]
    assert (rec.user, rec.host) == ("zhang", host_name())
    signed = ctx.signed_in(result.account)
    accounts.create_account(signed, AccountInput("li", "审计管理员"), "Audit#2026x")
    assert _audit(ctx, "create")[-1].user == "zhang"


def test_five_wrong_passwords_lock_for_fifteen_minutes_on_the_clock(ctx, clock):
    accounts.create_account(ctx, AccountInput("zhang", "系统管理员"), ADMIN_PW)
    for i in range(4):
        with pytest.raises(LoginRequired, match=f"再错 {4 - i} 次"):
            accounts.sign_in(ctx, "zhang", "wrong")
    with pytest.raises(LoginRequired, match="账号已锁定 15 分钟"):
        accounts.sign_in(ctx, "zhang", "wrong")
    with pytest.raises(LoginRequired, match="请在 10:15 后再试"):
        accounts.sign_in(ctx, "zhang", ADMIN_PW)  # the right password does not open a locked account
    clock.advance(dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(LoginRequired, match="锁定"):
        accounts.sign_in(ctx, "zhang", ADMIN_PW)
    clock.advance(dt.timedelta(seconds=1))
    assert accounts.sign_in(ctx, "zhang", ADMIN_PW).account.login == "zhang"
    assert len(_audit(ctx, "login_failed")) == 7
    assert len(_audit(ctx, "lock")) == 1 and len(_audit(ctx, "unlock")) == 1
    assert all(r.user == "zhang" for r in _audit(ctx, "login_failed"))


def test_lock_settings_are_settings(ctx, clock):
    admin = _admin(ctx)
    accounts.save_policy(admin, accounts.AccountPolicy(lock_attempts=2, lock_minutes=30))
    for _ in range(2):
        with pytest.raises(LoginRequired):
            accounts.sign_in(ctx, "zhang", "wrong")
    clock.advance(dt.timedelta(minutes=29))
    with pytest.raises(LoginRequired, match="锁定"):
        accounts.sign_in(ctx, "zhang", ADMIN_PW)
    with pytest.raises(ValidationError, match="锁定时长"):
        accounts.save_policy(admin, accounts.AccountPolicy(lock_minutes=0))


def test_unknown_login_and_disabled_account_are_refused(ctx):
    admin = _admin(ctx)
    accounts.create_account(admin, AccountInput("li", "党务"), "Party#2026x")
    with pytest.raises(LoginRequired, match="登录名或密码错误"):
        accounts.sign_in(ctx, "nobody", "Party#2026x")
    accounts.set_disabled(admin, "li", True)
    with pytest.raises(LoginRequired, match="已停用"):
        accounts.sign_in(ctx, "li", "Party#2026x")
    rows = {r.login: r for r in accounts.list_accounts(admin)}
    assert rows["li"].disabled and rows["li"].status == "已停用"  # disabled, still there
    with pytest.raises(ValidationError, match="不能停用自己"):
        accounts.set_disabled(admin, "zhang", True)


def test_first_login_and_reset_force_a_password_change_and_expiry_is_a_setting(ctx, clock):
    admin = _admin(ctx)
    accounts.create_account(admin, AccountInput("li", "党务"), "Party#2026x")
    first = accounts.sign_in(ctx, "li", "Party#2026x")
    assert first.must_change_password and "首次登录" in first.reason
    with pytest.raises(ValidationError, match="原密码不正确"):
        accounts.change_password(ctx, "li", "nope", "Party#2027y")
    with pytest.raises(ValidationError, match="太简单"):
        accounts.change_password(ctx, "li", "Party#2026x", "partypartyparty")
    accounts.change_password(ctx, "li", "Party#2026x", "Party#2027y")
    assert not accounts.sign_in(ctx, "li", "Party#2027y").must_change_password
    accounts.reset_password(admin, "li", "Reset#2026x")
    assert accounts.sign_in(ctx, "li", "Reset#2026x").must_change_password
    accounts.change_password(ctx, "li", "Reset#2026x", "Party#2028z")
    accounts.save_policy(admin, accounts.AccountPolicy(password_days=90))
    clock.advance(dt.timedelta(days=91))
    expired = accounts.sign_in(ctx, "li", "Party#2028z")
    assert expired.must_change_password and "过期" in expired.reason
    assert [r.user for r in _audit(ctx, "change_password")] == ["li", "li"]


def test_three_power_separation(ctx):
    admin = _admin(ctx)
    assert separation_problem({perms.ACCOUNTS, perms.SETTINGS}) is None
    with pytest.raises(ValidationError, match="三权分立"):
        accounts.save_role_permissions(admin, "系统管理员", [perms.ACCOUNTS, perms.SETTINGS, perms.AUDIT])
    role = accounts.save_role_permissions(admin, "审计管理员", [perms.AUDIT, perms.REPORTS])
    assert role.permissions == {perms.AUDIT, perms.REPORTS}
    roles = {r.name: r for r in accounts.list_roles(admin)}
    assert set(roles) == {
        "系统管理员",
        "审计管理员",
        "街道管理员/统计员",
        "社区书记/主任",
        "调解员",
        "网格员",
        "党务",
    }
    assert all(separation_problem(r.permissions) is None for r in roles.values())


def test_roles_need_their_permission(ctx):
    admin = _admin(ctx)
    accounts.create_account(
        admin, AccountInput("li", "审计管理员", must_change_password=False), "Audit#2026x"
    )
    auditor = ctx.signed_in(accounts.sign_in(ctx, "li", "Audit#2026x").account)
    with pytest.raises(PermissionDenied, match="没有权限：账号管理（账号 li，角色 审计管理员）"):
        accounts.list_accounts(auditor)
    with pytest.raises(PermissionDenied, match="审计日志"):
        audit_log.search_audit(admin, audit_log.AuditQuery())
    lines = audit_log.search_audit(auditor, audit_log.AuditQuery(user="zhang"))
    assert lines and {line.user for line in lines} == {"zhang"}


def test_audit_viewer_filters_and_exports(ctx, clock, tmp_path):
    from openpyxl import load_workbook

    from desktop.services.accounts.audit_log import AuditQuery, export_audit, search_audit

    admin = _admin(ctx)
    accounts.create_account(
        admin, AccountInput("li", "审计管理员", must_change_password=False), "Audit#2026x"
    )
    clock.advance(dt.timedelta(days=2))
    with pytest.raises(LoginRequired):
        accounts.sign_in(ctx, "zhang", "wrong")
    auditor = ctx.signed_in(accounts.sign_in(ctx, "li", "Audit#2026x").account)
    failed = search_audit(auditor, AuditQuery(action="login_failed"))
    assert [(f.user, f.action_label) for f in failed] == [("zhang", "登录失败")]
    today = search_audit(auditor, AuditQuery(date_from=clock.now().date(), entity="account"))
    assert {line.action for line in today} == {"login_failed", "login"}
    earlier = search_audit(auditor, AuditQuery(date_to=clock.now().date() - dt.timedelta(days=1)))
    assert "create" in {line.action for line in earlier} and "login_failed" not in {e.action for e in earlier}
    out = tmp_path / "审计.xlsx"
    assert export_audit(auditor, AuditQuery(user="zhang"), out) == len(
        search_audit(auditor, AuditQuery(user="zhang"))
    )
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "账号", "计算机", "操作") and all(r[1] == "zhang" for r in rows[1:])
    assert search_audit(auditor, AuditQuery(action="export"))[0].user == "li"
