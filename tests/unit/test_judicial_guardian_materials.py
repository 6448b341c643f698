"""The court checklist asks for the 法定代理人's papers of a party who acts through one."""

from __future__ import annotations

import datetime as dt

from db.schema import CaseParty
from desktop.services.judicial import rules

ACCEPTED = dt.date(2026, 3, 2)


def _party(seq: int, name: str, birth: dt.date, **kw: object) -> CaseParty:
    return CaseParty(seq=seq, role="APPLICANT", kind="PERSON", name=name, birth_date=birth, **kw)


def test_a_minor_party_brings_the_guardians_papers() -> None:
    minor = _party(1, "张小雨", dt.date(2009, 6, 1), guardian_name="张建国", guardian_relation="父亲")
    adult = _party(2, "李桂芳", dt.date(1970, 1, 1))
    briefs = [rules.brief_of(minor, ACCEPTED), rules.brief_of(adult, ACCEPTED)]
    assert [b.has_guardian for b in briefs] == [True, False]

    specs = rules.materials_for(briefs, agent_applies=False, involves_property=False)
    guardian = [m for m in specs if m.code.startswith("GUARDIAN:")]
    assert [(m.code, m.required) for m in guardian] == [("GUARDIAN:1", True)]
    assert "张小雨的法定代理人" in guardian[0].label and "监护关系证明" in guardian[0].label
    # it follows the minor's own identity papers
    codes = [m.code for m in specs]
    assert codes.index("GUARDIAN:1") == codes.index("ID:1") + 1


def test_an_adult_without_full_capacity_too_but_not_a_company() -> None:
    adult = _party(1, "王秀兰", dt.date(1950, 1, 1), lacks_capacity=True, guardian_name="王强")
    company = CaseParty(seq=2, role="RESPONDENT", kind="ORGANISATION", name="某物业公司", legal_rep="刘强")
    briefs = [rules.brief_of(adult, ACCEPTED), rules.brief_of(company, ACCEPTED)]
    codes = [m.code for m in rules.materials_for(briefs, agent_applies=False, involves_property=False)]
    assert "GUARDIAN:1" in codes and "GUARDIAN:2" not in codes


def test_a_party_who_turned_eighteen_before_acceptance_needs_none() -> None:
    grown = _party(1, "赵一鸣", dt.date(2008, 3, 1))  # 18 on 2026-03-01, the day before acceptance
    assert not rules.brief_of(grown, ACCEPTED).has_guardian
    assert rules.brief_of(grown, dt.date(2026, 2, 28)).has_guardian
