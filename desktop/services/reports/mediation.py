"""三、矛盾纠纷人民调解 with 环比/同比, and the 人民调解统计表 for a month, quarter or year.

Counting rules: :mod:`desktop.services.reports.tally`. Dispute types follow the street's
``DISPUTE_TYPE`` dictionary (by default the 18 types of the 司法行政 mediation statistics), every one
listed with zeros; sources are 主动调解 / 申请调解 / 委托移送调解. The labels are the same the case list
and its Excel export print, so a figure can be checked against the exported rows.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from db.schema.mediation import CaseSource
from desktop.domain.mediation import SOURCE_LABELS
from desktop.domain.reports import (
    PERCENT,
    YUAN,
    Indicator,
    ReportSection,
    ReportTable,
    StatisticsRow,
    TrendPoint,
)
from desktop.services.mediation.dictionary import (
    COMMITTEE_KINDS,
    DisputeType,
    dispute_label,
    load_dispute_types,
)
from desktop.services.reports.periods import Period, Scope, change, month_period, ratio, shift_month
from desktop.services.reports.tally import NO_KIND, Tally, received_by_month, tally

COMPARE_COLUMNS = (
    ("value", "本月"),
    ("unit", "单位"),
    ("previous", "上月"),
    ("mom", "环比"),
    ("last_year", "去年同月"),
    ("yoy", "同比"),
)
BREAKDOWN_COLUMNS = (
    ("value", "本月受理"),
    ("share", "占比"),
    ("previous", "上月"),
    ("mom", "环比"),
    ("last_year", "去年同月"),
    ("yoy", "同比"),
)
CHANGE_NOTE = "环比 =（本月 − 上月）÷ 上月 × 100%；同比 =（本月 − 去年同月）÷ 去年同月 × 100%；上期为 0 时无法计算，记为“—”。"
RECEIVED = "受理纠纷 = 受理日期在本期的调解案件数（已作废的案件不计）"
CONCLUDED = "调结纠纷 = 调解结果（调解成功、调解不成功、终止调解）日期在本期的案件数，含以前受理的案件"
SETTLED = "调解成功 = 调解结果为“调解成功”、结果日期（即协议日期）在本期的案件数"
SUCCESS_RATE = (
    "调解成功率 = 本期调解成功数 ÷ 本期调结数 × 100%（结案口径：以调解结果日期在本期的案件为准，"
    "含以前受理的案件，不含期末仍在调解中的案件）"
)
PERFORMED = "履行 = 首次记录为“已履行”的日期在本期的案件数"
CONFIRMED = "司法确认 = 人民法院裁定调解协议有效、裁定日期在本期的案件数"
AMOUNT = (
    "协议涉及金额 = 本期调解成功案件的调解协议各项内容所载金额之和（协议内容未载明金额的按 0 计；"
    "不含受理登记时填写的“申请涉及金额”）"
)
PENDING = "期末在调 = 受理日期不晚于期末、期末尚无调解结果的案件数（结转下期）"
WRITTEN = "书面协议 = 本期调解成功案件中达成书面调解协议的件数"
ORAL = "口头协议 = 本期调解成功案件中达成口头协议的件数"


def _compare(
    key: str, label: str, unit: str, formula: str, now: Tally, prev: Tally, last: Tally,
    get: Callable[[Tally], Any], level: int = 0, is_rate: bool = False, note: str = "",
) -> Indicator:  # fmt: skip
    value, p, y = get(now), get(prev), get(last)
    return Indicator(
        key,
        label,
        value,
        unit,
        formula,
        level=level,
        previous=p,
        last_year=y,
        mom=None if is_rate else change(value, p),
        yoy=None if is_rate else change(value, y),
        note=note,
    )


def type_rows(types: list[DisputeType], *counts: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, label) of every dictionary type, then any other code that has figures (so totals add up)."""
    rows = [(t.code, t.label) for t in types if t.active]
    known = {code for code, _l in rows}
    extra = sorted({c for d in counts for c in d if c not in known})
    return rows + [(c, dispute_label(c, types)) for c in extra]


def source_rows(*counts: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(s.value, SOURCE_LABELS[s.value]) for s in CaseSource]
    known = {code for code, _l in rows}
    return rows + [(c, c) for c in sorted({c for d in counts for c in d if c not in known})]


def _breakdown(
    key: str,
    title: str,
    axis: int,
    rows: list[tuple[str, str]],
    now: Tally,
    prev: Tally,
    last: Tally,
    what: str,
) -> ReportTable:
    cur, p, y = now.by("received", axis), prev.by("received", axis), last.by("received", axis)
    total = now.total("received")
    out = [
        Indicator(
            f"{key}.{code}",
            label,
            int(cur.get(code, 0)),
            "件",
            f"按{what}分类：{what}为该项、受理日期在本期的案件数；占比 = 该项受理数 ÷ 受理总数 × 100%",
            share=ratio(cur.get(code, 0), total),
            previous=int(p.get(code, 0)),
            last_year=int(y.get(code, 0)),
            mom=change(cur.get(code, 0), p.get(code, 0)),
            yoy=change(cur.get(code, 0), y.get(code, 0)),
        )
        for code, label in rows
    ]
    out.append(
        Indicator(
            f"{key}.total",
            "合计",
            total,
            "件",
            RECEIVED,
            share=ratio(total, total),
            previous=prev.total("received"),
            last_year=last.total("received"),
            mom=change(total, prev.total("received")),
            yoy=change(total, last.total("received")),
            is_total=True,
        )
    )
    return ReportTable(key, title, tuple(out), columns=BREAKDOWN_COLUMNS, label_header=what)


