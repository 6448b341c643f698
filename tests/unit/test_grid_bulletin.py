"""一月一通报 / 一季一排名: the figures per grid, community and street on events driven through the loop and
visits recorded through the services, checked against hand counts; street = Σ communities; the ranking
and its ties; the PDF and workbook; the CLI; section 六 of the 月报 = the bulletin's figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from desktop.app import main as cli_main
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.bulletin import Figures, RankingWeights, UnitFigures, rank
from desktop.services import events as ev
from desktop.services import residents as rs
from desktop.services import visits as vs
from desktop.services.context import ServiceContext
from desktop.services.reports import bulletin_files
from desktop.services.reports.grid_bulletin import bulletin_figures, ranking_weights, save_ranking_weights
from desktop.services.reports.monthly import monthly_report
from tests.unit.visit_street import VisitStreet, build

T = dt.datetime
D = dt.date


def _event(ctx: ServiceContext, grid: int, received: T, **kw: Any) -> tuple[int, int]:
    fields: dict[str, Any] = {
        "source": "网格员巡查",
        "received_at": received,
        "grid_id": grid,
        "place": "新华小区3号楼东侧",
        "category": "环境卫生",
        "subcategory": "垃圾堆放",
        "description": "楼东侧空地堆放建筑垃圾约两立方米，影响通行。",
    }
    fields.update(kw)
    eid = ev.create_event(ctx, ev.EventInput(**fields))
    v = ev.event_detail(ctx, eid).version
    v = ev.accept_event(ctx, eid, v, at=received + dt.timedelta(minutes=10))
    return eid, v


def _on_site(ctx: ServiceContext, grid: int, received: T, closed: T) -> int:
    eid, v = _event(ctx, grid, received)
    v = ev.handle_on_site(ctx, eid, v, "现场清理完毕。", at=closed - dt.timedelta(hours=2))
    v = ev.verify(ctx, eid, v, passed=True, at=closed - dt.timedelta(hours=1))
    ev.close_event(ctx, eid, v, at=closed)
    return eid


def _whistled(
    ctx: ServiceContext,
    grid: int,
    received: T,
    *,
    kind: str,
    dept: str,
    signed: T,
    arrived: T,
    closed: T | None = None,
    rating: str | None = None,
) -> int:
    eid, v = _event(ctx, grid, received)
    at = received + dt.timedelta(hours=1)
    v = ev.whistle(ctx, eid, v, kind=kind, department=dept, note="需要职能部门处置", at=at)
    v = ev.dispatch(ctx, eid, v, at=at + dt.timedelta(minutes=1))
    v = ev.sign_for(ctx, eid, v, at=signed)
    v = ev.report_in(ctx, eid, v, at=arrived)
    if closed is not None:
        v = ev.dispose(ctx, eid, v, "已处置。", at=closed - dt.timedelta(hours=2))
        v = ev.verify(ctx, eid, v, passed=True, at=closed - dt.timedelta(hours=1))
        v = ev.close_event(ctx, eid, v, at=closed)
        if rating:
            ev.rate_department(ctx, eid, v, rating=rating, at=closed + dt.timedelta(days=1))
    return eid


@pytest.fixture
def october(street_ctx: ServiceContext) -> VisitStreet:
    """October 2026 (一般 events: 5 working days, 24:00 of the 5th working day after receipt)."""
    street = build(street_ctx)
    ctx, g = street.ctx, street.grids
    g1, g2, g3 = g["GC-01-001"], g["GC-01-002"], g["GC-02-001"]
    # E1 GC-01-001: received Mon 10-12, limit ends 10-19 24:00, closed 10-14: in time
    _on_site(ctx, g1, T(2026, 10, 12, 9), T(2026, 10, 14, 16))
    # E2 GC-01-001: 工作推进哨 at 10:00, signed 10:40 (in time), reported in 10-14 (by 10-15 24:00),
    # closed 10-23 (late), rated 满意 10-24
    _whistled(ctx, g1, T(2026, 10, 12, 9), kind="PROGRESS", dept="城管执法中队", signed=T(2026, 10, 12, 10, 40),
              arrived=T(2026, 10, 14, 9), closed=T(2026, 10, 23, 15), rating="满意")  # fmt: skip
    # E3 GC-01-002: 攻坚克难哨 10-26 10:00, signed 12:00 (late), reported 10-30 (by 11-02 24:00), still open;
    # its limit ends 10-30 24:00 = 11-01 00:00? no: Mon 10-26 + 5 working days = Mon 11-02 24:00 → not overdue
    _whistled(ctx, g2, T(2026, 10, 26, 9), kind="TOUGH", dept="环卫所", signed=T(2026, 10, 26, 12),
              arrived=T(2026, 10, 30, 9))  # fmt: skip
    # E4 GC-02-001: received 10-13, limit ends 10-20 24:00, never closed → overdue open at the month's end
    _event(ctx, g3, T(2026, 10, 13, 9))
    # E5 GC-02-001: received 09-21 (limit ends 09-28 24:00), closed 10-15: closed in October, late
    _on_site(ctx, g3, T(2026, 9, 21, 9), T(2026, 10, 15, 10))
    # E6 GC-02-001: 工作推进哨 10-14 10:00, signed 10:20, reported in 10-20 (late: by 10-19 24:00),
    # closed 10-20 (limit ends 10-21 24:00: in time), rated 不满意 10-21
    _whistled(ctx, g3, T(2026, 10, 14, 9), kind="PROGRESS", dept="城管执法中队", signed=T(2026, 10, 14, 10, 20),
              arrived=T(2026, 10, 20, 9), closed=T(2026, 10, 20, 17), rating="不满意")  # fmt: skip
    # E7 GC-01-001: received in November: not in October's figures
    _on_site(ctx, g1, T(2026, 11, 2, 9), T(2026, 11, 3, 9))
    # visits (as in test_visit_services: October GC-01-001 3 due / 2 done, GC-02-001 1 due / 0 done)
    rs.set_care_tier(ctx, street.ids["张建军"], "ORANGE", "家庭矛盾需关注", on_date=D(2026, 10, 26))
    for day, names, household in (
        (D(2026, 10, 3), ("张桂兰", "张建军"), True),
        (D(2026, 10, 27), ("张建军",), True),
        (D(2026, 11, 5), ("张建军",), True),
        (D(2026, 10, 20), ("马东",), False),  # 社区矫正对象: the one special-group resident visited
    ):
        vs.record_visit(
            ctx,
            vs.VisitInput(day, "李晓梅", "入户", "了解近况。", street.household if household else None,
                          [street.ids[n] for n in names]),
        )  # fmt: skip
    return street


HAND = {
    # code: received, closed, closed_in_time, overdue_open, whistles, satisfied, basic, unsatisfied,
    #       visits_due, visits_done, special_visited
    "GC-01-001": Figures(2, 2, 1, 0, 1, 1, 0, 0, 3, 2, 1),
    "GC-01-002": Figures(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
    "GC-02-001": Figures(2, 2, 1, 1, 1, 0, 0, 1, 1, 0, 0),
}


def test_october_figures_per_grid_community_and_street(october: VisitStreet) -> None:
    b = bulletin_figures(october.ctx, "2026-10")
    assert {u.code: u.figures for u in b.grids} == HAND
    communities = {c.name: c.figures for c in b.communities}
    assert communities == {"新华社区": HAND["GC-01-001"] + HAND["GC-01-002"], "朝阳社区": HAND["GC-02-001"]}
    total = b.total.figures
    # street = Σ communities, and the hand count of the street
    assert total == communities["新华社区"] + communities["朝阳社区"]
    assert (total.received, total.closed, total.closed_in_time, total.overdue_open, total.whistles) == (
        5,
        4,
        2,
        1,
        3,
    )
    assert total.closed_in_time_rate == 0.5 and total.satisfaction_rate == 0.5 and total.visit_rate == 0.5
    assert b.as_of == T(2026, 11, 1) and b.ranking == ()  # October does not end a quarter
    # empty denominators are None (无数据), never 0
    g2 = next(u for u in b.grids if u.code == "GC-01-002").figures
    assert g2.closed_in_time_rate is None and g2.satisfaction_rate is None and g2.visit_rate is None
    depts = {d.department: d for d in b.departments}
    c = depts["城管执法中队"]
    assert (c.whistles, c.signed, c.signed_in_time, c.reported, c.reported_in_time) == (2, 2, 2, 2, 1)
    assert c.avg_sign_hours == pytest.approx(0.5)  # 40 and 20 minutes
    assert (c.satisfied, c.unsatisfied, c.satisfaction_rate) == (1, 1, 0.5)
    h = depts["环卫所"]
    assert (h.whistles, h.signed_in_time, h.reported_in_time, h.avg_sign_hours) == (
        1,
        0,
        1,
        pytest.approx(2.0),
    )
    assert h.satisfaction_rate is None


def test_one_community_and_refusals(october: VisitStreet) -> None:
    b = bulletin_figures(october.ctx, "2026-10", "朝阳")
    assert b.community == "朝阳社区" and [u.code for u in b.grids] == ["GC-02-001"]
    assert b.total.figures == HAND["GC-02-001"]
    with pytest.raises(NotFoundError, match="找不到社区"):
        bulletin_figures(october.ctx, "2026-10", "不存在")
    with pytest.raises(ValidationError, match="尚未开始"):
        bulletin_figures(october.ctx, "2026-12")
    with pytest.raises(ValidationError, match="格式不正确"):
        bulletin_figures(october.ctx, "2026-13")


def test_ranking_rule_and_ties() -> None:
    w = RankingWeights()
    a = Figures(received=2, closed=2, closed_in_time=2, satisfied=1, visits_due=2, visits_done=2)  # 90
    b = Figures(closed=2, closed_in_time=1, satisfied=1, visits_due=2, visits_done=2)  # 20+20+30 = 70
    c = Figures(closed=1, closed_in_time=1, visits_due=4, visits_done=4, overdue_open=3)  # (40+30)/70*90 − 3
    d = Figures(closed=2, closed_in_time=1, satisfied=1, visits_due=2, visits_done=2)  # ties with b
    e = Figures(overdue_open=40)  # nothing with data: 0, penalty capped at 10
    assert (w.score(a), w.score(b), w.score(c), w.score(e)) == (90.0, 70.0, 87.0, -10.0)
    units = [
        UnitFigures("grid", code, code, "x", f) for code, f in zip("ABCDE", (a, b, c, d, e), strict=True)
    ]
    rows = rank(units, w)
    assert [(r.rank, r.unit.code) for r in rows] == [(1, "A"), (2, "C"), (3, "B"), (3, "D"), (5, "E")]
    assert (
        "按期办结率 × 40" in w.formula() and "满意率 × 20" in w.formula() and "走访完成率 × 30" in w.formula()
    )


def test_quarter_ranking_uses_the_settings(october: VisitStreet, clock: Any) -> None:
    ctx = october.ctx
    b = bulletin_figures(ctx, "2026Q4")
    assert len(b.ranking) == 3 and b.ranking_formula == RankingWeights().formula()
    w = RankingWeights()
    assert [r.score for r in b.ranking] == sorted((w.score(u.figures) for u in b.grids), reverse=True)
    save_ranking_weights(ctx, RankingWeights(closed_in_time=100, satisfaction=0, visits=0, overdue_penalty=5))
    assert ranking_weights(ctx).overdue_penalty == 5
    b2 = bulletin_figures(ctx, "2026Q4")
    assert "按期办结率 × 100" in b2.ranking_formula
    by_code = {r.unit.code: r for r in b2.ranking}
    f = by_code["GC-02-001"].unit.figures
    assert by_code["GC-02-001"].score == round(100 * f.closed_in_time_rate - 5 * f.overdue_open, 2)
    with pytest.raises(ValidationError, match="按期办结率的分值应在 0–100 之间"):
        save_ranking_weights(ctx, RankingWeights(closed_in_time=-1))
    with pytest.raises(ValidationError, match="不能都为 0"):
        save_ranking_weights(ctx, RankingWeights(closed_in_time=0, satisfaction=0, visits=0))
    assert ranking_weights(ctx).closed_in_time == 100  # the refused ones left the saved weights alone


def test_a_month_ending_a_quarter_carries_the_ranking(october: VisitStreet, clock: Any) -> None:
    clock.set(T(2027, 1, 4, 9))
    b = bulletin_figures(october.ctx, "2026-12")
    assert b.ranking_label == "2026年第四季度" and len(b.ranking) == 3


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))


def test_pdf_and_workbook(october: VisitStreet, tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "通报.pdf", tmp_path / "通报.xlsx"
    b = bulletin_files.export_grid_bulletin(october.ctx, "2026-10", pdf, xlsx)
    text = _pdf_text(pdf)
    for expected in (
        "一月一通报",
        "钢城街道2026年10月网格工作通报",
        "统计期间：2026年10月1日至2026年10月31日",
        "本期全街道受理网格事件5件，办结4件，其中按期办结2件，按期办结率50.0%",
        "各社区情况",
        "新华社区3250.0%",  # received 3, closed 2, in time 50.0%
        "新华二网格（GC-01-002）10无数据01无数据无数据0",  # no closures, ratings or visits due
        "城管执法中队2",
        "2026年11月23日",
    ):
        assert expected in text, expected
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["各社区情况", "各网格情况", "吹哨报到与部门评价"]
    ws = wb["各网格情况"]
    header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "网格")
    row = {ws.cell(header + i, 1).value: i for i in range(1, 5)}
    r = header + row["新华一网格（GC-01-001）"]
    cols = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert ws.cell(r, cols.index("受理事件") + 1).value == 2
    assert ws.cell(r, cols.index("按期办结率") + 1).value == 0.5
    assert ws.cell(header + row["新华二网格（GC-01-002）"], cols.index("满意率") + 1).value is None
    total = header + row["全街道合计"]
    assert ws.cell(total, cols.index("超期未办结") + 1).value == b.total.figures.overdue_open == 1


def test_cli_exit_codes(october: VisitStreet, db_path: Path, tmp_path: Path, capsys: Any) -> None:
    base = ["--db", str(db_path)]
    out = tmp_path / "排名.pdf"
    code = cli_main([*base, "report", "grid-ranking", "--quarter", "2026Q4", "--out", str(out),
                     "--xlsx", str(tmp_path / "排名.xlsx")])  # fmt: skip
    assert code == 0 and out.exists()
    assert "一季一排名" in _pdf_text(out) and "得分" in _pdf_text(out)
    assert "3 个网格" in capsys.readouterr().out
    assert (
        cli_main([*base, "report", "grid-bulletin", "--month", "2026-10", "--out", str(tmp_path / "a.pdf")])
        == 0
    )
    bad = tmp_path / "b.pdf"
    assert cli_main([*base, "report", "grid-bulletin", "--month", "2026-12", "--out", str(bad)]) != 0
    assert not bad.exists()
    assert (
        cli_main([*base, "report", "grid-bulletin", "--month", "2026-10", "--out", str(tmp_path / "x.txt")])
        != 0
    )
    assert "尚未开始" in capsys.readouterr().err


def test_monthly_section_six_is_the_bulletin(october: VisitStreet) -> None:
    for community in (None, "新华社区"):
        report = monthly_report(october.ctx, "2026-10", community)
        section = next(s for s in report.sections if s.key == "events")
        table = section.tables[0]
        f = bulletin_figures(october.ctx, "2026-10", community).total.figures
        assert table.row("events.received").value == f.received
        assert table.row("events.closed_in_time").value == f.closed_in_time
        assert table.row("events.overdue_open").value == f.overdue_open
        assert table.row("events.satisfaction_rate").value == f.satisfaction_rate
        assert table.row("events.visit_rate").value == f.visit_rate
        assert table.row("events.special_visited").value == f.special_visited
    assert f.received == 3  # 新华社区: hand count
