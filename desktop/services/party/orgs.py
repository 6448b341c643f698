"""The organisation tree (党工委 → 党委/党总支 → 党支部 → 党小组): nodes with counts, posts and warnings."""

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
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import rules
from desktop.services.party.common import (
    ORG_KIND_LABELS,
    POST_LABELS,
    SINGLE_POSTS,
    label_of,
)
from desktop.services.residents.common import clean_free_text

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
    today = today or ctx.today()
    with ctx.read() as s:
        orgs = list(s.scalars(select(PartyOrg)))
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
    for node in list_org_tree(ctx, today, include_retired=True):
        if node.id == org_id:
            return node
    with ctx.read() as s:
        get_or_raise(s, PartyOrg, org_id, "党组织")
    raise AssertionError  # pragma: no cover


def find_org(ctx: ServiceContext, name: str) -> int | None:
    """The organisation called ``name`` (its name or full name as on the seal), or None."""
    text = clean_text(name)
    with ctx.read() as s:
        found = s.scalars(
            select(PartyOrg.id).where((PartyOrg.name == text) | (PartyOrg.full_name == text))
        ).all()
    if len(found) > 1:
        raise ValidationError(f"有 {len(found)} 个党组织名为“{text}”，请使用全称。", field="org")
    return found[0] if found else None


def post_history(ctx: ServiceContext, org_id: int) -> list[PostRow]:
    with ctx.read() as s:
        rows = s.execute(
            select(PartyPost, PartyMember.name)
            .join(PartyMember, PartyMember.id == PartyPost.member_id)
            .where(PartyPost.org_id == org_id)
            .order_by(PartyPost.from_date.desc(), PartyPost.id.desc())
        )
        return [_post_row(p, name) for p, name in rows]


# ---------------------------------------------------------------- writing


def _validated_org(s: Session, data: OrgInput, current: PartyOrg | None, today: dt.date) -> dict[str, object]:
    name = clean_text(data.name)
    if not name:
        raise ValidationError("党组织名称不能为空。", field="name")
    if len(name) > 100:
        raise ValidationError("党组织名称不能超过 100 个字。", field="name")
    if data.kind not in PARENT_KINDS:
        raise ValidationError(f"党组织类别“{data.kind}”无效。", field="kind")
    parent = get_or_raise(s, PartyOrg, data.parent_id, "上级党组织") if data.parent_id is not None else None
    allowed = PARENT_KINDS[data.kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        kind_label = ORG_KIND_LABELS[PartyOrgKind(data.kind)]
        if parent is None:
            raise ValidationError(f"{kind_label}须设在上级党组织之下，请选择上级党组织。", field="parent_id")
        raise ValidationError(
            f"{kind_label}不能设在{label_of(ORG_KIND_LABELS, parent.kind)}“{parent.name}”之下。",
            field="parent_id",
        )
    if parent is not None and parent.retired_on is not None:
        raise ValidationError(f"上级党组织“{parent.name}”已撤销。", field="parent_id")
    if current is not None and parent is not None and parent.id in subtree_ids(s, current.id):
        raise ValidationError("不能把党组织设在它自己或它的下级组织之下。", field="parent_id")
    same = s.scalar(
        select(PartyOrg.id).where(
            PartyOrg.name == name,
            PartyOrg.parent_id.is_(None) if parent is None else PartyOrg.parent_id == parent.id,
            PartyOrg.id != (current.id if current else 0),
        )
    )
    if same is not None:
        raise ConflictError(f"同一上级下已有名为“{name}”的党组织。", detail="name")
    if not 1 <= data.term_years <= 10:
        raise ValidationError("任期年限应在 1 至 10 年之间（社区党组织为 5 年）。", field="term_years")
    if data.community_id is not None:
        get_or_raise(s, Community, data.community_id, "社区")
    if data.grid_id is not None:
        grid = get_or_raise(s, Grid, data.grid_id, "网格")
        if data.community_id is not None and grid.community_id != data.community_id:
            raise ValidationError(f"网格“{grid.name}”不属于所选社区。", field="grid_id")
    for key, day in (("established_on", data.established_on), ("term_start", data.term_start)):
        if day is not None and day > today:
            raise ValidationError("日期不能晚于今天。", field=key)
    phone = normalize_phone(data.phone) if data.phone else None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"{problem}。", field="phone")
    return {
        "name": name,
        "kind": data.kind,
        "parent_id": parent.id if parent else None,
        "full_name": clean_free_text(data.full_name) or None,
        "code": clean_text(data.code) or None,
        "community_id": data.community_id
        if data.community_id is not None or parent is None
        else parent.community_id,
        "grid_id": data.grid_id,
        "is_joint": bool(data.is_joint),
        "unit_situation": clean_text(data.unit_situation) or None,
        "established_on": data.established_on,
        "term_start": data.term_start,
        "term_years": data.term_years,
        "contact": clean_text(data.contact) or None,
        "phone": phone or None,
        "address": clean_free_text(data.address) or None,
        "sort_key": data.sort_key,
        "notes": clean_free_text(data.notes) or None,
    }


def save_org(ctx: ServiceContext, data: OrgInput) -> int:
    """Create or update an organisation (optimistic ``version``). Returns its id."""
    with ctx.write() as uow:
        s = uow.session
        current = None
        if data.id is not None:
            current = get_or_raise(s, PartyOrg, data.id, "党组织")
            check_version(current.version, data.version, f"党组织“{current.name}”")
        values = _validated_org(s, data, current, uow.clock.today())
        before = None if current is None else snapshot(current)
        org = current or PartyOrg(name=values["name"], kind=values["kind"])
        if current is None:
            s.add(org)
        for key, value in values.items():
            setattr(org, key, value)
        s.flush()
        uow.audit(
            "create" if current is None else "update",
            "party_org",
            org.id,
            summary=f"党组织 {org.name}",
            before=before,
            after=snapshot(org),
        )
        return org.id


