"""Who may do what: ``require(ctx, permission)`` at the services' entry points, and the residents an account
may see (its community or grids).

A database without accounts (a new install before its administrator exists, the tests) has no one to refuse:
everything is allowed. Once it has accounts, a context nobody signed in with may do nothing.
Access control per GB/T 22239-2019 8.1.4.2 (访问控制): the services enforce it, not only the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from db.schema.accounts import Account
from db.schema.judicial import CourtReferral
from db.schema.mediation import MediationCase, MediationCommittee
from db.schema.structure import Grid
from desktop.core.errors import LoginRequired, PermissionDenied
from desktop.core.identity import SignedIn
from desktop.domain.accounts import SCOPE_COMMUNITY, SCOPE_GRIDS, permission_label
from desktop.services.context import ServiceContext

LOGIN_REQUIRED = "需要登录：数据库已有账号，请用自己的账号登录"


def accounts_exist(ctx: ServiceContext) -> bool:
    """Whether the database has any account. Remembered once true: accounts are never deleted."""
    if ctx.accounts_seen:
        return True
    with ctx.read() as s:
        seen = s.scalar(select(Account.id).limit(1)) is not None
    ctx.accounts_seen = seen
    return seen


def allowed(ctx: ServiceContext, permission: str) -> bool:
    if ctx.account is not None:
        return ctx.account.can(permission)
    return not accounts_exist(ctx)


def require(ctx: ServiceContext, permission: str) -> None:
    """Raise PermissionDenied (LoginRequired when nobody signed in) unless the context may ``permission``."""
    account = ctx.account
    if account is None:
        if accounts_exist(ctx):
            raise LoginRequired(LOGIN_REQUIRED)
        return
    if not account.can(permission):
        raise PermissionDenied(
            f"没有权限：{permission_label(permission)}（账号 {account.login}，角色 {account.role}）"
        )


@dataclass(frozen=True)
class ResidentScope:
    """Where an account's residents end: a community, or a set of grids. Empty grids: nothing at all."""

    community_id: int | None = None
    grid_ids: tuple[int, ...] | None = None

    def condition(self, community_col: Any, grid_col: Any) -> Any:
        """A WHERE condition on the given columns (the residents' community and grid)."""
        if self.grid_ids is not None:
            return grid_col.in_(self.grid_ids)
        return community_col == self.community_id

    def grid_condition(self, grid_col: Any) -> Any:
        """A WHERE condition on a grid id column alone (events, visits): the grids, or the community's grids."""
        if self.grid_ids is not None:
            return grid_col.in_(self.grid_ids)
        return grid_col.in_(select(Grid.id).where(Grid.community_id == self.community_id))

    def grid_ids_in(self, s: Session) -> list[int]:
        if self.grid_ids is not None:
            return list(self.grid_ids)
        return list(s.scalars(select(Grid.id).where(Grid.community_id == self.community_id)))

    def admits(self, community_id: int | None, grid_id: int | None) -> bool:
        if self.grid_ids is not None:
            return grid_id in self.grid_ids
        return community_id == self.community_id


def resident_scope(ctx: ServiceContext) -> ResidentScope | None:
    """The community or grids the signed-in account is limited to; None when it sees every community."""
    account = ctx.account
    if account is None:
        return None
    if account.scope == SCOPE_GRIDS:
        return ResidentScope(grid_ids=tuple(account.grid_ids))
    if account.scope == SCOPE_COMMUNITY:
        return ResidentScope(community_id=account.community_id if account.community_id is not None else -1)
    return None


def check_resident_in_scope(ctx: ServiceContext, community_id: int | None, grid_id: int | None) -> None:
    scope = resident_scope(ctx)
    if scope is not None and not scope.admits(community_id, grid_id):
        assert ctx.account is not None
        raise PermissionDenied(f"没有权限：该居民不在账号 {ctx.account.login} 负责的社区或网格内")


def outside_scope(login: str, what: str) -> PermissionDenied:
    return PermissionDenied(f"没有权限：{what}不在账号 {login} 负责的社区或网格内")


def session_scope(s: Session) -> tuple[str, ResidentScope] | None:
    """The signed-in account's login and scope for a session opened by ``ctx.read()``/``ctx.write()`` (the
    areas' helpers that take a session, not a context, check with it); None when it sees every community."""
    account = s.info.get("account")
    if account is None:
        return None
    if account.scope == SCOPE_GRIDS:
        return account.login, ResidentScope(grid_ids=tuple(account.grid_ids))
    if account.scope == SCOPE_COMMUNITY:
        cid = account.community_id if account.community_id is not None else -1
        return account.login, ResidentScope(community_id=cid)
    return None


def check_grid_in_session(s: Session, grid_id: int | None, what: str) -> None:
    """Refuse a record placed in ``grid_id`` (an event, a visit's resident) outside the session's scope."""
    found = session_scope(s)
    if found is None:
        return
    login, scope = found
    community_id = s.scalar(select(Grid.community_id).where(Grid.id == grid_id)) if grid_id else None
    if not scope.admits(community_id, grid_id):
        raise outside_scope(login, what)


