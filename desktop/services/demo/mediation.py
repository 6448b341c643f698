"""演示数据 for 人民调解: a committee per community with its mediators, and two years of cases.

Street scale: about 950 cases a year (the seed documents' 宜丰 figure) for the two years before the demo
date, spread over the 18 dispute types, the three sources, every outcome and every stage: recent cases
still being mediated (a few past the 30-day limit), agreements being performed (some past their due
dates, follow-ups due), closed and archived files. Small scale: a few dozen cases.

Each case follows a story of its kind (``mediation_texts``, ``mediation_stories``): its parties are chosen
to fit it (``mediation_cast``: generations in family cases, neighbours in one estate, a minor acting through
a parent), the agreed amount lies in the range of the kind, the agreement's terms carry the amounts and due
dates (within the agreement date and the 履行期限), and the intake's 涉及金额 — the amount asked for — is
left blank in about one case in seven, as happens in a real 台账.

Parties are residents of the register (name, ID, phone, address), plus some businesses. Rows are written
with Core bulk inserts inside the demo's one transaction; numbers come out exactly as the counter would
hand them (per committee and year, in order of acceptance) and the counters are set to match.
"""

from __future__ import annotations

import datetime as dt
import itertools
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
from desktop.services.demo import mediation_texts as tx
from desktop.services.demo.mediation_cast import Casting, upstairs
from desktop.services.demo.mediation_terms import (
    case_text,
    fill_for,
    manner,
    pick_story,
    plan_amounts,
    plan_terms,
)
from desktop.services.demo.people import PeopleFactory, Pick
from desktop.services.mediation.common import MediationRules
from desktop.services.mediation.lifecycle import follow_up_dates
from desktop.services.mediation.numbering import format_case_no

CASES_PER_YEAR = {"street": 950, "small": 30}
#: how often a case of the cast has a third party (两名邻居, 三兄妹继承, 两个子女)
THREE_PARTIES = {
    "赡养": 0.35,
    "继承": 0.5,
    "相邻通行": 0.45,
}  # by sub-type: the stories that name a third party
BLANK_EVERY = 7  # one case in seven (about 15 %) has its intake 涉及金额 left blank
D = dt.timedelta


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


_ADDRESS = (Household.community_id, Household.estate, Household.building, Household.unit, Household.room)


