"""The monthly report (月报) as a PDF in the form of a 公文 (GB/T 9704-2012《党政机关公文格式》).

Form: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; the report's name in red over a red rule (版头), the
title in a 小标宋-like face at 2号 (22 pt), the body in 仿宋 3号 (16 pt, 22 lines a page), 一级标题 in 黑体
(一、), 二级标题 in 楷体 (（一）), page numbers "— 1 —" in 4号宋体 at the outer edge (odd pages right, even
left). Tables and charts stay smaller (10 pt) so their columns fit the 156 mm text block.

Content: the overview written from the figures, 工作开展情况 (the user's words) before the computed
sections, 存在问题 and 下一步打算 after them (a part the user left empty is omitted: a printed report
never states 无 for what nobody wrote), the 落款, and at the end every formula used (附：指标口径与计算公式).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from desktop.documents import layout
from desktop.documents.fonts import BODY, FANGSONG, HEADING, KAI, TITLE, register_fonts
from desktop.documents.reports.charts import trend_chart, type_chart
from desktop.domain.reports import NARRATIVE_PARTS, MonthlyReport, ReportSection, ReportTable, fmt_field

RED = colors.HexColor("#c8161d")
MARGINS_MM = layout.GONGWEN_MARGINS_MM  # top 37, right 26, bottom 35, left 28 (订口)
WIDTH = layout.frame_width(margins_mm=MARGINS_MM)  # 156 mm
CN_NUMBERS = "一二三四五六七八九十"
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 2号, 3号, 4号 in points
LINE = 225 * mm / 22  # 22 lines in the 225 mm text block


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if n <= 10 else str(n)


_styles: dict[str, ParagraphStyle] = {}


def gw_styles() -> dict[str, ParagraphStyle]:
    """The 公文 styles: title, body (仿宋 3号, first line indented two characters), h1 (黑体), h2 (楷体)."""
    if not _styles:
        register_fonts(FANGSONG, KAI, TITLE)
        base = {"wordWrap": "CJK", "textColor": colors.black, "leading": LINE}
        _styles.update(
            title=ParagraphStyle("gw_title", **base | {"leading": SIZE_2 * 1.45}, fontName=TITLE,
                                 fontSize=SIZE_2, alignment=TA_CENTER, spaceAfter=4),
            subtitle=ParagraphStyle("gw_subtitle", **base, fontName=KAI, fontSize=SIZE_3, alignment=TA_CENTER,
                                    spaceAfter=LINE / 2),
            body=ParagraphStyle("gw_body", **base, fontName=FANGSONG, fontSize=SIZE_3, firstLineIndent=2 * SIZE_3,
                                alignment=TA_JUSTIFY),
            h1=ParagraphStyle("gw_h1", **base, fontName=HEADING, fontSize=SIZE_3, firstLineIndent=2 * SIZE_3),
            h2=ParagraphStyle("gw_h2", **base, fontName=KAI, fontSize=SIZE_3, firstLineIndent=2 * SIZE_3),
            sign=ParagraphStyle("gw_sign", **base, fontName=FANGSONG, fontSize=SIZE_3, alignment=TA_RIGHT,
                                rightIndent=2 * SIZE_3),
            note=ParagraphStyle("gw_note", **base | {"leading": 16, "textColor": colors.HexColor("#333333")},
                                fontName=FANGSONG, fontSize=11),
        )  # fmt: skip
    return _styles


def masthead(report: MonthlyReport) -> list[Flowable]:
    """版头 (the report's standing name in red, the period and 编制单位 over a red rule) and the title."""
    st = gw_styles()
    name = layout.para(report.name, st["title"], fontSize=26, leading=36, textColor=RED, spaceAfter=0)
    period = layout.para(f"（{report.period_label}）", st["subtitle"], textColor=RED, spaceAfter=4)
    line = Table(
        [[layout.para(f"编制单位：{report.unit}", st["note"], fontSize=SIZE_4, leading=20, textColor=colors.black),
          layout.para(f"印发日期：{cn_date(report.issued_on)}", st["note"], fontSize=SIZE_4, leading=20,
                      alignment=TA_RIGHT, textColor=colors.black)]],
        colWidths=[WIDTH / 2, WIDTH / 2],
    )  # fmt: skip
    line.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FANGSONG, 10),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    rule = HRFlowable(width="100%", thickness=1.6, color=RED, spaceBefore=1, spaceAfter=LINE)
    title = layout.para(f"{report.unit}{report.period_label}{report.work}情况", st["title"])
    as_of = "" if report.as_of == report.end else f"，本月尚未结束，数据截至{cn_date(report.as_of)}"
    scope = "全街道" if report.community is None else report.community
    period_line = layout.para(
        f"（统计期间：{cn_date(report.start)}至{cn_date(report.end)}{as_of}；统计范围：{scope}）",
        st["subtitle"],
        fontSize=SIZE_4,
        leading=22,
    )
    return [name, period, line, rule, title, period_line]


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


