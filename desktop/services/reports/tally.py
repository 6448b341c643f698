"""Counting mediation cases for a period, straight from the records (one SQL aggregate per measure).

Every measure is counted in the period its own date falls in (事件发生日口径), so each event counts
once, in one period, and a past period's figures do not change when later events are recorded:

* 受理 received   — ``mediation_case.accepted_on`` (受理日期) in the period;
* 调结 concluded  — an outcome (成功/不成功/终止) recorded, ``outcome_on`` in the period;
* 调解成功 settled — outcome 调解成功, ``outcome_on`` (= the agreement's date) in the period;
* 履行 performed  — the first 已履行 performance record of the case dated in the period;
* 司法确认 confirmed — a court ruling that the agreement is valid (裁定有效), ``ruling_on`` in the period;
* 协议涉及金额 amount — the amounts of the agreement terms (协议内容) of the cases settled in the period:
  the agreement is what the parties settled on; the case's 涉及金额 at intake is what was claimed, often
  blank, and is not summed here.

Cases that were voided (``retired_on``) never count. A community's cases are those whose 纠纷发生社区
is that community, or — when the case names none — whose committee belongs to it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.schema.judicial import JudicialConfirmation, Ruling
from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseOutcome,
    MediationCase,
    MediationCommittee,
    Performance,
    PerformanceStatus,
)
from desktop.services.reports.periods import Scope

#: (dispute type code, source, committee kind)
Key = tuple[str, str, str]
CENT = decimal.Decimal("0.01")
NO_KIND = "未注明"


def case_community() -> Any:
    return func.coalesce(MediationCase.community_id, MediationCommittee.community_id)


def _cases(scope: Scope, *columns: Any) -> Any:
    q = (
        select(MediationCase.dispute_type, MediationCase.source, MediationCommittee.kind, *columns)
        .join(MediationCommittee, MediationCommittee.id == MediationCase.committee_id)
        .where(MediationCase.retired_on.is_(None))
    )
    return scope.where(q, case_community())


def _grouped(q: Any) -> Any:
    return q.group_by(MediationCase.dispute_type, MediationCase.source, MediationCommittee.kind)


def _counter(rows: Any) -> Counter[Key]:
    out: Counter[Key] = Counter()
    for dtype, source, kind, n, *_rest in rows:
        out[(dtype, source, kind or NO_KIND)] += int(n or 0)
    return out


def _money(value: object) -> decimal.Decimal:
    if value is None:
        return decimal.Decimal(0)
    return decimal.Decimal(str(value)).quantize(CENT)


@dataclass
class Tally:
    """The mediation measures of one period, each a Counter keyed by (type, source, committee kind)."""

    start: dt.date
    end: dt.date
    received: Counter[Key] = field(default_factory=Counter)
    concluded: Counter[Key] = field(default_factory=Counter)
    settled: Counter[Key] = field(default_factory=Counter)
    performed: Counter[Key] = field(default_factory=Counter)
    confirmed: Counter[Key] = field(default_factory=Counter)
    amount: dict[Key, decimal.Decimal] = field(default_factory=dict)
    written: int = 0  # settled with a written agreement (书面协议)
    oral: int = 0  # settled with an oral agreement (口头协议)
    pending: int = 0  # received by the period's end and without an outcome at its end (期末在调)

    def total(self, measure: str) -> Any:
        if measure == "amount":
            return sum(self.amount.values(), decimal.Decimal(0)).quantize(CENT)
        counter: Counter[Key] = getattr(self, measure)
        return sum(counter.values())

    def by(self, measure: str, axis: int) -> dict[str, Any]:
        """The measure summed by one key part: 0 = dispute type, 1 = source, 2 = committee kind."""
        out: dict[str, Any] = {}
        items = self.amount.items() if measure == "amount" else getattr(self, measure).items()
        for key, n in items:
            out[key[axis]] = out.get(key[axis], 0) + n
        return out

    @property
    def success_rate(self) -> float | None:
        concluded = self.total("concluded")
        return None if not concluded else self.total("settled") / concluded


def first_performed() -> Any:
    """case_id → the date of its first 已履行 record."""
    return (
        select(Performance.case_id.label("case_id"), func.min(Performance.on_date).label("done_on"))
        .where(Performance.status == PerformanceStatus.PERFORMED)
        .group_by(Performance.case_id)
        .subquery()
    )


def first_confirmed() -> Any:
    """case_id → the date of the first ruling that its agreement is valid."""
    return (
        select(
            JudicialConfirmation.case_id.label("case_id"),
            func.min(JudicialConfirmation.ruling_on).label("ruled_on"),
        )
        .where(
            JudicialConfirmation.retired_on.is_(None),
            JudicialConfirmation.ruling == Ruling.VALID,
            JudicialConfirmation.ruling_on.is_not(None),
        )
        .group_by(JudicialConfirmation.case_id)
        .subquery()
    )


def agreed_amounts() -> Any:
    """case_id → the sum of its agreement terms' amounts (协议涉及金额), for cases whose terms carry any."""
    return (
        select(Agreement.case_id.label("case_id"), func.sum(AgreementTerm.amount).label("amount"))
        .join(AgreementTerm, AgreementTerm.agreement_id == Agreement.id)
        .where(AgreementTerm.amount.is_not(None))
        .group_by(Agreement.case_id)
        .subquery()
    )


