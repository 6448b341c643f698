"""党费: the rate table (data), each member's monthly amount, payments, paid-through month and arrears.

Payments are append-only: a mistaken payment is reversed by a CORRECTION row for the same month. A
month counts as paid when it has more REGULAR rows than CORRECTION rows. Arrears are counted from the
later of the member's first dues month (起缴月份, else the 入党日期's month) and the month the book
starts (setting ``party.dues_tracking_start``; by default the earliest payment recorded), up to last month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.party import DuesPayment, DuesRateBand, MembershipStatus, PartyMember, PartyOrg
from desktop.core.errors import ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.audit import snapshot
from desktop.services.common import get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    DUES_CATEGORY_LABELS,
    MEMBER_STAGES,
    label_of,
    month_of,
    parse_month,
    shift_month,
    yuan,
)
from desktop.services.party.members import dues_start
from desktop.services.party.orgs import subtree_ids
from desktop.services.residents.common import clean_free_text
from desktop.services.settings import load_setting, store_setting

TRACKING_SETTING = "party.dues_tracking_start"
REGULAR, EXTRA, CORRECTION = "REGULAR", "EXTRA", "CORRECTION"
LARGE_EXTRA_FEN = 100_000  # 一次性交纳 1000 元以上的特殊党费全部上缴中央
MAX_AHEAD_MONTHS = 12


@dataclass(frozen=True)
class BandRow:
    id: int
    category: str
    category_label: str
    band: rules.DuesBand
    notes: str | None
    version: int


@dataclass(frozen=True)
class DuesStatus:
    member_id: int
    name: str
    org_id: int
    org_name: str
    category: str
    category_label: str
    base_fen: int | None
    monthly_fen: int | None
    explanation: str
    start_month: str | None
    paid_through: str | None
    owed: tuple[str, ...]
    owed_fen: int | None
    lapse_months: int  # longest run of consecutive unpaid months
    is_mobile: bool

    @property
    def owed_text(self) -> str:
        if not self.owed:
            return ""
        if len(self.owed) == 1:
            return self.owed[0]
        return f"{self.owed[0]} 至 {self.owed[-1]}（{len(self.owed)} 个月）"

    @property
    def note(self) -> str:
        notes = []
        if self.lapse_months >= rules.DUES_LAPSE_MONTHS:
            notes.append(f"连续 {self.lapse_months} 个月未交纳")
        if self.is_mobile:
            notes.append("流动党员（可按季度交纳）")
        if self.monthly_fen is None:
            notes.append(self.explanation)
        return "；".join(notes)


@dataclass(frozen=True)
class PaymentRow:
    id: int
    month: str
    kind: str
    base_fen: int | None
    amount_fen: int
    paid_on: dt.date
    receipt_no: str | None
    notes: str | None
    user: str


# ---------------------------------------------------------------- the table


def load_bands(s: Session) -> list[DuesRateBand]:
    return list(
        s.scalars(
            select(DuesRateBand).order_by(
                DuesRateBand.category, DuesRateBand.effective_from, DuesRateBand.lower_fen
            )
        )
    )


def to_band(b: DuesRateBand) -> rules.DuesBand:
    return rules.DuesBand(b.category, b.lower_fen, b.upper_fen, b.rate_bp, b.fixed_fen, b.effective_from)


def list_bands(ctx: ServiceContext) -> list[BandRow]:
    require(ctx, PARTY)
    with ctx.read() as s:
        return [
            BandRow(
                b.id, b.category, label_of(DUES_CATEGORY_LABELS, b.category), to_band(b), b.notes, b.version
            )
            for b in load_bands(s)
        ]


def tracking_start(ctx: ServiceContext, today: dt.date | None = None) -> str:
    """The first month the dues book covers (setting, else the earliest payment, else this month)."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        return _tracking_start(s, today)


