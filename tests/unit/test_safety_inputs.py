"""Issue 15 §8 and §10: bounded reading of bad files through every importer, and one rule for output paths."""

from __future__ import annotations

import os
import resource
import sqlite3
from pathlib import Path

import pytest

import desktop.exchange.limits as limits
from desktop.app import main
from desktop.core.errors import FileFormatError
from desktop.exchange.limits import ReadLimits, check_workbook
from tests.unit.bad_inputs import corpus, raw_xlsx

IMPORTS = [
    ["import", "grids"],
    ["import", "residents"],
    ["import", "party-members"],
    ["import", "mediation-cases"],
    ["import", "events"],
    ["import", "visits"],
    ["holidays", "import"],
]


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names if n != "audit_record"
        }
    finally:
        conn.close()


def test_every_importer_refuses_the_bad_input_corpus_with_one_chinese_line(
    street_ctx, db_path: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shared-strings bomb is 3 MB here; the limit is lowered to 1 MB so the suite stays quick
    monkeypatch.setattr(limits, "LIMITS", ReadLimits(max_shared_strings_bytes=1024 * 1024))
    files = corpus(tmp_path / "corpus")
    street_ctx.database.dispose()
    before = counts(db_path)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seen: dict[str, str] = {}
    for command in IMPORTS:
        for name, path in files.items():
            status = main(["--db", str(db_path), *command, str(path)])
            out, err = capsys.readouterr()
            label = f"{' '.join(command)} {name}"
            assert status in (1, 2), label
            assert "内部错误" not in out + err and "Traceback" not in out + err, label
            if status == 1 and err:
                assert err.count("\n") == 1 and err.startswith("错误："), label
                assert any("\u4e00" <= ch <= "\u9fff" for ch in err), label
            seen[f"{command[-1]} {name}"] = err or out
            assert counts(db_path) == before, label
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert growth_mb < 400, growth_mb  # a dimension bomb read would want hundreds of GB
    assert (
        "1,048,576" in seen["residents 维度炸弹.xlsx"] and "维度炸弹.xlsx" in seen["residents 维度炸弹.xlsx"]
    )
    assert "300,000 行" in seen["residents 维度说谎.xlsx"] or "1,048,576" in seen["residents 维度说谎.xlsx"]
    assert "共享文本" in seen["residents 共享文本炸弹.xlsx"]
    assert "文件编码无法识别，请另存为 UTF-8 或 GBK" in seen["residents Big5.csv"]
    assert "空的" in seen["grids 空文件.csv"] and "损坏" in seen["grids 截断.xlsx"]


@pytest.mark.parametrize(
    ("ref", "cells", "message"),
    [
        ("A1:C300001", '<row r="300001"><c r="C300001"><v>1</v></c></row>', "300,001 行"),
        ("A1:GS10", '<row r="10"><c r="GS10"><v>1</v></c></row>', "201 列"),
        (None, '<row r="400000"><c r="A400000"><v>1</v></c></row>', "400,000 行"),  # no dimension at all
        # the reference after a tab or a line break (the fast scan looks after a space only)
        (
            None,
            '<row r="5"><c r="A5"/></row><row\tr="400000"><c\nr="A400000"><v>1</v></c></row>',
            "400,000 行",
        ),
        (None, '<row r="5"><c r="A5"/></row><row r="6"><c\r\nr="GS6"><v>1</v></c></row>', "201 列"),
        # a declared range within the limits that the cells do not keep to (one search finds them, then the
        # whole sheet is read): further down, further right, a row written with a leading zero
        ("A1:S10", '<row r="10"><c r="A10"/></row><row r="400000"><c r="B400000"><v>1</v></c></row>', "400,000 行"),
        ("A1:S10", '<row r="10"><c r="A10"/><c\tr="GS10"><v>1</v></c></row>', "201 列"),
        ("A1:S100004", '<row r="9"><c r="A0400000"><v>1</v></c></row>', "400,000 行"),
    ],
)
def test_the_limits_name_the_file_and_the_limit(tmp_path: Path, ref, cells, message) -> None:
    dim = f'<dimension ref="{ref}"/>' if ref else ""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{cells}</sheetData></worksheet>"
    )
    path = raw_xlsx(tmp_path / "大表.xlsx", sheet)
    with pytest.raises(FileFormatError) as refused:
        check_workbook(path.name, path.read_bytes())
    assert message in refused.value.message and "大表.xlsx" in refused.value.message
    assert "上限" in refused.value.message


def test_the_search_past_the_declared_range_finds_exactly_the_cells_outside_it() -> None:
    import random

    def letters(n: int) -> str:
        out = ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out

    rng = random.Random(16)
    for _ in range(200):
        last_col, last_row = rng.randint(1, 26), rng.choice([1, 9, 10, 999, 100004, 299999, rng.randint(1, 10**6)])
        beyond = limits._beyond(letters(last_col).encode(), last_row)
        assert beyond is not None
        for _ in range(200):
            col = rng.choice([rng.randint(1, 30), rng.randint(1, 16384), last_col, last_col + 1])
            row = rng.choice([rng.randint(1, 1_048_576), last_row, last_row + 1, max(last_row - 1, 1)])
            ref = f' r="{letters(col)}{row}"'.encode()
            assert bool(beyond.search(ref)) == (col > last_col or row > last_row), (last_col, last_row, ref)
    assert limits._beyond(b"AB", 10) is None  # more than 26 columns declared: every reference is read


