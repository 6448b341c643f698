"""一月一通报 / 一季一排名 as a PDF in the form of the 月报 (版头 in red, 仿宋 body, 黑体 headings, tables at 10 pt).

The tables are built once as values (``bulletin_tables``): the PDF prints them (rates as 85.7%, an empty
denominator as 无数据) and the workbook stores the same values as numbers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.flowables import HRFlowable

from desktop.documents import layout
from desktop.documents.reports.monthly import LINE, MARGINS_MM, RED, WIDTH, cn_date, gw_styles
from desktop.domain.bulletin import DepartmentWhistles, GridBulletin, UnitFigures
from desktop.domain.reports import fmt_share

CN = "一二三四五六七八九十"

#: every figure of a unit: (header, kind, value of a unit)
FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("受理事件", "count"),
    ("办结", "count"),
    ("按期办结", "count"),
    ("按期办结率", "percent"),
    ("超期未办结", "count"),
    ("吹哨", "count"),
    ("满意", "count"),
    ("基本满意", "count"),
    ("不满意", "count"),
    ("满意率", "percent"),
    ("应走访", "count"),
    ("已走访", "count"),
    ("走访完成率", "percent"),
    ("特殊人群走访人数", "count"),
)
DEPARTMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("职能部门", "text"),
    ("吹哨", "count"),
    ("签收", "count"),
    ("1小时内签收", "count"),
    ("平均签收用时（小时）", "number"),
    ("报到", "count"),
    ("按时报到", "count"),
    ("按时报到率", "percent"),
    ("满意", "count"),
    ("基本满意", "count"),
    ("不满意", "count"),
    ("满意率", "percent"),
)
#: the figures the PDF prints: 受理, 办结, 按期办结率, 超期未办结, 吹哨, 满意率, 走访完成率, 特殊人群走访
PDF_FIGURES = (0, 1, 3, 4, 5, 9, 12, 13)
RANK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("名次", "count"),
    ("网格", "text"),
    ("所属社区", "text"),
    ("按期办结率", "percent"),
    ("满意率", "percent"),
    ("走访完成率", "percent"),
    ("超期未办结", "count"),
    ("得分", "number"),
)
FORMULAS = (
    "受理事件 = 本期受理（上报时间在本期内）的网格事件数；办结 = 本期结案的事件数；",
    "按期办结 = 本期结案且结案时间不晚于办理时限（含批准的延期）的事件数；按期办结率 = 按期办结 ÷ 办结 × 100%；",
    "超期未办结 = 期末（末日 24:00，本期未结束时为当前时刻）仍未结案且已超过办理时限的事件数；",
    "吹哨 = 本期吹哨次数；1小时内签收、按时报到（工作推进哨 3 个工作日、攻坚克难哨 5 个工作日）按吹哨时间起算；",
    "满意率 = （满意 + 基本满意）÷ 本期评价数 × 100%；走访完成率 = 已走访周期数 ÷ 应走访周期数 × 100%；",
    "特殊人群走访人数 = 本期有走访记录的特殊人群居民人数（每人每月计一次）；分母为 0 的比率记为“无数据”；",
    "社区数字为其所属网格之和，全街道数字为各社区之和。",
)


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[object, ...], ...]
    bold_rows: frozenset[int] = frozenset()
    #: the columns the PDF prints (the page is 156 mm wide); None: all. The workbook has every column.
    pdf_columns: tuple[int, ...] | None = None


def figure_values(u: UnitFigures) -> tuple[object, ...]:
    f = u.figures
    return (
        f.received, f.closed, f.closed_in_time, f.closed_in_time_rate, f.overdue_open, f.whistles,
        f.satisfied, f.basic, f.unsatisfied, f.satisfaction_rate, f.visits_due, f.visits_done,
        f.visit_rate, f.special_visited,
    )  # fmt: skip


def department_values(d: DepartmentWhistles) -> tuple[object, ...]:
    hours = d.avg_sign_hours
    return (
        d.department, d.whistles, d.signed, d.signed_in_time, None if hours is None else round(hours, 1),
        d.reported, d.reported_in_time, d.report_rate, d.satisfied, d.basic, d.unsatisfied,
        d.satisfaction_rate,
    )  # fmt: skip


def bulletin_tables(b: GridBulletin) -> list[Table]:
    total_label = "全街道合计" if b.community is None else f"{b.community}合计"
    tables = []
    if b.community is None:
        rows = [(c.name, *figure_values(c)) for c in b.communities]
        rows.append((total_label, *figure_values(b.total)))
        tables.append(
            Table(
                "各社区情况",
                (("社区", "text"), *FIGURE_COLUMNS),
                tuple(rows),
                frozenset({len(rows) - 1}),
                (0, *(1 + i for i in PDF_FIGURES)),
            )
        )
    rows = [(f"{g.name}（{g.code}）", g.community, *figure_values(g)) for g in b.grids]
    rows.append((total_label, "", *figure_values(b.total)))
    tables.append(
        Table(
            "各网格情况",
            (("网格", "text"), ("所属社区", "text"), *FIGURE_COLUMNS),
            tuple(rows),
            frozenset({len(rows) - 1}),
            (0, *(2 + i for i in PDF_FIGURES)),  # the community is in the table before
        )
    )
    tables.append(
        Table(
            "吹哨报到与部门评价",
            DEPARTMENT_COLUMNS,
            tuple(department_values(d) for d in b.departments),
            pdf_columns=(0, 1, 3, 4, 6, 7, 11),
        )
    )
    if b.ranking:
        tables.append(
            Table(
                f"{b.ranking_label}网格排名",
                RANK_COLUMNS,
                tuple(
                    (
                        r.rank,
                        f"{r.unit.name}（{r.unit.code}）",
                        r.unit.community,
                        r.unit.figures.closed_in_time_rate,
                        r.unit.figures.satisfaction_rate,
                        r.unit.figures.visit_rate,
                        r.unit.figures.overdue_open,
                        r.score,
                    )
                    for r in b.ranking
                ),
            )
        )
    return tables


def cell_text(value: object, kind: str) -> str:
    if kind == "percent":
        return fmt_share(value if isinstance(value, float) else None)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}" if kind == "number" else f"{value:.1f}"
    return str(value)


def _pdf_table(t: Table) -> list[Flowable]:
    keep = t.pdf_columns if t.pdf_columns is not None else tuple(range(len(t.columns)))
    columns = [t.columns[i] for i in keep]
    header = [h for h, _k in columns]
    rows = [[cell_text(row[i], t.columns[i][1]) for i in keep] for row in t.rows]
    if not rows:
        return [layout.para("本期无记录。", gw_styles()["body"])]
    n_text = sum(1 for _h, k in columns if k == "text")
    first = 32 * mm if n_text else 0
    rest = (WIDTH - first * n_text) / max(len(header) - n_text, 1)
    widths = [first if k == "text" else rest for _h, k in columns]
    align = ["left" if k == "text" else "right" for _h, k in columns]
    return [layout.data_table([header, *rows], widths, align=align), Spacer(1, LINE / 2)]


def bulletin_story(b: GridBulletin) -> list[Flowable]:
    st = gw_styles()
    month = b.period[4:5] != "Q"
    name = "一月一通报" if month else "一季一排名"
    story: list[Flowable] = [
        layout.para(name, st["title"], fontSize=26, leading=36, textColor=RED, spaceAfter=0),
        layout.para(f"（{b.label}）", st["subtitle"], textColor=RED, spaceAfter=4),
        layout.para(
            f"编制单位：{b.unit}　　印发日期：{cn_date(b.issued_on)}", st["note"], fontSize=14, leading=20,
            alignment=TA_CENTER,
        ),
        HRFlowable(width="100%", thickness=1.6, color=RED, spaceBefore=1, spaceAfter=LINE),
        layout.para(b.title, st["title"]),
        layout.para(
            f"（统计期间：{cn_date(b.start)}至{cn_date(b.end)}；统计范围：{b.community or '全街道'}）",
            st["subtitle"], fontSize=14, leading=22,
        ),
    ]  # fmt: skip
    f = b.total.figures
    who = "全街道" if b.community is None else "本社区"
    story += [
        layout.para(f"{CN[0]}、总体情况", st["h1"]),
        layout.para(
            f"本期{who}受理网格事件{f.received}件，办结{f.closed}件，其中按期办结{f.closed_in_time}件，"
            f"按期办结率{fmt_share(f.closed_in_time_rate)}；期末超期未办结{f.overdue_open}件。"
            f"吹哨{f.whistles}次；部门办理评价满意{f.satisfied}件、基本满意{f.basic}件、不满意{f.unsatisfied}件，"
            f"满意率{fmt_share(f.satisfaction_rate)}。应走访{f.visits_due}人次，已走访{f.visits_done}人次，"
            f"走访完成率{fmt_share(f.visit_rate)}；走访特殊人群{f.special_visited}人次。",
            st["body"],
        ),
    ]
    for i, t in enumerate(bulletin_tables(b), start=2):
        story += [CondPageBreak(45 * mm), layout.para(f"{CN[i - 1]}、{t.title}", st["h1"])]
        if t.columns == RANK_COLUMNS:
            story.append(layout.para(b.ranking_formula, st["body"]))
        story += _pdf_table(t)
    story += [
        Spacer(1, LINE),
        KeepTogether([layout.para(b.unit, st["sign"]), layout.para(cn_date(b.issued_on), st["sign"])]),
        CondPageBreak(40 * mm),
        layout.para("附：指标口径与计算公式", st["h2"]),
        *(layout.para(line, st["note"]) for line in FORMULAS),
    ]
    return story


def build_bulletin_pdf(b: GridBulletin, path: str | os.PathLike[str]) -> Path:
    return layout.build_pdf(
        path,
        bulletin_story(b),
        title=b.title,
        subject=f"{b.title}（由业务记录自动计算）",
        margins_mm=MARGINS_MM,
        gongwen_page_numbers=True,
    )
