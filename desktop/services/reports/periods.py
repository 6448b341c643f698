"""Report periods (2026-10, 2026Q3, 2026), the reporting scope (street or one community) and ratios."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.structure import Community, Street
from desktop.core.errors import NotFoundError, PermissionDenied, ValidationError
from desktop.domain.text import clean_text
from desktop.services.access import session_scope

_QUARTERS = "一二三四"


@dataclass(frozen=True)
class Period:
    code: str  # 2026-10 / 2026Q3 / 2026
    kind: str  # month / quarter / year
    start: dt.date
    end: dt.date
    label: str  # 2026年10月 / 2026年第三季度 / 2026年

    def as_of(self, today: dt.date) -> dt.date:
        """The last day whose records count: the period's end, or today while it is running."""
        return min(self.end, today)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    return Period(
        f"{year:04d}-{month:02d}",
        "month",
        dt.date(year, month, 1),
        _month_end(year, month),
        f"{year}年{month}月",
    )


def shift_month(code: str, n: int) -> str:
    year, month = int(code[:4]), int(code[5:7])
    index = year * 12 + month - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _check_started(p: Period, today: dt.date, what: str) -> Period:
    if p.start > today:
        raise ValidationError(f"{p.label}尚未开始，无法统计{what}。", field="period")
    if p.start.year < 2000:
        raise ValidationError(f"统计期间“{p.code}”早于 2000 年，请检查输入。", field="period")
    return p


def parse_month(text: str, today: dt.date) -> Period:
    """ "2026-10" (also 2026-1, 2026/10, 202610, 2026年10月) → the month; a ValidationError otherwise."""
    p = _month_of(text)
    if p is None:
        raise ValidationError(f"月份“{text}”格式不正确，应为 YYYY-MM，例如 2026-10。", field="month")
    return _check_started(p, today, "月报")


def _month_of(text: str) -> Period | None:
    """The month ``text`` names, None if it is not written as a month."""
    raw = clean_text(text).replace(" ", "")
    m = re.fullmatch(r"(\d{4})(?:[-/.年]?)(\d{1,2})月?", raw)
    if not m or not 1 <= int(m.group(2)) <= 12 or (len(m.group(2)) == 1 and not re.search(r"[-/.年]", raw)):
        return None
    return month_period(int(m.group(1)), int(m.group(2)))


def parse_period(text: str, today: dt.date) -> Period:
    """ "2026-10" (a month), "2026Q3" (a quarter) or "2026" (a year); a ValidationError otherwise."""
    raw = clean_text(text).replace(" ", "").upper()
    q = re.fullmatch(r"(\d{4})-?Q([1-4])", raw)
    if q:
        year, quarter = int(q.group(1)), int(q.group(2))
        first = 3 * quarter - 2
        p = Period(
            f"{year}Q{quarter}",
            "quarter",
            dt.date(year, first, 1),
            _month_end(year, first + 2),
            f"{year}年第{_QUARTERS[quarter - 1]}季度",
        )
        return _check_started(p, today, "该季度")
    y = re.fullmatch(r"(\d{4})年?", raw)
    if y:
        year = int(y.group(1))
        p = Period(str(year), "year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")
        return _check_started(p, today, "该年度")
    month = _month_of(text)
    if month is None:
        raise ValidationError(
            f"统计期间“{text}”格式不正确，应为月份 2026-10、季度 2026Q3 或年份 2026。", field="period"
        )
    return _check_started(month, today, "月报")


# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """What a report counts: the whole street, one community, or (``unattached``) the street-level rest.

    ``unattached`` selects the records that belong to no community (a street committee's case that names
    no community, a court referral not yet linked to a case, the 党工委 and its members): the street's
    figures are the sum of its communities' plus these, and the street report shows them on their own.
    """

    street: str
    community_id: int | None = None
    community: str | None = None  # None: the whole street
    unattached: bool = False

    @property
    def is_street(self) -> bool:
        return self.community_id is None and not self.unattached

    def match(self, column: Any) -> Any:
        """The condition on a community column for this scope (None: no condition)."""
        if self.unattached:
            return column.is_(None)
        if self.community_id is None:
            return None
        return column == self.community_id

    def where(self, q: Any, column: Any) -> Any:
        cond = self.match(column)
        return q if cond is None else q.where(cond)

    def street_level(self) -> Scope:
        return Scope(self.street, None, None, unattached=True)


#: why a grid-scoped account gets no report
GRID_ACCOUNT_NO_REPORTS = (
    "没有权限：月报、统计表、网格通报与排名按社区或全街道统计，网格员账号只看本网格的居民、走访和事件；"
    "请由社区书记或街道统计员出具"
)


def resolve_scope(s: Session, community: str | None) -> Scope:
    """The community (a name) or the street (None, 全街道, the street's name) a report covers, within the
    signed-in account's scope (the session's, see services.access):

    * a 社区书记/主任 (one community) gets their community: the street's figures would show the other
      communities, so asking for the street gives their own community, asking for another is refused;
    * a 网格员 (their grids) gets no report at all: every report here (月报, 人民调解统计表, 一月一通报,
      一季一排名) compares grids or communities, which a grid worker does not see — the street office prints
      them; their own grid's work is in 今日应走访, the events list and the event ledger.
    """
    street = s.scalar(select(Street.name).order_by(Street.id).limit(1)) or "本街道"
    name = clean_text(community or "")
    limited = session_scope(s)
    if limited is not None:
        login, account = limited
        if account.grid_ids is not None:
            raise PermissionDenied(f"{GRID_ACCOUNT_NO_REPORTS}（账号 {login}）")
        own = s.scalar(select(Community.name).where(Community.id == account.community_id))
        if own is None:
            raise PermissionDenied(f"没有权限：账号 {login} 没有指定社区")
        if not name or name in ("全街道", street):
            return Scope(street, account.community_id, own)
    if not name or name in ("全街道", street):
        return Scope(street)
    rows = s.execute(select(Community.id, Community.name).order_by(Community.code, Community.id)).all()
    for cid, cname in rows:
        if name in (cname, f"{cname}社区", cname.removesuffix("社区")) or f"{name}社区" == cname:
            if limited is not None and cid != limited[1].community_id:
                raise PermissionDenied(f"没有权限：{cname}不在账号 {limited[0]} 负责的社区内")
            return Scope(street, cid, cname)
    known = "、".join(c for _i, c in rows) or "（尚无社区）"
    raise NotFoundError(f"找不到社区“{name}”。现有社区：{known}。")


# ---------------------------------------------------------------- ratios


def ratio(part: float | int, whole: float | int) -> float | None:
    """part ÷ whole, or None when the whole is 0 (a rate of nothing is not 0%)."""
    return None if not whole else float(part) / float(whole)


def change(current: float | int | None, earlier: float | int | None) -> float | None:
    """环比/同比: (current − earlier) ÷ earlier; None when there is nothing to compare with."""
    if current is None or earlier is None or not earlier:
        return None
    return (float(current) - float(earlier)) / float(earlier)
