"""The rules of 党建 as pure functions, each tested at its boundaries.

* organisation warnings (《中国共产党支部工作条例（试行）》, 2018): a branch with fewer than 3 full
  members; 7 or more full members without a committee (书记 + 组织/宣传/纪检委员); a term that has run
  out (community branches: 5 years);
* 发展党员 (《中国共产党发展党员工作细则》, 2014): the order of the steps and their minimum gaps — a step
  taken too early is refused with the rule and the earliest date; what is due next for a member, and by when;
* 党费 (中组部《关于中国共产党党费收缴、使用和管理的规定》, 2008): the monthly amount from the bands (flat
  rate on the whole base, upper bound inclusive, fixed amounts), the paid-through month and the months owed;
* 三会一课 (支部工作条例): which period a meeting covers and what is overdue for an organisation;
* 失联: no contact for at least 6 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.schema.party import BranchPost, MeetingKind, PartyOrgKind
from desktop.core.errors import ValidationError
from desktop.services.party.common import (
    COMMITTEE_POSTS,
    MEETING_KIND_LABELS,
    POST_LABELS,
    add_months,
    add_years,
    month_of,
    months_between,
    shift_month,
)
from desktop.services.party.recruitment_rules import (
    ACTIVIST_YEARS,
    APPROVAL_MAX_MONTHS,
    APPROVAL_MONTHS,
    EXTENSION_MAX_MONTHS,
    EXTENSION_MIN_MONTHS,
    MIN_AGE,
    PROBATION_YEARS,
    REQUIRES,
    SPONSORS,
    STAGE_AFTER,
    TALK_WITHIN_MONTHS,
    TRAINING_MIN_DAYS,
    TRAINING_MIN_HOURS,
    VETTING_VALID_YEARS,
    DueStep,
    K,
    Sponsor,
    StepProposal,
    StepRecord,
    check_step,
    due_steps,
    earliest_date,
    probation_end,
)

# 发展党员 lives in recruitment_rules; its names are re-exported so the rules stay in one namespace
__all__ = [
    "ACTIVIST_YEARS",
    "APPROVAL_MAX_MONTHS",
    "APPROVAL_MONTHS",
    "BRANCH_MAX_MEMBERS",
    "BRANCH_MIN_FULL",
    "COMMITTEE_MIN_FULL",
    "DEFAULT_MEETING_FREQUENCY",
    "DEFAULT_TERM_YEARS",
    "DUES_LAPSE_MONTHS",
    "EXTENSION_MAX_MONTHS",
    "EXTENSION_MIN_MONTHS",
    "FREQUENCY_LABELS",
    "LOST_CONTACT_MONTHS",
    "MIN_AGE",
    "MONTH",
    "PROBATION_YEARS",
    "QUARTER",
    "REQUIRES",
    "SPONSORS",
    "STAGE_AFTER",
    "TALK_WITHIN_MONTHS",
    "TERM_WARNING_DAYS",
    "TRAINING_MIN_DAYS",
    "TRAINING_MIN_HOURS",
    "VETTING_VALID_YEARS",
    "YEAR",
    "DueStep",
    "DuesBand",
    "DuesQuote",
    "K",
    "MeetingDue",
    "OrgWarning",
    "Sponsor",
    "StepProposal",
    "StepRecord",
    "check_lost_contact",
    "check_step",
    "due_steps",
    "earliest_date",
    "effective_bands",
    "has_committee",
    "holds_committee",
    "kinds_counted",
    "longest_unpaid_run",
    "lost_contact_earliest",
    "meeting_due",
    "monthly_dues",
    "org_warnings",
    "owed_months",
    "paid_through",
    "period_of",
    "probation_end",
    "required_meetings",
    "term_end",
]

# ---------------------------------------------------------------- thresholds (sources: module docstring)

BRANCH_MIN_FULL = 3  # ≥ 3 正式党员 to form a branch of one's own
COMMITTEE_MIN_FULL = 7  # ≥ 7 正式党员 → 支部委员会
BRANCH_MAX_MEMBERS = 50
TERM_WARNING_DAYS = 90  # "换届 coming up" this many days before the term ends
DEFAULT_TERM_YEARS = 5  # 村/社区 branches
LOST_CONTACT_MONTHS = 6
DUES_LAPSE_MONTHS = 6  # 连续 6 个月不交纳党费 → 按自行脱党处理


def _d(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------- organisations


@dataclass(frozen=True)
class OrgWarning:
    code: str  # few_members / no_committee / no_secretary / term_expired / term_ending / too_big / no_term
    text: str
    serious: bool = True  # False: a reminder (term ending soon, no term date)


def term_end(term_start: dt.date | None, term_years: int | None) -> dt.date | None:
    if term_start is None:
        return None
    return add_years(term_start, term_years or DEFAULT_TERM_YEARS)


def org_warnings(
    kind: str,
    full_members: int,
    posts: Iterable[str],
    term_start: dt.date | None,
    term_years: int | None,
    today: dt.date,
    *,
    members: int | None = None,
    is_joint: bool = False,
) -> list[OrgWarning]:
    """What is wrong with an organisation: ``full_members`` 正式党员, ``members`` incl. 预备党员,
    ``posts`` the BranchPost values held now. The term has run out *on* its end date."""
    held = set(posts)
    out: list[OrgWarning] = []
    if kind == PartyOrgKind.BRANCH:
        if full_members < BRANCH_MIN_FULL:
            what = "联合党支部" if is_joint else "党支部"
            out.append(
                OrgWarning(
                    "few_members",
                    f"{what}正式党员不足 {BRANCH_MIN_FULL} 名（现有 {full_members} 名），"
                    "应与邻近单位联合成立党支部或调整组织设置",
                )
            )
        if full_members >= COMMITTEE_MIN_FULL:
            missing = [POST_LABELS[p] for p in COMMITTEE_POSTS if p not in held]
            if missing:
                out.append(
                    OrgWarning(
                        "no_committee",
                        f"正式党员 {full_members} 名（7 名及以上），应设立支部委员会，尚缺：{'、'.join(missing)}",
                    )
                )
        if (members if members is not None else full_members) > BRANCH_MAX_MEMBERS:
            out.append(
                OrgWarning(
                    "too_big",
                    f"党员 {members} 名，超过 {BRANCH_MAX_MEMBERS} 名，宜分设党支部或成立党总支",
                    serious=False,
                )
            )
    if kind == PartyOrgKind.GROUP:
        if BranchPost.GROUP_LEADER not in held:
            out.append(OrgWarning("no_secretary", "未配备党小组长", serious=False))
        return out
    if BranchPost.SECRETARY not in held and not any(w.code == "no_committee" for w in out):
        out.append(OrgWarning("no_secretary", "未配备书记"))
    if kind == PartyOrgKind.WORKING_COMMITTEE:
        return out
    end = term_end(term_start, term_years)
    if end is None:
        out.append(OrgWarning("no_term", "未填写本届任期起始日期", serious=False))
    elif today >= end:
        years = term_years or DEFAULT_TERM_YEARS
        out.append(
            OrgWarning(
                "term_expired",
                f"任期已于 {_d(end)} 届满（{_d(term_start)} 起 {years} 年），应按期换届",  # type: ignore[arg-type]
            )
        )
    elif (end - today).days <= TERM_WARNING_DAYS:
        out.append(OrgWarning("term_ending", f"任期将于 {_d(end)} 届满，请做好换届准备", serious=False))
    return out


def has_committee(posts: Iterable[str]) -> bool:
    held = set(posts)
    return all(p in held for p in COMMITTEE_POSTS)


def holds_committee(posts: Iterable[str], full_members: int) -> bool:
    """Must the organisation hold 支委会: its committee is complete, or it has enough 正式党员 to need one."""
    return has_committee(posts) or full_members >= COMMITTEE_MIN_FULL


# ---------------------------------------------------------------- 党费


@dataclass(frozen=True)
class DuesBand:
    category: str
    lower_fen: int | None  # exclusive
    upper_fen: int | None  # inclusive (含)
    rate_bp: int | None
    fixed_fen: int | None
    effective_from: dt.date

    def contains(self, base_fen: int) -> bool:
        return (self.lower_fen is None or base_fen > self.lower_fen) and (
            self.upper_fen is None or base_fen <= self.upper_fen
        )

    @property
    def describe(self) -> str:
        if self.fixed_fen is not None:
            return f"每月固定 {self.fixed_fen / 100:.2f} 元"
        lo = "" if self.lower_fen is None else f"{self.lower_fen // 100} 元以上"
        hi = "" if self.upper_fen is None else f"{self.upper_fen // 100} 元（含）以下"
        rate = f"{(self.rate_bp or 0) / 100:g}%"
        return f"{lo}{'至' if lo and hi else ''}{hi}：{rate}" if lo or hi else f"{rate}"


@dataclass(frozen=True)
class DuesQuote:
    amount_fen: int | None  # None: cannot be computed (no base)
    band: DuesBand | None
    explanation: str


def effective_bands(bands: Iterable[DuesBand], category: str, on: dt.date) -> list[DuesBand]:
    """The bands of ``category`` in force on ``on``: the newest table that has started."""
    mine = [b for b in bands if b.category == category and b.effective_from <= on]
    if not mine:
        return []
    newest = max(b.effective_from for b in mine)
    return [b for b in mine if b.effective_from == newest]


def monthly_dues(
    category: str,
    base_fen: int | None,
    bands: Iterable[DuesBand],
    on: dt.date,
    reduced_fen: int | None = None,
) -> DuesQuote:
    """The month's dues: a fixed amount, or base × the rate of the band the base falls in (flat on the
    whole base, not progressive; upper bounds inclusive), rounded half up to the 分."""
    if reduced_fen is not None:
        return DuesQuote(reduced_fen, None, f"经批准减免，每月 {reduced_fen / 100:.2f} 元")
    table = effective_bands(bands, category, on)
    if not table:
        return DuesQuote(None, None, "没有适用的党费标准")
    fixed = next((b for b in table if b.fixed_fen is not None and b.rate_bp is None), None)
    if fixed is not None:
        return DuesQuote(fixed.fixed_fen, fixed, fixed.describe)
    if base_fen is None:
        return DuesQuote(None, None, "未填写党费计算基数")
    band = next((b for b in table if b.contains(base_fen)), None)
    if band is None or band.rate_bp is None:
        return DuesQuote(None, None, "计算基数不在任何党费档次内")
    amount = (base_fen * band.rate_bp + 5000) // 10000
    return DuesQuote(amount, band, f"{base_fen / 100:.2f} 元 × {band.rate_bp / 100:g}%")


def paid_through(start: str, paid: set[str]) -> str | None:
    """The last month of the unbroken run of paid months from ``start`` (None: ``start`` unpaid)."""
    month, last = start, None
    while month in paid:
        last, month = month, shift_month(month, 1)
    return last


def owed_months(start: str, paid: set[str], today: dt.date) -> list[str]:
    """Months from ``start`` up to last month that are unpaid (the current month is not yet owed)."""
    return [m for m in months_between(start, shift_month(month_of(today), -1)) if m not in paid]


def longest_unpaid_run(owed: Sequence[str]) -> int:
    run = best = 0
    previous: str | None = None
    for m in owed:
        run = run + 1 if previous is not None and shift_month(previous, 1) == m else 1
        best, previous = max(best, run), m
    return best


# ---------------------------------------------------------------- 三会一课


MONTH, QUARTER, YEAR = "MONTH", "QUARTER", "YEAR"
FREQUENCY_LABELS = {MONTH: "每月", QUARTER: "每季度", YEAR: "每年", "NONE": "不要求"}
DEFAULT_MEETING_FREQUENCY = {
    MeetingKind.THEME_DAY: MONTH,
    MeetingKind.COMMITTEE: MONTH,
    MeetingKind.GROUP: MONTH,
    MeetingKind.MEMBER_ASSEMBLY: QUARTER,
    MeetingKind.LECTURE: QUARTER,
    MeetingKind.LIFE_MEETING: YEAR,
    MeetingKind.APPRAISAL: YEAR,
}


def required_meetings(org_kind: str, with_committee: bool) -> list[str]:
    """The meeting kinds an organisation must hold (支委会 only where there is a committee)."""
    if org_kind == PartyOrgKind.BRANCH:
        kinds = [MeetingKind.THEME_DAY, MeetingKind.MEMBER_ASSEMBLY, MeetingKind.LECTURE]
        if with_committee:
            kinds.insert(1, MeetingKind.COMMITTEE)
        return [*kinds, MeetingKind.LIFE_MEETING, MeetingKind.APPRAISAL]
    if org_kind == PartyOrgKind.GROUP:
        return [MeetingKind.GROUP]
    if org_kind in (PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH):
        return [MeetingKind.COMMITTEE]
    return []


def kinds_counted(kind: str, also_counts_as: str | None) -> set[str]:
    """The kinds a meeting counts for: its own and those it was also held as ("LECTURE,MEMBER_ASSEMBLY")."""
    return {kind, *(also_counts_as or "").split(",")} - {""}


def period_of(day: dt.date, frequency: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, label) of the period ``day`` falls in."""
    if frequency == MONTH:
        first = day.replace(day=1)
        return first, add_months(first, 1) - dt.timedelta(days=1), f"{day.year}年{day.month}月"
    if frequency == QUARTER:
        q = (day.month - 1) // 3
        first = dt.date(day.year, 3 * q + 1, 1)
        names = "一二三四"
        return first, add_months(first, 3) - dt.timedelta(days=1), f"{day.year}年第{names[q]}季度"
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), f"{day.year}年度"


