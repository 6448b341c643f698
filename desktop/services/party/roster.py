"""Printing the 党员名册: which members go in which section, then desktop/documents/party_roster.py lays it out.

One section per branch (党支部, or a 党委/党总支 with members of its own), in tree order. Members are the
正式 and 预备党员 on the roll: post holders first, then by 入党日期. 公民身份号码 and 联系电话 are masked
unless ``full_identity`` is asked for with a reason (recorded in the audit trail like a reveal). Each entry
carries 工作岗位/单位, 党籍状态, the 外出流向 of a 流动党员 and the 失联 date of a 失联党员.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exists, select

from db.schema.party import (
    BranchPost,
    CommunityCheckIn,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from db.schema.structure import Community, Grid
from desktop.core.errors import NotFoundError, ValidationError
from desktop.documents.party_roster import RosterEntry, RosterSection, build_party_roster
from desktop.domain.accounts import PARTY
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.party import scope
from desktop.services.party.common import MEMBER_STAGES, STAGE_LABELS, STATUS_LABELS, label_of
from desktop.services.party.orgs import current_posts, find_org, list_org_tree
from desktop.services.residents.common import clean_free_text


@dataclass(frozen=True)
class RosterPrint:
    path: Path
    header: str
    sections: int
    members: int


def _short_grid(grid: str, community: str) -> str:
    rest = grid.removeprefix(community)
    return rest if rest and rest != grid else grid


def _mobile(m: PartyMember) -> str:
    """外出流向 of a 流动党员: where a 流出 member went; a 流入 member's origin; "" when not mobile."""
    if not m.is_mobile:
        return ""
    if m.mobile_direction == "IN":
        return f"流入，来自{m.mobile_destination}" if m.mobile_destination else "流入"
    return m.mobile_destination or "流出（去向未登记）"


def roster_sections(
    ctx: ServiceContext, org_id: int | None = None, today: dt.date | None = None, full_identity: bool = False
) -> tuple[str, list[RosterSection]]:
    """(header, sections) for the organisation ``org_id`` (all of them when None)."""
    require(ctx, PARTY)
    today = today or ctx.today()
    tree = list_org_tree(ctx, today)
    if org_id is not None and not any(n.id == org_id for n in tree):
        raise NotFoundError(f"党组织（编号 {org_id}）不存在或已撤销。")
    root = next((n for n in tree if n.id == org_id), None)
    if root is not None:
        keep = {root.id}
        for n in tree:  # tree order: a parent comes before its children
            if n.parent_id in keep:
                keep.add(n.id)
        chosen = [n for n in tree if n.id in keep]
    else:
        chosen = tree
    header = root.full_name or root.name if root else (tree[0].name if tree else "")
    with ctx.read() as s:
        members = list(
            s.scalars(
                select(PartyMember).where(
                    PartyMember.status == MembershipStatus.ACTIVE,
                    PartyMember.stage.in_(list(MEMBER_STAGES)),
                    scope.member_condition(s),  # (the sections are the account's organisations already)
                )
            )
        )
        checked_in = set(
            s.scalars(
                select(PartyMember.id).where(
                    exists().where(
                        CommunityCheckIn.member_id == PartyMember.id, CommunityCheckIn.ended_on.is_(None)
                    )
                )
            )
        )
        grids = {g.id: (g.name, g.community_id) for g in s.scalars(select(Grid))}
        org_names = {o.id: o.name for o in s.scalars(select(PartyOrg))}
        posts = current_posts(s)
        communities = {c.id: c.name for c in s.scalars(select(Community))}
    held: dict[int, list[tuple[int, str]]] = {}
    order = list(BranchPost)
    for org_posts in posts.values():
        for p in org_posts:
            held.setdefault(p.member_id, []).append((order.index(BranchPost(p.post)), p.post_label))
    by_org: dict[int, list[PartyMember]] = {}
    for m in members:
        by_org.setdefault(m.org_id, []).append(m)
    sections = []
    for node in chosen:
        if node.kind == PartyOrgKind.GROUP:
            continue
        mine = by_org.get(node.id, [])
        if node.kind != PartyOrgKind.BRANCH and not mine:
            continue
        if root is not None and root.kind == PartyOrgKind.GROUP:
            mine = [m for m in mine if m.group_id == root.id]
        mine.sort(
            key=lambda m: (
                min((i for i, _ in held.get(m.id, [])), default=99),
                m.joined_on or dt.date.max,
                m.name,
            )
        )
        entries = []
        for m in mine:
            if m.group_id:
                unit = org_names.get(m.group_id, "")
            elif m.grid_id and m.grid_id in grids:
                name, community = grids[m.grid_id]
                unit = _short_grid(name, communities.get(community, ""))
            else:
                unit = ""
            remark = [label for _i, label in sorted(held.get(m.id, []))]
            if m.id in checked_in:
                remark.append("在职报到")
            entries.append(
                RosterEntry(
                    name=m.name,
                    gender=m.gender,
                    ethnicity=m.ethnicity,
                    birth_date=m.birth_date,
                    education=m.education,
                    id_number=(m.id_number or "") if full_identity else mask_id_number(m.id_number),
                    joined_on=m.joined_on,
                    confirmed_on=m.confirmed_on,
                    stage_label=label_of(STAGE_LABELS, m.stage),
                    unit=unit,
                    phone=(m.phone or "") if full_identity else mask_phone(m.phone),
                    address=m.address,
                    remark="、".join(remark),
                    work="/".join(t for t in (m.occupation, m.work_unit) if t),
                    status_label=label_of(STATUS_LABELS, m.status),
                    mobile=_mobile(m),
                    is_lost=m.is_lost_contact,
                    lost_since=m.lost_since if m.is_lost_contact else None,
                )
            )
        sections.append(
            RosterSection(
                org_name=node.name,
                full_name=node.full_name,
                entries=tuple(entries),
                full_members=sum(1 for m in mine if m.stage == MemberStage.FULL),
                probationary=sum(1 for m in mine if m.stage == MemberStage.PROBATIONARY),
                secretary=node.secretary,
            )
        )
    return header, sections