def retire_org(
    ctx: ServiceContext, org_id: int, on_date: dt.date, reason: str, version: int | None = None
) -> None:
    """撤销 an organisation that has no active members and no active sub-organisations left."""
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写撤销原因。", field="reason")
    with ctx.write() as uow:
        s = uow.session
        org = get_or_raise(s, PartyOrg, org_id, "党组织")
        check_version(org.version, version, f"党组织“{org.name}”")
        if org.retired_on is not None:
            raise ValidationError(f"党组织“{org.name}”已于 {org.retired_on} 撤销。")
        members = s.scalar(
            select(func.count())
            .select_from(PartyMember)
            .where(
                PartyMember.status == MembershipStatus.ACTIVE,
                (PartyMember.org_id == org.id) | (PartyMember.group_id == org.id),
            )
        )
        if members:
            raise ValidationError(f"“{org.name}”还有 {members} 名党员（含发展对象），请先调整其所在组织。")
        children = s.scalar(
            select(func.count())
            .select_from(PartyOrg)
            .where(PartyOrg.parent_id == org.id, PartyOrg.retired_on.is_(None))
        )
        if children:
            raise ValidationError(f"“{org.name}”还有 {children} 个下级党组织，请先撤销或调整。")
        before = snapshot(org)
        org.retired_on, org.retired_reason = on_date, reason
        for post in s.scalars(
            select(PartyPost).where(PartyPost.org_id == org.id, PartyPost.to_date.is_(None))
        ):
            post.to_date = on_date
        s.flush()
        uow.audit(
            "retire",
            "party_org",
            org.id,
            summary=f"撤销党组织 {org.name}：{reason}",
            before=before,
            after=snapshot(org),
        )


def assign_post(ctx: ServiceContext, data: PostInput) -> int:
    """任职: a full member of the organisation takes a post; one holder at a time for 书记 and 委员 posts."""
    if data.post not in POST_LABELS:
        raise ValidationError(f"职务“{data.post}”无效。", field="post")
    label = POST_LABELS[BranchPost(data.post)]
    if data.from_date > ctx.today():
        raise ValidationError("任职日期不能晚于今天。", field="from_date")
    with ctx.write() as uow:
        s = uow.session
        org = get_or_raise(s, PartyOrg, data.org_id, "党组织")
        member = get_or_raise(s, PartyMember, data.member_id, "党员")
        if org.retired_on is not None:
            raise ValidationError(f"党组织“{org.name}”已撤销。", field="org_id")
        if (data.post == BranchPost.GROUP_LEADER) != (org.kind == PartyOrgKind.GROUP):
            raise ValidationError(
                "党小组只设党小组长。" if org.kind == PartyOrgKind.GROUP else "党小组长只能在党小组中任职。",
                field="post",
            )
        if member.status != MembershipStatus.ACTIVE or member.stage != MemberStage.FULL:
            raise ValidationError(
                f"{member.name}不是本组织在册的正式党员，不能担任{label}。", field="member_id"
            )
        if org.id not in (member.org_id, member.group_id) and member.org_id not in subtree_ids(s, org.id):
            raise ValidationError(f"{member.name}的组织关系不在“{org.name}”。", field="member_id")
        holders = s.scalars(
            select(PartyPost).where(
                PartyPost.org_id == org.id, PartyPost.to_date.is_(None), PartyPost.post == data.post
            )
        ).all()
        if any(h.member_id == member.id for h in holders):
            raise ValidationError(f"{member.name}已担任{label}。", field="member_id")
        if holders and data.post in SINGLE_POSTS:
            other = s.get(PartyMember, holders[0].member_id)
            raise ConflictError(
                f"“{org.name}”已有{label}{other.name if other else ''}（{holders[0].from_date} 起），请先办理免职。",
                detail="post",
            )
        post = PartyPost(
            org_id=org.id,
            member_id=member.id,
            post=data.post,
            from_date=data.from_date,
            notes=clean_free_text(data.notes) or None,
        )
        s.add(post)
        s.flush()
        uow.audit(
            "create",
            "party_post",
            post.id,
            summary=f"{org.name}：{member.name}任{label}",
            after=snapshot(post),
        )
        return post.id


def end_post(ctx: ServiceContext, post_id: int, to_date: dt.date, version: int | None = None) -> None:
    """免职 / 任期结束: the post gets its end date; the history stays."""
    with ctx.write() as uow:
        s = uow.session
        post = get_or_raise(s, PartyPost, post_id, "职务")
        check_version(post.version, version, "职务记录")
        if post.to_date is not None:
            raise ValidationError("该职务已结束。")
        if to_date < post.from_date:
            raise ValidationError(f"免职日期不能早于任职日期（{post.from_date}）。", field="to_date")
        if to_date > ctx.today():
            raise ValidationError("免职日期不能晚于今天。", field="to_date")
        before = snapshot(post)
        post.to_date = to_date
        s.flush()
        member = s.get(PartyMember, post.member_id)
        uow.audit(
            "update",
            "party_post",
            post.id,
            summary=f"{member.name if member else ''}不再担任{label_of(POST_LABELS, post.post)}（{to_date}）",
            before=before,
            after=snapshot(post),
        )