@dataclass(frozen=True)
class MeetingDue:
    kind: str
    label: str
    frequency: str
    last_held: dt.date | None
    overdue_period: str | None  # the last completed period without one ("2026年10月"), None if held
    missed_12m: int  # completed periods in the last 12 months without one
    held_this_period: bool
    current_period: str

    @property
    def overdue(self) -> bool:
        return self.overdue_period is not None

    @property
    def text(self) -> str:
        if self.overdue_period:
            return f"{self.overdue_period}未开展{self.label}"
        if not self.held_this_period:
            return f"{self.current_period}尚未开展{self.label}"
        return f"{self.current_period}已开展"


def meeting_due(
    kind: str, frequency: str, held: Iterable[dt.date], today: dt.date, since: dt.date | None = None
) -> MeetingDue:
    """Is ``kind`` overdue? The last *completed* period must have one (periods before ``since``, the
    organisation's founding, do not count); the current period is still open."""
    dates = sorted(d for d in held if d <= today)
    label = MEETING_KIND_LABELS.get(kind, kind)  # type: ignore[call-overload]
    cur_first, _cur_last, cur_label = period_of(today, frequency)
    held_now = any(d >= cur_first for d in dates)
    periods: list[tuple[dt.date, dt.date, str]] = []  # completed periods of the last 12 months, newest first
    first = cur_first
    for _ in range({MONTH: 12, QUARTER: 4}.get(frequency, 1)):
        periods.append(period_of(first - dt.timedelta(days=1), frequency))
        first = periods[-1][0]
    periods = [p for p in periods if since is None or p[1] >= since]
    missing = [p for p in periods if not any(p[0] <= d <= p[1] for d in dates)]
    last_completed = periods[0] if periods else None
    overdue = last_completed is not None and last_completed in missing
    return MeetingDue(
        kind,
        label,
        frequency,
        dates[-1] if dates else None,
        last_completed[2] if overdue and last_completed else None,
        len(missing),
        held_now,
        cur_label,
    )


# ---------------------------------------------------------------- 失联


def lost_contact_earliest(last_contact: dt.date) -> dt.date:
    """The first day a member out of contact since ``last_contact`` counts as 失联 (≥ 6 months)."""
    return add_months(last_contact, LOST_CONTACT_MONTHS)


def check_lost_contact(since: dt.date, today: dt.date) -> None:
    if since > today:
        raise ValidationError("失联起始日期不能晚于今天。", field="lost_since")
    earliest = lost_contact_earliest(since)
    if today < earliest:
        raise ValidationError(
            f"失去联系满 {LOST_CONTACT_MONTHS} 个月方可认定为失联党员（自 {_d(since)} 起，最早 {_d(earliest)}）",
            field="lost_since",
        )