def _tracking_start(s: Session, today: dt.date) -> str:
    stored = load_setting(s, TRACKING_SETTING, None, _a_month)
    if stored:
        return stored
    earliest = s.scalar(select(func.min(DuesPayment.month)).where(DuesPayment.kind == REGULAR))
    return earliest or month_of(today)


def _a_month(value: Any) -> str:
    parse_month(value)
    return str(value)


def set_tracking_start(ctx: ServiceContext, month: str) -> None:
    """The dues book's first month, for the whole street: not an account limited to a community's."""
    parse_month(month)
    with ctx.write() as uow:
        scope.check_street_wide(uow.session, "党费台账起始月份")
        store_setting(uow, TRACKING_SETTING, month, f"党费台账起始月份：{month}")


# ---------------------------------------------------------------- one member


def quote_for(
    m: PartyMember, bands: list[rules.DuesBand], month: str, s: Session | None = None
) -> rules.DuesQuote:
    """The dues for ``month``: the member's base applies from ``dues_base_from``; before that, the base of
    the latest earlier payment (when pay changes, the new amount applies from the month it starts)."""
    base = m.dues_base_fen
    if s is not None and m.dues_base_from and month < m.dues_base_from:
        older = s.scalar(
            select(DuesPayment.base_fen)
            .where(
                DuesPayment.member_id == m.id,
                DuesPayment.kind == REGULAR,
                DuesPayment.month < m.dues_base_from,
            )
            .order_by(DuesPayment.month.desc())
            .limit(1)
        )
        base = older if older is not None else base
    year, mon = parse_month(month)
    return rules.monthly_dues(m.dues_category, base, bands, dt.date(year, mon, 1), m.dues_reduced_fen)


def _paid_months(s: Session, member_ids: list[int] | None, since: str) -> dict[int, set[str]]:
    q = (
        select(DuesPayment.member_id, DuesPayment.month, DuesPayment.kind, func.count())
        .where(DuesPayment.kind.in_([REGULAR, CORRECTION]), DuesPayment.month >= since)
        .group_by(DuesPayment.member_id, DuesPayment.month, DuesPayment.kind)
    )
    if member_ids is not None:
        q = q.where(DuesPayment.member_id.in_(member_ids))
    net: dict[tuple[int, str], int] = defaultdict(int)
    for mid, month, kind, n in s.execute(q):
        net[(mid, month)] += n if kind == REGULAR else -n
    out: dict[int, set[str]] = defaultdict(set)
    for (mid, month), n in net.items():
        if n > 0:
            out[mid].add(month)
    return out


def _status(
    m: PartyMember,
    org_name: str,
    bands: list[rules.DuesBand],
    paid: set[str],
    book_start: str,
    today: dt.date,
) -> DuesStatus:
    this_month = month_of(today)
    quote = quote_for(m, bands, this_month)
    first = dues_start(m)
    start = max(first, book_start) if first else None
    owed = tuple(rules.owed_months(start, paid, today)) if start and quote.amount_fen != 0 else ()
    through = rules.paid_through(start, paid) if start else None
    return DuesStatus(
        member_id=m.id,
        name=m.name,
        org_id=m.org_id,
        org_name=org_name,
        category=m.dues_category,
        category_label=label_of(DUES_CATEGORY_LABELS, m.dues_category),
        base_fen=m.dues_base_fen,
        monthly_fen=quote.amount_fen,
        explanation=quote.explanation,
        start_month=start,
        paid_through=through,
        owed=owed,
        owed_fen=None if quote.amount_fen is None else quote.amount_fen * len(owed),
        lapse_months=rules.longest_unpaid_run(owed),
        is_mobile=m.is_mobile,
    )


def member_dues(ctx: ServiceContext, member_id: int, today: dt.date | None = None) -> DuesStatus:
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        m = get_or_raise(s, PartyMember, member_id, "党员")
        scope.check_member(s, m)
        bands = [to_band(b) for b in load_bands(s)]
        book = _tracking_start(s, today)
        paid = _paid_months(s, [m.id], book).get(m.id, set())
        org = s.get(PartyOrg, m.org_id)
        return _status(m, org.name if org else "", bands, paid, book, today)


