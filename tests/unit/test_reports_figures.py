"""Figures that must agree with the records (issue 11, points 12–18), on the demo street and the KNOWN dataset.

* 12 协议涉及金额 is the sum of the agreement terms' amounts, never the intake claim (涉及金额);
* 13 申请期限届满未申请: the 台账, 工作台 and 月报 give the same set (one rule);
* 14 人口变动: 上月末 − 迁出 − 离开 − 死亡 + 恢复在册 = 月末, month after month, on the demo;
* 15 党组织总数 counts base organisations (党委、党总支、党支部), 党小组 on its own line;
* 16 在职党员进社区报到: every check-in counts for a community, and the communities add up to the street;
* 17 every additive street figure = Σ communities + the street-level row shown in the street report;
* 18 a rate with an empty denominator prints 无数据 (PDF text, workbook cell), never 0.0%.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from db.schema.mediation import Agreement, AgreementTerm, CaseOutcome, MediationCase
from db.schema.party import CommunityCheckIn, PartyMember, PartyOrg
from db.schema.people import Resident, ResidentEvent
from db.schema.structure import Community
from desktop.core.clock import FixedClock
from desktop.core.identity import Actor
from desktop.domain.reports import NO_DATA, Indicator, MonthlyReport, fmt_field, fmt_share
from desktop.services import demo
from desktop.services import mediation as med
from desktop.services.bootstrap import open_database
from desktop.services.judicial.queries import confirmation_by_case
from desktop.services.judicial.warnings import dashboard_warnings
from desktop.services.reports import files, mediation_statistics, monthly_report
from desktop.services.reports.street_level import additive, key_of
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

Dec = decimal.Decimal
D = dt.date
DEMO_MONTHS = ("2026-03", "2026-07", "2026-10", "2026-11")


@pytest.fixture(scope="module")
def street_demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The street-scale demo (14 communities), once for the module."""
    clock = FixedClock(dt.datetime(2026, 11, 23, 10, 0))
    opened = open_database(
        tmp_path_factory.mktemp("figures") / "street.sqlite3", actor=Actor("测试员", "test-pc"), clock=clock
    )
    demo.generate(opened.ctx, scale="street")
    yield opened.ctx
    opened.ctx.database.dispose()


@pytest.fixture
def known(street_ctx: Any) -> Any:
    build_known_dataset(street_ctx)
    return street_ctx


def _communities(ctx: Any) -> list[str]:
    with ctx.read() as s:
        return list(s.scalars(select(Community.name).order_by(Community.id)))


def _values(report: MonthlyReport) -> dict[str, Indicator]:
    return {r.key: r for r in report.indicators()}


def assert_street_is_the_sum(ctx: Any, month: str) -> MonthlyReport:
    """Every additive figure (value and 应开展) of the street = Σ communities + its street-level row."""
    street = monthly_report(ctx, month, today=TODAY)
    sums: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    for name in _communities(ctx):
        report = monthly_report(ctx, month, name, today=TODAY)
        assert not any(r.key.startswith("street_level.") for r in report.indicators())
        for r in report.indicators():
            if additive(r):
                sums[r.key] += r.value or 0
                targets[r.key] += r.target or 0
    got = _values(street)
    checked = 0
    for key, r in got.items():
        if key.startswith("street_level.") or not additive(r) or key == "grids.communities":
            continue
        rest = got.get(key_of(key))
        assert r.value == sums[key] + (rest.value if rest else 0), (month, key)
        assert (r.target or 0) == targets[key] + ((rest.target or 0) if rest else 0), (month, key)
        checked += 1
    assert checked > 100
    return street


# ---------------------------------------------------------------- 17: the street is the sum of its communities


