"""Writing spreadsheets safely: .xlsx through XlsxWriter (row by row, flat memory) and .csv for Excel.

Every writer:

* writes to a temporary file in the target folder, flushes it to disk and renames it over the target
  (:func:`atomic_output`), so a crash or a full disk never leaves half a file under the real name;
* defends against formula injection: a text starting with ``= + - @ tab CR`` is written as text
  (xlsx: a string cell with Excel's quote prefix; CSV: prefixed with ``'``), never as a formula;
* keeps ``ColumnKind.TEXT`` columns (ID numbers, phones, codes) as text with the "@" format, so an
  18-digit ID never turns into 1.1E+17; numbers stay numbers; dates get a yyyy-mm-dd format.

Rows are sequences in column order or mappings keyed by :attr:`Column.key`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import math
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from desktop.core.errors import ShequError, ValidationError
from desktop.exchange.cells import FORMULA_PREFIXES, is_formula_like
from desktop.exchange.columns import Column, ColumnKind
from desktop.exchange.issues import ImportIssue, Severity, value_text

EXPORT_SUFFIXES = (".xlsx", ".csv")
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_STRING = 32_767
WIDTH_SAMPLE_ROWS = 1000  # column widths are fitted to the header and the first rows
MAX_SAFE_INT = 2**53  # larger integers lose digits as Excel numbers: written as text
_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})

Progress = Callable[[int], None]
Row = Sequence[object] | Mapping[str, object]

ISSUE_COLUMNS = (
    Column("row", "行号", kind=ColumnKind.NUMBER, max_width=8),
    Column("field", "字段", kind=ColumnKind.TEXT, max_width=20),
    Column("value", "值", kind=ColumnKind.TEXT, max_width=40),
    Column("reason", "原因", kind=ColumnKind.TEXT, max_width=80),
)


# ---------------------------------------------------------------- helpers


def display_width(value: object) -> int:
    """Width in character cells: CJK and full-width characters count 2; the widest line counts."""
    text = value_text(value)
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")),
        default=0,
    )


CUT_NOTE = "……〔以下内容超过 Excel 单元格 32,767 字的上限，未能写入，完整内容请在程序中查看〕"


def fit_excel_cell(text: str) -> str:
    """``text`` as one Excel cell holds it: beyond 32,767 characters it is cut, and the cell says so."""
    if len(text) <= EXCEL_MAX_STRING:
        return text
    return text[: EXCEL_MAX_STRING - len(CUT_NOTE)] + CUT_NOTE


def defang_csv(text: str) -> str:
    """``'`` before a formula-like text, so Excel, WPS and LibreOffice show it instead of running it.

    A text that already starts with quotes before a formula character gets one more, so that the
    reader, which removes one quote from such values, gives back exactly what was written.
    """
    text = text.replace("\x00", "")
    return "'" + text if is_formula_like(text.lstrip("'")) else text


def safe_sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank."""
    cleaned = name.translate(_SHEET_NAME_BAD).strip("'").strip()
    return (cleaned or "Sheet1")[:31]


def _values(row: Row, columns: Sequence[Column]) -> Sequence[object]:
    if isinstance(row, Mapping):
        return [row.get(c.key) for c in columns]
    return row


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; on success it is synced and renamed over ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ShequError(f"无法写入“{target}”：文件夹“{folder}”不存在。")
    if target.is_dir():
        raise ShequError(f"无法写入“{target}”：这是一个文件夹，请给出文件名。")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=folder)
    except PermissionError as exc:
        raise ShequError(
            f"无法写入“{target}”：没有写入权限（文件夹“{folder}”是只读的）。请换一个位置。"
        ) from exc
    except OSError as exc:
        raise ShequError(f"无法写入“{target.name}”（{exc.strerror or exc}）。") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except PermissionError as exc:
        raise ShequError(
            f"无法写入“{target.name}”：文件可能正在 Excel 或 WPS 中打开，或没有写入权限。请关闭后重试。"
        ) from exc
    except OSError as exc:
        raise ShequError(f"无法写入“{target.name}”（{exc.strerror or exc}）。") from exc
    finally:
        tmp.unlink(missing_ok=True)