def print_party_roster(
    ctx: ServiceContext,
    out: Path,
    org_name: str | None = None,
    org_id: int | None = None,
    today: dt.date | None = None,
    printed_on: dt.date | None = None,
    full_identity: bool = False,
    reason: str | None = None,
    audit: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> RosterPrint:
    """Write the 党员名册 PDF of one organisation (by name or id) or of all; returns what was printed.
    ``audit=False`` for an on-screen preview (printing it is recorded with :func:`record_printed`)."""
    require(ctx, PARTY)
    today = today or ctx.today()
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应为 .pdf（收到“{out.name}”）。", field="out")
    if org_name is not None:
        org_id = find_org(ctx, org_name)
        if org_id is None:
            raise NotFoundError(f"没有名为“{org_name}”的党组织（可用简称或全称）。")
    reason = clean_free_text(reason)
    if full_identity and not reason:
        raise ValidationError("打印完整身份证号码和电话须说明原因（将记入操作日志）。", field="reason")
    header, sections = roster_sections(ctx, org_id, today, full_identity)
    path = build_party_roster(
        out, sections, header=header, as_of=today, printed_on=printed_on or today, progress=progress
    )
    count = sum(len(s.entries) for s in sections)
    if not audit and not full_identity:
        return RosterPrint(path, header, len(sections), count)
    with ctx.write() as uow:
        uow.audit(
            "reveal" if full_identity else "print",
            "party_member",
            None,
            summary=f"打印党员名册：{header}，{len(sections)} 个组织、{count} 名党员"
            + (f"（含完整身份证号码和电话；原因：{reason}）" if full_identity else ""),
            after={
                "file": str(path.resolve()),
                "org_id": org_id,
                "members": count,
                "full_identity": full_identity,
            },
        )
    return RosterPrint(path, header, len(sections), count)


def record_printed(ctx: ServiceContext, printed: RosterPrint, pages: int, printer: str) -> None:
    """The audit record of a roster sent to a printer from the preview."""
    with ctx.write() as uow:
        uow.audit(
            "print",
            "party_member",
            None,
            summary=f"打印党员名册：{printed.header}，{printed.members} 名党员，{pages} 页，打印机：{printer}",
            after={"members": printed.members, "pages": pages, "printer": printer},
        )
