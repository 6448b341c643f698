"""一、党建引领: organisations, members, 三会一课 held against due (支部工作条例) and dues collected.

Counted as at the month's end from the records: an organisation exists if it was set up by then and
not dissolved before; a member counts if he or she had joined by then (入党日期) and was still on the
roll (党籍状态正常, or changed only after the month's end). The rules of 三会一课 are 党建's own
(``services.party.rules``: which meetings an organisation must hold, when it has a committee, the periods;
``services.party.meetings``: the locality's frequencies), called here, so the 月报 and the 党建 page agree.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from db.schema.party import (
    CommunityCheckIn,
    DuesPayment,
    MeetingKind,
    MemberEventKind,
    MembershipStatus,
    MemberStage,
    PartyMeeting,
    PartyMember,
    PartyMemberEvent,
    PartyOrg,
    PartyOrgKind,
    PartyPost,
)
from db.schema.people import Resident
from db.schema.structure import Grid
from desktop.domain.reports import PERCENT, YUAN, Indicator, ReportSection, ReportTable
from desktop.services.party import rules
from desktop.services.party.common import MEETING_KIND_LABELS, ORG_KIND_LABELS
from desktop.services.party.meetings import load_meeting_frequencies
from desktop.services.reports.periods import Period, Scope, ratio

#: the 月报's row names: 党建's labels, the 支委会 row also counting the 委员会会议 of 党委 and 党总支
MEETING_ROW_LABELS = MEETING_KIND_LABELS | {MeetingKind.COMMITTEE: "支委会（委员会会议）"}
PERIOD_WORDS = {rules.MONTH: "本月", rules.QUARTER: "本季度", rules.YEAR: "本年度"}
MEETING_FORMULA = (
    "三会一课各项：应开展 = 按规定须召开该会议的组织数（党支部：支部党员大会、党课、主题党日、组织生活会、"
    f"民主评议党员；支委会：设支部委员会的党支部（正式党员 {rules.COMMITTEE_MIN_FULL} 人以上或委员配齐）"
    "及党委、党总支；党小组：党小组会）；"
    "已开展 = 考核周期（每月的为本月，每季度的为本季度，每年的为本年度，均截至月末）内已召开的组织数，"
    "主题党日兼开的会议一并计入；完成率 = 已开展 ÷ 应开展 × 100%"
)
ON_ROLL = "党员按月末在册计：入党日期不晚于月末，且党籍状态正常（月末后才转出、去世等的仍计入）"


def org_exists(end: dt.date) -> Any:
    return and_(
        or_(PartyOrg.established_on.is_(None), PartyOrg.established_on <= end),
        or_(PartyOrg.retired_on.is_(None), PartyOrg.retired_on > end),
    )


def _in_scope(q: Any, scope: Scope) -> Any:
    return scope.where(q, PartyOrg.community_id)


#: 党的基层组织 (《中国共产党章程》第五章; 《中国共产党支部工作条例》): 基层党委、党总支、党支部. A 党小组 is part of
#: its branch and the street's 党工委 is the district committee's 派出机关: neither is a base organisation.
BASE_ORG_KINDS = (PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH)


def check_in_community() -> Any:
    """The community a 在职党员进社区报到 counts for: the one recorded on the check-in, else the community the
    member lives in (在职党员到居住地社区报到), else the community of the member's Party organisation."""
    return func.coalesce(CommunityCheckIn.community_id, Resident.community_id, PartyOrg.community_id)


