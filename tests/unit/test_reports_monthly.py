"""The monthly report on the KNOWN dataset (tests/unit/test_reports_dataset.py): every indicator checked.

Expected figures are worked out by hand from the dataset; the comments say which records make them.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from sqlalchemy import select

from db.schema.party import PartyOrg
from desktop.core.errors import NotFoundError, ValidationError
from desktop.services.mediation.dictionary import DEFAULT_DISPUTE_TYPES
from desktop.services.party import rules
from desktop.services.party.meetings import meeting_overview
from desktop.services.reports import MonthlyReport, monthly_report
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

Dec = decimal.Decimal


@pytest.fixture
def known(street_ctx: Any) -> Any:
    build_known_dataset(street_ctx)
    return street_ctx


@pytest.fixture
def street(known: Any) -> MonthlyReport:
    return monthly_report(known, MONTH, today=TODAY)


def values(report: MonthlyReport) -> dict[str, Any]:
    return {r.key: r.value for r in report.indicators()}


STREET = {
    # 党组织: 党工委, 社区党委, 网格党支部, 党小组 exist at the end of October; 朝阳社区党支部 only from
    # November, 朝阳旧支部 dissolved in September. The total counts base organisations only (社区党委,
    # 网格党支部): not the 党小组, not the 党工委
    "party.orgs": 2,
    "party.orgs.WORKING_COMMITTEE": 1,
    "party.orgs.COMMITTEE": 1,
    "party.orgs.GENERAL_BRANCH": 0,
    "party.orgs.BRANCH": 1,
    "party.orgs.GROUP": 1,
    "party.orgs_in_grids": 1,
    "party.grid_coverage": pytest.approx(1 / 3),
    # 党员一、二、五（转出于11月）、八、九 full; 党员三 (joined in October) and 党员四 (转正 in November)
    # probationary; 党员六 died in September, 党员十 transferred in in November, 未来党员 joined in November
    "party.members": 7,
    "party.members.full": 5,
    "party.members.probationary": 2,
    "party.members.mobile": 1,
    "party.members.lost": 1,
    "party.check_ins": 1,
    "party.joined": 1,
    "party.confirmed": 1,
    # 三会一课: required of 社区党委 支委会; 网格党支部 (委员配齐) 主题党日, 支委会, 党员大会, 党课, 组织生活会,
    # 民主评议; 党小组 党小组会. Held: 主题党日 (also 党员大会 and 党课), 社区党委 支委会, 组织生活会 (March).
    # Due in October (monthly kinds only): 主题党日 1/1, 支委会 1/2, 党小组会 0/1 = 2 of 4
    "party.meetings.THEME_DAY": 1,
    "party.meetings.COMMITTEE": 1,
    "party.meetings.GROUP": 0,
    "party.meetings.MEMBER_ASSEMBLY": 1,
    "party.meetings.LECTURE": 1,
    "party.meetings.LIFE_MEETING": 1,
    "party.meetings.APPRAISAL": 0,
    "party.meetings.total": 2,
    "party.meetings.held": 2,  # 主题党日 10-12, 社区党委 支委会 10-05 (the 党小组会 was voided)
    # 党费: due = the 7 members except 党员八 (起缴 2026-11) = 6; paid for October by the month's end:
    # 党员一 (5.00) and 党员五 (1.00, paid in advance); 党员二 paid and reversed; 党员三 paid in November
    "party.dues.due": 6,
    "party.dues.paid": 2,
    "party.dues.rate": pytest.approx(2 / 6),
    "party.dues.for_month": Dec("6.00"),
    "party.dues.received": Dec("116.00"),  # 5 + 3 − 3 + 4 (September's, paid in October) + 100 + 7
    "party.dues.extra": Dec("100.00"),
    # residents 在册 at the end of October: 张一, 张二, 李三, 赵五 (moved in November), 孙七
    "population.total": 5,
    "population.registered": 4,
    "population.floating": 1,
    "population.floating_share": pytest.approx(0.2),
    "population.households": 3,
    "population.linked_rate": pytest.approx(0.8),  # 赵五 has no household
    "population.in_grid_rate": pytest.approx(0.8),  # nor a grid
    # 在册 at the end of September: the five above, 王四 (died in October) and 周八 (moved in October);
    # 7 − 1 moved − 1 died = 5: stock and flow agree (no population.unrecorded row)
    "population.opening": 7,
    "population.moved_out": 1,  # 周八
    "population.left": 0,  # 钱六 left in September
    "population.deceased": 1,  # 王四
    "population.restored": 0,  # 周八 came back in November
    "population.tier_changes": 1,  # 孙七
    "population.special.total": 3,  # 张一, 李三, 孙七 (王四 died)
    "population.special.独居老人": 2,
    "population.special.残疾人": 1,
    "population.special.刑满释放人员": 1,
    "population.special.吸毒人员": 0,
    "population.tier.GREEN": 3,  # 张一, 孙七, 赵五 (RED only since November)
    "population.tier.BLUE": 1,
    "population.tier.ORANGE": 1,
    "population.tier.RED": 0,
    # mediation, October 2026: received C1–C5 (C6 voided); concluded C1, C2, C3 (failed), C7 (received in
    # September); settled C1, C2, C7; performed C1, C7 (C2 in November); confirmed C1 (the second, voided
    # track does not count); amount 5000 + 0 + 1234.56; pending at the end C4, C5 (settled in November)
    "mediation.received": 5,
    "mediation.concluded": 4,
    "mediation.settled": 3,
    "mediation.written": 2,
    "mediation.oral": 1,
    "mediation.success_rate": pytest.approx(0.75),
    "mediation.performed": 2,
    "mediation.confirmed": 1,
    "mediation.amount": Dec("6234.56"),
    "mediation.pending": 2,
    # judicial confirmation, October 2026
    "judicial.effective_agreements": 2,  # C1, C7 (C2 is oral)
    "judicial.filed": 1,
    "judicial.accepted": 1,
    "judicial.valid": 1,
    "judicial.rejected": 1,  # C9
    "judicial.lapsed": 1,  # C14: deadline 10-08, never filed
    "judicial.awaiting": 1,  # C13: accepted in 2025, no ruling
    "referral.received": 2,  # W1, W3
    "referral.success": 1,
    "referral.failed": 1,
    "referral.overdue": 1,  # W2
    # grids
    "grids.communities": 2,
    "grids.total": 3,
    "grids.kind.BASIC": 1,
    "grids.kind.DEDICATED": 1,
    "grids.kind.MICRO": 1,
    "grids.staff.CHIEF": 1,  # the chief of GC-01-002 left in September
    "grids.staff.WORKER": 1,
    "grids.staff.HELPER": 1,
    "grids.complete": 1,
    "grids.complete_rate": pytest.approx(1 / 3),
    "grids.no_chief": 2,
    "grids.no_worker": 2,
    "grids.avg_population": pytest.approx(1.7),
}


def test_every_street_indicator(street: MonthlyReport) -> None:
    got = values(street)
    for key, expected in STREET.items():
        assert got[key] == expected, key
    # nothing is left unchecked but the zero rows of dictionaries (checked below)
    unchecked = {
        k
        for k in got
        if k not in STREET
        and not k.startswith(
            (
                "population.special.",
                "mediation.type.",
                "mediation.source.",
                "mediation.committee.",
                "street_level.",  # checked in test_reports_figures: street = Σ communities + these
                "events.",  # checked in test_grid_bulletin: section 六 = the bulletin's figures
            )
        )
    }
    assert unchecked == set()


def test_meeting_targets_and_rates(street: MonthlyReport) -> None:
    table = next(t for t in street.tables() if t.key == "party.meetings")
    due = {r.key.rsplit(".", 1)[1]: r.target for r in table.rows}
    assert due == {
        "MEMBER_ASSEMBLY": 1,
        "COMMITTEE": 2,
        "GROUP": 1,
        "LECTURE": 1,
        "THEME_DAY": 1,
        "LIFE_MEETING": 1,
        "APPRAISAL": 1,
        "total": 4,  # only the monthly kinds are due in October
        "held": None,
    }
    assert table.row("party.meetings.total").share == pytest.approx(2 / 4)
    assert table.row("party.meetings.MEMBER_ASSEMBLY").label == "支部党员大会（本季度截至月末，未到期）"
    assert table.row("party.meetings.THEME_DAY").label == "主题党日（本月）"
    assert table.row("party.meetings.COMMITTEE").share == pytest.approx(0.5)
    assert table.row("party.meetings.GROUP").share == 0


def test_meetings_due_at_a_quarter_end(known: Any) -> None:
    # September closes the third quarter: 党员大会 and 党课 are due too. Held: 网格党支部 支委会 on 09-28 only
    # (朝阳旧支部 was dissolved on 09-30, so it is gone at the month's end)
    table = next(
        t for t in monthly_report(known, "2026-09", today=TODAY).tables() if t.key == "party.meetings"
    )
    total = table.row("party.meetings.total")
    assert (total.target, total.value) == (6, 1)
    assert table.row("party.meetings.LECTURE").label == "党课（本季度）"
    assert table.row("party.meetings.LIFE_MEETING").label.endswith("未到期）")


@pytest.mark.parametrize(
    ("month", "day_after", "due_now"),
    [
        ("2026-10", dt.date(2026, 11, 1), {rules.MONTH}),
        ("2026-09", dt.date(2026, 10, 1), {rules.MONTH, rules.QUARTER}),
    ],
)
def test_report_and_party_page_agree_on_meetings_due(
    known: Any, month: str, day_after: dt.date, due_now: set[str]
) -> None:
    """The 月报 counts, for the meetings due by the month's end, those owed and those held; on the next day
    the 党建 page must show exactly the ones not held as overdue: both call the same rules."""
    table = next(t for t in monthly_report(known, month, today=TODAY).tables() if t.key == "party.meetings")
    total = table.row("party.meetings.total")
    with known.read() as s:  # organisations founded after the month have nothing due in it
        later = set(s.scalars(select(PartyOrg.id).where(PartyOrg.established_on >= day_after)))
    items = [
        i
        for o in meeting_overview(known, today=day_after)
        if o.org_id not in later
        for i in o.items
        if i.frequency in due_now
    ]
    assert total.target == len(items)
    assert total.target - total.value == sum(1 for i in items if i.overdue)
    assert total.target - total.value > 0  # the dataset has overdue meetings, so the comparison means something


def test_month_on_month_and_year_on_year(street: MonthlyReport) -> None:
    r = street.indicator
    # September 2026: received C7, C8, C9; concluded C8, C9, C14; settled C9, C14; performed C9
    # October 2025: received C10–C13; concluded all 4, settled C10, C12, C13
    assert (r("mediation.received").previous, r("mediation.received").last_year) == (3, 4)
    assert r("mediation.received").mom == pytest.approx(2 / 3)
    assert r("mediation.received").yoy == pytest.approx(0.25)
    assert (r("mediation.concluded").previous, r("mediation.concluded").last_year) == (3, 4)
    assert r("mediation.concluded").mom == pytest.approx(1 / 3)
    assert r("mediation.concluded").yoy == 0
    assert (r("mediation.settled").previous, r("mediation.settled").last_year) == (2, 3)
    assert r("mediation.settled").mom == pytest.approx(0.5)
    rate = r("mediation.success_rate")
    assert (rate.value, rate.previous, rate.last_year) == (
        pytest.approx(0.75),
        pytest.approx(2 / 3),
        pytest.approx(0.75),
    )
    assert rate.mom is None and rate.yoy is None  # a rate has no 环比/同比
    assert (r("mediation.performed").previous, r("mediation.performed").last_year) == (1, 0)
    assert r("mediation.performed").yoy is None  # nothing to compare with
    assert r("mediation.amount").previous == Dec("20000.00")
    assert r("mediation.amount").last_year == Dec("399.90")
    assert r("mediation.amount").mom == pytest.approx((6234.56 - 20000) / 20000)
    assert (r("mediation.written").previous, r("mediation.oral").last_year) == (2, 1)
    assert (r("mediation.pending").previous, r("mediation.pending").last_year) == (1, 0)


def test_success_rate_formula_states_its_basis(street: MonthlyReport) -> None:
    formula = street.indicator("mediation.success_rate").formula
    assert "调解成功数 ÷ 本期调结数" in formula and "结案口径" in formula and "不含期末仍在调解中" in formula


def test_every_dispute_type_listed_with_zeros(street: MonthlyReport) -> None:
    table = next(t for t in street.tables() if t.key == "mediation.type")
    labels = [r.label for r in table.rows]
    assert labels == [f"{code}纠纷" for code, _subs in DEFAULT_DISPUTE_TYPES] + ["合计"]
    got = {r.label: (r.value, r.previous, r.last_year) for r in table.rows}
    assert got["婚姻家庭纠纷"] == (1, 1, 1)
    assert got["邻里纠纷"] == (2, 0, 1)
    assert got["物业纠纷"] == (1, 0, 1)
    assert got["合同纠纷"] == (1, 0, 0)
    assert got["损害赔偿纠纷"] == (0, 1, 0)
    assert got["劳动争议纠纷"] == (0, 1, 0)
    assert got["消费纠纷"] == (0, 0, 1)
    assert got["其他纠纷"] == (0, 0, 0)  # C14 was received in August
    assert got["合计"] == (5, 3, 4)
    zeros = [r for r in table.rows if r.label in ("旅游纠纷", "知识产权纠纷", "互联网纠纷", "医疗纠纷")]
    assert all(r.value == 0 and r.share == 0 and r.mom is None for r in zeros)
    assert table.row("mediation.type.邻里").share == pytest.approx(0.4)
    assert table.row("mediation.type.邻里").yoy == pytest.approx(1.0)
    assert table.row("mediation.type.损害赔偿").mom == pytest.approx(-1.0)
    assert sum(r.value for r in table.rows[:-1]) == table.rows[-1].value


def test_by_source_and_committee_kind(street: MonthlyReport) -> None:
    sources = next(t for t in street.tables() if t.key == "mediation.source")
    assert [(r.label, r.value, r.previous, r.last_year) for r in sources.rows] == [
        ("主动调解", 1, 1, 2),
        ("申请调解", 3, 1, 2),
        ("委托移送调解", 1, 1, 0),
        ("合计", 5, 3, 4),
    ]
    kinds = next(t for t in street.tables() if t.key == "mediation.committee")
    got = {r.label: r.value for r in kinds.rows}
    assert got["社区(居)调委会"] == 3 and got["街道调委会"] == 2 and got["企事业单位调委会"] == 0
    assert got["合计"] == 5


def test_trend_covers_twelve_months(street: MonthlyReport) -> None:
    assert [p.month for p in street.trend] == [f"2025-{m}" for m in ("11", "12")] + [
        f"2026-{m:02d}" for m in range(1, 11)
    ]
    trend = {p.month: (p.received, p.settled) for p in street.trend}
    assert trend["2026-10"] == (5, 3)
    assert trend["2026-09"] == (3, 2)
    assert trend["2026-08"] == (1, 0)
    assert sum(p.received for p in street.trend) == 9
    assert dict(street.by_type)["邻里纠纷"] == 2


def test_community_report(known: Any) -> None:
    report = monthly_report(known, MONTH, "新华社区", today=TODAY)
    got = values(report)
    assert report.unit == "钢城街道新华社区"
    assert report.title == "钢城街道新华社区2026年10月治理工作月报"  # not …社区社区…
    assert report.name == "钢城街道新华社区治理工作月报"
    assert got["party.orgs"] == 2  # 社区党委, 网格党支部 (not the 党小组, nor the street's 党工委)
    assert got["party.orgs.GROUP"] == 1 and "party.orgs.WORKING_COMMITTEE" not in got
    assert got["party.members"] == 6 and got["party.members.full"] == 4  # 党员九 belongs to the 党工委
    assert got["party.dues.extra"] == Dec("0.00")
    assert got["population.total"] == 4
    assert got["population.moved_out"] == 0  # 周八 lives in 朝阳社区
    # C1, C2 and C5 (no community of its own: its committee's) received; C1, C2, C7 settled
    assert got["mediation.received"] == 3
    assert got["mediation.settled"] == 3 and got["mediation.concluded"] == 3
    assert got["mediation.success_rate"] == 1.0
    assert got["judicial.rejected"] == 0  # C9 belongs to 朝阳社区
    assert got["referral.received"] == 0 and got["referral.overdue"] == 0
    assert got["grids.total"] == 2 and "grids.communities" not in got
    # a community's name with or without 社区
    assert monthly_report(known, MONTH, "新华", today=TODAY).community == "新华社区"


def test_summary_is_written_from_the_figures(street: MonthlyReport) -> None:
    text = "".join(street.summary)
    assert "本月受理矛盾纠纷5件，环比上升66.7%，同比上升25.0%" in text
    assert "调解成功率75.0%" in text and "协议涉及金额6,234.56元" in text
    assert "受理的纠纷以邻里纠纷（2件）" in text
    assert "实有人口5人" in text and "党员7名（其中预备党员2名）" in text


def test_formulas_listed_once_each(street: MonthlyReport) -> None:
    formulas = [f for _label, f in street.formulas()]
    assert len(formulas) == len(set(formulas))
    assert all(r.formula for r in street.indicators())
    assert any(f.startswith("调解成功率 = ") for f in formulas)


def test_errors(known: Any) -> None:
    with pytest.raises(ValidationError, match="格式不正确"):
        monthly_report(known, "2026-13", today=TODAY)
    with pytest.raises(ValidationError, match="尚未开始"):
        monthly_report(known, "2026-12", today=TODAY)
    with pytest.raises(NotFoundError, match="找不到社区“火星社区”。现有社区：新华社区、朝阳社区"):
        monthly_report(known, MONTH, "火星社区", today=TODAY)


def test_current_month_counts_to_today(known: Any) -> None:
    report = monthly_report(known, "2026-11", today=TODAY)
    assert report.as_of == TODAY
    got = values(report)
    assert got["mediation.received"] == 0
    assert got["mediation.settled"] == 1  # C5 on 11-02
    assert got["mediation.performed"] == 1  # C2 on 11-03
    assert got["population.restored"] == 1  # 周八
    assert got["population.moved_out"] == 1  # 赵五


def test_empty_database(ctx: Any) -> None:
    report = monthly_report(ctx, "2026-10", today=TODAY)
    got = values(report)
    assert got["mediation.received"] == 0 and got["mediation.success_rate"] is None
    assert got["party.dues.rate"] is None and got["grids.complete_rate"] is None
    assert report.street == "本街道"
    events = next(s for s in report.sections if s.key == "events")
    assert events.tables[0].row("events.received").value == 0
    assert events.tables[0].row("events.in_time_rate").value is None  # no events closed: 无数据, not 0%


def test_total_rows_are_marked_not_recognised_by_their_words(street: MonthlyReport) -> None:
    totals = [r for t in street.tables() for r in t.rows if r.is_total]
    assert "party.meetings.total" in {r.key for r in totals} and len(totals) >= 3
    assert all(r.label.startswith("合计") for r in totals)
    assert not any(r.label.startswith("合计") for t in street.tables() for r in t.rows if not r.is_total)
