"""stream_table gives exactly what read_table gives (the same header, records, filled-down cells, skipped
rows and errors), one record at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from desktop.core.errors import FileFormatError, ValidationError
from desktop.exchange import streaming
from desktop.exchange.reading import read_table
from desktop.exchange.streaming import stream_table
from tests.unit.test_exchange_reading import ID, ID_DIGITS, SPEC, roster_xlsx


def _same(path: Path, sheet: str | None = None) -> None:
    before = len(streaming.whole_reads)
    table = read_table(path, SPEC, sheet)
    stream = stream_table(path, SPEC, sheet)
    got = list(stream.records)
    assert (stream.table.sheet.name, stream.table.header_row, stream.table.header_end) == (
        table.sheet.name,
        table.header_row,
        table.header_end,
    )
    assert stream.table.columns == table.columns
    assert stream.table.ignored_headers == table.ignored_headers
    assert [(r.row, r._row.values, dict(r._row.filled)) for r in got] == [
        (r.row, r._row.values, dict(r._row.filled)) for r in table.records
    ]
    assert stream.skipped == table.skipped
    assert stream.count == len(table.records) > 0
    assert len(streaming.whole_reads) == before  # read row by row, not whole


def test_roster_with_title_merged_household_blank_totals_and_footer(tmp_path):
    path = roster_xlsx(tmp_path / "花名册.xlsx")
    _same(path)
    records = list(stream_table(path, SPEC).records)
    assert [r.cell("household").filled_from for r in records] == [None, 5, 5, None]  # filled down, marked


def test_data_starting_in_column_c_below_blank_rows(tmp_path):
    """calamine's row iterator starts at the first used column: the columns still line up."""
    path = tmp_path / "offset.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write_row(4, 2, ["户号", "姓名", "身份证号", "出生日期"])
    for k in range(200):  # more rows than the top that is read twice
        ws.write_row(5 + k * 2, 2, [f"H{k}", f"张{k}", ID_DIGITS])
        ws.write_datetime(5 + k * 2, 5, dt.datetime(1990, 1, 1 + k % 28))
    ws.merge_range(7, 2, 9, 2, "H-merged")
    ws.write_row(500, 2, ["合计", "200 人"])
    wb.close()
    _same(path)
    first = next(stream_table(path, SPEC).records)
    assert (first.row, first.value("household"), first.value("name")) == (6, "H0", "张0")


def test_two_row_header_and_first_sheet_with_the_columns(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "请按模板填写"
    ws = wb.create_sheet("居民")
    ws["A1"], ws["B1"], ws["C1"] = "户号", "姓名", "联系方式"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws["C2"], ws["D2"] = "手机", "座机"
    ws.append(["H1", "张三", "13800000000", "0937-1"])
    ws.append(["H1", "王五", None, None])
    wb.save(path)
    _same(path)
    _same(path, "居民")
    assert stream_table(path, SPEC).table.columns["phone"] == 2


def test_csv_is_read_whole_with_the_same_result(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"户号,姓名,身份证号\nH1,张三,{ID}\n合计,1 人,\n", encoding="utf-8-sig")
    _same(path)


def test_errors_are_read_tables(tmp_path):
    path = tmp_path / "none.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("人口").write_row(0, 0, ["序号", "备注"])
    wb.close()
    with pytest.raises(ValidationError) as streamed:
        stream_table(path, SPEC)
    with pytest.raises(ValidationError) as whole:
        read_table(path, SPEC)
    assert streamed.value.message == whole.value.message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(roster_xlsx(tmp_path / "ok.xlsx").read_bytes()[:3000])
    with pytest.raises(FileFormatError, match="不是有效的 Excel 文件"):
        list(stream_table(broken, SPEC).records)
