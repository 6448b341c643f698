"""Signing in: the password checked against its scrypt hash, five wrong ones in a row lock the account for
fifteen minutes (both settings), on the context's clock. Every login, failure, lock, unlock and password
change is audited under the login name typed, with this PC's name (GB/T 22239-2019 8.1.4.1, 8.1.4.3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from db.schema.accounts import Account, Role
from desktop.core.errors import LoginRequired, ValidationError
from desktop.core.identity import Actor, SignedIn, host_name
from desktop.domain.accounts import password_problem
from desktop.services.accounts.admin import grid_ids_of
from desktop.services.accounts.passwords import (
    Meanwhile,
    PasswordHash,
    burn_time,
    hash_password,
    verify_password,
)
from desktop.services.accounts.policy import AccountPolicy, load_policy
from desktop.services.accounts.roles import permissions_of
from desktop.services.context import ServiceContext

WRONG = "登录名或密码错误"


@dataclass(frozen=True)
class LoginResult:
    account: SignedIn
    #: the password must be changed before any work: first login, reset by the administrator, or expired
    must_change_password: bool
    reason: str = ""


def _as(ctx: ServiceContext, login: str) -> ServiceContext:
    return ctx.with_actor(Actor(login[:40] or "?", host_name()))


def _local(ctx: ServiceContext, utc: dt.datetime) -> str:
    return (utc + (ctx.now() - ctx.utcnow())).strftime("%H:%M")


def _signed_in(account: Account, role: Role) -> SignedIn:
    return SignedIn(
        account.id,
        account.login,
        account.display_name,
        role.name,
        permissions_of(role),
        role.scope,
        account.community_id,
        grid_ids_of(account),
        account.committee_id,
    )


def _stored(account: Account) -> PasswordHash:
    return PasswordHash(account.password_hash, account.password_salt, account.password_params)


def _expired(account: Account, policy: AccountPolicy, now: dt.datetime) -> bool:
    if policy.password_days <= 0 or account.password_changed_at is None:
        return False
    return now - account.password_changed_at > dt.timedelta(days=policy.password_days)


def sign_in(
    ctx: ServiceContext, login: str, password: str, *, unlocking: bool = False, meanwhile: Meanwhile = None
) -> LoginResult:
    """The signed-in account, or LoginRequired with the reason (wrong password, locked, disabled).
    ``unlocking``: the password typed on the idle lock screen (audited as such). ``meanwhile``: preparation
    run while scrypt checks the password (``passwords.verify_password``); it must not read the database."""
    login = login.strip()
    policy = load_policy(ctx)
    actx = _as(ctx, login)
    failure: str | None = None
    with actx.write() as uow:
        s = uow.session
        account = s.scalar(select(Account).where(Account.login == login))
        now = ctx.utcnow()
        if account is None:
            burn_time(password, meanwhile)
            uow.audit("login_failed", "account", None, summary=f"登录失败：没有账号“{login[:40]}”")
            failure = WRONG
        elif account.disabled:
            uow.audit("login_failed", "account", account.id, summary="登录失败：账号已停用")
            failure = "账号已停用，请联系系统管理员"
        else:
            if account.locked_until is not None and account.locked_until <= now:
                account.locked_until, account.failed_attempts = None, 0
                uow.audit("unlock", "account", account.id, summary="锁定时间已过，账号自动解锁")
            if account.locked_until is not None:
                uow.audit("login_failed", "account", account.id, summary="登录失败：账号锁定中")
                failure = f"账号已锁定（连续输错密码），请在 {_local(ctx, account.locked_until)} 后再试"
            elif not verify_password(password, _stored(account), meanwhile):
                account.failed_attempts += 1
                uow.audit(
                    "login_failed",
                    "account",
                    account.id,
                    summary=f"登录失败：密码错误（连续第 {account.failed_attempts} 次）",
                )
                failure = WRONG
                if account.failed_attempts >= policy.lock_attempts:
                    account.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
                    uow.audit(
                        "lock",
                        "account",
                        account.id,
                        summary=f"连续 {account.failed_attempts} 次密码错误，锁定 {policy.lock_minutes} 分钟",
                    )
                    failure = (
                        f"连续 {account.failed_attempts} 次密码错误，账号已锁定 {policy.lock_minutes} 分钟"
                    )
                else:
                    left = policy.lock_attempts - account.failed_attempts
                    failure = f"{WRONG}（再错 {left} 次将锁定 {policy.lock_minutes} 分钟）"
            else:
                account.failed_attempts = 0
                account.last_login_at = now
                role = s.get(Role, account.role_id)
                assert role is not None
                expired = _expired(account, policy, now)
                if unlocking:
                    uow.audit("unlock_screen", "account", account.id, summary="输入密码解除锁屏")
                else:
                    uow.audit("login", "account", account.id, summary=f"登录（{role.name}）")
                must = account.must_change_password or expired
                reason = "" if not must else ("密码已过期，请修改密码" if expired else "首次登录，请修改密码")
                result = LoginResult(_signed_in(account, role), must, reason)
        s.flush()
    if failure is not None:
        raise LoginRequired(failure)
    return result


def verify_again(ctx: ServiceContext, password: str) -> bool:
    """The lock screen: is this the signed-in account's password? A wrong one counts as a failed login."""
    assert ctx.account is not None
    try:
        sign_in(ctx, ctx.account.login, password, unlocking=True)
    except LoginRequired:
        return False
    return True


def change_password(ctx: ServiceContext, login: str, old: str, new: str) -> None:
    """The holder changes their own password (at first login, on expiry, or when they wish)."""
    login = login.strip()
    problem = password_problem(new, login)
    if problem:
        raise ValidationError(problem, field="new_password")
    if new == old:
        raise ValidationError("新密码不能与原密码相同", field="new_password")
    with ctx.read() as s:
        account = s.scalar(select(Account).where(Account.login == login))
        ok = account is not None and not account.disabled and verify_password(old, _stored(account))
    if not ok:
        raise ValidationError("原密码不正确", field="old_password")
    hashed = hash_password(new)
    with _as(ctx, login).write() as uow:
        account = uow.session.scalar(select(Account).where(Account.login == login))
        assert account is not None
        account.password_hash, account.password_salt = hashed.hash, hashed.salt
        account.password_params = hashed.params
        account.must_change_password = False
        account.password_changed_at = ctx.utcnow()
        uow.session.flush()
        uow.audit("change_password", "account", account.id, summary="修改自己的密码")


def reload_signed_in(ctx: ServiceContext) -> SignedIn | None:
    """The signed-in account as the database has it now (its role, the role's permissions, its community,
    grids and committee), or None when it was disabled since (or is gone). The window calls this to make an
    administrator's change take effect in a session already open; it reads one row and needs no permission."""
    signed = ctx.account
    if signed is None:
        return None
    with ctx.read() as s:
        account = s.get(Account, signed.account_id)
        if account is None or account.disabled:
            return None
        role = s.get(Role, account.role_id)
        return None if role is None else _signed_in(account, role)
