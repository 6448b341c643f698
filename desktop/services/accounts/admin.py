"""The administrator's account work: add, list, disable (never delete), reset a password, change a role.

The first account of a database is its 系统管理员 and needs nobody's permission; every later change needs the
``accounts`` permission. Every change is audited (with this PC's name, as every record is).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema.accounts import Account, Role
from db.schema.mediation import MediationCommittee
from db.schema.structure import Community, Grid
from desktop.core.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from desktop.domain.accounts import (
    ACCOUNTS,
    ADMIN_ROLE,
    JUDICIAL,
    MEDIATION_READ,
    MEDIATION_WRITE,
    MEDIATOR_ROLE,
    SCOPE_COMMUNITY,
    SCOPE_GRIDS,
    login_problem,
    password_problem,
)
from desktop.services.access import accounts_exist, require
from desktop.services.accounts.passwords import hash_password
from desktop.services.accounts.roles import find_role, permissions_of
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class AccountInput:
    login: str
    role: str
    display_name: str = ""
    community_id: int | None = None
    grid_ids: Sequence[int] = field(default_factory=tuple)
    #: the 人民调解委员会 of a 调解员 (required for that role; allowed for any role with mediation)
    committee_id: int | None = None
    #: False for an account whose holder chose the password themselves (the first administrator, the demo)
    must_change_password: bool = True


@dataclass(frozen=True)
class AccountRow:
    id: int
    login: str
    display_name: str
    role: str
    disabled: bool
    locked_until: dt.datetime | None  # UTC
    must_change_password: bool
    last_login_at: dt.datetime | None  # UTC
    community: str | None
    grids: tuple[str, ...]
    committee: str | None = None

    @property
    def status(self) -> str:
        if self.disabled:
            return "已停用"
        if self.locked_until is not None:
            return "已锁定"
        return "待修改密码" if self.must_change_password else "正常"


def grid_ids_of(account: Account) -> tuple[int, ...]:
    try:
        return tuple(int(g) for g in json.loads(account.grid_ids or "[]"))
    except (ValueError, TypeError):
        return ()


def get_account(s: Session, login: str) -> Account:
    account = s.scalar(select(Account).where(Account.login == login.strip()))
    if account is None:
        raise NotFoundError(f"没有账号“{login}”")
    return account


def _check_committee(s: Session, role: Role, data: AccountInput) -> int | None:
    """The account's committee: required for a 调解员, refused for a role without mediation."""
    committee_id = data.committee_id
    if committee_id is not None and s.get(MediationCommittee, committee_id) is None:
        raise ValidationError(f"账号“{data.login}”：所选调解委员会不存在", field="committee")
    mediates = {MEDIATION_READ, MEDIATION_WRITE, JUDICIAL} & set(permissions_of(role))
    if committee_id is not None and not mediates:
        raise ValidationError(
            f"角色“{role.name}”不办理人民调解：账号“{data.login}”不需要调解委员会", field="committee"
        )
    if committee_id is None and role.name == MEDIATOR_ROLE:
        raise ValidationError(
            f"角色“{role.name}”只办本调委会的案件：请为账号“{data.login}”选择调解委员会", field="committee"
        )
    return committee_id


def _check_scope(s: Session, role: Role, data: AccountInput) -> tuple[int | None, list[int]]:
    community_id, grids = data.community_id, sorted(set(data.grid_ids))
    if community_id is not None and s.get(Community, community_id) is None:
        raise ValidationError(f"账号“{data.login}”：所选社区不存在", field="community")
    missing = [g for g in grids if s.get(Grid, g) is None]
    if missing:
        raise ValidationError(f"账号“{data.login}”：所选网格不存在（{missing}）", field="grids")
    if role.scope == SCOPE_COMMUNITY and community_id is None:
        raise ValidationError(
            f"角色“{role.name}”只管一个社区：请为账号“{data.login}”选择社区", field="community"
        )
    if role.scope == SCOPE_GRIDS and not grids:
        raise ValidationError(
            f"角色“{role.name}”只管自己的网格：请为账号“{data.login}”选择网格", field="grids"
        )
    return community_id, grids