def test_known_street_is_the_sum_of_its_communities_plus_the_street_row(known: Any) -> None:
    street = assert_street_is_the_sum(known, MONTH)
    got = _values(street)
    # W1 (C3, 朝阳社区) and W3 (C4: the street committee's case with no community) were received in October;
    # W3 belongs to no community: the street report says so on its own row
    assert got["referral.received"].value == 2
    assert monthly_report(known, MONTH, "朝阳社区", today=TODAY).indicator("referral.received").value == 1
    rest = got[key_of("referral.received")]
    assert (rest.label, rest.value) == ("接收委派（街道直接接收）", 1)
    assert "街道直接接收" in rest.formula and "尚未关联调解案件" in rest.formula
    judicial = next(s for s in street.sections if s.key == "judicial")
    assert judicial.tables[-1].title == "未归属社区的部分（只计入全街道）"
    # 党员九 belongs to the 党工委: a street-level member; C4 a street-level case
    assert got[key_of("party.members")].value == 1
    assert got[key_of("mediation.received")].value == 1


def test_street_demo_adds_up_in_every_month(street_demo: Any) -> None:
    for month in ("2026-06", "2026-10"):
        street = assert_street_is_the_sum(street_demo, month)
        assert len(_communities(street_demo)) == 14
        assert street.indicator("referral.received").value > 0


# ---------------------------------------------------------------- 16: check-ins


def test_every_check_in_counts_for_a_community(street_demo: Any) -> None:
    street = monthly_report(street_demo, "2026-10", today=TODAY)
    total = street.indicator("party.check_ins").value
    with street_demo.read() as s:
        assert s.scalar(select(func.count()).where(CommunityCheckIn.community_id.is_(None))) == 0
    per = [
        monthly_report(street_demo, "2026-10", name, today=TODAY).indicator("party.check_ins").value
        for name in _communities(street_demo)
    ]
    assert total > 100 and sum(per) == total and sum(1 for n in per if n) >= 10
    assert key_of("party.check_ins") not in _values(street)


def test_a_check_in_without_community_counts_where_the_member_lives(known: Any) -> None:
    with known.write() as uow:
        s = uow.session
        c2 = s.scalar(select(Community.id).where(Community.name == "朝阳社区"))
        home = Resident(name="住朝阳", community_id=c2)
        s.add(home)
        s.flush()
        check = s.scalar(select(CommunityCheckIn).where(CommunityCheckIn.checked_in_on == D(2026, 5, 1)))
        check.community_id = None  # 党员一's check-in: he lives in 朝阳社区, his branch is in 新华社区
        member = s.get(PartyMember, check.member_id)
        assert member is not None
        member.resident_id = home.id
    xinhua = monthly_report(known, MONTH, "新华社区", today=TODAY).indicator("party.check_ins").value
    chaoyang = monthly_report(known, MONTH, "朝阳社区", today=TODAY).indicator("party.check_ins").value
    assert (xinhua, chaoyang) == (0, 1)
    assert monthly_report(known, MONTH, today=TODAY).indicator("party.check_ins").value == 1


# ---------------------------------------------------------------- 15: base organisations


def test_party_org_total_counts_base_organisations_only(street_demo: Any) -> None:
    r = monthly_report(street_demo, "2026-10", today=TODAY).indicator
    with street_demo.read() as s:
        kinds = Counter(dict(s.execute(select(PartyOrg.kind, func.count()).group_by(PartyOrg.kind)).all()))
    assert kinds["GROUP"] > 100  # the demo's 党小组 would swell the total
    assert r("party.orgs").value == kinds["COMMITTEE"] + kinds["GENERAL_BRANCH"] + kinds["BRANCH"]
    assert r("party.orgs.GROUP").value == kinds["GROUP"] and r("party.orgs.GROUP").level == 0
    assert "不计入" in r("party.orgs.GROUP").label
    assert r("party.orgs_in_grids").value <= r("party.orgs").value


# ---------------------------------------------------------------- 14: stock and flow


@pytest.mark.parametrize("month", DEMO_MONTHS)
def test_population_stock_and_flow_agree_on_the_demo(street_demo: Any, month: str) -> None:
    for community in (None, "新华社区", "迎宾社区"):
        r = monthly_report(street_demo, month, community, today=TODAY).indicator
        opening, closing = r("population.opening").value, r("population.total").value
        flow = (
            r("population.moved_out").value
            + r("population.left").value
            + r("population.deceased").value
            - r("population.restored").value
        )
        assert opening - flow == closing, (month, community)
        with pytest.raises(KeyError):
            r("population.unrecorded")
    r = monthly_report(street_demo, "2026-10", today=TODAY).indicator
    assert r("population.moved_out").value > 0 and r("population.deceased").value > 0


