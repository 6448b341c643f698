"""Mediation services: committee settings, intake and numbering, the lifecycle rules, deadlines, the list."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.mediation import CaseNumberCounter
from desktop.core.errors import ConflictError, ValidationError
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation import deadlines as dl
from desktop.services.mediation.common import MediationRules
from desktop.services.mediation.dictionary import default_dispute_types, match_dispute_type
from desktop.services.mediation.lifecycle import follow_up_dates
from desktop.services.mediation.numbering import format_case_no, normalize_case_no, parse_case_no

from .test_mediation_helpers import D, agreement_input, full_case, intake, person, setup_committee

T = D(2026, 11, 23)


@pytest.fixture
def mctx(street_ctx: ServiceContext) -> ServiceContext:
    return street_ctx


@pytest.fixture
def committee(mctx: ServiceContext) -> tuple[int, int, int]:
    return setup_committee(mctx)


# ---------------------------------------------------------------- numbers


def test_case_number_format_and_parse() -> None:
    assert format_case_no(2026, "新华社区", 1) == "（2026）新华社区人调字第001号"
    assert format_case_no(2026, "新华社区", 1234) == "（2026）新华社区人调字第1234号"
    n = parse_case_no("(2025) 新华社区 人调字第 15 号")
    assert n is not None and (n.year, n.short_name, n.seq) == (2025, "新华社区", 15)
    assert normalize_case_no("(2025)新华社区人调字第15号") == "（2025）新华社区人调字第015号"
    assert parse_case_no("新人调〔二〇二三〕5号") is None
    assert normalize_case_no(" 新人调5号 ") == "新人调5号"


def test_numbers_count_per_committee_and_year_and_are_never_reused(mctx, committee) -> None:
    cid, m1, _ = committee
    other = med.save_committee(mctx, med.CommitteeInput("朝阳社区人民调解委员会", "朝阳社区"))
    a = intake(mctx, cid, m1)
    b = intake(mctx, cid, m1)
    c = intake(mctx, other)
    d = intake(mctx, cid, m1, accepted_on=D(2025, 12, 30))
    assert (a, b, c, d) == (
        "（2026）新华社区人调字第001号",
        "（2026）新华社区人调字第002号",
        "（2026）朝阳社区人调字第001号",
        "（2025）新华社区人调字第001号",
    )
    case_b = med.get_case(mctx, b)
    med.retire_case(mctx, case_b.id, case_b.version, "重复登记")
    assert intake(mctx, cid, m1) == "（2026）新华社区人调字第003号"  # 002 stays taken
    assert [r.case_no for r in med.list_cases(mctx, med.CaseFilter(committee_id=cid, year=2026))] == [
        "（2026）新华社区人调字第003号",
        "（2026）新华社区人调字第001号",
    ]


def test_a_given_number_is_kept_and_the_counter_moves_past_it(mctx, committee) -> None:
    cid, m1, _ = committee
    data = med.CaseInput(
        cid, D(2026, 1, 5), "APPLICATION", "邻里", "邻里噪音纠纷。", parties=[person("张三")]
    )
    assert med.create_case(mctx, data, case_no="(2026)新华社区人调字第7号") == "（2026）新华社区人调字第007号"
    assert intake(mctx, cid, m1) == "（2026）新华社区人调字第008号"
    with pytest.raises(ConflictError, match="已被使用"):
        med.create_case(mctx, data, case_no="（2026）新华社区人调字第007号")
    assert med.create_case(mctx, data, case_no="新人调字2019-3") == "新人调字2019-3"


def test_numbers_under_concurrency_on_sqlite(mctx, committee) -> None:
    """Eight threads with their own engines add cases at once: 40 distinct numbers 001–040, no gap."""
    from db.engine import Database

    cid, m1, _ = committee
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        ctx = ServiceContext(Database(mctx.database.url), mctx.actor)
        try:
            for _ in range(5):
                n = intake(ctx, cid, m1)
                with lock:
                    numbers.append(n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            ctx.database.dispose()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [format_case_no(2026, "新华社区", i) for i in range(1, 41)]
    with mctx.read() as s:
        assert s.scalar(select(CaseNumberCounter.last_seq)) == 40


# ---------------------------------------------------------------- committee, intake


def test_committee_settings_validate_and_audit(mctx) -> None:
    with pytest.raises(ValidationError, match="简称"):
        med.save_committee(mctx, med.CommitteeInput("新华社区人民调解委员会", ""))
    with pytest.raises(ValidationError, match="括号"):
        med.save_committee(mctx, med.CommitteeInput("新华社区人民调解委员会", "新华（社区）"))
    cid = med.save_committee(mctx, med.CommitteeInput("新华社区人民调解委员会", "新华社区"))
    info = med.get_committee(mctx, cid)
    assert info.seal_text == "新华社区人民调解委员会"  # defaults to the name
    with pytest.raises(ConflictError, match="简称"):
        med.save_committee(mctx, med.CommitteeInput("另一个调委会", "新华社区"))
    with pytest.raises(ConflictError, match="其他用户"):
        med.save_committee(
            mctx, med.CommitteeInput("新华社区调委会", "新华", id=cid, version=info.version + 1)
        )
    med.save_committee(
        mctx, med.CommitteeInput("新华社区调委会", "新华", seal_text="印", id=cid, version=info.version)
    )
    assert med.get_committee(mctx, cid).short_name == "新华"
    mid = med.save_mediator(mctx, med.MediatorInput(cid, "王 秀兰", "女", "138 0937 0001"))
    m = med.list_mediators(mctx, cid)[0]
    assert (m.id, m.name, m.phone) == (mid, "王秀兰", "13809370001")
    with pytest.raises(ValidationError, match="联系电话"):
        med.save_mediator(mctx, med.MediatorInput(cid, "李四", phone="12345"))
    with mctx.read() as s:
        assert s.scalar(select(func.count()).where(AuditRecord.entity == "mediation_committee")) == 2


def test_intake_validation(mctx, committee) -> None:
    cid, m1, _ = committee
    with pytest.raises(ValidationError, match="纠纷类型"):
        intake(mctx, cid, m1, dispute_type="吵架")
    with pytest.raises(ValidationError, match="移送单位"):
        intake(mctx, cid, m1, source="REFERRAL")
    with pytest.raises(ValidationError, match="性别"):
        intake(mctx, cid, m1, parties=[person("张三", gender=None)])
    with pytest.raises(ValidationError, match="出生日期或年龄"):
        intake(mctx, cid, m1, parties=[person("张三", birth_date=None)])
    with pytest.raises(ValidationError, match="校验位"):
        intake(mctx, cid, m1, parties=[person("张三", id_number="110105194912310021")])
    with pytest.raises(ValidationError, match="法定代表人"):
        intake(
            mctx, cid, m1, parties=[med.PartyInput("某物业公司", kind="ORGANISATION", address="新华路1号")]
        )
    with pytest.raises(ValidationError, match="晚于今天"):
        med.create_case(
            mctx,
            med.CaseInput(cid, D(2026, 12, 1), "APPLICATION", "邻里", "x", parties=[person("张三")]),
            today=T,
        )
    no = intake(
        mctx,
        cid,
        m1,
        dispute_type="婚姻家庭",
        dispute_subtype="赡养",
        parties=[
            person("张䶮", id_number="11010519491231002X", birth_date=None, gender=None),
            med.PartyInput(
                "嘉峪关市某物业服务有限公司",
                "RESPONDENT",
                "ORGANISATION",
                address="新华路1号",
                legal_rep="刘强",
                legal_rep_title="总经理",
                agent="王律师，甘肃某律师事务所",
            ),
        ],
    )
    case = med.get_case(mctx, no)
    p = case.parties[0]
    assert (p.name, p.gender, p.birth_date) == ("张䶮", "女", D(1949, 12, 31))  # filled from the ID number
    assert case.dispute_label == "婚姻家庭纠纷（赡养）"
    assert case.title == "张䶮与嘉峪关市某物业服务有限公司婚姻家庭纠纷"
    assert case.stage == "ACCEPTED" and case.mediator == "王秀兰"


def test_dispute_types_with_or_without_the_trailing_word() -> None:
    types = default_dispute_types()
    assert len(types) == 18 and types[0].label == "婚姻家庭纠纷" and "赡养" in types[0].subtypes
    assert match_dispute_type("道路交通事故纠纷", types).code == "道路交通事故"
    assert match_dispute_type("物业", types).label == "物业纠纷"
    assert match_dispute_type("婚姻家庭纠纷（赡养）", types).code == "婚姻家庭"
    assert match_dispute_type("打架", types) is None


# ---------------------------------------------------------------- lifecycle


def test_full_lifecycle_to_archive(mctx, committee) -> None:
    cid, m1, _ = committee
    no = full_case(mctx, cid, m1)
    case = med.get_case(mctx, no)
    assert case.stage == "CLOSED" and case.outcome_label == "调解成功"
    a = case.agreement
    assert a is not None and a.agreement_no == no and a.copies == 3 and a.effective_on == D(2026, 3, 20)
    assert [t.seq for t in a.terms] == [1, 2, 3] and str(a.total_amount) == "2500.00"
    # archiving is blocked while the ID copies (a mandatory paper item) are not in the file
    with pytest.raises(ValidationError, match="当事人身份证明"):
        med.archive_case(mctx, case.id, case.version, D(2026, 5, 9), "李晓梅", today=T)
    med.set_file_item(mctx, case.id, "ID_PROOF", True, pages=2)
    case = med.get_case(mctx, no)
    med.archive_case(mctx, case.id, case.version, D(2026, 5, 9), "李晓梅", today=T)
    case = med.get_case(mctx, no)
    assert case.stage == "ARCHIVED" and case.filed_by == "李晓梅" and case.retention == "长期"
    assert all(i.present for i in case.file_items if i.required)
    with pytest.raises(ValidationError, match="已归档"):
        med.record_performance(mctx, case.id, D(2026, 5, 10), "PERFORMED", today=T)


def test_agreement_rules(mctx, committee) -> None:
    cid, m1, _ = committee
    no = intake(mctx, cid, m1)
    case = med.get_case(mctx, no)
    with pytest.raises(ValidationError) as err:
        med.save_agreement(
            mctx, case.id, agreement_input(terms=[], performance_place="", performance_deadline=None), today=T
        )
    text = str(err.value)
    assert "协议内容" in text and "履行地点" in text and "履行期限" in text
    # one rule: what the agreement needs, the party's form asks for (the field is named)
    p = case.parties[1]
    with pytest.raises(ValidationError, match="职业或职务") as err:
        med.save_party(
            mctx, case.id, person("李桂芳", "RESPONDENT", occupation=None, gender="女"), p.id, p.version
        )
    assert err.value.field == "occupation"
    p = med.get_case(mctx, no).parties[1]
    med.save_party(mctx, case.id, person("李桂芳", "RESPONDENT", gender="女"), p.id, p.version)
    med.save_party(mctx, case.id, person("王五", "RESPONDENT"))
    # written, not yet signed: saved, but not in force
    med.save_agreement(mctx, case.id, agreement_input(signed_by_parties=False), today=T)
    case = med.get_case(mctx, no)
    assert case.agreement is not None and case.agreement.effective_on is None and case.agreement.copies == 4
    assert case.stage == "PERFORMING" and case.outcome == "SUCCESS"
    with pytest.raises(ValidationError, match="方可生效"):
        med.set_signatures(
            mctx,
            case.id,
            case.agreement.version,
            parties=True,
            mediator=True,
            sealed=False,
            effective_on=D(2026, 3, 22),
            today=T,
        )
    eff = med.set_signatures(
        mctx,
        case.id,
        case.agreement.version,
        parties=True,
        mediator=True,
        sealed=True,
        effective_on=D(2026, 3, 22),
        today=T,
    )
    assert eff == D(2026, 3, 22)
    # closing needs a performance record that is not 履行中
    case = med.get_case(mctx, no)
    med.save_session(
        mctx, case.id, med.SessionInput(dt.datetime(2026, 3, 20, 9), "调解室", "调解过程"), today=T
    )
    case = med.get_case(mctx, no)
    with pytest.raises(ValidationError, match="履行中"):
        med.close_case(mctx, case.id, case.version, D(2026, 5, 1), today=T)


def test_oral_agreement_is_effective_the_day_it_is_reached(mctx, committee) -> None:
    cid, m1, _ = committee
    no = intake(mctx, cid, m1)
    case = med.get_case(mctx, no)
    med.save_agreement(
        mctx, case.id, agreement_input(oral=True, signed_by_parties=False, sealed=False), today=T
    )
    a = med.get_case(mctx, no).agreement
    assert a is not None and a.oral and a.effective_on == D(2026, 3, 20) and a.form_label == "口头"
    items = {i.code: i for i in med.get_case(mctx, no).file_items}
    assert items["AGREEMENT"].title == "人民调解口头协议登记表" and items["AGREEMENT"].present


def test_failure_needs_routes_and_can_close(mctx, committee) -> None:
    cid, m1, _ = committee
    no = intake(mctx, cid, m1)
    case = med.get_case(mctx, no)
    with pytest.raises(ValidationError, match="其他解决途径"):
        med.record_failure(mctx, case.id, case.version, "FAILED", D(2026, 3, 25), "双方分歧过大", today=T)
    med.save_session(
        mctx, case.id, med.SessionInput(dt.datetime(2026, 3, 25, 14), "调解室", "双方各执一词"), today=T
    )
    case = med.get_case(mctx, no)
    med.record_failure(
        mctx,
        case.id,
        case.version,
        "FAILED",
        D(2026, 3, 25),
        "双方分歧过大",
        ["向人民法院起诉", "申请仲裁"],
        today=T,
    )
    case = med.get_case(mctx, no)
    assert case.outcome_label == "调解不成功" and case.routes_open == "向人民法院起诉、申请仲裁"
    assert not next(i for i in case.file_items if i.code == "AGREEMENT").required
    med.close_case(mctx, case.id, case.version, D(2026, 3, 26), today=T)
    assert med.get_case(mctx, no).stage == "CLOSED"


def test_follow_ups_are_scheduled_against_due_dates(mctx, committee) -> None:
    rules = MediationRules()
    made = D(2026, 3, 20)
    assert follow_up_dates([D(2026, 4, 10)], D(2026, 4, 30), made, rules) == [
        D(2026, 4, 17),
        D(2026, 4, 27),
        D(2026, 5, 7),
    ]
    cid, m1, _ = committee
    no = full_case(mctx, cid, m1, close=False)
    case = med.get_case(mctx, no)
    assert [f.due_on for f in case.follow_ups] == [D(2026, 4, 17), D(2026, 4, 27), D(2026, 5, 7)]
    # a changed deadline reschedules the pending visits
    terms = [med.TermInput("被申请人于2026年6月30日前修复防水层并赔偿。", None, D(2026, 6, 30))]
    med.save_agreement(
        mctx,
        case.id,
        agreement_input(terms=terms, performance_deadline=D(2026, 6, 30)),
        version=case.agreement.version,
        today=T,
    )
    follow_ups = med.get_case(mctx, no).follow_ups
    assert [f.due_on for f in follow_ups if not f.cancelled] == [D(2026, 6, 27), D(2026, 7, 7)]
    assert len([f for f in follow_ups if f.cancelled]) == 3  # kept, never deleted


def test_deadline_rules() -> None:
    rules = MediationRules()
    kw = dict(extended_until=None, pending_follow_ups=[], due_dates=[], performance_status=None, rules=rules)
    accepted = D(2026, 11, 1)
    assert (
        dl.case_deadlines(stage="MEDIATING", outcome=None, accepted_on=accepted, today=D(2026, 11, 20), **kw)
        == []
    )
    (d,) = dl.case_deadlines(
        stage="MEDIATING", outcome=None, accepted_on=accepted, today=D(2026, 11, 28), **kw
    )
    assert d.level == "orange" and "还剩 3 天" in d.text
    (d,) = dl.case_deadlines(stage="ACCEPTED", outcome=None, accepted_on=accepted, today=D(2026, 12, 3), **kw)
    assert d.level == "red" and "超期 2 天" in d.text
    kw["extended_until"] = D(2026, 12, 31)
    assert (
        dl.case_deadlines(stage="ACCEPTED", outcome=None, accepted_on=accepted, today=D(2026, 12, 3), **kw)
        == []
    )
    kw.update(extended_until=None, pending_follow_ups=[D(2026, 12, 5)], due_dates=[D(2026, 11, 30)])
    found = dl.case_deadlines(
        stage="PERFORMING", outcome="SUCCESS", accepted_on=accepted, today=D(2026, 12, 3), **kw
    )
    assert [(x.kind, x.level) for x in found] == [("follow_up", "yellow"), ("performance", "red")]
    kw["performance_status"] = "PERFORMED"
    found = dl.case_deadlines(
        stage="PERFORMING", outcome="SUCCESS", accepted_on=accepted, today=D(2026, 12, 3), **kw
    )
    assert [x.kind for x in found] == ["follow_up"]
    assert (
        dl.case_deadlines(stage="CLOSED", outcome="SUCCESS", accepted_on=accepted, today=D(2027, 1, 3), **kw)
        == []
    )


def test_case_list_shows_deadlines_and_json(mctx, committee) -> None:
    cid, m1, _ = committee
    full_case(mctx, cid, m1)
    late = intake(mctx, cid, m1, accepted_on=D(2026, 10, 1))
    rows = med.list_cases(mctx, today=T)
    by_no = {r.case_no: r for r in rows}
    assert by_no[late].level == "red" and "超期" in by_no[late].deadline_text
    assert [r.case_no for r in med.list_cases(mctx, med.CaseFilter(warnings_only=True), today=T)] == [late]
    assert [r.case_no for r in med.list_cases(mctx, med.CaseFilter(text="李桂芳"), today=T)] == [
        late,
        rows[1].case_no,
    ]
    data = med.case_list_json(rows)
    done = next(d for d in data if d["agreement_no"])
    assert done["accepted_on"] == "2026-03-02" and done["agreement_effective_on"] == "2026-03-20"
    assert (
        done["result"] == "调解成功"
        and done["agreement_form"] == "书面"
        and done["dispute_type"] == "邻里纠纷"
    )
    assert next(d for d in data if d["case_no"] == late)["agreement_effective_on"] is None


def test_dashboard_shows_mediation_deadlines(mctx, committee) -> None:
    from desktop.services.dashboard import street_figures

    cid, m1, _ = committee
    full_case(mctx, cid, m1, close=False)  # performance due 2026-04-30, visits from 2026-04-17
    late = intake(mctx, cid, m1, accepted_on=D(2026, 10, 1))
    warnings = [w for w in street_figures(mctx, today=T).warnings if w.area == "mediation"]
    texts = {w.level: w.text for w in warnings}
    assert "超过调解期限" in texts["red"] or any("超过调解期限" in w.text for w in warnings)
    assert any(late in w.text for w in warnings if "调解期限" in w.text)
    assert any("履行期限" in w.text and w.level == "red" for w in warnings)
    assert any("回访已逾期" in w.text and w.level == "orange" for w in warnings)
    assert not [w for w in street_figures(mctx, today=D(2026, 3, 25)).warnings if w.area == "mediation"]


def test_dispute_type_dictionary_is_data(mctx, committee) -> None:
    cid, m1, _ = committee
    no = intake(mctx, cid, m1, dispute_type="物业纠纷")
    types = med.parse_dispute_types("邻里纠纷：噪音、漏水\n 婚姻家庭 ：赡养，抚养\n")
    assert [(t.code, t.label, t.subtypes) for t in types] == [
        ("邻里", "邻里纠纷", ("噪音", "漏水")),
        ("婚姻家庭", "婚姻家庭纠纷", ("赡养", "抚养")),
    ]
    med.save_dispute_types(mctx, types)
    assert [t.label for t in med.dispute_types(mctx)] == ["邻里纠纷", "婚姻家庭纠纷"]
    assert med.get_case(mctx, no).dispute_type_label == "物业纠纷"  # an old case keeps its type
    with pytest.raises(ValidationError, match="不在纠纷类型字典中"):
        intake(mctx, cid, m1, dispute_type="物业纠纷")
    med.save_dispute_types(mctx, med.parse_dispute_types("物业纠纷\n邻里纠纷：噪音"))
    assert [(t.label, t.subtypes) for t in med.dispute_types(mctx)] == [
        ("物业纠纷", ()),
        ("邻里纠纷", ("噪音",)),
    ]
    with pytest.raises(ValidationError, match="至少"):
        med.parse_dispute_types("  \n")
