"""A corpus of bad input files, generated (issue 15 §8): what people send, and what attacks a reader."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl

from tests.unit.resident_rosters import HEADER, make_id

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def raw_xlsx(path: Path, sheet_xml: str, shared: str = "") -> Path:
    """A minimal hand-made .xlsx (the parts a reader needs), with the given sheet and shared strings."""
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + shared + "</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        zf.writestr("xl/sharedStrings.xml", sst)
    return path


def _sheet(cells: str, dimension: str | None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{cells}</sheetData></worksheet>"
    )


def corpus(folder: Path, shared_strings_bytes: int = 3 * 1024 * 1024) -> dict[str, Path]:
    """Write the corpus into ``folder``; name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(15)
    out: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        out[name] = folder / name
        out[name].write_bytes(data)

    put("空文件.xlsx", b"")
    put("空文件.csv", b"")
    put("随机字节.xlsx", bytes(rnd.getrandbits(8) for _ in range(20_000)))
    put("随机字节.csv", bytes(rnd.getrandbits(8) for _ in range(20_000)))
    good = io.BytesIO()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for k in range(200):
        ws.append([k + 1, "张三", "男", "汉族", make_id(seq=f"{k:03d}"), None, "13912345678"])
    wb.save(good)
    put("截断.xlsx", good.getvalue()[: len(good.getvalue()) // 2])
    out["维度炸弹.xlsx"] = raw_xlsx(
        folder / "维度炸弹.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            "A1:XFD1048576",
        ),
    )
    out["维度说谎.xlsx"] = raw_xlsx(  # declares A1, holds a cell at XFD1048576
        folder / "维度说谎.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            "A1",
        ),
    )
    big = "<si><t>" + "重" * 1000 + "</t></si>"
    out["共享文本炸弹.xlsx"] = raw_xlsx(
        folder / "共享文本炸弹.xlsx",
        _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', "A1"),
        big * (shared_strings_bytes // len(big.encode()) + 1),
    )
    header = ",".join(HEADER[1:8])
    put("UTF-16.csv", ("\ufeff" + "甲,乙,丙\n1,2,3\n").encode("utf-16-le"))
    put(
        "Big5.csv",
        (header + "\n" + "陳大文,男,漢族," + make_id() + ",,0912345678,戶籍\n").encode("big5", "replace"),
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(
        [1, "长" * 40_000, "男", "汉族", make_id(), None, "13912345678", "户籍", "新华社区", "新华一网格"]
    )
    ws.append([2, "=HYPERLINK(\"http://x\",\"点我\")", "男", "汉族", make_id(seq="012"), None, "13912345679",
               "户籍", "新华社区", "新华一网格"])  # fmt: skip
    path = folder / "超长与公式单元格.xlsx"
    wb.save(path)
    out[path.name] = path
    return out
