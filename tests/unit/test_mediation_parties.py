"""Who acts for a party (issue 11, points 3, 4, 6, 8): a minor or a party lacking capacity needs an adult
法定代理人; one person is one party of a case; an organisation states its 法定代表人 and post; the 委托代理人
in fields; a 司法确认 application is blocked for an unrepresented minor; ``mediation show --json``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from db.schema.mediation import CaseParty
from desktop.app import main
from desktop.core.errors import ValidationError
from desktop.services import judicial
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial.documents import write_document

from .mediation_ledgers import make_id
from .test_mediation_helpers import D, full_case, intake, person, setup_committee

ACCEPTED = D(2026, 3, 2)  # intake()'s 受理日期
FATHER = make_id(D(1980, 1, 10), 21)
CHILD = make_id(D(2010, 6, 1), 22)  # 15 on ACCEPTED


@pytest.fixture
def committee(street_ctx: ServiceContext) -> tuple[int, int, int]:
    return setup_committee(street_ctx)


def guardian(**kw: object) -> dict[str, object]:
    return {"guardian_name": "张建国", "guardian_relation": "父亲", "guardian_id_number": FATHER, **kw}


def child(**kw: object) -> med.PartyInput:
    base: dict[str, object] = dict(birth_date=D(2010, 6, 1), gender="男", occupation="学生")
    base.update(kw)
    return person("张小明", "RESPONDENT", **base)


def refused(ctx: ServiceContext, cid: int, *parties: med.PartyInput, **kw: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        intake(ctx, cid, None, parties=list(parties), **kw)
    return info.value


# ---------------------------------------------------------------- 法定代理人


def test_a_minor_without_a_guardian_is_refused_and_with_one_accepted(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    err = refused(street_ctx, cid, person("李桂芳"), child())
    assert err.field == "guardian_name"
    assert "第 2 位当事人（张小明）受理时未满 18 周岁（15 周岁），须填写法定代理人的姓名" in err.message
    err = refused(street_ctx, cid, person("李桂芳"), child(**guardian(guardian_relation="")))
    assert err.field == "guardian_relation" and "关系" in err.message
    err = refused(street_ctx, cid, person("李桂芳"), child(**guardian(guardian_id_number="")))
    assert err.field == "guardian_id_number" and "公民身份号码" in err.message
    err = refused(street_ctx, cid, person("李桂芳"), child(**guardian(guardian_id_number=FATHER[:-1] + "0")))
    assert err.field == "guardian_id_number" and "校验位" in err.message
    no = intake(
        street_ctx, cid, None, parties=[person("李桂芳"), child(**guardian(guardian_phone="13809370099"))]
    )
    p = med.get_case(street_ctx, no).parties[1]
    assert (p.guardian_name, p.guardian_relation, p.guardian_id_number, p.guardian_phone) == (
        "张建国",
        "父亲",
        FATHER,
        "13809370099",
    )
    assert p.needs_guardian_on(ACCEPTED) and not p.lacks_capacity


def test_minority_is_read_from_the_id_number_or_the_age_on_the_acceptance_date(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    by_id = child(birth_date=None, id_number=CHILD)
    assert refused(street_ctx, cid, person("李桂芳"), by_id).field == "guardian_name"
    by_age = child(birth_date=None, age=17)
    assert refused(street_ctx, cid, person("李桂芳"), by_age).field == "guardian_name"
    # 18 on the 受理日期: an adult, who acts alone; a guardian typed for him is not kept
    adult = child(birth_date=D(2008, 3, 2), **guardian())
    no = intake(street_ctx, cid, None, parties=[person("李桂芳"), adult])
    assert med.get_case(street_ctx, no).parties[1].guardian_name is None
    # the same person a day younger is a minor on that day
    assert (
        refused(street_ctx, cid, person("李桂芳"), child(birth_date=D(2008, 3, 3))).field == "guardian_name"
    )


def test_lacking_capacity_needs_a_guardian_too(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    err = refused(street_ctx, cid, person("李桂芳"), person("王老汉", "RESPONDENT", lacks_capacity=True))
    assert err.field == "guardian_name" and "无民事行为能力或限制民事行为能力" in err.message
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[
            person("李桂芳"),
            person("王老汉", "RESPONDENT", lacks_capacity=True, **guardian(guardian_relation="子女")),
        ],
    )
    p = med.get_case(street_ctx, no).parties[1]
    assert p.lacks_capacity and p.guardian_name == "张建国"


def test_the_guardian_must_be_an_adult_and_not_the_party(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    teen = make_id(D(2009, 1, 1), 23)  # 17 on ACCEPTED
    err = refused(street_ctx, cid, person("李桂芳"), child(**guardian(guardian_id_number=teen)))
    assert err.field == "guardian_id_number"
    assert "2026年3月2日未满 18 周岁（17 周岁）" in err.message and "须为成年人" in err.message
    err = refused(
        street_ctx,
        cid,
        person("李桂芳"),
        child(birth_date=None, id_number=CHILD, **guardian(guardian_id_number=CHILD)),
    )
    assert err.field == "guardian_id_number" and "当事人本人" in err.message


def test_a_party_edited_later_is_checked_on_the_case_acceptance_date(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    no = intake(street_ctx, cid, None)
    case = med.get_case(street_ctx, no)
    with pytest.raises(ValidationError, match="法定代理人") as info:
        med.save_party(street_ctx, case.id, child())
    assert info.value.field == "guardian_name"
    pid = med.save_party(street_ctx, case.id, child(**guardian()))
    p = next(x for x in med.get_case(street_ctx, no).parties if x.id == pid)
    assert p.guardian_id_number == FATHER
    # a party who was 18 on the first date is a minor on an earlier one: the date cannot move back alone
    adult = med.save_party(street_ctx, case.id, person("刘青", "RESPONDENT", birth_date=D(2008, 1, 5)))
    assert adult
    case = med.get_case(street_ctx, no)
    data = med.CaseInput(cid, D(2025, 12, 1), "APPLICATION", "邻里", case.summary)
    with pytest.raises(ValidationError, match="第 4 位当事人（刘青）受理时未满 18 周岁") as info:
        med.update_case(street_ctx, case.id, case.version, data)
    assert info.value.field == "accepted_on"


# ---------------------------------------------------------------- one person, one party


def test_the_same_id_twice_in_a_case_is_refused(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    same = make_id(D(1968, 5, 4), 31)
    err = refused(
        street_ctx,
        cid,
        person("张建华", id_number=same, birth_date=None),
        person("李桂芳", "RESPONDENT"),
        person("张建华", "RESPONDENT", id_number=same, birth_date=None),
    )
    assert err.field == "id_number"
    assert "第 3 位当事人（张建华）的公民身份号码与第 1 位当事人（张建华）相同" in err.message
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[person("张建华", id_number=same, birth_date=None), person("李桂芳", "RESPONDENT")],
    )
    case = med.get_case(street_ctx, no)
    with pytest.raises(ValidationError, match="与第 1 位当事人（张建华）相同"):
        med.save_party(street_ctx, case.id, person("张华", "RESPONDENT", id_number=same, birth_date=None))
    # editing a party keeps its own number
    first = case.parties[0]
    med.save_party(
        street_ctx,
        case.id,
        person("张建华", id_number=same, birth_date=None, phone="13809378888"),
        first.id,
        first.version,
    )
    # a party of the case cannot be another party's 法定代理人, nor the other way round
    with pytest.raises(ValidationError, match="不能担任另一位当事人的法定代理人") as info:
        med.save_party(street_ctx, case.id, child(**guardian(guardian_id_number=same)))
    assert info.value.field == "guardian_id_number"
    med.save_party(street_ctx, case.id, child(**guardian()))
    with pytest.raises(ValidationError, match="的法定代理人相同") as info:
        med.save_party(street_ctx, case.id, person("张建国", "RESPONDENT", id_number=FATHER, birth_date=None))
    assert info.value.field == "id_number"


def test_two_minors_may_share_their_guardian(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[
            person("李桂芳"),
            child(**guardian()),
            person("张小亮", "RESPONDENT", birth_date=D(2012, 2, 2), **guardian()),
        ],
    )
    assert [p.guardian_name for p in med.get_case(street_ctx, no).parties] == [None, "张建国", "张建国"]


# ---------------------------------------------------------------- organisations, agents


def test_an_organisation_needs_its_legal_representative_and_post(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    org = dict(name="嘉峪关市某物业服务有限公司", role="RESPONDENT", kind="ORGANISATION", address="新华路1号")
    err = refused(street_ctx, cid, person("张建华"), med.PartyInput(**org))
    assert err.field == "legal_rep" and "法人或其他组织，须填写其法定代表人" in err.message
    err = refused(street_ctx, cid, person("张建华"), med.PartyInput(**org, legal_rep="刘强"))
    assert err.field == "legal_rep_title" and "刘强" in err.message and "职务" in err.message
    err = refused(
        street_ctx,
        cid,
        person("张建华"),
        med.PartyInput(**org, legal_rep="刘强", legal_rep_title="经理", lacks_capacity=True),
    )
    assert err.field == "lacks_capacity" and "不适用" in err.message
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[person("张建华"), med.PartyInput(**org, legal_rep="刘强", legal_rep_title="总经理")],
    )
    p = med.get_case(street_ctx, no).parties[1]
    assert (p.legal_rep, p.legal_rep_title, p.needs_guardian_on(ACCEPTED)) == ("刘强", "总经理", False)


def test_the_agent_is_stored_in_fields_and_checked(street_ctx, committee) -> None:
    cid, _m1, _ = committee
    lawyer = make_id(D(1985, 4, 4), 41)
    err = refused(street_ctx, cid, person("张建华", agent_relation="律师"), person("李桂芳", "RESPONDENT"))
    assert err.field == "agent" and "委托代理人的姓名" in err.message
    err = refused(
        street_ctx,
        cid,
        person("张建华", agent="周平", agent_id_number=lawyer[:-1] + "0"),
        person("李桂芳", "RESPONDENT"),
    )
    assert err.field == "agent_id_number" and "周平" in err.message
    err = refused(
        street_ctx, cid, person("张建华", agent="周平", agent_phone="12345"), person("李桂芳", "RESPONDENT")
    )
    assert err.field == "agent_phone"
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[
            person(
                "张建华",
                agent="周平",
                agent_relation="律师",
                agent_id_number=lawyer,
                agent_phone="13909376666",
            ),
            person("李桂芳", "RESPONDENT"),
        ],
    )
    p = med.get_case(street_ctx, no).parties[0]
    assert (p.agent, p.agent_relation, p.agent_id_number, p.agent_phone) == (
        "周平",
        "律师",
        lawyer,
        "13909376666",
    )


# ---------------------------------------------------------------- 司法确认, CLI


def test_an_unrepresented_minor_blocks_the_court_application(street_ctx, committee, tmp_path) -> None:
    cid, m1, _ = committee
    no = full_case(street_ctx, cid, m1)
    case = med.get_case(street_ctx, no)
    assert not any("法定代理人" in x for x in judicial.check_case(street_ctx, no).problems)
    # a record from before the rule: the respondent was 16 when the case was accepted
    with street_ctx.write() as uow:
        uow.session.execute(
            update(CaseParty).where(CaseParty.id == case.parties[1].id).values(birth_date=D(2009, 9, 12))
        )
    e = judicial.check_case(street_ctx, no)
    assert not e.ok
    assert "第 2 位当事人（李桂芳）受理时未满 18 周岁（16 周岁），尚未登记法定代理人" in "；".join(e.problems)
    with pytest.raises(ValidationError, match="法定代理人"):
        write_document(street_ctx, "application", tmp_path / "a.pdf", case=no)
    assert not (tmp_path / "a.pdf").exists()


def test_mediation_show_json_lists_who_acts_for_each_party(street_ctx, committee, capsys) -> None:
    cid, _m1, _ = committee
    org = med.PartyInput(
        "嘉峪关市某物业服务有限公司",
        "RESPONDENT",
        "ORGANISATION",
        address="新华路1号",
        legal_rep="刘强",
        legal_rep_title="总经理",
    )
    no = intake(
        street_ctx,
        cid,
        None,
        parties=[
            person("李桂芳"),
            child(**guardian(guardian_phone="13809370099"), agent="周平", agent_relation="律师"),
            org,
        ],
    )
    db = str(street_ctx.database.url.database)
    assert main(["--db", db, "mediation", "show", no, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    kid, company = data["parties"][1], data["parties"][2]
    assert (kid["needs_guardian"], kid["age_on_acceptance"], kid["lacks_capacity"]) == (True, 15, False)
    assert kid["guardian"] == {
        "name": "张建国",
        "relation": "父亲",
        "id_number": FATHER[:6] + "********" + FATHER[-4:],
        "phone": "138****0099",
    }
    assert kid["agent"]["name"] == "周平" and kid["agent"]["relation"] == "律师"
    assert (company["legal_rep"], company["legal_rep_title"], company["guardian"]) == ("刘强", "总经理", None)
    assert main(["--db", db, "mediation", "show", no]) == 0
    text = capsys.readouterr().out
    assert "法定代理人：张建国（父亲）" in text and "法定代表人：刘强（总经理）" in text
