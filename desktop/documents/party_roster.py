"""党员名册 (the branch roster) as a PDF: A4 landscape, title, branch, a table whose header — the branch's name
and the column headers — repeats on every page, "第 1 页 共 N 页" and the print date (desktop/documents/layout.py
does the page furniture). Columns: the member's particulars, 工作岗位/单位, 党籍状态, and 外出流向 / 失联日期
in a section that has a 流动党员 / 失联党员; dates as 2026年2月26日.

Qt-free and database-free: the caller (desktop/services/party/roster.py) hands over plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer, TableStyle

from desktop.documents.fonts import BODY, HEADING
from desktop.documents.layout import build_pdf, data_table, frame_width, para

#: (key, header, at most this wide in mm — a column wraps beyond it, 0: never wraps —, alignment). Columns
#: are as wide as their widest line (dates print as 2026年 / 2月26日 in two lines); 家庭住址 takes the rest.
COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("no", "序号", 0, "center"),
    ("name", "姓名", 0, "center"),
    ("gender", "性别", 0, "center"),
    ("ethnicity", "民族", 0, "center"),
    ("birth", "出生日期", 0, "center"),
    ("education", "学历", 0, "center"),
    ("id", "公民身份号码", 0, "center"),
    ("joined", "入党日期", 0, "center"),
    ("confirmed", "转正日期", 0, "center"),
    ("stage", "党员类别", 0, "center"),
    ("status", "党籍状态", 0, "center"),
    ("work", "工作岗位/单位", 24, "left"),
    ("unit", "党小组/网格", 18, "left"),
    ("phone", "联系电话", 0, "center"),
    ("address", "家庭住址", -1, "left"),
    ("mobile", "外出流向", 22, "left"),  # only in a section with a 流动党员
    ("lost", "失联日期", 0, "center"),  # only in a section with a 失联党员
    ("remark", "备注", 16, "left"),
)
ADDRESS_MIN_MM = 22.0
FONT_SIZE = 8  # up to 18 columns on A4 landscape
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
    remark: str  # posts, 在职报到
    work: str = ""  # 工作岗位/单位
    status_label: str = "正常"  # 党籍状态
    mobile: str = ""  # 外出流向 of a 流动党员 ("" when not mobile)
    is_lost: bool = False  # a 失联党员
    lost_since: dt.date | None = None


@dataclass(frozen=True)
class RosterSection:
    org_name: str
    full_name: str | None
    entries: tuple[RosterEntry, ...]
    full_members: int
    probationary: int
    secretary: str = ""


def cn_date(day: dt.date | None, sep: str = "") -> str:
    """2026年2月26日 (``sep`` between 年 and the month: "\n" for a narrow column)."""
    return f"{day.year}年{sep}{day.month}月{day.day}日" if day else ""


def _cell(text: str, align: str) -> Flowable:
    return para(text, "cell", fontSize=FONT_SIZE, leading=FONT_SIZE + 3, alignment=_ALIGN[align])


def section_columns(section: RosterSection) -> list[tuple[str, str, float, str]]:
    mobile = any(e.mobile for e in section.entries)
    lost = any(e.is_lost for e in section.entries)
    return [c for c in COLUMNS if (c[0] != "mobile" or mobile) and (c[0] != "lost" or lost)]


def _widths(
    columns: list[tuple[str, str, float, str]], rows: list[dict[str, str]], total: float
) -> list[float]:
    """Each column as wide as its widest line (capped where it may wrap); 家庭住址 the rest, at least
    ADDRESS_MIN_MM (the wrapping columns give up room for it)."""
    pad = 9.0  # cell padding 4 + 4, and a little air

    def need(key: str, header: str) -> float:
        lines = [line for r in rows for line in r[key].split("\n")]
        head = float(stringWidth(header, HEADING, FONT_SIZE))  # a header on one line
        body = max((float(stringWidth(line, BODY, FONT_SIZE)) for line in lines), default=0.0)
        return max(head, body) + pad

    widths = []
    for key, header, cap, _a in columns:
        if cap < 0:
            widths.append(0.0)
        else:
            w = need(key, header)
            widths.append(min(w, cap * mm) if cap else w)
    address = columns.index(next(c for c in columns if c[2] < 0))
    rest = total - sum(widths)
    # a wrapping column gives up room down to its header's width (a header never wraps)
    floor = [stringWidth(h, HEADING, FONT_SIZE) + pad for _k, h, _c, _a in columns]
    wrapping = [i for i, c in enumerate(columns) if c[2] > 0 and widths[i] > floor[i]]
    while rest < ADDRESS_MIN_MM * mm and wrapping:
        take = min((ADDRESS_MIN_MM * mm - rest) / len(wrapping), 1 * mm)
        for i in wrapping:
            widths[i] = max(widths[i] - take, floor[i])
        rest = total - sum(widths)
        wrapping = [i for i in wrapping if widths[i] > floor[i]]
    widths[address] = rest
    return widths


def entry_values(i: int, e: RosterEntry) -> dict[str, str]:
    return {
        "no": str(i), "name": e.name, "gender": e.gender or "", "ethnicity": e.ethnicity or "",
        "birth": cn_date(e.birth_date, "\n"), "education": e.education or "", "id": e.id_number,
        "joined": cn_date(e.joined_on, "\n"), "confirmed": cn_date(e.confirmed_on, "\n"), "stage": e.stage_label,
        "status": e.status_label, "work": e.work, "unit": e.unit, "phone": e.phone, "address": e.address or "",
        "mobile": e.mobile, "lost": (cn_date(e.lost_since, "\n") or "未登记") if e.is_lost else "",
        "remark": e.remark,
    }  # fmt: skip


def _section(section: RosterSection, as_of: dt.date, title: str) -> list[Flowable]:
    story: list[Flowable] = [para(title, "title")]
    name = section.full_name or section.org_name
    story.append(para(name, "subtitle", spaceAfter=2))
    figures = (
        f"截至 {cn_date(as_of)} · 党员 {section.full_members + section.probationary} 名"
        f"（正式党员 {section.full_members} 名、预备党员 {section.probationary} 名）"
    )
    if section.secretary:
        figures += f" · 书记：{section.secretary}"
    story.append(para(figures, "small", alignment=1, spaceAfter=6))
    columns = section_columns(section)
    values = [entry_values(i, e) for i, e in enumerate(section.entries, start=1)]
    # the organisation heads the table: it repeats with the column headers on every continuation page
    org_row = [para(f"党组织：{name}", "cell", fontSize=FONT_SIZE + 1, leading=FONT_SIZE + 4)]
    org_row += [""] * (len(columns) - 1)
    head = [para(h, "cell_head", fontSize=FONT_SIZE, leading=FONT_SIZE + 3) for _k, h, _w, _a in columns]
    rows: list[list[object]] = [org_row, head]
    for row in values:
        rows.append([_cell(row[k], a) for k, _h, _w, a in columns])
    if not section.entries:
        rows.append([_cell(v, "center") for v in ("", "（暂无党员）", *[""] * (len(columns) - 2))])
    table = data_table(rows, _widths(columns, values, frame_width(landscape=True)), header_rows=2)
    table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.white)]))
    story += [table, Spacer(1, 4 * mm)]
    return story


class _ProgressMark(Flowable):
    """Takes no room; when laid out on a page, reports that ``done`` of ``total`` sections are reached.
    The callback may raise to stop the build (the half-written file is removed by build_pdf)."""

    def __init__(self, done: int, total: int, report: Callable[[int, int, str], None]) -> None:
        super().__init__()
        self.done, self.total, self.report = done, total, report

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.report(self.done, self.total, f"正在排版名册：第 {self.done + 1}/{self.total} 个党组织")


def build_party_roster(
    path: str | Path,
    sections: Sequence[RosterSection],
    *,
    header: str,
    as_of: dt.date,
    printed_on: dt.date,
    title: str = "党员名册",
    progress: Callable[[int, int, str], None] | None = None,
) -> Path:
    """One section (title, organisation, table) per branch, each starting on a new page. ``progress``
    (done, total, text) hears of each section as it is laid out, and may raise to cancel."""
    story: list[Flowable] = []
    for i, section in enumerate(sections):
        if i:
            story.append(PageBreak())
        if progress is not None:
            story.append(_ProgressMark(i, len(sections), progress))
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
