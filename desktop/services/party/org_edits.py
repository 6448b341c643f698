"""Editing the organisation tree: save and retire organisations, assign and end posts (one audit record each)."""

from __future__ import annotations

import datetime as dt

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
from desktop.services.access import outside_scope
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party.common import (
    ORG_KIND_LABELS,
    POST_LABELS,
    SINGLE_POSTS,
    label_of,
)

#: which kinds may sit under which (None = the root)
from desktop.services.party.orgs import PARENT_KINDS, OrgInput, PostInput, subtree_ids
from desktop.services.party.scope import check_member, check_org, party_scope, place_reach
from desktop.services.residents.common import clean_free_text

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


def _check_place(s: Session, values: dict[str, object]) -> None:
    """A limited account sets up (or moves) an organisation only inside its own community or grids."""
    scope = party_scope(s)
    if scope is None:
        return
    parent, community, grid = (values[k] for k in ("parent_id", "community_id", "grid_id"))
    assert parent is None or isinstance(parent, int)
    assert community is None or isinstance(community, int)
    assert grid is None or isinstance(grid, int)
    if parent is not None:
        check_org(s, s.get(PartyOrg, parent), scope)
    if not scope.admits_place(*place_reach(s, parent, community, grid)):
        raise outside_scope(scope.login, f"党组织“{values['name']}”所在的社区或网格")


def save_org(ctx: ServiceContext, data: OrgInput) -> int:
    """Create or update an organisation (optimistic ``version``). Returns its id."""
    with ctx.write() as uow:
        s = uow.session
        current = None
        if data.id is not None:
            current = get_or_raise(s, PartyOrg, data.id, "党组织")
            check_org(s, current)
            check_version(current.version, data.version, f"党组织“{current.name}”")
        values = _validated_org(s, data, current, uow.clock.today())
        _check_place(s, values)
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
        check_org(s, org)
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
        check_org(s, org)
        check_member(s, member)
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
        check_org(s, s.get(PartyOrg, post.org_id))
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
