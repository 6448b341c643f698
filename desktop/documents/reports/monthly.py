"""The monthly report (月报) as a PDF: a 公文-style masthead, numbered sections, tables, charts and formulas.

Layout: the masthead (the report's name in red, the period, 编制单位 and 印发日期 over a red rule, as
in a 简报), the title, an overview written from the figures, sections 一、二、… with sub-headings
（一）（二）… over ruled tables, two charts in the mediation section (the last 12 months; the month's
cases by dispute type) and, at the end, every formula used (附：指标口径与计算公式).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from desktop.documents import layout
from desktop.documents.fonts import BODY, HEADING
from desktop.documents.reports.charts import trend_chart, type_chart
from desktop.domain.reports import MonthlyReport, ReportSection, ReportTable, fmt_field

RED = colors.HexColor("#c8161d")
MARGINS_MM = (22.0, 22.0, 22.0, 26.0)  # top, right, bottom, left: 左侧装订
WIDTH = layout.frame_width(margins_mm=MARGINS_MM)
CN_NUMBERS = "一二三四五六七八九十"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if n <= 10 else str(n)


def masthead(report: MonthlyReport) -> list[Flowable]:
    st = layout.styles()
    name = layout.para(report.name, "title", fontSize=26, leading=34, textColor=RED)
    period = layout.para(f"（{report.period_label}）", "subtitle", spaceAfter=4)
    line = Table(
        [[layout.para(f"编制单位：{report.unit}", st["body_flush"]),
          layout.para(f"印发日期：{cn_date(report.issued_on)}", st["right"])]],
        colWidths=[WIDTH / 2, WIDTH / 2],
    )  # fmt: skip
    line.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, 10),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    rule = HRFlowable(width="100%", thickness=1.6, color=RED, spaceBefore=1, spaceAfter=1)
    thin = HRFlowable(width="100%", thickness=0.5, color=RED, spaceBefore=0, spaceAfter=10)
    as_of = "" if report.as_of == report.end else f"（本月尚未结束，数据截至{cn_date(report.as_of)}）"
    period_line = layout.para(
        f"统计期间：{cn_date(report.start)}至{cn_date(report.end)}{as_of}　　统计范围："
        + ("全街道" if report.community is None else report.community),
        "small",
        spaceAfter=6,
    )
    title = layout.para(
        f"{report.unit}{report.period_label}{report.work}情况", "title", fontSize=20, leading=28
    )
    return [name, period, line, rule, thin, period_line, title, Spacer(1, 2 * mm)]


def column_widths(label_texts: list[str], columns: list[list[str]], width: float = WIDTH) -> list[float]:
    """Widths that never wrap a figure: each column as wide as its widest cell (or all as wide as the
    widest, when that fits), the 指标 column the rest, at most half the width (its text may wrap)."""
    pad = 10.0  # cell padding 4 + 4, and a little air
    need = [
        max(stringWidth(c, HEADING if i == 0 else BODY, 10) for i, c in enumerate(col)) + pad
        for col in columns
    ]
    label_need = min(max((stringWidth(t, BODY, 10) for t in label_texts), default=0) + pad + 12, width * 0.5)
    uniform = max(need, default=0)
    if columns and label_need + uniform * len(columns) <= width:
        widths = [uniform] * len(columns)
        label = width - sum(widths)
        if label > width * 0.5:  # a short table: give the figures the room
            extra = (label - width * 0.5) / len(columns)
            widths = [w + extra for w in widths]
        return [width - sum(widths), *widths]
    return [max(width - sum(need), 20 * mm), *need]


def indicator_table(table: ReportTable) -> Table:
    header: list[object] = [table.label_header, *(h for _f, h in table.columns)]
    cells = [[fmt_field(r, f) for f, _h in table.columns] for r in table.rows]
    columns = [[h, *(row[i] for row in cells)] for i, (_f, h) in enumerate(table.columns)]
    widths = column_widths([r.label for r in table.rows], columns)
    rows: list[list[object]] = [header]
    for r, values in zip(table.rows, cells, strict=True):
        label: object = layout.para(r.label, "cell", leftIndent=12 * r.level) if r.level else r.label
        rows.append([label, *values])
    align = ["left", *("center" if f == "unit" else "right" for f, _h in table.columns)]
    t = layout.data_table(rows, widths, header_rows=1, align=align)
    totals = [i + 1 for i, r in enumerate(table.rows) if r.is_total]
    if totals:
        t.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), colors.HexColor("#eef3fa")) for i in totals]))
    return t


def _table_block(number: int, table: ReportTable) -> list[Flowable]:
    head = layout.para(f"（{_cn(number)}）{table.title}", "body_flush", spaceBefore=4, spaceAfter=3)
    # a sub-heading never ends a page: it comes with the table's header and first rows
    out: list[Flowable] = (
        [CondPageBreak(40 * mm), head, indicator_table(table)]
        if number > 1
        else [head, indicator_table(table)]
    )
    if table.note:
        out.append(
            layout.para(f"注：{table.note}", "small", spaceBefore=2, textColor=colors.HexColor("#444444"))
        )
    out.append(Spacer(1, 3 * mm))
    return out


def _figure(drawing: Flowable, caption: str) -> Flowable:
    return KeepTogether([drawing, layout.para(caption, "small", alignment=1, spaceBefore=2, spaceAfter=6)])


def section_story(index: int, section: ReportSection, report: MonthlyReport) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak((50 if section.tables else 25) * mm),  # a heading never ends a page alone
        layout.para(f"{_cn(index)}、{section.title}", "heading"),
    ]
    for note in section.notes:
        story.append(layout.para(note, "body"))
    for i, table in enumerate(section.tables, start=1):
        story += _table_block(i, table)
        if section.key == "mediation" and table.key == "mediation.main" and report.trend:
            trend = trend_chart(
                [p.label for p in report.trend],
                [p.received for p in report.trend],
                [p.settled for p in report.trend],
                WIDTH,
            )
            story.append(_figure(trend, "图1　近12个月人民调解受理纠纷和调解成功件数"))
        if section.key == "mediation" and table.key == "mediation.type":
            used = sorted((item for item in report.by_type if item[1]), key=lambda item: -item[1])
            if used:
                caption = "图2　本月受理纠纷按纠纷类型分布（按件数排序，仅列有案件的类型）"
                story.append(_figure(type_chart(used, WIDTH), caption))
            else:
                story.append(layout.para("本月无受理的纠纷，不绘制纠纷类型分布图。", "small", spaceAfter=6))
    return story


def formulas_story(report: MonthlyReport) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        layout.para("附：指标口径与计算公式", "heading"),
    ]
    for note in report.notes:
        story.append(layout.para(note, "body", fontSize=10.5, leading=17))
    story.append(
        layout.para("各项指标的口径和计算公式如下：", "body", fontSize=10.5, leading=17, spaceAfter=2)
    )
    for i, (_label, formula) in enumerate(report.formulas(), start=1):
        story.append(
            layout.para(
                f"{i}. {formula}", "small", leftIndent=14, firstLineIndent=-14, fontSize=9, leading=13.5
            )
        )
    return story


def build_monthly_pdf(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    story = masthead(report)
    for paragraph in report.summary:
        story.append(layout.para(paragraph, "body"))
    story.append(Spacer(1, 2 * mm))
    for index, section in enumerate(report.sections, start=1):
        story += section_story(index, section, report)
    story += formulas_story(report)
    story += [
        Spacer(1, 8 * mm),
        layout.para(report.unit, "right"),
        layout.para(cn_date(report.issued_on), "right"),
    ]
    return layout.build_pdf(
        path,
        story,
        title=report.title,
        subject=f"{report.title}（由业务记录自动计算）",
        margins_mm=MARGINS_MM,
        header=f"{report.name}（{report.period_label}）",
        printed_on=report.issued_on,
    )
