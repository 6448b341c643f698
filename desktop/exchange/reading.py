"""Reading spreadsheets people send: .xlsx/.xlsm/.xls (python-calamine) and .csv/.txt (any encoding).

Two steps, both Qt-free:

* :func:`read_sheet` gives every non-blank row of one sheet with its row number **as Excel shows it**
  (1-based, title and blank rows counted) and the sheet's merged ranges;
* :func:`find_table` finds the header row for a :class:`~desktop.exchange.columns.ColumnSpec`
  (title rows, blank rows, merged titles and two-row headers tolerated), fills vertically merged data
  cells down from their anchor, skips totals and footer rows, and returns :class:`Record` objects.

:func:`read_table` does both and, without a sheet name, picks the first sheet that has the columns.

Policies (tested in tests/unit/test_exchange_reading.py):

* Formulas: the value Excel last calculated and saved is read; a formula nobody calculated (files
  written by programs) reads as blank. Macros in .xlsm are never run.
* Numbers: a whole float is presented as ``int`` by :attr:`Cell.value`; :attr:`Cell.raw` keeps what
  the file held so a validator can refuse an ID number typed as a number (Excel keeps 15 digits).
* CSV cells are always text; a leading ``'`` that our own CSV export put before ``= + - @ tab CR``
  (formula-injection defence) is removed again.
* Hidden rows and columns are read like visible ones (calamine does not report visibility).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import python_calamine as calamine

from desktop.core.errors import FileFormatError, NotFoundError, ValidationError
from desktop.exchange.cells import (
    BLANK,
    Cell,
    CellValue,
    MergedRange,
    Sheet,
    SheetRow,
    column_letter,
    exact_text,
    present,
    trim_row,
)
from desktop.exchange.columns import ColumnSpec, normalize_header
from desktop.exchange.csvfiles import decode_text, read_csv_sheet, sniff_delimiter
from desktop.exchange.limits import check_text, check_workbook

__all__ = [
    "BLANK",
    "Cell",
    "CellValue",
    "MergedRange",
    "Record",
    "Sheet",
    "SheetRow",
    "Table",
    "column_letter",
    "decode_text",
    "exact_text",
    "find_table",
    "present",
    "read_sheet",
    "read_table",
    "sheet_names",
    "sniff_delimiter",
]

_T = TypeVar("_T")

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
HEADER_SCAN_ROWS = 30
MAX_FILE_BYTES = 256 * 2**20  # a file is read whole; bigger ones are refused before reading
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总合计")
FOOTER_PREFIXES = (
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "负责人签字",
    "制表日期",
    "填表日期",
    "填报日期",
    "注：",
    "说明：",
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # stream of a password-protected .xlsx
_MAGIC_OTHER = {
    b"%PDF": "PDF 文件",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}


# ---------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Record:
    """One data row of a table, addressed by column key."""

    row: int
    _row: SheetRow
    _columns: Mapping[str, int]

    def cell(self, key: str) -> Cell:
        col = self._columns.get(key)
        return BLANK if col is None else self._row.cell(col)

    def value(self, key: str) -> CellValue:
        return self.cell(key).value

    def text(self, key: str) -> str:
        return self.cell(key).text

    def raw(self, key: str) -> object:
        return self.cell(key).raw

    def raws(self, keys: Iterable[str]) -> dict[str, object]:
        """What the file held in each of ``keys``' cells (None for blank), without building cells."""
        values, columns, width = self._row.values, self._columns, len(self._row.values)
        found: dict[str, object] = {}
        for key in keys:
            col = columns.get(key)
            if col is not None:
                found[key] = values[col] if col < width else None
        return found

    def as_dict(self) -> dict[str, CellValue]:
        return {key: self.value(key) for key in self._columns}


@dataclass
class Table:
    sheet: Sheet
    spec: ColumnSpec
    header_row: int  # the (first) header row number
    header_end: int  # the last header row (header_row + 1 for a two-row header)
    columns: dict[str, int]  # column key → column index
    records: list[Record]
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why): totals and footer rows
    ignored_headers: list[str] = field(default_factory=list)  # headers of columns not in the spec

    def has(self, key: str) -> bool:
        return key in self.columns

    @property
    def missing(self) -> list[str]:
        """Headers of optional columns the file does not have."""
        return [c.header for c in self.spec if c.key not in self.columns]


# ---------------------------------------------------------------- opening files


