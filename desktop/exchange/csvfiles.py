"""Text tables: CSV saved by Excel/WPS in any of the encodings Chinese Windows uses, and "Unicode text".

Encoding detection: BOM (UTF-8, UTF-16) → UTF-16 without BOM (NUL pattern) → strict UTF-8 →
GB18030 (a superset of GBK/CP936, so 䶮 and other rare name characters survive) → refuse.
Row numbers count CSV records (a quoted cell may span lines), as Excel numbers them on opening.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from desktop.core.errors import FileFormatError
from desktop.exchange.cells import FORMULA_PREFIXES, Sheet, SheetRow, trim_row


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Bytes of a text table → (text, encoding). BOM → strict UTF-8 → GB18030; UTF-16 with or without BOM."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        head = data[:4000]
        even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
        # UTF-8 and GBK text has no zero bytes. In UTF-16 every ASCII character (delimiters, line
        # ends, digits) has one on the same side; of CJK only U+xx00 (一 …) has one, on the other.
        if odd_nuls or even_nuls:
            candidates = ["utf-16-le"] if odd_nuls >= even_nuls else ["utf-16-be"]
        else:
            candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        if encoding == "gb18030" and _looks_like_big5(data, text):
            raise FileFormatError(
                f"文件“{name}”的文件编码无法识别，请另存为 UTF-8 或 GBK 后再导入"
                "（它看起来是繁体中文 Big5 编码：按 GBK 读出的是乱码）。"
            )
        return text, encoding
    raise FileFormatError(
        f"文件“{name}”不是可识别的文本表格（无法按 UTF-8 或 GBK/GB18030 读取）。请用 Excel 打开后另存为“CSV UTF-8”或 .xlsx。"
    )


def _looks_like_big5(data: bytes, text: str) -> bool:
    """GBK text written in mainland China is nearly all GB 2312 characters; Big5 bytes read as GBK are
    largely not (a Big5 trail byte below 0xA1 is never GB 2312). Then the bytes must also be valid Big5."""
    wide = [c for c in text if ord(c) > 0x7F]
    if len(wide) < 4:
        return False
    common = 0
    for c in wide:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    if common / len(wide) >= 0.8:
        return False
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(text: str, prefer: str = ",") -> str:
    """The delimiter (comma, semicolon or tab) that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = prefer, (0, 0)
    for delimiter in (prefer, *(d for d in (",", "\t", ";") if d != prefer)):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        # lines that split into the usual number of fields (the mode) — title lines do not
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unquote(value: str) -> str:
    """Undo the ``'`` our CSV export puts before a formula-like value (see ``writing.defang_csv``)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def read_csv_sheet(path: Path, data: bytes) -> Sheet:
    """The one sheet of a text table (all cells text)."""
    text, encoding = decode_text(data, path.name)
    delimiter = sniff_delimiter(text, prefer="\t" if encoding.startswith("utf-16") else ",")
    rows: list[SheetRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            values = tuple(None if v == "" else _unquote(v) for v in record)
            if any(isinstance(v, str) and v.strip() for v in values):
                rows.append(SheetRow(number, trim_row(values)))
    except csv.Error as exc:
        raise FileFormatError(f"文件“{path.name}”第 {reader.line_num} 行无法按 CSV 读取（{exc}）。") from exc
    return Sheet(path, path.stem, rows, [], encoding=encoding, delimiter=delimiter)
