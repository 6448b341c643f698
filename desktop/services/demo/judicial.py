"""演示数据 for 司法确认: tracks in every state, some near or past their deadline, and court referrals.

Runs inside ``shequ demo``'s transaction after the mediation demo, on its cases: every written, effective
agreement is a candidate. A fixed list of scenarios (deadline in 2 days, in 7 days, passed; filed and the
court on time or late; accepted and the ruling due or late; ruled valid — performed, not performed,
enforcement applied —; rejected with and without re-mediation; withdrawn; not accepted) takes the first
candidate whose dates fit. When the small scale has no agreement that took effect recently enough for the
near-deadline scenarios, one case's whole timeline is moved forward (same year, nothing after the demo
date) so that it does. At street scale about a third of the other agreements get a track too, with a
plausible outcome. Referrals: the REFERRAL cases that came from a court, plus a handful still open.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, JudicialConfirmation, JudicialMaterial
from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseParty,
    FollowUp,
    Investigation,
    MediationCase,
    MediationCommittee,
    MediationSession,
    Performance,
)
from db.schema.settings import Setting
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial import rules
from desktop.services.judicial.common import SETTINGS_KEY, load_calendar

COURT = "嘉峪关市城区人民法院"
COURT_CODE = "甘0202"  # demo code used in the case numbers
D = dt.timedelta


@dataclass
class JudicialDemo:
    tracks: int = 0
    referrals: int = 0
    rows: int = 0
    seconds: float = 0.0


@dataclass
class _Cand:
    case_id: int
    case_no: str
    committee_id: int
    agreement_id: int
    agreement_no: str
    effective_on: dt.date
    deadline: dt.date
    source: str
    stage: str
    parties: list[tuple[int, str, bool, bool]]  # seq, name, is_person, has_agent
    dues: list[dt.date]


# (name, predicate on (effective_on, deadline, as_of) → bool)
# every state first, then the variants (the small scale has few recent agreements)
_SCENARIOS: list[tuple[str, Any]] = [
    ("deadline_2", lambda e, d, t: 0 <= (d - t).days <= 3),
    ("deadline_passed", lambda e, d, t: -40 <= (d - t).days < 0),
    ("filed_late", lambda e, d, t: -60 <= (d - t).days <= -10),  # filed after the deadline: with a reason
    ("accepted_late", lambda e, d, t: e <= t - D(30) and e >= t - D(200)),
    ("valid_not_performed", lambda e, d, t: e <= t - D(60)),
    ("rejected_open", lambda e, d, t: e <= t - D(25) and e >= t - D(120)),
    ("withdrawn", lambda e, d, t: e <= t - D(20)),
    ("not_accepted", lambda e, d, t: e <= t - D(40)),
    ("deadline_7", lambda e, d, t: 4 <= (d - t).days <= 10),
    ("filed_waiting", lambda e, d, t: t - D(25) <= e <= t - D(1)),  # filed yesterday, within the 30 days
    ("accepted_waiting", lambda e, d, t: t - D(25) <= e <= t - D(6)),
    ("valid_performed", lambda e, d, t: e <= t - D(40)),
    ("valid_enforced", lambda e, d, t: e <= t - D(90)),
    ("rejected_followed", lambda e, d, t: e <= t - D(60)),
    ("preparing", lambda e, d, t: (d - t).days > 10),
]
# days before the demo date a shifted agreement takes effect, for the scenarios that need recent dates
_SHIFT_TARGETS = {"deadline_2": 28, "deadline_7": 23, "deadline_passed": 33, "filed_waiting": 9, "filed_late": 50,
                  "accepted_waiting": 12, "preparing": 4}  # fmt: skip


def _candidates(s: Session, cal: dl.HolidayCalendar) -> list[_Cand]:
    rows = s.execute(
        select(
            MediationCase.id,
            MediationCase.case_no,
            MediationCase.committee_id,
            Agreement.id,
            Agreement.agreement_no,
            Agreement.effective_on,
            MediationCase.source,
            MediationCase.stage,
            Agreement.performance_deadline,
        )
        .join(Agreement, Agreement.case_id == MediationCase.id)
        .where(
            MediationCase.retired_on.is_(None),
            Agreement.oral.is_(False),
            Agreement.effective_on.is_not(None),
        )
        .order_by(Agreement.effective_on.desc(), MediationCase.id)
    ).all()
    parties: dict[int, list[tuple[int, str, bool, bool]]] = {}
    for cid, seq, name, kind, agent in s.execute(
        select(CaseParty.case_id, CaseParty.seq, CaseParty.name, CaseParty.kind, CaseParty.agent).order_by(
            CaseParty.case_id, CaseParty.seq
        )
    ):
        parties.setdefault(cid, []).append((seq, name, kind == "PERSON", bool(agent)))
    dues: dict[int, list[dt.date]] = {}
    for aid, due in s.execute(select(AgreementTerm.agreement_id, AgreementTerm.due_on)):
        if due:
            dues.setdefault(aid, []).append(due)
    out = []
    for cid, no, committee, aid, ano, eff, source, stage, pdl in rows:
        if eff is None or len(parties.get(cid, [])) < 2:
            continue
        out.append(
            _Cand(cid, no, committee, aid, ano, eff, dl.confirmation_deadline(eff, cal).day, source, stage,
                  parties[cid], [*dues.get(aid, []), *([pdl] if pdl else [])])
        )  # fmt: skip
    return out


def _shift_case(s: Session, c: _Cand, days: int, as_of: dt.date, cal: dl.HolidayCalendar) -> bool:
    """Move a case's whole timeline by ``days``, if it stays in its year and not after ``as_of``."""
    case = s.get(MediationCase, c.case_id)
    if case is None or days == 0:
        return False
    past = [case.accepted_on, case.rights_notified_on, case.outcome_on, case.closed_on, case.archived_on]
    past += list(s.scalars(select(Investigation.held_on).where(Investigation.case_id == c.case_id)))
    past += [
        t.date()
        for t in s.scalars(select(MediationSession.held_at).where(MediationSession.case_id == c.case_id))
    ]
    past += list(s.scalars(select(Performance.on_date).where(Performance.case_id == c.case_id)))
    past += list(s.scalars(select(FollowUp.visited_on).where(FollowUp.case_id == c.case_id)))
    known = [d for d in past if d is not None]
    if (
        not known
        or max(known) + D(days) > as_of
        or (case.accepted_on + D(days)).year != case.accepted_on.year
    ):
        return False
    delta = D(days)

    sqlite = s.get_bind().dialect.name == "sqlite"

    def shift(col: Any) -> Any:
        """``col`` + ``days`` in SQL (NULL stays NULL)."""
        return sa.func.date(col, f"{days:+d} days") if sqlite else col + days

    s.execute(update(MediationCase).where(MediationCase.id == c.case_id).values(
        accepted_on=shift(MediationCase.accepted_on), rights_notified_on=shift(MediationCase.rights_notified_on),
        extended_until=shift(MediationCase.extended_until), outcome_on=shift(MediationCase.outcome_on),
        closed_on=shift(MediationCase.closed_on), archived_on=shift(MediationCase.archived_on)))  # fmt: skip
    s.execute(
        update(Investigation)
        .where(Investigation.case_id == c.case_id)
        .values(held_on=shift(Investigation.held_on))
    )
    for sess in s.scalars(select(MediationSession).where(MediationSession.case_id == c.case_id)):
        sess.held_at = sess.held_at + delta
    s.execute(update(Agreement).where(Agreement.id == c.agreement_id).values(
        made_on=shift(Agreement.made_on), effective_on=shift(Agreement.effective_on),
        performance_deadline=shift(Agreement.performance_deadline)))  # fmt: skip
    s.execute(
        update(AgreementTerm)
        .where(AgreementTerm.agreement_id == c.agreement_id)
        .values(due_on=shift(AgreementTerm.due_on))
    )
    s.execute(
        update(Performance).where(Performance.case_id == c.case_id).values(on_date=shift(Performance.on_date))
    )
    s.execute(update(FollowUp).where(FollowUp.case_id == c.case_id).values(
        due_on=shift(FollowUp.due_on), visited_on=shift(FollowUp.visited_on)))  # fmt: skip
    s.flush()
    s.expire_all()
    c.effective_on += delta
    c.deadline = dl.confirmation_deadline(c.effective_on, cal).day
    c.dues = [d + delta for d in c.dues]
    return True


