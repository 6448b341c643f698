"""The organisation tree (党工委 → 党委/党总支 → 党支部 → 党小组): nodes with counts, posts and warnings.

Reading only; the edits are ``org_edits``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.party import (
    BranchPost,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PartyPost,
)
from db.schema.structure import Community, Grid
from desktop.core.errors import ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.common import get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import rules
from desktop.services.party.common import (
    ORG_KIND_LABELS,
    POST_LABELS,
    label_of,
)
from desktop.services.party.scope import check_org, check_org_id, org_ids_in_scope

#: which kinds may sit under which (None = the root)
PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    PartyOrgKind.WORKING_COMMITTEE: (None,),
    PartyOrgKind.COMMITTEE: (PartyOrgKind.WORKING_COMMITTEE, None),
    PartyOrgKind.GENERAL_BRANCH: (PartyOrgKind.WORKING_COMMITTEE, PartyOrgKind.COMMITTEE, None),
    PartyOrgKind.BRANCH: (
        PartyOrgKind.WORKING_COMMITTEE,
        PartyOrgKind.COMMITTEE,
        PartyOrgKind.GENERAL_BRANCH,
        None,
    ),
    PartyOrgKind.GROUP: (PartyOrgKind.BRANCH,),
}


@dataclass(frozen=True)
class PostRow:
    id: int
    org_id: int
    member_id: int
    member_name: str
    post: str
    post_label: str
    from_date: dt.date
    to_date: dt.date | None
    version: int


@dataclass(frozen=True)
class OrgNode:
    id: int
    parent_id: int | None
    depth: int
    kind: str
    kind_label: str
    name: str
    full_name: str | None
    code: str | None
    community_id: int | None
    community_name: str
    grid_id: int | None
    grid_name: str
    is_joint: bool
    established_on: dt.date | None
    term_start: dt.date | None
    term_years: int
    term_end: dt.date | None
    contact: str | None
    phone: str | None
    address: str | None
    notes: str | None
    retired_on: dt.date | None
    version: int
    full_members: int  # 正式党员 in this organisation itself (branch / group)
    probationary: int
    recruits: int  # 申请人、积极分子、发展对象
    subtree_members: int  # 党员 (正式 + 预备) here and below
    posts: tuple[PostRow, ...] = ()
    warnings: tuple[rules.OrgWarning, ...] = ()

    @property
    def members(self) -> int:
        return self.full_members + self.probationary

    @property
    def secretary(self) -> str:
        wanted = BranchPost.GROUP_LEADER if self.kind == PartyOrgKind.GROUP else BranchPost.SECRETARY
        return next((p.member_name for p in self.posts if p.post == wanted), "")

    @property
    def serious_warnings(self) -> list[rules.OrgWarning]:
        return [w for w in self.warnings if w.serious]


@dataclass
class OrgInput:
    name: str
    kind: str
    parent_id: int | None = None
    full_name: str | None = None
    code: str | None = None
    community_id: int | None = None
    grid_id: int | None = None
    is_joint: bool = False
    unit_situation: str | None = None
    established_on: dt.date | None = None
    term_start: dt.date | None = None
    term_years: int = rules.DEFAULT_TERM_YEARS
    contact: str | None = None
    phone: str | None = None
    address: str | None = None
    sort_key: int = 0
    notes: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class PostInput:
    org_id: int
    member_id: int
    post: str
    from_date: dt.date
    notes: str | None = None


@dataclass
class _Counts:
    full: int = 0
    probationary: int = 0
    recruits: int = 0
    by_group: dict[int, list[int]] = field(default_factory=dict)


# ---------------------------------------------------------------- reading


def current_posts(s: Session, org_ids: list[int] | None = None) -> dict[int, list[PostRow]]:
    q = (
        select(PartyPost, PartyMember.name)
        .join(PartyMember, PartyMember.id == PartyPost.member_id)
        .where(PartyPost.to_date.is_(None))
        .order_by(PartyPost.org_id, PartyPost.post, PartyPost.from_date)
    )
    if org_ids is not None:
        q = q.where(PartyPost.org_id.in_(org_ids))
    out: dict[int, list[PostRow]] = defaultdict(list)
    order = list(BranchPost)
    for p, name in s.execute(q):
        out[p.org_id].append(_post_row(p, name))
    for rows in out.values():
        rows.sort(key=lambda r: order.index(BranchPost(r.post)) if r.post in order else 99)
    return out


def _post_row(p: PartyPost, name: str) -> PostRow:
    return PostRow(
        p.id,
        p.org_id,
        p.member_id,
        name,
        p.post,
        label_of(POST_LABELS, p.post),
        p.from_date,
        p.to_date,
        p.version,
    )


def _member_counts(s: Session) -> tuple[dict[int, _Counts], dict[int, _Counts]]:
    """Active members per organisation (org_id) and per 党小组 (group_id), by stage."""
    by_org: dict[int, _Counts] = defaultdict(_Counts)
    by_group: dict[int, _Counts] = defaultdict(_Counts)
    rows = s.execute(
        select(PartyMember.org_id, PartyMember.group_id, PartyMember.stage, func.count())
        .where(PartyMember.status == MembershipStatus.ACTIVE)
        .group_by(PartyMember.org_id, PartyMember.group_id, PartyMember.stage)
    )
    for org_id, group_id, stage, n in rows:
        for counts in [by_org[org_id]] + ([by_group[group_id]] if group_id else []):
            if stage == MemberStage.FULL:
                counts.full += n
            elif stage == MemberStage.PROBATIONARY:
                counts.probationary += n
            else:
                counts.recruits += n
    return by_org, by_group


def _tree_order(orgs: list[PartyOrg]) -> list[tuple[PartyOrg, int]]:
    children: dict[int | None, list[PartyOrg]] = defaultdict(list)
    ids = {o.id for o in orgs}
    for o in orgs:
        children[o.parent_id if o.parent_id in ids else None].append(o)
    out: list[tuple[PartyOrg, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in sorted(children.get(parent, []), key=lambda o: (o.sort_key, o.id)):
            out.append((o, depth))
            walk(o.id, depth + 1)

    walk(None, 0)
    return out


def subtree_ids(s: Session, org_id: int) -> set[int]:
    """``org_id`` and every organisation below it."""
    pairs = s.execute(select(PartyOrg.id, PartyOrg.parent_id)).all()
    children: dict[int | None, list[int]] = defaultdict(list)
    for oid, parent in pairs:
        children[parent].append(oid)
    out, todo = set(), [org_id]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo += children.get(current, [])
    return out


def list_org_tree(
    ctx: ServiceContext, today: dt.date | None = None, include_retired: bool = False
) -> list[OrgNode]:
    """Every organisation in tree order (depth-first), with counts, current posts and warnings."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        orgs = list(s.scalars(select(PartyOrg)))
        reach = org_ids_in_scope(s)  # a community's account: its community's organisations only
        if reach is not None:
            orgs = [o for o in orgs if o.id in reach]
        if not include_retired:
            orgs = [o for o in orgs if o.retired_on is None]
        communities = {k: v for k, v in s.execute(select(Community.id, Community.name))}
        grids = {k: v for k, v in s.execute(select(Grid.id, Grid.name))}
        posts = current_posts(s)
        by_org, by_group = _member_counts(s)
    ordered = _tree_order(orgs)
    own: dict[int, int] = {}
    for o, _depth in ordered:
        c = by_group.get(o.id, _Counts()) if o.kind == PartyOrgKind.GROUP else by_org.get(o.id, _Counts())
        own[o.id] = c.full + c.probationary if o.kind != PartyOrgKind.GROUP else 0
    subtree: dict[int, int] = dict(own)
    for o, _depth in reversed(ordered):  # children come after parents: add each to its parent
        if o.parent_id in subtree:
            subtree[o.parent_id] += subtree[o.id]
    nodes = []
    for o, depth in ordered:
        c = by_group.get(o.id, _Counts()) if o.kind == PartyOrgKind.GROUP else by_org.get(o.id, _Counts())
        held = posts.get(o.id, [])
        warnings = rules.org_warnings(
            o.kind,
            c.full,
            [p.post for p in held],
            o.term_start,
            o.term_years,
            today,
            members=c.full + c.probationary,
            is_joint=o.is_joint,
        )
        subtree_members = c.full + c.probationary if o.kind == PartyOrgKind.GROUP else subtree[o.id]
        nodes.append(
            OrgNode(
                id=o.id,
                parent_id=o.parent_id,
                depth=depth,
                kind=o.kind,
                kind_label=label_of(ORG_KIND_LABELS, o.kind),
                name=o.name,
                full_name=o.full_name,
                code=o.code,
                community_id=o.community_id,
                community_name=communities.get(o.community_id, "") if o.community_id else "",
                grid_id=o.grid_id,
                grid_name=grids.get(o.grid_id, "") if o.grid_id else "",
                is_joint=o.is_joint,
                established_on=o.established_on,
                term_start=o.term_start,
                term_years=o.term_years,
                term_end=rules.term_end(o.term_start, o.term_years),
                contact=o.contact,
                phone=o.phone,
                address=o.address,
                notes=o.notes,
                retired_on=o.retired_on,
                version=o.version,
                full_members=c.full,
                probationary=c.probationary,
                recruits=c.recruits,
                subtree_members=subtree_members,
                posts=tuple(held),
                warnings=tuple(warnings if o.retired_on is None else ()),
            )
        )
    return nodes


