"""Fonts embedded in every PDF: a CJK body font, a heading font, and a fallback for rare characters.

ReportLab embeds TrueType (glyf) fonts as subsets, so a reader never needs the font installed. The
bundled WenQuanYi Micro Hei (resources/fonts) works everywhere; on Windows the system 宋体/黑体 are
preferred for a more official look (embedding a subset of them in a document is normal practice).
Characters the body font lacks (生僻字, CJK Ext-A/B) are drawn with the first fallback font that has them.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import reportlab.pdfbase.ttfonts as _ttfonts
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.core.paths import resources_dir

BODY = "ShequBody"  # 宋体-like body text
HEADING = "ShequHeading"  # 黑体-like titles and headings
RARE_PREFIX = "ShequRare"


@dataclass
class FontSet:
    body: str = BODY
    heading: str = HEADING
    fallbacks: list[str] = field(default_factory=list)  # registered names, in order of preference
    sources: dict[str, str] = field(default_factory=dict)  # name → file, for diagnostics


def _utf16_hex(cp: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants (a surrogate pair beyond the BMP)."""
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"{0xD800 + (cp >> 10):04X}{0xDC00 + (cp & 0x3FF):04X}"
    return f"{cp:04X}"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ``makeToUnicodeCMap`` with UTF-16 for characters beyond the BMP.

    ReportLab writes ``<20BB7>`` for 𠮷 (U+20BB7), which is not UTF-16: the glyph prints, but copying,
    searching and text extraction give a wrong character. Patched once at import.
    """
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap

_lock = threading.Lock()
_fonts: FontSet | None = None


def _windows_font(name: str) -> Path | None:
    if sys.platform != "win32":
        return None
    path = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / name
    return path if path.exists() else None


def _register(name: str, path: Path, index: int = 0) -> bool:
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except Exception:  # unreadable, or CFF outlines ReportLab cannot embed
        return False
    return True


def _fallback_candidates() -> list[Path]:
    """Free TrueType fonts with wide CJK coverage (Ext-A/B), bundled or installed."""
    bundled = resources_dir() / "fonts"
    names = ["HanaMinA.ttf", "HanaMinB.ttf"]
    places = [bundled, Path("/usr/share/fonts/truetype/hanazono"), Path("/usr/share/fonts/truetype/arphic")]
    found: list[Path] = []
    for n in names:  # one copy of each font: the bundled one, else an installed one
        found += [p / n for p in places if (p / n).exists()][:1]
    found += [p for p in (_windows_font("simsunb.ttf"), _windows_font("SimSun-ExtB.ttf")) if p]
    return found


def register_fonts() -> FontSet:
    """Register the fonts once per process (thread-safe) and return their names."""
    global _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        fonts = FontSet()
        bundled = resources_dir() / "fonts" / "wqy-microhei.ttc"
        body = _windows_font("simsun.ttc")
        if not (body and _register(BODY, body, 0)):
            body = bundled
            if not _register(BODY, bundled, 0):
                raise RuntimeError(f"找不到可嵌入 PDF 的中文字体：{bundled}")
        fonts.sources[BODY] = str(body)
        heading = _windows_font("simhei.ttf")
        if not (heading and _register(HEADING, heading, 0)):
            heading = bundled
            _register(HEADING, bundled, 0)
        fonts.sources[HEADING] = str(heading)
        # bold/italic variants map to the same faces (CJK fonts here have no separate bold)
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=HEADING, italic=BODY, boldItalic=HEADING)
        pdfmetrics.registerFontFamily(
            HEADING, normal=HEADING, bold=HEADING, italic=HEADING, boldItalic=HEADING
        )
        for i, path in enumerate(_fallback_candidates()):
            name = f"{RARE_PREFIX}{i}"
            if _register(name, path):
                fonts.fallbacks.append(name)
                fonts.sources[name] = str(path)
        if body != bundled and _register(f"{RARE_PREFIX}W", bundled):
            fonts.fallbacks.append(f"{RARE_PREFIX}W")
        _fonts = fonts
        return fonts


def has_glyph(font_name: str, char: str) -> bool:
    face = pdfmetrics.getFont(font_name).face
    return ord(char) in face.charToGlyph


def fallback_for(char: str, primary: str = BODY) -> str | None:
    """The first registered font that can draw ``char`` when ``primary`` cannot, or None."""
    fonts = register_fonts()
    if has_glyph(primary, char):
        return None
    for name in fonts.fallbacks:
        if has_glyph(name, char):
            return name
    return None
