"""党建 rules at their boundaries: dues bands, stage gaps, branch thresholds, term expiry, meetings, 失联."""

from __future__ import annotations

import datetime as dt

import pytest

from db.schema.party import MeetingKind, MemberStage
from desktop.core.errors import ValidationError
from desktop.services.party import rules
from desktop.services.party.common import add_months, add_years, parse_yuan, shift_month, yuan
from desktop.services.party.rules import DuesBand, K, Sponsor, StepProposal, StepRecord

D = dt.date
FROM = D(2008, 4, 1)
BANDS = [
    *(
        DuesBand(cat, lo, hi, bp, None, FROM)
        for cat in ("IN_WORK", "ANNUAL_SALARY", "SELF_EMPLOYED")
        for lo, hi, bp in (
            (None, 300_000, 50),
            (300_000, 500_000, 100),
            (500_000, 1_000_000, 150),
            (1_000_000, None, 200),
        )
    ),
    DuesBand("RETIRED", None, 500_000, 50, None, FROM),
    DuesBand("RETIRED", 500_000, None, 100, None, FROM),
    DuesBand("FARMER", None, None, None, 20, FROM),
    *(
        DuesBand(cat, None, None, None, 20, FROM)
        for cat in ("STUDENT", "UNEMPLOYED", "RELIEF", "SUBSISTENCE")
    ),
]
ON = D(2026, 11, 1)


def dues(category: str, base_yuan: float | None, **kw: object) -> int | None:
    base = None if base_yuan is None else round(base_yuan * 100)
    return rules.monthly_dues(category, base, BANDS, ON, **kw).amount_fen


# ---------------------------------------------------------------- dates and money helpers


def test_add_months_and_years_clamp_to_month_end() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2026, 1, 15), -2) == D(2025, 11, 15)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert shift_month("2025-12", 1) == "2026-01" and shift_month("2026-01", -1) == "2025-12"


def test_money_parsing_and_formatting() -> None:
    assert parse_yuan("3,500.5") == 350050
    assert parse_yuan("¥12") == 1200 and parse_yuan(" ") is None and parse_yuan(0.2) == 20
    for bad in ("-1", "abc", "1.234"):
        with pytest.raises(ValidationError):
            parse_yuan(bad)
    assert yuan(123450) == "¥1,234.50" and yuan(20) == "¥0.20" and yuan(None) == ""


# ---------------------------------------------------------------- dues bands (2008 党费规定)


@pytest.mark.parametrize(
    ("base", "expected_fen"),
    [
        (3000.00, 1500),  # ≤3000 (含): 0.5% → 15.00
        (3000.01, 3000),  # just above: 1% on the whole amount (flat, not progressive) → 30.0001 → 30.00
        (5000.00, 5000),  # ≤5000 (含): 1% → 50.00
        (5000.01, 7500),  # 1.5% → 75.00015 → 75.00
        (10000.00, 15000),  # ≤10000 (含): 1.5% → 150.00
        (10000.01, 20000),  # >10000: 2% → 200.0002 → 200.00
        (2999.99, 1500),  # 14.99995 → rounded half up to 15.00
        (0, 0),
    ],
)
def test_in_work_bands_edges(base: float, expected_fen: int) -> None:
    assert dues("IN_WORK", base) == expected_fen


def test_annual_salary_and_self_employed_use_the_same_table() -> None:
    assert dues("ANNUAL_SALARY", 5000) == dues("SELF_EMPLOYED", 5000) == 5000


@pytest.mark.parametrize(
    ("base", "expected_fen"), [(5000.00, 2500), (5000.01, 5000), (3000, 1500), (8000, 8000)]
)
def test_retiree_bands_edge_at_5000(base: float, expected_fen: int) -> None:
    assert dues("RETIRED", base) == expected_fen


@pytest.mark.parametrize("category", ["STUDENT", "UNEMPLOYED", "RELIEF", "SUBSISTENCE", "FARMER"])
def test_fixed_amounts_ignore_the_base(category: str) -> None:
    assert dues(category, None) == 20
    assert dues(category, 20000) == 20


