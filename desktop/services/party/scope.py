"""党建's reach: which organisations, members, meetings, dues and check-ins the signed-in account sees and changes.

Access control per GB/T 22239-2019 8.1.4.2 (访问控制), enforced here in the services, not by hiding buttons.

Party records belong to organisations. An organisation belongs to a community through its own ``community_id``
or, when it has none, through the nearest organisation above it that has one (a 党小组 or a branch set up
under 新华社区党委 without naming the community is 新华's). The street's 党工委 and the organisations that reach
no community (机关、两新 branches placed directly under the 党工委) are street-level.

Who reaches what:

* an account that sees every community, with no community of its own (街道管理员, a street 党务): everything;
* a community account (社区书记/主任) — and any account given a community, such as a 党务 account set up for
  one community's 党委: the organisations of that community and everything recorded in them (members, posts,
  meetings, dues, recruitment). Street-level organisations and the street-wide party settings (the dues book's
  first month, the 三会一课 frequencies) are not theirs;
* a grid account reaches party data only when its role has 党建 (the default 网格员 has not, so
  ``require(ctx, PARTY)`` refuses it first); a role that has it reaches the organisations placed in its grids
  (网格党支部 and their 党小组), like its residents;
* a 在职党员进社区报到 record is also visible to the community it checks into (the one recorded on it, else the
  community where the member lives): that community records the member's service hours and evaluation.
  It sees the check-in and the member's name, masked identity and organisation — not the member's dues,
  recruitment or history, which stay with the member's own organisation.

A member's record moves with the member: when a community takes in (组织关系转入) someone another community
transferred out, the record — history included — becomes the receiving community's (see ``changes.transfer_in``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from db.schema.party import CommunityCheckIn, PartyMember, PartyOrg
from db.schema.people import Resident
from desktop.core.errors import PermissionDenied
from desktop.core.identity import SignedIn
from desktop.domain.accounts import SCOPE_ALL, SCOPE_GRIDS
from desktop.services.access import outside_scope

STREET_LEVEL = "街道层面的党建数据"


@dataclass(frozen=True)
class PartyScope:
    """The organisations (and, for check-ins, the community) an account is limited to."""

    login: str
    org_ids: frozenset[int]
    community_id: int | None  # None for a grid account
    grid_ids: tuple[int, ...] | None = None  # a grid account's grids

    def admits_place(self, community_id: int | None, grid_id: int | None) -> bool:
        """Would an organisation belonging to (community, grid) be in this scope?"""
        if self.grid_ids is not None:
            return grid_id is not None and grid_id in self.grid_ids
        return community_id is not None and community_id == self.community_id

    def member_condition(self) -> Any:
        return PartyMember.org_id.in_(sorted(self.org_ids)) if self.org_ids else false()

    def check_in_condition(self) -> Any:
        """A WHERE condition on CommunityCheckIn (joined to nothing): the check-in is this scope's."""
        member = aliased(PartyMember)  # (never correlated with a query over the members themselves)
        ids = sorted(self.org_ids)
        own = CommunityCheckIn.member_id.in_(
            select(member.id).where(member.org_id.in_(ids) if ids else false())
        )
        if self.community_id is None:
            return own
        lives = (
            select(Resident.community_id)
            .join(member, member.resident_id == Resident.id)
            .where(member.id == CommunityCheckIn.member_id)
            .correlate(CommunityCheckIn)
            .scalar_subquery()
        )
        return or_(own, func.coalesce(CommunityCheckIn.community_id, lives) == self.community_id)

    def checked_in_here(self) -> Any:
        """A condition on PartyMember: an active check-in of the member is visible to this scope."""
        return exists().where(
            CommunityCheckIn.member_id == PartyMember.id,
            CommunityCheckIn.ended_on.is_(None),
            self.check_in_condition(),
        )


def _limit(account: SignedIn | None) -> tuple[int | None, tuple[int, ...] | None] | None:
    """(community, grids) the account is limited to; None when it reaches every organisation."""
    if account is None:
        return None
    if account.scope == SCOPE_GRIDS:
        return None, tuple(account.grid_ids)
    if account.scope == SCOPE_ALL and account.community_id is None:
        return None
    return (account.community_id if account.community_id is not None else -1), None


def _reach(
    rows: Iterable[tuple[int, int | None, int | None, int | None]],
) -> dict[int, tuple[int | None, int | None]]:
    """Each organisation's (community, grid): its own, else inherited from the nearest one above that has it."""
    table = {oid: (parent, community, grid) for oid, parent, community, grid in rows}
    out: dict[int, tuple[int | None, int | None]] = {}

    def resolve(oid: int, seen: frozenset[int] = frozenset()) -> tuple[int | None, int | None]:
        if oid in out:
            return out[oid]
        parent, community, grid = table[oid]
        if (community is None or grid is None) and parent in table and parent not in seen:
            up_community, up_grid = resolve(parent, seen | {oid})
            community = community if community is not None else up_community
            grid = grid if grid is not None else up_grid
        out[oid] = (community, grid)
        return out[oid]

    for oid in table:
        resolve(oid)
    return out


