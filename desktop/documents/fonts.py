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
    found = [p / n for p in places for n in names if (p / n).exists()]
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
    face = pdfmetrics.getFont(font_name).face  # type: ignore[attr-defined]
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
