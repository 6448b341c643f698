"""党建 demo data for ``shequ demo``: the organisation tree, members drawn from the resident register,
recruitment tracks that obey the rules, dues payments and a year of meetings.

Called by desktop/services/demo/__init__.py inside its one transaction, after the residents exist; rows go in with
Core bulk inserts and keys assigned here. Street scale: about 4,000 members in ~160 branches; small: a
few dozen. The same ``rng`` gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.base import Base
from db.schema.party import (
    CommunityCheckIn,
    DuesPayment,
    DuesRateBand,
    MeetingAttendance,
    PartyMeeting,
    PartyMember,
    PartyMemberEvent,
    PartyOrg,
    PartyPost,
    RecruitmentStep,
)
from db.schema.people import Household, Resident
from db.schema.structure import Community, Grid, Street
from desktop.services.demo.party_plan import (
    CHECK_IN_POSTS,
    DESTINATIONS,
    WORK_UNITS,
    MeetingPlanner,
    Recruits,
    chinese_ordinal,
)
from desktop.services.party import rules
from desktop.services.party.common import add_months, add_years, month_of, months_between, shift_month

MEMBERS = {"street": 4000, "small": 40}
RECRUIT_SHARE = 0.035
CHUNK = 10_000


@dataclass
class PartyDemoSummary:
    orgs: int = 0
    branches: int = 0
    groups: int = 0
    members: int = 0  # 党员 on the roll (正式 + 预备)
    probationary: int = 0
    recruits: int = 0
    mobile: int = 0
    lost: int = 0
    checked_in: int = 0
    left: int = 0  # transferred out / deceased, kept with their status
    payments: int = 0
    meetings: int = 0

    def describe(self) -> str:
        return (
            f"党组织 {self.orgs} 个（党支部 {self.branches} 个、党小组 {self.groups} 个），"
            f"党员 {self.members:,} 名（预备党员 {self.probationary}，流动 {self.mobile}、失联 {self.lost}、"
            f"在职报到 {self.checked_in}），发展中 {self.recruits} 人，党费记录 {self.payments:,} 条，"
            f"会议记录 {self.meetings:,} 次"
        )


@dataclass
class _Org:
    id: int
    kind: str
    name: str
    parent: int | None
    community: int | None = None
    grid: int | None = None
    members: list[dict[str, Any]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)


def _table(model: type[Base]) -> sa.Table:
    return cast(sa.Table, model.__table__)


class _Builder:
    def __init__(self, s: Session, rng: random.Random, as_of: dt.date, now: dt.datetime) -> None:
        self.s, self.rng, self.as_of, self.now = s, rng, as_of, now
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.next_id: dict[str, int] = {}

    def new_id(self, model: type[Base]) -> int:
        name = _table(model).name
        if name not in self.next_id:
            self.next_id[name] = (self.s.scalar(select(func.max(_table(model).c.id))) or 0) + 1
        self.next_id[name] += 1
        return self.next_id[name] - 1

    def add(self, model: type[Base], row: dict[str, Any], stamp: bool = True) -> dict[str, Any]:
        row.setdefault("id", self.new_id(model))
        if stamp:
            row.update(created_at=self.now, updated_at=self.now, version=1)
        self.rows[_table(model).name].append(row)
        return row

    def flush(self) -> None:
        for model in (PartyOrg, PartyMember, PartyPost, PartyMemberEvent, CommunityCheckIn, RecruitmentStep,
                      DuesPayment, PartyMeeting, MeetingAttendance):  # fmt: skip
            rows = self.rows.get(_table(model).name, [])
            for i in range(0, len(rows), CHUNK):
                self.s.execute(sa.insert(_table(model)), rows[i : i + CHUNK])
        if self.s.get_bind().dialect.name == "postgresql":
            for name in self.next_id:
                self.s.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                       f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))  # fmt: skip

    def day(self, lo: int, hi: int) -> dt.date:
        """A day ``lo``–``hi`` days before as_of."""
        return self.as_of - dt.timedelta(days=self.rng.randint(lo, hi))


def _sample(rng: random.Random, people: list[Any], weights: list[float], k: int) -> list[Any]:
    """``k`` of ``people`` without replacement, in proportion to ``weights`` (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0), reverse=True)
    return [people[i] for _key, i in keyed[:k]]


