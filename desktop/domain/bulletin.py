"""一月一通报 / 一季一排名: the figures of a grid, a community or the street for a period, and the ranking rule.

The figures are counts that add up (a community's are the sum of its grids', the street's the sum of its
communities'); rates are computed from the counts and are None when their denominator is empty (printed
无数据, never 0%).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

RATING_KEYS = ("SATISFIED", "BASIC", "UNSATISFIED")


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


@dataclass(frozen=True)
class Figures:
    """Counts for one unit over one period."""

    received: int = 0  # events received in the period
    closed: int = 0  # events closed in the period
    closed_in_time: int = 0  # of them, closed at or before their deadline
    overdue_open: int = 0  # open at the period's end (24:00) with the deadline passed
    whistles: int = 0  # 吹哨 steps in the period
    satisfied: int = 0  # ratings given in the period
    basic: int = 0
    unsatisfied: int = 0
    visits_due: int = 0  # visit periods due that ended in the period
    visits_done: int = 0  # of them, with a visit
    special_visited: int = 0  # special-group residents visited in the period (each once per month)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def rated(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def closed_in_time_rate(self) -> float | None:
        """按期办结率 = 按期办结数 ÷ 办结数."""
        return _rate(self.closed_in_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 = (满意 + 基本满意) ÷ 评价数."""
        return _rate(self.satisfied + self.basic, self.rated)

    @property
    def visit_rate(self) -> float | None:
        """走访完成率 = 已走访周期数 ÷ 应走访周期数."""
        return _rate(self.visits_done, self.visits_due)


@dataclass(frozen=True)
class DepartmentWhistles:
    """吹哨报到 of one department in the period: how many whistles, signed for / reported in and in time."""

    department: str
    whistles: int = 0
    signed: int = 0
    signed_in_time: int = 0  # within 1 hour of the whistle
    reported: int = 0
    reported_in_time: int = 0  # within 3 (工作推进哨) / 5 (攻坚克难哨) working days
    sign_hours: float = 0.0  # total hours from whistle to sign-for (for the average)
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def avg_sign_hours(self) -> float | None:
        return None if not self.signed else self.sign_hours / self.signed

    @property
    def sign_rate(self) -> float | None:
        return _rate(self.signed_in_time, self.whistles)

    @property
    def report_rate(self) -> float | None:
        return _rate(self.reported_in_time, self.whistles)

    @property
    def satisfaction_rate(self) -> float | None:
        rated = self.satisfied + self.basic + self.unsatisfied
        return _rate(self.satisfied + self.basic, rated)


@dataclass(frozen=True)
class UnitFigures:
    """A named unit (grid, community or the street) and its figures."""

    level: str  # grid | community | street
    code: str
    name: str
    community: str
    figures: Figures


@dataclass(frozen=True)
class RankingWeights:
    """The 一季一排名 score: points for three rates, minus points per overdue open event (capped)."""

    closed_in_time: float = 40.0
    satisfaction: float = 20.0
    visits: float = 30.0
    overdue_penalty: float = 1.0
    penalty_cap: float = 10.0

    def formula(self) -> str:
        full = self.closed_in_time + self.satisfaction + self.visits
        return (
            f"得分 = 按期办结率 × {self.closed_in_time:g} + 满意率 × {self.satisfaction:g} + 走访完成率 × "
            f"{self.visits:g} − 期末超期未办结事件数 × {self.overdue_penalty:g}（扣分最多 {self.penalty_cap:g} 分）；"
            f"某项比率无数据（分母为 0）时该项不计，其余各项按比例折算到满分 {full:g} 分；得分相同者名次并列。"
        )

    def score(self, f: Figures) -> float:
        items = (
            (f.closed_in_time_rate, self.closed_in_time),
            (f.satisfaction_rate, self.satisfaction),
            (f.visit_rate, self.visits),
        )
        full = sum(w for _r, w in items)
        have = [(r, w) for r, w in items if r is not None]
        weight = sum(w for _r, w in have)
        base = 0.0 if not weight else sum(r * w for r, w in have) / weight * full
        penalty = min(f.overdue_open * self.overdue_penalty, self.penalty_cap)
        return round(base - penalty, 2)


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit: UnitFigures
    score: float


def rank(units: list[UnitFigures], weights: RankingWeights) -> list[RankRow]:
    """Units by score, best first; equal scores share a rank (1, 2, 2, 4)."""
    scored = sorted(((weights.score(u.figures), u) for u in units), key=lambda x: (-x[0], x[1].code))
    rows: list[RankRow] = []
    for i, (score, unit) in enumerate(scored):
        r = rows[-1].rank if rows and rows[-1].score == score else i + 1
        rows.append(RankRow(r, unit, score))
    return rows


@dataclass(frozen=True)
class GridBulletin:
    """The figures of a period for every grid, every community and the street (or one community)."""

    period: str  # 2026-10 / 2026Q3
    label: str  # 2026年10月
    start: dt.date
    end: dt.date
    as_of: dt.datetime  # the moment open events are looked at (the period's end, 24:00, or now)
    issued_on: dt.date
    street: str
    community: str | None  # None: the whole street
    grids: tuple[UnitFigures, ...]
    communities: tuple[UnitFigures, ...]
    total: UnitFigures  # the street, or the one community
    departments: tuple[DepartmentWhistles, ...]
    ranking: tuple[RankRow, ...] = ()  # filled for a quarter (and a month that ends one)
    ranking_label: str = ""
    ranking_formula: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def unit(self) -> str:
        return self.community or self.street

    @property
    def title(self) -> str:
        if self.period[4:5] == "Q":
            return f"{self.unit}{self.label}网格工作排名"
        return f"{self.unit}{self.label}网格工作通报"
