"""Amounts of money in words: 大写金额 as bills, receipts and agreements write them.

Rules of 中国人民银行《支付结算办法》(银发〔1997〕393号) 附件一 "正确填写票据和结算凭证的基本规定":

* capitals 壹贰叁肆伍陆柒捌玖拾佰仟万亿 and 零, units 元角分;
* an amount ending in 元 is followed by 整 (壹拾元整); one ending in 角 may go without 整 and does
  (壹拾元伍角); one with 分 has no 整;
* a 0 inside the digits is written 零 (1,005 → 壹仟零伍元); several 0s in a row are one 零
  (10,005 → 壹万零伍元); a 0 at the 元 place before a non-zero 角 may go without 零, and we write none
  (1,680.32 → 壹仟陆佰捌拾元叁角贰分, the rules' own second form); a 0 角 between 元 and 分 is 零
  (10.05 → 壹拾元零伍分);
* a leading 1 of a ten is written 壹拾 (10 → 壹拾元整, 100,000 → 壹拾万元整).

:func:`amount_words` gives "壹万贰仟伍佰元整"; :func:`amount_text` the form printed in documents,
"人民币壹万贰仟伍佰元整（￥12,500.00）".
"""

from __future__ import annotations

import decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")
#: the largest amount written (below 一万亿亿)
MAX_AMOUNT = decimal.Decimal("9999999999999999.99")


def _cents(amount: decimal.Decimal | int | float | str) -> int:
    try:
        value = decimal.Decimal(str(amount)) if not isinstance(amount, decimal.Decimal) else amount
        cents = (value * 100).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)
    except (decimal.InvalidOperation, ValueError) as exc:
        raise ValueError(f"金额“{amount}”不是数字") from exc
    if cents < 0:
        raise ValueError(f"金额“{amount}”不能为负数")
    if cents > MAX_AMOUNT * 100:
        raise ValueError(f"金额“{amount}”过大，无法写成大写")
    return int(cents)


def _group(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 for inner zeros, no leading or trailing 零."""
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def _yuan(n: int) -> str:
    """The whole-yuan part (n > 0), groups of four digits with 万/亿, one 零 for any run of zeros."""
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out: list[str] = []
    pending_zero = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        pending_zero = False
        out.append(_group(g) + _BIG_UNITS[idx])
    return "".join(out)


def amount_words(amount: decimal.Decimal | int | float | str) -> str:
    """The amount in capitals: 1005 → 壹仟零伍元整, 10.50 → 壹拾元伍角, 0.05 → 伍分, 0 → 零元整."""
    cents = _cents(amount)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零元整"
    out = _yuan(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return out


def amount_figures(amount: decimal.Decimal | int | float | str) -> str:
    """ "￥12,500.00"."""
    return f"￥{decimal.Decimal(_cents(amount)) / 100:,.2f}"


def amount_text(amount: decimal.Decimal | int | float | str) -> str:
    """ "人民币壹万贰仟伍佰元整（￥12,500.00）": the words and the figures, from the one number."""
    return f"人民币{amount_words(amount)}（{amount_figures(amount)}）"
