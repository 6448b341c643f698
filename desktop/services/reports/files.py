"""The report files: the monthly PDF, its workbook (one sheet per table) and the 人民调解统计表 workbook."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from desktop.documents.reports.monthly import build_monthly_pdf, cn_date
from desktop.documents.reports.monthly_docx import build_monthly_docx
from desktop.domain.accounts import REPORTS
from desktop.domain.reports import (
    PERCENT,
    STATISTICS_COLUMN_KINDS,
    YUAN,
    Indicator,
    MediationStatistics,
    MonthlyReport,
    ReportTable,
)
from desktop.exchange.reports import ReportSheet, SheetColumn, write_report_workbook
from desktop.exchange.writing import check_suffix
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.reports.monthly import mediation_statistics, monthly_report

#: how each Indicator field is stored in a sheet ("number": by the row's unit)
FIELD_KINDS = {
    "value": "number",
    "target": "number",
    "previous": "number",
    "last_year": "number",
    "share": "percent",
    "mom": "change",
    "yoy": "change",
    "unit": "text",
}


def _row_kind(r: Indicator) -> str:
    if r.unit == PERCENT:
        return "percent"
    if r.unit == YUAN:
        return "money"
    return "number" if isinstance(r.value, float) else "count"


def indicator_sheet(report: MonthlyReport, number: str, table: ReportTable) -> ReportSheet:
    columns = (
        SheetColumn("指标"),
        *(SheetColumn(header, FIELD_KINDS.get(f, "text")) for f, header in table.columns),
        SheetColumn("计算公式"),
    )
    rows = []
    for r in table.rows:
        formula = r.formula + (f"（本期：{r.note}）" if r.value is None and r.note else "")
        rows.append(("　" * r.level + r.label, *(r.field(f) for f, _h in table.columns), formula))
    return ReportSheet(
        name=f"{number}{table.title}",
        title=f"{report.unit}{report.period_label} {table.title}",
        columns=columns,
        rows=tuple(rows),
        meta=(
            f"编制单位：{report.unit}　统计期间：{cn_date(report.start)}至{cn_date(report.end)}"
            f"　数据截至：{cn_date(report.as_of)}　生成日期：{cn_date(report.issued_on)}",
        ),
        notes=(f"注：{table.note}",) if table.note else (),
        bold_rows=frozenset(i for i, r in enumerate(table.rows) if r.is_total),
        row_kinds=tuple(_row_kind(r) for r in table.rows),
    )


def monthly_sheets(report: MonthlyReport) -> list[ReportSheet]:
    sheets = []
    for s_index, section in enumerate(report.sections, start=1):
        for t_index, table in enumerate(section.tables, start=1):
            sheets.append(indicator_sheet(report, f"{s_index}.{t_index} ", table))
        if not section.tables and section.notes:
            sheets.append(
                ReportSheet(
                    name=f"{s_index} {section.title}",
                    title=f"{report.unit}{report.period_label} {section.title}",
                    columns=(SheetColumn("说明"),),
                    rows=tuple((n,) for n in section.notes),
                )
            )
    return sheets


def statistics_sheet(stats: MediationStatistics) -> ReportSheet:
    columns = (
        SheetColumn("类别"),
        SheetColumn("项目"),
        *(SheetColumn(h, kind) for h, kind in STATISTICS_COLUMN_KINDS),
    )
    rows: list[tuple[object, ...]] = []
    bold: set[int] = set()
    for group, block in (("纠纷类型", stats.by_type), ("案件来源", stats.by_source)):
        for r in block:
            if r.is_total:
                bold.add(len(rows))
            rows.append((group, r.label, r.received, r.settled, r.performed, r.confirmed, r.amount))
    return ReportSheet(
        name="人民调解统计表",
        title=stats.title,
        columns=columns,
        rows=tuple(rows),
        meta=(
            f"填报单位：{stats.unit}　统计期间：{cn_date(stats.start)}至{cn_date(stats.end)}"
            f"　数据截至：{cn_date(stats.as_of)}",
        ),
        notes=stats.notes,
        bold_rows=frozenset(bold),
    )


def save_monthly_pdf(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    check_suffix(Path(path), (".pdf",))
    return build_monthly_pdf(report, path)


def save_monthly_docx(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    """The 月报 as an editable Word file: the same content as the PDF (without the charts)."""
    check_suffix(Path(path), (".docx",))
    return build_monthly_docx(report, path)


def save_monthly_workbook(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    return write_report_workbook(Path(path), monthly_sheets(report))


def save_statistics_workbook(stats: MediationStatistics, path: str | os.PathLike[str]) -> Path:
    return write_report_workbook(Path(path), [statistics_sheet(stats)])


def export_monthly(
    ctx: ServiceContext,
    month: str,
    pdf: str | os.PathLike[str] | None,
    xlsx: str | os.PathLike[str] | None = None,
    community: str | None = None,
    today: dt.date | None = None,
    docx: str | os.PathLike[str] | None = None,
) -> MonthlyReport:
    """Compute the report and write the requested files (checked before any work is done)."""
    require(ctx, REPORTS)
    if pdf is not None:
        check_suffix(Path(pdf), (".pdf",))
    if xlsx is not None:
        check_suffix(Path(xlsx), (".xlsx",))
    if docx is not None:
        check_suffix(Path(docx), (".docx",))
    report = monthly_report(ctx, month, community, today=today)
    if pdf is not None:
        save_monthly_pdf(report, pdf)
    if xlsx is not None:
        save_monthly_workbook(report, xlsx)
    if docx is not None:
        save_monthly_docx(report, docx)
    return report


def export_mediation_statistics(
    ctx: ServiceContext,
    period: str,
    path: str | os.PathLike[str],
    community: str | None = None,
    today: dt.date | None = None,
) -> MediationStatistics:
    require(ctx, REPORTS)
    check_suffix(Path(path), (".xlsx",))
    stats = mediation_statistics(ctx, period, community, today=today)
    save_statistics_workbook(stats, path)
    return stats
