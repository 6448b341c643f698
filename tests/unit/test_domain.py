"""The shared vocabulary (desktop.domain): what a record answers about itself."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop.core.errors import ValidationError
from desktop.domain.identity import Person, age_on, check_person, id_check_char
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


# ---------------------------------------------------------------- one person validator

TODAY = dt.date(2026, 11, 19)
# 620201 (嘉峪关) born 1960-05-12, sequence 011 (odd: 男)
FIRST17 = "62020119600512011"
WANG = FIRST17 + id_check_char(FIRST17)


def test_check_person_normalises_and_reads_the_id_number() -> None:
    p = check_person("王 建国", today=TODAY, id_number=" " + WANG.lower(), phone="+86 138 0937 0001")
    assert p == Person("王建国", WANG, "男", dt.date(1960, 5, 12), "13809370001")
    assert check_person("Anna Li", today=TODAY).name == "Anna Li"  # a latin name keeps its space


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        ({"name": "  "}, "name", "姓名不能为空"),
        ({"name": "张" * 51}, "name", "不能超过 50 个字"),
        ({"id_number": WANG[:17] + ("0" if WANG[17] != "0" else "1")}, "id_number", "校验位错误"),
        ({"id_number": WANG, "birth_date": dt.date(1960, 5, 13)}, "birth_date", "不一致"),
        ({"id_number": WANG, "gender": "女"}, "gender", "与身份证号码不符"),
        ({"gender": "未知"}, "gender", "应为“男”或“女”"),
        ({"birth_date": TODAY + dt.timedelta(days=1)}, "birth_date", "晚于今天"),
        ({"birth_date": dt.date(1889, 12, 31)}, "birth_date", "1890"),
        ({"phone": "12345678901"}, "phone", "手机号码"),
    ],
)
def test_check_person_names_the_field(kw: dict, field: str, text: str) -> None:
    kw = {"name": "钱多多", **kw}
    with pytest.raises(ValidationError, match=text) as err:
        check_person(kw.pop("name"), today=TODAY, subject="第 2 位当事人（钱多多）", **kw)
    assert err.value.field == field
    assert str(err.value).startswith("第 2 位当事人（钱多多）：")


def test_check_person_keeps_stored_values_the_form_did_not_send() -> None:
    kept = check_person("王建国", today=TODAY, stored_id_number=WANG, stored_phone="13809370001")
    assert (kept.id_number, kept.phone, kept.gender) == (WANG, "13809370001", "男")
    cleared = check_person(
        "王建国", today=TODAY, id_number="", phone="", stored_id_number=WANG, stored_phone="1"
    )
    assert (cleared.id_number, cleared.phone) == (WANG, None)  # a blank ID number keeps; a blank phone clears


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (dt.date(2026, 2, 28), 9),  # the day before a 29 February birthday in a common year
        (dt.date(2026, 3, 1), 10),
        (dt.date(2028, 2, 29), 12),
        (dt.date(2026, 12, 31), 10),
    ],
)
def test_age_on(day: dt.date, age: int) -> None:
    assert age_on(dt.date(2016, 2, 29), day) == age
    assert age_on(None, day) is None
