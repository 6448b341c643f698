"""Roles: seeded with the issue's seven, their permissions editable by the administrator, never all three
powers (accounts, security settings, audit) in one role (三权分立, GB/T 22239-2019)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.accounts import Role
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.accounts import ACCOUNTS, DEFAULT_ROLES, PERMISSIONS, role_name, separation_problem
from desktop.services.access import require
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class RoleRow:
    id: int
    name: str
    permissions: frozenset[str]
    scope: str
    description: str


def permissions_of(role: Role) -> frozenset[str]:
    try:
        value = json.loads(role.permissions)
    except ValueError:
        return frozenset()
    return frozenset(p for p in value if isinstance(p, str) and p in PERMISSIONS)


def _row(role: Role) -> RoleRow:
    return RoleRow(role.id, role.name, permissions_of(role), role.scope, role.description)


def ensure_roles(s: Session) -> None:
    """Add the default roles a database does not have yet (by name; edited ones are left as they are)."""
    have = set(s.scalars(select(Role.name)))
    for spec in DEFAULT_ROLES:
        if spec.name not in have:
            s.add(
                Role(
                    name=spec.name,
                    permissions=json.dumps(list(spec.permissions)),
                    scope=spec.scope,
                    description=spec.description,
                )
            )
    s.flush()


def find_role(s: Session, name: str) -> Role:
    ensure_roles(s)
    wanted = role_name(name)
    role = s.scalar(select(Role).where(Role.name == wanted))
    if role is None:
        names = "、".join(s.scalars(select(Role.name).order_by(Role.id)))
        raise NotFoundError(f"没有角色“{name}”，可选：{names}")
    return role


def list_roles(ctx: ServiceContext) -> list[RoleRow]:
    with ctx.write() as uow:  # seeds the defaults on first use
        ensure_roles(uow.session)
        return [_row(r) for r in uow.session.scalars(select(Role).order_by(Role.id))]


def save_role_permissions(ctx: ServiceContext, name: str, permissions: Iterable[str]) -> RoleRow:
    """Change a role's permission set (the administrator's 角色权限 editor); refuses unknown codes and any
    set that would break the three-power separation."""
    require(ctx, ACCOUNTS)
    wanted = frozenset(permissions)
    unknown = sorted(wanted - PERMISSIONS.keys())
    if unknown:
        raise ValidationError(f"未知的权限：{'、'.join(unknown)}")
    problem = separation_problem(wanted)
    if problem:
        raise ValidationError(f"角色“{name}”不能这样设置：{problem}")
    with ctx.write() as uow:
        role = find_role(uow.session, name)
        before = sorted(permissions_of(role))
        role.permissions = json.dumps(sorted(wanted))
        uow.session.flush()
        uow.audit(
            "update",
            "role",
            role.id,
            summary=f"修改角色“{role.name}”的权限",
            before={"permissions": before},
            after={"permissions": sorted(wanted)},
        )
        return _row(role)
