"""A KNOWN dataset for the report tests, and the figures it must give (worked out by hand, below).

The street of ``street_ctx`` (钢城街道; 新华社区 with grids GC-01-001 (full 1+1+N staff) and GC-01-002;
朝阳社区 with GC-02-001), plus residents, Party organisations, members, meetings, dues, mediation cases
across 2025-10, 2026-08…2026-11, judicial-confirmation tracks and court referrals. The month under test
is 2026-10 (previous month 2026-09, same month last year 2025-10), reported on 2026-11-23.

Rows are inserted directly (not through the area services) so every date is exactly what the test says.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import select

from db.schema.judicial import CourtReferral, JudicialConfirmation
from db.schema.mediation import Agreement, AgreementTerm, MediationCase, MediationCommittee, Performance
from db.schema.party import (
    CommunityCheckIn,
    DuesPayment,
    PartyMeeting,
    PartyMember,
    PartyMemberEvent,
    PartyOrg,
    PartyPost,
)
from db.schema.people import Household, Resident, ResidentEvent, ResidentTag
from db.schema.structure import Community, Grid, GridStaff

TODAY = dt.date(2026, 11, 23)
MONTH = "2026-10"
D = dt.date


def _ids(s: Any) -> tuple[dict[str, int], dict[str, int]]:
    communities = {c.name: c.id for c in s.scalars(select(Community))}
    grids = {g.code: g.id for g in s.scalars(select(Grid))}
    return communities, grids


def build_known_dataset(ctx: Any) -> dict[str, int]:
    """Fill ``street_ctx``'s database; returns a few ids the tests need."""
    with ctx.write() as uow:
        s = uow.session
        c, g = _ids(s)
        c1, c2 = c["新华社区"], c["朝阳社区"]
        g1, g2, g3 = g["GC-01-001"], g["GC-01-002"], g["GC-02-001"]
        # a chief of GC-01-002 who left in September: no longer counted
        s.add(
            GridStaff(
                grid_id=g2, role="CHIEF", name="离任者", retired_on=D(2026, 9, 1), retired_reason="调离"
            )
        )
        _residents(s, c1, c2, g1, g2, g3)
        _party(s, c1, c2, g1)
        ids = _mediation(s, c1, c2)
        s.flush()
    return ids


# ---------------------------------------------------------------- residents


def _residents(s: Any, c1: int, c2: int, g1: int, g2: int, g3: int) -> None:
    h1 = Household(community_id=c1, grid_id=g1, household_no="H1")
    h2 = Household(community_id=c1, grid_id=g2, household_no="H2")
    h3 = Household(community_id=c1, grid_id=g1, household_no="H3")
    h4 = Household(community_id=c2, grid_id=g3, household_no="H4")
    s.add_all([h1, h2, h3, h4])
    s.flush()

    def person(name: str, **kw: Any) -> Resident:
        r = Resident(name=name, **kw)
        s.add(r)
        s.flush()
        return r

    def event(r: Resident, kind: str, on: dt.date, old: str, new: str) -> None:
        s.add(
            ResidentEvent(resident_id=r.id, kind=kind, on_date=on, from_value=old, to_value=new, user="测试")
        )

    r1 = person("张一", community_id=c1, grid_id=g1, household_id=h1.id, care_tier="GREEN")
    r1.tags = [ResidentTag(tag="独居老人"), ResidentTag(tag="残疾人")]
    person("张二", community_id=c1, grid_id=g1, household_id=h1.id, care_tier="BLUE")
    r3 = person(
        "李三", community_id=c1, grid_id=g2, household_id=h2.id, residence_kind="FLOATING", care_tier="ORANGE"
    )
    r3.tags = [ResidentTag(tag="刑满释放人员")]
    r4 = person(
        "王四",
        community_id=c1,
        grid_id=g1,
        household_id=h2.id,
        status="DECEASED",
        status_changed_on=D(2026, 10, 15),
    )
    r4.tags = [ResidentTag(tag="残疾人")]
    event(r4, "STATUS", D(2026, 10, 15), "ACTIVE", "DECEASED")
    # moved out in November: still 在册 at the end of October; tier RED since November, GREEN before
    r5 = person("赵五", community_id=c1, status="MOVED", status_changed_on=D(2026, 11, 5), care_tier="RED")
    event(r5, "STATUS", D(2026, 11, 5), "ACTIVE", "MOVED")
    event(r5, "CARE_TIER", D(2026, 11, 10), "GREEN", "RED")
    r6 = person(
        "钱六", community_id=c1, grid_id=g1, household_id=h3.id, residence_kind="FLOATING", status="LEFT",
        status_changed_on=D(2026, 9, 20),
    )  # fmt: skip
    event(r6, "STATUS", D(2026, 9, 20), "ACTIVE", "LEFT")
    r7 = person("孙七", community_id=c2, grid_id=g3, household_id=h4.id, care_tier="GREEN")
    r7.tags = [ResidentTag(tag="独居老人")]
    event(r7, "CARE_TIER", D(2026, 10, 3), "BLUE", "GREEN")
    # moved out in October, back in November: not 在册 at the end of October
    r8 = person("周八", community_id=c2, grid_id=g3, household_id=h4.id, residence_kind="FLOATING")
    event(r8, "STATUS", D(2026, 10, 20), "ACTIVE", "MOVED")
    event(r8, "STATUS", D(2026, 11, 2), "MOVED", "ACTIVE")