def tally(s: Session, scope: Scope, start: dt.date, end: dt.date) -> Tally:
    t = Tally(start, end)
    n = func.count(MediationCase.id)
    t.received = _counter(
        s.execute(_grouped(_cases(scope, n).where(MediationCase.accepted_on.between(start, end))))
    )
    in_period = MediationCase.outcome_on.between(start, end)
    t.concluded = _counter(
        s.execute(_grouped(_cases(scope, n).where(MediationCase.outcome.is_not(None), in_period)))
    )
    agreed = agreed_amounts()
    settled_rows = s.execute(
        _grouped(
            _cases(scope, n, func.sum(agreed.c.amount))
            .outerjoin(agreed, agreed.c.case_id == MediationCase.id)
            .where(MediationCase.outcome == CaseOutcome.SUCCESS, in_period)
        )
    ).all()
    t.settled = _counter(settled_rows)
    for dtype, source, kind, _n, amount in settled_rows:
        key = (dtype, source, kind or NO_KIND)
        t.amount[key] = t.amount.get(key, decimal.Decimal(0)) + _money(amount)
    perf = first_performed()
    t.performed = _counter(
        s.execute(
            _grouped(
                _cases(scope, n)
                .join(perf, perf.c.case_id == MediationCase.id)
                .where(perf.c.done_on.between(start, end))
            )
        )
    )
    conf = first_confirmed()
    t.confirmed = _counter(
        s.execute(
            _grouped(
                _cases(scope, n)
                .join(conf, conf.c.case_id == MediationCase.id)
                .where(conf.c.ruled_on.between(start, end))
            )
        )
    )
    forms = s.execute(
        _cases(scope, Agreement.oral, n)
        .join(Agreement, Agreement.case_id == MediationCase.id)
        .where(MediationCase.outcome == CaseOutcome.SUCCESS, in_period)
        .group_by(Agreement.oral)
        .with_only_columns(Agreement.oral, n)
    ).all()
    for oral, count in forms:
        if oral:
            t.oral += int(count)
        else:
            t.written += int(count)
    t.pending = int(
        s.scalar(
            _cases(scope, n)
            .with_only_columns(n)
            .where(
                MediationCase.accepted_on <= end,
                or_(
                    MediationCase.outcome.is_(None),
                    and_(MediationCase.outcome_on.is_not(None), MediationCase.outcome_on > end),
                ),
            )
        )
        or 0
    )
    return t


def received_by_month(
    s: Session, scope: Scope, start: dt.date, end: dt.date
) -> tuple[Counter[str], Counter[str]]:
    """Cases received and settled per month (YYYY-MM) between ``start`` and ``end`` (the trend chart)."""
    received: Counter[str] = Counter()
    settled: Counter[str] = Counter()
    base = _cases(scope).with_only_columns(
        MediationCase.accepted_on, MediationCase.outcome, MediationCase.outcome_on
    )
    for accepted_on, outcome, outcome_on in s.execute(
        base.where(
            or_(
                MediationCase.accepted_on.between(start, end),
                and_(
                    MediationCase.outcome == CaseOutcome.SUCCESS, MediationCase.outcome_on.between(start, end)
                ),
            )
        )
    ):
        if start <= accepted_on <= end:
            received[f"{accepted_on:%Y-%m}"] += 1
        if outcome == CaseOutcome.SUCCESS and outcome_on is not None and start <= outcome_on <= end:
            settled[f"{outcome_on:%Y-%m}"] += 1
    return received, settled