def get_org(ctx: ServiceContext, org_id: int, today: dt.date | None = None) -> OrgNode:
    require(ctx, PARTY)
    with ctx.read() as s:
        check_org(s, get_or_raise(s, PartyOrg, org_id, "党组织"))
    for node in list_org_tree(ctx, today, include_retired=True):
        if node.id == org_id:
            return node
    raise AssertionError  # pragma: no cover


def find_org(ctx: ServiceContext, name: str) -> int | None:
    """The organisation called ``name`` (its name or full name as on the seal), or None; one outside the
    account's reach is refused (PermissionDenied naming it), so a typed name never widens the reach."""
    require(ctx, PARTY)
    text = clean_text(name)
    with ctx.read() as s:
        orgs = list(s.scalars(select(PartyOrg).where((PartyOrg.name == text) | (PartyOrg.full_name == text))))
        reach = org_ids_in_scope(s)
        if reach is not None and orgs and not any(o.id in reach for o in orgs):
            check_org(s, orgs[0])
        found = [o.id for o in orgs if reach is None or o.id in reach]
    if len(found) > 1:
        raise ValidationError(f"有 {len(found)} 个党组织名为“{text}”，请使用全称。", field="org")
    return found[0] if found else None


def post_history(ctx: ServiceContext, org_id: int) -> list[PostRow]:
    require(ctx, PARTY)
    with ctx.read() as s:
        check_org_id(s, org_id)
        rows = s.execute(
            select(PartyPost, PartyMember.name)
            .join(PartyMember, PartyMember.id == PartyPost.member_id)
            .where(PartyPost.org_id == org_id)
            .order_by(PartyPost.from_date.desc(), PartyPost.id.desc())
        )
        return [_post_row(p, name) for p, name in rows]