def check_community_in_session(s: Session, community_id: int | None, grid_id: int | None, what: str) -> None:
    found = session_scope(s)
    if found is not None and not found[1].admits(community_id, grid_id):
        raise outside_scope(found[0], what)


# ---------------------------------------------------------------- mediation: a 调解员's committee


def _case_condition(account: SignedIn | None) -> Any:
    """A WHERE condition on MediationCase for the account's reach, or None when it reaches every case:
    a 调解员 their committee's cases, a community's account the cases of its community (the case's, or its
    committee's), a grid account the cases placed in its grids."""
    if account is None:
        return None
    if account.committee_id is not None:
        return MediationCase.committee_id == account.committee_id
    if account.scope == SCOPE_GRIDS:
        return MediationCase.grid_id.in_(tuple(account.grid_ids))
    if account.scope == SCOPE_COMMUNITY:
        cid = account.community_id if account.community_id is not None else -1
        committees = select(MediationCommittee.id).where(MediationCommittee.community_id == cid)
        return or_(MediationCase.community_id == cid, MediationCase.committee_id.in_(committees))
    return None


def case_condition(ctx: ServiceContext) -> Any:
    """The condition on MediationCase for the signed-in account (``true()`` when it reaches every case)."""
    cond = _case_condition(ctx.account)
    return true() if cond is None else cond


def session_case_condition(s: Session) -> Any:
    """``case_condition`` for a session opened by ``ctx.read()``/``ctx.write()``."""
    cond = _case_condition(s.info.get("account"))
    return true() if cond is None else cond


def check_case_in_session(s: Session, case_id: int, case_no: str) -> None:
    """Refuse a case outside the session's account's committee or community."""
    account: SignedIn | None = s.info.get("account")
    cond = _case_condition(account)
    if cond is None or account is None:
        return
    if s.scalar(select(MediationCase.id).where(MediationCase.id == case_id, cond)) is None:
        raise PermissionDenied(f"没有权限：案件 {case_no} 不在账号 {account.login} 负责的调解委员会或社区内")


# ---------------------------------------------------------------- 委派调解: a case's, or its committee's


def _referral_condition(account: SignedIn | None) -> Any:
    """A WHERE condition on CourtReferral for the account's reach, or None when it reaches every referral.
    A referral linked to a case follows the case (``_case_condition``); before that it is its receiving
    committee's (``committee_id``: a 调解员's committee, or the committees of a community's account); one
    registered by the street with no committee is the street's."""
    cases = _case_condition(account)
    if cases is None or account is None:
        return None
    linked = CourtReferral.case_id.in_(select(MediationCase.id).where(cases))
    if account.committee_id is not None:
        own = CourtReferral.committee_id == account.committee_id
    elif account.scope == SCOPE_COMMUNITY:
        cid = account.community_id if account.community_id is not None else -1
        own = CourtReferral.committee_id.in_(
            select(MediationCommittee.id).where(MediationCommittee.community_id == cid)
        )
    else:  # a grid account: the cases of its grids only
        return linked
    return or_(linked, and_(CourtReferral.case_id.is_(None), own))


def referral_condition(ctx: ServiceContext) -> Any:
    """The condition on CourtReferral for the signed-in account (``true()`` when it reaches every one)."""
    cond = _referral_condition(ctx.account)
    return true() if cond is None else cond


def check_referral_in_session(s: Session, referral_id: int, referral_no: str) -> None:
    """Refuse a referral outside the session's account's committee or community."""
    account: SignedIn | None = s.info.get("account")
    cond = _referral_condition(account)
    if cond is None or account is None:
        return
    if s.scalar(select(CourtReferral.id).where(CourtReferral.id == referral_id, cond)) is None:
        raise PermissionDenied(
            f"没有权限：委派调解 {referral_no} 不在账号 {account.login} 负责的调解委员会或社区内"
        )


def receiving_committee(s: Session) -> int | None:
    """The committee a referral registered by the session's account belongs to: a 调解员's own, the first
    of a community account's community; None for a street-wide account (the street's referral)."""
    account: SignedIn | None = s.info.get("account")
    if account is None:
        return None
    if account.committee_id is not None:
        return account.committee_id
    if account.scope == SCOPE_COMMUNITY:
        cid = account.community_id if account.community_id is not None else -1
        return s.scalar(
            select(MediationCommittee.id)
            .where(MediationCommittee.community_id == cid)
            .order_by(MediationCommittee.id)
            .limit(1)
        )
    return None


def require_login(ctx: ServiceContext) -> None:
    """Street-wide reference data (the holiday calendar) is read by every account — but by an account:
    once the database has accounts, nobody reads without signing in."""
    if ctx.account is None and accounts_exist(ctx):
        raise LoginRequired(LOGIN_REQUIRED)
