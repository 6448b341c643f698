"""Writing the checked 调解台账 cases: committees, places, mediators, the case with its parties,
agreement, terms, performance and visits (inside the import's one transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseParty,
    CaseStage,
    FollowUp,
    MediationCase,
    MediationCommittee,
    Mediator,
    PartyRole,
    Performance,
)
from db.schema.structure import Community, Grid, Street
from desktop.core.errors import ValidationError
from desktop.domain.text import clean_text
from desktop.exchange import mediation as cols
from desktop.exchange.issues import ImportIssue
from desktop.services.audit import snapshot
from desktop.services.context import UnitOfWork
from desktop.services.mediation.exchange_rows import MediationImportReport, ParsedCase, issue_at
from desktop.services.mediation.numbering import format_case_no, parse_case_no, reserve_number, take_number

PLACEHOLDER_STREET = "未命名街道"


@dataclass
class ImportState:
    committees: dict[str, MediationCommittee]  # short name → committee
    default: MediationCommittee | None
    communities: dict[str, Community]
    grids: dict[tuple[int, str], Grid]
    street: Street | None
    existing: set[str]
    #: 协议编号 already used → the case whose agreement it numbers (a clash is refused per case, by row)
    agreements: dict[str, str] = field(default_factory=dict)


def load_state(uow: UnitOfWork, committee: str | None) -> ImportState:
    s = uow.session
    committees = {
        c.short_name: c
        for c in s.scalars(select(MediationCommittee).where(MediationCommittee.retired_on.is_(None)))
    }
    default = None
    if committee:
        default = committees.get(clean_text(committee)) or next(
            (c for c in committees.values() if c.name == clean_text(committee)), None
        )
        if default is None:
            raise ValidationError(f"没有简称或名称为“{committee}”的人民调解委员会。", field="committee")
    elif len(committees) == 1:
        default = next(iter(committees.values()))
    grids = {(g.community_id, g.name): g for g in s.scalars(select(Grid).where(Grid.retired_on.is_(None)))}
    return ImportState(
        committees,
        default,
        {c.name: c for c in s.scalars(select(Community))},
        grids,
        s.scalar(select(Street).order_by(Street.id).limit(1)),
        set(s.scalars(select(MediationCase.case_no))),
        {
            agreement_no: case_no
            for agreement_no, case_no in s.execute(
                select(Agreement.agreement_no, MediationCase.case_no).join(
                    MediationCase, MediationCase.id == Agreement.case_id
                )
            )
        },
    )


def agreement_clash(st: ImportState, case: ParsedCase) -> ImportIssue | None:
    """The 协议编号 a ledger row gives is another case's already: the case is refused, the row named."""
    if not case.agreement_no or case.agreement_no not in st.agreements:
        return None
    owner = st.agreements[case.agreement_no]
    return issue_at(
        case.row,
        cols.CASES_SHEET,
        "协议编号",
        case.agreement_no,
        f"协议编号“{case.agreement_no}”已用于案件 {owner} 的调解协议（协议编号必须唯一），整件未导入",
        "agreement_no_taken",
    )


def committee_for(
    uow: UnitOfWork, st: ImportState, case: ParsedCase, report: MediationImportReport
) -> MediationCommittee | None:
    parsed = parse_case_no(case.case_no) if case.case_no else None
    if parsed is None:
        return st.default
    found = st.committees.get(parsed.short_name)
    if found is not None:
        return found
    c = MediationCommittee(
        name=f"{parsed.short_name}人民调解委员会",
        short_name=parsed.short_name,
        seal_text=f"{parsed.short_name}人民调解委员会",
        kind="社区(居)调委会",
    )
    uow.session.add(c)
    uow.session.flush()
    uow.audit(
        "create", "mediation_committee", c.id, summary=f"导入调解案件时新建：{c.name}", after=snapshot(c)
    )
    st.committees[c.short_name] = c
    if st.default is None and len(st.committees) == 1:
        st.default = c
    report.created_committees.append(c.name)
    return c


def place_for(
    uow: UnitOfWork,
    st: ImportState,
    case: ParsedCase,
    report: MediationImportReport,
    issues: list[ImportIssue],
) -> tuple[int | None, int | None]:
    s = uow.session
    community = None
    if case.community:
        community = st.communities.get(case.community)
        if community is None:
            if st.street is None:
                st.street = Street(name=PLACEHOLDER_STREET)
                s.add(st.street)
                s.flush()
                uow.audit(
                    "create", "street", st.street.id, summary=f"导入调解案件时新建街道：{PLACEHOLDER_STREET}"
                )
            community = Community(street_id=st.street.id, name=case.community)
            s.add(community)
            s.flush()
            uow.audit(
                "create", "community", community.id, summary=f"导入调解案件时新建社区：{case.community}"
            )
            st.communities[case.community] = community
            report.created_places.append(case.community)
            issues.append(
                issue_at(
                    case.row,
                    cols.CASES_SHEET,
                    "所属社区",
                    case.community,
                    "社区不存在，已新建",
                    "created",
                    True,
                )
            )
    grid = None
    if case.grid:
        if community is None:
            issues.append(
                issue_at(
                    case.row,
                    cols.CASES_SHEET,
                    "所属网格",
                    case.grid,
                    "没有所属社区，网格未关联",
                    "no_community",
                    True,
                )
            )
        else:
            grid = st.grids.get((community.id, case.grid))
            if grid is None:
                code = case.grid[:30]
                n = 1
                while s.scalar(select(Grid.id).where(Grid.code == code)) is not None:
                    n += 1
                    code = f"{case.grid[:26]}-{n}"
                grid = Grid(community_id=community.id, code=code, name=case.grid)
                s.add(grid)
                s.flush()
                uow.audit("create", "grid", grid.id, summary=f"导入调解案件时新建网格：{case.grid}")
                st.grids[(community.id, case.grid)] = grid
                report.created_places.append(case.grid)
                issues.append(
                    issue_at(
                        case.row,
                        cols.CASES_SHEET,
                        "所属网格",
                        case.grid,
                        "网格不存在，已新建（网格编号暂用名称，请在“网格”页面修改）",
                        "created",
                        True,
                    )
                )
    return (community.id if community else None), (grid.id if grid else None)