def members_at(end: dt.date, scope: Scope) -> Any:
    """A subquery of the members (正式/预备) on the roll at ``end``: id, org_id, is_full, flags."""
    transferred_in_later = exists().where(
        PartyMemberEvent.member_id == PartyMember.id,
        PartyMemberEvent.kind == MemberEventKind.TRANSFER_IN,
        PartyMemberEvent.on_date > end,
    )
    is_full = and_(
        PartyMember.stage == MemberStage.FULL,
        or_(PartyMember.confirmed_on.is_(None), PartyMember.confirmed_on <= end),
    )
    q = (
        select(
            PartyMember.id.label("id"),
            PartyMember.org_id.label("org_id"),
            case((is_full, 1), else_=0).label("is_full"),
            PartyMember.is_mobile.label("is_mobile"),
            PartyMember.is_lost_contact.label("is_lost"),
            PartyMember.dues_start_month.label("dues_start"),
        )
        .join(PartyOrg, PartyOrg.id == PartyMember.org_id)
        .where(
            PartyMember.stage.in_((MemberStage.FULL, MemberStage.PROBATIONARY)),
            or_(PartyMember.joined_on.is_(None), PartyMember.joined_on <= end),
            or_(
                PartyMember.status == MembershipStatus.ACTIVE,
                and_(PartyMember.status_changed_on.is_not(None), PartyMember.status_changed_on > end),
            ),
            ~transferred_in_later,
        )
    )
    return _in_scope(q, scope).subquery()


def _period_start(p: Period, frequency: str) -> dt.date:
    """The first day of the ``frequency`` period (month, quarter, year) the month ``p`` falls in."""
    return rules.period_of(p.start, frequency)[0]


def period_ends_with(p: Period, frequency: str) -> bool:
    """Does a ``frequency`` period (month, quarter, year) end with the month ``p``?"""
    return rules.period_of(p.end, frequency)[1] == p.end


