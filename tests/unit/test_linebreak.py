"""禁则 at the level of the line breaker: every width, every break, the rules hold and the text survives."""

from __future__ import annotations

import pytest

from desktop.documents import layout  # noqa: F401  (installs the breaker into ReportLab)
from desktop.documents.linebreak import CANNOT_END_LINE, CANNOT_START_LINE, dumb_split, split_lines

TEXT = (
    "甲方于2026年12月31日前一次性支付乙方人民币壹万贰仟伍佰元整（￥12,500.00）；"
    "依照《中华人民共和国人民调解法》第三十三条，“联系方式”为13909370003，法定代理人：李建国（父亲）。"
)


@pytest.mark.parametrize("chars_per_line", range(4, 40))
def test_no_line_breaks_a_rule_at_any_width(chars_per_line: int) -> None:
    widths = [10.0 if ord(c) > 0x2E80 else 5.0 for c in TEXT]
    lines = split_lines(TEXT, lambda i, _m: widths[i], [10.0 * chars_per_line], [False] * len(TEXT))
    assert "".join(TEXT[a:b] for a, b, _u, _h in lines) == TEXT  # nothing lost, nothing doubled
    for a, b, used, _hard in lines:
        assert used <= 10.0 * chars_per_line + 1e-6
        if b < len(TEXT):
            assert TEXT[b - 1] not in CANNOT_END_LINE, TEXT[a:b]
            assert TEXT[b] not in CANNOT_START_LINE, TEXT[b:]
            if chars_per_line >= 12:  # wide enough for a phone number and a label
                assert not (TEXT[b - 1].isdigit() and TEXT[b].isdigit()), TEXT[a:b]
                assert not TEXT[a:b].endswith(("联系", "联系方", "法定", "法定代", "法定代理")), TEXT[a:b]


def test_a_cell_narrower_than_a_word_still_gets_every_character() -> None:
    word = "联系方式"
    lines = dumb_split(word, [10.0] * 4, 25.0)
    assert "".join(text for _extra, text in lines) == word
    assert all(text for _extra, text in lines)
