"""发展党员 rules (《中国共产党发展党员工作细则》, 2014) as pure functions: the order of the steps, their minimum gaps and
deadlines. A step taken too early is refused (ValidationError) naming the rule and the earliest date;
:func:`due_steps` says what a member has to do next, from when and by when.

Re-exported by :mod:`desktop.services.party.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from db.schema.party import MemberStage, RecruitmentStepKind
from desktop.core.errors import ValidationError
from desktop.services.party.common import STEP_LABELS, add_months, add_years

K = RecruitmentStepKind

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


def _d(day: dt.date) -> str:
    return day.isoformat()


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
