"""Helpers for the resident import tests: valid ID numbers and real roster files (.xlsx, .xls, .csv).

The files look like the ones communities keep: a merged title and a note above the header, blank
rows, a totals row and a footer below the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from desktop.domain.identity import id_check_char

HEADER = [
    "序号", "姓名", "性别", "民族", "身份证号", "出生日期", "手机号", "人口类型", "社区", "网格",
    "小区", "楼栋", "单元", "房号", "户号", "与户主关系", "特殊人群", "分色等级", "备注",
]  # fmt: skip
COL = {h: i for i, h in enumerate(HEADER)}


def make_id(region: str = "620201", born: str = "19800506", seq: str = "011") -> str:
    first17 = region + born + seq
    return first17 + id_check_char(first17)


def id_ending_in_x(region: str = "620201", born: str = "19750101") -> str:
    for n in range(1000):
        first17 = f"{region}{born}{n:03d}"
        if id_check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("no X check character")  # pragma: no cover


def rounded_id_pair() -> tuple[str, str]:
    """(true ID, the ID Excel keeps of it as a number — 15 significant digits): both pass GB 11643."""
    for region, day, first in itertools.product(("620201", "110105", "410102"), range(1, 29), "0123456789"):
        first15 = f"{region}1980{5:02d}{day:02d}{first}"
        if id_check_char(first15 + "00") != "0":
            continue
        for tail in range(10, 50):
            true = first15 + f"{tail:02d}"
            check = id_check_char(true)
            if check.isdigit():
                return true + check, first15 + "000"
    raise AssertionError("no pair found")  # pragma: no cover


def person(
    name: str,
    id_number: object,
    *,
    gender: object = None,
    ethnicity: object = "汉族",
    birth: object = None,
    phone: object = None,
    kind: object = "户籍",
    community: object = "新华社区",
    grid: object = "新华一网格",
    estate: object = None,
    building: object = None,
    unit: object = None,
    room: object = None,
    household: object = None,
    relation: object = None,
    tags: object = None,
    tier: object = None,
    notes: object = None,
) -> list[object]:
    """One roster row in HEADER order (序号 is filled in by the writers)."""
    return [
        None, name, gender, ethnicity, id_number, birth, phone, kind, community, grid,
        estate, building, unit, room, household, relation, tags, tier, notes,
    ]  # fmt: skip


def _numbered(rows: Sequence[list[object]], header: Sequence[str] = HEADER) -> list[list[object]]:
    """Rows with 序号 filled in when the first column is 序号."""
    if not header or header[0] != "序号":
        return [list(row) for row in rows]
    return [[i, *row[1:]] for i, row in enumerate(rows, start=1)]


def write_xlsx(
    path: Path,
    rows: Sequence[list[object]],
    *,
    header: Sequence[str] = HEADER,
    title: bool = True,
    totals: bool = True,
    sheet: str = "实有人口",
    blank_every: int = 0,
) -> Path:
    """An openpyxl workbook: merged title (row 1), note (row 2), blank row 3, header on row 4.

    Returns the path; the first data row is Excel row 5 (plus one per blank row inserted).
    A ``float`` in the ID column is written as a number (what Excel does to a typed ID).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append(["钢城街道新华社区实有人口登记表"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(["填报单位：新华社区居委会", None, None, None, None, None, "填报日期：2026年11月"])
        ws.append([])
    ws.append(list(header))
    for i, row in enumerate(_numbered(rows, header), start=1):
        ws.append(row)
        if blank_every and i % blank_every == 0:
            ws.append([])
    if totals:
        ws.append(["合计", f"{len(rows)} 人"])
        ws.append(["填表人：李晓梅"])
    for cells in ws.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str) and cell.column == COL["身份证号"] + 1:
                cell.number_format = "@"
    wb.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[list[object]], *, encoding: str, header: Sequence[str] = HEADER
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["钢城街道新华社区实有人口登记表"])
        writer.writerow([])
        writer.writerow(header)
        for row in _numbered(rows, header):
            writer.writerow(["" if v is None else v for v in row])
        writer.writerow(["合计", f"{len(rows)} 人"])
    return path


def write_xls(path: Path, rows: Sequence[list[object]], *, header: Sequence[str] = HEADER) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("实有人口")
    sheet.write_merge(0, 0, 0, len(header) - 1, "钢城街道新华社区实有人口登记表")
    for c, h in enumerate(header):
        sheet.write(2, c, h)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(_numbered(rows, header), start=3):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                sheet.write(r, c, v, date_style)
            elif v is not None:
                sheet.write(r, c, v)
    book.save(str(path))
    return path
