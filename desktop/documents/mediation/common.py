"""Shared pieces of the mediation documents: dates, amounts, party tables, signature and seal blocks."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop.documents import layout
from desktop.documents.fonts import BODY, HEADING
from desktop.domain.mediation import CaseRecord, PartyRecord

WIDTH = layout.frame_width()  # usable width of a portrait A4 form page (points)
BLANK = "＿＿＿＿＿＿＿"  # a line to write on
BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"  # a date to write by hand
_CN_DIGITS = "零一二三四五六七八九"

Cell = tuple[int, int]  # (column, row) of a ReportLab table; negative counts from the end
Span = tuple[Cell, Cell]  # the first and last cell of a SPAN
StyleCommand = tuple[Any, ...]  # a ReportLab TableStyle command: ("GRID", (0, 0), (-1, -1), 0.6, colors.black)


def cn_number(n: int) -> str:
    """1–99 in Chinese numerals (一式三份, 第十二条)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def cn_date(d: dt.date | None, blank: str = "    年    月    日") -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def cn_datetime(t: dt.datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分"


def money(amount: decimal.Decimal | float | None) -> str:
    return "" if amount is None else f"{decimal.Decimal(amount):,.2f}元"


def p(text: object, style: str = "cell", **kw: Any) -> Paragraph:
    return layout.para("" if text is None else text, style, **kw)


def bold(label: str, text: object = "", style: str = "body_flush", **kw: Any) -> Paragraph:
    """A paragraph starting with a bold (heading-font) label followed by plain text."""
    body = layout.with_fallbacks("" if text is None else str(text))
    head = layout.with_fallbacks(label, HEADING)
    return layout.markup(f'<font name="{HEADING}">{head}</font>{body}', style, **kw)


def title(text: str) -> list[Flowable]:
    return [layout.para(text, "title"), Spacer(1, 2 * mm)]


def number_line(label: str, number: str) -> Paragraph:
    return layout.para(f"{label}：{number}", "right", fontSize=11)


def form_table(
    rows: list[list[object]], widths: Sequence[float], spans: Sequence[Span] = (), heights: Any = None
) -> Table:
    """A ruled form (登记表 style): label cells shaded, every value wraps; ``spans`` as ReportLab SPAN commands."""
    data = [[c if isinstance(c, Flowable) else p(c) for c in row] for row in rows]
    t = Table(data, colWidths=list(widths), rowHeights=heights)
    style: list[StyleCommand] = [
        ("FONT", (0, 0), (-1, -1), BODY, 10),  # else Table puts a non-embedded Helvetica on the canvas
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def label(text: str) -> Paragraph:
    return layout.para(text, "cell_center")


def party_age(party: PartyRecord, on: dt.date) -> str:
    age = party.age_on(on)
    return "" if age is None else f"{age}岁"


def party_rows(
    party: PartyRecord, on: dt.date, role: str | None = None
) -> tuple[list[list[object]], list[Span]]:
    """One party as rows of an 8-column form: person or organisation (with agent)."""
    r = role or party.role_label
    if party.is_person:
        rows: list[list[object]] = [
            [
                label(r),
                label("姓名"),
                p(party.name),
                label("性别"),
                p(party.gender, "cell_center"),
                label("民族"),
                p(party.ethnicity, "cell_center"),
                "",
            ],
            [
                "",
                label("年龄"),
                p(party_age(party, on)),
                label("职业或职务"),
                p(party.occupation),
                "",
                label("联系方式"),
                p(party.phone),
            ],
            ["", label("单位或住址"), p(party.address), "", "", "", "", ""],
        ]
        spans = [((6, 0), (7, 0)), ((4, 1), (5, 1)), ((2, 2), (7, 2))]
    else:
        rep = (party.legal_rep or "") + (f"（{party.legal_rep_title}）" if party.legal_rep_title else "")
        rows = [
            [label(r), label("名称"), p(party.name), "", "", "", "", ""],
            ["", label("地址"), p(party.address), "", "", label("联系方式"), p(party.phone), ""],
            ["", label("法定代表人（职务）"), p(rep), "", "", "", "", ""],
        ]
        spans = [((2, 0), (7, 0)), ((2, 1), (4, 1)), ((6, 1), (7, 1)), ((2, 2), (7, 2))]
    if party.agent:
        rows.append(["", label("委托代理人"), p(party.agent), "", "", "", "", ""])
        spans.append(((2, len(rows) - 1), (7, len(rows) - 1)))
    spans.append(((0, 0), (0, len(rows) - 1)))
    return rows, spans


PARTY_WIDTHS = [WIDTH * f for f in (0.11, 0.13, 0.2, 0.1, 0.1, 0.09, 0.11, 0.16)]


def parties_table(parties: Sequence[PartyRecord], on: dt.date, role: str | None = None) -> Table:
    rows: list[list[object]] = []
    spans: list[Span] = []
    for party in parties:
        pr, ps = party_rows(party, on, role)
        offset = len(rows)
        rows += pr
        spans += [((a[0], a[1] + offset), (b[0], b[1] + offset)) for a, b in ps]
    t = form_table(rows, PARTY_WIDTHS, spans)
    return t


def text_block(heading: str, text: str | None, min_lines: int = 0) -> list[Flowable]:
    """A heading and a body text that flows onto further pages; blank lines for handwriting if empty."""
    out: list[Flowable] = [bold(heading, style="body_flush")]
    if text:
        out += [layout.para(line, "body") for line in text.splitlines() if line.strip()]
    elif min_lines:
        out.append(Spacer(1, min_lines * 21))
    return out


SEAL = "seal"  # third element of a signature row: an organisation seals instead of signing


def signature_table(rows: Sequence[tuple[str, ...]], fingerprint: bool = False) -> Table:
    """Rows of "角色：姓名　签名：____　按指印：____" without borders.

    A row ``(role, name, SEAL)`` is an organisation: "（盖章）" instead of a signature and fingerprint.
    """
    data = []
    for role, name, *kind in rows:
        cells: list[object] = [p(role + "：", "sign"), p(name, "sign")]
        if kind and kind[0] == SEAL:
            cells += [p("盖章：" + BLANK, "sign"), p("", "sign")]
        else:
            cells += [p("签名：" + BLANK, "sign"), p("按指印：＿＿＿" if fingerprint else "", "sign")]
        data.append(cells)
    t = Table(data, colWidths=[WIDTH * 0.18, WIDTH * 0.3, WIDTH * 0.3, WIDTH * 0.22])
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, 10),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def party_sign_rows(parties: Sequence[PartyRecord]) -> list[tuple[str, ...]]:
    """Signature rows for the parties: a person signs; an organisation seals and its representative signs."""
    rows: list[tuple[str, ...]] = []
    for x in parties:
        if x.is_person:
            rows.append((x.role_label, x.name))
        else:
            rows += [(x.role_label, x.name, SEAL), ("代表人", x.legal_rep or "")]
    return rows


def seal_block(rec: CaseRecord, day: dt.date | None, note: str = "（人民调解委员会印）") -> list[Flowable]:
    """The committee's name, the place for the seal and the date, flush right (the seal goes over them).

    A list, to be put inside the caller's KeepTogether (a nested KeepTogether reports a huge height and
    pushes the whole block onto the next page)."""
    name = rec.committee.seal_text or rec.committee.name
    parts = [
        Spacer(1, 8 * mm),
        layout.para(name, "right"),
        layout.para(note, "right", textColor=colors.HexColor("#555555")),
        layout.para(cn_date(day), "right"),
    ]
    return parts


def party_line(party: PartyRecord, on: dt.date) -> str:
    """ "张建华，男，汉族，1968年5月4日出生（58岁），退休工人，住嘉峪关市…，联系电话138…" """
    if party.is_person:
        bits = [party.name, party.gender or "", party.ethnicity or ""]
        if party.birth_date:
            bits.append(f"{cn_date(party.birth_date)}出生")
        elif party.age is not None:
            bits.append(f"{party.age}岁")
        bits += [party.occupation or "", f"住{party.address}" if party.address else ""]
    else:
        rep = f"法定代表人{party.legal_rep}" + (
            f"（{party.legal_rep_title}）" if party.legal_rep_title else ""
        )
        bits = [party.name, f"住所地{party.address}" if party.address else "", rep if party.legal_rep else ""]
    if party.phone:
        bits.append(f"联系电话{party.phone}")
    text = "，".join(b for b in bits if b) + "。"
    if party.agent:
        text += f"委托代理人：{party.agent}。"
    return text


def split_text(text: str, size: int = 300) -> list[str]:
    """A long text in pieces of about ``size`` characters, cut after a sentence or a line where possible.

    A table row cannot break across pages; a long value goes into several rows that can.
    """
    pieces: list[str] = []
    for para in (text or "").split("\n"):
        rest = para
        while len(rest) > size:
            cut = max(rest.rfind(mark, 0, size) for mark in "。；！？，")
            cut = cut + 1 if cut > size // 3 else size
            pieces.append(rest[:cut])
            rest = rest[cut:]
        if rest or not pieces:
            pieces.append(rest)
    return [x for x in pieces if x] or [""]


class Fields:
    """A 4-column form (label, value, label, value) whose wide values may run over several pages.

    ``pair(l1, v1, l2, v2)`` adds a row of two fields; ``wide(label, text)`` one field across the row,
    split into rows that break between pages (without rules between the pieces).
    """

    def __init__(self, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        self.rows: list[list[object]] = []
        self.spans: list[Span] = []
        self.joins: list[int] = []  # rows continuing the one above (no rule between them)
        self.heights: list[float | None] = []

    def pair(self, l1: str, v1: object, l2: str, v2: object) -> Fields:
        self.rows.append([label(l1), p(v1), label(l2), p(v2)])
        self.heights.append(None)
        return self

    def wide(self, name: str, text: object, height: float | None = None) -> Fields:
        pieces = split_text("" if text is None else str(text))
        for i, piece in enumerate(pieces):
            r = len(self.rows)
            self.rows.append([label(name) if i == 0 else "", p(piece), "", ""])
            self.spans.append(((1, r), (3, r)))
            self.heights.append(height if len(pieces) == 1 else None)
            if i:
                self.joins.append(r)
        return self

    def table(self) -> Table:
        t = form_table(self.rows, self.widths, self.spans, self.heights if any(self.heights) else None)
        cmds: list[StyleCommand] = []
        for r in self.joins:
            cmds += [
                ("LINEABOVE", (0, r), (-1, r), 0.8, colors.white),
                ("LINEBEFORE", (1, r), (1, r), 0.6, colors.black),
                ("LINEBEFORE", (0, r), (0, r), 0.6, colors.black),
                ("LINEAFTER", (-1, r), (-1, r), 0.6, colors.black),
                ("TOPPADDING", (0, r), (-1, r), 0),
            ]
            cmds.append(("BOTTOMPADDING", (0, r - 1), (-1, r - 1), 0))
        if cmds:
            t.setStyle(TableStyle(cmds))
        return t