# ---------------------------------------------------------------- party


def _party(s: Any, c1: int, c2: int, g1: int) -> None:
    def org(name: str, kind: str, **kw: Any) -> PartyOrg:
        o = PartyOrg(name=name, kind=kind, **kw)
        s.add(o)
        s.flush()
        return o

    o0 = org("钢城街道党工委", "WORKING_COMMITTEE", established_on=D(2020, 1, 1))
    o1 = org("新华社区党委", "COMMITTEE", parent_id=o0.id, community_id=c1)
    o2 = org(
        "新华一网格党支部",
        "BRANCH",
        parent_id=o1.id,
        community_id=c1,
        grid_id=g1,
        established_on=D(2021, 1, 1),
    )
    o3 = org("一网格一组", "GROUP", parent_id=o2.id, community_id=c1)
    o4 = org("朝阳社区党支部", "BRANCH", community_id=c2, established_on=D(2026, 11, 1))
    org("朝阳旧支部", "BRANCH", community_id=c2, retired_on=D(2026, 9, 30), retired_reason="撤并")

    def member(name: str, org_id: int, **kw: Any) -> PartyMember:
        m = PartyMember(name=name, org_id=org_id, **kw)
        s.add(m)
        s.flush()
        return m

    m1 = member("党员一", o2.id, joined_on=D(2010, 1, 1), confirmed_on=D(2011, 1, 1))
    m2 = member("党员二", o2.id, is_mobile=True)
    m3 = member("党员三", o2.id, stage="PROBATIONARY", joined_on=D(2026, 10, 8))
    m4 = member("党员四", o2.id, joined_on=D(2025, 11, 5), confirmed_on=D(2026, 11, 5))
    m5 = member("党员五", o2.id, status="TRANSFERRED_OUT", status_changed_on=D(2026, 11, 10))
    member("党员六", o2.id, status="DECEASED", status_changed_on=D(2026, 9, 1))
    member("积极分子", o2.id, stage="ACTIVIST")
    m8 = member("党员八", o1.id, is_lost_contact=True, dues_start_month="2026-11")
    m9 = member("党员九", o0.id, confirmed_on=D(2026, 10, 20))
    m10 = member("党员十", o2.id)
    s.add(PartyMemberEvent(member_id=m10.id, kind="TRANSFER_IN", on_date=D(2026, 11, 15), user="测试"))
    member("未来党员", o4.id, joined_on=D(2026, 11, 3), stage="PROBATIONARY")
    for post in ("SECRETARY", "ORGANISATION", "PUBLICITY", "DISCIPLINE"):
        s.add(PartyPost(org_id=o2.id, member_id=m1.id, post=post, from_date=D(2024, 1, 1)))
    s.add_all(
        [
            CommunityCheckIn(member_id=m1.id, community_id=c1, unit="某局", checked_in_on=D(2026, 5, 1)),
            CommunityCheckIn(member_id=m2.id, community_id=c2, unit="某局", checked_in_on=D(2026, 11, 2)),
            CommunityCheckIn(
                member_id=m3.id,
                community_id=c1,
                unit="某局",
                checked_in_on=D(2026, 1, 2),
                ended_on=D(2026, 10, 10),
            ),
        ]
    )

    def meeting(org_id: int, kind: str, on: dt.date, **kw: Any) -> None:
        s.add(PartyMeeting(org_id=org_id, kind=kind, held_on=on, topic="会议", **kw))

    meeting(o2.id, "THEME_DAY", D(2026, 10, 12), also_counts_as="MEMBER_ASSEMBLY,LECTURE")
    meeting(o2.id, "COMMITTEE", D(2026, 9, 28))
    meeting(o1.id, "COMMITTEE", D(2026, 10, 5))
    meeting(o3.id, "GROUP", D(2026, 10, 30), retired_on=D(2026, 11, 1), retired_reason="录入错误")
    meeting(o2.id, "LIFE_MEETING", D(2026, 3, 10))

    def pay(m: PartyMember, month: str, fen: int, on: dt.date, kind: str = "REGULAR") -> None:
        s.add(DuesPayment(member_id=m.id, month=month, kind=kind, amount_fen=fen, paid_on=on))

    pay(m1, "2026-10", 500, D(2026, 10, 8))
    pay(m2, "2026-10", 300, D(2026, 10, 9))
    pay(m2, "2026-10", -300, D(2026, 10, 10), "CORRECTION")
    pay(m3, "2026-10", 200, D(2026, 11, 2))
    pay(m4, "2026-09", 400, D(2026, 10, 3))
    pay(m5, "2026-10", 100, D(2026, 9, 30))
    pay(m9, "2026-10", 10000, D(2026, 10, 15), "EXTRA")
    pay(m8, "2026-11", 700, D(2026, 10, 20))