def mediation_section(s: Session, scope: Scope, p: Period) -> tuple[ReportSection, dict[str, Any]]:
    prev_p = month_period(*map(int, shift_month(p.code, -1).split("-")))
    last_p = month_period(p.start.year - 1, p.start.month)
    now, prev, last = (tally(s, scope, x.start, x.end) for x in (p, prev_p, last_p))
    types = load_dispute_types(s, include_inactive=True)

    def c(key: str, label: str, unit: str, formula: str, get: Callable[[Tally], Any], **kw: Any) -> Indicator:
        return _compare(key, label, unit, formula, now, prev, last, get, **kw)

    main = ReportTable(
        "mediation.main",
        "人民调解主要指标",
        (
            c("mediation.received", "受理纠纷", "件", RECEIVED, lambda t: t.total("received")),
            c("mediation.concluded", "调结纠纷", "件", CONCLUDED, lambda t: t.total("concluded")),
            c("mediation.settled", "其中：调解成功", "件", SETTLED, lambda t: t.total("settled"), level=1),
            c("mediation.written", "书面协议", "件", WRITTEN, lambda t: t.written, level=2),
            c("mediation.oral", "口头协议", "件", ORAL, lambda t: t.oral, level=2),
            c(
                "mediation.success_rate",
                "调解成功率",
                PERCENT,
                SUCCESS_RATE,
                lambda t: t.success_rate,
                is_rate=True,
                note="无调结",
            ),
            c("mediation.performed", "履行", "件", PERFORMED, lambda t: t.total("performed")),
            c("mediation.confirmed", "司法确认", "件", CONFIRMED, lambda t: t.total("confirmed")),
            c("mediation.amount", "协议涉及金额", YUAN, AMOUNT, lambda t: t.total("amount")),
            c("mediation.pending", "期末在调", "件", PENDING, lambda t: t.pending),
        ),
        columns=COMPARE_COLUMNS,
        note=CHANGE_NOTE + "调解成功率的上月、去年同月栏为当期的成功率，不计算环比、同比。",
    )
    by_type_counts = now.by("received", 0)
    trows = type_rows(types, by_type_counts, prev.by("received", 0), last.by("received", 0))
    by_type = _breakdown("mediation.type", "按纠纷类型分类", 0, trows, now, prev, last, "纠纷类型")
    srows = source_rows(now.by("received", 1), prev.by("received", 1), last.by("received", 1))
    by_source = _breakdown("mediation.source", "按案件来源分类", 1, srows, now, prev, last, "案件来源")
    kinds = [(k, k) for k in COMMITTEE_KINDS]
    seen = {k for k, _l in kinds}
    kinds += [
        (k, k)
        for k in sorted({*now.by("received", 2), *prev.by("received", 2), *last.by("received", 2)} - seen)
    ]
    kinds = [(k, k) for k, _l in kinds if k != NO_KIND] + [
        (k, "未注明类型") for k, _l in kinds if k == NO_KIND
    ]
    by_kind = _breakdown("mediation.committee", "按调委会类型分类", 2, kinds, now, prev, last, "调委会类型")
    # the trend chart: the 12 months up to this one
    first = month_period(*map(int, shift_month(p.code, -11).split("-")))
    received, settled = received_by_month(s, scope, first.start, p.end)
    trend = tuple(
        TrendPoint(m, received.get(m, 0), settled.get(m, 0))
        for m in (shift_month(p.code, i - 11) for i in range(12))
    )
    figures = {
        "now": now,
        "prev": prev,
        "last": last,
        "trend": trend,
        "by_type": tuple((label, int(by_type_counts.get(code, 0))) for code, label in trows),
    }
    section = ReportSection("mediation", "矛盾纠纷人民调解", (main, by_type, by_source, by_kind))
    return section, figures


def statistics_rows(s: Session, scope: Scope, p: Period) -> tuple[list[StatisticsRow], list[StatisticsRow]]:
    """人民调解统计表: rows by dispute type and by source, each block closed by 合计."""
    t = tally(s, scope, p.start, p.end)
    types = load_dispute_types(s, include_inactive=True)
    measures = ("received", "settled", "performed", "confirmed", "amount")

    def block(axis: int, rows: list[tuple[str, str]], prefix: str) -> list[StatisticsRow]:
        cols = {m: t.by(m, axis) for m in measures}
        out = [
            StatisticsRow(
                f"{prefix}.{code}",
                label,
                int(cols["received"].get(code, 0)),
                int(cols["settled"].get(code, 0)),
                int(cols["performed"].get(code, 0)),
                int(cols["confirmed"].get(code, 0)),
                decimal.Decimal(cols["amount"].get(code, 0)).quantize(decimal.Decimal("0.01")),
            )
            for code, label in rows
        ]
        out.append(
            StatisticsRow(
                f"{prefix}.total",
                "合计",
                t.total("received"),
                t.total("settled"),
                t.total("performed"),
                t.total("confirmed"),
                t.total("amount"),
                is_total=True,
            )
        )
        return out

    all_counts = [t.by(m, 0) for m in measures]
    by_type = block(0, type_rows(types, *all_counts), "type")
    by_source = block(1, source_rows(*[t.by(m, 1) for m in measures]), "source")
    return by_type, by_source


STATISTICS_NOTES = (
    "统计口径：各项按事件发生日期计入本期——受理按受理日期；调解成功按调解结果（协议）日期；"
    "履行按首次记录为“已履行”的日期；司法确认按法院裁定协议有效的日期；协议涉及金额为本期调解成功案件的"
    "调解协议各项内容所载金额之和（不含受理登记时填写的申请涉及金额）。"
    "因此调解成功、履行、司法确认可含以前各期受理的案件。",
    "纠纷类型按本街道纠纷类型字典（默认 18 类）全部列出，无案件的类型记 0；已作废的案件不计。",
)
