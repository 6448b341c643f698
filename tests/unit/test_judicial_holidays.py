"""The holiday calendar: the shipped seed, editing days, importing a year, deadlines recomputed."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.core.errors import ValidationError
from desktop.core.paths import resources_dir
from desktop.exchange.reading import read_table
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial.holidays import HOLIDAY_COLUMNS

from .test_judicial_services import agreement_on
from .test_mediation_helpers import D, intake, setup_committee

T = D(2026, 11, 23)


def _csv_rows(name: str) -> list[tuple[str, str, str, int, bool]]:
    with open(resources_dir() / "holidays" / name, encoding="utf-8") as fh:
        return [
            (
                r["日期"],
                "WORKDAY" if r["类型"] == "上班" else "HOLIDAY",
                r["名称"],
                int(r["年度"]),
                r["待核对"] == "是",
            )
            for r in csv.DictReader(fh)
        ]


def test_the_migration_seed_is_the_shipped_files(ctx: ServiceContext) -> None:
    stored = [(r.day.isoformat(), r.kind, r.name, r.year, r.provisional) for r in jc.list_days(ctx)]
    assert stored == _csv_rows("cn_2026.csv") + _csv_rows("cn_2027.csv")
    years = {y.year: y for y in jc.year_summaries(ctx)}
    assert (years[2026].holidays, years[2026].workdays, years[2026].provisional) == (33, 6, False)
    assert years[2027].provisional and "待官方公布后核对" in years[2027].label
    assert all(r.provisional for r in jc.list_days(ctx, 2027))
    # every 2026 调休上班 day is a weekend day; the statutory 2027 days are the law's 13 days
    assert all(r.day.weekday() >= 5 for r in jc.list_days(ctx, 2026) if r.kind == "WORKDAY")
    assert len(jc.list_days(ctx, 2027)) == 13


def test_editing_days_recomputes_deadlines(street_ctx: ServiceContext) -> None:
    ctx = street_ctx
    cid, m1, _ = setup_committee(ctx)
    no = intake(ctx, cid, m1, accepted_on=D(2026, 11, 2))
    case = med.get_case(ctx, no)
    med.save_agreement(ctx, case.id, agreement_on(D(2026, 11, 9)), today=T)
    tid = jc.start_confirmation(ctx, no, today=T)
    assert jc.get_track(ctx, tid, T).deadline.day == D(2026, 12, 9)  # a Wednesday
    day_id = jc.save_day(ctx, jc.HolidayInput(D(2026, 12, 9), "放假", "测试假日"))
    assert jc.get_track(ctx, tid, T).deadline.day == D(2026, 12, 10)
    assert jc.list_tracks(ctx, today=T)[0].deadline == D(2026, 12, 10)  # the stored value too
    row = next(r for r in jc.list_days(ctx, 2026) if r.id == day_id)
    jc.delete_day(ctx, day_id, row.version)
    assert jc.list_tracks(ctx, today=T)[0].deadline == D(2026, 12, 9)
    with ctx.read() as s:
        actions = [
            a
            for (a,) in s.execute(select(AuditRecord.action).where(AuditRecord.entity == "holiday_calendar"))
        ]
    assert actions == ["create", "delete"]


def test_day_rules(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError, match="是工作日"):
        jc.save_day(ctx, jc.HolidayInput(D(2026, 12, 9), "上班", "调休上班"))
    with pytest.raises(ValidationError, match="已登记为“国庆节”"):
        jc.save_day(ctx, jc.HolidayInput(D(2026, 10, 1), "放假", "国庆"))
    with pytest.raises(ValidationError, match="类型"):
        jc.save_day(ctx, jc.HolidayInput(D(2026, 12, 12), "补假", "X"))
    jc.save_day(ctx, jc.HolidayInput(D(2026, 12, 12), "班", "测试调休上班"))
    assert next(r for r in jc.list_days(ctx, 2026) if r.day == D(2026, 12, 12)).kind == "WORKDAY"


OFFICIAL_2027 = """日期,类型,名称,年度,待核对,来源
2027-01-01,放假,元旦,2027,否,测试通知
2027-01-02,放假,元旦,2027,否,测试通知
2027-01-03,放假,元旦,2027,否,测试通知
2027-02-05,放假,春节,2027,否,测试通知
2027-02-06,放假,春节,2027,否,测试通知
2027-02-07,放假,春节,2027,否,测试通知
2027-02-08,放假,春节,2027,否,测试通知
2027-02-09,放假,春节,2027,否,测试通知
2027-02-10,放假,春节,2027,否,测试通知
2027-02-11,放假,春节,2027,否,测试通知
2027-02-20,上班,春节调休上班,2027,否,测试通知
"""


def test_import_replaces_a_year_and_recomputes(street_ctx: ServiceContext, tmp_path: Path) -> None:
    ctx = street_ctx
    cid, m1, _ = setup_committee(ctx)
    no = intake(ctx, cid, m1, accepted_on=D(2026, 11, 2))
    case = med.get_case(ctx, no)
    med.save_agreement(ctx, case.id, agreement_on(D(2026, 11, 3)), today=T)
    ref = jc.save_referral(
        ctx, jc.ReferralInput("嘉峪关市城区人民法院", "（2027）测试1号", D(2026, 11, 9)), today=T
    )
    tid = jc.start_confirmation(ctx, no, today=T)
    assert jc.get_referral(ctx, ref, T).deadline == D(2026, 12, 9)
    f = tmp_path / "2027.csv"
    f.write_text(OFFICIAL_2027, encoding="utf-8")
    dry = jc.import_file(ctx, f, dry_run=True)
    assert (dry.created, dry.updated, dry.replaced, dry.exit_status) == (6, 5, 13, 0)
    assert len(jc.list_days(ctx, 2027)) == 13  # nothing written
    report = jc.import_file(ctx, f)
    assert report.years == [2027] and "替换年度：2027" in report.describe()
    days = jc.list_days(ctx, 2027)
    assert len(days) == 11 and not any(d.provisional for d in days)
    assert D(2027, 4, 5) not in {d.day for d in days}  # the whole year was replaced
    assert jc.get_track(ctx, tid, T).deadline.day == D(2026, 12, 3)  # 2026 untouched
    # the export reads back
    out = tmp_path / "out.xlsx"
    assert jc.export_days(ctx, out, 2027) == 11
    table = read_table(out, HOLIDAY_COLUMNS)
    assert [r.text("kind") for r in table.records][-1] == "上班"
    with ctx.read() as s:
        assert s.scalar(select(AuditRecord.summary).where(AuditRecord.action == "import")).startswith(
            "导入节假日安排"
        )


def test_import_with_bad_rows_writes_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "日期,类型,名称\n2028-01-01,放假,元旦\n2028-13-01,放假,X\n2028-01-04,上班,调休\n2028-01-01,放假,元旦\n",
        encoding="utf-8",
    )
    report = jc.import_file(ctx, f)
    assert report.rejected == 3 and report.exit_status == 1  # nothing imported (issue 15 §11)
    assert "整个文件都没有导入" in report.describe() and "第 3、4、5 行" in report.describe()
    reasons = [i.describe() for i in report.issues]
    assert any("第 3 行" in r and "日期" in r for r in reasons)
    assert any("第 4 行" in r and "工作日" in r for r in reasons)
    assert any("第 5 行" in r and "重复" in r for r in reasons)
    assert jc.list_days(ctx, 2028) == []


def test_missing_years(ctx: ServiceContext) -> None:
    from desktop.services.judicial.holidays import missing_years

    assert missing_years(ctx, T) == [2027]  # 2027 is provisional
    assert missing_years(ctx, D(2027, 12, 1)) == [2027, 2028]
    assert dt.date(2026, 1, 1).year == 2026
