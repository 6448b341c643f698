"""``shequ import visits`` and ``shequ visits due``: exit codes, the error workbook, header synonyms, re-import,
JSON keys and the masked ID number."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from db.schema.visits import VisitMember
from desktop.app import main
from tests.unit.visit_street import VisitStreet, build


@pytest.fixture
def street(street_ctx) -> VisitStreet:
    return build(street_ctx)


def sheet(path: Path, header: list[str], *rows: list[object]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _members(street: VisitStreet) -> int:
    with street.ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(VisitMember)) or 0)


def test_import_visits_exit_codes_and_errors(street, tmp_path, db_path, capsys) -> None:
    n = street.id_numbers
    good = sheet(
        tmp_path / "good.xlsx",
        ["身份证号", "走访时间", "走访人员", "方式", "走访情况"],  # synonyms
        [n["张桂兰"], "2026-11-20", "李晓梅", "入户", "老人身体尚可"],
        [n["马东"], "2026.11.21", "李晓梅", "电话", "按时报到"],
    )
    assert main(["--db", str(db_path), "import", "visits", str(good), "--dry-run"]) == 0
    assert "仅检查" in capsys.readouterr().out and _members(street) == 0
    assert main(["--db", str(db_path), "import", "visits", str(good)]) == 0
    assert "新建 2 条" in capsys.readouterr().out and _members(street) == 2
    assert main(["--db", str(db_path), "import", "visits", str(good)]) == 0  # again: unchanged
    assert "未变 2 条" in capsys.readouterr().out and _members(street) == 2
    bad = sheet(
        tmp_path / "bad.xlsx",
        ["公民身份号码", "走访日期", "走访人", "走访方式", "情况记录"],
        [n["周明"], "2026-11-22", "王建国", "视频", "在家"],
        [n["周明"][:6] + "********" + n["周明"][-4:], "2026-11-22", "王建国", "入户", "在家"],
        [n["刘晓燕"], "2026-12-01", "王建国", "微信打卡", ""],
    )
    errors = tmp_path / "errors.xlsx"
    assert main(["--db", str(db_path), "import", "visits", str(bad), "--errors", str(errors)]) == 2
    out = capsys.readouterr().out
    assert "第 3 行" in out and "脱敏" in out and "走访方式" in out
    ws = openpyxl.load_workbook(errors).active
    assert ws is not None
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][:4] == ["行号", "字段", "值", "原因"]
    assert {(r[0], r[1]) for r in cells[1:]} >= {
        (3, "公民身份号码"),
        (4, "走访日期"),
        (4, "走访方式"),
        (4, "情况记录"),
    }
    assert _members(street) == 3  # the good row of the bad file went in
    empty = sheet(tmp_path / "empty.xlsx", ["公民身份号码", "走访日期", "走访人", "走访方式", "情况记录"])
    assert main(["--db", str(db_path), "import", "visits", str(empty)]) == 1
    assert main(["--db", str(db_path), "import", "visits", str(tmp_path / "missing.xlsx")]) == 1


def test_visits_due_json(street, db_path, capsys) -> None:
    assert (
        main(["--db", str(db_path), "visits", "due", "--json", "--grid", "GC-01-001", "--date", "2026-11-23"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == {"张桂兰", "张建军", "刘晓燕", "马东"}
    md = next(r for r in rows if r["name"] == "马东")
    assert set(md) == {
        "name", "id_number", "grid_code", "tier", "special_groups", "last_visit_on", "period_end", "missed_periods",
    }  # fmt: skip
    assert md["id_number"] == street.id_numbers["马东"][:6] + "********" + street.id_numbers["马东"][-4:]
    assert (md["tier"], md["special_groups"], md["period_end"], md["last_visit_on"]) == (
        "GREEN", ["社区矫正对象"], "2026-11-30", None,
    )  # fmt: skip
    assert md["missed_periods"] == 3  # August–October (since 2026-08-23)
    assert street.id_numbers["马东"] not in json.dumps(rows)
    assert main(["--db", str(db_path), "visits", "due"]) == 0
    assert "应走访 5 人" in capsys.readouterr().out
    assert main(["--db", str(db_path), "visits", "due", "--date", "2026-13-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--db", str(db_path), "visits", "due", "--grid", "GC-99"]) == 1
    assert "GC-99" in capsys.readouterr().err
