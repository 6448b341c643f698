"""司法确认 services: starting a track (and refusing), the checklist, court dates, referrals, warnings."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from db.schema.judicial import CourtReferral, JudicialConfirmation
from desktop.core.errors import ConflictError, ValidationError
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial.queries import confirmation_by_case

from .test_mediation_helpers import D, agreement_input, full_case, intake, person, setup_committee

T = D(2026, 11, 23)
COURT = "嘉峪关市城区人民法院"


@pytest.fixture
def jctx(street_ctx: ServiceContext) -> ServiceContext:
    jc.save_court_settings(street_ctx, jc.CourtSettings(COURT))
    return street_ctx


@pytest.fixture
def settled(jctx: ServiceContext) -> str:
    """A case with a written agreement made and effective on 2026-03-20 (deadline 04-19 → Monday 04-20)."""
    cid, m1, _ = setup_committee(jctx)
    return full_case(jctx, cid, m1, close=False)


def agreement_on(made_on: dt.date, **kw: object) -> med.AgreementInput:
    """The helpers' agreement, made (and effective) on ``made_on``, performance 20 and 40 days later."""
    due1, due2 = made_on + dt.timedelta(days=20), made_on + dt.timedelta(days=40)
    terms = [
        med.TermInput("被申请人自费修复卫生间防水层。", None, due1),
        med.TermInput("被申请人赔偿申请人房屋维修费用人民币贰仟伍佰元。", decimal.Decimal("2500"), due2),
    ]
    return agreement_input(made_on=made_on, terms=terms, performance_deadline=due2, **kw)


def _receive_all(ctx: ServiceContext, track_id: int) -> None:
    for m in jc.get_track(ctx, track_id, T).materials:
        if m.required:
            jc.set_material(ctx, track_id, m.code, True, received_on=D(2026, 3, 25), today=T)


def test_start_computes_deadline_court_and_checklist(jctx, settled) -> None:
    e = jc.check_case(jctx, settled, T)
    assert e.ok and e.deadline == D(2026, 4, 20) and e.court is not None and e.court.court == COURT
    tid = jc.start_confirmation(jctx, settled, today=T)
    t = jc.get_track(jctx, tid, T)
    assert (t.effective_on, t.deadline.day, t.deadline.moved) == (D(2026, 3, 20), D(2026, 4, 20), True)
    assert t.court == COURT and "所在地基层人民法院" in (t.court_basis or "")
    assert t.state == "PREPARING" and t.agreement_no == settled
    codes = [m.code for m in t.materials]
    assert codes[:2] == ["APPLICATION", "AGREEMENT"] and "ID:1" in codes and "ID:2" in codes
    assert codes[-1] == "SERVICE_ADDRESS"
    poa = next(m for m in t.materials if m.code == "POA")
    assert not poa.required  # nobody has an agent
    assert [a.kind for a in t.alerts] == ["deadline"] and t.alerts[0].overdue  # long passed on 11-23
    with jctx.read() as s:
        assert s.scalar(select(AuditRecord).where(AuditRecord.entity == "judicial_confirmation")) is not None
    with pytest.raises(ValidationError, match="已有司法确认记录"):
        jc.start_confirmation(jctx, settled, today=T)


def test_oral_unsigned_and_missing_agreements_are_refused(jctx) -> None:
    cid, m1, _ = setup_committee(jctx)
    bare = intake(jctx, cid, m1)
    with pytest.raises(ValidationError, match="还没有调解协议"):
        jc.start_confirmation(jctx, bare, today=T)
    oral = intake(jctx, cid, m1)
    case = med.get_case(jctx, oral)
    med.save_agreement(jctx, case.id, agreement_input(oral=True), today=T)
    with pytest.raises(ValidationError, match="口头协议不能申请司法确认"):
        jc.start_confirmation(jctx, oral, today=T)
    unsigned = intake(jctx, cid, m1)
    case = med.get_case(jctx, unsigned)
    med.save_agreement(jctx, case.id, agreement_input(sealed=False), today=T)
    assert not jc.check_case(jctx, unsigned, T).ok
    with pytest.raises(ValidationError, match="尚未生效"):
        jc.start_confirmation(jctx, unsigned, today=T)


