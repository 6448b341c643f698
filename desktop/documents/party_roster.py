"""党员名册 (the branch roster) as a PDF: A4 landscape, title, branch, a table whose header repeats on every
page, "第 1 页 共 N 页" and the print date (desktop/documents/layout.py does the page furniture).

Qt-free and database-free: the caller (desktop/services/party/roster.py) hands over plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from desktop.documents.layout import build_pdf, data_table, frame_width, para

#: (header, share of the width, alignment); 家庭住址 takes what is left
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 10, "center"),
    ("姓名", 16, "center"),
    ("性别", 9.5, "center"),
    ("民族", 11, "center"),
    ("出生日期", 20.5, "center"),
    ("学历", 17, "center"),
    ("公民身份号码", 34.5, "center"),
    ("入党日期", 20.5, "center"),
    ("转正日期", 20.5, "center"),
    ("党员类别", 17, "center"),
    ("党小组/网格", 21, "left"),
    ("联系电话", 24, "center"),
    ("家庭住址", 0, "left"),
    ("备注", 18, "left"),
)
FONT_SIZE = 9  # a 14-column table on A4 landscape
_ALIGN = {"left": 0, "center": 1, "right": 2}


@dataclass(frozen=True)
class RosterEntry:
    name: str
    gender: str | None
    ethnicity: str | None
    birth_date: dt.date | None
    education: str | None
    id_number: str  # already masked unless the caller decided otherwise
    joined_on: dt.date | None
    confirmed_on: dt.date | None
    stage_label: str
    unit: str  # 党小组 / 网格
    phone: str
    address: str | None
    remark: str  # posts, 流动/失联/报到


@dataclass(frozen=True)
class RosterSection:
    org_name: str
    full_name: str | None
    entries: tuple[RosterEntry, ...]
    full_members: int
    probationary: int
    secretary: str = ""


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _cell(text: str, align: str) -> Flowable:
    return para(text, "cell", fontSize=FONT_SIZE, leading=FONT_SIZE + 3, alignment=_ALIGN[align])


def _widths(total: float) -> list[float]:
    fixed = sum(share for _h, share, _a in COLUMNS) * mm
    return [share * mm if share else total - fixed for _h, share, _a in COLUMNS]


def _section(section: RosterSection, as_of: dt.date, title: str) -> list[Flowable]:
    story: list[Flowable] = [para(title, "title")]
    name = section.full_name or section.org_name
    story.append(para(name, "subtitle", spaceAfter=2))
    figures = (
        f"截至 {as_of.year}年{as_of.month}月{as_of.day}日 · 党员 {section.full_members + section.probationary} 名"
        f"（正式党员 {section.full_members} 名、预备党员 {section.probationary} 名）"
    )
    if section.secretary:
        figures += f" · 书记：{section.secretary}"
    story.append(para(figures, "small", alignment=1, spaceAfter=6))
    head = [para(h, "cell_head", fontSize=FONT_SIZE, leading=FONT_SIZE + 3) for h, _s, _a in COLUMNS]
    rows: list[list[object]] = [head]
    for i, e in enumerate(section.entries, start=1):
        values = (
            str(i), e.name, e.gender or "", e.ethnicity or "", _date(e.birth_date), e.education or "", e.id_number,
            _date(e.joined_on), _date(e.confirmed_on), e.stage_label, e.unit, e.phone, e.address or "", e.remark,
        )  # fmt: skip
        rows.append([_cell(v, a) for v, (_h, _s, a) in zip(values, COLUMNS, strict=True)])
    if not section.entries:
        rows.append([_cell(v, "center") for v in ("", "（暂无党员）", *[""] * (len(COLUMNS) - 2))])
    table = data_table(rows, _widths(frame_width(landscape=True)))
    story += [table, Spacer(1, 4 * mm)]
    return story


def build_party_roster(
    path: str | Path,
    sections: Sequence[RosterSection],
    *,
    header: str,
    as_of: dt.date,
    printed_on: dt.date,
    title: str = "党员名册",
) -> Path:
    """One section (title, organisation, table) per branch, each starting on a new page."""
    story: list[Flowable] = []
    for i, section in enumerate(sections):
        if i:
            story.append(PageBreak())
        story += _section(section, as_of, title)
    if not story:
        story = [para(title, "title"), para("（没有可打印的党组织）", "subtitle")]
    return build_pdf(
        path,
        story,
        title=f"{header} {title}".strip(),
        subject=title,
        landscape=True,
        header=header,
        printed_on=printed_on,
    )
