"""The 事件 sheet of ``shequ import/export events``: its columns (declared once for both directions) and the
reading of a moment (上报时间) as people type it.

The import reads the first nine columns (and the optional 事件子类 and 上报人电话); the export writes all of
them, the loop's columns after them (状态, 亮灯, 承办部门, 办结时限, 结案时间 …), which an import ignores.
"""

from __future__ import annotations

import datetime as dt
import re

from desktop.domain.text import clean_text
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec
from desktop.exchange.values import EXCEL_EPOCH, ValueProblem

T, D = ColumnKind.TEXT, ColumnKind.DATE

EVENTS_SHEET = "事件"

EVENT_COLUMNS = ColumnSpec(
    (
        Column("event_no", "事件编号", ("编号", "事件号", "工单号", "工单编号"), kind=T, max_width=16),
        Column("source", "来源", ("事件来源", "信息来源", "来源渠道"), required=True, kind=T, max_width=12),
        Column(
            "received_at",
            "上报时间",
            ("上报日期", "发现时间", "报告时间", "登记时间", "反映时间"),
            required=True,
            kind=T,
            max_width=17,
        ),
        Column(
            "grid",
            "所属网格",
            ("网格", "网格名称", "网格编号", "所在网格"),
            required=True,
            kind=T,
            max_width=14,
        ),
        Column(
            "place", "地点", ("事件地点", "发生地点", "地址", "位置", "具体位置"), required=True, kind=T, max_width=24
        ),
        Column(
            "category", "事件类别", ("类别", "事件类型", "问题类别", "问题类型", "事件大类"), required=True, kind=T,
            max_width=10,
        ),
        Column("subcategory", "事件子类", ("子类", "小类", "事件小类", "子类别"), kind=T, max_width=12),
        Column("urgency", "紧急程度", ("紧急", "缓急程度", "紧急度"), kind=T, max_width=8),
        Column(
            "description",
            "事件描述",
            ("描述", "事件内容", "问题描述", "事件情况", "具体情况", "内容"),
            required=True,
            kind=T,
            max_width=50,
        ),
        Column("reporter", "上报人", ("上报人姓名", "反映人", "报告人", "发现人"), kind=T, max_width=10),
        Column("reporter_phone", "上报人电话", ("联系电话", "电话", "上报人联系电话"), kind=T, max_width=14),
        # written on export, ignored on import: the loop is kept in the program, never read from a sheet
        Column("state", "状态", ("办理状态", "事件状态"), kind=T, max_width=10),
        Column("light", "亮灯", ("预警", "预警亮灯"), kind=T, max_width=6),
        Column("department", "承办部门", ("责任部门", "处置部门"), kind=T, max_width=16),
        Column("deadline", "办结时限", ("时限", "截止时间"), kind=T, max_width=17),
        Column("extended", "延期", (), kind=T, max_width=12),
        Column("closed_at", "结案时间", ("办结时间",), kind=T, max_width=17),
        Column("rating", "评价", ("满意度",), kind=T, max_width=8),
    )
)  # fmt: skip

#: columns an import reads; the others are the export's view of the loop
IMPORTED = (
    "event_no", "source", "received_at", "grid", "place", "category", "subcategory", "urgency", "description",
    "reporter", "reporter_phone",
)  # fmt: skip
EXPORT_ONLY = tuple(c.key for c in EVENT_COLUMNS if c.key not in IMPORTED)

_MOMENT = re.compile(
    r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?"
    r"(?:[T\s]*(\d{1,2})(?:[:：时点](\d{1,2})?分?(?:[:：](\d{1,2})秒?)?)?)?$"
)


def format_moment(at: dt.datetime | None) -> str | None:
    """ "2026-11-23 09:30": how the export writes a moment (text, so every spreadsheet reads it alike)."""
    return None if at is None else f"{at:%Y-%m-%d %H:%M}"


def parse_moment(value: object) -> tuple[dt.datetime | None, bool]:
    """A moment as typed: Excel date-times and serials, 2026-11-23 09:30, 2026/11/23 9:30, 2026.11.23 9点30,
    2026年11月23日9时30分, 2026-11-23T09:30. Returns (moment, whether a time of day was given); blank →
    (None, False); anything else → ValueProblem."""
    if value is None:
        return None, False
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0), value.time() != dt.time()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            whole = int(value)
            minutes = round((float(value) - whole) * 24 * 60)
            moment = dt.datetime.combine(EXCEL_EPOCH + dt.timedelta(days=whole), dt.time())
            return moment + dt.timedelta(minutes=minutes), minutes != 0
        raise ValueProblem(f"值“{value}”不是有效的时间")
    text = clean_text(value).strip()
    if not text:
        return None, False
    m = _MOMENT.match(text)
    if m:
        try:
            hour, minute = int(m.group(4) or 0), int(m.group(5) or 0)
            moment = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), hour, minute)
            return moment, m.group(4) is not None
        except ValueError:
            pass
    raise ValueProblem(f"值“{text}”不是有效的时间（可写作 2026-11-23 09:30 或 2026年11月23日9时30分）")
