"""大写金额 (中国人民银行《支付结算办法》附件一): capitals, 零, 整, and the printed form with figures."""

from __future__ import annotations

import decimal

import pytest

from desktop.domain.amounts import amount_figures, amount_text, amount_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12500", "壹万贰仟伍佰元整"),
        ("1005", "壹仟零伍元整"),
        ("10.50", "壹拾元伍角"),
        ("0.05", "伍分"),
        ("0.5", "伍角"),
        ("0.55", "伍角伍分"),
        ("100000.00", "壹拾万元整"),
        ("1000000", "壹佰万元整"),
        ("10010000.08", "壹仟零壹万元零捌分"),
        ("10005", "壹万零伍元整"),
        ("10050", "壹万零伍拾元整"),
        ("10500", "壹万零伍佰元整"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("10.05", "壹拾元零伍分"),
        ("1000.05", "壹仟元零伍分"),
        ("15", "壹拾伍元整"),
        ("115", "壹佰壹拾伍元整"),
        ("1", "壹元整"),
        ("0", "零元整"),
        ("2500", "贰仟伍佰元整"),
        ("30000", "叁万元整"),
        ("107000.4", "壹拾万柒仟元肆角"),
        ("100000001", "壹亿零壹元整"),
        ("100010000", "壹亿零壹万元整"),
        ("120000000", "壹亿贰仟万元整"),
        ("1001001001", "壹拾亿零壹佰万壹仟零壹元整"),
    ],
)
def test_capital_numerals(amount: str, words: str) -> None:
    assert amount_words(decimal.Decimal(amount)) == words


def test_printed_form_carries_words_and_figures() -> None:
    assert amount_text(decimal.Decimal("12500")) == "人民币壹万贰仟伍佰元整（￥12,500.00）"
    assert amount_text(1005) == "人民币壹仟零伍元整（￥1,005.00）"
    assert amount_figures("10010000.08") == "￥10,010,000.08"
    # a third decimal rounds half up to the fen, in words and figures alike
    assert amount_text("0.125") == "人民币壹角叁分（￥0.13）"


@pytest.mark.parametrize("bad", ["-1", "abc", "1e20"])
def test_bad_amounts_are_refused_in_chinese(bad: str) -> None:
    with pytest.raises(ValueError, match="金额"):
        amount_words(bad)
