"""演示数据 for 人民调解: a committee per community with its mediators, and two years of cases.

Street scale: about 950 cases a year (the seed documents' 宜丰 figure) for the two years before the demo
date, spread over the 18 dispute types, the three sources, every outcome and every stage: recent cases
still being mediated (a few past the 30-day limit), agreements being performed (some past their due
dates, follow-ups due), closed and archived files. Small scale: a few dozen cases.

Parties are residents of the register (name, ID, phone, address), plus some businesses. Rows are written
with Core bulk inserts inside the demo's one transaction; numbers come out exactly as the counter would
hand them (per committee and year, in order of acceptance) and the counters are set to match.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.base import Base
from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseFileItem,
    CaseNumberCounter,
    CaseParty,
    FollowUp,
    Investigation,
    MediationCase,
    MediationCommittee,
    MediationSession,
    Mediator,
    Performance,
)
from db.schema.people import Household, Resident
from db.schema.structure import Community, Grid
from desktop.services.demo.mediation_texts import (
    BUSINESSES,
    GENERIC,
    REFERRERS,
    ROUTES,
    STORIES,
    SUBTYPES,
    TITLES,
    TYPE_WEIGHTS,
)
from desktop.services.demo.people import PeopleFactory, Pick
from desktop.services.mediation.common import MediationRules
from desktop.services.mediation.lifecycle import follow_up_dates
from desktop.services.mediation.numbering import format_case_no

CASES_PER_YEAR = {"street": 950, "small": 18}


@dataclass
class MediationDemo:
    committees: int = 0
    mediators: int = 0
    cases: int = 0
    rows: int = 0
    seconds: float = 0.0


def _t(model: type[Base]) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _next_id(s: Session, model: type[Base]) -> int:
    return int(s.scalar(select(func.max(_t(model).c.id))) or 0) + 1


def generate(s: Session, scale: str, rng: random.Random, as_of: dt.date, now: dt.datetime) -> MediationDemo:
    """Add the demo's committees, mediators and cases inside the caller's transaction."""
    started = time.perf_counter()
    out = MediationDemo()
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    pf = PeopleFactory(rng, as_of)
    communities = list(s.execute(select(Community.id, Community.name).order_by(Community.id)))
    if not communities:
        return out
    grids: dict[int, list[int]] = defaultdict(list)
    for gid, cid in s.execute(select(Grid.id, Grid.community_id)):
        grids[cid].append(gid)
    # committees and mediators
    committee_ids: dict[int, int] = {}
    mediators: dict[int, list[tuple[int, str]]] = {}
    com_rows, med_rows = [], []
    next_com, next_med = _next_id(s, MediationCommittee), _next_id(s, Mediator)
    for cid, name in communities:
        committee_ids[cid] = next_com
        com_rows.append(
            {
                "id": next_com,
                "name": f"{name}人民调解委员会",
                "short_name": name,
                "seal_text": f"嘉峪关市长城区{name}人民调解委员会",
                "kind": "社区(居)调委会",
                "community_id": cid,
                "address": None,
                "phone": None,
                "retired_on": None,
                "retired_reason": None,
                **stamp,
            }
        )
        mediators[next_com] = []
        for k in range(rng.randint(3, 5)):
            person = pf.adult("女" if rng.random() < 0.55 else "男", rng.randint(35, 66))
            med_rows.append(
                {
                    "id": next_med,
                    "committee_id": next_com,
                    "name": person.name,
                    "gender": person.gender,
                    "phone": person.phone,
                    "title": TITLES[min(k, len(TITLES) - 1)],
                    "active": True,
                    **stamp,
                }
            )
            mediators[next_com].append((next_med, person.name))
            next_med += 1
        next_com += 1
    s.execute(insert(_t(MediationCommittee)), com_rows)
    s.execute(insert(_t(Mediator)), med_rows)
    out.committees, out.mediators = len(com_rows), len(med_rows)
    # parties come from the register
    per_year = CASES_PER_YEAR.get(scale, 18)
    spans = [
        (dt.date(as_of.year - 1, 1, 1), dt.date(as_of.year - 1, 12, 31)),
        (dt.date(as_of.year, 1, 1), as_of),
    ]
    counts = [round(per_year * ((b - a).days + 1) / 365) for a, b in spans]
    total = sum(counts) + 4
    lo, hi = s.execute(select(func.min(Resident.id), func.max(Resident.id))).one()
    if lo is None:
        return out
    wanted = sorted(rng.sample(range(lo, hi + 1), min(hi - lo + 1, total * 3)))
    people: list[Any] = []
    for i in range(0, len(wanted), 900):
        people += s.execute(
            select(
                Resident.id,
                Resident.name,
                Resident.gender,
                Resident.ethnicity,
                Resident.birth_date,
                Resident.id_number,
                Resident.phone,
                Resident.community_id,
                Resident.grid_id,
                Household.estate,
                Household.building,
                Household.unit,
                Household.room,
            )
            .outerjoin(Household, Household.id == Resident.household_id)
            .where(
                Resident.id.in_(wanted[i : i + 900]),
                Resident.status == "ACTIVE",
                Resident.birth_date.is_not(None),
            )
        ).all()
    adults = [p for p in people if p.birth_date and (as_of - p.birth_date).days > 18 * 365]
    by_comm: dict[int, list[Any]] = defaultdict(list)
    for p in adults:
        by_comm[p.community_id].append(p)
    types = Pick(TYPE_WEIGHTS)
    rules = MediationRules()
    plans = []
    for (first, last), n in zip(spans, counts, strict=True):
        for _ in range(n):
            plans.append(
                (
                    first + dt.timedelta(days=rng.randint(0, (last - first).days)),
                    rng.choice(communities)[0],
                    False,
                )
            )
    for days in (2, 12, 27, 38):  # always some cases still in mediation, one past the 30-day limit
        plans.append((as_of - dt.timedelta(days=days), rng.choice(communities)[0], True))
    plans.sort()
    seqs: dict[tuple[int, int], int] = defaultdict(int)
    case_id, agreement_id = _next_id(s, MediationCase), _next_id(s, Agreement)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for accepted, cid, pending in plans:
        pool = by_comm.get(cid) or adults
        if len(pool) < 3:
            continue
        committee = committee_ids[cid]
        seqs[(committee, accepted.year)] += 1
        seq = seqs[(committee, accepted.year)]
        no = format_case_no(accepted.year, dict(communities)[cid], seq)
        kind = types(rng)
        story = STORIES.get(kind, GENERIC)
        subtype = rng.choice(SUBTYPES[kind]) if kind in SUBTYPES and rng.random() < 0.8 else None
        source = rng.choices(("APPLICATION", "OWN_INITIATIVE", "REFERRAL"), (55, 35, 10))[0]
        a, b = rng.sample(pool, 2)
        third = rng.random() < 0.1
        org = rng.random() < 0.08 and kind in ("物业", "合同", "劳动争议", "消费", "其他")
        lead_id, lead = rng.choice(mediators[committee])
        others = [n for _i, n in mediators[committee] if n != lead]
        assistant = rng.choice(others) if others and rng.random() < 0.6 else None
        recorder = rng.choice(others) if others else lead
        amount = rng.choice((500, 800, 1200, 1500, 2000, 2500, 3000, 5000, 8000, 12000, 20000))
        age = (as_of - accepted).days
        fill = {
            "a": a.name,
            "b": rng.choice(BUSINESSES) if org else b.name,
            "n": f"{amount:,}",
            "t": kind + ("（" + subtype + "）" if subtype else ""),
        }
        # the story so far, by how long ago the case came in
        outcome = None
        if age > 40 or (age > 7 and rng.random() < 0.7):
            outcome = rng.choices(("SUCCESS", "FAILED", "TERMINATED"), (95, 4, 1))[0]
        if age > 30 and outcome is None:
            outcome = None if rng.random() < 0.3 else "SUCCESS"
        if pending:
            outcome = None
        held = accepted + dt.timedelta(days=min(age - 1, rng.randint(1, 20))) if age > 1 else accepted
        made_on = held if outcome == "SUCCESS" else None
        oral = rng.random() < 0.3 if made_on else None
        deadline = made_on + dt.timedelta(days=rng.choice((0, 7, 15, 30, 60, 90))) if made_on else None
        d1 = deadline or accepted
        fill["d1"] = f"{d1.year}年{d1.month}月{d1.day}日"
        performance = closed = archived = None
        if made_on and deadline:
            if deadline < as_of - dt.timedelta(days=10):
                performance = rng.choices(("PERFORMED", "PARTIAL", "NOT_PERFORMED"), (94, 4, 2))[0]
                if rng.random() < 0.9:
                    closed = min(as_of, deadline + dt.timedelta(days=rng.randint(1, 10)))
            elif rng.random() < 0.5:
                performance = "IN_PROGRESS"
        elif outcome and held < as_of:
            closed = min(as_of, held + dt.timedelta(days=rng.randint(0, 3)))
        if closed and (as_of - closed).days > 45 and rng.random() < 0.8:
            archived = min(as_of, closed + dt.timedelta(days=rng.randint(5, 30)))
        stage = (
            "ARCHIVED"
            if archived
            else "CLOSED"
            if closed
            else "PERFORMING"
            if made_on
            else ("MEDIATING" if outcome or age > 3 else "ACCEPTED")
        )
        comm_grids: list[int | None] = list(grids.get(cid, [])) or [None]
        rows["case"].append(
            {
                "id": case_id,
                "case_no": no,
                "committee_id": committee,
                "case_year": accepted.year,
                "case_seq": seq,
                "accepted_on": accepted,
                "source": source,
                "referred_by": rng.choice(REFERRERS) if source == "REFERRAL" else None,
                "dispute_type": kind,
                "dispute_subtype": subtype,
                "summary": story[0].format(**fill),
                "requests": None,
                "amount_involved": amount if kind not in ("邻里", "其他") or rng.random() < 0.5 else None,
                "mediator_id": lead_id,
                "assistant_mediators": assistant,
                "recorder": recorder,
                "registrar": recorder,
                "community_id": cid,
                "grid_id": a.grid_id or rng.choice(comm_grids),
                "stage": stage,
                "rights_notified_on": accepted if age > 1 else None,
                "extended_until": None,
                "extension_reason": None,
                "outcome": outcome,
                "outcome_on": held if outcome else None,
                "routes_open": rng.choice(ROUTES) if outcome == "FAILED" else None,
                "outcome_note": {
                    "FAILED": "双方分歧较大，未能达成一致。",
                    "TERMINATED": "一方当事人明确表示不再接受调解。",
                }.get(outcome or ""),
                "closed_on": closed,
                "archived_on": archived,
                "filed_by": recorder if archived else None,
                "retention": "长期" if archived else None,
                "notes": None,
                "retired_on": None,
                "retired_reason": None,
                **stamp,
            }
        )
        parties = [(a, "APPLICANT"), (b, "RESPONDENT")] + (
            [(rng.choice(pool), "RESPONDENT")] if third else []
        )
        for k, (p, role) in enumerate(parties, start=1):
            if org and k == 2:
                rows["party"].append(
                    {
                        "case_id": case_id,
                        "seq": k,
                        "role": role,
                        "kind": "ORGANISATION",
                        "name": fill["b"],
                        "gender": None,
                        "ethnicity": None,
                        "birth_date": None,
                        "age": None,
                        "occupation": None,
                        "phone": f"0937-62{rng.randrange(10_000, 100_000)}",
                        "address": "嘉峪关市长城区新华路",
                        "id_number": None,
                        "legal_rep": pf.adult("男", 45).name,
                        "legal_rep_title": "经理",
                        "agent": None,
                        "resident_id": None,
                        **stamp,
                    }
                )
                continue
            home = "".join(x for x in (p.estate, p.building, p.unit, f"{p.room}室" if p.room else None) if x)
            rows["party"].append(
                {
                    "case_id": case_id,
                    "seq": k,
                    "role": role,
                    "kind": "PERSON",
                    "name": p.name,
                    "gender": p.gender,
                    "ethnicity": p.ethnicity,
                    "birth_date": p.birth_date,
                    "age": None,
                    "occupation": rng.choice(("退休职工", "个体经营", "企业职工", "自由职业", "无业")),
                    "phone": p.phone,
                    "address": f"嘉峪关市长城区{home}" if home else "嘉峪关市长城区",
                    "id_number": p.id_number,
                    "legal_rep": None,
                    "legal_rep_title": None,
                    "agent": None,
                    "resident_id": p.id,
                    **stamp,
                }
            )
        if age > 2 and rng.random() < 0.4:
            rows["investigation"].append(
                {
                    "case_id": case_id,
                    "held_on": min(held, accepted + dt.timedelta(days=1)),
                    "place": "当事人住处",
                    "investigator": lead,
                    "interviewee": b.name,
                    "recorder": recorder,
                    "content": "调解员到现场查看，听取当事人陈述，了解纠纷经过。",
                    **stamp,
                }
            )
        sides = "各方" if len(parties) > 2 else "双方"
        if outcome or age > 3:
            rows["session"].append(
                {
                    "case_id": case_id,
                    "held_at": dt.datetime.combine(held, dt.time(rng.choice((9, 10, 14, 15)))),
                    "place": f"{dict(communities)[cid]}人民调解委员会调解室",
                    "mediators": "、".join(x for x in (lead, assistant) if x),
                    "attendees": None,
                    "parties_present": "、".join(
                        p.name if not (org and k == 1) else fill["b"] for k, (p, _r) in enumerate(parties)
                    ),
                    "recorder": recorder,
                    "minutes": f"调解员告知当事人权利义务和调解原则，{sides}分别陈述，"
                    "调解员核实事实、释法明理并提示风险。",
                    "result": f"{sides}自愿达成协议。" if outcome == "SUCCESS" else None,
                    **stamp,
                }
            )
        if closed or rng.random() < 0.6:  # the parties' ID copies are in the file (卷宗 item 3, mandatory)
            rows["file_item"].append(
                {
                    "case_id": case_id,
                    "code": "ID_PROOF",
                    "present": True,
                    "pages": len(parties),
                    "note": None,
                    **stamp,
                }
            )
        if performance == "PERFORMED" and rng.random() < 0.7:
            rows["file_item"].append(
                {
                    "case_id": case_id,
                    "code": "PERFORMANCE_PROOF",
                    "present": True,
                    "pages": 1,
                    "note": "收条",
                    **stamp,
                }
            )
        if made_on and deadline is not None:
            terms = [t.format(**fill) for t in story[2]]
            rows["agreement"].append(
                {
                    "id": agreement_id,
                    "case_id": case_id,
                    "agreement_no": no,
                    "oral": bool(oral),
                    "made_on": made_on,
                    "facts": story[1].format(**fill),
                    "disputes": "责任划分及赔偿（补偿）数额。",
                    "responsibilities": None,
                    "performance_manner": rng.choice(("现金一次性支付", "银行转账", "按协议约定分期履行")),
                    "performance_place": f"{dict(communities)[cid]}人民调解委员会",
                    "performance_deadline": deadline,
                    "copies": len(parties) + 1,
                    "signed_by_parties": True,
                    "signed_by_mediator": True,
                    "sealed": True,
                    "effective_on": made_on,
                    **stamp,
                }
            )
            for k, text in enumerate(terms, start=1):
                rows["term"].append(
                    {
                        "agreement_id": agreement_id,
                        "seq": k,
                        "text": text,
                        "amount": amount if "{n}" in story[2][k - 1] else None,
                        "due_on": deadline if "{d1}" in story[2][k - 1] else None,
                    }
                )
            if performance:
                rows["performance"].append(
                    {
                        "case_id": case_id,
                        "on_date": min(as_of, deadline + dt.timedelta(days=3)),
                        "status": performance,
                        "amount_paid": None,
                        "note": None,
                        "recorded_by": recorder,
                    }
                )
            for due in follow_up_dates([deadline], deadline, made_on, rules):
                done = due < as_of and (closed is not None or rng.random() < 0.6)
                rows["follow_up"].append(
                    {
                        "case_id": case_id,
                        "due_on": due,
                        "visited_on": due if done else None,
                        "visitor": lead if done else None,
                        "visited_party": a.name if done else None,
                        "notes": "协议已履行，双方满意，无矛盾反复。"
                        if done and performance == "PERFORMED"
                        else ("协议正在履行。" if done else None),
                        "cancelled": False,
                        **stamp,
                    }
                )
            agreement_id += 1
        case_id += 1
    for key, model in (
        ("case", MediationCase),
        ("party", CaseParty),
        ("investigation", Investigation),
        ("session", MediationSession),
        ("agreement", Agreement),
        ("term", AgreementTerm),
        ("performance", Performance),
        ("follow_up", FollowUp),
        ("file_item", CaseFileItem),
    ):
        if rows[key]:
            s.execute(insert(_t(model)), rows[key])
            out.rows += len(rows[key])
    counters = [{"committee_id": c, "year": y, "last_seq": n} for (c, y), n in seqs.items()]
    if counters:
        s.execute(insert(_t(CaseNumberCounter)), counters)
    if s.get_bind().dialect.name == "postgresql":
        for seq_model in (MediationCommittee, Mediator, MediationCase, Agreement):
            name = _t(seq_model).name
            s.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
            )
    out.cases = len(rows["case"])
    out.rows += len(com_rows) + len(med_rows) + len(counters)
    out.seconds = time.perf_counter() - started
    return out
