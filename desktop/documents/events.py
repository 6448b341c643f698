"""网格事件 documents: the 事件处置单 (派单) a department signs for and fills in by hand, and the monthly
事件台账 (every event received in the month with its light and outcome).

Plain data in (``DispatchSheet``, ``EventLedger``, built by ``services.events.printing``), a PDF out, laid
out with ``documents.layout`` in the embedded fonts (宋体 body, 黑体 headings), dates as 2026年2月26日 and
blank dates for handwriting as ＿＿＿＿年＿＿月＿＿日.

The 处置单 follows the 吹哨报到 practice: the department signs for the order within 1 hour, contacts the
community within 24 hours and reports (报到) within 3 (工作推进哨) or 5 (攻坚克难哨) working days; the sheet
prints those due times when the event was whistled, the limit to closure always.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desktop.documents import layout
from desktop.documents.fonts import BODY, HEADING

BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"  # a date written by hand
BLANK_TIME = "＿＿时＿＿分"
BLANK_NAME = "＿＿＿＿＿＿＿＿"
WIDTH = layout.frame_width()


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_moment(t: dt.datetime, sep: str = " ") -> str:
    """ "2026年11月23日 9:05" (``sep`` between the date and the time: a line break in a narrow cell)."""
    return f"{cn_date(t)}{sep}{t.hour}:{t.minute:02d}"


def cn_end(end: dt.datetime, sep: str = "") -> str:
    """The end of a limit: "2026年11月30日24时" for a day's end (stored as 00:00 of the next day), else a moment."""
    if end.time() == dt.time():
        return f"{cn_date((end - dt.timedelta(days=1)).date())}{sep}24时"
    return cn_moment(end, sep or " ")


@dataclass(frozen=True)
class WhistleTimes:
    kind_label: str  # 工作推进哨 / 攻坚克难哨
    at: dt.datetime
    sign_by: dt.datetime
    contact_by: dt.datetime
    report_by: dt.datetime
    report_limit: str  # "3个工作日"


@dataclass(frozen=True)
class DispatchSheet:
    event_no: str
    source: str
    received_at: dt.datetime
    grid: str  # 新华一网格（GC-01-001）
    place: str
    category: str  # 环境卫生／垃圾堆放
    urgency: str  # 一般 / 紧急
    description: str
    reporter: str  # 李晓梅  13919375678
    department: str | None
    limit: str  # 5个工作日
    deadline: dt.datetime
    extended_days: int
    whistle: WhistleTimes | None
    dispatched_at: dt.datetime | None
    dispatcher: str | None
    community: str  # 新华社区居民委员会
    printed_on: dt.date


def _p(text: object, style: str = "cell", **kw: object) -> Paragraph:
    return layout.para("" if text is None else text, style, **kw)


def _label(text: str) -> Paragraph:
    return layout.para(text, "cell_center", fontName=HEADING)


def _form(
    rows: list[list[object]], widths: list[float], spans: list[tuple[tuple[int, int], tuple[int, int]]]
) -> Table:
    data = [[c if isinstance(c, Flowable | list) else _p(c) for c in row] for row in rows]
    t = Table(data, colWidths=widths)
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), BODY, 10),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def _handwriting(lines: int, signer: str) -> list[Flowable]:
    """Blank ruled lines to write on, then who signs and a blank date."""
    out: list[Flowable] = [Spacer(1, 2 * mm)]
    out += [_p("＿" * 38, "cell", textColor=colors.HexColor("#777777"), leading=20) for _ in range(lines)]
    out.append(_p(f"{signer}：{BLANK_NAME}　　{BLANK_DATE}", "cell", leading=22))
    return out


