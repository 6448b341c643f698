"""``shequ demo``'s 司法确认 part: every state, warnings relative to the demo date, consistent dates."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from db.schema.judicial import CourtReferral, JudicialConfirmation
from db.schema.mediation import Agreement, MediationCase
from desktop.core.identity import Actor
from desktop.services import demo
from desktop.services import judicial as jc
from desktop.services.bootstrap import open_database
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import load_calendar

T = demo.DEMO_DATE


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    opened = open_database(
        tmp_path_factory.mktemp("jdemo") / "small.sqlite3", actor=Actor("测试员", "test-pc")
    )
    demo.generate(opened.ctx, scale="small")
    yield opened.ctx
    opened.ctx.database.dispose()


def test_every_state_and_warning_kind(small) -> None:
    rows = jc.list_tracks(small, today=T)
    assert {r.state for r in rows} == {
        "PREPARING",
        "FILED",
        "ACCEPTED",
        "VALID",
        "REJECTED",
        "WITHDRAWN",
        "NOT_ACCEPTED",
    }
    kinds = {(a.kind, a.level, a.overdue) for r in rows for a in r.alerts}
    assert ("deadline", "red", False) in kinds  # within 3 days
    assert ("deadline", "red", True) in kinds  # passed
    assert {"acceptance_late", "ruling_late"} <= {k for k, _l, _o in kinds}
    assert jc.list_referrals(small, "OPEN", today=T) and jc.list_referrals(small, "ATTENTION", today=T)
    texts = [w.text for w in jc.dashboard_warnings(small, T)]
    assert any(t.startswith("司法确认申请期限 3 日内届满") for t in texts)
    assert any(t.startswith("委派调解") for t in texts)


def test_dates_are_consistent(small) -> None:
    with small.read() as s:
        cal = load_calendar(s)
        for t, eff, accepted in s.execute(
            select(JudicialConfirmation, Agreement.effective_on, MediationCase.accepted_on)
            .join(Agreement, Agreement.id == JudicialConfirmation.agreement_id)
            .join(MediationCase, MediationCase.id == JudicialConfirmation.case_id)
        ):
            assert t.effective_on == eff and accepted <= eff <= T
            assert t.deadline == dl.confirmation_deadline(eff, cal).day
            days = [t.filed_on, t.accepted_on, t.ruling_on, t.enforcement_applied_on]
            known = [d for d in days if d is not None]
            assert known == sorted(known) and all(d <= T for d in known)
            if t.filed_on:
                assert t.filed_on >= eff and t.court
                assert t.filed_on <= t.deadline or t.late_reason
                assert all(m.received for m in t.materials if m.required)
            if t.accepted_on:
                assert t.court_case_no and ("民特" in t.court_case_no or "诉前调确" in t.court_case_no)
            if t.ruling == "VALID":
                assert t.enforcement_limit is not None
        for r in s.scalars(select(CourtReferral)):
            assert r.deadline == dl.referral_deadline(r.received_on, r.extension_days, cal).day
            assert r.referred_on <= r.received_on <= T
            assert not r.extension_days or (r.extension_note and r.extension_approved_on)


def _serial(no: str, kind: str) -> tuple[int, int]:
    """（2026）甘0202民特123号 → (2026, 123)."""
    m = re.fullmatch(rf"（(\d{{4}})）甘0202{kind}(\d+)号", no)
    assert m, no
    return int(m[1]), int(m[2])


def test_court_numbers_rise_with_the_day_through_the_year(small) -> None:
    with small.read() as s:
        tracks = s.execute(
            select(
                JudicialConfirmation.accepted_on,
                JudicialConfirmation.court_case_no,
                JudicialConfirmation.referral_id,
            )
            .where(JudicialConfirmation.court_case_no.is_not(None))
            .order_by(JudicialConfirmation.accepted_on, JudicialConfirmation.id)
        ).all()
        referrals = s.execute(select(CourtReferral.received_on, CourtReferral.referral_no)).all()
    assert len(tracks) >= 4
    for kind, rows in (
        ("民特", [(d, no) for d, no, ref in tracks if ref is None]),
        ("诉前调确", [(d, no) for d, no, ref in tracks if ref is not None]),
        ("民诉前调", sorted(referrals)),
    ):
        numbers = [(day, *_serial(no, kind)) for day, no in rows]
        for (d1, y1, n1), (d2, y2, n2) in itertools.pairwise(numbers):
            assert y1 == d1.year and y2 == d2.year
            assert y1 < y2 or n1 < n2 or (d1 == d2 and n1 != n2), (kind, d1, n1, d2, n2)
    assert len({no for _d, no, _r in tracks}) == len(tracks)


def test_most_tracks_are_filed_in_time_a_few_late_with_a_reason(small) -> None:
    with small.read() as s:
        filed = s.scalars(
            select(JudicialConfirmation).where(JudicialConfirmation.filed_on.is_not(None))
        ).all()
        late = [t for t in filed if t.filed_on and t.filed_on > t.deadline]
        assert late and len(late) <= len(filed) // 3
        assert all(t.late_reason and t.late_recorded_by for t in late)
        # a court does not confirm an agreement applied for after the 30 days
        assert all(t.state in ("FILED", "NOT_ACCEPTED", "WITHDRAWN") for t in late)