def mediator_for(uow: UnitOfWork, committee: MediationCommittee, name: str) -> int:
    s = uow.session
    found = s.scalar(select(Mediator.id).where(Mediator.committee_id == committee.id, Mediator.name == name))
    if found is not None:
        return found
    m = Mediator(committee_id=committee.id, name=name[:50])
    s.add(m)
    s.flush()
    uow.audit("create", "mediator", m.id, summary=f"导入调解案件时新增调解员：{name}", after=snapshot(m))
    return m.id


def apply_case(
    uow: UnitOfWork,
    st: ImportState,
    case: ParsedCase,
    report: MediationImportReport,
    issues: list[ImportIssue],
) -> None:
    s = uow.session
    committee = committee_for(uow, st, case, report)
    if committee is None:
        issues.append(
            issue_at(
                case.row,
                cols.CASES_SHEET,
                "案件编号",
                case.case_no or None,
                "无法确定人民调解委员会：请填写案件编号，或用 --committee 指定委员会简称",
                "no_committee",
            )
        )
        report.rejected += 1
        return
    parsed = parse_case_no(case.case_no) if case.case_no else None
    if case.case_no:
        number = case.case_no
        year, seq = (parsed.year, parsed.seq) if parsed else (case.accepted_on.year, None)
        if parsed and parsed.short_name == committee.short_name:
            reserve_number(s, committee.id, parsed.year, parsed.seq)
    else:
        year = case.accepted_on.year
        seq = take_number(s, committee.id, year)
        number = format_case_no(year, committee.short_name, seq)
        report.numbers_assigned += 1
    community_id, grid_id = place_for(uow, st, case, report, issues)
    lead = mediator_for(uow, committee, case.mediators[0]) if case.mediators else None
    stage = CaseStage.ACCEPTED
    if case.closed_on:
        stage = CaseStage.CLOSED
    elif case.outcome == "SUCCESS":
        stage = CaseStage.PERFORMING
    elif case.outcome:
        stage = CaseStage.MEDIATING
    mc = MediationCase(
        case_no=number,
        committee_id=committee.id,
        case_year=year,
        case_seq=seq,
        accepted_on=case.accepted_on,
        source=case.source,
        dispute_type=case.dispute.code,
        dispute_subtype=case.subtype,
        summary=case.summary,
        amount_involved=case.amount,
        mediator_id=lead,
        assistant_mediators="、".join(case.mediators[1:]) or None,
        community_id=community_id,
        grid_id=grid_id,
        stage=stage,
        outcome=case.outcome,
        outcome_on=case.made_on or case.closed_on if case.outcome else None,
        closed_on=case.closed_on,
        notes="由调解台账导入",
    )
    s.add(mc)
    s.flush()
    for i, (_row, _seq, values) in enumerate(sorted(case.parties, key=lambda p: p[1]), start=1):
        # the 身份 column if the row has it, else (old ledgers) the first party applies, the others respond
        role = values.get("role") or (PartyRole.APPLICANT if i == 1 else PartyRole.RESPONDENT)
        values = {**values, "role": role}
        s.add(CaseParty(case_id=mc.id, seq=i, **values))
    if case.oral is not None and case.made_on is not None:
        a = Agreement(
            case_id=mc.id,
            agreement_no=case.agreement_no or number,
            oral=case.oral,
            made_on=case.made_on,
            facts=case.summary,
            performance_manner=case.manner,
            performance_place=case.place,
            performance_deadline=case.deadline,
            copies=len(case.parties) + 1,
            signed_by_parties=True,
            signed_by_mediator=True,
            sealed=True,
            effective_on=case.made_on,
        )
        s.add(a)
        s.flush()
        st.agreements[a.agreement_no] = number
        for seq, (_row, _n, text, amount, due) in enumerate(sorted(case.terms, key=lambda t: t[1]), start=1):
            s.add(AgreementTerm(agreement_id=a.id, seq=seq, text=text, amount=amount, due_on=due))
        if case.performance:
            on = case.closed_on or case.deadline or case.made_on
            s.add(
                Performance(
                    case_id=mc.id,
                    on_date=on,
                    status=case.performance,
                    note="由调解台账导入",
                    recorded_by=uow.actor.user,
                )
            )
    for _row, visited_on, visitor, notes in case.visits:
        s.add(
            FollowUp(
                case_id=mc.id,
                visited_on=visited_on,
                visitor=visitor,
                notes=notes,
                visited_party="、".join(str(p[2]["name"]) for p in case.parties)[:200],
            )
        )
    s.flush()
    uow.audit("create", "mediation_case", mc.id, summary=f"导入人民调解案件 {number}", after=snapshot(mc))
    st.existing.add(number)
    report.created += 1