def _track(c: _Cand, cal: dl.HolidayCalendar, court: str, referral_id: int | None) -> JudicialConfirmation:
    t = JudicialConfirmation(
        case_id=c.case_id,
        agreement_id=c.agreement_id,
        agreement_no=c.agreement_no,
        effective_on=c.effective_on,
        deadline=c.deadline,
        subject="ORDINARY",
        court_suggested=court,
        court_basis=rules.suggest_court(court if referral_id else None, COURT).basis[:200],
        court=court,
        referral_id=referral_id,
        agent_applies=any(p[3] for p in c.parties),
        state="PREPARING",
        ruling_extended=False,
    )
    briefs = [rules.PartyBrief(seq, name, person, agent) for seq, name, person, agent in c.parties]
    for i, m in enumerate(rules.materials_for(briefs, t.agent_applies, False)):
        t.materials.append(JudicialMaterial(seq=i + 1, code=m.code, label=m.label, required=m.required))
    return t


def _receive(t: JudicialConfirmation, on: dt.date, rng: random.Random, share: float = 1.0) -> None:
    for m in t.materials:
        if m.required and rng.random() < share:
            m.received, m.received_on = True, on


def _apply(
    name: str, t: JudicialConfirmation, c: _Cand, as_of: dt.date, cal: dl.HolidayCalendar, rng: random.Random,
    serial: list[int],
) -> None:  # fmt: skip
    e = c.effective_on
    latest = min(c.deadline, as_of)
    late = name.startswith("late_")  # filed after the 30 days, with the reason recorded
    name = name.removeprefix("late_")

    def number(on: dt.date, referral: bool) -> str:
        """A provisional number; ``_number_court_cases`` renumbers them in order of acceptance."""
        serial[0] += 1
        return f"（{on.year}）{COURT_CODE}{'诉前调确' if referral else '民特'}{serial[0]}号"

    def file(on: dt.date) -> None:
        _receive(t, on - D(1) if on > e else on, rng)
        t.filed_on, t.state = on, "FILED"
        if on > c.deadline:
            t.late_reason = rng.choice(
                [
                    "当事人外出务工，返回后方能共同申请",
                    "当事人住院治疗，出院后申请",
                    "被申请人在外地照顾病重亲属，无法按期共同到场申请",
                    "当事人对是否申请司法确认意见不一，经调解员再次沟通后方共同申请",
                ]
            )
            t.late_recorded_by = "演示数据"

    def accept(on: dt.date) -> None:
        t.accepted_on, t.court_case_no, t.state = on, number(on, t.referral_id is not None), "ACCEPTED"
        t.judge = rng.choice(["王法官", "李法官", "赵法官", "陈法官"])

    def rule(on: dt.date, ruling: str) -> None:
        t.ruling_on, t.ruling, t.state = on, ruling, ruling
        if ruling == "VALID":
            t.enforcement_from = dl.enforcement_from(on, c.dues)
            t.enforcement_limit = dl.enforcement_limit(t.enforcement_from, cal).day
        else:
            t.rejection_reason = rng.choice(
                [
                    "调解协议内容不明确，无法执行",
                    "调解协议部分内容超出当事人处分范围",
                    "当事人对协议内容有异议",
                ]
            )

    def filed_normal() -> dt.date:
        if late:
            return min(c.deadline + D(rng.randint(2, 25)), as_of)
        return min(e + D(rng.randint(3, 12)), latest)

    if name.startswith("deadline_") or name == "preparing":
        _receive(t, min(e + D(3), as_of), rng, share=0.5)
    elif name == "filed_waiting":
        file(max(e, as_of - D(1)))
    elif name == "filed_late":
        file(min(c.deadline + D(rng.randint(2, 8)), as_of))
    elif name == "accepted_waiting":
        on = max(e, as_of - D(6))
        file(on)
        accept(on + D(1))
    elif name == "accepted_late":
        on = filed_normal()
        file(on)
        accept(dl.acceptance_due(on, cal).day)
    elif name.startswith("valid_") or name.startswith("rejected_") or name == "not_accepted":
        on = filed_normal()
        file(on)
        if name == "not_accepted":
            t.state, t.closed_reason = "NOT_ACCEPTED", (
                "申请超过调解协议生效之日起三十日的法定期限，本院不予受理，已告知当事人可就协议履行向人民法院提起诉讼"
                if t.filed_on and t.filed_on > c.deadline
                else "不属于本院管辖，已告知向标的物所在地基层人民法院申请"
            )
            return
        acc = dl.acceptance_due(on, cal).day
        accept(acc)
        ruled = max(min(dl.ruling_due(acc, False, cal).day - D(rng.randint(0, 6)), as_of), acc)
        rule(ruled, "REJECTED" if name.startswith("rejected_") else "VALID")
        if name == "rejected_followed":
            t.rejection_follow_up = "已组织双方重新调解，变更原协议"
        elif name == "valid_performed":
            t.performance, t.performance_on = "PERFORMED", min(max(c.dues or [ruled]), as_of)
        elif name == "valid_not_performed":
            t.performance, t.performance_on = "NOT_PERFORMED", min(ruled + D(45), as_of)
            t.performance_note = "被申请人未按期支付，经回访催告仍未履行"
        elif name == "valid_enforced":
            t.performance, t.performance_on = "PARTIAL", min(ruled + D(40), as_of)
            applied = min(ruled + D(60), as_of)
            t.enforcement_applied_on = applied
            t.enforcement_case_no = f"（{applied.year}）{COURT_CODE}执{serial[0]}号"
    elif name == "withdrawn":
        if late:
            file(filed_normal())
            t.state, t.closed_reason = "WITHDRAWN", "经法院释明申请已超过法定期限，当事人撤回申请"
            return
        t.state, t.closed_reason = "WITHDRAWN", "协议已当场履行完毕，双方决定不再申请司法确认"