def dispatch_story(d: DispatchSheet) -> list[Flowable]:
    w = [WIDTH * 0.15, WIDTH * 0.32, WIDTH * 0.13, WIDTH * 0.40]
    limit = f"{cn_end(d.deadline)}前办结（{d.limit}" + (
        f"，已延期{d.extended_days}个工作日）" if d.extended_days else "）"
    )
    if d.whistle:
        wt = d.whistle
        whistle: object = _p(
            f"{wt.kind_label}（{cn_moment(wt.at)}吹哨）\n"
            f"签收：{cn_end(wt.sign_by)}前（1小时内）\n"
            f"联系社区：{cn_end(wt.contact_by)}前（24小时内）\n"
            f"报到：{cn_end(wt.report_by)}前（{wt.report_limit}内）"
        )
    else:
        whistle = "未吹哨（社区派单）"
    sent = (
        f"{d.dispatcher or ''}　{cn_moment(d.dispatched_at)}"
        if d.dispatched_at
        else f"{BLANK_NAME}　{BLANK_DATE}"
    )
    rows: list[list[object]] = [
        [_label("事件编号"), d.event_no, _label("事件来源"), d.source],
        [_label("上报时间"), cn_moment(d.received_at), _label("所属网格"), d.grid],
        [_label("事件地点"), d.place, "", ""],
        [_label("事件类别"), d.category, _label("紧急程度"), d.urgency],
        [_label("事件描述"), d.description, "", ""],
        [_label("上报人"), d.reporter or "", "", ""],
        [_label("吹哨类型"), whistle, "", ""],
        [_label("承办部门"), d.department or "（未指定）", _label("办结时限"), limit],
        [_label("派单人及时间"), sent, "", ""],
        [_label("签收人"), "", _label("签收时间"), f"{BLANK_DATE}{BLANK_TIME}"],
        [_label("处置情况"), _handwriting(4, "承办人（签字）"), "", ""],
        [_label("社区核查意见"), _handwriting(1, "核查人（签字）"), "", ""],
    ]
    spans = [((1, r), (3, r)) for r in (2, 4, 5, 6, 8, 10, 11)]
    table = _form(rows, w, spans)
    table.setStyle(TableStyle([("ROWHEIGHT", (0, 9), (-1, 9), 28)]))
    return [
        layout.para("网格事件处置单", "title", spaceAfter=0),
        layout.para("（派　单）", "subtitle", spaceAfter=0),
        layout.para(f"编号：{d.event_no}", "right", fontSize=11),
        Spacer(1, 1 * mm),
        table,
        Spacer(1, 3 * mm),
        layout.para(
            # the 1-hour sign and 24-hour contact are the duties of a whistle (吹哨报到), not of every dispatch
            ("请承办部门收到后 1 小时内签收，24 小时内与社区联系，" if d.whistle else "请承办部门")
            + "在办结时限内处置完毕，填写处置情况后将本单交回社区。",
            "small",
        ),
        KeepTogether(
            [
                Spacer(1, 4 * mm),
                layout.para(d.community, "right"),
                layout.para("（盖章）", "right", textColor=colors.HexColor("#555555")),
                layout.para(BLANK_DATE, "right"),
            ]
        ),
    ]


def write_dispatch(d: DispatchSheet, out: Path) -> Path:
    return layout.build_pdf(
        out,
        dispatch_story(d),
        title=f"网格事件处置单 {d.event_no}",
        subject=f"{d.department or ''} {d.event_no}",
        header=d.community,
        printed_on=d.printed_on,
    )


# ---------------------------------------------------------------- 事件台账


@dataclass(frozen=True)
class LedgerRow:
    event_no: str
    received_at: dt.datetime
    source: str
    grid: str
    category: str
    urgency: str
    place: str
    department: str | None
    whistle: str | None  # 工作推进哨 / 攻坚克难哨
    deadline: dt.datetime
    extended_days: int
    light: str | None  # 红灯 / 黄灯 / 绿灯, None once closed
    state: str  # 已结案 …
    outcome: str  # 按期办结 / 超期办结 / 超期未办结 / 办理中
    closed_at: dt.datetime | None
    rating: str | None
    supervised: int  # 督办 records


