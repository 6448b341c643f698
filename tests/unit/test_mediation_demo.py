"""Mediation demo data: committees per community, two years of cases in every stage, consistent numbers."""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import pytest

from desktop.core.identity import Actor
from desktop.documents import mediation as docs
from desktop.domain.identity import age_on, birth_date_from_id, id_number_problem
from desktop.domain.mediation import CaseRecord, PartyRecord
from desktop.services import demo
from desktop.services import mediation as med
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext

from .test_mediation_helpers import intake


def test_small_demo_has_cases_in_every_stage(ctx: ServiceContext, tmp_path: Path) -> None:
    summary = demo.generate(ctx, "small")
    assert any(step.label.startswith("人民调解案件") for step in summary.steps)
    rows = med.list_cases(ctx, today=demo.DEMO_DATE)
    assert 50 <= len(rows) <= 80  # 30 a year for the two years before the demo date
    stages = collections.Counter(r.stage for r in rows)
    assert {"ACCEPTED", "MEDIATING", "PERFORMING", "CLOSED", "ARCHIVED"} <= set(stages) or (
        {"MEDIATING", "PERFORMING", "CLOSED", "ARCHIVED"} <= set(stages)
    )
    assert {r.source for r in rows} == {"APPLICATION", "OWN_INITIATIVE", "REFERRAL"} or len(
        {r.source for r in rows}
    ) >= 2
    assert any(r.level == "red" for r in rows)  # one case is past the 30-day limit
    assert {r.agreement_form for r in rows} >= {"书面", "口头"}
    # numbers follow the counter: the next intake takes the next number of the year
    committee = med.list_committees(ctx)[0]
    year = demo.DEMO_DATE.year
    last = max(int(r.case_no.split("第")[1][:-1]) for r in rows if r.case_no.startswith(f"（{year}）"))
    no = intake(ctx, committee.id, None, accepted_on=dt.date(year, 11, 1))
    assert no == f"（{year}）{committee.short_name}人调字第{last + 1:03d}号"
    # every archived file holds its mandatory items, as archiving requires
    for r in rows:
        if r.stage == "ARCHIVED":
            assert not [
                i.title for i in med.get_case(ctx, r.id).file_items if i.required and not i.present
            ], r.case_no
    # a demo case prints
    archived = next(r for r in rows if r.stage == "ARCHIVED" and r.agreement_form == "书面")
    rec = med.get_case(ctx, archived.case_no)
    assert rec.parties and rec.agreement and rec.agreement.terms
    assert docs.write(rec, "case_file", tmp_path / "f.pdf").stat().st_size > 10_000
    # force replaces everything, cases included
    demo.generate(ctx, "small", force=True)
    assert len(med.list_cases(ctx)) == len(rows)


# ---------------------------------------------------------------- the demo tells a plausible story


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[CaseRecord]:
    """Every case of one small demo, as the documents see them."""
    opened = open_database(
        tmp_path_factory.mktemp("mdemo") / "small.sqlite3", actor=Actor("测试员", "test-pc")
    )
    demo.generate(opened.ctx, "small")
    out = [med.get_case(opened.ctx, r.id) for r in med.list_cases(opened.ctx, today=demo.DEMO_DATE)]
    opened.ctx.database.dispose()
    return out


def _age(p: PartyRecord, day: dt.date) -> int:
    age = p.age_on(day)
    assert age is not None, p.name
    return age


def _people(c: CaseRecord) -> list[PartyRecord]:
    return [p for p in c.parties if p.is_person]


def test_family_disputes_have_plausible_generations(cases: list[CaseRecord]) -> None:
    family = collections.Counter(c.dispute_subtype for c in cases if c.dispute_type == "婚姻家庭")
    assert family["赡养"] >= 2 and sum(family.values()) >= 5
    for c in cases:
        day, (a, *others) = c.accepted_on, c.parties
        if c.dispute_subtype in ("赡养", "家庭财产"):  # a parent against grown children
            assert all(_age(a, day) - _age(b, day) >= 18 for b in others), c.case_no
            assert _age(a, day) >= 60, c.case_no
        elif c.dispute_subtype == "抚养":  # a minor child (through a parent) against the other parent
            b = others[0]
            assert _age(a, day) < 18 and _age(b, day) - _age(a, day) >= 18, c.case_no
        elif c.dispute_subtype == "婚姻":  # spouses of similar age
            assert abs(_age(a, day) - _age(others[0], day)) <= 10, c.case_no
        elif c.dispute_subtype == "继承":  # siblings: one surname, similar age
            assert all(b.name[0] == a.name[0] and abs(_age(a, day) - _age(b, day)) <= 14 for b in others), (
                c.case_no
            )


