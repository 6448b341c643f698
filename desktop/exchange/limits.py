"""Stated limits on the files we read, checked before any reader allocates for them.

A workbook declares its own size: an 86 KB .xlsx with one cell at XFD1048576 makes a reader allocate a
16,384 × 1,048,576 grid (hundreds of GB) and the process dies; a few MB of compressed sharedStrings
expand to gigabytes. So before a workbook goes to calamine its zip directory is read (uncompressed part
sizes), and every worksheet's ``<dimension ref>`` and the cell references it really holds are scanned
in a streaming pass (bounded memory). A text table is counted (lines, bytes) before it is parsed.

Limits (``ReadLimits``; the row cap is a setting, the rest protect the process):

* rows: at most ``max_rows`` (300,000 by default; Excel's own hard limit is 1,048,576);
* columns: at most 200; cells (rows × columns of the used area): at most 50 million;
* uncompressed XML of the whole workbook: at most 512 MB; the shared strings: at most 200 MB;
* a text table: at most 128 MB.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import FileFormatError

EXCEL_HARD_ROWS = 1_048_576
EXCEL_HARD_COLUMNS = 16_384
MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int = 300_000
    max_columns: int = 200
    max_cells: int = 50_000_000
    max_xml_bytes: int = 512 * MB
    max_shared_strings_bytes: int = 200 * MB
    max_text_bytes: int = 128 * MB


LIMITS = ReadLimits()

# a cell's reference (<row r="5"> has no letters), its column and its row found in two passes: a list of
# bytes each is cheaper than a list of pairs (1.9 M cells: 1.38 → 0.91 s). The reference follows any XML
# whitespace: the block's other whitespace becomes a space first, so the patterns start with a literal the
# regex engine jumps to (0.75 → 0.44 s), and find exactly what ``\sr="…"`` finds in the block as it is
_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c", b"     ")
_REF_COLUMN_RE = re.compile(rb' r="([A-Z]{1,3})[0-9]{1,7}"')
_REF_ROW_RE = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
_DIMENSION_RE = re.compile(
    rb'<dimension\b[^>]*?\bref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"'
)
_CHUNK = 1 << 20


def column_number(letters: bytes | str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n


def _too_big(name: str, what: str, limit: str) -> FileFormatError:
    return FileFormatError(
        f"文件“{name}”{what}，超过本程序一次能读取的上限（{limit}）。请把表格拆成几个较小的文件（或删除多余的空行、空列）后再导入。"
    )


def _check_extent(name: str, sheet: str, rows: int, cols: int, limits: ReadLimits, declared: bool) -> None:
    how = "声明的" if declared else ""
    where = f"工作表“{sheet}”{how}范围有"
    if rows > EXCEL_HARD_ROWS or cols > EXCEL_HARD_COLUMNS:
        raise _too_big(name, f"{where} {rows:,} 行 × {cols:,} 列", "Excel 最多 1,048,576 行、16,384 列")
    if rows > limits.max_rows:
        raise _too_big(name, f"{where} {rows:,} 行", f"{limits.max_rows:,} 行")
    if cols > limits.max_columns:
        raise _too_big(name, f"{where} {cols:,} 列", f"{limits.max_columns} 列")
    if rows * cols > limits.max_cells:
        raise _too_big(name, f"{where} {rows * cols:,} 个单元格", f"{limits.max_cells:,} 个单元格")


def check_workbook(name: str, data: bytes, limits: ReadLimits | None = None) -> None:
    """Refuse an .xlsx/.xlsm whose parts or sheets are beyond ``limits`` (a zip that is not one too)."""
    limits = limits or LIMITS
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(
            f"文件“{name}”不是有效的 Excel 文件，可能已损坏或只下载了一部分。请用 Excel 打开后另存为 .xlsx 再导入。"
        ) from exc
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.max_xml_bytes:
            raise _too_big(name, f"解压后有 {total / MB:,.0f} MB", f"{limits.max_xml_bytes // MB} MB")
        for info in infos:
            lower = info.filename.lower()
            if lower.endswith("sharedstrings.xml") and info.file_size > limits.max_shared_strings_bytes:
                raise _too_big(
                    name,
                    f"的共享文本（sharedStrings）解压后有 {info.file_size / MB:,.0f} MB",
                    f"{limits.max_shared_strings_bytes // MB} MB",
                )
        for info in infos:
            lower = info.filename.lower()
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                _check_sheet(zf, info, name, limits)


def _blocks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The part's text in blocks (whitespace made spaces), each ending 64 bytes early: those bytes may hold a
    reference cut in two and begin the next block."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                block = (tail + chunk).translate(_SPACES)
                cut = max(len(block) - 64, 0)
                yield block[:cut]
                tail = block[cut:]
        yield tail
    except Exception as exc:  # BadZipFile, EOFError, zlib.error, a CRC mismatch …
        raise FileFormatError(
            f"文件“{name}”已损坏（压缩数据无法解开）。请用 Excel 打开后另存为 .xlsx 再导入。"
        ) from exc


def _greater(number: int) -> bytes:
    """A pattern for the decimal numbers (up to 7 digits, no leading zero) greater than ``number``."""
    digits = str(number)
    width = len(digits)
    options = [rb"[1-9][0-9]{%d,%d}" % (width, max(width, 6))] if width < 7 else []
    for i, ch in enumerate(digits):
        if ch != "9":
            options.append(b"%s[%d-9][0-9]{%d}" % (digits[:i].encode(), int(ch) + 1, width - i - 1))
    return b"(?:" + b"|".join(options) + b")" if options else b"(?!)"


def _beyond(last_column: bytes, last_row: int) -> re.Pattern[bytes] | None:
    """A pattern that finds a cell reference outside ``A1:<last_column><last_row>`` (a column further right
    or a row further down, or a row number written with a leading zero), None when the declared range has
    more than 26 columns (then the sheet is scanned in full)."""
    if len(last_column) != 1:
        return None
    letter = last_column[0]
    columns = rb"[A-Z]{2,3}" if letter == ord("Z") else rb"(?:[%c-Z]|[A-Z]{2,3})" % (letter + 1)
    return re.compile(rb' r="(?:%s[0-9]{1,7}|[A-Z]{1,3}(?:0[0-9]{0,6}|%s))"' % (columns, _greater(last_row)))


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ReadLimits) -> None:
    """The sheet's declared range (``<dimension>``) and its cells' references within the limits. Most files
    declare their range truly: one search for a reference outside it (it finds none) is enough, about a
    third of the time of reading every reference; a sheet that declares none, or whose cells go beyond
    it, has every reference read."""
    sheet = Path(info.filename).stem
    blocks = _blocks(zf, info, name)
    first = next(blocks)
    m = _DIMENSION_RE.search(first[:65536])
    if m and m.group(3):
        last_column, last_row = m.group(3), int(m.group(4))
        _check_extent(name, sheet, last_row, column_number(last_column), limits, declared=True)
        beyond = _beyond(last_column, last_row)
        if beyond is not None and not any(beyond.search(b) for b in itertools.chain([first], blocks)):
            return  # every cell inside the declared range, which is inside the limits
        blocks = _blocks(zf, info, name)
        first = next(blocks)
    max_row = 0
    letters: set[bytes] = set()
    for block in itertools.chain([first], blocks):
        rows = _REF_ROW_RE.findall(block)
        if rows:
            letters.update(_REF_COLUMN_RE.findall(block))
            max_row = max(max_row, max(map(int, rows)))
    max_col = max((column_number(c) for c in letters), default=0)
    _check_extent(name, sheet, max_row, max_col, limits, declared=False)


def check_text(name: str, data: bytes, limits: ReadLimits | None = None) -> None:
    """Refuse a text table beyond the byte or row limits (counted before parsing)."""
    limits = limits or LIMITS
    if len(data) > limits.max_text_bytes:
        raise _too_big(name, f"有 {len(data) / MB:,.0f} MB", f"{limits.max_text_bytes // MB} MB")
    lines = data.count(b"\n") or data.count(b"\r")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:2] == b"\x00" or data[:1] == b"\x00":
        lines = max(data.count(b"\n\x00"), data.count(b"\x00\n"))  # UTF-16
    if lines > limits.max_rows + 100:  # title and footer lines are allowed for
        raise _too_big(name, f"约有 {lines:,} 行", f"{limits.max_rows:,} 行")