#: a table of at most this many rows is kept whole on one page with its sub-heading (no orphaned 合计 row)
KEEP_WHOLE_ROWS = 30


def _table_block(number: int, table: ReportTable, lead: list[Flowable] | None = None) -> list[Flowable]:
    """（一）title, the table and its note; ``lead`` (the section's heading) stays with them."""
    head = layout.para(f"（{_cn(number)}）{table.title}", gw_styles()["h2"], spaceAfter=2)
    block: list[Flowable] = [*(lead or []), head, indicator_table(table)]
    if table.note:
        block.append(layout.para(f"注：{table.note}", gw_styles()["note"], spaceBefore=2))
    # a sub-heading never ends a page: it comes with the whole table, or a long table's first rows
    out: list[Flowable] = [KeepTogether(block)] if len(table.rows) <= KEEP_WHOLE_ROWS else block
    if number > 1:
        out.insert(0, CondPageBreak(45 * mm))
    out.append(Spacer(1, 3 * mm))
    return out


def _figure(drawing: Flowable, caption: str) -> Flowable:
    return KeepTogether([drawing, layout.para(caption, "small", alignment=1, spaceBefore=2, spaceAfter=6)])


def _heading(index: int, title: str, room_mm: float = 25) -> list[Flowable]:
    """一、title in 黑体; it never ends a page alone."""
    return [CondPageBreak(room_mm * mm), layout.para(f"{_cn(index)}、{title}", gw_styles()["h1"])]


def section_story(index: int, section: ReportSection, report: MonthlyReport) -> list[Flowable]:
    heading = _heading(index, section.title, 55 if section.tables else 25)
    story, lead = heading[:1], heading[1:]
    for note in section.notes:
        lead.append(layout.para(note, gw_styles()["body"]))
    if not section.tables:
        story += lead
    for i, table in enumerate(section.tables, start=1):
        story += _table_block(i, table, lead if i == 1 else None)
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


def narrative_story(index: int, report: MonthlyReport, key: str) -> list[Flowable]:
    """One part of the user's narrative under its heading; nothing when the user wrote nothing."""
    paragraphs = report.narrative.paragraphs(key)
    if not paragraphs:
        return []
    heading = dict(NARRATIVE_PARTS)[key]
    return _heading(index, heading) + [layout.para(p, gw_styles()["body"]) for p in paragraphs]


def formulas_story(report: MonthlyReport) -> list[Flowable]:
    note = gw_styles()["note"]
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        layout.para("附：指标口径与计算公式", gw_styles()["h1"], firstLineIndent=0),
    ]
    for text in report.notes:
        story.append(layout.para(text, note, fontSize=10.5, leading=17, firstLineIndent=21))
    story.append(layout.para("各项指标的口径和计算公式如下：", note, fontSize=10.5, leading=17, spaceAfter=2))
    for i, (_label, formula) in enumerate(report.formulas(), start=1):
        story.append(
            layout.para(f"{i}. {formula}", note, leftIndent=14, firstLineIndent=-14, fontSize=9, leading=13.5)
        )
    return story


def report_story(report: MonthlyReport) -> list[Flowable]:
    """The whole 月报: 版头 and title, overview, 工作开展情况, the sections, 存在问题, 下一步打算, 落款, 附."""
    st = gw_styles()
    story = masthead(report)
    story += [layout.para(paragraph, st["body"]) for paragraph in report.summary]
    index = 1
    parts = [narrative_story(index, report, "work_done")]
    index += bool(parts[0])
    for section in report.sections:
        parts.append(section_story(index, section, report))
        index += 1
    for key in ("problems", "next_steps"):
        parts.append(narrative_story(index, report, key))
        index += bool(parts[-1])
    for part in parts:
        story += part
    story += [
        Spacer(1, LINE),
        KeepTogether(
            [layout.para(report.unit, st["sign"]), layout.para(cn_date(report.issued_on), st["sign"])]
        ),
    ]
    return story + formulas_story(report)


def build_monthly_pdf(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    return layout.build_pdf(
        path,
        report_story(report),
        title=report.title,
        subject=f"{report.title}（由业务记录自动计算）",
        margins_mm=MARGINS_MM,
        gongwen_page_numbers=True,
    )