def _organisations(s: Session, scope: Scope, p: Period, members: Any) -> tuple[ReportTable, dict[str, Any]]:
    end = p.end
    by_kind = dict(
        s.execute(
            _in_scope(select(PartyOrg.kind, func.count()).where(org_exists(end)), scope).group_by(
                PartyOrg.kind
            )
        ).all()
    )
    total = sum(int(by_kind.get(k.value, 0)) for k in BASE_ORG_KINDS)
    in_grids = int(
        s.scalar(
            _in_scope(
                select(func.count()).where(
                    org_exists(end), PartyOrg.grid_id.is_not(None), PartyOrg.kind.in_(BASE_ORG_KINDS)
                ),
                scope,
            )
        )
        or 0
    )
    grid_q = (
        select(func.count()).select_from(Grid).where(or_(Grid.retired_on.is_(None), Grid.retired_on > end))
    )
    grid_q = scope.where(grid_q, Grid.community_id)
    grids = int(s.scalar(grid_q) or 0)
    covered = int(
        s.scalar(
            grid_q.where(
                exists().where(PartyOrg.grid_id == Grid.id, org_exists(end)),
            )
        )
        or 0
    )
    full, probationary, mobile, lost = s.execute(
        select(
            func.coalesce(func.sum(members.c.is_full), 0),
            func.coalesce(func.sum(1 - members.c.is_full), 0),
            func.coalesce(func.sum(case((members.c.is_mobile, 1), else_=0)), 0),
            func.coalesce(func.sum(case((members.c.is_lost, 1), else_=0)), 0),
        )
    ).one()
    joined = _count_members(s, scope, PartyMember.joined_on.between(p.start, end))
    confirmed = _count_members(
        s, scope, PartyMember.confirmed_on.between(p.start, end), PartyMember.stage == MemberStage.FULL
    )
    check_q = (
        select(func.count())
        .select_from(CommunityCheckIn)
        .join(PartyMember, PartyMember.id == CommunityCheckIn.member_id)
        .outerjoin(Resident, Resident.id == PartyMember.resident_id)
        .outerjoin(PartyOrg, PartyOrg.id == PartyMember.org_id)
        .where(
            CommunityCheckIn.checked_in_on <= end,
            or_(CommunityCheckIn.ended_on.is_(None), CommunityCheckIn.ended_on > end),
        )
    )
    checked_in = int(s.scalar(scope.where(check_q, check_in_community())) or 0)
    exists_rule = "月末存续的党组织（成立日期不晚于月末，且未撤销或撤销日期在月末之后）"
    rows = [
        Indicator(
            "party.orgs",
            "党组织总数（基层党组织）",
            total,
            "个",
            f"党组织总数 = {exists_rule}中基层党委、党总支、党支部的个数（党的基层组织；党小组是党支部的组成部分，"
            "街道党工委是上级党委的派出机关，均不计入）",
        ),
        *(
            Indicator(
                f"party.orgs.{k.value}",
                f"其中：{ORG_KIND_LABELS[k]}",
                int(by_kind.get(k.value, 0)),
                "个",
                f"党委、党总支、党支部数 = 组织类别为该类的{exists_rule}个数",
                level=1,
            )
            for k in BASE_ORG_KINDS
        ),
        Indicator(
            f"party.orgs.{PartyOrgKind.GROUP.value}",
            "党小组（不计入党组织总数）",
            int(by_kind.get(PartyOrgKind.GROUP.value, 0)),
            "个",
            f"党小组数 = 组织类别为党小组的{exists_rule}个数",
        ),
        *(
            ()
            if scope.community_id is not None  # a community has no 党工委 of its own
            else (
                Indicator(
                    f"party.orgs.{PartyOrgKind.WORKING_COMMITTEE.value}",
                    "街道党工委（不计入党组织总数）",
                    int(by_kind.get(PartyOrgKind.WORKING_COMMITTEE.value, 0)),
                    "个",
                    f"党工委数 = 组织类别为党工委的{exists_rule}个数",
                ),
            )
        ),
        Indicator(
            "party.orgs_in_grids",
            "建在网格上的党组织",
            in_grids,
            "个",
            "网格党组织数 = 关联了网格的月末存续基层党组织（党委、党总支、党支部）数",
        ),
        Indicator(
            "party.grid_coverage",
            "网格党组织覆盖率",
            ratio(covered, grids),
            PERCENT,
            "网格党组织覆盖率 = 建有党组织（含党小组）的网格数 ÷ 网格总数 × 100%",
            note="无网格",
        ),
        Indicator(
            "party.members",
            "党员总数",
            int(full) + int(probationary),
            "人",
            f"党员总数 = 正式党员 + 预备党员；{ON_ROLL}",
        ),
        Indicator(
            "party.members.full",
            "其中：正式党员",
            int(full),
            "人",
            "正式党员 = 月末在册且发展阶段为正式党员（转正日期不晚于月末）的人数",
            level=1,
        ),
        Indicator(
            "party.members.probationary",
            "其中：预备党员",
            int(probationary),
            "人",
            "预备党员 = 月末在册、尚未转正（或转正日期在月末之后）的预备党员人数",
            level=1,
        ),
        Indicator(
            "party.members.mobile",
            "流动党员",
            int(mobile),
            "人",
            "流动党员 = 月末在册党员中标记为流动党员的人数（按当前标记）",
        ),
        Indicator(
            "party.members.lost",
            "失联党员",
            int(lost),
            "人",
            "失联党员 = 月末在册党员中标记为失联党员的人数（按当前标记）",
        ),
        Indicator(
            "party.check_ins",
            "在职党员进社区报到",
            checked_in,
            "人",
            "在职党员报到数 = 报到日期不晚于月末、且月末时尚未结束报到的在职党员人数；报到记录未注明社区的，"
            "计入党员居住地社区，无居住地的计入其所在党组织的社区",
        ),
        Indicator(
            "party.joined",
            "本月接收预备党员",
            joined,
            "人",
            "本月接收预备党员 = 入党日期（支部大会通过之日）在本月的人数",
        ),
        Indicator(
            "party.confirmed", "本月预备党员转正", confirmed, "人", "本月转正 = 转正日期在本月的正式党员人数"
        ),
    ]
    return ReportTable("party.orgs", "党组织和党员", tuple(rows)), {
        "orgs": total,
        "members": int(full) + int(probationary),
        "probationary": int(probationary),
    }


def _count_members(s: Session, scope: Scope, *conditions: Any) -> int:
    q = select(func.count()).select_from(PartyMember).join(PartyOrg, PartyOrg.id == PartyMember.org_id)
    return int(s.scalar(_in_scope(q.where(*conditions), scope)) or 0)


