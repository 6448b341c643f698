"""The 司法确认 sheet of the 调解台账 workbook: filled on export, read back on import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from desktop.core.identity import Actor
from desktop.services import judicial as jc
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext
from desktop.services.judicial.exchange import LEDGER_SHEET
from desktop.services.mediation import exchange

from .test_judicial_services import COURT, _receive_all
from .test_mediation_helpers import D, full_case, setup_committee

T = D(2026, 11, 23)


def _sheet(path: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [tuple(r) for r in wb["司法确认"].iter_rows(values_only=True)]


def _ruled_case(ctx: ServiceContext) -> str:
    jc.save_court_settings(ctx, jc.CourtSettings(COURT))
    cid, m1, _ = setup_committee(ctx)
    no = full_case(ctx, cid, m1, close=False)
    tid = jc.start_confirmation(ctx, no, today=T)
    _receive_all(ctx, tid)
    t = jc.get_track(ctx, tid, T)
    jc.save_track(ctx, tid, t.version, jc.TrackInput(
        court=COURT, filed_on=D(2026, 3, 26), accepted_on=D(2026, 3, 27), court_case_no="（2026）甘0202民特12号",
        ruling="VALID", ruling_on=D(2026, 4, 3)), today=T)  # fmt: skip
    return no


def test_export_fills_the_sheet_and_import_reads_it_back(street_ctx: ServiceContext, tmp_path: Path) -> None:
    no = _ruled_case(street_ctx)
    first = tmp_path / "first.xlsx"
    counts = exchange.export_cases(street_ctx, first, full=True, reason="迁移", confirmations=LEDGER_SHEET)
    assert counts["司法确认"] == 1
    rows = _sheet(first)
    assert rows[0] == ("案件编号", "申请日期", "法院", "受理案号", "裁定日期", "裁定结果")
    assert rows[1][0] == no and rows[1][2:4] == (COURT, "（2026）甘0202民特12号") and rows[1][5] == "裁定有效"
    assert [v.date() if isinstance(v, dt.datetime) else v for v in (rows[1][1], rows[1][4])] == [
        D(2026, 3, 26),
        D(2026, 4, 3),
    ]
    empty = open_database(tmp_path / "empty.sqlite3", actor=Actor("测试员", "pc-2")).ctx
    try:
        report = exchange.import_cases(empty, first, confirmations=LEDGER_SHEET)
        assert report.exit_status == 0, report.describe()
        t = jc.track_for_case(empty, no, T)
        assert t is not None and (t.state, t.court_case_no, t.ruling_on) == (
            "VALID",
            "（2026）甘0202民特12号",
            D(2026, 4, 3),
        )
        assert t.enforcement_limit == D(2028, 5, 1)
        second = tmp_path / "second.xlsx"
        exchange.export_cases(empty, second, full=True, reason="核对", confirmations=LEDGER_SHEET)
        assert _sheet(second) == rows
        again = exchange.import_cases(empty, first, confirmations=LEDGER_SHEET)
        assert again.exit_status == 0 and len(jc.list_tracks(empty, today=T)) == 1
    finally:
        empty.database.dispose()


def test_bad_rows_are_reported_with_their_row(street_ctx: ServiceContext, tmp_path: Path) -> None:
    no = _ruled_case(street_ctx)
    path = tmp_path / "ledger.xlsx"
    exchange.export_cases(street_ctx, path, full=True, reason="测试", confirmations=LEDGER_SHEET)
    wb = openpyxl.load_workbook(path)
    ws = wb["司法确认"]
    ws["F2"] = "部分有效"
    ws.append(["（2026）新华社区人调字第099号", None, None, None, None, None])
    ws.append([no, None, None, "甘0202民特12", None, None])
    wb.save(path)
    report = exchange.import_cases(street_ctx, path, dry_run=True, confirmations=LEDGER_SHEET)
    texts = [i.describe() for i in report.issues if i.field and i.field.startswith("司法确认")]
    assert any("第 2 行" in t and "裁定结果" in t for t in texts)
    assert any("第 3 行" in t and "找不到该案件" in t for t in texts)
    assert any("第 4 行" in t and "受理案号" in t for t in texts)
    assert report.judicial_rows_skipped == 3 and report.exit_status == 2
    assert "3 行有错误" in report.describe()
