"""What a report is made of: sections → tables → rows of labelled indicators, each with its formula.

The services compute these from the records (``desktop.services.reports``); the PDF
(``desktop.documents.reports.monthly``), the workbook and the UI only lay them out. Nothing here is
typed in by a person: every :class:`Indicator` carries the formula it was computed with.

Rates and shares are fractions (0.857 = 85.7%) with unit ``"%"``; money is a ``Decimal`` in 元.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field

Value = int | float | decimal.Decimal | None

#: the optional columns an indicator table can show, with their default headers
FIELD_HEADERS = {
    "value": "数值",
    "unit": "单位",
    "share": "占比",
    "target": "应开展",
    "previous": "上月",
    "mom": "环比",
    "last_year": "去年同月",
    "yoy": "同比",
}
PERCENT = "%"
YUAN = "元"
NOT_APPLICABLE = "—"
#: a rate or share whose denominator is empty: there is nothing to divide, which is not 0 %
NO_DATA = "无数据"


@dataclass(frozen=True)
class Indicator:
    """One labelled figure: its value, unit and the formula it was computed with.

    ``previous``/``last_year`` are the same figure for the previous month and the same month a year
    earlier; ``mom``/``yoy`` the relative change (环比/同比) as a fraction, ``None`` when it cannot be
    computed (the earlier figure is 0, or the figure is a rate). ``level`` 1 marks a "其中" row.
    """

    key: str
    label: str
    value: Value
    unit: str
    formula: str
    level: int = 0
    share: float | None = None
    target: Value = None
    previous: Value = None
    last_year: Value = None
    mom: float | None = None
    yoy: float | None = None
    note: str = ""  # why the value is missing, short enough for a table cell: "无调结", "无应缴"
    is_total: bool = False  # a 合计 row, set off in the table
    has_share: bool = True  # False: the table's 占比/完成率 column does not apply to this row (—, not 无数据)

    def field(self, name: str) -> object:
        return self.unit if name == "unit" else getattr(self, name)


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    rows: tuple[Indicator, ...]
    #: the columns after 指标, as (Indicator field, header)
    columns: tuple[tuple[str, str], ...] = (("value", "数值"), ("unit", "单位"))
    note: str = ""
    label_header: str = "指标"  # the first column's header (纠纷类型, 案件来源 …)

    def row(self, key: str) -> Indicator:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str  # 党建引领 (numbered 一、二、… when laid out)
    tables: tuple[ReportTable, ...] = ()
    notes: tuple[str, ...] = ()  # paragraphs, e.g. "本期尚无网格事件/走访记录数据。"


@dataclass(frozen=True)
class TrendPoint:
    month: str  # 2026-10
    received: int
    settled: int

    @property
    def label(self) -> str:
        year, month = self.month.split("-")
        return f"{int(month)}月" if month != "01" else f"{year[2:]}年1月"


#: the narrative's parts in the order and with the headings the 月报 prints them
NARRATIVE_PARTS = (("work_done", "工作开展情况"), ("problems", "存在问题"), ("next_steps", "下一步打算"))


@dataclass(frozen=True)
class Narrative:
    """The words the user writes for one month's report: 工作开展情况, 存在问题, 下一步打算.

    ``version`` is the stored row's version (0: nothing saved yet), for optimistic locking.
    """

    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    version: int = 0
    updated_by: str = ""

    def part(self, key: str) -> str:
        return str(getattr(self, key))

    def paragraphs(self, key: str) -> list[str]:
        """The non-empty paragraphs of one part (one per line the user wrote)."""
        return [line.strip() for line in self.part(key).splitlines() if line.strip()]

    @property
    def is_empty(self) -> bool:
        return not any(self.paragraphs(key) for key, _h in NARRATIVE_PARTS)


@dataclass(frozen=True)
class MonthlyReport:
    month: str  # 2026-10
    start: dt.date
    end: dt.date
    as_of: dt.date  # the figures count records dated up to this day (the month's end, or today)
    issued_on: dt.date
    street: str
    community: str | None  # None: the whole street
    sections: tuple[ReportSection, ...]
    trend: tuple[TrendPoint, ...] = ()  # the last 12 months of mediation cases, oldest first
    by_type: tuple[tuple[str, int], ...] = ()  # cases received in the month by dispute type
    summary: tuple[str, ...] = ()  # a short overview written from the figures
    notes: tuple[str, ...] = ()  # general counting rules (口径), printed before the formulas
    narrative: Narrative = Narrative()  # written by the user: around the computed tables

    @property
    def unit(self) -> str:
        """The reporting unit: 钢城街道 or 钢城街道新华社区."""
        return f"{self.street}{self.community}" if self.community else self.street

    @property
    def period_label(self) -> str:
        return f"{self.start.year}年{self.start.month}月"

    @property
    def work(self) -> str:
        """社区治理工作 for the street; 治理工作 for a community (no 新华社区社区…)."""
        return "治理工作" if self.unit.endswith("社区") else "社区治理工作"

    @property
    def name(self) -> str:
        """The report's standing name: 钢城街道社区治理工作月报 / 钢城街道新华社区治理工作月报."""
        return f"{self.unit}{self.work}月报"

    @property
    def title(self) -> str:
        return f"{self.unit}{self.period_label}{self.work}月报"

    def tables(self) -> Iterator[ReportTable]:
        for section in self.sections:
            yield from section.tables

    def indicators(self) -> Iterator[Indicator]:
        for table in self.tables():
            yield from table.rows

    def indicator(self, key: str) -> Indicator:
        for r in self.indicators():
            if r.key == key:
                return r
        raise KeyError(key)

    def formulas(self) -> list[tuple[str, str]]:
        """(label, formula) of every indicator, each formula once, in report order."""
        seen: set[str] = set()
        out = []
        for r in self.indicators():
            if r.formula and r.formula not in seen:
                seen.add(r.formula)
                out.append((r.label, r.formula))
        return out


