"""One demo account per role, with the documented password (README: 演示账号), for trying the roles out."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from db.schema.accounts import Account
from db.schema.mediation import MediationCommittee
from db.schema.structure import Community, Grid
from desktop.domain.accounts import DEFAULT_ROLES, MEDIATOR_ROLE, SCOPE_COMMUNITY, SCOPE_GRIDS
from desktop.services.accounts.passwords import hash_password
from desktop.services.accounts.roles import find_role
from desktop.services.context import ServiceContext

DEMO_PASSWORD = "Demo@2026"

#: login name per role, in the order of DEFAULT_ROLES
DEMO_LOGINS = {
    "系统管理员": "admin",
    "审计管理员": "auditor",
    "街道管理员/统计员": "street",
    "社区书记/主任": "secretary",
    "调解员": "mediator",
    "网格员": "gridworker",
    "党务": "party",
}


@dataclass(frozen=True)
class DemoAccount:
    login: str
    role: str
    password: str
    scope: str  # 社区/网格 names, or 全部


def create_demo_accounts(ctx: ServiceContext) -> list[DemoAccount]:
    """Create (or refit to the present communities and grids) one account per default role, all with
    :data:`DEMO_PASSWORD`, no change forced at first login. Returns what to print."""
    hashed = hash_password(DEMO_PASSWORD)
    out: list[DemoAccount] = []
    with ctx.write() as uow:
        s = uow.session
        community = s.scalar(select(Community).order_by(Community.id).limit(1))
        grid = s.scalar(
            select(Grid).where(Grid.community_id == community.id).order_by(Grid.id).limit(1)
            if community is not None
            else select(Grid).order_by(Grid.id).limit(1)
        )
        committee = s.scalar(select(MediationCommittee).order_by(MediationCommittee.id).limit(1))
        for spec in DEFAULT_ROLES:
            login = DEMO_LOGINS[spec.name]
            role = find_role(s, spec.name)
            community_id = community.id if community is not None and spec.scope == SCOPE_COMMUNITY else None
            grids = [grid.id] if grid is not None and spec.scope == SCOPE_GRIDS else []
            account = s.scalar(select(Account).where(Account.login == login))
            created = account is None
            if account is None:
                account = Account(login=login, display_name=f"演示{spec.name}")
                s.add(account)
            account.role_id = role.id
            account.password_hash, account.password_salt = hashed.hash, hashed.salt
            account.password_params = hashed.params
            account.must_change_password = False
            account.password_changed_at = ctx.utcnow()
            account.disabled, account.failed_attempts, account.locked_until = False, 0, None
            account.community_id, account.grid_ids = community_id, json.dumps(grids)
            mediator = spec.name == MEDIATOR_ROLE and committee is not None
            account.committee_id = committee.id if mediator and committee is not None else None
            s.flush()
            uow.audit(
                "create" if created else "update",
                "account",
                account.id,
                summary=f"演示账号“{login}”（{spec.name}）",
            )
            where = "全部"
            if spec.scope == SCOPE_COMMUNITY:
                where = community.name if community is not None else "（无社区）"
            elif spec.scope == SCOPE_GRIDS:
                where = grid.name if grid is not None else "（无网格）"
            elif spec.name == MEDIATOR_ROLE and committee is not None:
                where = committee.name
            out.append(DemoAccount(login, spec.name, DEMO_PASSWORD, where))
    return out