def _meetings(s: Session, scope: Scope, p: Period, members: Any) -> tuple[ReportTable, float | None]:
    end = p.end
    frequencies = load_meeting_frequencies(s)
    orgs = s.execute(_in_scope(select(PartyOrg.id, PartyOrg.kind).where(org_exists(end)), scope)).all()
    full: dict[int, int] = dict(
        s.execute(select(members.c.org_id, func.sum(members.c.is_full)).group_by(members.c.org_id)).all()
    )
    posts: dict[int, set[str]] = {}
    for org_id, post in s.execute(
        select(PartyPost.org_id, PartyPost.post).where(
            PartyPost.from_date <= end, or_(PartyPost.to_date.is_(None), PartyPost.to_date > end)
        )
    ):
        posts.setdefault(org_id, set()).add(post)
    earliest = min(_period_start(p, f) for f in (rules.MONTH, rules.QUARTER, rules.YEAR))
    held: set[tuple[int, str]] = set()
    held_when: dict[tuple[int, str], list[dt.date]] = {}
    for org_id, kind, also, day in s.execute(
        select(
            PartyMeeting.org_id, PartyMeeting.kind, PartyMeeting.also_counts_as, PartyMeeting.held_on
        ).where(PartyMeeting.retired_on.is_(None), PartyMeeting.held_on.between(earliest, end))
    ):
        for k in rules.kinds_counted(kind, also):
            held_when.setdefault((org_id, k), []).append(day)
    due: dict[str, int] = {}
    done: dict[str, int] = {}
    for org_id, kind in orgs:
        committee = rules.holds_committee(posts.get(org_id, set()), int(full.get(org_id, 0) or 0))
        for mk in rules.required_meetings(kind, committee):
            freq = frequencies.get(mk, "NONE")
            if freq == "NONE":
                continue
            due[mk] = due.get(mk, 0) + 1
            first = _period_start(p, freq)
            if any(first <= d <= end for d in held_when.get((org_id, mk), [])):
                done[mk] = done.get(mk, 0) + 1
                held.add((org_id, mk))
    rows = []
    due_now: list[str] = []  # the kinds whose period ends with this month: they are due now
    for mk, label in MEETING_ROW_LABELS.items():
        freq = frequencies.get(mk, "NONE")
        if freq == "NONE":
            continue
        if period_ends_with(p, freq):
            due_now.append(mk)
        period_word = PERIOD_WORDS[freq]
        suffix = period_word if mk in due_now else f"{period_word}截至月末，未到期"
        rows.append(
            Indicator(
                f"party.meetings.{mk.value}",
                f"{label}（{suffix}）",
                done.get(mk, 0),
                "个",
                MEETING_FORMULA,
                target=due.get(mk, 0),
                share=ratio(done.get(mk, 0), due.get(mk, 0)),
            )
        )
    total_due = sum(due.get(mk, 0) for mk in due_now)
    total_done = sum(done.get(mk, 0) for mk in due_now)
    rate = ratio(total_done, total_due)
    rows.append(
        Indicator(
            "party.meetings.total",
            "合计（本月到期，按期开展率）",
            total_done,
            "个",
            "三会一课按期开展率 = 本月到期的各类会议（每月的各项；季度末月加每季度的各项；12 月加每年的各项）"
            "已开展组织数之和 ÷ 应开展组织数之和 × 100%；未到期的季度、年度会议只显示进度，不计入",
            target=total_due,
            share=rate,
            is_total=True,
        )
    )
    in_month = int(
        s.scalar(
            _in_scope(
                select(func.count())
                .select_from(PartyMeeting)
                .join(PartyOrg, PartyOrg.id == PartyMeeting.org_id)
                .where(PartyMeeting.retired_on.is_(None), PartyMeeting.held_on.between(p.start, end)),
                scope,
            )
        )
        or 0
    )
    rows.append(
        Indicator(
            "party.meetings.held",
            "本月召开会议次数",
            in_month,
            "次",
            "本月召开会议次数 = 召开日期在本月的三会一课、主题党日、组织生活会等会议记录数",
            has_share=False,
        )
    )
    table = ReportTable(
        "party.meetings",
        "三会一课开展情况",
        tuple(rows),
        columns=(("target", "应开展（个）"), ("value", "已开展（个）"), ("share", "完成率")),
        note="会议频次按本地设置：主题党日、支委会、党小组会每月，支部党员大会、党课每季度，组织生活会、民主评议每年。",
    )
    return table, rate