def _referrals(
    s: Session, rng: random.Random, as_of: dt.date, cal: dl.HolidayCalendar, out: JudicialDemo
) -> dict[int, int]:
    """Referrals for the court-referred cases (case id → referral id), plus open ones without a case yet."""
    linked: dict[int, int] = {}
    refs = s.execute(
        select(MediationCase.id, MediationCase.accepted_on, MediationCase.outcome, MediationCase.outcome_on,
               MediationCase.committee_id)
        .where(MediationCase.source == "REFERRAL", MediationCase.referred_by.like("%法院%"),
               MediationCase.retired_on.is_(None))
        .order_by(MediationCase.accepted_on)
    ).all()  # fmt: skip
    n = 0

    def add(**kw: Any) -> CourtReferral:
        nonlocal n
        n += 1
        received = kw["received_on"]
        kw.setdefault("referred_on", received - D(rng.randint(0, 3)))
        kw.setdefault("judge", rng.choice(["王法官", "李法官", "赵法官"]))
        kw.setdefault("judge_phone", f"0937-62{rng.randint(10000, 99999)}")
        r = CourtReferral(court=COURT, referral_no=f"（{received.year}）{COURT_CODE}民诉前调{1000 + n}号",
                          deadline=dl.referral_deadline(received, kw.get("extension_days", 0), cal).day, **kw)  # fmt: skip
        s.add(r)
        out.referrals += 1
        return r

    for cid, accepted, outcome, outcome_on, committee in refs:
        result = {"SUCCESS": "SUCCESS", "FAILED": "FAILED", "TERMINATED": "TERMINATED"}.get(outcome or "")
        done = result is not None and outcome_on is not None
        back = min(outcome_on + D(rng.randint(1, 5)), as_of) if outcome_on is not None else None
        r = add(case_id=cid, committee_id=committee, received_on=accepted, result=result if done else None,
                result_on=outcome_on if done else None,
                reported_back_on=back if done and rng.random() < 0.8 else None)  # fmt: skip
        s.flush()
        linked[cid] = r.id
    extras = [
        dict(received_on=as_of - D(27), parties="马建军、周丽", matter="民间借贷纠纷"),
        dict(received_on=as_of - D(20), parties="刘海、某装饰工程有限公司", matter="装饰装修合同纠纷"),
        dict(received_on=as_of - D(34), parties="孙桂兰、何志勇", matter="相邻关系纠纷"),
        dict(received_on=as_of - D(45), parties="杨帆、某物业服务有限公司", matter="物业服务合同纠纷", extension_days=20,
             extension_approved_on=as_of - D(16), extension_note="经双方当事人申请，承办法官批准延长二十日"),
        dict(received_on=as_of - D(9), parties="高明、林晓燕", matter="买卖合同纠纷"),
    ]  # fmt: skip
    committees = list(s.scalars(select(MediationCommittee.id).order_by(MediationCommittee.id)))
    for i, kw in enumerate(extras):  # received by the committees in turn (not yet a case)
        add(committee_id=committees[i % len(committees)] if committees else None, **kw)
    s.flush()
    return linked