def test_missing_base_reduction_and_newer_table() -> None:
    q = rules.monthly_dues("IN_WORK", None, BANDS, ON)
    assert q.amount_fen is None and "未填写" in q.explanation
    assert dues("IN_WORK", 8000, reduced_fen=0) == 0  # hardship: approved reduction wins
    newer = [*BANDS, DuesBand("IN_WORK", None, None, 100, None, D(2027, 1, 1))]
    assert rules.monthly_dues("IN_WORK", 300_000, newer, D(2026, 12, 1)).amount_fen == 1500
    assert rules.monthly_dues("IN_WORK", 300_000, newer, D(2027, 1, 1)).amount_fen == 3000
    assert rules.monthly_dues("IN_WORK", 300_000, BANDS, D(2008, 3, 1)).amount_fen is None  # before any table


def test_paid_through_and_owed_months() -> None:
    paid = {"2026-01", "2026-02", "2026-03", "2026-05"}
    assert rules.paid_through("2026-01", paid) == "2026-03"
    assert rules.paid_through("2025-12", paid) is None
    today = D(2026, 7, 15)  # July not owed yet
    assert rules.owed_months("2026-01", paid, today) == ["2026-04", "2026-06"]
    assert rules.owed_months("2026-07", paid, today) == []
    assert rules.longest_unpaid_run(["2026-01", "2026-02", "2026-04", "2026-05", "2026-06"]) == 3


# ---------------------------------------------------------------- branch thresholds and terms (支部工作条例)


def codes(warnings: list[rules.OrgWarning]) -> set[str]:
    return {w.code for w in warnings}


TODAY = D(2026, 11, 23)
TERM = D(2024, 1, 1)


@pytest.mark.parametrize(("full", "few"), [(2, True), (3, False)])
def test_branch_needs_three_full_members(full: int, few: bool) -> None:
    found = rules.org_warnings("BRANCH", full, {"SECRETARY"}, TERM, 5, TODAY)
    assert ("few_members" in codes(found)) is few
    if few:
        assert "现有 2 名" in next(w.text for w in found if w.code == "few_members")


@pytest.mark.parametrize(("full", "needs"), [(6, False), (7, True)])
def test_seven_full_members_need_a_committee(full: int, needs: bool) -> None:
    found = rules.org_warnings("BRANCH", full, {"SECRETARY", "DEPUTY"}, TERM, 5, TODAY)
    assert ("no_committee" in codes(found)) is needs
    if needs:
        text = next(w.text for w in found if w.code == "no_committee")
        assert "组织委员、宣传委员、纪检委员" in text
    full_committee = {"SECRETARY", "ORGANISATION", "PUBLICITY", "DISCIPLINE"}
    assert "no_committee" not in codes(rules.org_warnings("BRANCH", full, full_committee, TERM, 5, TODAY))


def test_missing_secretary_and_groups() -> None:
    assert "no_secretary" in codes(rules.org_warnings("BRANCH", 5, set(), TERM, 5, TODAY))
    assert codes(rules.org_warnings("GROUP", 1, {"GROUP_LEADER"}, None, 5, TODAY)) == set()


def test_term_expires_on_the_day() -> None:
    start = D(2021, 11, 23)
    on_day = rules.org_warnings("BRANCH", 5, {"SECRETARY"}, start, 5, D(2026, 11, 23))
    day_before = rules.org_warnings("BRANCH", 5, {"SECRETARY"}, start, 5, D(2026, 11, 22))
    assert "term_expired" in codes(on_day)
    assert "2026-11-23" in next(w.text for w in on_day if w.code == "term_expired")
    assert "term_expired" not in codes(day_before) and "term_ending" in codes(day_before)
    assert not {"term_expired", "term_ending"} & codes(
        rules.org_warnings("BRANCH", 5, {"SECRETARY"}, start, 5, D(2026, 8, 24))
    )
    # a three-year term ends three years on
    assert "term_expired" in codes(rules.org_warnings("BRANCH", 5, {"SECRETARY"}, D(2023, 11, 23), 3, TODAY))
    assert "no_term" in codes(rules.org_warnings("BRANCH", 5, {"SECRETARY"}, None, 5, TODAY))