def _load_people(s: Session, rng: random.Random, wanted_n: int) -> list[Any]:
    """A sample of the register's active residents, with everyone of their households (for family casts)."""
    lo, hi = s.execute(select(func.min(Resident.id), func.max(Resident.id))).one()
    if lo is None:
        return []
    wanted = sorted(rng.sample(range(lo, hi + 1), min(hi - lo + 1, wanted_n)))
    households: set[int] = set()
    for i in range(0, len(wanted), 900):
        households.update(
            h
            for h in s.scalars(select(Resident.household_id).where(Resident.id.in_(wanted[i : i + 900])))
            if h
        )
    # and, for some of them, the flat right above (the neighbour upstairs of a leak or of noise)
    some = sorted(rng.sample(sorted(households), min(len(households), wanted_n // 5)))
    keys = set()
    for i in range(0, len(some), 900):
        for c, e, b, u, r in s.execute(select(*_ADDRESS).where(Household.id.in_(some[i : i + 900]))):
            if upstairs(r):
                keys.add((c, e, b, u, upstairs(r)))
    above = sorted(keys, key=str)
    for i in range(0, len(above), 150):
        households.update(s.scalars(select(Household.id).where(sa.tuple_(*_ADDRESS).in_(above[i : i + 150]))))
    hh = sorted(households)
    people: list[Any] = []
    for i in range(0, len(hh), 900):
        people += s.execute(
            select(
                Resident.id, Resident.name, Resident.gender, Resident.ethnicity, Resident.birth_date,
                Resident.id_number, Resident.phone, Resident.community_id, Resident.grid_id, Resident.household_id,
                Resident.relation_to_head, Household.estate, Household.building, Household.unit, Household.room,
            )
            .join(Household, Household.id == Resident.household_id)
            .where(Resident.household_id.in_(hh[i : i + 900]), Resident.status == "ACTIVE",
                   Resident.birth_date.is_not(None), Resident.id_number.is_not(None))
            .order_by(Resident.id)
        ).all()  # fmt: skip
    return people


def _as_came_in(summary: str, source: str, referrer: str | None) -> str:
    """A summary says "申请调解" only of a case that came in by application."""
    if source == "OWN_INITIATIVE":
        return summary.replace("申请调解", "向网格员反映，调委会主动介入调解")
    if source == "REFERRAL" and referrer:
        return summary.replace("申请调解", f"由{referrer}移送调解")
    return summary


def _present(p: dict[str, Any]) -> str:
    """张三（法定代理人李四） / 某公司（委托代理人王五）: who came for the party."""
    for key, label in (("guardian_name", "法定代理人"), ("agent", "委托代理人"), ("legal_rep", "法定代表人")):
        if p[key]:
            return f"{p['name']}（{label}{p[key]}）"
    return str(p["name"])


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
                    "title": tx.TITLES[min(k, len(tx.TITLES) - 1)],
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
    per_year = CASES_PER_YEAR.get(scale, 18)
    spans = [
        (dt.date(as_of.year - 1, 1, 1), dt.date(as_of.year - 1, 12, 31)),
        (dt.date(as_of.year, 1, 1), as_of),
    ]
    counts = [round(per_year * ((b - a).days + 1) / 365) for a, b in spans]
    people = _load_people(s, rng, (sum(counts) + 4) * 2)
    if len(people) < 3:
        return out
    casting = Casting(rng, pf, people, as_of)
    types = Pick(tx.TYPE_WEIGHTS)
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
    names = dict(communities)
    blanks = itertools.cycle([True] * (BLANK_EVERY - 1) + [False])  # every BLANK_EVERY-th 涉及金额 left blank
    incapable = 0  # parties without full capacity so far (the first eligible case always has one)
    for accepted, cid, pending in plans:
        for _ in range(6):  # a dispute whose parties the register can supply
            kind = types(rng)
            subtype, story, detail = pick_story(kind, rng)
            three = rng.random() < THREE_PARTIES.get(subtype or "", 0.0)
            c = casting.cast(story.cast, cid, accepted, three)
            if c is not None:
                break
        if c is None:
            continue
        if story.cast in ("any", "victim", "elder_children") and (not incapable or rng.random() < 0.08):
            incapable += casting.incapacitate(c.parties[0], accepted, c.parties)  # acts through a guardian
            casting.want_frail = not incapable
        taken = {x for p in c.parties for x in (p["id_number"], p["guardian_id_number"]) if x}
        for p in c.parties:
            if (p["kind"] == "ORGANISATION" and rng.random() < 0.5) or (
                p["kind"] == "PERSON" and not p["guardian_name"] and rng.random() < 0.07
            ):
                casting.represent(p, taken)
        three = len(c.parties) > 2
        committee = committee_ids[cid]
        seqs[(committee, accepted.year)] += 1
        seq = seqs[(committee, accepted.year)]
        no = format_case_no(accepted.year, names[cid], seq)
        source = rng.choices(("APPLICATION", "OWN_INITIATIVE", "REFERRAL"), (55, 35, 10))[0]
        lead_id, lead = rng.choice(mediators[committee])
        others = [n for _i, n in mediators[committee] if n != lead]
        assistant = rng.choice(others) if others and rng.random() < 0.6 else None
        recorder = rng.choice(others) if others else lead
        agreed, asked = plan_amounts(story, rng)
        fill = fill_for(c, lead, kind, detail, accepted, rng)
        if subtype == "物业费" and agreed:  # arrears: so many months at a plausible monthly fee
            months = max(6, min(40, round(agreed / rng.randrange(150, 300, 10))))
            start = accepted - dt.timedelta(days=30 * months)
            fill.update(months=str(months), since=f"{start.year}年{start.month}月")
        lines = len(story.facts)  # the story's lines: each list's template v belongs to line v
        v = rng.randrange(lines)
        if c.parties[0]["guardian_name"] and story.cast == "victim":
            v = 0  # a child was hurt: by a bike, a dog or a car, not in a quarrel
        monthly = any(k == "monthly" for _t, k in story.terms[v % len(story.terms)])
        fill["claim"], fill["m"] = f"{asked:,}", f"{asked:,}"
        age = (as_of - accepted).days
        referrer = rng.choice(tx.REFERRERS) if source == "REFERRAL" else None
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
        terms: list[tuple[str, int | None, dt.date | None]] = []
        deadline = None
        if made_on:
            terms, deadline = plan_terms(story, fill, v, three, agreed, rng, made_on)
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
        asked_total = asked * 12 if monthly else asked
        rows["case"].append(
            {
                "id": case_id,
                "case_no": no,
                "committee_id": committee,
                "case_year": accepted.year,
                "case_seq": seq,
                "accepted_on": accepted,
                "source": source,
                "referred_by": referrer,
                "dispute_type": kind,
                "dispute_subtype": subtype,
                "summary": _as_came_in(
                    case_text(story.summaries, v, lines, fill, rng, three), source, referrer
                ),
                "requests": case_text(story.requests, v, lines, fill, rng, three)
                if source == "APPLICATION"
                else None,
                "amount_involved": asked_total if asked_total and next(blanks) else None,
                "mediator_id": lead_id,
                "assistant_mediators": assistant,
                "recorder": recorder,
                "registrar": recorder,
                "community_id": cid,
                "grid_id": c.home.grid_id or rng.choice(comm_grids),
                "stage": stage,
                "rights_notified_on": accepted if age > 1 else None,
                "extended_until": None,
                "extension_reason": None,
                "outcome": outcome,
                "outcome_on": held if outcome else None,
                "routes_open": rng.choice(tx.ROUTES) if outcome == "FAILED" else None,
                "outcome_note": rng.choice(
                    tx.FAILED_NOTES if outcome == "FAILED" else tx.TERMINATED_NOTES
                ).format(**fill)
                if outcome in ("FAILED", "TERMINATED")
                else None,
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
        for k, p in enumerate(c.parties, start=1):
            rows["party"].append({"case_id": case_id, "seq": k, **p, **stamp})
        if age > 2 and rng.random() < 0.4:
            place, who, content = rng.choice(tx.INVESTIGATIONS)
            rows["investigation"].append(
                {
                    "case_id": case_id,
                    "held_on": min(held, accepted + dt.timedelta(days=1)),
                    "place": place.format(**fill),
                    "investigator": lead,
                    "interviewee": who.format(**fill),
                    "recorder": recorder,
                    "content": content.format(**fill),
                    **stamp,
                }
            )
        if outcome or age > 3:
            rows["session"].append(
                {
                    "case_id": case_id,
                    "held_at": dt.datetime.combine(held, dt.time(rng.choice((9, 10, 14, 15)))),
                    "place": f"{names[cid]}{rng.choice(tx.SESSION_PLACES)}",
                    "mediators": "、".join(x for x in (lead, assistant) if x),
                    "attendees": None,
                    "parties_present": "、".join(_present(p) for p in c.parties),
                    "recorder": recorder,
                    "minutes": case_text(story.minutes, v, lines, fill, rng, three),
                    "result": f"{fill['sides']}自愿达成协议，协议内容见人民调解协议书。"
                    if outcome == "SUCCESS"
                    else None,
                    **stamp,
                }
            )
        if closed or rng.random() < 0.6:  # the parties' ID copies are in the file (卷宗 item 3, mandatory)
            rows["file_item"].append(
                {
                    "case_id": case_id,
                    "code": "ID_PROOF",
                    "present": True,
                    "pages": len(c.parties),
                    "note": None,
                    **stamp,
                }
            )
        agents = sum(1 for p in c.parties if p["agent"])
        if agents and (closed or rng.random() < 0.7):  # each agent's 授权委托书 (卷宗 item 4, then mandatory)
            rows["file_item"].append(
                {
                    "case_id": case_id,
                    "code": "POWER_OF_ATTORNEY",
                    "present": True,
                    "pages": agents,
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
            rows["agreement"].append(
                {
                    "id": agreement_id,
                    "case_id": case_id,
                    "agreement_no": no,
                    "oral": bool(oral),
                    "made_on": made_on,
                    "facts": case_text(story.facts, v, lines, fill, rng, three),
                    "disputes": case_text(story.disputes, v, lines, fill, rng, three),
                    "responsibilities": case_text(story.duties, v, lines, fill, rng, three),
                    "performance_manner": manner(story, v, rng),
                    "performance_place": f"{names[cid]}人民调解委员会",
                    "performance_deadline": deadline,
                    "copies": len(c.parties) + 1,
                    "signed_by_parties": True,
                    "signed_by_mediator": True,
                    "sealed": True,
                    "effective_on": made_on,
                    **stamp,
                }
            )
            for k, (text, amount, due) in enumerate(terms, start=1):
                rows["term"].append(
                    {"agreement_id": agreement_id, "seq": k, "text": text, "amount": amount, "due_on": due}
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
            visited = c.parties[0]["guardian_name"] or c.parties[0]["name"]
            for due in follow_up_dates([deadline], deadline, made_on, rules):
                done = due < as_of and (closed is not None or rng.random() < 0.6)
                rows["follow_up"].append(
                    {
                        "case_id": case_id,
                        "due_on": due,
                        "visited_on": due if done else None,
                        "visitor": lead if done else None,
                        "visited_party": visited if done else None,
                        "notes": "协议已履行，当事人满意，无矛盾反复。"
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