#: about how many cases of each kind the court registers a day (the demo's tracks are a few of them)
_DAILY = {"民特": 1.3, "诉前调确": 0.6, "执": 9.0, "民诉前调": 3.0}


def _serials(days: list[tuple[dt.date, Any]], kind: str, rng: random.Random) -> dict[Any, int]:
    """Court numbers for ``(day, key)`` pairs: per year, rising with the day (other cases in between)."""
    out: dict[Any, int] = {}
    last: dict[int, int] = {}
    for day, key in sorted(days, key=lambda x: (x[0], str(x[1]))):
        base = int(day.timetuple().tm_yday * _DAILY[kind]) + rng.randint(1, 3)
        last[day.year] = max(last.get(day.year, 0) + 1, base)
        out[key] = last[day.year]
    return out


def _number_court_cases(tracks: list[JudicialConfirmation], s: Session, rng: random.Random) -> None:
    """Number the court's cases as a court does: （2026）甘0202民特N号 with N rising through the year in order
    of acceptance (likewise 诉前调确, the 执 numbers and the 委派 numbers by the day received)."""
    for kind, referral in (("民特", False), ("诉前调确", True)):
        mine = [t for t in tracks if t.accepted_on and t.court_case_no and (t.referral_id is not None) == referral]
        nos = _serials([(t.accepted_on, i) for i, t in enumerate(mine) if t.accepted_on], kind, rng)
        for i, t in enumerate(mine):
            if t.accepted_on:
                t.court_case_no = f"（{t.accepted_on.year}）{COURT_CODE}{kind}{nos[i]}号"
    run = [t for t in tracks if t.enforcement_applied_on and t.enforcement_case_no]
    nos = _serials([(t.enforcement_applied_on, i) for i, t in enumerate(run) if t.enforcement_applied_on], "执", rng)
    for i, t in enumerate(run):
        if t.enforcement_applied_on:
            t.enforcement_case_no = f"（{t.enforcement_applied_on.year}）{COURT_CODE}执{nos[i]}号"
    refs = list(s.scalars(select(CourtReferral).order_by(CourtReferral.id)))
    nos = _serials([(r.received_on, r.id) for r in refs], "民诉前调", rng)
    for r in refs:  # two passes: the unique index must not see a number twice on the way
        r.referral_no = f"#{r.id}"
    s.flush()
    for r in refs:
        r.referral_no = f"（{r.received_on.year}）{COURT_CODE}民诉前调{nos[r.id]}号"


