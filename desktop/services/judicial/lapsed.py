"""申请期限届满未申请: which written agreements let the window for judicial confirmation pass unused.

One query for the three places that show it — the 台账 (``mediation list``: 逾期未申请), 工作台's reminders and
the 月报's 申请期限届满未申请 — with the rule itself in :func:`desktop.domain.judicial.application_lapsed`.
The window is counted from the agreement's 生效日期 with the holiday calendar (:mod:`.deadlines`), for every
written, effective agreement of a case that was not voided, whether or not a track was ever started.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import JudicialConfirmation
from db.schema.mediation import Agreement, MediationCase, MediationCommittee
from desktop.domain.judicial import application_lapsed
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import load_calendar

#: the longest a last day can move off rest days (the Spring Festival week and its weekend), with margin
_LONGEST_ROLL = dt.timedelta(days=15)
_CHUNK = 900


@dataclass(frozen=True)
class LapsedAgreement:
    case_id: int
    case_no: str
    effective_on: dt.date
    deadline: dt.date
    filed_late_on: dt.date | None = None  # an application filed after the window, if any


def lapsed_agreements(
    s: Session,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    case_ids: list[int] | None = None,
    where: Any = None,
) -> dict[int, LapsedAgreement]:
    """Case id → its lapsed agreement, for the windows that ended between ``start`` and ``end`` (inclusive;
    open when None) and before ``today``. ``case_ids`` limits the cases; ``where`` is an extra SQL condition
    on the case and its committee (the report's community)."""
    window = dt.timedelta(days=dl.CONFIRMATION_DAYS)
    q = (
        select(MediationCase.id, MediationCase.case_no, Agreement.effective_on)
        .join(Agreement, Agreement.case_id == MediationCase.id)
        .join(MediationCommittee, MediationCommittee.id == MediationCase.committee_id)
        .where(
            MediationCase.retired_on.is_(None),
            Agreement.oral.is_(False),
            Agreement.effective_on.is_not(None),
            Agreement.effective_on < today - window,
        )
    )
    if start is not None:
        q = q.where(Agreement.effective_on >= start - window - _LONGEST_ROLL)
    if end is not None:
        q = q.where(Agreement.effective_on <= end - window)
    if where is not None:
        q = q.where(where)
    rows: list[Any] = []
    if case_ids is None:
        rows = list(s.execute(q))
    else:
        for i in range(0, len(case_ids), _CHUNK):
            rows += s.execute(q.where(MediationCase.id.in_(case_ids[i : i + _CHUNK]))).all()
    if not rows:
        return {}
    cal = load_calendar(s)
    due: dict[int, tuple[str, dt.date, dt.date]] = {}
    for cid, case_no, effective_on in rows:
        deadline = dl.confirmation_deadline(effective_on, cal).day
        if (start is None or deadline >= start) and (end is None or deadline <= end) and deadline < today:
            due[cid] = (case_no, effective_on, deadline)
    filings: dict[int, list[dt.date | None]] = defaultdict(list)
    ids = list(due)
    for i in range(0, len(ids), _CHUNK):
        for cid, filed_on in s.execute(
            select(JudicialConfirmation.case_id, JudicialConfirmation.filed_on).where(
                JudicialConfirmation.retired_on.is_(None),
                JudicialConfirmation.case_id.in_(ids[i : i + _CHUNK]),
            )
        ):
            filings[cid].append(filed_on)
    out = {}
    for cid, (case_no, effective_on, deadline) in due.items():
        filed = filings.get(cid, [])
        if application_lapsed(deadline, filed, today):
            late = min((f for f in filed if f is not None), default=None)
            out[cid] = LapsedAgreement(cid, case_no, effective_on, deadline, late)
    return out