def test_non_confirmable_subjects_are_refused_with_the_reason(jctx) -> None:
    cid, m1, _ = setup_committee(jctx)
    no = intake(jctx, cid, m1, dispute_type="婚姻家庭", summary="双方因离婚后子女抚养费给付发生纠纷。")
    case = med.get_case(jctx, no)
    med.save_agreement(jctx, case.id, agreement_input(), today=T)
    e = jc.check_case(jctx, no, T)
    assert e.ok and {h.subject for h in e.hints} == {"MARRIAGE"}
    assert "离婚" in next(h.reason for h in e.hints)
    for subject, words in (("MARRIAGE", "婚姻关系"), ("ADOPTION", "收养关系"), ("PROPERTY_TITLE", "物权确权"),
                           ("IP_TITLE", "知识产权确权"), ("PERSONAL_STATUS", "身份关系")):  # fmt: skip
        with pytest.raises(ValidationError, match=words):
            jc.start_confirmation(jctx, no, jc.StartInput(subject=subject), today=T)
    with pytest.raises(ValidationError, match="核对说明") as err:
        jc.start_confirmation(jctx, no, today=T)
    assert err.value.field == "subject_note"
    tid = jc.start_confirmation(
        jctx, no, jc.StartInput(subject_note="只涉及抚养费给付，不确认身份关系"), today=T
    )
    assert jc.get_track(jctx, tid, T).subject_note == "只涉及抚养费给付，不确认身份关系"


def test_filing_acceptance_ruling_and_enforcement(jctx, settled) -> None:
    tid = jc.start_confirmation(jctx, settled, today=T)
    t = jc.get_track(jctx, tid, T)
    filed = jc.TrackInput(court=COURT, filed_on=D(2026, 3, 26))
    with pytest.raises(ValidationError, match="申请材料尚不齐全"):
        jc.save_track(jctx, tid, t.version, filed, today=T)
    _receive_all(jctx, tid)
    t = jc.get_track(jctx, tid, T)
    assert t.missing_materials == []
    jc.save_track(jctx, tid, t.version, filed, today=T)
    t = jc.get_track(jctx, tid, T)
    assert (t.state, t.acceptance_due) == ("FILED", D(2026, 3, 30))  # 03-29 is a Sunday
    with pytest.raises(ValidationError, match="受理案号"):
        jc.save_track(jctx, tid, t.version, jc.TrackInput(court=COURT, filed_on=D(2026, 3, 26),
                                                          accepted_on=D(2026, 3, 27)), today=T)  # fmt: skip
    accepted = jc.TrackInput(
        court=COURT,
        filed_on=D(2026, 3, 26),
        accepted_on=D(2026, 3, 27),
        court_case_no="(2026)甘0202民特 12 号",
    )
    jc.save_track(jctx, tid, t.version, accepted, today=T)
    t = jc.get_track(jctx, tid, T)
    assert t.court_case_no == "（2026）甘0202民特12号" and t.state == "ACCEPTED"
    assert t.ruling_due == D(2026, 4, 13)  # 04-11 Saturday → Monday
    with pytest.raises(ValidationError, match="一并填写"):
        jc.save_track(
            jctx, tid, t.version, jc.TrackInput(**{**accepted.__dict__, "ruling": "VALID"}), today=T
        )
    ruled = jc.TrackInput(**{**accepted.__dict__, "ruling": "VALID", "ruling_on": D(2026, 4, 3)})
    jc.save_track(jctx, tid, t.version, ruled, today=T)
    t = jc.get_track(jctx, tid, T)
    assert (t.state, t.ruling_label) == ("VALID", "裁定有效")
    # performance due 04-30 (the agreement's last term) → 2 years → 2028-04-30 (Sunday) → 05-01
    assert (t.enforcement_from, t.enforcement_limit) == (D(2026, 4, 30), D(2028, 5, 1))
    perf = jc.TrackInput(
        **{**ruled.__dict__, "performance": "NOT_PERFORMED", "performance_on": D(2026, 5, 8)}
    )
    jc.save_track(jctx, tid, t.version, perf, today=T)
    t = jc.get_track(jctx, tid, D(2028, 3, 20))
    assert [a.kind for a in t.alerts] == ["enforcement"]
    enforced = jc.TrackInput(**{**perf.__dict__, "enforcement_applied_on": D(2026, 6, 1)})
    jc.save_track(jctx, tid, t.version, enforced, today=T)
    assert jc.get_track(jctx, tid, D(2028, 3, 20)).alerts == ()
    with pytest.raises(ConflictError):
        jc.save_track(jctx, tid, t.version, enforced, today=T)  # stale version