# ---------------------------------------------------------------- mediation and judicial confirmation


def _mediation(s: Any, c1: int, c2: int) -> dict[str, int]:
    k1 = MediationCommittee(
        name="新华社区人民调解委员会", short_name="新华社区", kind="社区(居)调委会", community_id=c1
    )
    k2 = MediationCommittee(name="钢城街道人民调解委员会", short_name="钢城街道", kind="街道调委会")
    s.add_all([k1, k2])
    s.flush()
    seq = iter(range(1, 100))
    cases: dict[str, MediationCase] = {}

    def case(
        key: str, accepted: dt.date, dtype: str, source: str, committee: MediationCommittee, community: int | None,
        outcome: str | None = None, outcome_on: dt.date | None = None, amount: str | None = None,
        oral: bool | None = None, performed: list[tuple[dt.date, str]] = (), **kw: Any,
    ) -> MediationCase:  # fmt: skip
        no = f"（{accepted.year}）{committee.short_name}人调字第{next(seq):03d}号"
        # ``amount`` is what the agreement's terms carry (协议涉及金额); the intake claim (涉及金额) is made
        # different on purpose — blank for C7, a larger figure elsewhere — so a report summing it is caught
        claimed = None if amount is None or key == "C7" else decimal.Decimal(amount) * 2 + 1
        mc = MediationCase(
            case_no=no, committee_id=committee.id, case_year=accepted.year, accepted_on=accepted, source=source,
            dispute_type=dtype, summary=f"{key}纠纷", community_id=community, outcome=outcome, outcome_on=outcome_on,
            amount_involved=claimed,
            stage="PERFORMING" if outcome == "SUCCESS" else ("MEDIATING" if outcome else "ACCEPTED"), **kw,
        )  # fmt: skip
        s.add(mc)
        s.flush()
        if oral is not None:
            assert outcome_on is not None
            a = Agreement(
                case_id=mc.id, agreement_no=no, oral=oral, made_on=outcome_on, facts="事实",
                signed_by_parties=True, signed_by_mediator=True, sealed=True, effective_on=outcome_on,
            )  # fmt: skip
            # the terms: the amount split over two terms (C7: 1,000.00 + 234.56), and a term without one
            money = decimal.Decimal(amount) if amount is not None else None
            first = min(money, decimal.Decimal(1000)) if money is not None else None
            rest = money - first if money is not None and first is not None and money > first else None
            a.terms = [
                AgreementTerm(seq=1, text="给付", amount=first),
                AgreementTerm(seq=2, text="赔礼道歉", amount=None),
                *([AgreementTerm(seq=3, text="余款", amount=rest)] if rest else []),
            ]
            s.add(a)
        for on, status in performed:
            s.add(Performance(case_id=mc.id, on_date=on, status=status))
        s.flush()
        cases[key] = mc
        return mc

    # 2026-10
    case("C1", D(2026, 10, 3), "婚姻家庭", "APPLICATION", k1, c1, "SUCCESS", D(2026, 10, 10), "5000.00", False,
         [(D(2026, 10, 25), "PERFORMED")])  # fmt: skip
    case("C2", D(2026, 10, 5), "邻里", "OWN_INITIATIVE", k1, c1, "SUCCESS", D(2026, 10, 12), None, True,
         [(D(2026, 11, 3), "PERFORMED")])  # fmt: skip
    case("C3", D(2026, 10, 8), "邻里", "REFERRAL", k2, c2, "FAILED", D(2026, 10, 20))
    case("C4", D(2026, 10, 20), "物业", "APPLICATION", k2, None)
    case("C5", D(2026, 10, 25), "合同", "APPLICATION", k1, None, "SUCCESS", D(2026, 11, 2), "800", False)
    case(
        "C6",
        D(2026, 10, 9),
        "婚姻家庭",
        "APPLICATION",
        k1,
        c1,
        retired_on=D(2026, 10, 11),
        retired_reason="重复登记",
    )
    # received in September, settled in October
    case("C7", D(2026, 9, 20), "损害赔偿", "OWN_INITIATIVE", k1, c1, "SUCCESS", D(2026, 10, 2), "1234.56", False,
         [(D(2026, 10, 10), "PARTIAL"), (D(2026, 10, 30), "PERFORMED")])  # fmt: skip
    # 2026-09 and 2026-08
    case("C8", D(2026, 9, 3), "婚姻家庭", "APPLICATION", k1, c1, "TERMINATED", D(2026, 9, 25))
    case("C9", D(2026, 9, 10), "劳动争议", "REFERRAL", k2, c2, "SUCCESS", D(2026, 9, 15), "20000", False,
         [(D(2026, 9, 30), "PERFORMED")])  # fmt: skip
    case("C14", D(2026, 8, 20), "其他", "APPLICATION", k1, c1, "SUCCESS", D(2026, 9, 1), None, False)
    # 2025-10
    case("C10", D(2025, 10, 10), "邻里", "APPLICATION", k1, c1, "SUCCESS", D(2025, 10, 20), "300", False)
    case("C11", D(2025, 10, 15), "物业", "OWN_INITIATIVE", k1, c1, "FAILED", D(2025, 10, 28))
    case("C12", D(2025, 10, 18), "消费", "APPLICATION", k2, c2, "SUCCESS", D(2025, 10, 25), "99.90", True)
    case(
        "C13", D(2025, 10, 22), "婚姻家庭", "OWN_INITIATIVE", k1, c1, "SUCCESS", D(2025, 10, 30), None, False
    )

    def agreement(key: str) -> Agreement:
        return s.scalar(select(Agreement).where(Agreement.case_id == cases[key].id))

    def track(key: str, effective: dt.date, deadline: dt.date, **kw: Any) -> None:
        a = agreement(key)
        s.add(
            JudicialConfirmation(
                case_id=cases[key].id, agreement_id=a.id, agreement_no=a.agreement_no, effective_on=effective,
                deadline=deadline, **kw,
            )
        )  # fmt: skip

    track("C1", D(2026, 10, 10), D(2026, 11, 9), filed_on=D(2026, 10, 15), accepted_on=D(2026, 10, 16),
          ruling="VALID", ruling_on=D(2026, 10, 28), state="VALID")  # fmt: skip
    track("C1", D(2026, 10, 10), D(2026, 11, 9), filed_on=D(2026, 10, 15), ruling="VALID",
          ruling_on=D(2026, 10, 29), state="VALID", retired_on=D(2026, 10, 30), retired_reason="重复")  # fmt: skip
    track("C9", D(2026, 9, 15), D(2026, 10, 15), filed_on=D(2026, 9, 20), accepted_on=D(2026, 9, 22),
          ruling="REJECTED", ruling_on=D(2026, 10, 5), state="REJECTED")  # fmt: skip
    track("C14", D(2026, 9, 1), D(2026, 10, 8), state="PREPARING")
    track("C13", D(2025, 10, 30), D(2025, 11, 29), filed_on=D(2025, 11, 5), accepted_on=D(2025, 11, 7),
          state="ACCEPTED")  # fmt: skip
    s.add_all(
        [
            CourtReferral(case_id=cases["C3"].id, court="长城区人民法院", referral_no="W1", referred_on=D(2026, 10, 2),
                          received_on=D(2026, 10, 3), deadline=D(2026, 11, 2), result="FAILED",
                          result_on=D(2026, 10, 20)),
            CourtReferral(court="长城区人民法院", referral_no="W2", referred_on=D(2026, 9, 1),
                          received_on=D(2026, 9, 1), deadline=D(2026, 10, 1)),
            CourtReferral(case_id=cases["C4"].id, court="长城区人民法院", referral_no="W3", referred_on=D(2026, 10, 14),
                          received_on=D(2026, 10, 15), deadline=D(2026, 11, 14), result="SUCCESS",
                          result_on=D(2026, 10, 25)),
        ]
    )  # fmt: skip
    return {key: mc.id for key, mc in cases.items()}


# ---------------------------------------------------------------- the dataset itself


def test_dataset_builds(street_ctx: Any) -> None:
    ids = build_known_dataset(street_ctx)
    with street_ctx.read() as s:
        assert s.scalar(select(MediationCase.case_no).where(MediationCase.id == ids["C1"])).startswith(
            "（2026）新华社区"
        )
        assert len(list(s.scalars(select(Resident.id)))) == 8
