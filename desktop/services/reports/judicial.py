"""四、司法确认 (人民调解法 §33; 法释〔2011〕5号): applications, acceptances, rulings, deadlines; 诉前委派调解 referrals.

Counted from ``judicial_confirmation`` and ``court_referral`` by the date of each step; tracks and
referrals that were voided (``retired_on``) never count. A community's tracks are those of its cases
(see :func:`desktop.services.reports.tally.case_community`); referrals not yet linked to a case count
for the whole street only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.schema.judicial import ConfirmationState, CourtReferral, JudicialConfirmation, ReferralResult, Ruling
from db.schema.mediation import Agreement, MediationCase, MediationCommittee
from desktop.domain.reports import Indicator, ReportSection, ReportTable
from desktop.services.judicial.lapsed import lapsed_agreements
from desktop.services.reports.periods import Period, Scope
from desktop.services.reports.tally import case_community


def _scoped(q: Any, scope: Scope) -> Any:
    q = q.where(MediationCase.retired_on.is_(None))
    if scope.is_street:
        return q
    return scope.where(
        q.join(MediationCommittee, MediationCommittee.id == MediationCase.committee_id), case_community()
    )


def _tracks(s: Session, scope: Scope, *conditions: Any) -> int:
    q = (
        select(func.count(JudicialConfirmation.id))
        .join(MediationCase, MediationCase.id == JudicialConfirmation.case_id)
        .where(JudicialConfirmation.retired_on.is_(None), *conditions)
    )
    return int(s.scalar(_scoped(q, scope)) or 0)


def _referrals(s: Session, scope: Scope, *conditions: Any) -> int:
    """Referrals of the scope: a community's are those linked to its cases; the street-level rest are those
    not linked to a case yet (街道直接接收: no community can be named) or linked to a case of no community."""
    q = select(func.count(CourtReferral.id)).where(CourtReferral.retired_on.is_(None), *conditions)
    if scope.unattached:
        q = (
            q.outerjoin(MediationCase, MediationCase.id == CourtReferral.case_id)
            .outerjoin(MediationCommittee, MediationCommittee.id == MediationCase.committee_id)
            .where(or_(CourtReferral.case_id.is_(None), case_community().is_(None)))
        )
    elif scope.community_id is not None:
        q = _scoped(q.join(MediationCase, MediationCase.id == CourtReferral.case_id), scope)
    return int(s.scalar(q) or 0)


def judicial_section(
    s: Session, scope: Scope, p: Period, today: dt.date | None = None
) -> tuple[ReportSection, dict[str, Any]]:
    """``today``: the day the report is made (windows still open on it have not lapsed); default the day
    after the period."""
    start, end = p.start, p.end
    today = today or end + dt.timedelta(days=1)
    jc = JudicialConfirmation
    filed = _tracks(s, scope, jc.filed_on.between(start, end))
    accepted = _tracks(s, scope, jc.accepted_on.between(start, end))
    valid = _tracks(s, scope, jc.ruling == Ruling.VALID, jc.ruling_on.between(start, end))
    rejected = _tracks(s, scope, jc.ruling == Ruling.REJECTED, jc.ruling_on.between(start, end))
    lapsed = len(lapsed_agreements(s, today, start, end, where=scope.match(case_community())))
    awaiting = _tracks(
        s,
        scope,
        jc.accepted_on <= end,
        or_(jc.ruling_on.is_(None), jc.ruling_on > end),
        jc.state.not_in((ConfirmationState.NOT_ACCEPTED, ConfirmationState.WITHDRAWN)),
    )
    aq = (
        select(func.count(Agreement.id))
        .join(MediationCase, MediationCase.id == Agreement.case_id)
        .where(Agreement.oral.is_(False), Agreement.effective_on.between(start, end))
    )
    effective = int(s.scalar(_scoped(aq, scope)) or 0)
    confirmation = ReportTable(
        "judicial.confirmation",
        "司法确认（本月）",
        (
            Indicator(
                "judicial.effective_agreements",
                "本月生效的书面调解协议",
                effective,
                "件",
                "生效书面协议 = 生效日期在本月的书面人民调解协议数（可在生效后 30 日内申请司法确认）",
            ),
            Indicator(
                "judicial.filed", "申请司法确认", filed, "件", "申请司法确认 = 申请日期在本月的司法确认申请数"
            ),
            Indicator(
                "judicial.accepted", "法院受理", accepted, "件", "法院受理 = 法院受理日期在本月的申请数"
            ),
            Indicator(
                "judicial.valid",
                "裁定调解协议有效",
                valid,
                "件",
                "裁定有效 = 法院裁定调解协议有效、裁定日期在本月的申请数",
            ),
            Indicator(
                "judicial.rejected",
                "裁定驳回申请",
                rejected,
                "件",
                "裁定驳回 = 法院裁定驳回申请、裁定日期在本月的申请数",
            ),
            Indicator(
                "judicial.lapsed",
                "申请期限届满未申请",
                lapsed,
                "件",
                "期限届满未申请 = 书面调解协议自生效之日起 30 日的申请司法确认期限（末日遇节假日顺延）届满日在本月"
                "（且已过）、届满前未提出申请的协议数；未登记司法确认事项的协议同样计入，期满后才提出的申请不改变结果",
            ),
            Indicator(
                "judicial.awaiting",
                "月末待裁定",
                awaiting,
                "件",
                "月末待裁定 = 月末前已受理、月末尚未裁定的申请数（不予受理、撤回的不计）",
            ),
        ),
    )
    cr = CourtReferral
    referrals = ReportTable(
        "judicial.referrals",
        "诉前委派调解（本月）",
        (
            Indicator(
                "referral.received",
                "接收委派",
                _referrals(s, scope, cr.received_on.between(start, end)),
                "件",
                "接收委派 = 调委会接收法院委派调解、接收日期在本月的件数",
            ),
            Indicator(
                "referral.success",
                "委派调解成功",
                _referrals(s, scope, cr.result == ReferralResult.SUCCESS, cr.result_on.between(start, end)),
                "件",
                "委派调解成功 = 结果为调解成功、结果日期在本月的委派件数",
            ),
            Indicator(
                "referral.failed",
                "委派调解不成功或终止",
                _referrals(
                    s,
                    scope,
                    cr.result.in_((ReferralResult.FAILED, ReferralResult.TERMINATED)),
                    cr.result_on.between(start, end),
                ),
                "件",
                "委派调解不成功或终止 = 结果为调解失败或终止、结果日期在本月的委派件数",
            ),
            Indicator(
                "referral.overdue",
                "月末超期未办结",
                _referrals(
                    s,
                    scope,
                    cr.received_on <= end,
                    cr.deadline < end,
                    or_(cr.result_on.is_(None), cr.result_on > end),
                ),
                "件",
                "月末超期未办结 = 调解期限（30 日，经批准可延长）届满日早于月末、月末仍无结果的委派件数",
            ),
        ),
    )
    section = ReportSection("judicial", "司法确认", (confirmation, referrals))
    return section, {"filed": filed, "valid": valid, "rejected": rejected}