@dataclass(frozen=True)
class EventLedger:
    title: str  # 钢城街道网格事件台账
    month_label: str  # 2026年11月
    scope: str  # 钢城街道 / 新华社区
    as_of: dt.datetime  # lights and outcomes at this moment
    printed_on: dt.date
    rows: list[LedgerRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def summary(self) -> str:
        closed = sum(1 for r in self.rows if r.closed_at is not None)
        lights = "、".join(
            f"{k}{sum(1 for r in self.rows if r.light == k)}件" for k in ("红灯", "黄灯", "绿灯")
        )
        whistled = sum(1 for r in self.rows if r.whistle)
        return (
            f"本月上报 {len(self.rows)} 件，已结案 {closed} 件（按期办结 {self.count('按期办结')} 件，"
            f"超期办结 {self.count('超期办结')} 件），未结案 {len(self.rows) - closed} 件（{lights}），"
            f"吹哨 {whistled} 件，督办 {sum(1 for r in self.rows if r.supervised)} 件。"
        )


LEDGER_HEADERS = (
    "序号", "事件编号", "上报时间", "来源", "所属网格", "事件类别", "紧急程度", "地点", "承办部门", "吹哨",
    "办结时限", "亮灯", "办理状态", "办理结果", "结案时间", "评价",
)  # fmt: skip


def ledger_cells(n: int, r: LedgerRow, sep: str = " ") -> list[str]:
    """One row of the 台账 as text (the PDF's cells, ``sep`` a line break between date and time; the
    workbook's)."""
    deadline = cn_end(r.deadline, sep.strip()) + (
        f"（延期{r.extended_days}个工作日）" if r.extended_days else ""
    )
    outcome = r.outcome + (f"（督办{r.supervised}次）" if r.supervised else "")
    return [
        str(n), r.event_no, cn_moment(r.received_at, sep), r.source, r.grid, r.category, r.urgency, r.place,
        r.department or "", r.whistle or "", deadline, r.light or "—", r.state, outcome,
        cn_moment(r.closed_at, sep) if r.closed_at else "", r.rating or "",
    ]  # fmt: skip


#: column widths in points of a landscape A4 frame (757 pt), the dates and numbers on one line in 8 pt
_LEDGER_WIDTHS = (20, 64, 66, 46, 48, 54, 30, 79, 54, 34, 66, 26, 36, 42, 66, 26)
_CENTERED = {0, 6, 11, 12, 15}
_LIGHT_COLOURS = {"红灯": "#f4c7c3", "黄灯": "#fce8b2", "绿灯": "#d4edda"}


def ledger_story(ledger: EventLedger) -> list[Flowable]:
    width = layout.frame_width(landscape=True)
    total = sum(_LEDGER_WIDTHS)
    widths = [width * x / total for x in _LEDGER_WIDTHS]
    body: list[list[object]] = [list(LEDGER_HEADERS)]
    for n, r in enumerate(ledger.rows, start=1):
        body.append(
            [
                layout.para(c, "small", fontSize=8, leading=10.5, alignment=1 if i in _CENTERED else 0)
                for i, c in enumerate(ledger_cells(n, r))
            ]
        )
    table = layout.data_table(body, widths, zebra=False)
    marks: list[tuple[object, ...]] = []
    for i, r in enumerate(ledger.rows, start=1):
        if r.light in _LIGHT_COLOURS:
            marks.append(("BACKGROUND", (11, i), (11, i), colors.HexColor(_LIGHT_COLOURS[r.light])))
    if marks:
        table.setStyle(TableStyle(marks))
    story: list[Flowable] = [
        layout.para(ledger.title, "title"),
        layout.para(
            f"（{ledger.month_label}上报，亮灯和办理结果截至 {cn_moment(ledger.as_of)}）", "subtitle"
        ),
        table if ledger.rows else layout.para("本月没有上报的网格事件。", "body_flush"),
        Spacer(1, 4 * mm),
        layout.para(ledger.summary, "body_flush", fontSize=10.5),
        layout.para(
            "说明：办结时限为办结期限届满之时（工作日时限至该日24时）；红灯为已超过时限未结案，黄灯为时限当日或"
            "下一个工作日届满（小时时限剩余不足四分之一），绿灯为其他未结案事件；已结案事件不亮灯。",
            "small",
        ),
    ]
    return story


def write_ledger(ledger: EventLedger, out: Path) -> Path:
    return layout.build_pdf(
        out,
        ledger_story(ledger),
        title=f"{ledger.title}（{ledger.month_label}）",
        landscape=True,
        header=ledger.scope,
        printed_on=ledger.printed_on,
    )
