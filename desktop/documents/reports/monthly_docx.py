"""The 月报 as an editable Word file (.docx): the same content as the PDF, for offices that edit before filing.

The title, the overview, the narrative (工作开展情况 before the computed sections, 存在问题 and 下一步打算
after them), every table with every cell as the PDF prints it, the tables' notes, the 落款 and the formulas.
The charts are left out: Word users redraw them from the tables if they want them.

Fonts are named as a Chinese Word expects them (the eastAsia font of each run, ``w:rFonts``): the title in
方正小标宋简体 (Word substitutes 宋体 where it is not installed; the font table says so), the body in 仿宋,
一级标题 in 黑体, 二级标题 in 楷体, tables in 宋体. A4 with the GB/T 9704-2012 margins; page numbers
"— 1 —" in the footer. Written atomically: a temporary file in the same folder, then replaced.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from desktop.documents.reports.monthly import CN_NUMBERS, cn_date
from desktop.domain.reports import NARRATIVE_PARTS, MonthlyReport, ReportTable, fmt_field

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
FANGSONG = "仿宋"
HEI = "黑体"
KAI = "楷体"
SONG = "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = 22, 16, 14, 10.5  # 2号, 3号, 4号, 5号 (points)


def _cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if n <= 10 else str(n)


def _font(run: Run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Set a run's font for Latin and East Asian text (``w:rFonts`` w:eastAsia), its size and colour."""
    font = run.font
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), name)


class _Writer:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28 - 7 - 5)
        normal = self.doc.styles["Normal"]
        normal.font.name = FANGSONG
        normal.font.size = Pt(SIZE_3)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
        self._page_numbers(section.footer.paragraphs[0])
        self._title_font_fallback()

    def _page_numbers(self, p: Paragraph) -> None:
        """— PAGE — at the outer edge (a single-sided print: right)."""
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run("— "), SONG, SIZE_4)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = p.add_run("1")
        _font(run, SONG, SIZE_4)
        field.append(run._element)
        p._p.append(field)
        _font(p.add_run(" —"), SONG, SIZE_4)

    def _title_font_fallback(self) -> None:
        """Declare 方正小标宋简体 in the font table with 宋体 as its alternative name (``w:altName``)."""
        for rel in self.doc.part.rels.values():
            if rel.is_external or not rel.reltype.endswith("/fontTable"):
                continue
            part = rel.target_part
            table = etree.fromstring(part.blob)
            font = etree.SubElement(table, qn("w:font"), {qn("w:name"): TITLE_FONT})
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): TITLE_FALLBACK})
            etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
            part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
            return

    def para(
        self,
        text: str,
        font: str = FANGSONG,
        size: float = SIZE_3,
        *,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = True,
        color: RGBColor | None = None,
        space_after: float = 0,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(2 * size) if indent else None
        fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
        fmt.line_spacing = Pt(max(size * 1.8, 28.9)) if size >= SIZE_3 else Pt(size * 1.5)
        _font(p.add_run(text), font, size, color=color)
        return p

    def heading(self, index: int, title: str) -> None:
        self.para(f"{_cn(index)}、{title}", HEI).paragraph_format.keep_with_next = True

    def table(self, number: int, table: ReportTable) -> None:
        self.para(f"（{_cn(number)}）{table.title}", KAI).paragraph_format.keep_with_next = True
        rows = table_cells(table)
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        numeric = [f != "unit" for f, _h in table.columns]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                cell = t.cell(r, c)
                p = cell.paragraphs[0]
                if r == 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif c > 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric[c - 1] else WD_ALIGN_PARAGRAPH.CENTER
                _font(
                    p.add_run(value),
                    HEI if r == 0 else SONG,
                    SIZE_5,
                    bold=r > 0 and table.rows[r - 1].is_total,
                )
        if table.note:
            self.para(f"注：{table.note}", FANGSONG, SIZE_5, indent=False, space_after=6)
        else:
            self.para("", FANGSONG, SIZE_5, indent=False)


def table_cells(table: ReportTable) -> list[list[str]]:
    """The cells of a report table as the PDF prints them: the header row, then one row per indicator."""
    rows = [[table.label_header, *(h for _f, h in table.columns)]]
    for r in table.rows:
        rows.append(["　" * r.level + r.label, *(fmt_field(r, f) for f, _h in table.columns)])
    return rows


def build_monthly_docx(report: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    """Write the 月报 as .docx to ``path`` atomically; returns the path."""
    w = _Writer()
    red = RGBColor(0xC8, 0x16, 0x1D)
    w.para(report.name, TITLE_FONT, 26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=red)
    w.para(
        f"（{report.period_label}）", KAI, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=red
    )
    w.para(
        f"编制单位：{report.unit}　　印发日期：{cn_date(report.issued_on)}",
        FANGSONG,
        SIZE_4,
        indent=False,
        space_after=12,
    )
    w.para(
        f"{report.unit}{report.period_label}{report.work}情况",
        TITLE_FONT,
        SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    scope = "全街道" if report.community is None else report.community
    as_of = "" if report.as_of == report.end else f"，本月尚未结束，数据截至{cn_date(report.as_of)}"
    w.para(
        f"（统计期间：{cn_date(report.start)}至{cn_date(report.end)}{as_of}；统计范围：{scope}）",
        KAI,
        SIZE_4,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        space_after=12,
    )
    for text in report.summary:
        w.para(text)
    index = 1

    def narrative(key: str) -> None:
        nonlocal index
        paragraphs = report.narrative.paragraphs(key)
        if paragraphs:
            w.heading(index, dict(NARRATIVE_PARTS)[key])
            for text in paragraphs:
                w.para(text)
            index += 1

    narrative("work_done")
    for section in report.sections:
        w.heading(index, section.title)
        for note in section.notes:
            w.para(note)
        for number, table in enumerate(section.tables, start=1):
            w.table(number, table)
        index += 1
    narrative("problems")
    narrative("next_steps")
    for text in ("", report.unit, cn_date(report.issued_on)):
        w.para(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    w.para("附：指标口径与计算公式", HEI, indent=False).paragraph_format.page_break_before = True
    for text in report.notes:
        w.para(text, FANGSONG, SIZE_5)
    w.para("各项指标的口径和计算公式如下：", FANGSONG, SIZE_5)
    for i, (_label, formula) in enumerate(report.formulas(), start=1):
        w.para(f"{i}. {formula}", FANGSONG, 9, indent=False)
    w.doc.core_properties.title = report.title
    w.doc.core_properties.author = "社区网格治理工作台"
    return _save(w, Path(path))


def _save(w: _Writer, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".docx", dir=target.parent)
    os.close(fd)
    try:
        w.doc.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