@dataclass(frozen=True)
class StatisticsRow:
    """One row of 人民调解统计表: a dispute type, a source or the 合计."""

    key: str
    label: str
    received: int
    settled: int
    performed: int
    confirmed: int | None  # None: no judicial-confirmation records exist for the scope
    amount: decimal.Decimal
    is_total: bool = False


@dataclass(frozen=True)
class MediationStatistics:
    period: str  # 2026-10 / 2026Q3 / 2026
    label: str  # 2026年10月 / 2026年第三季度 / 2026年
    start: dt.date
    end: dt.date
    as_of: dt.date
    street: str
    community: str | None
    by_type: tuple[StatisticsRow, ...]  # every dispute type of the dictionary, then 合计
    by_source: tuple[StatisticsRow, ...]  # every source, then 合计
    notes: tuple[str, ...] = field(default=())

    @property
    def unit(self) -> str:
        return f"{self.street}{self.community}" if self.community else self.street

    @property
    def title(self) -> str:
        return f"{self.unit}人民调解统计表（{self.label}）"


#: (header, kind) of the figures of a statistics row, in column order: counts, then the amount in 元
STATISTICS_COLUMN_KINDS = (
    ("受理", "count"),
    ("调解成功", "count"),
    ("履行", "count"),
    ("司法确认", "count"),
    ("协议涉及金额（元）", "money"),
)
STATISTICS_COLUMNS = tuple(header for header, _kind in STATISTICS_COLUMN_KINDS)


# ---------------------------------------------------------------- formatting (PDF, UI)


def fmt_number(value: Value, unit: str = "") -> str:
    """12 / 85.7% / 1,234.50 (元) / — for a missing value; a missing rate is 无数据 (its denominator is empty)."""
    if value is None:
        return NO_DATA if unit == PERCENT else NOT_APPLICABLE
    if unit == PERCENT:
        return f"{float(value) * 100:.1f}%"
    if unit == YUAN or isinstance(value, decimal.Decimal):
        return f"{decimal.Decimal(value):,.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def fmt_share(value: float | None) -> str:
    """85.7% / 无数据 when the share has no denominator (never 0.0%)."""
    return NO_DATA if value is None else f"{value * 100:.1f}%"


def fmt_change(value: float | None) -> str:
    """环比/同比: +12.5% / -20.0% / 持平 / — (not computable)."""
    if value is None:
        return NOT_APPLICABLE
    if abs(value) < 0.0005:
        return "持平"
    return f"{value * 100:+.1f}%"


def fmt_field(row: Indicator, name: str) -> str:
    """The text of one cell of an indicator table."""
    if name == "unit":
        return row.unit
    if name == "value":
        if row.value is None and row.note:
            return row.note if row.unit != PERCENT else f"{NO_DATA}（{row.note}）"
        return fmt_number(row.value, row.unit)
    if name in ("previous", "last_year", "target"):
        return fmt_number(row.field(name), row.unit)  # type: ignore[arg-type]
    if name == "share":
        return fmt_share(row.share) if row.has_share else NOT_APPLICABLE
    if name in ("mom", "yoy"):
        return fmt_change(row.field(name))  # type: ignore[arg-type]
    return str(row.field(name) or "")