def test_rejected_ruling_needs_reason_and_follow_up(jctx, settled) -> None:
    tid = jc.start_confirmation(jctx, settled, today=T)
    _receive_all(jctx, tid)
    t = jc.get_track(jctx, tid, T)
    data = jc.TrackInput(court=COURT, filed_on=D(2026, 3, 26), accepted_on=D(2026, 3, 26),
                         court_case_no="（2026）甘0202民特13号", ruling="REJECTED", ruling_on=D(2026, 4, 8))  # fmt: skip
    with pytest.raises(ValidationError, match="驳回理由"):
        jc.save_track(jctx, tid, t.version, data, today=T)
    data.rejection_reason = "协议内容不明确"
    jc.save_track(jctx, tid, t.version, data, today=T)
    t = jc.get_track(jctx, tid, T)
    assert t.state == "REJECTED" and [a.kind for a in t.alerts] == ["rejected"]
    assert [r.id for r in jc.list_tracks(jctx, "RULED", today=T)] == [tid]
    data.rejection_follow_up = "2026-04-15 已组织双方重新调解"
    jc.save_track(jctx, tid, t.version, data, today=T)
    assert jc.get_track(jctx, tid, T).alerts == ()
    # a rejected track no longer blocks a new one (after re-mediation)
    assert jc.check_case(jctx, settled, T).ok


def test_late_application_needs_an_override(jctx, settled) -> None:
    tid = jc.start_confirmation(jctx, settled, today=T)
    _receive_all(jctx, tid)
    t = jc.get_track(jctx, tid, T)
    ok, why = t.can_print_application(T)
    assert not ok and "逾期" in why
    late = jc.TrackInput(court=COURT, filed_on=D(2026, 4, 27))
    with pytest.raises(ValidationError, match="逾期申请的理由"):
        jc.save_track(jctx, tid, t.version, late, today=T)
    with pytest.raises(ValidationError, match="至少"):
        jc.record_late_reason(jctx, tid, t.version, "晚")
    jc.record_late_reason(jctx, tid, t.version, "当事人外出务工，4月24日方返回")
    t = jc.get_track(jctx, tid, T)
    assert t.can_print_application(T) == (True, "")
    jc.save_track(jctx, tid, t.version, late, today=T)
    assert jc.get_track(jctx, tid, T).state == "FILED"
    with jctx.read() as s:
        assert s.scalar(select(AuditRecord.summary).where(AuditRecord.action == "override")).endswith(
            "方返回"
        )


def test_list_filters_and_alert_levels(jctx) -> None:
    cid, m1, _ = setup_committee(jctx)
    made = {}
    for label, eff in (("near", D(2026, 10, 27)), ("urgent", D(2026, 10, 26)), ("late", D(2026, 10, 20)),
                       ("far", D(2026, 11, 20))):  # fmt: skip
        no = intake(jctx, cid, m1, accepted_on=D(2026, 10, 1))
        case = med.get_case(jctx, no)
        med.save_agreement(jctx, case.id, agreement_on(eff), today=T)
        made[label] = jc.start_confirmation(jctx, no, today=T)
    # deadlines: 10-27 + 30 = 11-26 (3 days) … 10-26 → 11-25; 10-20 → 11-19 (passed); 11-20 → 12-21
    rows = {r.id: r for r in jc.list_tracks(jctx, today=D(2026, 11, 16))}
    assert rows[made["near"]].level == "yellow"  # 10 days before 11-26
    assert {r.id for r in jc.list_tracks(jctx, "OVERDUE", today=T)} == {made["late"]}
    assert {r.id for r in jc.list_tracks(jctx, "NEAR", today=T)} == {made["near"], made["urgent"]}
    assert rows[made["far"]].alerts == ()
    assert len(jc.list_tracks(jctx, "PREPARING", today=T)) == 4
    assert jc.list_tracks(jctx, "FILED", today=T) == []
    warnings = jc.dashboard_warnings(jctx, T)
    texts = [w.text for w in warnings]
    assert texts[0].startswith("司法确认申请期限已过 1 件") and warnings[0].level == "red"
    assert any(t.startswith("司法确认申请期限 3 日内届满 2 件") for t in texts)