def generate_party(
    s: Session, rng: random.Random, scale: str, as_of: dt.date, now: dt.datetime
) -> PartyDemoSummary:
    """Build the party data of the demo street; returns what was made."""
    b = _Builder(s, rng, as_of, now)
    summary = PartyDemoSummary()
    street = s.execute(select(Street.name, Street.district, Street.city).limit(1)).first()
    communities = s.execute(select(Community.id, Community.name).order_by(Community.id)).all()
    grids = s.execute(select(Grid.id, Grid.community_id, Grid.name, Grid.kind).order_by(Grid.id)).all()
    if street is None or not communities:
        return summary
    cutoff = add_years(as_of, -22)
    people: list[Any] = list(
        s.execute(
            select(
                Resident.id,
                Resident.name,
                Resident.name_initials,
                Resident.gender,
                Resident.ethnicity,
                Resident.id_number,
                Resident.birth_date,
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
                Resident.status == "ACTIVE", Resident.birth_date <= cutoff, Resident.id_number.is_not(None)
            )
            .order_by(Resident.id)
        ).all()
    )
    n_members = min(MEMBERS.get(scale, 40), len(people) // 4)
    n_recruits = max(6, round(n_members * RECRUIT_SHARE))

    def age(p: Any) -> int:
        born: dt.date = p.birth_date
        return as_of.year - born.year

    weights = [3.0 if age(p) >= 60 else 1.6 if age(p) >= 40 else 0.8 for p in people]
    chosen = _sample(rng, people, weights, n_members + n_recruits)
    young = [p for p in chosen if age(p) <= 40]
    recruit_set = {p.id for p in young[:n_recruits]}
    # ---------------------------------------------------------------- organisations
    top = _Org(0, "WORKING_COMMITTEE", f"{street.name}党工委", None)
    top.id = b.add(
        PartyOrg,
        _org_row(
            top, f"中共{street.city}{street.district}{street.name}工作委员会", None, dt.date(1998, 6, 1), 5, 0
        ),
    )["id"]
    by_comm_people: dict[int, int] = defaultdict(int)
    for p in chosen:
        by_comm_people[p.community_id] += 1
    branch_of_grid: dict[int, _Org] = {}
    orgs: list[_Org] = [top]
    for ci, (cid, cname) in enumerate(communities):
        kind = "COMMITTEE" if by_comm_people[cid] >= 100 else "GENERAL_BRANCH"
        label = "党委" if kind == "COMMITTEE" else "党总支"
        comm = _Org(0, kind, f"{cname}{label}", top.id, cid)
        comm.id = b.add(PartyOrg, _org_row(comm, f"中共{street.name}{cname}{'委员会' if kind == 'COMMITTEE' else '总支部委员会'}",
                                           _term(rng, as_of), dt.date(2001 + ci % 8, 7, 1), 5, ci + 1))["id"]  # fmt: skip
        orgs.append(comm)
        seq = 0
        joint: _Org | None = None
        for gid, gcid, gname, gkind in grids:
            if gcid != cid:
                continue
            if gkind == "BASIC":
                seq += 1
                br = _Org(0, "BRANCH", f"{gname}党支部", comm.id, cid, gid)
                br.id = b.add(
                    PartyOrg, _org_row(br, None, _term(rng, as_of), dt.date(2008 + seq % 10, 3, 1), 5, seq)
                )["id"]
                orgs.append(br)
                branch_of_grid[gid] = br
            else:
                if joint is None:
                    joint = _Org(0, "BRANCH", f"{cname}联合党支部", comm.id, cid)
                    row = _org_row(joint, None, _term(rng, as_of), dt.date(2016, 5, 1), 5, 900)
                    row.update(
                        is_joint=True,
                        unit_situation="联合党支部",
                        notes="覆盖专属网格、微网格内的商户、单位和院落",
                    )
                    joint.id = b.add(PartyOrg, row)["id"]
                    orgs.append(joint)
                branch_of_grid[gid] = joint
    # ---------------------------------------------------------------- members
    recruits = Recruits(b)
    members: list[dict[str, Any]] = []
    for p in chosen:
        branch = branch_of_grid.get(p.grid_id) or next(o for o in orgs if o.kind == "BRANCH")
        m = _member_row(b, p, branch.id, p.id in recruit_set)
        members.append(m)
        branch.members.append(m)
    for o in orgs:
        if o.kind != "BRANCH":
            continue
        full = [m for m in o.members if m["stage"] == "FULL"]
        n_groups = 3 if len(o.members) >= 36 else 2 if len(o.members) >= 24 else 0
        for gi in range(n_groups):
            g = _Org(0, "GROUP", f"第{chinese_ordinal(gi + 1)}党小组", o.id, o.community, o.grid)
            g.id = b.add(PartyOrg, _org_row(g, None, None, None, 5, gi + 1))["id"]
            o.groups.append(g.id)
            orgs.append(g)
        for i, m in enumerate(o.members):
            if o.groups and not m["_recruit"]:
                m["group_id"] = o.groups[i % len(o.groups)]
        _branch_posts(b, o, full, summary)
        recruits.branch(o, full)
    org_rows = {r["id"]: r for r in b.rows["party_org"]}
    for o in orgs:
        if o.kind in ("COMMITTEE", "GENERAL_BRANCH"):
            pool = [m for br in orgs if br.parent == o.id for m in br.members if m["stage"] == "FULL"]
            picks = rng.sample(pool, min(5, len(pool)))
            for post, m in zip(
                ("SECRETARY", "DEPUTY", "ORGANISATION", "PUBLICITY", "DISCIPLINE"), picks, strict=False
            ):
                _post(b, o.id, m, post, org_rows[o.id]["term_start"] or as_of)
    if members:
        _post(
            b,
            top.id,
            rng.choice([m for m in members if m["stage"] == "FULL"]),
            "SECRETARY",
            dt.date(2022, 3, 1),
        )
    # 在职党员到居住地社区报到: each check-in names the community the member lives in
    homes = {p.id: p.community_id for p in chosen}
    _flags_and_history(b, members, summary, homes)
    summary.payments = _dues(b, members)
    summary.meetings = MeetingPlanner(b).run(orgs)
    b.flush()
    summary.orgs = len(orgs)
    summary.branches = sum(1 for o in orgs if o.kind == "BRANCH")
    summary.groups = sum(1 for o in orgs if o.kind == "GROUP")
    active = [m for m in members if m["status"] == "ACTIVE"]
    summary.members = sum(1 for m in active if m["stage"] in ("FULL", "PROBATIONARY"))
    summary.probationary = sum(1 for m in active if m["stage"] == "PROBATIONARY")
    summary.recruits = sum(1 for m in active if m["stage"] not in ("FULL", "PROBATIONARY"))
    summary.left = len(members) - len(active)
    return summary


def _term(rng: random.Random, as_of: dt.date) -> dt.date:
    """A term start: most in the last 5 years, about one in twelve already run out (换届 overdue)."""
    if rng.random() < 0.08:
        return as_of - dt.timedelta(days=rng.randint(5 * 365 + 10, 5 * 365 + 300))
    return as_of - dt.timedelta(days=rng.randint(200, 5 * 365 - 120))


def _org_row(
    o: _Org,
    full_name: str | None,
    term_start: dt.date | None,
    established: dt.date | None,
    years: int,
    sort: int,
) -> dict[str, Any]:
    return {
        "parent_id": o.parent, "kind": o.kind, "name": o.name, "full_name": full_name, "code": None,
        "community_id": o.community, "grid_id": o.grid, "unit_situation": "与上级党组织相同", "is_joint": False,
        "established_on": established, "term_start": term_start, "term_years": years, "contact": None, "phone": None,
        "address": None, "sort_key": sort, "notes": None, "retired_on": None, "retired_reason": None,
    }  # fmt: skip


def _member_row(b: _Builder, p: Any, org_id: int, recruit: bool) -> dict[str, Any]:
    rng, as_of = b.rng, b.as_of
    age = as_of.year - p.birth_date.year
    retired = age >= (60 if p.gender == "男" else 55)
    base: int | None
    if retired:
        category, base = "RETIRED", rng.randrange(2300, 6800) * 100
        education = rng.choice(("初中", "高中", "高中", "中等专科", "中等专科", "大学专科", "大学本科"))
        occupation, unit = "离退休人员", None
    else:
        r = rng.random()
        category = (
            "IN_WORK"
            if r < 0.78
            else "SELF_EMPLOYED"
            if r < 0.9
            else "UNEMPLOYED"
            if r < 0.96
            else "SUBSISTENCE"
        )
        base = rng.randrange(2600, 13500) * 100 if category in ("IN_WORK", "SELF_EMPLOYED") else None
        education = rng.choice(("大学本科", "大学本科", "大学专科", "大学专科", "研究生", "高中", "中等专科"))
        occupation = {"IN_WORK": "企事业单位人员", "SELF_EMPLOYED": "个体经营", "UNEMPLOYED": "无固定职业",
                      "SUBSISTENCE": "无固定职业"}[category]  # fmt: skip
        unit = rng.choice(WORK_UNITS) if category == "IN_WORK" else None
    stage, joined, confirmed = "FULL", None, None
    if not recruit:
        if rng.random() < 0.025:
            stage, joined = "PROBATIONARY", b.day(20, 330)
        else:
            earliest = add_years(p.birth_date, 19)
            latest = min(add_years(p.birth_date, 50), as_of - dt.timedelta(days=400))
            span = max((latest - earliest).days, 1)
            joined = earliest + dt.timedelta(days=int(span * rng.random() ** 1.6))
            confirmed = add_years(joined, 1)
    address = "".join(x for x in (p.estate, p.building, p.unit, p.room) if x) or None
    if address and p.room and not p.room.endswith(("室", "房")):
        address += "室"
    return b.add(PartyMember, {
        "name": p.name, "name_initials": p.name_initials, "gender": p.gender, "id_number": p.id_number, "id_number_bidx": p.id_number,
        "ethnicity": p.ethnicity, "birth_date": p.birth_date, "native_place": None, "education": education,
        "occupation": occupation, "work_unit": unit, "phone": p.phone, "address": address, "stage": stage,
        "applied_on": None, "joined_on": joined, "confirmed_on": confirmed, "added_how": "新发展" if recruit else None,
        "org_id": org_id, "group_id": None, "grid_id": p.grid_id, "resident_id": p.id, "status": "ACTIVE",
        "status_changed_on": None, "is_mobile": False, "mobile_direction": None, "mobile_since": None,
        "mobile_destination": None, "mobile_card_no": None, "mobile_contact": None, "mobile_last_contact": None,
        "is_lost_contact": False, "lost_since": None, "lost_reason": None, "lost_notes": None,
        "dues_category": category, "dues_base_fen": base, "dues_base_from": None, "dues_reduced_fen": None,
        "dues_reduced_ref": None, "dues_start_month": None, "notes": None, "_recruit": recruit,
    })  # fmt: skip


def _post(b: _Builder, org_id: int, m: dict[str, Any], post: str, start: dt.date) -> None:
    b.add(PartyPost, {"org_id": org_id, "member_id": m["id"], "post": post,
                      "from_date": max(start, m["confirmed_on"] or start), "to_date": None, "notes": None})  # fmt: skip


def _branch_posts(b: _Builder, o: _Org, full: list[dict[str, Any]], summary: PartyDemoSummary) -> None:
    rng = b.rng
    if not full:
        return
    start = next(r for r in b.rows["party_org"] if r["id"] == o.id)["term_start"] or b.as_of
    able = sorted(full, key=lambda m: abs((b.as_of.year - m["birth_date"].year) - 52))
    holders = [able[0]]
    if rng.random() < 0.97:
        _post(b, o.id, able[0], "SECRETARY", start)
    if len(full) >= rules.COMMITTEE_MIN_FULL:
        for post, m in zip(("ORGANISATION", "PUBLICITY", "DISCIPLINE"), able[1:4], strict=False):
            if rng.random() < 0.95:
                _post(b, o.id, m, post, start)
                holders.append(m)
        if len(full) >= 25 and rng.random() < 0.5:
            _post(b, o.id, able[4], "DEPUTY", start)
    for i, gid in enumerate(o.groups):
        leaders = [m for m in full if m.get("group_id") == gid and m not in holders]
        if leaders:
            _post(b, gid, leaders[i % len(leaders)], "GROUP_LEADER", start)


def _event(b: _Builder, m: dict[str, Any], kind: str, on: dt.date, **kw: Any) -> None:
    row = {"member_id": m["id"], "kind": kind, "on_date": on, "from_value": None, "to_value": None,
           "counterpart": None, "letter_no": None, "reason": None, "user": "演示数据", "recorded_at": b.now}  # fmt: skip
    row.update(kw)
    b.add(PartyMemberEvent, row, stamp=False)


def _flags_and_history(
    b: _Builder, members: list[dict[str, Any]], summary: PartyDemoSummary, homes: dict[int, int]
) -> None:
    rng, as_of = b.rng, b.as_of
    for m in members:
        if m.pop("_recruit") or m["stage"] != "FULL":
            continue
        r = rng.random()
        if r < 0.04:  # came from elsewhere
            on = b.day(60, 5 * 365)
            m["added_how"], m["dues_start_month"] = "转入", month_of(on)
            source = rng.choice(DESTINATIONS) + "某社区党支部"
            _event(b, m, "TRANSFER_IN", on, from_value=source, counterpart=source,
                   letter_no=f"组转字〔{on.year}〕{rng.randint(1, 300)}号")  # fmt: skip
        elif r < 0.05:
            on = b.day(20, 300)
            m["status"], m["status_changed_on"] = "TRANSFERRED_OUT", on
            target = rng.choice(DESTINATIONS) + "某社区党委"
            _event(b, m, "TRANSFER_OUT", on, to_value=target, counterpart=target,
                   letter_no=f"钢组转字〔{on.year}〕{rng.randint(1, 90)}号")  # fmt: skip
            continue
        elif r < 0.056 and as_of.year - m["birth_date"].year > 70:
            on = b.day(20, 600)
            m["status"], m["status_changed_on"] = "DECEASED", on
            _event(b, m, "STATUS", on, from_value="ACTIVE", to_value="DECEASED", reason="病故")
            continue
        f = rng.random()
        if f < 0.025 and m["dues_category"] != "RETIRED":
            since = b.day(120, 900)
            m.update(is_mobile=True, mobile_direction="OUT", mobile_since=since, mobile_destination=rng.choice(DESTINATIONS),
                     mobile_card_no=f"甘嘉流字〔{since.year}〕{rng.randint(1, 400):03d}号", mobile_contact=m["phone"],
                     mobile_last_contact=b.day(10, 170))  # fmt: skip
            _event(b, m, "MOBILE", since, to_value=m["mobile_destination"], reason="流出")
            summary.mobile += 1
        elif 0.025 <= f < 0.028:
            since = b.day(220, 1100)
            m.update(is_lost_contact=True, lost_since=since, lost_reason=rng.choice("1112467"),
                     lost_notes="多次电话联系未果，家属不知去向")  # fmt: skip
            _event(b, m, "LOST_CONTACT", since, to_value="失联")
            summary.lost += 1
        elif m["dues_category"] == "IN_WORK" and f < 0.2:
            on = b.day(30, 4 * 365)
            b.add(CommunityCheckIn, {"member_id": m["id"], "community_id": homes.get(m["resident_id"]), "unit": m["work_unit"],
                  "unit_org": f"{m['work_unit']}党委", "checked_in_on": on, "claimed_post": rng.choice(CHECK_IN_POSTS),
                  "service_hours": round(rng.uniform(2, 60), 1), "last_evaluated_on": None if on.year == as_of.year else
                  dt.date(as_of.year - 1, 12, 20), "evaluation": None if on.year == as_of.year else rng.choice(("优秀", "合格", "合格")),
                  "ended_on": None, "notes": None})  # fmt: skip
            _event(b, m, "CHECK_IN", on, to_value=m["work_unit"])
            summary.checked_in += 1


def _dues(b: _Builder, members: list[dict[str, Any]]) -> int:
    """Payments from January of this year (the demo book's first month) to last month; some in arrears."""
    rng, as_of = b.rng, b.as_of
    bands = [rules.DuesBand(r.category, r.lower_fen, r.upper_fen, r.rate_bp, r.fixed_fen, r.effective_from)
             for r in b.s.scalars(select(DuesRateBand))]  # fmt: skip
    book, last = f"{as_of.year}-01", shift_month(month_of(as_of), -1)
    count = 0
    for m in members:
        if m["status"] != "ACTIVE" or m["stage"] not in ("FULL", "PROBATIONARY") or m["is_lost_contact"]:
            continue
        start = max(book, m["dues_start_month"] or month_of(m["joined_on"]))
        months = months_between(start, last)
        r = rng.random()
        if r < 0.015:
            months = []
        elif r < 0.08 and months:
            months = months[: rng.randrange(len(months))]
        amount = rules.monthly_dues(m["dues_category"], m["dues_base_fen"], bands, as_of).amount_fen or 0
        step = 3 if m["is_mobile"] else 1
        for i in range(0, len(months), step):
            batch = months[i : i + step]
            year, mon = map(int, batch[-1].split("-"))
            paid_on = min(add_months(dt.date(year, mon, 1), 0) + dt.timedelta(days=rng.randint(4, 26)), as_of)
            receipt = f"{paid_on:%Y%m}{rng.randint(1, 9999):04d}"
            for month in batch:
                b.add(DuesPayment, {"member_id": m["id"], "month": month, "kind": "REGULAR",
                      "base_fen": m["dues_base_fen"], "amount_fen": amount, "paid_on": paid_on, "receipt_no": receipt,
                      "notes": None, "user": "演示数据", "recorded_at": b.now}, stamp=False)  # fmt: skip
                count += 1
    return count