def check_suffix(path: Path, allowed: Sequence[str] = EXPORT_SUFFIXES) -> str:
    """The lower-case suffix of ``path`` if it is one of ``allowed``; else a ValidationError."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ValidationError(
            f"不支持导出为“{Path(path).suffix or '（无扩展名）'}”文件，请使用 {' 或 '.join(allowed)} 文件。",
            field="out",
        )
    return suffix


# ---------------------------------------------------------------- xlsx


class _XlsxFormats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter", "text_wrap": True}
        )
        self.text = wb.add_format({"num_format": "@"})
        self.guarded = wb.add_format({"num_format": "@", "quote_prefix": True})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time = wb.add_format({"num_format": "hh:mm:ss"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


def _write_cell(ws: Any, fmt: _XlsxFormats, r: int, c: int, value: object, column: Column) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "是" if value else "否"
    if column.kind == ColumnKind.TEXT and not isinstance(value, str):
        value = value_text(value)
    if isinstance(value, str):
        text = fit_excel_cell(value)
        ws.write_string(r, c, text, fmt.guarded if is_formula_like(text) else fmt.text)
    elif isinstance(value, decimal.Decimal | int | float):
        number = float(value) if isinstance(value, decimal.Decimal) else value
        if isinstance(number, float) and not math.isfinite(number):
            return
        if isinstance(number, int) and abs(number) >= MAX_SAFE_INT:
            ws.write_string(r, c, str(number), fmt.text)
        else:
            ws.write_number(r, c, number)
    elif isinstance(value, dt.datetime):
        if value.year < 1900:
            ws.write_string(r, c, value.isoformat(sep=" "), fmt.text)
        else:
            ws.write_datetime(r, c, value.replace(tzinfo=None), fmt.datetime)
    elif isinstance(value, dt.date):
        if value.year < 1900:
            ws.write_string(r, c, value.isoformat(), fmt.text)
        else:
            ws.write_datetime(r, c, value, fmt.date)
    elif isinstance(value, dt.time):
        ws.write_datetime(r, c, value, fmt.time)
    else:
        text = value_text(value)
        ws.write_string(r, c, text, fmt.guarded if is_formula_like(text) else fmt.text)


def _fitted_width(column: Column, widest: int) -> float:
    if column.kind == ColumnKind.DATE:
        widest = max(widest, 10)
    return float(min(max(widest, 4) + 2, column.max_width))


def write_xlsx(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    sheet_name: str = "Sheet1",
    progress: Progress | None = None,
) -> int:
    """Write one sheet: bold frozen header with autofilter, fitted widths. Returns the number of data rows."""
    path = Path(path)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,  # rows go to disk as written: flat memory for 100k rows
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        try:
            count = _fill_sheet(wb, columns, rows, safe_sheet_name(sheet_name), progress)
        except BaseException:
            _close_quietly(wb)
            raise
        try:
            wb.close()
        except (XlsxWriterException, OSError) as exc:
            raise ShequError(f"无法写入“{path.name}”（{exc}）。") from exc
    return count


def _close_quietly(wb: xlsxwriter.Workbook) -> None:
    with contextlib.suppress(Exception):  # the original error matters; the temp file is removed anyway
        wb.close()


def _fill_sheet(
    wb: xlsxwriter.Workbook,
    columns: Sequence[Column],
    rows: Iterable[Row],
    sheet_name: str,
    progress: Progress | None,
) -> int:
    ws = wb.add_worksheet(sheet_name)
    fmt = _XlsxFormats(wb)
    widths = [display_width(c.header) for c in columns]
    for c, column in enumerate(columns):
        ws.write_string(0, c, column.header, fmt.header)
    # a text or a date goes straight to XlsxWriter (what _write_cell does with it, without its type
    # dispatch): an export is millions of cells, most of them short texts. A date in a TEXT column is text.
    write_string, text, guarded, width = ws.write_string, fmt.text, fmt.guarded, len(columns)
    write_datetime, date = ws.write_datetime, fmt.date
    dated = [column.kind != ColumnKind.TEXT for column in columns]
    count = 0
    for count, row in enumerate(rows, start=1):
        if count >= EXCEL_MAX_ROWS:
            raise ValidationError(
                f"数据超过 Excel 的行数上限（{EXCEL_MAX_ROWS - 1} 行），请分批导出或导出为 CSV。"
            )
        values = row if isinstance(row, tuple) else _values(row, columns)  # (not an ABC check per row)
        if len(values) > width:
            values = values[:width]
        for c, value in enumerate(values):
            if value.__class__ is str:
                if value:
                    if len(value) > EXCEL_MAX_STRING:
                        value = fit_excel_cell(value)
                    write_string(count, c, value, guarded if value.startswith(FORMULA_PREFIXES) else text)
            elif value.__class__ is dt.date and dated[c] and value.year >= 1900:
                write_datetime(count, c, value, date)
            elif value is not None:
                _write_cell(ws, fmt, count, c, value, columns[c])
        if count <= WIDTH_SAMPLE_ROWS:
            for c, value in enumerate(values):
                if value is not None:
                    widths[c] = max(widths[c], display_width(value))
        if progress is not None and count % 1000 == 0:
            progress(count)
    # column settings may follow the rows in constant_memory mode: they are written at close
    for c, column in enumerate(columns):
        ws.set_column(
            c, c, _fitted_width(column, widths[c]), fmt.text if column.kind == ColumnKind.TEXT else None
        )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(count, 1), len(columns) - 1)
    if progress is not None:
        progress(count)
    return count


# ---------------------------------------------------------------- csv


def _csv_text(value: object, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, str):
        return defang_csv(value)
    text = value_text(value)
    return defang_csv(text) if column.kind == ColumnKind.TEXT else text


def write_csv(
    path: Path, columns: Sequence[Column], rows: Iterable[Row], *, progress: Progress | None = None
) -> int:
    """UTF-8 with BOM (Excel opens it as UTF-8), CRLF line ends. Returns the number of data rows.

    Note: Excel shows an 18-digit number in a CSV as 1.1E+17 however it is written; for files people
    open in Excel, export .xlsx. This program reads its own CSV back exactly.
    """
    path = Path(path)
    count = 0
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([c.header for c in columns])
        for count, row in enumerate(rows, start=1):
            values = _values(row, columns)
            writer.writerow(
                [_csv_text(values[c] if c < len(values) else None, col) for c, col in enumerate(columns)]
            )
            if progress is not None and count % 1000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count


# ---------------------------------------------------------------- by suffix, error workbook


def write_table(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    sheet_name: str = "Sheet1",
    progress: Progress | None = None,
) -> int:
    """.xlsx or .csv by the file's suffix; any other suffix → ValidationError."""
    if check_suffix(path, EXPORT_SUFFIXES) == ".csv":
        return write_csv(path, columns, rows, progress=progress)
    return write_xlsx(path, columns, rows, sheet_name=sheet_name, progress=progress)


def write_issues(path: Path, issues: Iterable[ImportIssue], *, sheet_name: str = "导入问题") -> int:
    """The error workbook (行号, 字段, 值, 原因) an import hands back; .xlsx or .csv. Returns the row count."""
    rows = (
        (
            issue.row,
            issue.field or "",
            value_text(issue.value),
            ("提示：" if issue.severity == Severity.WARNING else "") + issue.reason,
        )
        for issue in issues
    )
    return write_table(path, ISSUE_COLUMNS, rows, sheet_name=sheet_name)
