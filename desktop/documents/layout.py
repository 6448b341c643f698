"""The shared page layout for every PDF: CJK styles with proper line-breaking, tables, page numbers.

* ``styles()`` — named ParagraphStyles (title, subtitle, heading, body, small, cell, cell_center,
  cell_right, sign), all in embedded CJK fonts, wrapping Chinese text character by character.
* ``para(text, style)`` — escapes the text, keeps line breaks, and draws characters the body font
  lacks (生僻字) with a fallback font, so they print instead of showing as empty boxes.
* ``data_table(rows, col_widths)`` — a ruled table whose header rows repeat on every page.
* ``build_pdf(path, story, title=…)`` — writes atomically, with "第 1 页 共 N 页" footers.

ReportLab's 禁则 (kinsoku) table is written for Japanese and lets a line start with a full-width ，：；！？.
We add those once at import, to both module globals (single-fragment paragraphs are split by
``reportlab.lib.textsplit.wordSplit``, multi-fragment ones by ``reportlab.platypus.paragraph.cjkFragSplit``,
and each reads its own ``ALL_CANNOT_START``), so no line starts with ，。、；：！？）》」 etc.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as _landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as _canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from desktop.documents.fonts import BODY, HEADING, fallback_for, has_glyph, register_fonts

# --------------------------------------------------------------------------- 禁则 (line-breaking)

#: characters that must never begin a line
CANNOT_START_LINE = "，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}"
#: characters that must never end a line
CANNOT_END_LINE = "（《「『【〔〈“‘([{"
_extra_start = "".join(c for c in CANNOT_START_LINE if c not in _textsplit.ALL_CANNOT_START)
_textsplit.ALL_CANNOT_START += _extra_start
_rl_paragraph.ALL_CANNOT_START += _extra_start
_extra_end = "".join(c for c in CANNOT_END_LINE if c not in _textsplit.ALL_CANNOT_END)
_textsplit.ALL_CANNOT_END += _extra_end
if hasattr(_rl_paragraph, "ALL_CANNOT_END"):
    _rl_paragraph.ALL_CANNOT_END += _extra_end

# GB/T 9704 margins (公文): top 37 mm, left 28 mm (binding), right 26 mm, bottom 35 mm
GONGWEN_MARGINS_MM = (37.0, 26.0, 35.0, 28.0)
# forms and tables: a little tighter so tables get their width
FORM_MARGINS_MM = (25.0, 20.0, 22.0, 25.0)
LANDSCAPE_MARGINS_MM = (18.0, 15.0, 18.0, 15.0)

_styles: dict[str, ParagraphStyle] | None = None


def styles() -> dict[str, ParagraphStyle]:
    global _styles
    if _styles is None:
        register_fonts()
        base = {"fontName": BODY, "wordWrap": "CJK", "textColor": colors.black}
        _styles = {
            "title": ParagraphStyle(
                "title",
                **base | {"fontName": HEADING},
                fontSize=22,
                leading=30,
                alignment=TA_CENTER,
                spaceAfter=8,
            ),
            "subtitle": ParagraphStyle(
                "subtitle", **base, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=10
            ),
            "heading": ParagraphStyle(
                "heading",
                **base | {"fontName": HEADING},
                fontSize=14,
                leading=22,
                spaceBefore=8,
                spaceAfter=4,
            ),
            "body": ParagraphStyle(
                "body", **base, fontSize=12, leading=21, firstLineIndent=24, alignment=TA_LEFT
            ),
            "body_flush": ParagraphStyle("body_flush", **base, fontSize=12, leading=21),
            "small": ParagraphStyle("small", **base, fontSize=9, leading=13),
            "cell": ParagraphStyle("cell", **base, fontSize=10, leading=14),
            "cell_center": ParagraphStyle(
                "cell_center", **base, fontSize=10, leading=14, alignment=TA_CENTER
            ),
            "cell_right": ParagraphStyle("cell_right", **base, fontSize=10, leading=14, alignment=TA_RIGHT),
            "cell_head": ParagraphStyle(
                "cell_head", **base | {"fontName": HEADING}, fontSize=10, leading=14, alignment=TA_CENTER
            ),
            "sign": ParagraphStyle("sign", **base, fontSize=12, leading=24),
            "right": ParagraphStyle("right", **base, fontSize=12, leading=21, alignment=TA_RIGHT),
        }
    return _styles


def with_fallbacks(text: str, primary: str = BODY) -> str:
    """Escape ``text`` for a Paragraph and wrap characters ``primary`` lacks in a fallback <font>."""
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append("<br/>")
            continue
        piece = escape(ch)
        if ord(ch) > 0x7F and not has_glyph(primary, ch):  # 生僻字, and symbols a face lacks (− in UMing)
            font = fallback_for(ch, primary)
            if font:
                piece = f'<font name="{font}">{piece}</font>'
        out.append(piece)
    return "".join(out)


def para(text: object, style: str | ParagraphStyle = "body", **overrides: Any) -> Paragraph:
    """A Paragraph of plain text (not markup): escaped, line breaks kept, rare characters drawable."""
    st = styles()[style] if isinstance(style, str) else style
    if overrides:
        st = ParagraphStyle(f"{st.name}+", parent=st, **overrides)
    return Paragraph(with_fallbacks("" if text is None else str(text), st.fontName), st)


def markup(xml: str, style: str | ParagraphStyle = "body", **overrides: Any) -> Paragraph:
    """A Paragraph from trusted ReportLab markup (e.g. ``<b>…</b>``); escape any user text with ``with_fallbacks``."""
    st = styles()[style] if isinstance(style, str) else style
    if overrides:
        st = ParagraphStyle(f"{st.name}+", parent=st, **overrides)
    return Paragraph(xml, st)


def data_table(
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    header_rows: int = 1,
    align: Sequence[str] | None = None,
    zebra: bool = True,
) -> Table:
    """A ruled table; header rows repeat on every page. ``align``: per column "left"/"center"/"right"."""
    st = styles()
    cell_style = {"left": st["cell"], "center": st["cell_center"], "right": st["cell_right"]}
    data: list[list[object]] = []
    for r, row in enumerate(rows):
        cells: list[object] = []
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
            elif r < header_rows:
                cells.append(para(value, st["cell_head"]))
            else:
                cells.append(para(value, cell_style[align[c] if align else "left"]))
        data.append(cells)
    table = Table(data, colWidths=list(col_widths), repeatRows=header_rows)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), BODY, 10),  # else Table sets a non-embedded Helvetica on the canvas
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8e8e8")))
    if zebra:
        for r in range(header_rows + 1, len(data), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f6f6f6")))
    table.setStyle(TableStyle(commands))
    return table


class _NumberedCanvas(_canvas.Canvas):
    """Defers drawing the footer until the page count is known: "第 X 页 共 N 页"."""

    header_left: str = ""
    header_right: str = ""
    page_numbers: bool = True
    gongwen: bool = False  # GB/T 9704-2012 7.5 页码: "— 1 —", odd pages right, even pages left

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # start every page in our embedded font, or the PDF references a non-embedded Helvetica
        kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(BODY, 9)
        self.setFillColor(colors.HexColor("#333333"))
        if self.header_left:
            self.drawString(15 * mm, height - 10 * mm, self.header_left)
        if self.header_right:
            self.drawRightString(width - 15 * mm, height - 10 * mm, self.header_right)
        if self.page_numbers and self.gongwen:
            # 4号 (14 pt) 宋体 half-width digits with a dash either side, 7 mm below the text block
            # (bottom margin 35 mm), one character in from the outer edge of the text block
            self.setFont(BODY, 14)
            label, y = f"— {self._pageNumber} —", (35 - 7) * mm - 14
            if self._pageNumber % 2:
                self.drawRightString(width - 26 * mm - 14, y, label)
            else:
                self.drawString(28 * mm + 14, y, label)
        elif self.page_numbers:
            self.setFont(BODY, 10)
            self.drawCentredString(width / 2, 10 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
        self.restoreState()


def build_pdf(
    path: str | os.PathLike[str],
    story: list[Flowable],
    *,
    title: str,
    subject: str = "",
    author: str = "社区网格治理工作台",
    landscape: bool = False,
    margins_mm: tuple[float, float, float, float] | None = None,
    header: str = "",
    printed_on: dt.date | None = None,
    page_numbers: bool = True,
    gongwen_page_numbers: bool = False,
) -> Path:
    """Lay out ``story`` on A4 and write it atomically to ``path``; returns the path.

    ``margins_mm`` = (top, right, bottom, left); defaults: FORM_MARGINS_MM portrait, LANDSCAPE_MARGINS_MM landscape.
    ``header`` is printed small at the top left and the print date ``printed_on`` at the top right (a
    header needs the date: documents do not read the clock, the service that prints them knows the day).
    ``gongwen_page_numbers``: "— 1 —" page numbers placed as GB/T 9704-2012 says (for GONGWEN_MARGINS_MM).
    """
    if header and printed_on is None:
        raise ValueError("a page header is printed with its print date: pass printed_on")
    register_fonts()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    pagesize = _landscape(A4) if landscape else A4
    top, right, bottom, left = margins_mm or (LANDSCAPE_MARGINS_MM if landscape else FORM_MARGINS_MM)

    class Canvas(_NumberedCanvas):
        header_left = header
        header_right = (
            f"打印日期：{printed_on.year}年{printed_on.month}月{printed_on.day}日" if printed_on and header else ""
        )

    Canvas.page_numbers = page_numbers
    Canvas.gongwen = gongwen_page_numbers
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        doc = SimpleDocTemplate(
            tmp,
            pagesize=pagesize,
            topMargin=top * mm,
            rightMargin=right * mm,
            bottomMargin=bottom * mm,
            leftMargin=left * mm,
            title=title,
            author=author,
            subject=subject,
            creator="社区网格治理工作台",
        )
        doc.build(list(story), canvasmaker=Canvas)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def frame_width(
    landscape: bool = False, margins_mm: tuple[float, float, float, float] | None = None
) -> float:
    """The usable text width in points for the given page setup (for column widths)."""
    width: float = (_landscape(A4) if landscape else A4)[0]
    _top, right, _bottom, left = margins_mm or (LANDSCAPE_MARGINS_MM if landscape else FORM_MARGINS_MM)
    margins: float = (left + right) * mm
    return width - margins
