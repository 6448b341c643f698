"""Grid list export/import: round trips, row errors, one transaction, audit, and the CLI's exits."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.structure import Grid, GridStaff, Street
from desktop.app import main
from desktop.core.errors import FileFormatError, NotFoundError, ValidationError
from desktop.exchange.reading import read_sheet
from desktop.services import audit
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from desktop.services.structure.exchange import PLACEHOLDER_STREET, export_grids, import_grids

HEADER = ["社区", "网格编号", "网格名称", "网格类型", "网格长", "网格员", "户数", "人数", "四至"]


def cells(path: Path) -> list[tuple[object, ...]]:
    return [r.values for r in read_sheet(path).rows]


def xlsx(path: Path, rows: list[list[object]], *, title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "网格"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def audit_count(ctx, action: str | None = None, entity: str | None = None) -> int:
    with ctx.read() as s:
        q = select(func.count()).select_from(AuditRecord)
        if action:
            q = q.where(AuditRecord.action == action)
        if entity:
            q = q.where(AuditRecord.entity == entity)
        return s.scalar(q) or 0


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_imports_back_unchanged(street_ctx, tmp_path, suffix):
    out = tmp_path / f"网格{suffix}"
    assert export_grids(street_ctx, out) == 3
    rows = cells(out)
    assert rows[0] == tuple(HEADER)
    first = rows[1]
    assert first[:6] == ("新华社区", "GC-01-001", "新华一网格", "基础网格", "王建国", "李晓梅")
    assert [str(v) for v in first[6:8]] in (["420", "1010"], ["420.0", "1010.0"])
    assert rows[3][3] == "微网格"
    grid_audits = audit_count(street_ctx, entity="grid")
    report = import_grids(street_ctx, out)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 3, 0)
    assert report.exit_status == 0 and report.issues == []
    # nothing changed, so the only new grid audit record is the batch's
    assert audit_count(street_ctx, entity="grid") == grid_audits + 1
    assert audit_count(street_ctx, action="import") == 1
    assert audit_count(street_ctx, action="export") == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_import_into_an_empty_database_then_export_again_is_identical(street_ctx, tmp_path, suffix):
    first = tmp_path / f"a{suffix}"
    export_grids(street_ctx, first)
    fresh = open_database(tmp_path / "fresh" / "db.sqlite3").ctx
    try:
        report = import_grids(fresh, first)
        assert (report.created, report.updated, report.rejected) == (3, 0, 0)
        assert report.street_created == PLACEHOLDER_STREET
        assert report.communities_created == ["新华社区", "朝阳社区"]
        assert report.staff_added == 2  # 网格长 and 网格员; 兼职 helpers are not in the list
        assert st.get_street(fresh).name == PLACEHOLDER_STREET
        second = tmp_path / f"b{suffix}"
        export_grids(fresh, second)
        assert cells(second) == cells(first)
        assert import_grids(fresh, second).unchanged == 3
    finally:
        fresh.database.dispose()


def test_title_rows_totals_and_synonym_headers(ctx, tmp_path):
    st.save_street(ctx, "钢城街道")
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["钢城街道网格划分表（2026年）"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["序号", "所属社区", "网格编码（必填）", "网格名称*", "总户数", "专职网格员"])
    ws.append([1, "新华社区", "GC-01-001", "新华一网格", 420, "李晓梅,张丽"])
    ws.append([2, "新华社区", "GC-01-002", "新华二网格", 120.0, None])
    ws.append(["合计", None, None, None, 540, None])
    wb.save(path)
    report = import_grids(ctx, path)
    assert report.header_row == 3 and report.skipped == [(6, "合计行")]
    assert (report.created, report.rejected) == (2, 0)
    grids = {g.code: g for g in st.list_grids(ctx)}
    assert grids["GC-01-001"].workers == "李晓梅、张丽" and grids["GC-01-001"].households == 420
    assert grids["GC-01-002"].kind == "BASIC" and grids["GC-01-002"].population is None


# ---------------------------------------------------------------- updates


def test_update_adds_staff_but_never_removes_and_keeps_missing_columns(street_ctx, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "社区,网格编号,网格名称,网格员\n"
        "新华社区,GC-01-001,新华第一网格,李晓梅、周敏\n"
        "朝阳社区,GC-02-001,朝阳一网格,\n",
        encoding="utf-8-sig",
    )
    report = import_grids(street_ctx, path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.staff_added == 1
    g = next(g for g in st.list_grids(street_ctx) if g.code == "GC-01-001")
    assert g.name == "新华第一网格" and g.workers == "李晓梅、周敏" and g.chiefs == "王建国"
    assert (g.households, g.population, g.boundary) == (420, 1010, "东至新华路，西至建设街")  # columns absent
    assert g.helper_count == 1
    with street_ctx.read() as s:
        rows = audit.list_for(s, "grid", g.id)
    update = rows[0]
    assert update.action == "update"
    assert update.before["name"] == "新华一网格" and update.after["name"] == "新华第一网格"
    assert update.before["workers"] == ["李晓梅"] and update.after["workers"] == ["李晓梅", "周敏"]
    assert audit_count(street_ctx, "create", "grid_staff") == 4  # 3 from the fixture + 周敏


def test_blank_cells_in_present_columns_clear_counts_and_boundary(street_ctx, tmp_path):
    path = xlsx(tmp_path / "b.xlsx", [["新华社区", "GC-01-001", "新华一网格", "", "", "", None, None, None]])
    report = import_grids(street_ctx, path)
    assert report.updated == 1
    g = next(g for g in st.list_grids(street_ctx) if g.code == "GC-01-001")
    assert (g.households, g.population, g.boundary, g.kind) == (None, None, None, "BASIC")
    assert g.chiefs == "王建国"


# ---------------------------------------------------------------- row errors


def test_valid_rows_are_written_and_every_bad_row_is_listed(street_ctx, tmp_path):
    path = xlsx(
        tmp_path / "bad.xlsx",
        [
            ["新华社区", "GC-01-009", "新华九网格", "微网格", "陈刚", "", 50, 120, ""],  # 4 good
            ["新华社区", "GC-01-010", "新华十网格", "", "", "", "abc", 3, ""],  # 5 户数 not a number
            ["新华社区", "", "无编号网格", "", "", "", 1, 1, ""],  # 6 no code
            ["", "GC-01-011", "", "大网格", "", "", -1, 2.5, ""],  # 7 several problems
            ["朝阳社区", "GC-02-005", "重复一", "", "", "", 1, 1, ""],  # 8 duplicate …
            ["朝阳社区", "GC-02-005", "重复二", "", "", "", 1, 1, ""],  # 9 … of row 8
            ["朝阳社区", "GC-02-006", "两个网格长", "", "甲、乙", "", 1, 1, ""],  # 10
            [
                "新华社区",
                "GC-01-001",
                "新华一网格",
                "基础网格",
                "张三",
                "",
                420,
                1010,
                "",
            ],  # 11 chief in office
            [
                "新华社区",
                "GC-01-002",
                "新华二网格",
                "专属网格",
                "",
                "王建国",
                120,
                100,
                "新华商圈",
            ],  # 12 warning
        ],
        title="钢城街道网格表",
    )
    report = import_grids(street_ctx, path)
    assert report.header_row == 3
    assert (report.created, report.updated, report.rejected) == (1, 1, 7)
    assert report.exit_status == 2
    lines = report.describe().splitlines()
    assert "第 5 行 · 户数：值“abc”不是整数" in "\n".join(lines)
    text = report.describe()
    for expected in (
        "第 6 行 · 网格编号：不能为空",
        "第 7 行 · 社区：不能为空",
        "第 7 行 · 网格名称：不能为空",
        "第 7 行 · 网格类型：值“大网格”无效，应为基础网格、专属网格或微网格",
        "第 7 行 · 户数：值不能为负数（“-1”）",
        "第 7 行 · 人数：值“2.5”不是整数",
        "第 8 行 · 网格编号：值“GC-02-005”在文件中重复出现（另见第 9 行）",
        "第 9 行 · 网格编号：值“GC-02-005”在文件中重复出现（另见第 8 行）",
        "第 10 行 · 网格长：一个网格只能有一名网格长",
        "第 11 行 · 网格长：该网格已有网格长王建国",
        "第 12 行 · 人数：（提示）人数（100）少于户数（120）",
    ):
        assert expected in text, expected
    assert "拒绝 7 行" in text
    codes = {g.code for g in st.list_grids(street_ctx)}
    assert "GC-01-009" in codes and not codes & {"GC-01-010", "GC-02-005", "GC-02-006"}
    g2 = next(g for g in st.list_grids(street_ctx) if g.code == "GC-01-002")
    assert g2.population == 100 and g2.workers == "王建国"
    kinds = {i.code for i in report.errors}
    assert {
        "required",
        "unknown_kind",
        "not_integer",
        "duplicate",
        "several_chiefs",
        "chief_conflict",
    } <= kinds
    assert all(i.row for i in report.issues)


def test_role_clash_with_the_database(street_ctx, tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx", [["新华社区", "GC-01-001", "新华一网格", "", "", "王建国", 420, 1010, ""]]
    )
    report = import_grids(street_ctx, path)
    assert report.rejected == 1 and "王建国已是该网格的网格长" in report.describe()


def test_retired_grid_and_community_are_not_revived_silently(street_ctx, tmp_path):
    g = next(g for g in st.list_grids(street_ctx) if g.code == "GC-02-001")
    st.retire_grid(street_ctx, g.id, "合并")
    path = xlsx(tmp_path / "r.xlsx", [["朝阳社区", "GC-02-001", "朝阳一网格", "", "", "", 1, 1, ""]])
    report = import_grids(street_ctx, path)
    assert report.rejected == 1 and "请先在程序中恢复该网格" in report.describe()


def test_dry_run_writes_nothing(street_ctx, tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [["和平社区", "GC-03-001", "和平一网格", "", "刘洋", "", 1, 2, ""]])
    before = audit_count(street_ctx)
    report = import_grids(street_ctx, path, dry_run=True)
    assert (report.created, report.communities_created, report.staff_added) == (1, ["和平社区"], 1)
    assert "仅检查，未写入数据库" in report.describe() and "将新建 1 个网格" in report.describe()
    assert audit_count(street_ctx) == before
    assert "GC-03-001" not in {g.code for g in st.list_grids(street_ctx)}
    assert [c.name for c in st.list_communities(street_ctx)] == ["新华社区", "朝阳社区"]


def test_one_import_is_one_commit_and_a_failure_commits_nothing(street_ctx, tmp_path, monkeypatch):
    from sqlalchemy import event

    from desktop.services.structure import exchange as grid_exchange

    monkeypatch.setattr(grid_exchange.backups, "backup_if_changed", lambda ctx, reason: None)
    rows = [
        ["和平社区", f"GC-03-{i:03d}", f"和平{i}网格", "", "", f"员{i}", i, i * 3, ""] for i in range(1, 21)
    ]
    path = xlsx(tmp_path / "many.xlsx", rows)
    commits: list[object] = []
    engine = street_ctx.database.engine

    def listener(conn):
        commits.append(conn)

    event.listen(engine, "commit", listener)
    try:
        report = import_grids(street_ctx, path)
    finally:
        event.remove(engine, "commit", listener)
    assert report.created == 20 and len(commits) == 1

    before = audit_count(street_ctx)
    real = grid_exchange._apply_row
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(grid_exchange, "_apply_row", failing)
    other = xlsx(tmp_path / "other.xlsx", [[*r[:1], r[1].replace("03", "04"), *r[2:]] for r in rows[:5]])
    with pytest.raises(RuntimeError):
        import_grids(street_ctx, other)
    assert audit_count(street_ctx) == before
    assert not any(g.code.startswith("GC-04") for g in st.list_grids(street_ctx))


def test_header_only_file_is_exit_1(street_ctx, tmp_path):
    report = import_grids(street_ctx, xlsx(tmp_path / "h.xlsx", []))
    assert report.rows_read == 0 and report.exit_status == 1 and "没有数据行" in report.describe()


def test_an_existing_street_is_used_and_not_renamed(street_ctx, tmp_path):
    path = xlsx(tmp_path / "n.xlsx", [["和平社区", "GC-03-001", "和平一网格", "", "", "", 1, 2, ""]])
    report = import_grids(street_ctx, path)
    assert report.street_created is None and report.communities_created == ["和平社区"]
    with street_ctx.read() as s:
        assert [x.name for x in s.scalars(select(Street))] == ["钢城街道"]
        assert s.scalar(select(func.count()).select_from(Grid)) == 4
        assert s.scalar(select(func.count()).select_from(GridStaff)) == 3


def test_service_errors_for_bad_files(street_ctx, tmp_path):
    with pytest.raises(NotFoundError):
        import_grids(street_ctx, tmp_path / "none.xlsx")
    (tmp_path / "t.xlsx").write_text("社区,网格编号\n", encoding="utf-8")
    with pytest.raises(FileFormatError):
        import_grids(street_ctx, tmp_path / "t.xlsx")
    with pytest.raises(ValidationError, match="不支持导出"):
        export_grids(street_ctx, tmp_path / "g.pdf")


# ---------------------------------------------------------------- command line


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_chinese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误：") and "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


def test_cli_export_and_import(capsys, tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    good = xlsx(
        tmp_path / "g.xlsx",
        [["新华社区", "GC-01-001", "新华一网格", "基础网格", "王建国", "", 420, 1010, ""]],
    )
    status, out, err = run_cli(capsys, "--db", db, "import", "grids", str(good))
    assert status == 0 and "新建 1 个网格" in out and err == ""
    status, out, _ = run_cli(capsys, "--db", db, "export", "grids", "--out", str(tmp_path / "e.xlsx"))
    assert status == 0 and "已导出 1 个网格" in out
    status, out, _ = run_cli(capsys, "--db", db, "import", "grids", str(tmp_path / "e.xlsx"), "--dry-run")
    assert status == 0 and "未变 1 个" in out
    bad = xlsx(tmp_path / "b.xlsx", [["新华社区", "GC-01-002", "二", "", "", "", "abc", 1, ""]])
    status, out, _ = run_cli(capsys, "--db", db, "import", "grids", str(bad))
    assert status == 1 and "第 2 行 · 户数：值“abc”不是整数" in out  # every row rejected: nothing imported


def _broken(tmp_path: Path) -> Path:
    good = xlsx(tmp_path / "good.xlsx", [["新华社区", "GC-01-001", "一", "", "", "", 1, 1, ""]]).read_bytes()
    path = tmp_path / "broken.xlsx"
    path.write_bytes(good[:300])
    return path


def _not_a_sheet(tmp_path: Path) -> Path:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


def _text_as_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    return path


def _unknown_columns(tmp_path: Path) -> Path:
    path = tmp_path / "cars.csv"
    path.write_text("车牌号,品牌\n甘B12345,红旗\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_broken, "不是有效的 Excel 文件"),
        (_not_a_sheet, "PNG 图片"),
        (_text_as_xlsx, "不是 Excel 文件"),
        (_unknown_columns, "找不到所需的列"),
        (lambda p: p / "missing.xlsx", "找不到文件"),
    ],
)
def test_cli_import_failures_are_one_chinese_line(capsys, tmp_path, make, expected):
    path = make(tmp_path)
    status, out, err = run_cli(capsys, "--db", str(tmp_path / "cli.sqlite3"), "import", "grids", str(path))
    assert status == 1 and out == ""
    assert_one_chinese_line(err)
    assert expected in err and path.name in err


def test_cli_unreachable_database(capsys, tmp_path):
    good = xlsx(tmp_path / "g.xlsx", [["新华社区", "GC-01-001", "一", "", "", "", 1, 1, ""]])
    status, _, err = run_cli(
        capsys, "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "import", "grids", str(good)
    )
    assert status == 1
    assert_one_chinese_line(err)
    assert "数据库" in err


def test_cli_export_to_an_unsupported_suffix(capsys, tmp_path):
    status, out, err = run_cli(
        capsys, "--db", str(tmp_path / "cli.sqlite3"), "export", "grids", "--out", str(tmp_path / "g.pdf")
    )
    assert status == 1 and out == ""
    assert_one_chinese_line(err)
    assert "不支持导出为“.pdf”文件" in err
    assert not (tmp_path / "g.pdf").exists()
