"""One rule for a party's required fields: what the agreement will need is required at intake.

受理登记 and 编辑当事人 refuse a party who lacks a detail the 调解协议书 states (人民调解法 第二十九条),
naming the field; the agreement refuses a case whose stored parties still lack one (a case made from an
event's residents may leave 民族/职业/电话 for later). Both read :func:`agreement_gaps`.
"""

from __future__ import annotations

import pytest

from desktop.core.errors import ValidationError
from desktop.services import mediation as med
from desktop.services.mediation.parties import (
    AGREEMENT_ORGANISATION_NEEDS,
    AGREEMENT_PERSON_NEEDS,
    agreement_gaps,
)

from .test_mediation_helpers import D, agreement_input, intake, person, setup_committee

ORG = dict(kind="ORGANISATION", address="新华路1号", legal_rep="刘强", legal_rep_title="经理")


@pytest.fixture
def committee(street_ctx):
    return setup_committee(street_ctx)


@pytest.mark.parametrize(("field", "label"), AGREEMENT_PERSON_NEEDS)
def test_intake_refuses_a_person_without_what_the_agreement_needs(
    street_ctx, committee, field, label
) -> None:
    cid, m1, _ = committee
    blank: dict[str, object] = {field: None}
    if field == "birth_date":
        blank["age"] = None
    with pytest.raises(ValidationError) as err:
        intake(street_ctx, cid, m1, parties=[person("张建华"), person("李桂芳", "RESPONDENT", **blank)])
    assert err.value.field == field and label in err.value.message
    assert "第 2 位当事人（李桂芳）" in err.value.message
    assert err.value.detail == "party:2"  # the form opens that party's tab


def test_the_id_number_gives_gender_and_birth_date(street_ctx, committee) -> None:
    from tests.unit.mediation_ledgers import make_id

    cid, m1, _ = committee
    number = make_id(D(1970, 4, 1), 7)
    no = intake(
        street_ctx,
        cid,
        m1,
        parties=[
            person("张建华"),
            person("李桂芳", "RESPONDENT", gender=None, birth_date=None, id_number=number),
        ],
    )
    p = med.get_case(street_ctx, no).parties[1]
    assert p.gender in ("男", "女") and p.birth_date == D(1970, 4, 1)


def test_an_organisation_needs_its_address_and_representative_not_a_gender(street_ctx, committee) -> None:
    cid, m1, _ = committee
    no = intake(
        street_ctx, cid, m1, parties=[person("张建华"), med.PartyInput("某物业公司", "RESPONDENT", **ORG)]
    )
    assert med.get_case(street_ctx, no).parties[1].gender is None
    with pytest.raises(ValidationError) as err:
        intake(
            street_ctx,
            cid,
            m1,
            parties=[person("张建华"), med.PartyInput("某物业公司", "RESPONDENT", **{**ORG, "address": ""})],
        )
    assert err.value.field == "address" and "单位地址" in err.value.message


def test_editing_a_party_follows_the_same_rule(street_ctx, committee) -> None:
    cid, m1, _ = committee
    case = med.get_case(street_ctx, intake(street_ctx, cid, m1))
    p = case.parties[1]
    with pytest.raises(ValidationError) as err:
        med.save_party(street_ctx, case.id, person("李桂芳", "RESPONDENT", phone=""), p.id, p.version)
    assert err.value.field == "phone"


def test_a_case_from_residents_may_leave_details_and_the_agreement_then_names_them(
    street_ctx, committee
) -> None:
    cid, m1, _ = committee
    no = intake(
        street_ctx,
        cid,
        m1,
        parties=[person("张建华"), person("李桂芳", "RESPONDENT", occupation=None, phone=None)],
        details_later=True,
    )
    case = med.get_case(street_ctx, no)
    with pytest.raises(ValidationError, match="当事人基本情况不完整") as err:
        med.save_agreement(street_ctx, case.id, agreement_input(), today=D(2026, 11, 23))
    assert "李桂芳（缺职业或职务、联系电话）" in err.value.message
    p = case.parties[1]
    med.save_party(street_ctx, case.id, person("李桂芳", "RESPONDENT"), p.id, p.version)
    med.save_agreement(street_ctx, case.id, agreement_input(), today=D(2026, 11, 23))
    assert med.get_case(street_ctx, no).agreement is not None


def test_agreement_gaps_reads_columns() -> None:
    full = {"kind": "PERSON", "gender": "女", "ethnicity": "汉族", "age": 40, "occupation": "教师",
            "phone": "13809370000", "address": "新华路1号"}  # fmt: skip
    assert agreement_gaps(full) == []
    assert agreement_gaps({**full, "age": None}) == [("birth_date", "出生日期或年龄")]
    assert agreement_gaps({**full, "occupation": "  "}) == [("occupation", "职业或职务")]
    assert agreement_gaps({"kind": "ORGANISATION"}) == list(AGREEMENT_ORGANISATION_NEEDS)
