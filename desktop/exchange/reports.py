"""Report workbooks (月报, 人民调解统计表): titled sheets of labelled figures, numbers stored as numbers.

A :class:`ReportSheet` is a small table: a title, a few lines about it (单位, 统计期间 …), a header row,
the rows, and notes (formulas, 口径) under it. Each column has a kind that fixes how its cells are
stored: ``text``; ``count`` (whole number); ``number`` (one decimal); ``money`` (元, two decimals);
``percent`` and ``change`` (a fraction such as 0.857 stored as a number with Excel's 0.0% format, so
Excel can calculate with it). ``None`` leaves the cell empty. Column widths fit Chinese text
(:func:`desktop.exchange.writing.display_width`); text that looks like a formula is stored as text.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from desktop.core.errors import ShequError
from desktop.exchange.cells import is_formula_like
from desktop.exchange.writing import atomic_output, check_suffix, display_width, safe_sheet_name

KINDS = ("text", "count", "number", "money", "percent", "change")
NUMBER_FORMATS = {
    "count": "#,##0",
    "number": "#,##0.0",
    "money": "#,##0.00",
    "percent": "0.0%",
    "change": "+0.0%;-0.0%;0.0%",
}
MAX_WIDTH = {"text": 60}


@dataclass(frozen=True)
class SheetColumn:
    header: str
    kind: str = "text"  # one of KINDS
    width: float | None = None  # None: fitted to the contents


@dataclass(frozen=True)
class ReportSheet:
    name: str  # the tab (≤ 31 characters, made safe and unique)
    title: str
    columns: tuple[SheetColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    meta: tuple[str, ...] = ()  # lines under the title: 单位, 统计期间 …
    notes: tuple[str, ...] = ()  # lines under the table: formulas, 口径
    bold_rows: frozenset[int] = field(default_factory=frozenset)  # indexes into rows (合计)
    #: per row, the kind overriding a "number" column's (e.g. a rate row in a value column)
    row_kinds: tuple[str | None, ...] = ()


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"border": 1, "valign": "vcenter", "font_size": 10}
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.meta = wb.add_format({"font_size": 10, "font_color": "#444444"})
        self.note = wb.add_format({"font_size": 9, "font_color": "#444444", "text_wrap": False})
        self.header = wb.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True}
        )
        self.cells: dict[tuple[str, bool], Any] = {}
        for kind in KINDS:
            for bold in (False, True):
                spec: dict[str, Any] = {**base, "bold": bold}
                if bold:
                    spec["bg_color"] = "#EEF3FA"
                if kind == "text":
                    spec["num_format"] = "@"
                else:
                    spec["num_format"] = NUMBER_FORMATS[kind]
                self.cells[(kind, bold)] = wb.add_format(spec)
        self.guarded = {
            bold: wb.add_format({**base, "bold": bold, "num_format": "@", "quote_prefix": True})
            for bold in (False, True)
        }


def _number(value: object) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value if not isinstance(value, float) or math.isfinite(value) else None
    return None


def _cell_width(value: object, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("percent", "change"):
        return 8
    if kind == "money" and _number(value) is not None:
        return len(f"{float(value):,.2f}")  # type: ignore[arg-type]
    if kind in ("count", "number") and _number(value) is not None:
        return len(f"{float(value):,.1f}")  # type: ignore[arg-type]
    return display_width(value)


def _write_sheet(wb: xlsxwriter.Workbook, fmt: _Formats, sheet: ReportSheet, name: str) -> None:
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, sheet.title, fmt.title)
    ws.set_row(0, 22)
    r = 1
    for line in sheet.meta:
        ws.write_string(r, 0, line, fmt.meta)
        r += 1
    header_row = r + (1 if sheet.meta else 0)
    widths = [display_width(c.header) for c in sheet.columns]
    for c, col in enumerate(sheet.columns):
        ws.write_string(header_row, c, col.header, fmt.header)
    for i, row in enumerate(sheet.rows):
        bold = i in sheet.bold_rows
        row_kind = sheet.row_kinds[i] if i < len(sheet.row_kinds) else None
        for c, col in enumerate(sheet.columns):
            value = row[c] if c < len(row) else None
            kind = row_kind if (row_kind and col.kind == "number") else col.kind
            rr = header_row + 1 + i
            number = _number(value) if kind != "text" else None
            if number is not None:
                ws.write_number(rr, c, number, fmt.cells[(kind, bold)])
            elif value is None or value == "":
                ws.write_blank(rr, c, None, fmt.cells[(kind, bold)])
            else:
                text = str(value)
                ws.write_string(
                    rr, c, text, fmt.guarded[bold] if is_formula_like(text) else fmt.cells[("text", bold)]
                )
            widths[c] = max(widths[c], _cell_width(value, kind))
    last = header_row + len(sheet.rows)
    for k, note in enumerate(sheet.notes):
        ws.write_string(last + 2 + k, 0, note, fmt.note)
    for c, col in enumerate(sheet.columns):
        width = col.width or min(max(widths[c], 6) + 2, MAX_WIDTH.get(col.kind, 24))
        ws.set_column(c, c, width)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)


def write_report_workbook(path: Path, sheets: Sequence[ReportSheet]) -> Path:
    """Write ``sheets`` to an .xlsx file atomically; returns the path."""
    path = Path(path)
    check_suffix(path, (".xlsx",))
    if not sheets:
        raise ShequError("没有可导出的表格。")
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        fmt = _Formats(wb)
        used: set[str] = set()
        try:
            for sheet in sheets:
                base = safe_sheet_name(sheet.name)
                name, n = base, 2
                while name.lower() in used:
                    suffix = f"({n})"
                    name, n = base[: 31 - len(suffix)] + suffix, n + 1
                used.add(name.lower())
                _write_sheet(wb, fmt, sheet, name)
            wb.close()
        except (XlsxWriterException, OSError) as exc:
            raise ShequError(f"无法写入“{path.name}”（{exc}）。") from exc
    return path
