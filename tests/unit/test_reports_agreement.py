"""The figures agree with the records: the report's mediation counts are those of the exported rows.

``shequ export mediation-cases`` writes one row per case (受理日期, 案件来源, 纠纷类型, 调解结果, 协议形式,
协议日期, 涉及金额（元） …) and the 司法确认 sheet. Counting those rows by hand must give the report's
figures. 履行 has no date in the export (履行情况 is the latest status), so it is checked against the
performance records read through the ORM instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.schema.mediation import MediationCase
from desktop.app import main
from desktop.services.reports import mediation_statistics, monthly_report
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _sheet(wb: Any, name: str) -> list[dict[str, object]]:
    rows = list(wb[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


@pytest.fixture
def exported(
    street_ctx: Any, tmp_path: Path, capsys: Any
) -> tuple[Any, list[dict[str, object]], list[dict[str, object]]]:
    build_known_dataset(street_ctx)
    out = tmp_path / "台账.xlsx"
    assert (
        main(["--db", str(street_ctx.database.url.database), "export", "mediation-cases", "--out", str(out)])
        == 0
    )
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    return street_ctx, _sheet(wb, "案件"), _sheet(wb, "司法确认")


def _in(value: object, period: tuple[dt.date, dt.date]) -> bool:
    day = _day(value)
    return day is not None and period[0] <= day <= period[1]


def test_received_are_the_rows_with_their_acceptance_date_in_the_month(exported: Any) -> None:
    ctx, cases, _judicial = exported
    report = monthly_report(ctx, MONTH, today=TODAY)
    received = [r for r in cases if _in(r["受理日期"], OCT)]
    assert report.indicator("mediation.received").value == len(received) == 5
    by_type = Counter(r["纠纷类型"] for r in received)
    table = next(t for t in report.tables() if t.key == "mediation.type")
    assert {row.label: row.value for row in table.rows if row.label != "合计"} == {
        row.label: by_type.get(row.label, 0) for row in table.rows if row.label != "合计"
    }
    by_source = Counter(r["案件来源"] for r in received)
    sources = next(t for t in report.tables() if t.key == "mediation.source")
    assert {row.label: row.value for row in sources.rows if row.label != "合计"} == dict(by_source) | {
        label: 0 for label in ("主动调解", "申请调解", "委托移送调解") if label not in by_source
    }


def test_settled_amount_and_forms_are_the_rows_settled_in_the_month(exported: Any, tmp_path: Path) -> None:
    ctx, cases, _judicial = exported
    report = monthly_report(ctx, MONTH, today=TODAY)
    settled = [r for r in cases if r["调解结果"] == "调解成功" and _in(r["协议日期"], OCT)]
    assert report.indicator("mediation.settled").value == len(settled) == 3
    # 协议涉及金额 is what the agreements' terms carry (协议条款 sheet), not the intake claim (涉及金额)
    numbers = {r["案件编号"] for r in settled}
    terms = _sheet(openpyxl.load_workbook(tmp_path / "台账.xlsx"), "协议条款")
    amount = sum(
        (decimal.Decimal(str(t["金额（元）"] or 0)) for t in terms if t["案件编号"] in numbers), decimal.Decimal(0)
    )
    assert report.indicator("mediation.amount").value == amount.quantize(decimal.Decimal("0.01"))
    claimed = sum((decimal.Decimal(str(r["涉及金额（元）"] or 0)) for r in settled), decimal.Decimal(0))
    assert claimed != amount  # the dataset's intake claims differ, so the two cannot be confused
    forms = Counter(r["协议形式"] for r in settled)
    assert report.indicator("mediation.written").value == forms["书面"]
    assert report.indicator("mediation.oral").value == forms["口头"]


def test_confirmed_are_the_valid_rulings_of_the_month(exported: Any) -> None:
    ctx, _cases, judicial = exported
    report = monthly_report(ctx, MONTH, today=TODAY)
    valid = {r["案件编号"] for r in judicial if r["裁定结果"] == "裁定有效" and _in(r["裁定日期"], OCT)}
    assert report.indicator("mediation.confirmed").value == len(valid) == 1
    rejected = [r for r in judicial if r["裁定结果"] == "裁定驳回" and _in(r["裁定日期"], OCT)]
    assert report.indicator("judicial.rejected").value == len(rejected)
    filed = [r for r in judicial if _in(r["申请日期"], OCT)]
    assert report.indicator("judicial.filed").value == len(filed)


def test_quarter_statistics_agree_with_the_export(exported: Any) -> None:
    ctx, cases, _judicial = exported
    stats = mediation_statistics(ctx, "2026Q4", today=TODAY)
    received = Counter(r["纠纷类型"] for r in cases if _in(r["受理日期"], Q4))
    settled = Counter(r["纠纷类型"] for r in cases if r["调解结果"] == "调解成功" and _in(r["协议日期"], Q4))
    for row in stats.by_type[:-1]:
        assert (row.received, row.settled) == (received.get(row.label, 0), settled.get(row.label, 0)), (
            row.label
        )
    assert stats.by_type[-1].received == sum(received.values())


def test_performed_agrees_with_the_performance_records(exported: Any) -> None:
    ctx, _cases, _judicial = exported
    with ctx.read() as s:
        loaded = s.scalars(
            select(MediationCase)
            .options(selectinload(MediationCase.performances))
            .where(MediationCase.retired_on.is_(None))
        ).all()
        first_done = [
            min((p.on_date for p in c.performances if p.status == "PERFORMED"), default=None) for c in loaded
        ]
    expected = sum(1 for d in first_done if d is not None and OCT[0] <= d <= OCT[1])
    assert monthly_report(ctx, MONTH, today=TODAY).indicator("mediation.performed").value == expected == 2