def create_account(ctx: ServiceContext, data: AccountInput, password: str) -> int:
    """A new account. On a database without accounts only a 系统管理员 may be created (the first start)."""
    first = not accounts_exist(ctx)
    if not first:
        require(ctx, ACCOUNTS)
    problem = login_problem(data.login) or password_problem(password, data.login.strip())
    if problem:
        raise ValidationError(problem, field="password" if login_problem(data.login) is None else "login")
    hashed = hash_password(password)  # outside the transaction: it takes a tenth of a second
    login = data.login.strip()
    with ctx.write() as uow:
        role = find_role(uow.session, data.role)
        if first and role.name != ADMIN_ROLE:
            raise PermissionDenied(f"请先创建管理员账号：第一个账号的角色必须是{ADMIN_ROLE}")
        if uow.session.scalar(select(Account.id).where(Account.login == login)) is not None:
            raise ConflictError(f"登录名“{login}”已被使用")
        community_id, grids = _check_scope(uow.session, role, data)
        committee_id = _check_committee(uow.session, role, data)
        account = Account(
            login=login,
            display_name=data.display_name.strip() or login,
            role_id=role.id,
            password_hash=hashed.hash,
            password_salt=hashed.salt,
            password_params=hashed.params,
            must_change_password=data.must_change_password and not first,
            password_changed_at=ctx.utcnow(),
            community_id=community_id,
            grid_ids=json.dumps(grids),
            committee_id=committee_id,
        )
        uow.session.add(account)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            raise ConflictError(f"登录名“{login}”已被使用") from exc
        uow.audit(
            "create",
            "account",
            account.id,
            summary=f"新建账号“{login}”（{role.name}）",
            after={
                "login": login,
                "role": role.name,
                "community_id": community_id,
                "grid_ids": grids,
                "committee_id": committee_id,
            },
        )
        return account.id
    raise AssertionError("unreachable")


def list_accounts(ctx: ServiceContext) -> list[AccountRow]:
    require(ctx, ACCOUNTS)
    with ctx.read() as s:
        roles = {r.id: r.name for r in s.scalars(select(Role))}
        communities = {c.id: c.name for c in s.scalars(select(Community))}
        grids = {g.id: g.name for g in s.scalars(select(Grid))}
        committees = {
            cid: name for cid, name in s.execute(select(MediationCommittee.id, MediationCommittee.name))
        }
        now = ctx.utcnow()
        return [
            AccountRow(
                a.id,
                a.login,
                a.display_name,
                roles.get(a.role_id, "?"),
                a.disabled,
                a.locked_until if a.locked_until is not None and a.locked_until > now else None,
                a.must_change_password,
                a.last_login_at,
                communities.get(a.community_id) if a.community_id is not None else None,
                tuple(grids.get(g, str(g)) for g in grid_ids_of(a)),
                committees.get(a.committee_id) if a.committee_id is not None else None,
            )
            for a in s.scalars(select(Account).order_by(Account.id))
        ]


def set_disabled(ctx: ServiceContext, login: str, disabled: bool) -> None:
    """Disable (or enable again) an account; it stays in the database, named by the audit."""
    require(ctx, ACCOUNTS)
    if disabled and ctx.account is not None and ctx.account.login == login.strip():
        raise ValidationError("不能停用自己正在使用的账号")
    with ctx.write() as uow:
        account = get_account(uow.session, login)
        if account.disabled == disabled:
            return
        account.disabled = disabled
        account.disabled_at = ctx.utcnow() if disabled else None
        account.disabled_by = ctx.actor.user if disabled else None
        uow.session.flush()
        uow.audit(
            "disable" if disabled else "enable",
            "account",
            account.id,
            summary=f"{'停用' if disabled else '启用'}账号“{account.login}”",
        )


def reset_password(ctx: ServiceContext, login: str, password: str) -> None:
    """The administrator sets a new password; its holder must change it at the next login. Unlocks too."""
    require(ctx, ACCOUNTS)
    problem = password_problem(password, login.strip())
    if problem:
        raise ValidationError(problem, field="password")
    hashed = hash_password(password)
    with ctx.write() as uow:
        account = get_account(uow.session, login)
        account.password_hash, account.password_salt = hashed.hash, hashed.salt
        account.password_params = hashed.params
        account.must_change_password = True
        account.password_changed_at = ctx.utcnow()
        account.failed_attempts = 0
        account.locked_until = None
        uow.session.flush()
        uow.audit("reset_password", "account", account.id, summary=f"重置账号“{account.login}”的密码")


def set_role(
    ctx: ServiceContext,
    login: str,
    role: str,
    community_id: int | None = None,
    grid_ids: Sequence[int] = (),
    committee_id: int | None = None,
) -> None:
    """Give an account another role (and its community, grids or 调解委员会)."""
    require(ctx, ACCOUNTS)
    with ctx.write() as uow:
        account = get_account(uow.session, login)
        new_role = find_role(uow.session, role)
        if ctx.account is not None and ctx.account.login == account.login and new_role.name != ADMIN_ROLE:
            raise ValidationError("不能改变自己正在使用的账号的角色")
        data = AccountInput(
            account.login,
            new_role.name,
            community_id=community_id,
            grid_ids=grid_ids,
            committee_id=committee_id,
        )
        community, grids = _check_scope(uow.session, new_role, data)
        committee = _check_committee(uow.session, new_role, data)
        before = {
            "role_id": account.role_id,
            "community_id": account.community_id,
            "grid_ids": account.grid_ids,
            "committee_id": account.committee_id,
        }
        account.role_id, account.community_id, account.grid_ids = new_role.id, community, json.dumps(grids)
        account.committee_id = committee
        uow.session.flush()
        uow.audit(
            "update",
            "account",
            account.id,
            summary=f"账号“{account.login}”改为{new_role.name}",
            before=before,
            after={
                "role_id": new_role.id,
                "community_id": community,
                "grid_ids": grids,
                "committee_id": committee,
            },
        )