def party_scope(s: Session) -> PartyScope | None:
    """The session's account's party scope (see the module's docstring); None when it reaches everything."""
    account: SignedIn | None = s.info.get("account")
    limit = _limit(account)
    if limit is None or account is None:
        return None
    community, grids = limit
    reach = _reach(
        s.execute(select(PartyOrg.id, PartyOrg.parent_id, PartyOrg.community_id, PartyOrg.grid_id))
    )
    if grids is not None:
        ids = frozenset(o for o, (_c, g) in reach.items() if g is not None and g in grids)
    else:
        ids = frozenset(o for o, (c, _g) in reach.items() if c == community)
    return PartyScope(account.login, ids, community, grids)


def place_reach(
    s: Session, parent_id: int | None, community_id: int | None, grid_id: int | None
) -> tuple[int | None, int | None]:
    """Where an organisation placed under ``parent_id`` with these values would belong (community, grid)."""
    if parent_id is None or (community_id is not None and grid_id is not None):
        return community_id, grid_id
    reach = _reach(
        s.execute(select(PartyOrg.id, PartyOrg.parent_id, PartyOrg.community_id, PartyOrg.grid_id))
    )
    up_community, up_grid = reach.get(parent_id, (None, None))
    return (community_id if community_id is not None else up_community), (
        grid_id if grid_id is not None else up_grid
    )


# ---------------------------------------------------------------- conditions for the lists


def member_condition(s: Session) -> Any:
    """The members the session's account reaches (``true()`` for every member)."""
    scope = party_scope(s)
    return true() if scope is None else scope.member_condition()


def org_ids_in_scope(s: Session) -> frozenset[int] | None:
    scope = party_scope(s)
    return None if scope is None else scope.org_ids


# ---------------------------------------------------------------- refusals


def check_org(s: Session, org: PartyOrg | None, scope: PartyScope | None = None) -> None:
    """Refuse an organisation outside the session's account's reach (naming it and the account)."""
    scope = scope if scope is not None else party_scope(s)
    if org is not None and scope is not None and org.id not in scope.org_ids:
        raise outside_scope(scope.login, f"党组织“{org.name}”")


def check_org_id(s: Session, org_id: int | None) -> None:
    if org_id is not None:
        check_org(s, s.get(PartyOrg, org_id))


def check_member(s: Session, m: PartyMember | None, scope: PartyScope | None = None) -> None:
    """Refuse a member outside the reach. The member is named by number only: the name of a member the
    account may not see is not told to it either."""
    scope = scope if scope is not None else party_scope(s)
    if m is not None and scope is not None and m.org_id not in scope.org_ids:
        raise outside_scope(scope.login, f"党员（编号 {m.id}）")


def check_member_id(s: Session, member_id: int) -> None:
    check_member(s, s.get(PartyMember, member_id))


def member_reach(s: Session, m: PartyMember) -> str:
    """ "full" when the member is in reach, "check_in" when only an active or past check-in into the reach
    shows it (a reduced card), else PermissionDenied."""
    scope = party_scope(s)
    if scope is None or m.org_id in scope.org_ids:
        return "full"
    seen = s.scalar(
        select(CommunityCheckIn.id)
        .where(CommunityCheckIn.member_id == m.id, scope.check_in_condition())
        .limit(1)
    )
    if seen is None:
        raise outside_scope(scope.login, f"党员（编号 {m.id}）")
    return "check_in"


def check_check_in(s: Session, c: CommunityCheckIn) -> None:
    """Refuse a check-in neither of a member in reach nor into the account's community."""
    scope = party_scope(s)
    if scope is None:
        return
    if (
        s.scalar(select(CommunityCheckIn.id).where(CommunityCheckIn.id == c.id, scope.check_in_condition()))
        is None
    ):
        raise outside_scope(scope.login, f"在职党员报到记录（编号 {c.id}）")


def check_street_wide(s: Session, what: str) -> None:
    """Refuse a street-wide party setting to an account limited to a community or grids."""
    scope = party_scope(s)
    if scope is not None:
        raise PermissionDenied(
            f"没有权限：{what}是全街道的党建设置，账号 {scope.login} 只负责本社区或网格，请由街道党务人员修改"
        )


def member_visible(s: Session, m: PartyMember) -> bool:
    """Whether the session's account reaches ``m`` (its messages may name the member)."""
    scope = party_scope(s)
    return scope is None or m.org_id in scope.org_ids


def member_list_condition(s: Session, with_check_ins: bool = False) -> Any:
    """The members a list shows: those in reach and, ``with_check_ins`` (the 在职党员报到 list), the members
    with an active check-in into the account's community."""
    scope = party_scope(s)
    if scope is None:
        return true()
    return (
        or_(scope.member_condition(), scope.checked_in_here()) if with_check_ins else scope.member_condition()
    )


def check_member_save(s: Session, current: PartyMember | None, org_id: int, taking_in: bool = False) -> None:
    """Saving a member: the record (unless ``taking_in`` a member another organisation transferred out) and
    the organisation it is saved into must both be in reach — a community's account cannot place a member in
    another community's organisation; the receiving community takes the member in (组织关系转入)."""
    scope = party_scope(s)
    if scope is None:
        return
    if current is not None and not taking_in:
        check_member(s, current, scope)
    check_org(s, s.get(PartyOrg, org_id), scope)