def test_demo_writes_a_change_record_for_every_status_change(street_demo: Any) -> None:
    with street_demo.read() as s:
        inactive = s.scalar(select(func.count()).where(Resident.status != "ACTIVE"))
        events = s.execute(
            select(ResidentEvent.to_value, func.count())
            .join(Resident, Resident.id == ResidentEvent.resident_id)
            .where(ResidentEvent.kind == "STATUS", ResidentEvent.on_date == Resident.status_changed_on)
            .group_by(ResidentEvent.to_value)
        ).all()
    assert inactive > 1000 and sum(n for _v, n in events) == inactive


def test_a_status_change_without_its_record_is_reported_not_hidden(known: Any) -> None:
    with known.write() as uow:  # 张二 marked moved in October without a change record
        r = uow.session.scalar(select(Resident).where(Resident.name == "张二"))
        r.status, r.status_changed_on = "MOVED", D(2026, 10, 9)
    report = monthly_report(known, MONTH, today=TODAY)
    gap = report.indicator("population.unrecorded")
    assert gap.value == -1  # 7 − 1 − 1 = 5 expected, 4 at the month's end
    moves = next(t for t in report.tables() if t.key == "population.moves")
    assert "相差 -1 人" in moves.note and "没有变动记录" in moves.note


# ---------------------------------------------------------------- 12: amounts


def test_agreement_amount_is_the_terms_on_the_demo(street_demo: Any) -> None:
    with street_demo.read() as s:
        settled = (
            select(MediationCase.id)
            .where(
                MediationCase.retired_on.is_(None),
                MediationCase.outcome == CaseOutcome.SUCCESS,
                MediationCase.outcome_on.between(D(2026, 10, 1), D(2026, 10, 31)),
            )
            .scalar_subquery()
        )
        terms = s.scalar(
            select(func.coalesce(func.sum(AgreementTerm.amount), 0))
            .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
            .where(Agreement.case_id.in_(settled))
        )
        claimed = s.scalar(
            select(func.coalesce(func.sum(MediationCase.amount_involved), 0)).where(
                MediationCase.id.in_(settled)
            )
        )
    report = monthly_report(street_demo, "2026-10", today=TODAY)
    stats = mediation_statistics(street_demo, "2026-10", today=TODAY)
    assert (
        report.indicator("mediation.amount").value
        == Dec(terms).quantize(Dec("0.01"))
        == stats.by_type[-1].amount
    )
    assert terms != claimed


def test_known_amount_ignores_the_intake_claim(known: Any, tmp_path: Path) -> None:
    # C1 claimed 10,001.00 at intake and agreed 5,000.00; C7 claimed nothing and agreed 1,000.00 + 234.56
    report = monthly_report(known, MONTH, today=TODAY)
    assert report.indicator("mediation.amount").value == Dec("6234.56")
    path = files.save_statistics_workbook(
        mediation_statistics(known, MONTH, today=TODAY), tmp_path / "s.xlsx"
    )
    ws = openpyxl.load_workbook(path).active
    assert ws["G4"].value == "协议涉及金额（元）"
    totals = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "合计"]
    assert totals[0][6] == pytest.approx(6234.56)


# ---------------------------------------------------------------- 13: one rule for lapsed applications


def _add_untracked_written_agreement(ctx: Any) -> str:
    """A case settled with a written agreement on 2026-09-09 whose parties never applied: its window ends
    2026-10-09 and no track was ever started — it lapsed in October all the same."""
    with ctx.write() as uow:
        s = uow.session
        c7 = s.scalar(select(MediationCase).where(MediationCase.summary == "C7纠纷"))
        mc = MediationCase(
            case_no="（2026）新华社区人调字第099号", committee_id=c7.committee_id, case_year=2026,
            accepted_on=D(2026, 9, 1), source="APPLICATION", dispute_type="邻里", summary="未申请纠纷",
            community_id=c7.community_id, outcome="SUCCESS", outcome_on=D(2026, 9, 9), stage="PERFORMING",
        )  # fmt: skip
        s.add(mc)
        s.flush()
        s.add(
            Agreement(case_id=mc.id, agreement_no="（2026）新华社区人调协字第099号", oral=False, made_on=D(2026, 9, 9),
                      facts="事实", signed_by_parties=True, signed_by_mediator=True, sealed=True, effective_on=D(2026, 9, 9))
        )  # fmt: skip
        return mc.case_no


