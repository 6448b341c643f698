"""The rules of 党建 as pure functions (REFERENCE §4), each tested at its boundaries.

* organisation warnings (§4.1): a branch with fewer than 3 full members; 7 or more full members without
  a committee (书记 + 组织/宣传/纪检委员); a term that has run out (community branches: 5 years);
* 发展党员 (§4.6): the order of the steps and their minimum gaps — a step taken too early is refused
  with the rule and the earliest date; what is due next for a member, and by when;
* 党费 (§4.5): the monthly amount from the bands (flat rate on the whole base, upper bound inclusive,
  fixed amounts), the paid-through month and the months owed;
* 三会一课 (§4.7): which period a meeting covers and what is overdue for an organisation;
* 失联 (§4.3): no contact for at least 6 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.schema.party import BranchPost, MeetingKind, MemberStage, PartyOrgKind, RecruitmentStepKind
from desktop.core.errors import ValidationError
from desktop.services.party.common import (
    COMMITTEE_POSTS,
    MEETING_KIND_LABELS,
    POST_LABELS,
    STEP_LABELS,
    add_months,
    add_years,
    month_of,
    months_between,
    shift_month,
)

K = RecruitmentStepKind

# ---------------------------------------------------------------- thresholds (REFERENCE §4)

BRANCH_MIN_FULL = 3  # ≥ 3 正式党员 to form a branch of one's own
COMMITTEE_MIN_FULL = 7  # ≥ 7 正式党员 → 支部委员会
BRANCH_MAX_MEMBERS = 50
TERM_WARNING_DAYS = 90  # "换届 coming up" this many days before the term ends
DEFAULT_TERM_YEARS = 5  # 村/社区 branches
MIN_AGE = 18
TALK_WITHIN_MONTHS = 1
ACTIVIST_YEARS = 1
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
SPONSORS = 2
PROBATION_YEARS = 1
APPROVAL_MONTHS = 3
APPROVAL_MAX_MONTHS = 6
EXTENSION_MIN_MONTHS = 6
EXTENSION_MAX_MONTHS = 12
VETTING_VALID_YEARS = 1
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


# ---------------------------------------------------------------- 发展党员


@dataclass(frozen=True)
class StepRecord:
    """A recorded (not retired) recruitment step, as the rules need it."""

    kind: str
    on_date: dt.date
    training_days: int | None = None
    training_hours: int | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Sponsor:
    name: str
    stage: str | None  # MemberStage of the sponsor, None when not on the roll
    active: bool = True


@dataclass(frozen=True)
class StepProposal:
    kind: str
    on_date: dt.date
    mentors: int = 0  # 培养联系人 named
    sponsors: tuple[Sponsor, ...] = ()
    training_days: int | None = None
    training_hours: int | None = None
    entitled: int | None = None  # 应到会有表决权的正式党员
    present: int | None = None
    votes_for: int | None = None
    valid_until: dt.date | None = None  # VETTING: valid until; EXTENSION: the new end of probation
    reason: str = ""


#: the step a step needs first (its predecessor), in the mandated order
REQUIRES: dict[str, tuple[str, ...]] = {
    K.APPLICATION: (),
    K.TALK: (K.APPLICATION,),
    K.ACTIVIST: (K.TALK,),
    K.CANDIDATE: (K.ACTIVIST,),
    K.VETTING: (K.CANDIDATE,),
    K.TRAINING: (K.CANDIDATE,),
    K.SPONSORS: (K.CANDIDATE,),
    K.PRE_REVIEW: (K.VETTING, K.TRAINING, K.SPONSORS),
    K.BRANCH_MEETING: (K.PRE_REVIEW,),
    K.APPROVAL: (K.BRANCH_MEETING,),
    K.OATH: (K.APPROVAL,),
    K.EXTENSION: (K.APPROVAL,),
    K.CONFIRMATION: (K.APPROVAL,),
    K.CONFIRMATION_APPROVAL: (K.CONFIRMATION,),
    K.CANCELLED: (),
}
#: the stage a member reaches with a step
STAGE_AFTER = {
    K.APPLICATION: MemberStage.APPLICANT,
    K.ACTIVIST: MemberStage.ACTIVIST,
    K.CANDIDATE: MemberStage.CANDIDATE,
    K.BRANCH_MEETING: MemberStage.PROBATIONARY,
    K.CONFIRMATION: MemberStage.FULL,
}


def _latest(history: Sequence[StepRecord], kind: str) -> StepRecord | None:
    found = [h for h in history if h.kind == kind]
    return max(found, key=lambda h: h.on_date) if found else None


def probation_end(history: Sequence[StepRecord]) -> dt.date | None:
    """The end of probation: 支部大会 date + 1 year, or the extended end (延长预备期)."""
    meeting = _latest(history, K.BRANCH_MEETING)
    if meeting is None:
        return None
    extension = _latest(history, K.EXTENSION)
    if extension is not None and extension.valid_until is not None:
        return extension.valid_until
    return add_years(meeting.on_date, PROBATION_YEARS)


def earliest_date(
    kind: str, history: Sequence[StepRecord], birth_date: dt.date | None = None
) -> dt.date | None:
    """The first day ``kind`` may be taken, given the steps so far (None: no minimum)."""
    if kind == K.APPLICATION:
        return add_years(birth_date, MIN_AGE) if birth_date else None
    if kind == K.CANDIDATE:
        activist = _latest(history, K.ACTIVIST)
        return add_years(activist.on_date, ACTIVIST_YEARS) if activist else None
    if kind == K.CONFIRMATION:
        return probation_end(history)
    before = [h.on_date for k in REQUIRES.get(kind, ()) if (h := _latest(history, k))]
    return max(before) if before else None


def _votes_rule(p: StepProposal, what: str) -> None:
    if p.entitled is None or p.votes_for is None:
        raise ValidationError(
            f"请填写应到会有表决权的正式党员人数和赞成票数（{what}须经表决）。", field="votes_for"
        )
    if p.entitled <= 0:
        raise ValidationError("应到会有表决权的正式党员人数应大于 0。", field="entitled")
    need = p.entitled // 2 + 1
    if p.present is not None:
        if p.present > p.entitled:
            raise ValidationError(
                f"实到人数（{p.present}）不能多于应到人数（{p.entitled}）。", field="present"
            )
        if p.present < need:
            raise ValidationError(
                f"到会有表决权的正式党员须超过应到人数的半数（应到 {p.entitled} 人，至少 {need} 人到会，"
                f"实到 {p.present} 人），会议无效",
                field="present",
            )
    if p.votes_for > (p.present if p.present is not None else p.entitled):
        raise ValidationError("赞成票数不能多于到会人数。", field="votes_for")
    if p.votes_for < need:
        raise ValidationError(
            f"{what}须经赞成票超过应到会有表决权正式党员的半数（应到 {p.entitled} 人，须至少 {need} 票，"
            f"实得 {p.votes_for} 票）",
            field="votes_for",
        )


def check_step(
    history: Sequence[StepRecord],
    p: StepProposal,
    today: dt.date,
    birth_date: dt.date | None = None,
) -> list[str]:
    """Refuse (ValidationError naming the rule) a step out of order, too early or not meeting its rule;
    return warnings (late steps) otherwise. ``history`` holds the member's recorded steps."""
    kind, on = p.kind, p.on_date
    if kind not in STEP_LABELS:
        raise ValidationError(f"发展步骤“{kind}”无效。", field="kind")
    label = STEP_LABELS[kind]  # type: ignore[index]
    if on > today:
        raise ValidationError(f"{label}的日期不能晚于今天。", field="on_date")
    if any(h.kind == K.CANCELLED for h in history):
        raise ValidationError("该同志已取消资格或不再列为培养对象，不能继续记录发展步骤。", field="kind")
    if kind != K.CANCELLED and (done := _latest(history, kind)) is not None:
        if kind == K.EXTENSION:
            raise ValidationError(f"预备期只能延长一次（已于 {_d(done.on_date)} 延长）。", field="kind")
        raise ValidationError(f"已记录过“{label}”（{_d(done.on_date)}），不能重复记录。", field="kind")
    missing = [STEP_LABELS[k] for k in REQUIRES[kind] if _latest(history, k) is None]  # type: ignore[index]
    if missing:
        raise ValidationError(f"{label}前须先完成：{'、'.join(missing)}。", field="kind")
    if kind == K.CANCELLED:
        if not p.reason.strip():
            raise ValidationError("请填写取消资格或不再培养的原因。", field="notes")
        return []
    if any(h.kind == K.CONFIRMATION for h in history):
        raise ValidationError("该同志已转为正式党员，发展程序已完成。", field="kind")
    earliest = earliest_date(kind, history, birth_date)
    warnings: list[str] = []
    if kind == K.APPLICATION:
        if earliest is not None and on < earliest:
            raise ValidationError(
                f"入党申请人须年满 {MIN_AGE} 周岁（出生日期 {_d(birth_date)}，最早 {_d(earliest)} 可递交申请）",  # type: ignore[arg-type]
                field="on_date",
            )
        return warnings
    if kind == K.CANDIDATE:
        assert earliest is not None
        if on < earliest:
            raise ValidationError(
                f"确定为发展对象须在列为入党积极分子满一年后（最早 {_d(earliest)}）", field="on_date"
            )
        return warnings
    if kind == K.CONFIRMATION:
        assert earliest is not None
        if on < earliest:
            meeting = _latest(history, K.BRANCH_MEETING)
            assert meeting is not None
            raise ValidationError(
                f"预备党员须在预备期满后方可讨论转正（入党日期 {_d(meeting.on_date)}，预备期满 {_d(earliest)}）",
                field="on_date",
            )
        _votes_rule(p, "预备党员转正")
        return warnings
    if earliest is not None and on < earliest:
        before = "、".join(STEP_LABELS[k] for k in REQUIRES[kind])  # type: ignore[index]
        raise ValidationError(f"{label}的日期不能早于{before}（{_d(earliest)}）。", field="on_date")
    if kind == K.TALK:
        app = _latest(history, K.APPLICATION)
        assert app is not None
        due = add_months(app.on_date, TALK_WITHIN_MONTHS)
        if on > due:
            warnings.append(f"谈话应在收到入党申请后一个月内进行（应于 {_d(due)} 前），已超期")
    elif kind == K.ACTIVIST:
        if not 1 <= p.mentors <= 2:
            raise ValidationError("确定入党积极分子须指定 1 至 2 名培养联系人。", field="people")
    elif kind == K.TRAINING:
        days, hours = p.training_days or 0, p.training_hours or 0
        if days < TRAINING_MIN_DAYS and hours < TRAINING_MIN_HOURS:
            raise ValidationError(
                f"集中培训须不少于 {TRAINING_MIN_DAYS} 天或 {TRAINING_MIN_HOURS} 学时（本次 {days} 天、{hours} 学时）",
                field="training_hours",
            )
    elif kind == K.SPONSORS:
        if len(p.sponsors) != SPONSORS:
            raise ValidationError(
                f"入党介绍人须为 {SPONSORS} 名正式党员（现填写 {len(p.sponsors)} 名）。", field="people"
            )
        for sp in p.sponsors:
            if sp.stage != MemberStage.FULL or not sp.active:
                why = (
                    "不在党员名册中"
                    if sp.stage is None
                    else ("组织关系不在本组织" if not sp.active else "不是正式党员")
                )
                raise ValidationError(f"入党介绍人须为正式党员（{sp.name}{why}）。", field="people")
    elif kind == K.BRANCH_MEETING:
        _votes_rule(p, "接收预备党员")
        vetting = _latest(history, K.VETTING)
        if vetting is not None:
            valid = vetting.valid_until or add_years(vetting.on_date, VETTING_VALID_YEARS)
            if on > valid:
                warnings.append(f"政治审查结论有效期至 {_d(valid)}，已过期，应重新审查")
    elif kind == K.APPROVAL:
        meeting = _latest(history, K.BRANCH_MEETING)
        assert meeting is not None
        latest = add_months(meeting.on_date, APPROVAL_MAX_MONTHS)
        if on > latest:
            raise ValidationError(
                f"上级党委审批须在支部大会通过后 {APPROVAL_MAX_MONTHS} 个月内（最迟 {_d(latest)}），"
                "已超期，须重新履行接收预备党员程序",
                field="on_date",
            )
        if on > add_months(meeting.on_date, APPROVAL_MONTHS):
            warnings.append(f"上级党委审批应在支部大会通过后 {APPROVAL_MONTHS} 个月内完成，已超期")
    elif kind == K.EXTENSION:
        end = probation_end(history)
        assert end is not None
        if p.valid_until is None:
            raise ValidationError("请填写延长后的预备期满日期。", field="valid_until")
        lo, hi = add_months(end, EXTENSION_MIN_MONTHS), add_months(end, EXTENSION_MAX_MONTHS)
        if not lo <= p.valid_until <= hi:
            raise ValidationError(
                f"延长预备期不能少于半年、最长不超过一年（原预备期满 {_d(end)}，延长后应在 {_d(lo)} 至 {_d(hi)} 之间）",
                field="valid_until",
            )
        if not p.reason.strip():
            raise ValidationError("请填写延长预备期的原因。", field="notes")
    elif kind == K.CONFIRMATION_APPROVAL:
        conf = _latest(history, K.CONFIRMATION)
        assert conf is not None
        if on > add_months(conf.on_date, APPROVAL_MONTHS):
            warnings.append(f"转正审批应在支部大会通过后 {APPROVAL_MONTHS} 个月内完成，已超期")
    return warnings


