"""Text as people type it: full-width folding, zero-width characters, codes compared by NFKC."""

from __future__ import annotations

import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)

# full-width ASCII letters and digits (Ａ–Ｚ, ａ–ｚ, ０–９) and the ideographic space fold to half-width;
# Chinese punctuation (，：；（）《》…) is left alone: NFKC would turn it into ASCII in free text.
_FOLD = {
    cp: cp - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for cp in range(r[0], r[1] + 1)
}
_FOLD[0x3000] = 0x20
_CLEAN: dict[int, int | None] = {**_ZERO_WIDTH, **_FOLD, 0xA0: 0x20}  # both, and NBSP → space, in one pass


def clean_text(value: object) -> str:
    """Fold full-width letters/digits/space, drop zero-width characters, NBSP → space, trim.

    Chinese punctuation stays as typed (四至 “东至新华路，西至建设街” keeps its full-width comma).
    """
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text.isascii():  # nothing to fold (an import calls this some 20 times a row)
        return text.strip()
    return text.translate(_CLEAN).strip()


def nfkc(value: object) -> str:
    """Full NFKC, for values that are codes (ID numbers, phones): ＋８６ → +86, －→ -."""
    return clean_text(unicodedata.normalize("NFKC", "" if value is None else str(value)))


def normalize_code(value: object) -> str:
    """A code (网格编号, 户号, 案件编号 prefix): NFKC, so ＧＣ－０１ and GC-01 are the same code."""
    return nfkc(value)


def grid_label(grid_name: str, community_name: str = "") -> str:
    """A grid as a list shows it: 新华社区第一网格 → 第一网格; with ``community_name`` (a list that spans
    communities, where 第一网格 alone is ambiguous) → 新华社区·第一网格."""
    _head, sep, rest = grid_name.partition("社区")
    short = rest if sep and rest else grid_name
    return f"{community_name}·{short}" if community_name and short != community_name else short
