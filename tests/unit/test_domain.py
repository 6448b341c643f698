"""The shared vocabulary (desktop.domain): what a record answers about itself."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop.domain.judicial import CLOSED_STATES, STATE_LABELS, state_is_closed
from desktop.domain.mediation import (
    OPEN_FILTER,
    STAGE_FILTER_LABELS,
    STAGE_LABELS,
    CaseRecord,
    CommitteeRecord,
    stage_is_open,
)

DAY = dt.date(2026, 11, 19)  # a Thursday


def _case(stage: str, retired_on: dt.date | None = None) -> CaseRecord:
    nulls = {f.name: None for f in dataclasses.fields(CaseRecord) if f.default is dataclasses.MISSING}
    return CaseRecord(
        **{
            **nulls,
            "id": 1,
            "case_no": "新华调〔2026〕1号",
            "committee": CommitteeRecord(1, "新华社区人民调解委员会", "新华社区", None),
            "accepted_on": DAY,
            "source": "APPLICATION",
            "dispute_type": "NEIGHBOUR",
            "dispute_type_label": "邻里纠纷",
            "summary": "漏水",
            "stage": stage,
            "version": 1,
        },
        retired_on=retired_on,
    )


@pytest.mark.parametrize(
    ("stage", "is_open", "can_archive", "can_retire"),
    [
        ("ACCEPTED", True, False, True),
        ("MEDIATING", True, False, True),
        ("PERFORMING", True, False, True),
        ("CLOSED", False, True, True),
        ("ARCHIVED", False, False, False),
    ],
)
def test_the_case_record_answers_what_can_be_done(
    stage: str, is_open: bool, can_archive: bool, can_retire: bool
) -> None:
    case = _case(stage)
    assert (case.is_open, case.can_archive, case.can_retire) == (is_open, can_archive, can_retire)
    assert stage_is_open(stage) is is_open
    retired = _case(stage, retired_on=DAY)
    assert retired.is_retired
    assert (retired.is_open, retired.can_archive, retired.can_retire) == (False, False, False)


def test_the_stage_filter_offers_open_cases_then_every_stage() -> None:
    assert list(STAGE_FILTER_LABELS) == [OPEN_FILTER, *STAGE_LABELS]
    assert STAGE_FILTER_LABELS[OPEN_FILTER] == "未结案"


def test_judicial_closed_states() -> None:
    assert {s for s in STATE_LABELS if state_is_closed(s)} == set(CLOSED_STATES)
    assert state_is_closed("WITHDRAWN") and state_is_closed("NOT_ACCEPTED")
    assert not any(state_is_closed(s) for s in ("PREPARING", "FILED", "ACCEPTED", "VALID", "REJECTED"))
