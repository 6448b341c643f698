"""网格事件 documents: the 事件处置单 (派单) for a department and the monthly 事件台账 (PDF and workbook), read
back with pypdf, through the services and the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.app import main
from desktop.core.clock import FixedClock
from desktop.core.errors import NotFoundError, ValidationError
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services.context import ServiceContext
from desktop.services.events import printing

from .test_mediation_documents import check_pdf

T = dt.datetime


def text(path: Path) -> str:
    return "\n".join(pg.extract_text() for pg in PdfReader(path).pages)


def flat(path: Path) -> str:
    """The text without line breaks and spaces (a cell's text may wrap anywhere)."""
    return "".join(text(path).split())


@pytest.fixture
def grids(street_ctx: ServiceContext) -> dict[str, int]:
    return {g.code: g.id for g in st.list_grids(street_ctx)}


def new_event(ctx: ServiceContext, grid_id: int, **kw: Any) -> int:
    fields: dict[str, Any] = {
        "source": "网格员巡查",
        "received_at": T(2026, 11, 2, 9, 0),
        "grid_id": grid_id,
        "place": "新华小区3号楼东侧",
        "category": "违章建筑",
        "subcategory": "违法搭建",
        "description": "3号楼顶层住户在楼顶搭建彩钢房约二十平方米，邻居反映影响安全。",
        "reporter_name": "李晓梅",
        "reporter_phone": "13919375678",
    }
    fields.update(kw)
    return ev.create_event(ctx, ev.EventInput(**fields))


def whistled(ctx: ServiceContext, eid: int) -> None:
    v = ev.accept_event(ctx, eid, ev.event_detail(ctx, eid).version, at=T(2026, 11, 2, 10, 0), actor="王建国")
    v = ev.whistle(
        ctx,
        eid,
        v,
        kind="TOUGH",
        department="城管执法中队",
        note="楼顶违建",
        at=T(2026, 11, 2, 10, 30),
        actor="王建国",
    )
    ev.dispatch(ctx, eid, v, at=T(2026, 11, 2, 11, 0), actor="王建国")


def test_the_dispatch_sheet_of_a_whistled_event(street_ctx: ServiceContext, grids, tmp_path: Path) -> None:
    eid = new_event(street_ctx, grids["GC-01-001"])
    whistled(street_ctx, eid)
    path, pages = printing.print_dispatch(street_ctx, "SJ2026-000001", tmp_path / "d.pdf")
    assert pages == 1
    body = check_pdf(path)
    assert "网格事件处置单" in body and "派" in body
    words = flat(path)
    for expected in (
        "SJ2026-000001",
        "网格员巡查",
        "2026年11月2日9:00",  # received
        "新华一网格（GC-01-001）",
        "新华小区3号楼东侧",
        "违章建筑／违法搭建",
        "一般",
        "3号楼顶层住户在楼顶搭建彩钢房约二十平方米",
        "李晓梅13919375678",
        "攻坚克难哨（2026年11月2日10:30吹哨）",
        "签收：2026年11月2日11:30前（1小时内）",
        "联系社区：2026年11月3日10:30前（24小时内）",
        "报到：2026年11月9日24时前（5个工作日内）",  # Mon 11-02 + 5 working days
        "城管执法中队",
        "2026年11月9日24时前办结（5个工作日）",
        "王建国2026年11月2日11:00",  # who dispatched, when
        "签收人",
        "签收时间＿＿＿＿年＿＿月＿＿日＿＿时＿＿分",
        "处置情况",
        "承办人（签字）：＿＿＿＿＿＿＿＿＿＿＿＿年＿＿月＿＿日",
        "新华社区居民委员会（盖章）＿＿＿＿年＿＿月＿＿日",
        "请承办部门收到后1小时内签收，24小时内与社区联系，在办结时限内处置完毕",
    ):
        assert expected in words, expected
    with street_ctx.read() as s:
        audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "print")).all()
    assert [a.summary for a in audit] == ["生成事件处置单：SJ2026-000001（城管执法中队，1 页）"]


def test_an_event_not_whistled_prints_its_department_and_no_whistle(
    street_ctx: ServiceContext, grids, tmp_path: Path
) -> None:
    new_event(street_ctx, grids["GC-02-001"], category="环境卫生", subcategory=None, urgency="紧急")
    path, _ = printing.print_dispatch(street_ctx, "sj2026-000001", tmp_path / "d.pdf")
    words = flat(path)
    assert "未吹哨（社区派单）" in words and "环卫所" in words and "紧急" in words
    assert "2026年11月3日9:00前办结（24小时）" in words
    assert "朝阳社区居民委员会" in words
    # the sign-within-1-hour and contact-within-24-hours duties belong to a whistle, not to this dispatch
    assert "请承办部门在办结时限内处置完毕" in words and "1小时内签收" not in words