def test_a_row_cap_is_a_setting(tmp_path: Path) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 21))
        + "</sheetData></worksheet>"
    )
    path = raw_xlsx(tmp_path / "二十行.xlsx", sheet)
    check_workbook(path.name, path.read_bytes())
    with pytest.raises(FileFormatError, match="10 行"):
        check_workbook(path.name, path.read_bytes(), ReadLimits(max_rows=10))


def test_a_gbk_file_is_not_mistaken_for_big5(tmp_path: Path) -> None:
    from desktop.exchange.csvfiles import decode_text

    data = "姓名,性别,民族\n张三,男,汉族\n李四,女,回族\n王五,男,满族\n".encode("gbk")
    assert decode_text(data, "x.csv") == (data.decode("gbk"), "gb18030")


# ---------------------------------------------------------------- §10 output paths


OUTPUTS = [
    ["export", "grids", "--out"],
    ["export", "residents", "--out"],
    ["export", "party-members", "--out"],
    ["export", "mediation-cases", "--out"],
    ["export", "events", "--out"],
    ["holidays", "export", "--out"],
    ["print", "party-roster", "--out"],
    ["report", "monthly", "--month", "2026-10", "--out"],
    ["report", "mediation", "--period", "2026-10", "--out"],
    ["report", "monthly", "--month", "2026-10", "--out", "ok.pdf", "--xlsx"],
    ["report", "grid-ranking", "--quarter", "2026Q3", "--out"],
    ["import", "residents", "roster.xlsx", "--errors"],
]


def _suffix(command: list[str]) -> str:
    return ".pdf" if command[0] == "print" or command[:2] == ["report", "monthly"] else ".xlsx"


@pytest.mark.parametrize("command", OUTPUTS, ids=lambda c: " ".join(c[:2] + c[-1:]))
def test_every_output_path_follows_one_rule(
    street_ctx, db_path: Path, tmp_path: Path, capsys, command
) -> None:
    from tests.unit.resident_rosters import make_id, person, write_xlsx

    street_ctx.database.dispose()
    write_xlsx(tmp_path / "roster.xlsx", [person("张三", make_id())])
    command = [str(tmp_path / c) if c in ("ok.pdf", "roster.xlsx") else c for c in command]
    before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM resident").fetchone()[0]
    missing = tmp_path / "没有的文件夹" / f"out{_suffix(command)}"
    folder = tmp_path / "是文件夹"
    folder.mkdir()
    cases = [(missing, "不存在"), (folder, "是一个文件夹")]
    if os.name == "posix" and os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "只读"
        locked.mkdir(mode=0o500)
        cases.append((locked / f"out{_suffix(command)}", "没有写入权限"))
    for target, words in cases:
        status = main(["--db", str(db_path), *command, str(target)])
        _out, err = capsys.readouterr()
        assert status == 1, (command, target, err)
        assert words in err and err.count("\n") == 1 and "内部错误" not in err, (command, err)
        assert not missing.parent.exists()  # never created silently
    # the import (--errors) was refused before it committed anything
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM resident").fetchone()[0] == before


def test_a_read_only_folder_is_said_as_such_when_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(The suite may run as root, who can write anywhere: the refusal of the OS is simulated.)"""
    import tempfile

    from desktop.core.errors import ShequError
    from desktop.exchange.writing import atomic_output

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ShequError, match="没有写入权限"), atomic_output(tmp_path / "x.xlsx"):
        pass


def test_a_cell_beyond_excels_limit_says_it_was_cut(tmp_path: Path) -> None:
    import openpyxl

    from desktop.exchange.columns import Column, ColumnKind
    from desktop.exchange.writing import EXCEL_MAX_STRING, write_xlsx

    out = tmp_path / "长文本.xlsx"
    write_xlsx(out, [Column("text", "情况记录", kind=ColumnKind.TEXT)], [["记" * 40_000], ["短"]])
    ws = openpyxl.load_workbook(out).active
    cell = ws.cell(2, 1).value
    assert len(cell) == EXCEL_MAX_STRING and cell.endswith("完整内容请在程序中查看〕") and "32,767" in cell
    assert ws.cell(3, 1).value == "短"


def test_an_agreement_number_clash_is_named_as_such() -> None:
    import sqlalchemy as sa

    from desktop.services.mediation.exchange import integrity_conflict

    clash = sa.exc.IntegrityError(
        "INSERT …", None, sqlite3.IntegrityError("UNIQUE constraint failed: agreement.agreement_no")
    )
    assert (
        "协议编号" in integrity_conflict(clash).message
        and "其他用户" not in integrity_conflict(clash).message
    )
    case = sa.exc.IntegrityError(
        "INSERT …", None, sqlite3.IntegrityError("UNIQUE constraint failed: mediation_case.case_no")
    )
    assert "其他用户添加了相同编号的案件" in integrity_conflict(case).message
