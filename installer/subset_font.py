"""Subset the rare-character fallback font for the installer (run by shequ.spec inside the build venv).

    python installer/subset_font.py SRC_FALLBACK.ttf BODY.ttc OUT.ttf

The fallback font (花園明朝A, resources/fonts/HanaMinA.ttf, 22.8 MB) is only used, character by character,
for what the body face lacks (desktop/documents/fonts.py): 生僻字 of CJK Ext-A/B, compatibility ideographs,
radicals. The bundled copy keeps exactly those: every character of the fallback font that the bundled body font
(WenQuanYi Micro Hei, TTC index 0) does not have, plus the whole of the rare-character blocks (so a Linux
user whose body face is AR PL UMing or another face still finds every Ext-A/B character). The common CJK
characters the body font already draws are dropped.

Licence: HanaMinA is dual-licensed (Hanazono Font License or SIL OFL 1.1). The Hanazono Font License grants
"unlimited permission ... to use, copy, and distribute it, with or without modification", so the subset is
distributed under it (the OFL's Reserved Font Name rule would otherwise require renaming); the licence file
ships beside it unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

#: blocks always kept whole (what a body face is most likely to lack): Ext-A, Ext-B…, compatibility
#: ideographs and their supplement, CJK radicals, Kangxi radicals, ideographic description, strokes
RARE_BLOCKS = [
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement
    (0x2F00, 0x2FDF),  # Kangxi Radicals
    (0x2FF0, 0x2FFF),  # Ideographic Description Characters
    (0x31C0, 0x31EF),  # CJK Strokes
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A (䶮 U+4DAE)
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x2A6DF),  # CJK Unified Ideographs Extension B (𠮷 U+20BB7)
    (0x2A700, 0x2EBEF),  # Extensions C–F
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
]


def _cmap(font: TTFont) -> set[int]:
    return set(font.getBestCmap() or {})


def wanted_codepoints(fallback: TTFont, body: TTFont) -> set[int]:
    have = _cmap(fallback)
    rare = {cp for cp in have if any(lo <= cp <= hi for lo, hi in RARE_BLOCKS)}
    return rare | (have - _cmap(body))


def subset_fallback(src: Path, body_ttc: Path, out: Path) -> tuple[int, int]:
    """Write the subset to ``out``; returns (characters kept, characters in the source)."""
    body = (
        TTCollection(str(body_ttc)).fonts[0] if body_ttc.suffix.lower() == ".ttc" else TTFont(str(body_ttc))
    )
    font = TTFont(str(src))
    total = len(_cmap(font))
    keep = wanted_codepoints(font, body)
    opts = subset.Options()
    opts.name_IDs = ["*"]  # keep the names (family, copyright, licence) as they are
    opts.name_languages = ["*"]
    opts.layout_features = ["*"]  # vertical forms etc.
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(keep))
    sub.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return len(keep), total


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    kept, total = subset_fallback(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    print(f"{argv[2]}: {kept} of {total} characters, {Path(argv[2]).stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