# ---------------------------------------------------------------- recruitment gaps (发展党员工作细则)

BIRTH = D(1995, 6, 10)
APPLIED = D(2024, 1, 10)
HISTORY_ACTIVIST = [
    StepRecord(K.APPLICATION, APPLIED),
    StepRecord(K.TALK, D(2024, 2, 1)),
    StepRecord(K.ACTIVIST, D(2025, 3, 1)),
]


def check(
    history: list[StepRecord], kind: str, on: dt.date, today: dt.date = TODAY, **kw: object
) -> list[str]:
    return rules.check_step(history, StepProposal(kind, on, **kw), today, BIRTH)


def test_candidate_exactly_one_year_after_activist() -> None:
    assert check(HISTORY_ACTIVIST, K.CANDIDATE, D(2026, 3, 1)) == []
    with pytest.raises(ValidationError) as err:
        check(HISTORY_ACTIVIST, K.CANDIDATE, D(2026, 2, 28))
    assert str(err.value) == "确定为发展对象须在列为入党积极分子满一年后（最早 2026-03-01）"


def test_applicant_must_be_eighteen_on_the_day() -> None:
    born = D(2008, 12, 1)
    ok = rules.check_step([], StepProposal(K.APPLICATION, D(2026, 12, 1)), D(2026, 12, 1), born)
    assert ok == []
    with pytest.raises(ValidationError, match=r"年满 18 周岁.*最早 2026-12-01"):
        rules.check_step([], StepProposal(K.APPLICATION, D(2026, 11, 30)), D(2026, 12, 1), born)


def test_talk_within_one_month_is_a_warning_not_a_refusal() -> None:
    app = [StepRecord(K.APPLICATION, D(2026, 1, 10))]
    assert check(app, K.TALK, D(2026, 2, 10)) == []
    late = check(app, K.TALK, D(2026, 2, 11))
    assert late and "2026-02-10" in late[0]
    with pytest.raises(ValidationError, match="不能早于"):
        check(app, K.TALK, D(2026, 1, 9))


def test_steps_in_order_and_not_twice() -> None:
    with pytest.raises(ValidationError, match="须先完成：党组织派人谈话"):
        check([StepRecord(K.APPLICATION, APPLIED)], K.ACTIVIST, D(2024, 3, 1), mentors=1)
    with pytest.raises(ValidationError, match="已记录过"):
        check(HISTORY_ACTIVIST, K.TALK, D(2024, 3, 1))
    with pytest.raises(ValidationError, match="培养联系人"):
        check(HISTORY_ACTIVIST[:2], K.ACTIVIST, D(2024, 3, 1), mentors=0)
    with pytest.raises(ValidationError, match="晚于今天"):
        check(HISTORY_ACTIVIST, K.CANDIDATE, TODAY + dt.timedelta(days=1))


CANDIDATE = [*HISTORY_ACTIVIST, StepRecord(K.CANDIDATE, D(2026, 3, 1))]


@pytest.mark.parametrize(("days", "hours", "ok"), [(3, 0, True), (0, 24, True), (2, 23, False)])
def test_training_three_days_or_24_hours(days: int, hours: int, ok: bool) -> None:
    if ok:
        assert check(CANDIDATE, K.TRAINING, D(2026, 4, 1), training_days=days, training_hours=hours) == []
    else:
        with pytest.raises(ValidationError, match="不少于 3 天或 24 学时（本次 2 天、23 学时）"):
            check(CANDIDATE, K.TRAINING, D(2026, 4, 1), training_days=days, training_hours=hours)


def test_two_full_member_sponsors() -> None:
    full = Sponsor("王建国", MemberStage.FULL)
    assert (
        check(CANDIDATE, K.SPONSORS, D(2026, 4, 1), sponsors=(full, Sponsor("李红", MemberStage.FULL))) == []
    )
    with pytest.raises(ValidationError, match="2 名正式党员"):
        check(CANDIDATE, K.SPONSORS, D(2026, 4, 1), sponsors=(full,))
    with pytest.raises(ValidationError, match="李红不是正式党员"):
        check(
            CANDIDATE, K.SPONSORS, D(2026, 4, 1), sponsors=(full, Sponsor("李红", MemberStage.PROBATIONARY))
        )


