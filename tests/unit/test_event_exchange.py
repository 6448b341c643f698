"""网格事件 exchange and command line: ``import events`` (good rows, every bad-row kind with its row and
column, header synonyms, re-import updates and never duplicates, what an event past 已受理 lets change, dry
run, atomicity), ``export events`` and the round trip, ``events list --json`` with ``--as-of`` lights."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from db.schema.events import EventNumberCounter, EventStep, GridEvent
from desktop.app import main
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services.context import ServiceContext
from desktop.services.events import exchange

T = dt.datetime
HEADERS = ["事件编号", "来源", "上报时间", "所属网格", "地点", "事件类别", "紧急程度", "事件描述", "上报人"]


def good(**kw: Any) -> list[Any]:
    row = {
        "事件编号": None,
        "来源": "网格员巡查",
        "上报时间": "2026-11-23 09:00",
        "所属网格": "新华一网格",
        "地点": "新华小区3号楼东侧",
        "事件类别": "环境卫生",
        "紧急程度": "一般",
        "事件描述": "楼东侧空地堆放建筑垃圾约两立方米。",
        "上报人": "李晓梅",
    }
    row.update(kw)
    return [row[h] for h in HEADERS]


def write(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, sheet: str = "事件") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["请在“事件”工作表中填写。"])
    data = wb.create_sheet(sheet)
    data.append(headers)
    for r in rows:
        data.append(r)
    wb.save(path)
    return path


def count(ctx: ServiceContext, table: Any) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def events(ctx: ServiceContext) -> dict[str, GridEvent]:
    with ctx.read() as s:
        return {e.event_no: e for e in s.scalars(select(GridEvent))}


# ---------------------------------------------------------------- import


def test_good_rows_are_numbered_limited_and_reported(street_ctx: ServiceContext, tmp_path: Path) -> None:
    path = write(
        tmp_path / "e.xlsx",
        [
            good(),
            good(**{"所属网格": "GC-02-001", "事件类别": "消防安全/消防通道堵塞", "紧急程度": None}),
            good(
                **{
                    "上报时间": dt.datetime(2026, 11, 20, 15, 30),
                    "紧急程度": "紧急",
                    "事件编号": "SJ2026-000040",
                }
            ),
        ],
    )
    report = exchange.import_events(street_ctx, path)
    assert report.exit_status == 0, report.describe()
    assert (report.created, report.updated, report.rejected, report.numbers_assigned) == (3, 0, 0, 2)
    found = events(street_ctx)
    # the kept number first; the blank ones numbered after it (the counter moved past 40)
    assert sorted(found) == ["SJ2026-000040", "SJ2026-000041", "SJ2026-000042"]
    a, b, c = found["SJ2026-000041"], found["SJ2026-000042"], found["SJ2026-000040"]
    assert (a.deadline, a.department, a.state) == (T(2026, 12, 1), "环卫所", "REPORTED")
    assert (b.category, b.subcategory, b.urgency, b.deadline) == (
        "消防安全",
        "消防通道堵塞",
        "NORMAL",
        T(2026, 11, 26),
    )
    assert (c.urgency, c.received_at, c.deadline) == (
        "URGENT",
        T(2026, 11, 20, 15, 30),
        T(2026, 11, 21, 15, 30),
    )
    with street_ctx.read() as s:
        assert s.scalar(select(EventNumberCounter.last_seq).where(EventNumberCounter.year == 2026)) == 42
        assert s.scalar(select(func.count()).select_from(EventStep).where(EventStep.kind == "REPORT")) == 3
    # a later event through the program takes the next number
    eid = ev.create_event(
        street_ctx,
        ev.EventInput("居民反映", T(2026, 11, 23, 10), a.grid_id, "新华路", "市政设施", "路灯不亮"),
    )
    assert ev.event_detail(street_ctx, eid).event_no == "SJ2026-000043"
    assert "其中 2 件没有事件编号" in report.describe()


def test_header_synonyms_and_another_sheet_order(street_ctx: ServiceContext, tmp_path: Path) -> None:
    headers = [
        "编号",
        "事件来源",
        "发现时间",
        "网格编号",
        "事件地点",
        "问题类型",
        "事件小类",
        "缓急程度",
        "问题描述",
        "反映人",
    ]
    row = [
        None,
        "12345热线",
        "2026年11月22日14时05分",
        "GC-01-002",
        "商圈东门",
        "治安隐患",
        "噪音扰民",
        "一般",
        "夜间施工噪音",
        "张三",
    ]
    report = exchange.import_events(street_ctx, write(tmp_path / "s.xlsx", [row], headers))
    assert report.exit_status == 0, report.describe()
    e = next(iter(events(street_ctx).values()))
    assert (e.source, e.received_at, e.subcategory, e.reporter_name) == (
        "12345热线",
        T(2026, 11, 22, 14, 5),
        "噪音扰民",
        "张三",
    )


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"事件编号": "2026-17"}, "事件编号", "格式不正确"),
        ({"事件编号": "SJ2025-000001"}, "事件编号", "编号年份 2025 与上报时间"),
        ({"上报时间": "昨天下午"}, "上报时间", "不是有效的时间"),
        ({"上报时间": None}, "上报时间", "不能为空"),
        ({"上报时间": "2026-11-23 11:00"}, "上报时间", "不能晚于现在"),
        ({"所属网格": "幸福网格"}, "所属网格", "没有网格编号或名称为“幸福网格”的网格"),
        ({"所属网格": None}, "所属网格", "不能为空"),
        ({"来源": "微信群"}, "来源", "事件来源“微信群”不在来源字典中"),
        ({"事件类别": "天气"}, "事件类别", "事件类别“天气”不在类别字典中"),
        ({"紧急程度": "特急"}, "紧急程度", "紧急程度应为“一般”或“紧急”"),
        ({"地点": None}, "地点", "请填写事件地点"),
        ({"事件描述": " "}, "事件描述", "请填写事件描述"),
    ],
)
def test_each_bad_row_is_rejected_with_row_and_column(
    street_ctx: ServiceContext, tmp_path: Path, change: dict[str, Any], column: str, words: str
) -> None:
    path = write(tmp_path / "bad.xlsx", [good(), good(**change), good(**{"地点": "朝阳路"})])
    report = exchange.import_events(street_ctx, path)
    assert report.exit_status == 2
    assert (report.created, report.rejected) == (2, 1)
    [err] = report.errors
    assert (err.row, err.field) == (3, column), err.describe()
    assert words in err.reason
    assert sorted(e.place for e in events(street_ctx).values()) == ["新华小区3号楼东侧", "朝阳路"]
    assert f"第 3 行 · {column}：" in report.describe()


def test_a_number_twice_in_the_file_rejects_both_rows(street_ctx: ServiceContext, tmp_path: Path) -> None:
    no = {"事件编号": "SJ2026-000005"}
    report = exchange.import_events(street_ctx, write(tmp_path / "d.xlsx", [good(**no), good(), good(**no)]))
    assert [(i.row, i.field, i.code) for i in report.errors] == [
        (2, "事件编号", "duplicate"),
        (4, "事件编号", "duplicate"),
    ]
    assert "另见第 4 行" in report.errors[0].reason
    assert list(events(street_ctx)) == ["SJ2026-000001"]


def test_an_ambiguous_grid_name_asks_for_the_code(street_ctx: ServiceContext, tmp_path: Path) -> None:
    c2 = next(c for c in st.list_communities(street_ctx) if c.name == "朝阳社区")
    st.save_grid(street_ctx, st.GridInput(c2.id, "GC-02-009", "新华一网格", "BASIC", None, 1, 1))
    report = exchange.import_events(street_ctx, write(tmp_path / "a.xlsx", [good()]))
    assert report.exit_status == 1 or report.exit_status == 2
    [err] = report.errors
    assert err.field == "所属网格" and "请填写网格编号" in err.reason


def test_reimport_updates_and_never_duplicates(street_ctx: ServiceContext, tmp_path: Path) -> None:
    first = exchange.import_events(
        street_ctx, write(tmp_path / "1.xlsx", [good(**{"事件编号": "SJ2026-000001"})])
    )
    assert first.created == 1
    again = exchange.import_events(
        street_ctx, write(tmp_path / "2.xlsx", [good(**{"事件编号": "SJ2026-000001"})])
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # still 待受理: every intake fact may change, the limit and department follow the new category
    changed = good(
        **{"事件编号": "sj2026-000001", "事件类别": "消防安全", "紧急程度": "紧急", "地点": "新华小区5号楼"}
    )
    third = exchange.import_events(street_ctx, write(tmp_path / "3.xlsx", [changed]))
    assert (third.created, third.updated) == (0, 1), third.describe()
    [e] = events(street_ctx).values()
    assert (e.category, e.urgency, e.place, e.department, e.deadline) == (
        "消防安全",
        "URGENT",
        "新华小区5号楼",
        "消防救援站",
        T(2026, 11, 24, 9, 0),
    )
    assert count(street_ctx, GridEvent) == 1


def test_an_event_past_accepted_keeps_its_loop(street_ctx: ServiceContext, tmp_path: Path, clock) -> None:
    exchange.import_events(street_ctx, write(tmp_path / "1.xlsx", [good(**{"事件编号": "SJ2026-000001"})]))
    [e] = events(street_ctx).values()
    v = ev.accept_event(street_ctx, e.id, e.version, actor="王建国")
    ev.whistle(street_ctx, e.id, v, kind="TOUGH", department="城管执法中队", note="清运", actor="王建国")
    before = events(street_ctx)["SJ2026-000001"]
    row = good(
        **{
            "事件编号": "SJ2026-000001",
            "事件类别": "消防安全",
            "紧急程度": "紧急",
            "地点": "新华小区3号楼东侧空地",
            "事件描述": "建筑垃圾约三立方米，已堵塞通道。",
        }
    )
    report = exchange.import_events(street_ctx, write(tmp_path / "2.xlsx", [row]))
    assert (report.updated, report.rejected) == (1, 0), report.describe()
    [warn] = report.warnings
    assert warn.row == 2 and "事件已吹哨" in warn.reason and "事件类别、紧急程度未按文件修改" in warn.reason
    after = events(street_ctx)["SJ2026-000001"]
    # the descriptive facts corrected, the loop's facts as they were
    assert (after.place, after.description) == ("新华小区3号楼东侧空地", "建筑垃圾约三立方米，已堵塞通道。")
    assert (after.category, after.urgency, after.deadline, after.department, after.state) == (
        before.category,
        before.urgency,
        before.deadline,
        before.department,
        "WHISTLED",
    )


def test_dry_run_writes_nothing(street_ctx: ServiceContext, tmp_path: Path) -> None:
    report = exchange.import_events(street_ctx, write(tmp_path / "e.xlsx", [good(), good()]), dry_run=True)
    assert (report.created, report.exit_status) == (2, 0)
    assert "仅检查，未写入数据库" in report.describe() and "将新建 2 件事件" in report.describe()
    assert count(street_ctx, GridEvent) == 0
    assert count(street_ctx, EventNumberCounter) == 0


def test_a_failure_midway_leaves_nothing_half_imported(
    street_ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = exchange.create_event_in

    def failing(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kw)

    monkeypatch.setattr(exchange, "create_event_in", failing)
    with pytest.raises(RuntimeError):
        exchange.import_events(street_ctx, write(tmp_path / "e.xlsx", [good(), good(), good()]))
    assert count(street_ctx, GridEvent) == 0
    assert count(street_ctx, EventStep) == 0


def test_a_file_without_rows_exits_1(street_ctx: ServiceContext, tmp_path: Path) -> None:
    report = exchange.import_events(street_ctx, write(tmp_path / "e.xlsx", []))
    assert report.exit_status == 1


# ---------------------------------------------------------------- export


def test_export_round_trip(street_ctx: ServiceContext, tmp_path: Path, clock) -> None:
    rows = [
        good(**{"上报人": "李晓梅"}),
        good(**{"所属网格": "GC-02-001", "上报时间": "2026-10-30 16:00", "事件类别": "民生服务/食品安全"}),
    ]
    exchange.import_events(street_ctx, write(tmp_path / "in.xlsx", rows))
    out = tmp_path / "out.xlsx"
    assert exchange.export_events(street_ctx, out) == 2
    ws = openpyxl.load_workbook(out)["事件"]
    values = list(ws.values)
    assert list(values[0][:9]) == [*HEADERS[:6], "事件子类", "紧急程度", "事件描述"]
    assert values[1][0] == "SJ2026-000002" and values[1][2] == "2026-10-30 16:00"
    head = list(values[0])
    october = dict(zip(head, values[1], strict=True))
    assert (october["状态"], october["亮灯"], october["承办部门"], october["办结时限"]) == (
        "待受理",
        "红灯",
        "市场监管所",
        "2026-11-06 24:00",
    )
    assert count(street_ctx, GridEvent) == 2
    # the export imports back unchanged: no duplicates, nothing updated, the loop's columns ignored
    report = exchange.import_events(street_ctx, out)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 2, 0), (
        report.describe()
    )
    assert "状态" in report.describe() and count(street_ctx, GridEvent) == 2
    # --month keeps the events received in that month
    assert exchange.export_events(street_ctx, tmp_path / "nov.xlsx", month="2026-11") == 1


# ---------------------------------------------------------------- command line


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_import_exit_codes_and_error_workbook(
    street_ctx: ServiceContext, tmp_path: Path, capsys: Any
) -> None:
    db = str(street_ctx.database.url.database)
    ok = write(tmp_path / "ok.xlsx", [good()])
    bad = write(tmp_path / "bad.xlsx", [good(), good(**{"所属网格": "幸福网格"})])
    errors = tmp_path / "errors.xlsx"
    assert run_cli(capsys, "--db", db, "import", "events", str(ok), "--dry-run")[0] == 0
    assert count(street_ctx, GridEvent) == 0
    status, out, _ = run_cli(capsys, "--db", db, "import", "events", str(bad), "--errors", str(errors))
    assert status == 2 and "第 3 行 · 所属网格" in out
    rows = list(openpyxl.load_workbook(errors)["导入问题"].values)
    assert rows[0] == ("行号", "字段", "值", "原因")
    assert rows[1][:3] == (3, "所属网格", "幸福网格")
    assert run_cli(capsys, "--db", db, "import", "events", str(write(tmp_path / "n.xlsx", [])))[0] == 1
    status, _, err = run_cli(capsys, "--db", db, "import", "events", str(tmp_path / "missing.xlsx"))
    assert status == 1 and err.startswith("错误：找不到文件")
    out_file = tmp_path / "all.xlsx"
    status, out, _ = run_cli(
        capsys, "--db", db, "export", "events", "--out", str(out_file), "--month", "2026-11"
    )
    assert status == 0 and "已导出 1 件" in out
    status, _, err = run_cli(
        capsys, "--db", db, "export", "events", "--out", str(out_file), "--month", "11月"
    )
    assert status == 1 and "月份“11月”格式不正确" in err


def test_cli_list_json_keys_and_lights_as_of(street_ctx: ServiceContext, tmp_path: Path, capsys: Any) -> None:
    db = str(street_ctx.database.url.database)
    rows = [
        good(),  # Monday 09:00, 5 working days → 2026-11-30 24:00
        good(
            **{"上报时间": "2026-11-23 08:00", "紧急程度": "紧急", "所属网格": "GC-02-001"}
        ),  # → 11-24 08:00
    ]
    exchange.import_events(street_ctx, write(tmp_path / "e.xlsx", rows))
    status, out, _ = run_cli(capsys, "--db", db, "events", "list", "--json", "--as-of", "2026-11-23T10:00")
    assert status == 0
    listed = json.loads(out)
    assert set(listed[0]) >= {
        "event_no", "source", "category", "urgency", "grid_code", "received_at", "deadline", "light", "state",
        "department",
    }  # fmt: skip
    by_no = {r["event_no"]: r for r in listed}
    assert by_no["SJ2026-000002"] == by_no["SJ2026-000002"] | {
        "urgency": "URGENT",
        "grid_code": "GC-02-001",
        "received_at": "2026-11-23T08:00",
        "deadline": "2026-11-24T08:00",
        "light": "green",
        "state": "REPORTED",
        "state_label": "待受理",
        "department": "环卫所",
    }
    assert by_no["SJ2026-000001"]["light"] == "green"
    # a day later the urgent one is under a quarter of its 24 hours (yellow), then past its end (red);
    # on Friday 11-27 the day-limited one ends on the next working day (Monday 11-30): yellow
    later = json.loads(
        run_cli(capsys, "--db", db, "events", "list", "--json", "--as-of", "2026-11-24T03:00")[1]
    )
    assert {r["event_no"]: r["light"] for r in later} == {"SJ2026-000001": "green", "SJ2026-000002": "yellow"}
    friday = json.loads(
        run_cli(capsys, "--db", db, "events", "list", "--json", "--as-of", "2026-11-27T09:00")[1]
    )
    assert {r["event_no"]: r["light"] for r in friday} == {"SJ2026-000001": "yellow", "SJ2026-000002": "red"}
    red = json.loads(
        run_cli(
            capsys, "--db", db, "events", "list", "--json", "--as-of", "2026-11-27T09:00", "--light", "red"
        )[1]
    )
    assert [r["event_no"] for r in red] == ["SJ2026-000002"]
    grid = json.loads(run_cli(capsys, "--db", db, "events", "list", "--json", "--grid", "GC-01-001")[1])
    assert [r["event_no"] for r in grid] == ["SJ2026-000001"]
    # before anything was received, nothing is listed
    assert (
        json.loads(run_cli(capsys, "--db", db, "events", "list", "--json", "--as-of", "2026-11-22T09:00")[1])
        == []
    )
    status, out, _ = run_cli(capsys, "--db", db, "events", "list", "--as-of", "2026-11-27T09:00")
    assert (
        status == 0 and "【红灯】SJ2026-000002" in out and "共 2 件（红灯 1 件，黄灯 1 件，绿灯 0 件" in out
    )
    status, _, err = run_cli(capsys, "--db", db, "events", "list", "--as-of", "明天")
    assert status == 1 and "--as-of“明天”格式不正确" in err
    status, _, err = run_cli(capsys, "--db", db, "events", "list", "--grid", "GC-99")
    assert status == 1 and "没有网格编号为“GC-99”的网格" in err
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "events", "list", "--light", "blue"])
    assert usage.value.code == 2 and "无效的选项" in capsys.readouterr().err


def test_a_csv_file_imports_the_same(street_ctx: ServiceContext, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    lines = [",".join(HEADERS), ",".join(str(v or "") for v in good(**{"上报时间": "2026/11/23 8:30"}))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    report = exchange.import_events(street_ctx, path)
    assert (report.created, report.exit_status) == (1, 0), report.describe()
    assert next(iter(events(street_ctx).values())).received_at == T(2026, 11, 23, 8, 30)


def test_a_date_without_a_time_is_taken_as_midnight_with_a_warning(
    street_ctx: ServiceContext, tmp_path: Path
) -> None:
    report = exchange.import_events(
        street_ctx, write(tmp_path / "e.xlsx", [good(**{"上报时间": "2026年11月20日"})])
    )
    assert report.created == 1 and report.exit_status == 0
    [warn] = report.warnings
    assert (warn.row, warn.field) == (2, "上报时间") and "按当日 0 时计" in warn.reason
    assert next(iter(events(street_ctx).values())).received_at == T(2026, 11, 20, 0, 0)
