"""人民调解统计表 on the KNOWN dataset: every type with zeros, by source, 合计 rows, periods."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from desktop.core.errors import ValidationError
from desktop.services.mediation.dictionary import DEFAULT_DISPUTE_TYPES
from desktop.services.reports import mediation_statistics, monthly_report, parse_month, parse_period
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

Dec = decimal.Decimal


@pytest.fixture
def known(street_ctx: Any) -> Any:
    build_known_dataset(street_ctx)
    return street_ctx


def rows(block: Any) -> dict[str, tuple[Any, ...]]:
    return {r.label: (r.received, r.settled, r.performed, r.confirmed, r.amount) for r in block}


def test_quarter_by_type_and_source(known: Any) -> None:
    stats = mediation_statistics(known, "2026Q4", today=TODAY)
    assert stats.label == "2026年第四季度" and stats.as_of == TODAY
    assert (stats.start, stats.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert stats.title == "钢城街道人民调解统计表（2026年第四季度）"
    # every type of the dictionary, in its order, then 合计
    assert [r.label for r in stats.by_type] == [f"{c}纠纷" for c, _s in DEFAULT_DISPUTE_TYPES] + ["合计"]
    by_type = rows(stats.by_type)
    # received C1–C5; settled C1, C2, C7 (October) and C5 (November); performed C1, C7, C2 (November);
    # confirmed C1; amounts 5000 + 0 + 1234.56 + 800
    assert by_type["婚姻家庭纠纷"] == (1, 1, 1, 1, Dec("5000.00"))
    assert by_type["邻里纠纷"] == (2, 1, 1, 0, Dec("0.00"))
    assert by_type["合同纠纷"] == (1, 1, 0, 0, Dec("800.00"))
    assert by_type["物业纠纷"] == (1, 0, 0, 0, Dec("0.00"))
    assert by_type["损害赔偿纠纷"] == (0, 1, 1, 0, Dec("1234.56"))
    assert by_type["旅游纠纷"] == (0, 0, 0, 0, Dec("0.00"))
    assert by_type["合计"] == (5, 4, 3, 1, Dec("7034.56"))
    assert stats.by_type[-1].is_total and not stats.by_type[0].is_total
    by_source = rows(stats.by_source)
    assert list(by_source) == ["主动调解", "申请调解", "委托移送调解", "合计"]
    assert by_source["主动调解"] == (1, 2, 2, 0, Dec("1234.56"))
    assert by_source["申请调解"] == (3, 2, 1, 1, Dec("5800.00"))
    assert by_source["委托移送调解"] == (1, 0, 0, 0, Dec("0.00"))
    assert by_source["合计"] == by_type["合计"]


@pytest.mark.parametrize("block", ["by_type", "by_source"])
def test_total_row_is_the_sum(known: Any, block: str) -> None:
    stats = mediation_statistics(known, "2026", today=TODAY)
    *body, total = getattr(stats, block)
    for column in ("received", "settled", "performed", "confirmed", "amount"):
        assert sum(getattr(r, column) for r in body) == getattr(total, column), column


def test_month_agrees_with_monthly_report(known: Any) -> None:
    stats = mediation_statistics(known, MONTH, today=TODAY)
    report = monthly_report(known, MONTH, today=TODAY)
    total = stats.by_type[-1]
    r = report.indicator
    assert total.received == r("mediation.received").value == 5
    assert total.settled == r("mediation.settled").value == 3
    assert total.performed == r("mediation.performed").value == 2
    assert total.confirmed == r("mediation.confirmed").value == 1
    assert total.amount == r("mediation.amount").value == Dec("6234.56")
    by_type = next(t for t in report.tables() if t.key == "mediation.type")
    assert [(row.label, row.value) for row in by_type.rows] == [(x.label, x.received) for x in stats.by_type]


def test_year_2025(known: Any) -> None:
    stats = mediation_statistics(known, "2025", today=TODAY)
    assert stats.label == "2025年" and stats.as_of == dt.date(2025, 12, 31)
    total = stats.by_type[-1]
    # C10–C13: 3 settled, amounts 300 + 99.90; nothing performed or confirmed
    assert (total.received, total.settled, total.performed, total.confirmed, total.amount) == (
        4,
        3,
        0,
        0,
        Dec("399.90"),
    )


def test_community_statistics(known: Any) -> None:
    stats = mediation_statistics(known, "2026Q4", "朝阳社区", today=TODAY)
    assert stats.unit == "钢城街道朝阳社区"
    assert rows(stats.by_type)["合计"] == (1, 0, 0, 0, Dec("0.00"))  # C3 only


def test_voided_cases_never_count(known: Any) -> None:
    # C6 (婚姻家庭, received 2026-10-09) was voided
    stats = mediation_statistics(known, MONTH, today=TODAY)
    assert rows(stats.by_type)["婚姻家庭纠纷"][0] == 1


@pytest.mark.parametrize(
    ("text", "code", "start", "end"),
    [
        ("2026-10", "2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("2026-2", "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2024年2月", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026Q3", "2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026q1", "2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2025", "2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (" 2025-12 ", "2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ],
)
def test_parse_period(text: str, code: str, start: dt.date, end: dt.date) -> None:
    p = parse_period(text, TODAY)
    assert (p.code, p.start, p.end) == (code, start, end)


@pytest.mark.parametrize("text", ["2026Q5", "2026-13", "26-10", "十月", "", "2026-00", "20261"])
def test_malformed_periods(text: str) -> None:
    with pytest.raises(ValidationError, match="格式不正确"):
        parse_period(text, TODAY)


def test_future_periods_refused() -> None:
    with pytest.raises(ValidationError, match="尚未开始"):
        parse_period("2027", TODAY)
    with pytest.raises(ValidationError, match="尚未开始"):
        parse_month("2026-12", TODAY)
    assert parse_period("2026Q4", TODAY).as_of(TODAY) == TODAY