def _dues(s: Session, scope: Scope, p: Period, members: Any) -> tuple[ReportTable, float | None]:
    month = p.code
    payers = select(members.c.id).where(or_(members.c.dues_start.is_(None), members.c.dues_start <= month))
    due_count = int(s.scalar(select(func.count()).select_from(payers.subquery())) or 0)
    paid_sub = (
        select(DuesPayment.member_id)
        .where(
            DuesPayment.month == month,
            DuesPayment.kind.in_(("REGULAR", "CORRECTION")),
            DuesPayment.paid_on <= p.end,
            DuesPayment.member_id.in_(payers),
        )
        .group_by(DuesPayment.member_id)
        .having(func.sum(DuesPayment.amount_fen) > 0)
        .subquery()
    )
    paid_count = int(s.scalar(select(func.count()).select_from(paid_sub)) or 0)

    def fen_sum(*conditions: Any) -> decimal.Decimal:
        q = (
            select(func.coalesce(func.sum(DuesPayment.amount_fen), 0))
            .join(PartyMember, PartyMember.id == DuesPayment.member_id)
            .join(PartyOrg, PartyOrg.id == PartyMember.org_id)
            .where(*conditions)
        )
        return decimal.Decimal(int(s.scalar(_in_scope(q, scope)) or 0)) / 100

    for_month = fen_sum(
        DuesPayment.month == month,
        DuesPayment.kind.in_(("REGULAR", "CORRECTION")),
        DuesPayment.paid_on <= p.end,
    )
    received = fen_sum(DuesPayment.paid_on.between(p.start, p.end))
    extra = fen_sum(DuesPayment.paid_on.between(p.start, p.end), DuesPayment.kind == "EXTRA")
    rate = ratio(paid_count, due_count)
    rows = (
        Indicator(
            "party.dues.due",
            "应缴党费党员",
            due_count,
            "人",
            f"应缴党费党员 = 月末在册党员中起缴月份不晚于本月的人数（{ON_ROLL}）",
        ),
        Indicator(
            "party.dues.paid",
            "已缴本月党费党员",
            paid_count,
            "人",
            "已缴本月党费党员 = 截至月末已缴纳本月党费（按月缴纳及更正记录合计大于 0）的应缴党员人数",
        ),
        Indicator(
            "party.dues.rate",
            "党费收缴率",
            rate,
            PERCENT,
            "党费收缴率 = 已缴本月党费党员数 ÷ 应缴党费党员数 × 100%",
            note="无应缴",
        ),
        Indicator(
            "party.dues.for_month",
            "本月党费实收金额",
            for_month,
            YUAN,
            "本月党费实收金额 = 所属月份为本月、截至月末缴纳的按月党费（含更正冲减）之和",
        ),
        Indicator(
            "party.dues.received",
            "本月收缴党费（按缴费日期）",
            received,
            YUAN,
            "按缴费日期收缴 = 缴费日期在本月的全部党费记录之和（含补缴、预缴、自愿多交和更正）",
        ),
        Indicator(
            "party.dues.extra",
            "其中：自愿多交党费",
            extra,
            YUAN,
            "自愿多交党费 = 缴费日期在本月、类别为自愿多交（特殊党费）的金额之和",
            level=1,
        ),
    )
    return ReportTable("party.dues", "党费收缴", rows), rate


def party_section(s: Session, scope: Scope, p: Period) -> tuple[ReportSection, dict[str, Any]]:
    members = members_at(p.end, scope)
    orgs, figures = _organisations(s, scope, p, members)
    meetings, meeting_rate = _meetings(s, scope, p, members)
    dues, dues_rate = _dues(s, scope, p, members)
    figures.update(meeting_rate=meeting_rate, dues_rate=dues_rate)
    return ReportSection("party", "党建引领", (orgs, meetings, dues)), figures
