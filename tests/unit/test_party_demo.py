"""``shequ demo`` builds the 党建 data: a tree, members from the register, rule-abiding recruitment, dues, meetings."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from db.schema.party import DuesPayment, PartyMeeting, PartyMember, PartyOrg, RecruitmentStep
from db.schema.people import Resident
from desktop.core.identity import Actor
from desktop.services import demo, party
from desktop.services.bootstrap import open_database
from desktop.services.party import rules
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    opened = open_database(
        tmp_path_factory.mktemp("party_demo") / "small.sqlite3", actor=Actor("测试员", "test-pc")
    )
    summary = demo.generate(opened.ctx, scale="small")
    yield opened.ctx, summary
    opened.ctx.database.dispose()


def test_small_scale_has_a_tree_and_a_few_dozen_members(small) -> None:
    ctx, summary = small
    tree = party.list_org_tree(ctx, demo.DEMO_DATE)
    kinds = Counter(n.kind for n in tree)
    assert kinds["WORKING_COMMITTEE"] == 1 and kinds["BRANCH"] >= 4
    assert tree[0].name == "钢城街道党工委" and tree[0].depth == 0
    members = party.list_members(ctx, party.MemberFilter())
    assert 30 <= len(members) <= 60
    assert any("党建" in step.label for step in summary.steps)
    assert all(n.secretary for n in tree if n.kind == "BRANCH" and n.full_members >= 3)


def test_members_are_residents_with_consistent_dates(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        rows = s.execute(
            select(PartyMember, Resident.id_number, Resident.name).join(
                Resident, Resident.id == PartyMember.resident_id
            )
        ).all()
        total = s.scalar(select(func.count()).select_from(PartyMember))
    assert len(rows) == total  # every demo member is in the register, linked by the ID number
    for m, ident, name in rows:
        assert (m.id_number, m.name) == (ident, name)
        if m.joined_on:
            assert m.joined_on >= rules.add_years(m.birth_date, 18)
            assert m.joined_on <= demo.DEMO_DATE
        if m.confirmed_on:
            assert m.confirmed_on == rules.add_years(m.joined_on, 1)


def test_demo_recruitment_obeys_the_rules(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        steps = s.scalars(
            select(RecruitmentStep).order_by(
                RecruitmentStep.member_id, RecruitmentStep.on_date, RecruitmentStep.id
            )
        ).all()
        births = dict(s.execute(select(PartyMember.id, PartyMember.birth_date)).all())
        stages = dict(s.execute(select(PartyMember.id, PartyMember.stage)).all())
        full = {i for i, st in stages.items() if st == "FULL"}
    by_member: dict[int, list[RecruitmentStep]] = {}
    for st in steps:
        by_member.setdefault(st.member_id, []).append(st)
    assert by_member
    for mid, track in by_member.items():
        history: list[rules.StepRecord] = []
        for st in track:
            sponsors = tuple(
                rules.Sponsor(str(pid), "FULL" if pid in full else stages.get(pid))
                for pid in (st.first_person_id, st.second_person_id)
                if pid
            )
            proposal = rules.StepProposal(
                st.kind, st.on_date, mentors=len((st.people or "x").split("、")), sponsors=sponsors,
                training_days=st.training_days, training_hours=st.training_hours, entitled=st.entitled,
                present=st.present, votes_for=st.votes_for, valid_until=st.valid_until,
            )  # fmt: skip
            rules.check_step(history, proposal, demo.DEMO_DATE, births[mid])
            history.append(
                rules.StepRecord(st.kind, st.on_date, st.training_days, st.training_hours, st.valid_until)
            )
        expected_stage = next(
            (rules.STAGE_AFTER[h.kind] for h in reversed(history) if h.kind in rules.STAGE_AFTER), None
        )
        assert stages[mid] == expected_stage


def test_dues_and_meetings_are_in_the_past_and_unique(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        months = s.execute(select(DuesPayment.member_id, DuesPayment.month)).all()
        latest_meeting = s.scalar(select(func.max(PartyMeeting.held_on)))
        orgs = s.scalar(select(func.count()).select_from(PartyOrg))
    assert len(months) == len(set(months)) > 100
    assert max(m for _i, m in months) < f"{demo.DEMO_DATE:%Y-%m}"
    assert latest_meeting is not None and latest_meeting <= min(demo.DEMO_DATE, TODAY)
    assert orgs >= 7
    assert party.dues_overview(ctx, today=demo.DEMO_DATE)  # some arrears to show


def test_same_seed_same_party_data(tmp_path) -> None:
    names = []
    for i in range(2):
        opened = open_database(tmp_path / f"d{i}.sqlite3", actor=Actor("测试员", "test-pc"))
        demo.generate(opened.ctx, scale="small", seed=42)
        names.append(
            [
                (r.name, r.org_name, r.stage)
                for r in party.list_members(opened.ctx, party.MemberFilter(stage=None))
            ]
        )
        opened.ctx.database.dispose()
    assert names[0] == names[1]