def _check_path(path: Path) -> bytes:
    if not path.exists():
        raise NotFoundError(f"找不到文件“{path}”。")
    if path.is_dir():
        raise FileFormatError(f"“{path}”是一个文件夹，请选择 Excel 或 CSV 文件。")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FileFormatError(
            f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：{path.name}。请使用 Excel（.xlsx、.xls）或 CSV 文件。"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileFormatError(
                f"文件“{path.name}”有 {size / 2**20:,.0f} MB，超过本程序一次能读取的上限（{MAX_FILE_BYTES // 2**20} MB）。"
                "请把表格拆成几个较小的文件后再导入。"
            )
        return path.read_bytes()
    except OSError as exc:
        raise FileFormatError(
            f"无法读取文件“{path.name}”（{exc.strerror or exc}）。如果它正在其他程序中打开，请关闭后重试。"
        ) from exc


def _is_workbook_bytes(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", _OLE_MAGIC))


def _not_a_spreadsheet(path: Path, data: bytes) -> FileFormatError | None:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return FileFormatError(f"文件“{path.name}”是空的，没有可读取的内容。")
    for magic, what in _MAGIC_OTHER.items():
        if data.startswith(magic):
            return FileFormatError(f"文件“{path.name}”是{what}，不是 Excel 或 CSV 表格。")
    return None


def _calamine_failure(path: Path, exc: BaseException) -> FileFormatError:
    if isinstance(exc, calamine.PasswordError):
        return FileFormatError(
            f"文件“{path.name}”设有打开密码，无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿）后另存再导入。"
        )
    return FileFormatError(
        f"文件“{path.name}”不是有效的 Excel 文件，可能已损坏或只下载了一部分。请用 Excel 打开后另存为 .xlsx 再导入。"
    )


def _guard_calamine(path: Path, fn: Callable[[], _T]) -> _T:
    """Run a calamine call, turning its errors (and Rust panics, which are BaseExceptions) into ours."""
    try:
        return fn()
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except MemoryError as exc:  # a zip bomb or a gigantic sheet
        raise FileFormatError(f"文件“{path.name}”太大，无法读取。请分成几个文件再导入。") from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        raise _calamine_failure(path, exc) from exc


def _open_workbook(path: Path, data: bytes) -> calamine.CalamineWorkbook:
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise _calamine_failure(path, calamine.PasswordError())
    if data.startswith(b"PK\x03\x04"):
        check_workbook(path.name, data)  # declared and real sizes, before calamine allocates for them
    return _guard_calamine(path, lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))


def _worksheet_names(path: Path, wb: calamine.CalamineWorkbook) -> list[str]:
    names = [
        m.name
        for m in wb.sheets_metadata
        if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible
    ]
    if not names:
        names = [m.name for m in wb.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    if not names:
        raise FileFormatError(f"文件“{path.name}”中没有工作表。")
    return names


def _load_calamine_sheet(
    path: Path, wb: calamine.CalamineWorkbook, name: str, nrows: int | None = None
) -> Sheet:
    def load() -> tuple[Sequence[Sequence[object]], list[tuple[tuple[int, int], tuple[int, int]]]]:
        ws = wb.get_sheet_by_name(name)
        # skip_empty_area=False: index 0 is row 1 / column A, whatever the first used cell is
        return ws.to_python(skip_empty_area=False, nrows=nrows), ws.merged_cell_ranges or []

    data, ranges = _guard_calamine(path, load)
    rows: list[SheetRow] = []
    for index, values in enumerate(data):
        cleaned = tuple(None if v == "" else v for v in values)
        if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in cleaned):
            rows.append(SheetRow(index + 1, trim_row(cleaned)))
    merged = [MergedRange(r0 + 1, r1 + 1, c0, c1) for (r0, c0), (r1, c1) in ranges if (r0, c0) != (r1, c1)]
    return Sheet(path, name, rows, merged)


# ---------------------------------------------------------------- public: sheets


def _classify(path: Path) -> tuple[bytes, bool]:
    """(file bytes, is it a workbook) — by content, not by name; refuses what is neither."""
    data = _check_path(path)
    if problem := _not_a_spreadsheet(path, data):
        raise problem
    if _is_workbook_bytes(data):
        return data, True
    check_text(path.name, data)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        what = "网页（HTML）" if data.lstrip()[:1] == b"<" else "文本"
        raise FileFormatError(
            f"文件“{path.name}”的扩展名是 {path.suffix}，但内容是{what}，不是 Excel 文件。请用 Excel 打开后另存为 .xlsx 再导入。"
        )
    return data, False