def dues_overview(
    ctx: ServiceContext, org_id: int | None = None, today: dt.date | None = None, arrears_only: bool = True
) -> list[DuesStatus]:
    """Every paying member (预备/正式党员 in the roll) with amount, paid-through month and months owed;
    ``arrears_only`` keeps those who owe something (most months owed first)."""
    require(ctx, PARTY)
    today = today or ctx.today()
    with ctx.read() as s:
        scope.check_org_id(s, org_id)
        q = select(PartyMember).where(
            PartyMember.status == MembershipStatus.ACTIVE,
            PartyMember.stage.in_(list(MEMBER_STAGES)),
            scope.member_condition(s),
        )
        if org_id is not None:
            q = q.where(PartyMember.org_id.in_(subtree_ids(s, org_id)))
        members = list(s.scalars(q))
        bands = [to_band(b) for b in load_bands(s)]
        book = _tracking_start(s, today)
        paid = _paid_months(s, None, book)
        orgs = {k: v for k, v in s.execute(select(PartyOrg.id, PartyOrg.name))}
    rows = [_status(m, orgs.get(m.org_id, ""), bands, paid.get(m.id, set()), book, today) for m in members]
    if arrears_only:
        rows = [r for r in rows if r.owed]
        rows.sort(key=lambda r: (-len(r.owed), r.org_name, r.name))
    return rows


def payments_of(ctx: ServiceContext, member_id: int) -> list[PaymentRow]:
    require(ctx, PARTY)
    with ctx.read() as s:
        scope.check_member_id(s, member_id)
        rows = s.scalars(
            select(DuesPayment)
            .where(DuesPayment.member_id == member_id)
            .order_by(DuesPayment.month.desc(), DuesPayment.id.desc())
        )
        return [
            PaymentRow(
                p.id, p.month, p.kind, p.base_fen, p.amount_fen, p.paid_on, p.receipt_no, p.notes, p.user
            )
            for p in rows
        ]


# ---------------------------------------------------------------- paying