@dataclass(frozen=True)
class DueStep:
    kind: str
    label: str
    earliest: dt.date | None  # not before
    deadline: dt.date | None  # by
    state: str  # waiting (too early yet) / due / overdue

    @property
    def when(self) -> str:
        if self.state == "waiting" and self.earliest:
            return f"{_d(self.earliest)} 起"
        if self.deadline:
            return f"{_d(self.deadline)} 前"
        return "现在可办理"


def _due(kind: str, earliest: dt.date | None, deadline: dt.date | None, today: dt.date) -> DueStep:
    if earliest is not None and today < earliest:
        state = "waiting"
    elif deadline is not None and today > deadline:
        state = "overdue"
    else:
        state = "due"
    return DueStep(kind, STEP_LABELS[kind], earliest, deadline, state)  # type: ignore[index]


def due_steps(history: Sequence[StepRecord], today: dt.date) -> list[DueStep]:
    """What a member in recruitment has to do next, when it may happen and by when (first = most urgent)."""
    have = {h.kind for h in history}
    if K.CANCELLED in have or K.CONFIRMATION_APPROVAL in have or not have:
        return []
    out: list[DueStep] = []

    def add(kind: str, deadline: dt.date | None = None) -> None:
        out.append(_due(kind, earliest_date(kind, history), deadline, today))

    app = _latest(history, K.APPLICATION)
    if K.TALK not in have:
        add(K.TALK, add_months(app.on_date, TALK_WITHIN_MONTHS) if app else None)
    elif K.ACTIVIST not in have:
        add(K.ACTIVIST)
    elif K.CANDIDATE not in have:
        add(K.CANDIDATE)
    elif K.PRE_REVIEW not in have:
        for kind in (K.VETTING, K.TRAINING, K.SPONSORS):
            if kind not in have:
                add(kind)
        if not out:
            add(K.PRE_REVIEW)
    elif K.BRANCH_MEETING not in have:
        add(K.BRANCH_MEETING)
    elif K.APPROVAL not in have:
        meeting = _latest(history, K.BRANCH_MEETING)
        add(K.APPROVAL, add_months(meeting.on_date, APPROVAL_MONTHS) if meeting else None)
    else:
        if K.OATH not in have:
            add(K.OATH)
        if K.CONFIRMATION not in have:
            end = probation_end(history)
            add(K.CONFIRMATION, add_months(end, APPROVAL_MONTHS) if end else None)
        else:
            conf = _latest(history, K.CONFIRMATION)
            add(K.CONFIRMATION_APPROVAL, add_months(conf.on_date, APPROVAL_MONTHS) if conf else None)
    order = {"overdue": 0, "due": 1, "waiting": 2}
    return sorted(out, key=lambda d: (order[d.state], d.deadline or d.earliest or today))


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