READY = [
    *CANDIDATE,
    StepRecord(K.VETTING, D(2026, 4, 1), valid_until=D(2027, 4, 1)),
    StepRecord(K.TRAINING, D(2026, 4, 5), training_days=3),
    StepRecord(K.SPONSORS, D(2026, 4, 10)),
]


def test_pre_review_needs_vetting_training_and_sponsors() -> None:
    with pytest.raises(ValidationError, match="须先完成：集中培训"):
        check([s for s in READY if s.kind != K.TRAINING], K.PRE_REVIEW, D(2026, 5, 1))
    assert check(READY, K.PRE_REVIEW, D(2026, 5, 1)) == []


MEETING = [*READY, StepRecord(K.PRE_REVIEW, D(2026, 5, 1))]


@pytest.mark.parametrize(
    ("entitled", "votes", "ok"), [(12, 7, True), (12, 6, False), (11, 6, True), (11, 5, False)]
)
def test_branch_meeting_needs_more_than_half(entitled: int, votes: int, ok: bool) -> None:
    kw = {"entitled": entitled, "present": entitled, "votes_for": votes}
    if ok:
        assert check(MEETING, K.BRANCH_MEETING, D(2026, 6, 1), **kw) == []
    else:
        with pytest.raises(ValidationError, match="超过应到会有表决权正式党员的半数"):
            check(MEETING, K.BRANCH_MEETING, D(2026, 6, 1), **kw)
    with pytest.raises(ValidationError, match="会议无效"):
        check(MEETING, K.BRANCH_MEETING, D(2026, 6, 1), entitled=12, present=6, votes_for=6)


PROBATION = [*MEETING, StepRecord(K.BRANCH_MEETING, D(2025, 6, 1))]
APPROVED = [*PROBATION, StepRecord(K.APPROVAL, D(2025, 7, 1))]


def test_approval_within_three_months_warned_six_refused() -> None:
    assert check(PROBATION, K.APPROVAL, D(2025, 9, 1), today=D(2026, 1, 1)) == []
    assert check(PROBATION, K.APPROVAL, D(2025, 9, 2), today=D(2026, 1, 1))  # warning
    assert check(PROBATION, K.APPROVAL, D(2025, 12, 1), today=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="最迟 2025-12-01"):
        check(PROBATION, K.APPROVAL, D(2025, 12, 2), today=D(2026, 1, 1))


def test_confirmation_exactly_one_year_after_the_branch_meeting() -> None:
    votes = {"entitled": 10, "present": 9, "votes_for": 8}
    assert check(APPROVED, K.CONFIRMATION, D(2026, 6, 1), **votes) == []
    with pytest.raises(ValidationError, match=r"预备期满 2026-06-01"):
        check(APPROVED, K.CONFIRMATION, D(2026, 5, 31), **votes)


def test_extension_between_six_and_twelve_months_moves_confirmation() -> None:
    with pytest.raises(ValidationError, match="2026-12-01 至 2027-06-01"):
        check(APPROVED, K.EXTENSION, D(2026, 6, 1), valid_until=D(2026, 11, 30), reason="考察")
    assert check(APPROVED, K.EXTENSION, D(2026, 6, 1), valid_until=D(2026, 12, 1), reason="考察") == []
    extended = [*APPROVED, StepRecord(K.EXTENSION, D(2026, 6, 1), valid_until=D(2026, 12, 1))]
    assert rules.probation_end(extended) == D(2026, 12, 1)
    with pytest.raises(ValidationError, match="预备期满 2026-12-01"):
        check(extended, K.CONFIRMATION, D(2026, 11, 30), today=D(2027, 1, 1), entitled=10, votes_for=8)
    with pytest.raises(ValidationError, match="只能延长一次"):
        check(extended, K.EXTENSION, D(2026, 7, 1), valid_until=D(2027, 1, 1), reason="x")