def record_payments(
    ctx: ServiceContext,
    member_id: int,
    months: list[str],
    paid_on: dt.date,
    amount_fen: int | None = None,
    receipt_no: str | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> list[int]:
    """交纳党费 for one or more months (one row per month, the amount from the bands unless given)."""
    today = today or ctx.today()
    if not months:
        raise ValidationError("请选择交纳的月份。", field="months")
    for month in months:
        parse_month(month)
    if len(set(months)) != len(months):
        raise ValidationError("月份有重复。", field="months")
    if paid_on > today:
        raise ValidationError("交纳日期不能晚于今天。", field="paid_on")
    latest = shift_month(month_of(today), MAX_AHEAD_MONTHS)
    if max(months) > latest:
        raise ValidationError(f"最多预交 {MAX_AHEAD_MONTHS} 个月（至 {latest}）。", field="months")
    if amount_fen is not None and amount_fen < 0:
        raise ValidationError("金额不能为负数。", field="amount")
    with ctx.write() as uow:
        s = uow.session
        m = get_or_raise(s, PartyMember, member_id, "党员")
        scope.check_member(s, m)
        if m.stage not in MEMBER_STAGES:
            raise ValidationError(f"{m.name}还不是党员，不交纳党费。")
        paid = _paid_months(s, [m.id], min(months)).get(m.id, set())
        already = sorted(set(months) & paid)
        if already:
            raise ValidationError(
                f"{m.name} {'、'.join(already)} 的党费已交纳，不能重复登记。", field="months"
            )
        bands = [to_band(b) for b in load_bands(s)]
        ids = []
        for month in sorted(months):
            quote = quote_for(m, bands, month, s)
            amount = amount_fen if amount_fen is not None else quote.amount_fen
            if amount is None:
                raise ValidationError(
                    f"无法计算 {month} 的党费（{quote.explanation}），请填写金额。", field="amount"
                )
            p = DuesPayment(
                member_id=m.id,
                month=month,
                kind=REGULAR,
                base_fen=m.dues_base_fen if quote.band is not None and quote.band.rate_bp else None,
                amount_fen=amount,
                paid_on=paid_on,
                receipt_no=clean_text(receipt_no)[:30] or None,
                notes=clean_free_text(notes)[:200] or None,
                user=uow.actor.user,
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
        total = sum(p.amount_fen for p in s.scalars(select(DuesPayment).where(DuesPayment.id.in_(ids))))
        uow.audit(
            "dues",
            "party_member",
            m.id,
            summary=f"党员 {m.name} 交纳党费 {sorted(months)[0]}"
            + (f" 至 {sorted(months)[-1]}" if len(months) > 1 else "")
            + f"，共 {yuan(total)}",
            after={"payments": ids, "months": sorted(months), "total_fen": total},
        )
        return ids


def record_extra(
    ctx: ServiceContext,
    member_id: int,
    amount_fen: int,
    paid_on: dt.date,
    notes: str | None = None,
    today: dt.date | None = None,
) -> tuple[int, list[str]]:
    """自愿多交 / 特殊党费: unlimited; 1000 元 or more at once goes entirely to the Centre (a reminder)."""
    today = today or ctx.today()
    if amount_fen <= 0:
        raise ValidationError("金额应大于 0。", field="amount")
    if paid_on > today:
        raise ValidationError("交纳日期不能晚于今天。", field="paid_on")
    warnings = []
    if amount_fen >= LARGE_EXTRA_FEN:
        warnings.append("一次性交纳 1000 元以上的党费，全部上缴中央，请单独登记、单独上缴。")
    with ctx.write() as uow:
        m = get_or_raise(uow.session, PartyMember, member_id, "党员")
        scope.check_member(uow.session, m)
        p = DuesPayment(
            member_id=m.id, month=month_of(paid_on), kind=EXTRA, amount_fen=amount_fen, paid_on=paid_on,
            notes=clean_free_text(notes)[:200] or None, user=uow.actor.user,
        )  # fmt: skip
        uow.session.add(p)
        uow.session.flush()
        uow.audit(
            "dues",
            "party_member",
            m.id,
            summary=f"党员 {m.name} 自愿多交党费 {yuan(amount_fen)}",
            after=snapshot(p),
        )
        return p.id, warnings


def reverse_payment(ctx: ServiceContext, payment_id: int, reason: str, today: dt.date | None = None) -> int:
    """冲正 a payment recorded by mistake: a CORRECTION row of the opposite amount for the same month."""
    today = today or ctx.today()
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写冲正原因。", field="reason")
    with ctx.write() as uow:
        s = uow.session
        p = get_or_raise(s, DuesPayment, payment_id, "党费记录")
        scope.check_member_id(s, p.member_id)
        if p.kind != REGULAR:
            raise ValidationError("只能冲正按月交纳的党费记录。")
        if p.month not in _paid_months(s, [p.member_id], p.month).get(p.member_id, set()):
            raise ValidationError(f"{p.month} 的党费记录已冲正。")
        c = DuesPayment(
            member_id=p.member_id, month=p.month, kind=CORRECTION, base_fen=p.base_fen, amount_fen=-p.amount_fen,
            paid_on=today, notes=f"冲正第 {p.id} 号记录：{reason}"[:200], user=uow.actor.user,
        )  # fmt: skip
        s.add(c)
        s.flush()
        m = s.get(PartyMember, p.member_id)
        uow.audit(
            "dues",
            "party_member",
            p.member_id,
            summary=f"冲正党员 {m.name if m else ''} {p.month} 党费 {yuan(p.amount_fen)}：{reason}",
            after=snapshot(c),
        )
        return c.id