def test_candidates_and_mediation_list_keys(jctx) -> None:
    cid, m1, _ = setup_committee(jctx)
    no = intake(jctx, cid, m1, accepted_on=D(2026, 11, 2))
    case = med.get_case(jctx, no)
    med.save_agreement(jctx, case.id, agreement_on(D(2026, 11, 5)), today=T)
    [c] = jc.list_candidates(jctx, T)
    assert (c.case_no, c.deadline, c.days_left) == (no, D(2026, 12, 7), 14)  # 12-05 is a Saturday
    assert jc.dashboard_warnings(jctx, T) == []
    assert jc.dashboard_warnings(jctx, D(2026, 11, 30))[0].text.startswith("1 件书面协议")
    other = intake(jctx, cid, m1)
    with jctx.read() as s:
        found = confirmation_by_case(s, [case.id, med.get_case(jctx, other).id], T)
    assert found == {case.id: (D(2026, 12, 7), "未申请")}
    jc.start_confirmation(jctx, no, today=T)
    assert jc.list_candidates(jctx, T) == []
    with jctx.read() as s:
        assert confirmation_by_case(s, [case.id], T) == {case.id: (D(2026, 12, 7), "准备申请")}


def test_referral_deadline_extension_result_and_link(jctx) -> None:
    cid, m1, _ = setup_committee(jctx)
    data = jc.ReferralInput("嘉峪关市城区人民法院", "（2026）甘0202民诉前调1088号", D(2026, 10, 30), D(2026, 11, 2),
                            judge="刘法官", parties="张建华、李桂芳", matter="相邻关系纠纷")  # fmt: skip
    rid = jc.save_referral(jctx, data, today=T)
    r = jc.get_referral(jctx, rid, T)
    assert r.deadline == D(2026, 12, 2) and r.state_label == "调解中" and r.alerts[0].level == "yellow"
    data.extension_days = 20
    with pytest.raises(ValidationError, match="批准"):
        jc.save_referral(jctx, data, rid, r.version, today=T)
    data.extension_approved_on, data.extension_note = D(2026, 11, 20), "经双方申请，刘法官批准延长20日"
    data.extension_days = 31
    with pytest.raises(ValidationError, match="最多 30 日"):
        jc.save_referral(jctx, data, rid, r.version, today=T)
    data.extension_days = 20
    jc.save_referral(jctx, data, rid, r.version, today=T)
    r = jc.get_referral(jctx, rid, T)
    assert r.deadline == D(2026, 12, 22) and r.alerts == ()
    with pytest.raises(ConflictError, match="已登记"):
        jc.save_referral(
            jctx, jc.ReferralInput("嘉峪关市城区人民法院", r.referral_no, D(2026, 11, 1)), today=T
        )
    # the case it became: a confirmation goes to the referring court, the 诉前调确 number flows back
    no = full_case(jctx, cid, m1, close=False)
    data.case_no, data.result, data.result_on = no, "SUCCESS", D(2026, 11, 20)
    jc.save_referral(jctx, data, rid, r.version, today=T)
    assert [a.kind for a in jc.get_referral(jctx, rid, T).alerts] == ["report_back"]
    tid = jc.start_confirmation(jctx, no, today=T)
    t = jc.get_track(jctx, tid, T)
    assert (
        t.court == "嘉峪关市城区人民法院"
        and "委派" in (t.court_basis or "")
        and t.referral_no == r.referral_no
    )
    _receive_all(jctx, tid)
    jc.record_late_reason(jctx, tid, t.version, "委派案件，法院通知补充申请")
    t = jc.get_track(jctx, tid, T)
    jc.save_track(jctx, tid, t.version, jc.TrackInput(court=t.court, filed_on=D(2026, 11, 20), accepted_on=D(2026, 11, 20),
                                                      court_case_no="（2026）甘0202诉前调确5号"), today=T)  # fmt: skip
    assert jc.get_referral(jctx, rid, T).confirmation_no == "（2026）甘0202诉前调确5号"
    assert [x.id for x in jc.list_referrals(jctx, "DONE", today=T)] == [rid]


