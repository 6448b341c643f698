"""Deadlines of the case list and 工作台: mediation time limit, follow-ups due, performance dates passed.

Pure functions on plain values (tested without a database), and one query that gathers those values for
every open case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.mediation import Agreement, AgreementTerm, FollowUp, MediationCase, Performance
from desktop.domain.mediation import OPEN_STAGES, stage_is_open
from desktop.services.access import session_case_condition
from desktop.services.mediation.common import MediationRules

LEVEL_ORDER = {"red": 3, "orange": 2, "yellow": 1, "": 0}


@dataclass(frozen=True)
class Deadline:
    kind: str  # "mediation" | "follow_up" | "performance"
    level: str  # "red" | "orange" | "yellow"
    due_on: dt.date
    text: str


def mediation_due(accepted_on: dt.date, extended_until: dt.date | None, rules: MediationRules) -> dt.date:
    """The day mediation should be finished: acceptance + the time limit, or the agreed extension."""
    return extended_until or accepted_on + dt.timedelta(days=rules.time_limit_days)


def case_deadlines(
    *,
    stage: str,
    outcome: str | None,
    accepted_on: dt.date,
    extended_until: dt.date | None,
    pending_follow_ups: list[dt.date],
    due_dates: list[dt.date],
    performance_status: str | None,
    rules: MediationRules,
    today: dt.date,
) -> list[Deadline]:
    out: list[Deadline] = []
    if not stage_is_open(stage):
        return out
    if outcome is None:
        due = mediation_due(accepted_on, extended_until, rules)
        left = (due - today).days
        if left < 0:
            out.append(Deadline("mediation", "red", due, f"调解已超期 {-left} 天（期限 {due:%Y-%m-%d}）"))
        elif left <= rules.warn_days:
            out.append(Deadline("mediation", "orange", due, f"调解期限还剩 {left} 天（{due:%Y-%m-%d}）"))
    for d in sorted(pending_follow_ups):
        left = (d - today).days
        if left < 0:
            out.append(Deadline("follow_up", "orange", d, f"回访已逾期 {-left} 天（应于 {d:%Y-%m-%d}）"))
        elif left <= rules.follow_up_warn_days:
            when = "今天" if left == 0 else f"{left} 天后（{d:%Y-%m-%d}）"
            out.append(Deadline("follow_up", "yellow", d, f"回访应于{when}进行"))
        break  # the earliest pending visit is what matters
    if stage == "PERFORMING" and performance_status != "PERFORMED":
        passed = [d for d in due_dates if d < today]
        if passed:
            d = max(passed)
            out.append(
                Deadline("performance", "red", d, f"履行期限已过 {(today - d).days} 天，尚未记录履行完毕")
            )
    return out


def worst(deadlines: list[Deadline]) -> str:
    return max((d.level for d in deadlines), key=lambda lv: LEVEL_ORDER[lv], default="")


@dataclass(frozen=True)
class CaseDeadlines:
    case_id: int
    case_no: str
    deadlines: list[Deadline]


def open_case_deadlines(
    s: Session, rules: MediationRules, today: dt.date, case_ids: list[int] | None = None
) -> dict[int, CaseDeadlines]:
    """Deadlines of every open (not retired) case, keyed by case id."""
    q = select(
        MediationCase.id,
        MediationCase.case_no,
        MediationCase.stage,
        MediationCase.outcome,
        MediationCase.accepted_on,
        MediationCase.extended_until,
    ).where(
        MediationCase.retired_on.is_(None),
        MediationCase.stage.in_(OPEN_STAGES),
        session_case_condition(s),  # a 调解员 their committee's cases, a 社区书记 their community's
    )
    if case_ids is not None:
        q = q.where(MediationCase.id.in_(case_ids))
    cases = s.execute(q).all()
    if not cases:
        return {}
    open_ids = [c.id for c in cases]
    pending: dict[int, list[dt.date]] = defaultdict(list)
    for cid, due in s.execute(
        select(FollowUp.case_id, FollowUp.due_on).where(
            FollowUp.visited_on.is_(None),
            FollowUp.cancelled.is_(False),
            FollowUp.due_on.is_not(None),
            FollowUp.case_id.in_(open_ids),
        )
    ):
        if due is not None:
            pending[cid].append(due)
    dues: dict[int, list[dt.date]] = defaultdict(list)
    for cid, deadline in s.execute(
        select(Agreement.case_id, Agreement.performance_deadline).where(Agreement.case_id.in_(open_ids))
    ):
        if deadline:
            dues[cid].append(deadline)
    for cid, due in s.execute(
        select(Agreement.case_id, AgreementTerm.due_on)
        .join(AgreementTerm, AgreementTerm.agreement_id == Agreement.id)
        .where(Agreement.case_id.in_(open_ids), AgreementTerm.due_on.is_not(None))
    ):
        if due is not None:
            dues[cid].append(due)
    status: dict[int, str] = {}
    for cid, st in s.execute(
        select(Performance.case_id, Performance.status)
        .where(Performance.case_id.in_(open_ids))
        .order_by(Performance.case_id, Performance.on_date, Performance.id)
    ):
        status[cid] = st
    out = {}
    for c in cases:
        found = case_deadlines(
            stage=c.stage,
            outcome=c.outcome,
            accepted_on=c.accepted_on,
            extended_until=c.extended_until,
            pending_follow_ups=pending.get(c.id, []),
            due_dates=dues.get(c.id, []),
            performance_status=status.get(c.id),
            rules=rules,
            today=today,
        )
        if found:
            out[c.id] = CaseDeadlines(c.id, c.case_no, found)
    return out


@dataclass(frozen=True)
class DeadlineSummary:
    overdue_mediation: list[str]  # case numbers
    due_mediation: list[str]
    follow_ups_due: list[str]
    follow_ups_overdue: list[str]
    performance_overdue: list[str]


def summarize(found: dict[int, CaseDeadlines]) -> DeadlineSummary:
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cd in found.values():
        for d in cd.deadlines:
            buckets[(d.kind, d.level)].append(cd.case_no)
    return DeadlineSummary(
        overdue_mediation=sorted(buckets[("mediation", "red")]),
        due_mediation=sorted(buckets[("mediation", "orange")]),
        follow_ups_due=sorted(buckets[("follow_up", "yellow")]),
        follow_ups_overdue=sorted(buckets[("follow_up", "orange")]),
        performance_overdue=sorted(buckets[("performance", "red")]),
    )


def dashboard_warnings(s: Session, today: dt.date) -> list[tuple[str, str]]:
    """(level, text) lines for 工作台: overdue mediation, follow-ups due, performance dates passed."""
    from desktop.services.mediation.common import load_rules

    found = summarize(open_case_deadlines(s, load_rules(s), today))
    out: list[tuple[str, str]] = []

    def some(numbers: list[str]) -> str:
        return "、".join(numbers[:3]) + (f" 等 {len(numbers)} 件" if len(numbers) > 3 else "")

    if found.overdue_mediation:
        out.append(
            (
                "red",
                f"{len(found.overdue_mediation)} 件调解案件超过调解期限仍未办结：{some(found.overdue_mediation)}",
            )
        )
    if found.performance_overdue:
        out.append(
            (
                "red",
                f"{len(found.performance_overdue)} 件调解协议已过履行期限、尚未记录履行完毕：{some(found.performance_overdue)}",
            )
        )
    if found.due_mediation:
        out.append(("orange", f"{len(found.due_mediation)} 件调解案件即将到期：{some(found.due_mediation)}"))
    if found.follow_ups_overdue:
        out.append(
            (
                "orange",
                f"{len(found.follow_ups_overdue)} 件调解案件的回访已逾期：{some(found.follow_ups_overdue)}",
            )
        )
    if found.follow_ups_due:
        out.append(
            ("yellow", f"{len(found.follow_ups_due)} 件调解案件近日应回访：{some(found.follow_ups_due)}")
        )
    return out
