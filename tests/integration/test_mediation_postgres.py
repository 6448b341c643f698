"""Mediation on PostgreSQL: case numbers stay unique and gap-free when several PCs add cases at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from db.engine import Database
from db.schema.mediation import CaseNumberCounter
from desktop.core.identity import Actor
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation.numbering import format_case_no
from tests.unit.test_mediation_helpers import D, agreement_input, full_case, intake, setup_committee

pytestmark = pytest.mark.postgres


def test_case_numbers_under_concurrency(ctx: ServiceContext) -> None:
    """Six PCs (own engines), each adding 6 cases as fast as it can, in two committees."""
    c1, m1, _ = setup_committee(ctx)
    c2 = med.save_committee(ctx, med.CommitteeInput("朝阳社区人民调解委员会", "朝阳社区"))
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def pc(i: int) -> None:
        other = ServiceContext(Database(ctx.database.url), Actor(f"调解员{i}", f"pc-{i}"))
        try:
            start.wait()
            for _ in range(6):
                n = intake(other, c1 if i % 2 else c2, m1 if i % 2 else None)
                with lock:
                    numbers.append(n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            other.database.dispose()

    threads = [threading.Thread(target=pc, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == len(set(numbers)) == 36
    assert sorted(n for n in numbers if "新华" in n) == [
        format_case_no(2026, "新华社区", i) for i in range(1, 19)
    ]
    assert sorted(n for n in numbers if "朝阳" in n) == [
        format_case_no(2026, "朝阳社区", i) for i in range(1, 19)
    ]
    with ctx.read() as s:
        assert sorted(s.scalars(select(CaseNumberCounter.last_seq))) == [18, 18]


def test_first_case_of_a_year_from_two_pcs(ctx: ServiceContext) -> None:
    """Both PCs find no counter row for the year; the loser of the INSERT race takes the next number."""
    c1, m1, _ = setup_committee(ctx)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def pc(i: int) -> None:
        other = ServiceContext(Database(ctx.database.url), Actor("调解员", f"pc-{i}"))
        try:
            barrier.wait()
            results.append(intake(other, c1, m1, accepted_on=D(2025, 6, 1)))
        finally:
            other.database.dispose()

    threads = [threading.Thread(target=pc, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [format_case_no(2025, "新华社区", 1), format_case_no(2025, "新华社区", 2)]


def test_full_case_on_postgres(ctx: ServiceContext) -> None:
    c1, m1, _ = setup_committee(ctx)
    no = full_case(ctx, c1, m1)
    case = med.get_case(ctx, no)
    assert case.stage == "CLOSED" and case.agreement is not None and case.agreement.copies == 3


def test_demo_cases_on_postgres_then_new_cases_continue(ctx: ServiceContext) -> None:
    """The demo assigns ids itself: the sequences must move on, and numbers continue after the demo's."""
    from desktop.services import demo

    demo.generate(ctx, "small")
    rows = med.list_cases(ctx)
    assert len(rows) >= 30
    committee = med.list_committees(ctx)[0]
    year = demo.DEMO_DATE.year
    last = max(int(r.case_no.split("第")[1][:-1]) for r in rows if r.case_no.startswith(f"（{year}）"))
    no = intake(ctx, committee.id, None, accepted_on=D(year, 11, 1))
    assert no == format_case_no(year, committee.short_name, last + 1)
    case = med.get_case(ctx, no)
    agreement = agreement_input(
        made_on=D(year, 11, 2),
        performance_deadline=D(year, 11, 20),
        terms=[med.TermInput("赔偿", None, D(year, 11, 20))],
    )
    med.save_agreement(
        ctx, case.id, agreement, today=D(year, 11, 23)
    )  # new agreement / follow-up ids from the sequences
    assert case.id > max(r.id for r in rows)