def test_parties_satisfy_the_intake_rules(cases: list[CaseRecord]) -> None:
    """No minor or incapable party without 法定代理人, no ID twice in a case, every organisation with its 法定代表人."""
    minors = incapable = orgs = agents = three = 0
    for c in cases:
        three += len(c.parties) > 2
        ids = [x for p in c.parties for x in (p.id_number, p.guardian_id_number, p.agent_id_number) if x]
        assert len(ids) == len(set(ids)), c.case_no
        assert len({p.name for p in c.parties}) == len(c.parties), c.case_no  # no two 徐瑶 in one case
        for p in c.parties:
            if not p.is_person:
                orgs += 1
                assert p.legal_rep and p.legal_rep_title in ("经理", "总经理", "执行董事"), c.case_no
                continue
            assert p.id_number and id_number_problem(p.id_number) is None and p.birth_date
            assert birth_date_from_id(p.id_number) == p.birth_date, c.case_no
            if p.needs_guardian_on(c.accepted_on):
                minors += p.is_minor_on(c.accepted_on)
                incapable += p.lacks_capacity
                assert p.guardian_name and p.guardian_relation and p.guardian_phone, (c.case_no, p.name)
                assert p.guardian_id_number and id_number_problem(p.guardian_id_number) is None
                guardian_born = birth_date_from_id(p.guardian_id_number)
                assert guardian_born is not None
                assert (age_on(guardian_born, c.accepted_on) or 0) >= 18, (c.case_no, p.name)
                if p.is_minor_on(c.accepted_on):  # a parent (or grandparent) a generation older
                    assert p.guardian_relation in ("父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母")
                    assert (p.birth_date - guardian_born).days >= 18 * 365, (c.case_no, p.name)
                else:
                    assert p.guardian_relation in ("配偶", "儿子", "女儿")
            else:
                assert _age(p, c.accepted_on) >= 18 and not p.guardian_name, (c.case_no, p.name)
            if p.agent:
                agents += 1
                assert p.agent_relation in ("近亲属", "律师", "社区推荐的公民"), c.case_no
                assert p.agent_id_number and p.agent_phone
    assert minors and incapable and orgs >= 5 and agents >= 3 and three >= 3


def test_amounts_are_plausible_and_on_the_terms(cases: list[CaseRecord]) -> None:
    monthly = []
    blank = with_terms = 0
    for c in cases:
        amounts = [t.amount for t in c.agreement.terms if t.amount] if c.agreement else []
        assert all(a % 100 == 0 for a in amounts), c.case_no  # round figures
        if c.dispute_subtype == "赡养" and c.agreement:
            monthly += [t.amount for t in c.agreement.terms if t.amount and "每月" in t.text]
        if c.dispute_subtype == "物业费" and amounts:
            assert 1000 <= sum(amounts) <= 10000, c.case_no
        if amounts:
            with_terms += 1
            blank += c.amount_involved is None
            typed = [t.text for t in c.agreement.terms if re.search(r"\d[\d,]*(\.\d+)?元", t.text)]
            assert not typed, c.case_no  # printed from the number, never typed
    assert monthly and all(300 <= m <= 2000 for m in monthly)
    assert (
        with_terms >= 20 and 0.08 <= blank / with_terms <= 0.25
    )  # the report must take amounts from the terms


def test_term_due_dates_lie_between_signing_and_the_performance_deadline(cases: list[CaseRecord]) -> None:
    dated = 0
    for c in cases:
        a = c.agreement
        if a is None:
            continue
        assert a.performance_deadline and a.made_on <= a.performance_deadline, c.case_no
        for t in a.terms:
            if t.due_on is not None:
                dated += 1
                assert a.made_on <= t.due_on <= a.performance_deadline, (c.case_no, t.seq)
            if t.amount is not None:
                assert t.due_on is not None, (c.case_no, t.seq)
    assert dated >= 20


def test_texts_vary_and_every_application_states_its_requests(cases: list[CaseRecord]) -> None:
    agreements = [c.agreement for c in cases if c.agreement]
    for field in ("disputes", "responsibilities", "facts"):
        texts = [getattr(a, field) for a in agreements]
        assert all(texts) and len(set(texts)) >= 0.8 * len(texts), field
    summaries = [c.summary for c in cases]
    assert len(set(summaries)) >= 0.9 * len(summaries)
    minutes = [s.minutes for c in cases for s in c.sessions]
    assert len(set(minutes)) >= 0.8 * len(minutes)
    for c in cases:
        if c.source == "APPLICATION":
            lines = (c.requests or "").splitlines()
            assert lines and all(line.startswith("请求") for line in lines), c.case_no
        assert "纠纷纠纷" not in c.summary and "{" not in c.summary, c.case_no
        assert c.source == "APPLICATION" or "申请调解" not in c.summary, c.case_no  # as the case came in
    # the texts name the case's own parties
    for c in cases:
        if c.agreement and c.parties[0].is_person and not c.parties[0].guardian_name:
            assert c.parties[0].name in c.agreement.facts + c.summary, c.case_no


def test_a_leak_comes_from_the_flat_right_above(cases: list[CaseRecord]) -> None:
    leaks = [c for c in cases if c.dispute_subtype == "漏水"]
    assert leaks
    for c in leaks:
        below, above = (re.fullmatch(r"(.*单元)(\d+)(\d\d)室", p.address or "") for p in c.parties[:2])
        assert below and above, c.case_no
        assert above[1] == below[1] and above[3] == below[3] and int(above[2]) == int(below[2]) + 1, c.case_no
