"""党建 services on a real database: the tree and its warnings, members, transfers, recruitment, dues, meetings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.party import PartyMember, PartyMemberEvent
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.identity import id_check_char
from desktop.services import party, residents, structure
from desktop.services.party import rules
from desktop.services.party.rules import K
from tests.conftest import TODAY

D = dt.date


def make_id(birth: dt.date, seq: int, male: bool = True) -> str:
    order = seq * 2 + (1 if male else 0)
    first17 = f"620201{birth:%Y%m%d}{order % 1000:03d}"
    return first17 + id_check_char(first17)


_seq = iter(range(1, 10_000))


JOINED = D(2000, 7, 1)


def member(ctx, org_id: int, name: str, stage: str = "FULL", joined: dt.date | None = JOINED, **kw):
    birth = kw.pop("birth_date", D(1970, 3, 5))
    confirmed = kw.pop("confirmed_on", rules.add_years(joined, 1) if joined and stage == "FULL" else None)
    data = party.MemberInput(
        name=name,
        org_id=org_id,
        id_number=kw.pop("id_number", make_id(birth, next(_seq))),
        stage=stage,
        joined_on=joined if stage in ("FULL", "PROBATIONARY") else None,
        confirmed_on=confirmed,
        **kw,
    )
    return party.save_member(ctx, data)


@pytest.fixture
def tree(street_ctx):
    ctx = street_ctx
    comm = {c.name: c.id for c in structure.list_communities(ctx)}
    grid = {g.name: g.id for g in structure.list_grids(ctx)}
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    committee = party.save_org(
        ctx,
        party.OrgInput(
            "新华社区党委",
            "COMMITTEE",
            parent_id=top,
            community_id=comm["新华社区"],
            term_start=D(2021, 11, 23),
        ),
    )
    branch = party.save_org(
        ctx,
        party.OrgInput(
            "新华一网格党支部",
            "BRANCH",
            parent_id=committee,
            grid_id=grid["新华一网格"],
            term_start=D(2023, 5, 1),
        ),
    )
    return ctx, {"top": top, "committee": committee, "branch": branch, "grid": grid["新华一网格"]}


# ---------------------------------------------------------------- organisations


def node(ctx, org_id: int, today: dt.date = TODAY) -> party.OrgNode:
    return party.get_org(ctx, org_id, today)


def test_branch_thresholds_follow_the_members(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    ms = [member(ctx, b, n) for n in ("王建国", "李红")]
    codes = {w.code for w in node(ctx, b).warnings}
    assert "few_members" in codes and "no_secretary" in codes
    ms.append(member(ctx, b, "张伟"))
    party.assign_post(ctx, party.PostInput(b, ms[0], "SECRETARY", D(2023, 5, 1)))
    n = node(ctx, b)
    assert (n.full_members, n.secretary) == (3, "王建国")
    assert n.serious_warnings == []
    member(ctx, b, "刘洋", stage="PROBATIONARY", joined=D(2026, 1, 5))  # probationary members do not count
    for name in ("赵敏", "孙丽", "周杰"):
        member(ctx, b, name)
    assert "no_committee" not in {w.code for w in node(ctx, b).warnings}  # 6 full
    member(ctx, b, "吴刚")
    warning = next(w for w in node(ctx, b).warnings if w.code == "no_committee")  # 7 full
    assert "组织委员、宣传委员、纪检委员" in warning.text
    tree_nodes = party.list_org_tree(ctx)
    assert [x.name for x in tree_nodes] == ["钢城街道党工委", "新华社区党委", "新华一网格党支部"]
    assert tree_nodes[0].subtree_members == 8 and tree_nodes[2].depth == 2


def test_term_warning_on_the_day(tree) -> None:
    ctx, ids = tree
    assert "term_expired" in {w.code for w in node(ctx, ids["committee"], D(2026, 11, 23)).warnings}
    assert "term_expired" not in {w.code for w in node(ctx, ids["committee"], D(2026, 11, 22)).warnings}


def test_org_hierarchy_rules(tree) -> None:
    ctx, ids = tree
    with pytest.raises(ValidationError, match="党小组不能设在党委"):
        party.save_org(ctx, party.OrgInput("一组", "GROUP", parent_id=ids["committee"]))
    group = party.save_org(ctx, party.OrgInput("一号楼党小组", "GROUP", parent_id=ids["branch"]))
    with pytest.raises(ConflictError, match="已有名为"):
        party.save_org(ctx, party.OrgInput("一号楼党小组", "GROUP", parent_id=ids["branch"]))
    current = node(ctx, ids["committee"])
    with pytest.raises(ValidationError, match="党委不能设在党支部"):
        party.save_org(
            ctx,
            party.OrgInput(
                current.name, "COMMITTEE", parent_id=ids["branch"], id=current.id, version=current.version
            ),
        )
    member(ctx, ids["branch"], "王建国", group_id=group)
    with pytest.raises(ValidationError, match="还有 1 名党员"):
        party.retire_org(ctx, ids["branch"], TODAY, "撤并")
    assert node(ctx, group).full_members == 1


def test_single_posts_and_full_members_only(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    a, c = member(ctx, b, "王建国"), member(ctx, b, "李红")
    p = member(ctx, b, "刘洋", stage="PROBATIONARY", joined=D(2026, 1, 5))
    post = party.assign_post(ctx, party.PostInput(b, a, "SECRETARY", D(2023, 5, 1)))
    with pytest.raises(ConflictError, match="已有书记王建国"):
        party.assign_post(ctx, party.PostInput(b, c, "SECRETARY", D(2024, 1, 1)))
    with pytest.raises(ValidationError, match="不是本组织在册的正式党员"):
        party.assign_post(ctx, party.PostInput(b, p, "PUBLICITY", D(2026, 2, 1)))
    party.end_post(ctx, post, D(2024, 1, 1))
    party.assign_post(ctx, party.PostInput(b, c, "SECRETARY", D(2024, 1, 1)))
    assert node(ctx, b).secretary == "李红"
    assert [h.member_name for h in party.post_history(ctx, b)] == ["李红", "王建国"]


# ---------------------------------------------------------------- members


def test_member_validation_and_resident_link(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    rid = residents.save_resident(
        ctx,
        residents.ResidentInput(
            "王建国", structure.list_communities(ctx)[0].id, id_number=make_id(D(1968, 1, 2), 500)
        ),
    )
    mid = member(ctx, b, "王建国", id_number=make_id(D(1968, 1, 2), 500), birth_date=D(1968, 1, 2))
    card = party.get_member(ctx, mid)
    assert card.resident_id == rid and card.resident_name == "王建国"
    assert card.id_number.startswith("620201") and "*" in card.id_number  # masked
    assert card.gender == "男" and card.birth_date == D(1968, 1, 2)
    assert card.grid_id == ids["grid"]  # from the branch
    with pytest.raises(ConflictError, match="已登记为“王建国”"):
        member(ctx, b, "王建国二", id_number=make_id(D(1968, 1, 2), 500))
    with pytest.raises(ValidationError, match="未满 18 周岁"):
        member(ctx, b, "小张", joined=D(2010, 1, 1), birth_date=D(1995, 1, 1))
    with pytest.raises(ValidationError, match="转正日期不能早于预备期满"):
        member(ctx, b, "小李", joined=D(2020, 1, 1), confirmed_on=D(2020, 12, 31))
    with pytest.raises(ValidationError, match="须填写入党日期"):
        member(ctx, b, "小王", joined=None)
    with pytest.raises(ValidationError, match="公民身份号码不能为空"):
        member(ctx, b, "小赵", id_number="")
    with pytest.raises(ValidationError, match="不能直接编入党工委"):
        member(ctx, ids["top"], "小钱")
    # stage changes through steps once there are any; an edit keeps the hidden ID
    edit = replace(card.edit, address="新华小区3号楼2单元301室")
    party.save_member(ctx, edit)
    assert party.get_member(ctx, mid).address == "新华小区3号楼2单元301室"


def test_list_filters_and_search(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    a = member(ctx, b, "王建国", phone="13809371234")
    member(ctx, b, "李红")
    c = member(ctx, b, "张伟")
    party.set_mobile(
        ctx,
        a,
        party.MobileInput("OUT", D(2025, 3, 1), "广东省深圳市", "GD2025001", last_contact=D(2026, 9, 1)),
    )
    party.save_check_in(
        ctx,
        party.CheckInInput(c, "酒钢集团宏兴公司", D(2024, 4, 1), claimed_post="楼栋宣传员", service_hours=12),
    )

    def names(**kw):
        return [r.name for r in party.list_members(ctx, party.MemberFilter(**kw))]

    assert sorted(names()) == ["张伟", "李红", "王建国"]
    assert names(flag="MOBILE") == ["王建国"]
    assert names(flag="CHECK_IN") == ["张伟"]
    assert (
        names(text="wjg") == ["王建国"] and names(text="1234") == ["王建国"] and names(text="李") == ["李红"]
    )
    assert names(org_id=ids["top"], text="zw") == ["张伟"]  # the subtree
    row = party.list_members(ctx, party.MemberFilter(flag="MOBILE"))[0]
    assert row.flags == "流动" and row.phone == "138****1234"


def test_transfer_out_and_back_in_are_events_never_deletions(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    ident = make_id(D(1980, 8, 8), 700)
    mid = member(ctx, b, "陈静", id_number=ident)
    party.assign_post(ctx, party.PostInput(b, mid, "SECRETARY", D(2023, 5, 1)))
    party.transfer_out(ctx, mid, D(2026, 3, 1), "中共兰州市城关区某街道工委", letter_no="兰组转字001号")
    assert party.list_members(ctx, party.MemberFilter()) == []
    card = party.get_member(ctx, mid)
    assert card.status_label == "已转出" and all(p.to_date == D(2026, 3, 1) for p in card.posts)
    assert card.events[-1].kind == "TRANSFER_OUT" and "兰组转字001号" in card.events[-1].describe
    with pytest.raises(ValidationError, match="不能转出"):
        party.transfer_out(ctx, mid, D(2026, 3, 2), "某处")
    back = party.transfer_in(
        ctx,
        party.MemberInput("陈静", b, id_number=ident, joined_on=D(2000, 7, 1), confirmed_on=D(2001, 7, 1)),
        D(2026, 9, 1),
        "中共兰州市城关区某街道工委",
    )
    assert back == mid
    card = party.get_member(ctx, mid)
    assert card.status == "ACTIVE" and [e.kind for e in card.events] == ["TRANSFER_OUT", "TRANSFER_IN"]
    assert card.edit.dues_start_month == "2026-09"  # dues are owed from the month of the transfer
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(PartyMember)) == 1
    with pytest.raises(ValidationError, match="不能重复转入"):
        party.transfer_in(
            ctx, party.MemberInput("陈静", b, id_number=ident, joined_on=D(2000, 7, 1)), D(2026, 9, 2), "某处"
        )


def test_lost_contact_needs_six_months_and_status_changes(tree) -> None:
    ctx, ids = tree
    mid = member(ctx, ids["branch"], "周强")
    today = D(2026, 11, 23)
    with pytest.raises(ValidationError, match="最早 2026-11-24"):
        party.set_lost_contact(ctx, mid, D(2026, 5, 24), "1", today=today)
    with pytest.raises(ValidationError, match="失联情形"):
        party.set_lost_contact(ctx, mid, D(2026, 5, 23), "9", today=today)
    party.set_lost_contact(ctx, mid, D(2026, 5, 23), "1", "外出务工，电话停机", today=today)
    card = party.get_member(ctx, mid)
    assert card.is_lost_contact and card.lost_reason_label == "外出务工经商"
    party.set_lost_contact(ctx, mid, None, notes="已联系上")
    assert not party.get_member(ctx, mid).is_lost_contact
    party.change_status(ctx, mid, "DECEASED", D(2026, 10, 1), "病故")
    with pytest.raises(ValidationError, match="原因"):
        party.change_status(ctx, mid, "ACTIVE", D(2026, 10, 2), "")
    with ctx.read() as s:
        kinds = s.scalars(
            select(PartyMemberEvent.kind)
            .where(PartyMemberEvent.member_id == mid)
            .order_by(PartyMemberEvent.id)
        ).all()
    assert kinds == ["LOST_CONTACT", "LOST_CONTACT", "STATUS"]


# ---------------------------------------------------------------- recruitment


def test_recruitment_track_with_refusals_and_due_list(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    s1, s2 = member(ctx, b, "王建国"), member(ctx, b, "李红")
    prob = member(ctx, b, "刘洋", stage="PROBATIONARY", joined=D(2026, 1, 5))
    today = D(2026, 11, 23)
    young = party.MemberInput("赵小满", b, id_number=make_id(D(2008, 12, 1), 800), stage="APPLICANT")
    with pytest.raises(ValidationError, match="年满 18 周岁"):
        party.start_application(ctx, young, D(2026, 11, 20), today=today)
    mid = party.start_application(
        ctx,
        party.MemberInput("钱多多", b, id_number=make_id(D(1999, 2, 2), 801)),
        D(2024, 10, 8),
        today=today,
    )
    assert party.get_member(ctx, mid, today).stage == "APPLICANT"

    def step(kind: str, on: dt.date, **kw) -> party.StepResult:
        return party.record_step(ctx, party.StepInput(mid, kind, on, **kw), today=today)

    late = step(K.TALK, D(2024, 11, 20))
    assert late.warnings and "2024-11-08" in late.warnings[0]
    assert step(K.ACTIVIST, D(2025, 3, 1), people="王建国、李红").stage == "ACTIVIST"
    with pytest.raises(ValidationError) as err:
        step(K.CANDIDATE, D(2026, 2, 28))
    assert str(err.value) == "确定为发展对象须在列为入党积极分子满一年后（最早 2026-03-01）"
    (due,) = [r for r in party.recruitment_due(ctx, today=D(2026, 2, 1)) if r.member_id == mid]
    assert (due.due.kind, due.due.earliest, due.due.state) == (K.CANDIDATE, D(2026, 3, 1), "waiting")
    assert step(K.CANDIDATE, D(2026, 3, 1)).stage == "CANDIDATE"
    step(K.VETTING, D(2026, 3, 20))
    step(K.TRAINING, D(2026, 4, 1), training_days=3, training_hours=24)
    with pytest.raises(ValidationError, match="刘洋不是正式党员"):
        step(K.SPONSORS, D(2026, 4, 10), first_person_id=s1, second_person_id=prob)
    step(K.SPONSORS, D(2026, 4, 10), first_person_id=s1, second_person_id=s2, people="王建国、李红")
    step(K.PRE_REVIEW, D(2026, 5, 1))
    with pytest.raises(ValidationError, match="须至少 2 票"):
        step(K.BRANCH_MEETING, D(2026, 5, 20), entitled=3, present=3, votes_for=1)
    result = step(K.BRANCH_MEETING, D(2026, 5, 20), entitled=3, present=3, votes_for=3)
    card = party.get_member(ctx, mid, today)
    assert result.stage == "PROBATIONARY" and card.joined_on == D(2026, 5, 20)
    assert [d.kind for d in card.due] == [K.APPROVAL]
    step(K.APPROVAL, D(2026, 6, 10))
    with pytest.raises(ValidationError, match="预备期满 2027-05-20"):
        step(K.CONFIRMATION, D(2026, 11, 20), entitled=3, votes_for=3)
    # a mistaken step is withdrawn, the latest one only
    steps = party.list_steps(ctx, mid)
    with pytest.raises(ValidationError, match="最近记录的一个"):
        party.withdraw_step(ctx, steps[-2].id, "录入错误", today=today)
    party.withdraw_step(ctx, steps[-1].id, "录入错误", today=today)
    assert [st.kind for st in party.list_steps(ctx, mid)][-1] == K.BRANCH_MEETING
    party.withdraw_step(ctx, party.list_steps(ctx, mid)[-1].id, "日期录错", today=today)
    card = party.get_member(ctx, mid, today)
    assert card.stage == "CANDIDATE" and card.joined_on is None
    with ctx.read() as s:
        audits = s.scalars(select(AuditRecord.action).where(AuditRecord.entity_id == str(mid))).all()
    assert (
        audits.count("recruitment") == 9 and audits.count("withdraw") == 0
    )  # withdrawals are audited on the step


def test_confirmation_sets_the_end_of_probation_as_the_date(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    mid = party.start_application(
        ctx,
        party.MemberInput("孙悦", b, id_number=make_id(D(1990, 1, 1), 900)),
        D(2022, 1, 1),
        today=D(2026, 1, 1),
    )
    t = D(2026, 1, 1)
    for kind, on, kw in (
        (K.TALK, D(2022, 1, 15), {}),
        (K.ACTIVIST, D(2022, 3, 1), {"people": "王建国"}),
        (K.CANDIDATE, D(2023, 3, 1), {}),
        (K.VETTING, D(2023, 4, 1), {}),
        (K.TRAINING, D(2023, 4, 5), {"training_hours": 24}),
    ):
        party.record_step(ctx, party.StepInput(mid, kind, on, **kw), today=t)
    sponsors = [member(ctx, b, n) for n in ("甲", "乙")]
    party.record_step(
        ctx,
        party.StepInput(
            mid, K.SPONSORS, D(2023, 4, 6), first_person_id=sponsors[0], second_person_id=sponsors[1]
        ),
        today=t,
    )
    party.record_step(ctx, party.StepInput(mid, K.PRE_REVIEW, D(2023, 5, 1)), today=t)
    party.record_step(
        ctx, party.StepInput(mid, K.BRANCH_MEETING, D(2023, 5, 10), entitled=2, votes_for=2), today=t
    )
    party.record_step(ctx, party.StepInput(mid, K.APPROVAL, D(2023, 6, 1)), today=t)
    party.record_step(
        ctx, party.StepInput(mid, K.CONFIRMATION, D(2024, 5, 20), entitled=3, present=3, votes_for=3), today=t
    )
    card = party.get_member(ctx, mid, t)
    assert card.stage == "FULL" and card.confirmed_on == D(2024, 5, 10)  # 预备期满之日, not the meeting
    assert {d.kind for d in card.due} == {K.OATH, K.CONFIRMATION_APPROVAL}


# ---------------------------------------------------------------- dues


def test_dues_amounts_payments_and_arrears(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    today = D(2026, 7, 15)
    worker = member(
        ctx, b, "在职甲", dues_category="IN_WORK", dues_base_fen=500_000, dues_start_month="2026-01"
    )
    retiree = member(
        ctx, b, "退休乙", dues_category="RETIRED", dues_base_fen=500_001, dues_start_month="2026-01"
    )
    student = member(ctx, b, "学生丙", dues_category="STUDENT", dues_start_month="2026-01")
    assert party.member_dues(ctx, worker, today).monthly_fen == 5000
    assert party.member_dues(ctx, retiree, today).monthly_fen == 5000  # 5000.01 × 1%
    assert party.member_dues(ctx, student, today).monthly_fen == 20
    party.set_tracking_start(ctx, "2026-01")
    ids_paid = party.record_payments(
        ctx, worker, ["2026-01", "2026-02", "2026-03"], D(2026, 3, 10), today=today
    )
    assert len(ids_paid) == 3
    with pytest.raises(ValidationError, match="2026-02 的党费已交纳"):
        party.record_payments(ctx, worker, ["2026-02"], D(2026, 3, 10), today=today)
    party.record_payments(ctx, retiree, [f"2026-{m:02d}" for m in range(1, 7)], D(2026, 6, 30), today=today)
    status = party.member_dues(ctx, worker, today)
    assert status.paid_through == "2026-03" and status.owed == ("2026-04", "2026-05", "2026-06")
    assert status.owed_fen == 15000
    arrears = party.dues_overview(ctx, today=today)
    assert [r.name for r in arrears] == ["学生丙", "在职甲"]  # six months owed first; the retiree is paid up
    assert arrears[0].lapse_months == 6 and "连续 6 个月" in arrears[0].note
    # a mistaken payment is reversed, not deleted: the month is owed again
    last = party.payments_of(ctx, worker)[0]
    party.reverse_payment(ctx, last.id, "重复录入", today=today)
    assert party.member_dues(ctx, worker, today).paid_through == "2026-02"
    with pytest.raises(ValidationError, match="已冲正"):
        party.reverse_payment(ctx, last.id, "again", today=today)
    _pid, warnings = party.record_extra(ctx, worker, 100_000, D(2026, 7, 1), "特殊党费", today=today)
    assert warnings and "上缴中央" in warnings[0]


def test_dues_bands_are_data_from_the_migration(ctx) -> None:
    bands = party.list_bands(ctx)
    assert {b.category for b in bands} >= {"IN_WORK", "RETIRED", "STUDENT", "SUBSISTENCE"}
    in_work = [b.band for b in bands if b.category == "IN_WORK"]
    assert [(b.lower_fen, b.upper_fen, b.rate_bp) for b in in_work] == [
        (None, 300_000, 50), (300_000, 500_000, 100), (500_000, 1_000_000, 150), (1_000_000, None, 200)
    ]  # fmt: skip


# ---------------------------------------------------------------- meetings


def test_meetings_attendance_and_overdue(tree) -> None:
    ctx, ids = tree
    b = ids["branch"]
    people = [member(ctx, b, n) for n in ("王建国", "李红", "张伟", "刘洋")]
    today = D(2026, 11, 23)
    mid, warnings = party.save_meeting(
        ctx,
        party.MeetingInput(
            b, "THEME_DAY", D(2026, 10, 10), "学习党的二十届四中全会精神", also_counts_as=["MEMBER_ASSEMBLY", "LECTURE"],
            attendance=[party.AttendanceInput(people[0]), party.AttendanceInput(people[1]),
                        party.AttendanceInput(people[2], "LEAVE", "出差"), party.AttendanceInput(people[3], "ABSENT")],
        ),
        today=today,
    )  # fmt: skip
    assert warnings == []
    m = party.get_meeting(ctx, mid)
    assert (m.expected, m.present) == (4, 2) and "张伟（请假：出差）" in (m.absentees or "")
    assert m.kinds_label == "主题党日、支部党员大会、党课"
    _, warnings = party.save_meeting(
        ctx,
        party.MeetingInput(b, "MEMBER_ASSEMBLY", D(2026, 11, 2), "讨论发展对象", expected=4, present=2),
        today=today,
    )
    assert warnings and "未超过应到 4 人的半数" in warnings[0]
    with pytest.raises(ValidationError, match="晚于今天"):
        party.save_meeting(ctx, party.MeetingInput(b, "THEME_DAY", D(2026, 11, 24), "x"), today=today)
    items = {i.kind: i for o in party.meeting_overview(ctx, today) if o.org_id == b for i in o.items}
    assert not items["THEME_DAY"].overdue  # October had one; November is still open
    assert items["LECTURE"].overdue_period == "2026年第三季度" and items["LECTURE"].held_this_period
    party.save_meeting(ctx, party.MeetingInput(b, "LECTURE", D(2026, 8, 15), "党课：党章学习"), today=today)
    items = {i.kind: i for o in party.meeting_overview(ctx, today) if o.org_id == b for i in o.items}
    assert not items["LECTURE"].overdue and items["LECTURE"].last_held == D(2026, 10, 10)
    assert items["MEMBER_ASSEMBLY"].overdue_period == "2026年第三季度"  # the 党课 did not count as one
    assert items["LIFE_MEETING"].overdue_period == "2025年度"
    assert "COMMITTEE" not in items  # 4 full members: no committee meetings required
    party.set_meeting_frequencies(ctx, {**party.meeting_frequencies(ctx), "LIFE_MEETING": "NONE"})
    assert "LIFE_MEETING" not in {i.kind for i in party.meeting_overview(ctx, today)[0].items} | {
        i.kind for o in party.meeting_overview(ctx, today) for i in o.items
    }


def test_writes_are_audited_with_masked_identity(tree) -> None:
    ctx, ids = tree
    ident = make_id(D(1975, 5, 5), 950)
    mid = member(ctx, ids["branch"], "郑好", id_number=ident, phone="13912345678")
    with ctx.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.entity == "party_member")).one()
    after = json.loads(rec.after or "{}")
    assert (
        after["id_number"] != ident
        and after["id_number"].endswith(ident[-4:])
        and after["phone"] == "139****5678"
    )
    assert party.reveal_member(ctx, mid, "核对身份") == (ident, "13912345678")