def test_closing_and_retiring_a_track(jctx, settled) -> None:
    tid = jc.start_confirmation(jctx, settled, today=T)
    t = jc.get_track(jctx, tid, T)
    with pytest.raises(ValidationError, match="尚未申请"):
        jc.close_track(jctx, tid, t.version, "NOT_ACCEPTED", "不属于本院管辖", today=T)
    jc.close_track(jctx, tid, t.version, "WITHDRAWN", "当事人已当场履行完毕，不再申请", today=T)
    t = jc.get_track(jctx, tid, T)
    assert t.state == "WITHDRAWN" and t.alerts == ()
    with pytest.raises(ValidationError, match="不能再修改"):
        jc.save_track(jctx, tid, t.version, jc.TrackInput(court=COURT), today=T)
    jc.retire_track(jctx, tid, t.version, "重复登记")
    assert jc.list_tracks(jctx, today=T) == []
    with jctx.read() as s:
        assert s.get(JudicialConfirmation, tid) is not None  # kept, never deleted
        assert s.scalar(select(CourtReferral)) is None


def test_unknown_case_and_person_party_ok(jctx) -> None:
    with pytest.raises(Exception, match="找不到案件"):
        jc.start_confirmation(jctx, "（2026）新华社区人调字第999号", today=T)
    assert person("王五").name == "王五"  # helper sanity: parties are persons by default
    assert dt.date(2026, 11, 23) == T


def test_mediation_list_json_has_the_confirmation_keys(jctx, settled) -> None:
    rows = med.case_list_json(med.list_cases(jctx, today=T, confirmations=confirmation_by_case))
    [row] = rows
    assert (row["confirmation_deadline"], row["confirmation_state"]) == ("2026-04-20", "逾期未申请")
    jc.start_confirmation(jctx, settled, today=T)
    [row] = med.case_list_json(med.list_cases(jctx, today=T, confirmations=confirmation_by_case))
    # a track started after the window closed, never filed: the window still lapsed unused (the 月报's rule)
    assert (row["confirmation_deadline"], row["confirmation_state"]) == ("2026-04-20", "逾期未申请")
    cid = med.list_committees(jctx)[0].id
    intake(jctx, cid)
    states = [
        r["confirmation_state"]
        for r in med.case_list_json(med.list_cases(jctx, today=T, confirmations=confirmation_by_case))
    ]
    assert states == [None, "逾期未申请"]
    # inside the window the track shows its state
    early = D(2026, 4, 1)
    [_new, row] = med.case_list_json(med.list_cases(jctx, today=early, confirmations=confirmation_by_case))
    assert row["confirmation_state"] == "准备申请"


def test_warnings_reach_the_dashboard(jctx, settled) -> None:
    from desktop.services.dashboard import street_figures

    jc.start_confirmation(jctx, settled, today=T)
    court = [w for w in street_figures(jctx, D(2026, 4, 17)).warnings if w.area == "court"]
    assert [(w.level, w.text.split("：")[0]) for w in court] == [
        ("red", "司法确认申请期限 3 日内届满 1 件，最早 04月20日")
    ]
    assert settled in court[0].text
    late = [w for w in street_figures(jctx, T).warnings if w.area == "court"]
    assert late[0].text.startswith("司法确认申请期限已过 1 件")