def generate(s: Session, scale: str, rng: random.Random, as_of: dt.date) -> JudicialDemo:
    """Add the demo's court setting, confirmation tracks and referrals inside the caller's transaction."""
    started = time.perf_counter()
    out = JudicialDemo()
    if s.get(Setting, SETTINGS_KEY) is None:
        s.add(
            Setting(
                key=SETTINGS_KEY,
                value=json.dumps({"by_committee": {}, "default_court": COURT}, ensure_ascii=False),
            )
        )
    cal = load_calendar(s)
    cands = _candidates(s, cal)
    if not s.scalar(select(MediationCommittee.id).limit(1)):
        return out
    linked = _referrals(s, rng, as_of, cal, out)
    used: set[int] = set()
    serial = [100]
    plan: list[tuple[str, _Cand]] = []
    for name, fits in _SCENARIOS:
        c = next(
            (c for c in cands if c.case_id not in used and fits(c.effective_on, c.deadline, as_of)), None
        )
        if c is None and name in _SHIFT_TARGETS:
            target = as_of - D(_SHIFT_TARGETS[name])
            for other in sorted(cands, key=lambda x: abs((x.effective_on - target).days)):
                if other.case_id in used:
                    continue
                if _shift_case(s, other, (target - other.effective_on).days, as_of, cal) and fits(
                    other.effective_on, other.deadline, as_of
                ):
                    c = other
                    break
        if c is not None:
            used.add(c.case_id)
            plan.append((name, c))
    if scale == "street":  # about a third of the other written agreements were confirmed too
        for c in cands:
            if c.case_id in used or rng.random() > 0.33:
                continue
            used.add(c.case_id)
            left = (c.deadline - as_of).days
            if left > 10:
                name = rng.choice(["preparing", "filed_waiting"]) if c.effective_on < as_of else "preparing"
            elif left >= 0:
                name = "preparing"
            else:
                name = rng.choices(["valid_performed", "valid_not_performed", "rejected_followed", "withdrawn",
                                    "late_not_accepted", "late_withdrawn"], [70, 12, 6, 12, 3, 1])[0]  # fmt: skip
            plan.append((name, c))
    tracks: list[tuple[str, JudicialConfirmation]] = []
    linked_tracks: list[tuple[JudicialConfirmation, int]] = []
    for name, c in plan:
        ref = linked.get(c.case_id)
        t = _track(c, cal, COURT, ref)
        _apply(name, t, c, as_of, cal, rng, serial)
        s.add(t)
        tracks.append((name, t))
        if ref is not None:
            linked_tracks.append((t, ref))
        out.tracks += 1
        out.rows += 1 + len(t.materials)
    _number_court_cases([t for _n, t in tracks], s, rng)
    for t, ref in linked_tracks:
        r = s.get(CourtReferral, ref)
        if r is not None and t.court_case_no:
            r.confirmation_no = t.court_case_no
    s.flush()
    out.rows += out.referrals
    out.seconds = time.perf_counter() - started
    return out