def test_dispatch_refusals(street_ctx: ServiceContext, grids, tmp_path: Path) -> None:
    new_event(street_ctx, grids["GC-01-001"])
    with pytest.raises(ValidationError, match="格式不正确"):
        printing.print_dispatch(street_ctx, "17号", tmp_path / "d.pdf")
    with pytest.raises(NotFoundError, match="没有编号为 SJ2026-000009 的事件"):
        printing.print_dispatch(street_ctx, "SJ2026-000009", tmp_path / "d.pdf")
    with pytest.raises(ValidationError, match=r"\.pdf"):
        printing.print_dispatch(street_ctx, "SJ2026-000001", tmp_path / "d.docx")
    assert not (tmp_path / "d.pdf").exists()


def test_the_monthly_ledger(street_ctx: ServiceContext, grids, tmp_path: Path, clock: FixedClock) -> None:
    ctx = street_ctx
    late = new_event(ctx, grids["GC-01-001"])  # whistled, never closed: red now
    whistled(ctx, late)
    ev.supervise(
        ctx, late, ev.event_detail(ctx, late).version, "限期三日内拆除", at=T(2026, 11, 12, 9), actor="王建国"
    )
    done = new_event(
        ctx,
        grids["GC-01-002"],
        category="环境卫生",
        subcategory="垃圾堆放",
        received_at=T(2026, 11, 16, 8, 0),
    )
    v = ev.accept_event(ctx, done, ev.event_detail(ctx, done).version, at=T(2026, 11, 16, 9, 0))
    v = ev.handle_on_site(ctx, done, v, "网格员组织清运", at=T(2026, 11, 16, 15, 0))
    v = ev.verify(ctx, done, v, passed=True, at=T(2026, 11, 16, 16, 0))
    ev.close_event(ctx, done, v, at=T(2026, 11, 16, 17, 0))
    new_event(
        ctx, grids["GC-02-001"], category="市政设施", subcategory="路灯损坏", received_at=T(2026, 11, 23, 8)
    )
    new_event(ctx, grids["GC-01-001"], received_at=T(2026, 10, 30, 9, 0))  # October: not in November's ledger
    ledger = printing.event_ledger(ctx, "2026-11")
    assert [r.event_no for r in ledger.rows] == ["SJ2026-000001", "SJ2026-000002", "SJ2026-000003"]
    assert [(r.light, r.outcome) for r in ledger.rows] == [
        ("红灯", "超期未办结"),
        (None, "按期办结"),
        ("绿灯", "办理中"),
    ]
    assert ledger.rows[0].supervised == 1 and ledger.rows[0].whistle == "攻坚克难哨"
    assert ledger.title == "钢城街道网格事件台账"
    out, xlsx = tmp_path / "l.pdf", tmp_path / "l.xlsx"
    printing.export_ledger(ctx, "2026-11", out, xlsx=xlsx)
    check_pdf(out)
    words = flat(out)
    assert "钢城街道网格事件台账" in words and "2026年11月上报" in words
    for expected in (
        "SJ2026-000001",
        "2026年11月2日9:00",
        "攻坚克难哨",
        "2026年11月9日24时",
        "红灯",
        "超期未办结（督办1次）",
        "按期办结",
        "2026年11月16日17:00",  # closed
        "本月上报3件，已结案1件（按期办结1件，超期办结0件），未结案2件（红灯1件、黄灯0件、绿灯1件），吹哨1件，督办1件。",
    ):
        assert expected in words, expected
    assert "SJ2026-000004" not in words
    rows = list(openpyxl.load_workbook(xlsx)["事件台账"].values)
    assert rows[0][:3] == ("序号", "事件编号", "上报时间")
    assert rows[1][:3] == (1, "SJ2026-000001", "2026年11月2日 9:00") and rows[2][13] == "按期办结"
    assert len(rows) == 4
    # one community only
    xinhua = printing.event_ledger(ctx, "2026-11", community="朝阳社区")
    assert [r.event_no for r in xinhua.rows] == ["SJ2026-000003"] and xinhua.title == "朝阳社区网格事件台账"
    with pytest.raises(NotFoundError, match="没有名为“幸福社区”的社区"):
        printing.event_ledger(ctx, "2026-11", community="幸福社区")
    with pytest.raises(ValidationError, match="尚未开始"):
        printing.event_ledger(ctx, "2026-12")


def test_cli_print_event_and_event_ledger(
    street_ctx: ServiceContext, grids, tmp_path: Path, capsys: Any
) -> None:
    new_event(street_ctx, grids["GC-01-001"])
    db = str(street_ctx.database.url.database)
    assert main(["--db", db, "print", "event", "SJ2026-000001", "--out", str(tmp_path / "d.pdf")]) == 0
    assert "已生成事件处置单" in capsys.readouterr().out
    args = ["--db", db, "report", "event-ledger", "--month", "2026-11", "--out", str(tmp_path / "l.pdf")]
    assert main([*args, "--xlsx", str(tmp_path / "l.xlsx"), "--community", "新华社区"]) == 0
    assert "新华社区网格事件台账（1 件）" in capsys.readouterr().out
    assert (tmp_path / "l.xlsx").exists()
    assert main(["--db", db, "print", "event", "SJ2026-000002", "--out", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err.startswith("错误：没有编号为 SJ2026-000002 的事件")
    assert (
        main(["--db", db, "report", "event-ledger", "--month", "十一月", "--out", str(tmp_path / "y.pdf")])
        == 1
    )
    assert "月份“十一月”格式不正确" in capsys.readouterr().err
