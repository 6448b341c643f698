"""Chinese line breaking (禁则) for every Paragraph with ``wordWrap='CJK'``, in one place.

ReportLab cuts CJK text "like a knife" between any two characters. Its only rule is that the one
character that overflows a line may hang in the margin if it cannot start a line; it has no rule for
characters that cannot END a line, so a line could end with "（" or "《", and a second closing mark
("）。") still started the next line. This module replaces both of ReportLab's CJK splitters
(``reportlab.lib.textsplit.dumbSplit`` for single-fragment paragraphs and
``reportlab.platypus.paragraph.cjkFragSplit`` for paragraphs with several fragments) with one rule set
(GB/T 15834-2011 标点符号用法 §5.1.9 and common Chinese typesetting practice):

* no line starts with closing punctuation: ，。、；：！？）》」』】〕〉”’… and their ASCII forms;
* no line ends with opening punctuation: （《「『【〔〈“‘ and the currency sign ￥;
* a run of Latin letters and digits (a phone or ID number, "12,500.00") is not cut;
* short labels in :data:`NO_BREAK_WORDS` ("联系方式", "法定代理人") are not cut.

A break that would violate a rule moves back (the line is a little shorter); if no legal point exists
(a cell narrower than one number or label), the punctuation rules alone are kept within half the line,
and failing that the knife cut is used, so text always fits.

:func:`install` patches ReportLab once (idempotent); ``desktop.documents.layout`` calls it at import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.rl_config import _FUZZ

#: characters that must never begin a line
CANNOT_START_LINE = "，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}"
#: characters that must never end a line
CANNOT_END_LINE = "（《「『【〔〈“‘([{￥"
#: labels and terms printed whole on one line
NO_BREAK_WORDS = (
    "联系方式",
    "联系电话",
    "法定代理人",
    "法定代表人",
    "委托代理人",
    "公民身份号码",
    "身份证号码",
)
_NO_BREAK_RE = re.compile("|".join(re.escape(w) for w in sorted(NO_BREAK_WORDS, key=len, reverse=True)))


def _is_word_char(ch: str) -> bool:
    """Part of a Latin/digit run that must stay whole (ASCII letters, digits and in-number marks)."""
    return bool(ch) and ord(ch) < 0x2E80 and not ch.isspace() and ch not in "()[]{}"


def _protected(text: str) -> set[int]:
    """Positions ``b`` where a break between ``text[b-1]`` and ``text[b]`` would cut a NO_BREAK word."""
    out: set[int] = set()
    for m in _NO_BREAK_RE.finditer(text):
        out.update(range(m.start() + 1, m.end()))
    return out


def allowed_break(text: str, b: int, protected: set[int], strict: bool = True) -> bool:
    """May a line end after ``text[b-1]`` and the next start with ``text[b]``?"""
    before, after = text[b - 1], text[b]
    if after in CANNOT_START_LINE or before in CANNOT_END_LINE:
        return False
    if not strict:
        return True
    if _is_word_char(before) and _is_word_char(after) and not (before in ",.;:!?" and after.isalpha()):
        return False
    return b not in protected


def choose_break(text: str, start: int, overflow: int, protected: set[int]) -> int:
    """Where to end the line that starts at ``start`` when ``text[overflow]`` no longer fits."""
    # a number or a label moves whole to the next line, however far back it starts; the punctuation
    # rules alone may shorten a line by at most half
    for strict, limit in ((True, start + 1), (False, start + max(1, (overflow - start) // 2))):
        for b in range(overflow, limit - 1, -1):
            if allowed_break(text, b, protected, strict):
                return b
    return overflow


def split_lines(
    text: str, width_of: Callable[[int, float], float], max_widths: Sequence[float], hard: Sequence[bool]
) -> list[tuple[int, int, float, bool]]:
    """Lines of ``text`` as (start, end, width used, ends with a hard break).

    ``width_of(i, max_width)`` is the width of character ``i``; ``hard[i]`` marks a forced line break
    (the break character belongs to the line it ends)."""
    protected = _protected(text)
    lines: list[tuple[int, int, float, bool]] = []
    n, start = len(text), 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used, i = 0.0, start
        widths: list[float] = []
        overflow = None
        while i < n:
            if hard[i]:
                break
            w = width_of(i, max_width)
            if used + w > max_width + _FUZZ and i > start:
                overflow = i
                break
            used += w
            widths.append(w)
            i += 1
        if overflow is None:
            end = i + 1 if i < n else n  # the hard break character stays on its line
            lines.append((start, end, used, i < n))
            start = end
            continue
        end = choose_break(text, start, overflow, protected)
        used = sum(widths[: end - start])
        lines.append((start, end, used, False))
        start = end
    return lines


def dumb_split(word: str, widths: Sequence[float], max_widths: Any) -> list[list[Any]]:
    """``reportlab.lib.textsplit.dumbSplit`` with 禁则: [[extra space, line text], …]."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    lines = split_lines(word, lambda i, _m: widths[i], max_widths, [False] * len(word))
    out: list[list[Any]] = []
    for k, (a, b, used, _hard) in enumerate(lines):
        max_width = max_widths[min(k, len(max_widths) - 1)]
        out.append([max_width - used, word[a:b] if k == len(lines) - 1 else word[a:b].strip()])
    return out


def cjk_frag_split(frags: Any, max_widths: Any, calc_bounds: Any, encoding: str = "utf8") -> Any:
    """``reportlab.platypus.paragraph.cjkFragSplit`` with 禁则 (paragraphs of several fragments)."""
    cjk_u = _rl_paragraph.cjkU
    units: list[Any] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        units.extend([cjk_u(t, f, encoding) for t in text] if text else [cjk_u(text, f, encoding)])
    # one placeholder character per unit (an empty unit is a line break or an image)
    chars = "".join(str(u) if len(u) == 1 else "\ufffc" for u in units)
    hard = [hasattr(u.frag, "lineBreak") for u in units]

    def width_of(i: int, max_width: float) -> float:
        w = units[i].width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return float(w)

    lines = []
    for k, (a, b, used, is_hard) in enumerate(split_lines(chars, width_of, max_widths, hard)):
        max_width = max_widths[min(k, len(max_widths) - 1)]
        lines.append(
            _rl_paragraph.makeCJKParaLine(units[a:b], max_width, used, max_width - used, is_hard, calc_bounds)
        )
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


def install() -> None:
    """Route ReportLab's CJK wrapping through this module (once)."""
    _textsplit.dumbSplit = dumb_split
    _rl_paragraph.cjkFragSplit = cjk_frag_split
