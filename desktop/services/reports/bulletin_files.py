"""一月一通报 / 一季一排名 files: the PDF (atomic, via ``layout.build_pdf``) and the workbook (one sheet per
table, the same values as the PDF stored as numbers), each export recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from desktop.core.errors import ValidationError
from desktop.documents.reports.grid_bulletin import FORMULAS, build_bulletin_pdf, bulletin_tables
from desktop.documents.reports.monthly import cn_date
from desktop.domain.bulletin import GridBulletin
from desktop.exchange.reports import ReportSheet, SheetColumn, write_report_workbook
from desktop.exchange.writing import check_suffix
from desktop.services.context import ServiceContext
from desktop.services.reports.grid_bulletin import bulletin_figures


def bulletin_sheets(b: GridBulletin) -> list[ReportSheet]:
    meta = (
        f"编制单位：{b.unit}　统计期间：{cn_date(b.start)}至{cn_date(b.end)}　生成日期：{cn_date(b.issued_on)}",
    )
    sheets = []
    for t in bulletin_tables(b):
        notes = (b.ranking_formula,) if t.title.endswith("网格排名") else FORMULAS
        sheets.append(
            ReportSheet(
                name=t.title,
                title=f"{b.unit}{b.label} {t.title}",
                columns=tuple(SheetColumn(h, k) for h, k in t.columns),
                rows=t.rows,
                meta=meta,
                notes=notes,
                bold_rows=t.bold_rows,
            )
        )
    return sheets


def _export(
    ctx: ServiceContext,
    b: GridBulletin,
    pdf: str | os.PathLike[str],
    xlsx: str | os.PathLike[str] | None,
) -> None:
    build_bulletin_pdf(b, pdf)
    files = [str(Path(pdf).resolve())]
    if xlsx is not None:
        write_report_workbook(Path(xlsx), bulletin_sheets(b))
        files.append(str(Path(xlsx).resolve()))
    with ctx.write() as uow:
        uow.audit(
            "export",
            "report",
            None,
            summary=f"生成{b.title}",
            after={"files": files, "period": b.period, "community": b.community},
        )


def _check(pdf: str | os.PathLike[str], xlsx: str | os.PathLike[str] | None) -> None:
    check_suffix(Path(pdf), (".pdf",))
    if xlsx is not None:
        check_suffix(Path(xlsx), (".xlsx",))


def export_grid_bulletin(
    ctx: ServiceContext,
    month: str,
    pdf: str | os.PathLike[str],
    xlsx: str | os.PathLike[str] | None = None,
    community: str | None = None,
    today: dt.date | None = None,
) -> GridBulletin:
    """一月一通报 of ``month`` (with the quarter's ranking when the month ends a quarter)."""
    _check(pdf, xlsx)
    if "Q" in month.upper():
        raise ValidationError(f"月份“{month}”格式不正确，应为 YYYY-MM，例如 2026-10。", field="month")
    b = bulletin_figures(ctx, month, community, today)
    _export(ctx, b, pdf, xlsx)
    return b


def export_grid_ranking(
    ctx: ServiceContext,
    quarter: str,
    pdf: str | os.PathLike[str],
    xlsx: str | os.PathLike[str] | None = None,
    community: str | None = None,
    today: dt.date | None = None,
) -> GridBulletin:
    """一季一排名 of ``quarter`` ("2026Q3")."""
    _check(pdf, xlsx)
    if "Q" not in quarter.upper():
        raise ValidationError(f"季度“{quarter}”格式不正确，应为例如 2026Q3。", field="quarter")
    b = bulletin_figures(ctx, quarter, community, today, with_ranking=True)
    _export(ctx, b, pdf, xlsx)
    return b
