import datetime as dt

import pytest

from desktop.exchange.values import ValueProblem, parse_bool, parse_count, parse_date, parse_gender

D = dt.date(1980, 5, 6)


@pytest.mark.parametrize(
    "value",
    [
        "1980-05-06",
        "1980.05.06",
        "1980.5.6",
        "1980/5/6",
        "1980年5月6日",
        "１９８０年５月６日",
        " 1980-05-06 ",
        "19800506",
        19800506,
        29347,
        29347.0,
        dt.datetime(1980, 5, 6, 0, 0),
        D,
        "1980-05-06T00:00:00",
    ],
)
def test_dates_in_every_form_people_type(value):
    assert parse_date(value) == D


@pytest.mark.parametrize("value", ["1980-02-30", "abc", "1980年13月1日", 1.5, "80-5-6"])
def test_bad_dates_are_refused_with_a_chinese_reason(value):
    with pytest.raises(ValueProblem, match="不是有效日期"):
        parse_date(value, field="出生日期")


def test_blank_dates_are_none():
    assert parse_date(None) is None and parse_date("  ") is None


@pytest.mark.parametrize(
    ("value", "expected"), [(12, 12), (12.0, 12), ("1,234", 1234), ("１２", 12), ("0", 0), ("", None)]
)
def test_counts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", [-1, "3.5", 2.5, "abc", True])
def test_bad_counts(value):
    with pytest.raises(ValueProblem):
        parse_count(value, field="户数")


def test_gender_and_bool():
    assert parse_gender("男") == "男" and parse_gender(" 女 ") == "女" and parse_gender("") is None
    with pytest.raises(ValueProblem, match="性别"):
        parse_gender("未知")
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool(None) is None


def test_clean_text_folds_fullwidth_alphanumerics_but_keeps_chinese_punctuation():
    from desktop.domain.identity import normalize_id_number, normalize_phone
    from desktop.domain.text import clean_text

    assert clean_text(" ＧＣ－０１\u200b ") == "GC－01"
    assert clean_text("东至新华路，西至建设街（含３号楼）") == "东至新华路，西至建设街（含3号楼）"
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_phone("＋８６ １３８ ００１３ ８０００") == "13800138000"