def test_cancelled_stops_the_track() -> None:
    with pytest.raises(ValidationError, match="原因"):
        check(HISTORY_ACTIVIST, K.CANCELLED, D(2026, 1, 1))
    cancelled = [*HISTORY_ACTIVIST, StepRecord(K.CANCELLED, D(2026, 1, 1))]
    with pytest.raises(ValidationError, match="不能继续"):
        check(cancelled, K.CANDIDATE, D(2026, 3, 1))
    assert rules.due_steps(cancelled, TODAY) == []


def test_due_steps_say_what_and_when() -> None:
    app = [StepRecord(K.APPLICATION, D(2026, 11, 1))]
    (talk,) = rules.due_steps(app, TODAY)
    assert (talk.kind, talk.deadline, talk.state) == (K.TALK, D(2026, 12, 1), "due")
    (late,) = rules.due_steps(app, D(2026, 12, 2))
    assert late.state == "overdue"
    (cand,) = rules.due_steps(HISTORY_ACTIVIST, D(2026, 2, 28))
    assert (cand.kind, cand.earliest, cand.state, cand.when) == (
        K.CANDIDATE,
        D(2026, 3, 1),
        "waiting",
        "2026-03-01 起",
    )
    assert rules.due_steps(HISTORY_ACTIVIST, D(2026, 3, 1))[0].state == "due"
    assert [d.kind for d in rules.due_steps(CANDIDATE, TODAY)] == [K.VETTING, K.TRAINING, K.SPONSORS]
    steps = rules.due_steps(APPROVED, D(2026, 1, 1))
    assert [d.kind for d in steps] == [K.OATH, K.CONFIRMATION]
    assert steps[1].earliest == D(2026, 6, 1) and steps[1].state == "waiting"


# ---------------------------------------------------------------- meetings (支部工作条例)


def test_monthly_meeting_overdue_when_last_month_had_none() -> None:
    today = D(2026, 11, 23)
    held = [D(2026, m, 15) for m in range(1, 10)]  # Jan–Sep; none in October or November
    due = rules.meeting_due(MeetingKind.THEME_DAY, rules.MONTH, held, today)
    assert due.overdue and due.overdue_period == "2026年10月"
    assert due.text == "2026年10月未开展主题党日"
    assert due.missed_12m == 3  # Dec 2025 (none), Oct 2026 … and Nov 2025
    ok = rules.meeting_due(MeetingKind.THEME_DAY, rules.MONTH, [*held, D(2026, 10, 31)], today)
    assert not ok.overdue and not ok.held_this_period and ok.text == "2026年11月尚未开展主题党日"


def test_quarterly_and_yearly_periods_and_founding() -> None:
    today = D(2026, 11, 23)
    q = rules.meeting_due(MeetingKind.MEMBER_ASSEMBLY, rules.QUARTER, [D(2026, 6, 30)], today)
    assert q.overdue_period == "2026年第三季度"
    assert not rules.meeting_due(MeetingKind.MEMBER_ASSEMBLY, rules.QUARTER, [D(2026, 7, 1)], today).overdue
    y = rules.meeting_due(MeetingKind.LIFE_MEETING, rules.YEAR, [D(2024, 12, 20)], today)
    assert y.overdue_period == "2025年度"
    # a branch founded this year is not blamed for last year
    assert not rules.meeting_due(MeetingKind.LIFE_MEETING, rules.YEAR, [], today, since=D(2026, 3, 1)).overdue


def test_required_meetings_depend_on_the_committee() -> None:
    assert MeetingKind.COMMITTEE not in rules.required_meetings("BRANCH", with_committee=False)
    assert MeetingKind.COMMITTEE in rules.required_meetings("BRANCH", with_committee=True)
    assert rules.required_meetings("GROUP", False) == [MeetingKind.GROUP]


# ---------------------------------------------------------------- 失联


def test_lost_contact_after_six_months_on_the_day() -> None:
    rules.check_lost_contact(D(2026, 5, 23), D(2026, 11, 23))
    with pytest.raises(ValidationError, match="最早 2026-11-24"):
        rules.check_lost_contact(D(2026, 5, 24), D(2026, 11, 23))
