"""Reading spreadsheets: real files made with openpyxl/XlsxWriter/xlwt and CSV in every encoding."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Font

from desktop.core.errors import FileFormatError, NotFoundError, ValidationError
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec, normalize_header
from desktop.exchange.reading import (
    column_letter,
    decode_text,
    find_table,
    read_sheet,
    read_table,
    sheet_names,
    sniff_delimiter,
)

ID = "11010519491231002X"
ID_DIGITS = "440524188001010014"

SPEC = ColumnSpec(
    (
        Column("household", "户号", ("户编号",), required=True, kind=ColumnKind.TEXT),
        Column("name", "姓名", required=True, kind=ColumnKind.TEXT),
        Column("id_number", "身份证号", ("公民身份号码", "身份证号码"), kind=ColumnKind.TEXT),
        Column("born", "出生日期", kind=ColumnKind.DATE),
        Column("age", "年龄", kind=ColumnKind.NUMBER),
        Column("phone", "联系电话", ("手机",), kind=ColumnKind.TEXT),
    )
)


def roster_xlsx(path: Path) -> Path:
    """The layout street offices send: merged title, a subtitle, a blank row, header on row 4 …"""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = "新华社区居民花名册"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报单位：新华社区居委会"
    ws.append([])  # row 3 blank
    ws.append(["序号", "户号*", "姓  名（必填）", "身份证号\n码", "出生日期", "年龄", "联系电话"])  # row 4
    ws.append([1, "H001", "张三", ID_DIGITS, dt.date(1880, 1, 1), 45.0, "13800000000"])  # 5
    ws.append([2, None, "李四", int(ID_DIGITS), dt.datetime(1990, 5, 6, 10, 30), 33.5, 13900000000])  # 6
    ws.append([3, None, "王五", ID, None, 20, None])  # 7
    ws.merge_cells("B5:B7")  # 户号 merged down over the household's members
    ws.append([])  # 8 blank in the middle
    ws.append([4, "H002", "赵六", "  ", None, None, "0937-1234567"])  # 9
    ws.append([None, "合计", None, None, None, 98.5, None])  # 10 totals
    ws.append(["填表人：刘七", None, None, None, "审核人：孙八"])  # 11 footer
    ws["C40"].font = Font(bold=True)  # formatted-but-empty trailing row inflates max_row
    wb.save(path)
    return path


def test_header_found_below_title_rows_and_row_numbers_are_excels(tmp_path):
    table = read_table(roster_xlsx(tmp_path / "花名册.xlsx"), SPEC)
    assert table.sheet.name == "花名册"
    assert table.header_row == 4 and table.header_end == 4
    assert table.columns == {"household": 1, "name": 2, "id_number": 3, "born": 4, "age": 5, "phone": 6}
    assert table.ignored_headers == ["序号"]
    assert [r.row for r in table.records] == [5, 6, 7, 9]
    assert table.skipped == [(10, "合计行"), (11, "表尾说明")]


def test_merged_cells_are_filled_down_explicitly_and_marked(tmp_path):
    records = read_table(roster_xlsx(tmp_path / "r.xlsx"), SPEC).records
    assert [r.value("household") for r in records] == ["H001", "H001", "H001", "H002"]
    assert [r.cell("household").filled_from for r in records] == [None, 5, 5, None]
    sheet = read_sheet(tmp_path / "r.xlsx")
    assert any(m.first_row == 5 and m.last_row == 7 and m.first_col == 1 for m in sheet.merged)


def test_values_raw_and_exact_text(tmp_path):
    r5, r6, r7, r9 = read_table(roster_xlsx(tmp_path / "r.xlsx"), SPEC).records
    # whole floats become ints; other numbers stay floats
    assert r5.value("age") == 45 and isinstance(r5.value("age"), int) and r5.raw("age") == 45.0
    assert r6.value("age") == 33.5
    # dates stay dates, datetimes stay datetimes
    assert r6.value("born") == dt.datetime(1990, 5, 6, 10, 30)
    # an ID typed as text is exact; an ID stored as a number is recognisably a number
    assert r5.text("id_number") == ID_DIGITS and not r5.cell("id_number").is_number
    assert r7.text("id_number") == ID
    assert r6.cell("id_number").is_number and isinstance(r6.raw("id_number"), float)
    assert r6.text("phone") == "13900000000" and r6.cell("phone").is_number
    # blank and whitespace-only cells
    assert r7.value("born") is None and r7.cell("born").is_blank
    assert r9.value("id_number") is None  # whitespace only is blank
    assert r9.value("phone") == "0937-1234567"
    assert r5.as_dict()["name"] == "张三"


def test_header_text_is_normalised():
    assert normalize_header(" * 网格\n编号（必填）：") == "网格编号"
    assert normalize_header("ＩＤ") == "id"
    assert SPEC.match("身份证号码") is SPEC["id_number"]
    assert SPEC.match("年龄(岁)") is SPEC["age"]
    assert SPEC.match("备注") is None


def test_unknown_column_set_lists_expected_and_found_headers(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["车牌号", "品牌", "颜色"])
    wb.active.append(["甘B12345", "红旗", "黑"])
    wb.save(path)
    with pytest.raises(ValidationError) as err:
        read_table(path, SPEC)
    message = str(err.value)
    assert "\n" not in message
    assert "户号、姓名、身份证号、出生日期、年龄、联系电话" in message
    assert "车牌号、品牌、颜色" in message and "第 1 行" in message and "other.xlsx" in message


def test_a_missing_required_column_is_named(tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="缺少：户号"):
        read_table(path, SPEC)


def test_two_row_header_with_merged_cells(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "户号", "姓名", "联系方式"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws["C2"], ws["D2"] = "手机", "座机"
    ws.append(["H1", "张三", "13800000000", "0937-1"])
    wb.save(path)
    table = read_table(path, SPEC)
    assert (table.header_row, table.header_end) == (1, 2)
    assert table.columns["phone"] == 2
    assert [(r.row, r.value("phone")) for r in table.records] == [(3, "13800000000")]


def test_a_widened_header_cell_with_data_below_is_still_one_row(tmp_path):
    path = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户号", "姓名", "联系电话"])
    ws.merge_cells("C1:D1")
    ws.append(["H1", "张三", "13800000000"])
    wb.save(path)
    table = read_table(path, SPEC)
    assert table.header_end == 1 and [r.row for r in table.records] == [2]


def test_first_sheet_with_the_columns_is_chosen_and_hidden_sheets_are_skipped(tmp_path):
    path = tmp_path / "multi.xlsx"
    wb = xlsxwriter.Workbook(path)
    notes = wb.add_worksheet("填表说明")
    notes.write("A1", "请按模板填写，户号必填。")
    hidden = wb.add_worksheet("隐藏")
    hidden.write_row(0, 0, ["户号", "姓名"])
    hidden.write_row(1, 0, ["X", "隐藏的人"])
    hidden.hide()
    data = wb.add_worksheet("居民")
    data.write_row(0, 0, ["户号", "姓名"])
    data.write_row(1, 0, ["H1", "张三"])
    wb.close()
    assert sheet_names(path) == ["填表说明", "居民"]
    table = read_table(path, SPEC)
    assert table.sheet.name == "居民" and table.records[0].value("name") == "张三"
    assert read_table(path, SPEC, sheet="隐藏").records[0].value("name") == "隐藏的人"
    with pytest.raises(ValidationError, match="没有名为“人口”的工作表（现有：填表说明、居民）"):
        read_table(path, SPEC, sheet="人口")
    with pytest.raises(ValidationError, match="找不到所需的列"):
        read_table(path, SPEC, sheet="填表说明")


def test_xlsxwriter_file_with_header_on_row_3_and_trailing_blank_rows(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.merge_range("A1:C1", "网格居民表", wb.add_format({"bold": True}))
    ws.write_row(2, 0, ["户号", "姓名", "身份证号"])
    ws.write_row(3, 0, ["H1", "张三"])
    ws.write_string(3, 2, ID_DIGITS)
    ws.write_row(4, 0, ["H2", "李四"])
    ws.write_number(4, 2, 110105194912310021)
    ws.set_row(99, 20)  # formatted empty row far below
    wb.close()
    table = read_table(path, SPEC)
    assert table.header_row == 3 and [r.row for r in table.records] == [4, 5]
    first, second = table.records
    assert first.text("id_number") == ID_DIGITS
    assert second.cell("id_number").is_number and second.text("id_number") != "110105194912310021"


def test_formula_without_cached_value_reads_blank_and_cached_value_is_used(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()  # openpyxl stores formulas without a calculated value
    wb.active.append(["户号", "姓名", "年龄"])
    wb.active.append(["H1", "张三", "=20+5"])
    wb.save(path)
    assert read_table(path, SPEC).records[0].value("age") is None
    path2 = tmp_path / "g.xlsx"
    wb2 = xlsxwriter.Workbook(path2)
    ws = wb2.add_worksheet()
    ws.write_row(0, 0, ["户号", "姓名", "年龄"])
    ws.write_row(1, 0, ["H1", "张三"])
    ws.write_formula(1, 2, "=20+5", None, 25)
    wb2.close()
    assert read_table(path2, SPEC).records[0].value("age") == 25


# ---------------------------------------------------------------- CSV


ROWS = [
    ["户号", "姓名", "身份证号", "联系电话"],
    ["007", "李䶮", ID, "01012345678"],
    ["008", "王𠮷", ID_DIGITS, ""],
]


def csv_bytes(encoding: str, delimiter: str = ",", rows: list[list[str]] = ROWS) -> bytes:
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encodings_with_rare_characters(tmp_path, encoding, detected):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(encoding))
    table = read_table(path, SPEC)
    assert table.sheet.encoding == detected
    assert [r.value("name") for r in table.records] == ["李䶮", "王𠮷"]
    assert table.records[0].text("household") == "007"  # CSV is text: leading zeros stay
    assert table.records[1].text("id_number") == ID_DIGITS
    assert table.records[0].text("phone") == "01012345678"


def test_gbk_csv_as_excel_saves_it_on_chinese_windows(tmp_path):
    rows = [["户号", "姓名", "联系电话"], ["1", "张三", "13800000000"], ["2", "欧阳娜娜", ""]]
    path = tmp_path / "gbk.csv"
    path.write_bytes(csv_bytes("gbk", rows=rows))
    table = read_table(path, SPEC)
    assert table.sheet.encoding == "gb18030"  # GB18030 is a superset of GBK
    assert [r.value("name") for r in table.records] == ["张三", "欧阳娜娜"]


def test_unicode_text_is_utf16_tab_separated(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + csv_bytes("utf-16-le", "\t"))
    table = read_table(path, SPEC)
    assert table.sheet.delimiter == "\t" and table.records[0].value("name") == "李䶮"
    nobom = tmp_path / "nobom.txt"
    nobom.write_bytes(csv_bytes("utf-16-le", "\t"))
    assert read_table(nobom, SPEC).records[1].value("name") == "王𠮷"
    # mostly Chinese, with 一 (U+4E00, a zero byte on the "wrong" side) and few ASCII characters
    chinese = tmp_path / "chinese.txt"
    chinese.write_bytes("户号\t姓名\r\n一号\t王一一\r\n二号\t李二\r\n".encode("utf-16-le"))
    assert [r.value("name") for r in read_table(chinese, SPEC).records] == ["王一一", "李二"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes("utf-8", delimiter))
    assert read_table(path, SPEC).sheet.delimiter == delimiter


def test_sniffing_ignores_a_title_line():
    text = "新华社区居民表\n户号;姓名;电话\n1;张三;1\n2;李四;2\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("只有一列\n第二行\n") == ","


def test_csv_row_numbers_count_records_and_blank_lines(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('居民表\n\n户号,姓名,住址\n1,张三,"新华路\n1号"\n\n2,李四,x\n合计,2,\n', encoding="utf-8")
    table = read_table(
        path, ColumnSpec((Column("h", "户号", required=True), Column("n", "姓名"), Column("a", "住址")))
    )
    assert table.header_row == 3
    assert [(r.row, r.value("n")) for r in table.records] == [(4, "张三"), (6, "李四")]
    assert table.records[0].text("a") == "新华路\n1号"
    assert table.skipped == [(7, "合计行")]


def test_whitespace_only_cells_are_blank_but_their_exact_text_is_kept(tmp_path):
    path = tmp_path / "ws.csv"
    path.write_text("户号,姓名,联系电话\n 1 ,张三,   \n", encoding="utf-8")
    record = read_table(path, SPEC).records[0]
    assert record.value("household") == "1" and record.text("household") == " 1 "
    assert record.value("phone") is None and record.cell("phone").is_blank and record.text("phone") == "   "


def test_our_csv_defence_quote_is_removed_on_reading(tmp_path):
    path = tmp_path / "inj.csv"
    path.write_text("户号,姓名\n'=1+2,'@SUM(1+1)\n'-2+3,'+86\n'plain,x\n", encoding="utf-8-sig")
    records = read_table(path, SPEC).records
    assert [(r.text("household"), r.text("name")) for r in records] == [
        ("=1+2", "@SUM(1+1)"),
        ("-2+3", "+86"),
        ("'plain", "x"),
    ]


def test_decode_refuses_binary():
    with pytest.raises(FileFormatError, match="不是可识别的文本表格"):
        decode_text(b"\x00\x01\x02\x03" * 10 + b"\xff\xfe\xfd", "x.csv")


# ---------------------------------------------------------------- .xls


def test_xls_biff_file(tmp_path):
    xlwt = pytest.importorskip("xlwt", reason="xlwt is needed to make an .xls file")
    path = tmp_path / "old.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名册")
    sheet.write_merge(0, 0, 0, 2, "旧版花名册")
    for c, h in enumerate(["户号", "姓名", "年龄"]):
        sheet.write(2, c, h)
    sheet.write(3, 1, "张三")
    sheet.write(3, 2, 45)
    sheet.write(4, 1, "李四")
    sheet.write_merge(3, 4, 0, 0, "H1")
    book.save(str(path))
    table = read_table(path, SPEC)
    assert table.header_row == 3
    assert [(r.row, r.value("household"), r.value("name")) for r in table.records] == [
        (4, "H1", "张三"),
        (5, "H1", "李四"),
    ]
    assert table.records[0].value("age") == 45


# ---------------------------------------------------------------- files that are not what they claim


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("户号,姓名\n1,张三\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"fake.xlsx.*内容是文本，不是 Excel 文件"):
        read_table(path, SPEC)


def test_html_renamed_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>户号</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(FileFormatError, match="网页（HTML）"):
        read_table(path, SPEC)


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
def test_empty_files(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileFormatError, match=f"文件“{name}”是空的"):
        read_table(path, SPEC)


def test_csv_with_only_blank_cells_has_no_data(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text(",,,\n,,,\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="没有数据"):
        read_table(path, SPEC)


def test_truncated_xlsx(tmp_path):
    good = roster_xlsx(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(FileFormatError, match=re.escape("cut.xlsx”不是有效的 Excel 文件")):
        read_table(path, SPEC)


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileFormatError, match="不是有效的 Excel 文件"):
        read_table(path, SPEC)


def test_picture_named_csv(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(FileFormatError, match="PNG 图片"):
        read_table(path, SPEC)


def test_password_protected_xlsx(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml", reason="msoffcrypto-tool is needed to encrypt")
    plain = roster_xlsx(tmp_path / "plain.xlsx")
    path = tmp_path / "secret.xlsx"
    with open(plain, "rb") as src, open(path, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("密码123", out)
    with pytest.raises(FileFormatError, match=re.escape("secret.xlsx”设有打开密码")):
        read_table(path, SPEC)


def test_missing_file_folder_and_unsupported_type(tmp_path):
    with pytest.raises(NotFoundError, match="找不到文件"):
        read_table(tmp_path / "nope.xlsx", SPEC)
    with pytest.raises(FileFormatError, match="是一个文件夹"):
        read_table(tmp_path, SPEC)
    doc = tmp_path / "名单.docx"
    doc.write_bytes(b"PK\x03\x04")
    with pytest.raises(FileFormatError, match=re.escape("不支持的文件类型“.docx”")):
        read_table(doc, SPEC)


def test_workbook_content_under_a_csv_name_is_read_as_a_workbook(tmp_path):
    path = tmp_path / "mislabelled.csv"
    path.write_bytes(roster_xlsx(tmp_path / "r.xlsx").read_bytes())
    assert len(read_table(path, SPEC).records) == 4


def test_read_sheet_top_rows_only(tmp_path):
    sheet = read_sheet(roster_xlsx(tmp_path / "r.xlsx"), nrows=5)
    assert [r.number for r in sheet.rows] == [1, 2, 4, 5]
    assert find_table(sheet, SPEC).records[0].value("name") == "张三"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_ioerror_is_a_chinese_message(tmp_path, monkeypatch):
    path = roster_xlsx(tmp_path / "locked.xlsx")

    def locked(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(FileFormatError, match=re.escape("无法读取文件“locked.xlsx”")):
        read_table(path, SPEC)