def test_ledger_dashboard_and_report_agree_on_lapsed_applications(known: Any, clock: FixedClock) -> None:
    extra = _add_untracked_written_agreement(known)
    report = monthly_report(known, MONTH, today=TODAY)
    # C14 (track 准备申请, window ended 10-08) and the untracked agreement; not C1 (filed in time)
    assert report.indicator("judicial.lapsed").value == 2
    ledger = {
        r.case_no
        for r in med.list_cases(known, today=TODAY, confirmations=confirmation_by_case)
        if (r.confirmation_state or "").startswith("逾期未申请")
        and r.confirmation_deadline is not None
        and D(2026, 10, 1) <= r.confirmation_deadline <= D(2026, 10, 31)
    }
    assert extra in ledger and len(ledger) == 2
    # 工作台 on 1 November names the windows that ended since 1 October: the same two — C14, whose track is
    # still 准备申请, as an overdue track (red); the agreement without a track for information
    warnings = dashboard_warnings(known, today=D(2026, 11, 1))
    red = [w.text for w in warnings if w.text.startswith("司法确认申请期限已过")]
    info = [w for w in warnings if w.text.startswith("自10月1日以来书面调解协议的司法确认申请期限届满、未申请")]
    assert len(red) == 1 and red[0].startswith("司法确认申请期限已过 1 件")
    assert len(info) == 1 and info[0].level == "info" and " 1 件" in info[0].text and extra in info[0].text
    assert {no for no in ledger if no in red[0] or no in info[0].text} == ledger
    # the community reports add up: both cases are 新华社区's
    assert monthly_report(known, MONTH, "新华社区", today=TODAY).indicator("judicial.lapsed").value == 2


def test_lapsed_on_the_demo_matches_the_ledger(street_demo: Any) -> None:
    report = monthly_report(street_demo, "2026-10", today=TODAY)
    ledger = [
        r
        for r in med.list_cases(street_demo, today=TODAY, confirmations=confirmation_by_case)
        if (r.confirmation_state or "").startswith("逾期未申请")
        and r.confirmation_deadline is not None
        and D(2026, 10, 1) <= r.confirmation_deadline <= D(2026, 10, 31)
    ]
    assert report.indicator("judicial.lapsed").value == len(ledger) > 4


# ---------------------------------------------------------------- 18: no records is not 0 %


def test_an_empty_denominator_prints_no_data(ctx: Any, tmp_path: Path) -> None:
    assert fmt_share(None) == NO_DATA and fmt_share(0.0) == "0.0%"
    report = monthly_report(ctx, "2026-10", today=TODAY)
    rate = report.indicator("mediation.success_rate")
    assert rate.value is None and fmt_field(rate, "value") == "无数据（无调结）"
    share = next(t for t in report.tables() if t.key == "mediation.type").rows[0]
    assert share.share is None and fmt_field(share, "share") == NO_DATA
    assert fmt_field(report.indicator("grids.complete_rate"), "value").startswith(NO_DATA)
    assert "配齐率无数据" in "".join(report.summary)
    path = files.save_monthly_workbook(report, tmp_path / "月报.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["3.1 人民调解主要指标"]
    row = next(r for r in ws.iter_rows(min_row=5) if (r[0].value or "").strip("\u3000") == "调解成功率")
    assert row[1].value is None  # blank, not 0
    ws = wb["3.2 按纠纷类型分类"]
    first = next(ws.iter_rows(min_row=5))
    assert first[1].value == 0 and first[2].value is None  # 0 cases; their share is blank, not 0 %