def sheet_names(path: Path) -> list[str]:
    """Visible worksheets of a workbook, in order; a CSV file has one sheet named after the file."""
    path = Path(path)
    data, is_workbook = _classify(path)
    if not is_workbook:
        return [path.stem]
    with _open_workbook(path, data) as wb:
        return _worksheet_names(path, wb)


def read_sheet(path: Path, sheet: str | int | None = None, *, nrows: int | None = None) -> Sheet:
    """One sheet (by name, by index among visible worksheets, or the first visible one).

    ``nrows`` reads only the top of a workbook sheet (for previews); a CSV file is read whole.
    """
    path = Path(path)
    data, is_workbook = _classify(path)
    if not is_workbook:
        return read_csv_sheet(path, data)
    with _open_workbook(path, data) as wb:
        names = _worksheet_names(path, wb)
        return _load_calamine_sheet(path, wb, _pick_sheet(path, wb, names, sheet), nrows)


def _pick_sheet(path: Path, wb: calamine.CalamineWorkbook, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise ValidationError(f"文件“{path.name}”只有 {len(names)} 个工作表。", field="sheet")
    if sheet in wb.sheet_names:
        return sheet
    wanted = sheet.strip()
    for name in wb.sheet_names:
        if name.strip() == wanted:
            return name
    raise ValidationError(
        f"文件“{path.name}”中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）。", field="sheet"
    )


# ---------------------------------------------------------------- public: tables


def _header_text(raw: object) -> str:
    return raw.strip() if isinstance(raw, str) else exact_text(raw)


def _match_row(row: SheetRow, spec: ColumnSpec) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, raw in enumerate(row.values):
        if raw is None:
            continue
        column = spec.match(_header_text(raw))
        if column is not None and column.key not in found:
            found[column.key] = col
    return found


@dataclass(frozen=True)
class _HeaderGuess:
    row: SheetRow | None
    columns: dict[str, int]

    @property
    def score(self) -> int:
        return len(self.columns)


def _guess_header(sheet: Sheet, spec: ColumnSpec, scan_rows: int) -> _HeaderGuess:
    best = _HeaderGuess(None, {})
    for row in sheet.rows[:scan_rows]:
        guess = _HeaderGuess(row, _match_row(row, spec))
        if guess.score > best.score:
            best = guess
    return best


def _missing_required(spec: ColumnSpec, columns: Mapping[str, int]) -> list[str]:
    return [c.header for c in spec.required if c.key not in columns]


def _unknown_columns(sheet: Sheet, spec: ColumnSpec, guess: _HeaderGuess, scan_rows: int) -> ValidationError:
    expected = "、".join(spec.headers)
    required = "、".join(c.header for c in spec.required)
    shown = guess.row
    if shown is None or guess.score == 0:  # show the widest row near the top: most likely the header
        candidates = sheet.rows[:scan_rows]
        shown = max(candidates, key=lambda r: sum(v is not None for v in r.values), default=None)
    if shown is None:
        return ValidationError(f"{sheet.label}中没有数据。应有的列：{expected}。")
    texts = [_header_text(v) for v in shown.values if v is not None and _header_text(v).strip()]
    found = "、".join(t.replace("\n", " ") for t in texts[:20]) + ("…" if len(texts) > 20 else "")
    missing = "、".join(_missing_required(spec, guess.columns)) or required
    return ValidationError(
        f"{sheet.label}找不到所需的列（缺少：{missing}）。应有的列：{expected}；"
        f"第 {shown.number} 行是：{found}。请检查表头或选择正确的工作表。"
    )


def _two_row_header(sheet: Sheet, spec: ColumnSpec, header: SheetRow, columns: dict[str, int]) -> int:
    """The last header row. A two-row header is recognised by merged cells in the header row:

    * a header cell merged downwards ("姓名" over rows 3–4) makes rows 3–4 the header;
    * a header cell merged sideways ("联系方式" over D3:E3) with headers right below it ("手机",
      "座机" in D4:E4) makes row 4 part of the header. A merged header with data below stays one row.
    """
    touching = [m for m in sheet.merged if m.first_row <= header.number <= m.last_row]
    end = max((m.last_row for m in touching), default=header.number)
    below = {r.number: r for r in sheet.rows if header.number < r.number <= end + 1}
    for number in range(header.number + 1, end + 1):
        if number in below:
            for key, col in _match_row(below[number], spec).items():
                columns.setdefault(key, col)
    sideways = [m for m in touching if m.last_col > m.first_col]
    following = below.get(end + 1)
    if sideways and following is not None:
        spans = [(m.first_col, m.last_col) for m in sideways]
        found = {
            key: col
            for key, col in _match_row(following, spec).items()
            if key not in columns and any(a <= col <= b for a, b in spans)
        }
        if found:
            columns.update(found)
            end += 1
    return end


def _skip_reason(row: SheetRow) -> str | None:
    """Totals ("合计"/"总计"/"小计" in the first cells) and footer lines ("填表人：…") are not data."""
    firsts = list(itertools.islice((v for v in row.values if present(v) is not None), 2))
    for value in firsts:
        if isinstance(value, str) and normalize_header(value).startswith(TOTAL_WORDS):
            return "合计行"
    if firsts and isinstance(firsts[0], str):
        head = firsts[0].strip().replace(":", "：")
        if head.startswith(FOOTER_PREFIXES):
            return "表尾说明"
    return None


def _fill_merged_down(sheet: Sheet, header_end: int, rows: list[SheetRow]) -> list[SheetRow]:
    """Copy a vertically merged data cell's anchor value into the rows it covers (its first column)."""
    ranges = [m for m in sheet.merged if m.first_row > header_end and m.last_row > m.first_row]
    if not ranges:
        return rows
    by_number = {r.number: i for i, r in enumerate(rows)}
    anchors = {r.number: r for r in sheet.rows}
    for m in ranges:
        anchor = anchors.get(m.first_row)
        if anchor is None:
            continue
        value = anchor.values[m.first_col] if m.first_col < len(anchor.values) else None
        if value is None:
            continue
        for number in range(m.first_row + 1, m.last_row + 1):
            i = by_number.get(number)
            if i is None:
                continue  # a row with nothing else in it stays out
            row = rows[i]
            values = list(row.values) + [None] * max(0, m.first_col + 1 - len(row.values))
            if values[m.first_col] is None:
                values[m.first_col] = value
                rows[i] = replace(row, values=tuple(values), filled={**row.filled, m.first_col: m.first_row})
    return rows


def find_table(sheet: Sheet, spec: ColumnSpec, *, scan_rows: int = HEADER_SCAN_ROWS) -> Table:
    """Locate the header row for ``spec`` and return the data rows below it.

    Raises ValidationError (one line, Chinese) listing the expected and the found headers when the
    sheet has no row with all the required columns.
    """
    guess = _guess_header(sheet, spec, scan_rows)
    if guess.row is None or _missing_required(spec, guess.columns) or guess.score == 0:
        raise _unknown_columns(sheet, spec, guess, scan_rows)
    header = guess.row
    columns = dict(guess.columns)
    header_end = _two_row_header(sheet, spec, header, columns)
    ignored = [
        _header_text(v).replace("\n", " ")
        for c, v in enumerate(header.values)
        if v is not None and c not in columns.values() and _header_text(v).strip()
    ]
    used = sorted(set(columns.values()))
    data_rows: list[SheetRow] = []
    skipped: list[tuple[int, str]] = []
    for row in sheet.rows:
        if row.number <= header_end:
            continue
        reason = _skip_reason(row)
        if reason:
            skipped.append((row.number, reason))
            continue
        data_rows.append(row)
    data_rows = _fill_merged_down(sheet, header_end, data_rows)
    records = [Record(r.number, r, columns) for r in data_rows if not r.is_blank(used)]
    return Table(sheet, spec, header.number, header_end, columns, records, skipped, ignored)


def read_table(
    path: Path, spec: ColumnSpec, sheet: str | int | None = None, *, scan_rows: int = HEADER_SCAN_ROWS
) -> Table:
    """Open ``path`` and find ``spec``'s table.

    Without ``sheet``, the first visible worksheet whose top rows hold the required columns is used
    (so an instructions sheet in front does not get in the way). A CSV file has one sheet: ``sheet``
    is ignored for it.
    """
    path = Path(path)
    data, is_workbook = _classify(path)
    if not is_workbook:
        return find_table(read_csv_sheet(path, data), spec, scan_rows=scan_rows)
    with _open_workbook(path, data) as wb:
        names = _worksheet_names(path, wb)
        if sheet is not None or len(names) == 1:
            return find_table(
                _load_calamine_sheet(path, wb, _pick_sheet(path, wb, names, sheet)), spec, scan_rows=scan_rows
            )
        for name in names:
            top = _load_calamine_sheet(path, wb, name, nrows=scan_rows * 3)
            guess = _guess_header(top, spec, scan_rows)
            if guess.score and not _missing_required(spec, guess.columns):
                return find_table(_load_calamine_sheet(path, wb, name), spec, scan_rows=scan_rows)
        return find_table(_load_calamine_sheet(path, wb, names[0]), spec, scan_rows=scan_rows)
