"""Fonts embedded in every PDF, one real face per role, and a fallback for rare characters.

Roles (the registered ReportLab names):

* ``BODY`` — 宋体 (Song): the body text of documents (调解文书, 司法确认文书, 名册);
* ``FANGSONG`` — 仿宋: the body of the 月报 (GB/T 9704-2012《党政机关公文格式》: 正文 3号仿宋);
* ``HEADING`` — 黑体 (Hei): headings (一级标题 一、…);
* ``KAI`` — 楷体: secondary headings (二级标题 （一）…);
* ``TITLE`` — a 小标宋-like face for the 公文 title (2号小标宋).

ReportLab embeds TrueType (glyf) fonts as subsets, so a reader never needs the font installed; it cannot
embed CFF/OTF outlines (Noto CJK), so those candidates are skipped. Each role walks its chain of font files
and takes the first one that registers: on Windows the system 宋体/仿宋/黑体/楷体 (``simsun.ttc``,
``simfang.ttf``, ``simhei.ttf``, ``simkai.ttf`` in %WINDIR%\\Fonts; embedding a subset of them in a
document is normal practice), on Debian/UOS/Kylin the best free TrueType faces installed (AR PL UMing
for 宋体 and as the 仿宋 stand-in, LXGW WenKai or AR PL UKai for 楷体, WenQuanYi for 黑体). A role whose
chain finds nothing uses the Song face, and the Song and Hei faces fall back to the bundled WenQuanYi
Micro Hei, so one CJK font is enough. Characters a face lacks (生僻字, CJK Ext-A/B) are drawn with the
first fallback font that has them.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import reportlab.pdfbase.ttfonts as _ttfonts
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.core.paths import resources_dir
from desktop.documents.font_cache import load_font

BODY = "ShequBody"  # 宋体: body text of documents
HEADING = "ShequHeading"  # 黑体: titles and headings of documents, 一级标题
FANGSONG = "ShequFangSong"  # 仿宋: body of the 月报 (公文)
KAI = "ShequKai"  # 楷体: 二级标题
TITLE = "ShequTitle"  # 小标宋-like: the 公文 title
SONG = BODY
HEI = HEADING
RARE_PREFIX = "ShequRare"

#: role → what it stands for, in Chinese (README, diagnostics)
ROLE_LABELS = {BODY: "宋体", FANGSONG: "仿宋", HEADING: "黑体", KAI: "楷体", TITLE: "小标宋"}

#: role → font files to try, best first: (file name, TTC index). Windows' own faces first (a Linux
#: user may have copied them into ~/.fonts), then the free TrueType faces of Debian/UOS/Kylin.
ROLE_CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    BODY: (("simsun.ttc", 0), ("uming.ttc", 0), ("gbsn00lp.ttf", 0)),
    FANGSONG: (("simfang.ttf", 0), ("FangSong_GB2312.ttf", 0), ("fangsong_gb2312.ttf", 0)),
    HEADING: (("simhei.ttf", 0), ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 0)),
    KAI: (("simkai.ttf", 0), ("LXGWWenKai-Regular.ttf", 0), ("ukai.ttc", 0)),
    TITLE: (("FZXBSJW.TTF", 0), ("方正小标宋简体.ttf", 0), ("FZXiaoBiaoSong-B05S.ttf", 0)),
}
#: a role whose own chain finds nothing takes this role's face (宋体 stands in for 仿宋/楷体/小标宋)
ROLE_FALLBACK = {FANGSONG: BODY, KAI: BODY, TITLE: BODY}
ROLES = (BODY, HEADING, FANGSONG, KAI, TITLE)  # registration order: fallbacks first

FontLocator = Callable[[str], "Path | None"]


@dataclass(frozen=True)
class Face:
    """The font file a role uses: path, TTC index and the face's PostScript name (as embedded in a PDF)."""

    path: str
    index: int
    name: str  # e.g. UMingCN, WenQuanYiMicroHei, SimSun
    family: str  # e.g. AR PL UMing CN


@dataclass
class FontSet:
    body: str = BODY
    heading: str = HEADING
    fangsong: str = FANGSONG
    kai: str = KAI
    title: str = TITLE
    faces: dict[str, Face] = field(default_factory=dict)  # role → face
    fallbacks: list[str] = field(default_factory=list)  # registered names, in order of preference
    #: fallback fonts not read yet (name, file), in order of preference: a 20 MB font is read when a
    #: character the primary font lacks first needs it, not at start
    pending: list[tuple[str, Path]] = field(default_factory=list)
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

_lock = threading.RLock()
_fonts: FontSet | None = None
#: (file, TTC index) → the font read from it: reading a CJK face costs 0.1–0.3 s, so a file that serves
#: several roles (宋体 standing in for 仿宋 and 小标宋) is read once and shared under each role's name
_read: dict[tuple[str, int], TTFont] = {}


def _windows_font(name: str) -> Path | None:
    if sys.platform != "win32":
        return None
    for folder in (
        Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
        Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts",  # per-user fonts
    ):
        path = folder / name
        if path.exists():
            return path
    return None


def font_dirs() -> list[Path]:
    """Where Linux (fontconfig's default places) and a user keep TrueType fonts."""
    home = Path.home()
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def index_font_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Every font file under ``dirs`` by lower-case file name (the first one found wins)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def system_locator() -> FontLocator:
    """Finds a font file by name: Windows' font folders, else the Linux font directories."""
    index: dict[str, Path] | None = None

    def locate(name: str) -> Path | None:
        nonlocal index
        path = _windows_font(name)
        if path:
            return path
        if index is None:
            index = index_font_files(font_dirs()) if sys.platform != "win32" else {}
        return index.get(name.lower())

    return locate


def bundled_font() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def _load(name: str, path: Path, index: int = 0) -> TTFont | None:
    key = (str(path), index)
    with _lock:
        font = _read.get(key)
        if font is None:
            try:
                font = load_font(name, path, index)  # parsed tables from the cache when current
            except Exception:  # unreadable, or CFF outlines ReportLab cannot embed
                return None
            _read[key] = font
    if font.fontName == name:
        return font
    return _renamed(font, name)


def _renamed(font: TTFont, name: str) -> TTFont:
    """``font`` under another name: the parsed face (read-only tables) shared, its own subsets per document."""
    twin = copy.copy(font)
    twin.fontName = name
    twin.encoding = copy.copy(font.encoding)
    twin.state = weakref.WeakKeyDictionary()
    return twin


def _register(name: str, path: Path, index: int = 0) -> bool:
    font = _load(name, path, index)
    if font is None:
        return False
    pdfmetrics.registerFont(font)
    return True


def _face(font: TTFont, path: Path, index: int) -> Face:
    def text(value: object) -> str:
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)

    return Face(str(path), index, text(font.face.name), text(font.face.familyName))


def choose_faces(
    locate: FontLocator, bundled: Path, roles: Iterable[str] = ROLES, known: dict[str, Face] | None = None
) -> dict[str, tuple[TTFont, Face]]:
    """Role → (loaded font, face) for ``roles``: each role's first candidate that loads, else its fallback
    role's face (``known`` or chosen here), else the bundled font. Raises RuntimeError when not even the
    bundled font loads."""
    chosen: dict[str, tuple[TTFont, Face]] = {}
    faces = dict(known or {})
    for role in (r for r in ROLES if r in set(roles)):
        for file_name, index in ROLE_CANDIDATES[role]:
            path = locate(file_name)
            font = _load(role, path, index) if path else None
            if font is not None and path is not None:
                chosen[role] = (font, _face(font, path, index))
                break
        else:
            stand_in = ROLE_FALLBACK.get(role)
            if stand_in and stand_in in faces:
                face = faces[stand_in]
                font = _load(role, Path(face.path), face.index)
                if font is not None:
                    chosen[role] = (font, face)
                    continue
            font = _load(role, bundled, 0)
            if font is None:
                raise RuntimeError(f"找不到可嵌入 PDF 的中文字体：{bundled}")
            chosen[role] = (font, _face(font, bundled, 0))
        faces[role] = chosen[role][1]
    return chosen


def _fallback_candidates(locate: FontLocator) -> list[Path]:
    """Free TrueType fonts with wide CJK coverage (Ext-A/B), bundled or installed."""
    bundled = resources_dir() / "fonts"
    found: list[Path] = []
    # one copy of each font: the bundled one, else an installed one
    for n in ("HanaMinA.ttf", "HanaMinB.ttf"):
        path = bundled / n if (bundled / n).exists() else locate(n)
        if path:
            found.append(path)
    found += [p for p in (_windows_font("simsunb.ttf"), _windows_font("SimSun-ExtB.ttf")) if p]
    return found


_locate: FontLocator | None = None


def register_fonts(*roles: str) -> FontSet:
    """Register the fonts once per process (thread-safe) and return their names: 宋体 (``BODY``) and 黑体
    (``HEADING``), which every document uses, and the other ``roles`` asked for (the 月报's 仿宋, 楷体 and
    小标宋), each read when first asked for."""
    global _fonts, _locate
    with _lock:
        fonts = _fonts or FontSet()
        missing = [r for r in (BODY, HEADING, *roles) if r not in fonts.faces]
        if not missing:
            return fonts
        _locate = _locate or system_locator()
        bundled = bundled_font()
        for role, (font, face) in choose_faces(_locate, bundled, missing, fonts.faces).items():
            pdfmetrics.registerFont(font)
            fonts.faces[role] = face
            fonts.sources[role] = face.path
        # bold/italic variants map to the same faces (CJK fonts here have no separate bold)
        if BODY in missing:
            pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=HEADING, italic=BODY, boldItalic=HEADING)
        for role in (r for r in missing if r != BODY):
            pdfmetrics.registerFontFamily(role, normal=role, bold=role, italic=role, boldItalic=role)
        if _fonts is None:
            fonts.pending = [(f"{RARE_PREFIX}{i}", p) for i, p in enumerate(_fallback_candidates(_locate))]
            if Path(fonts.faces[BODY].path) != bundled:
                fonts.pending.append((f"{RARE_PREFIX}W", bundled))
            _fonts = fonts
        return fonts


def _next_fallback(fonts: FontSet) -> str | None:
    """Read and register the next pending fallback font that loads; its name, or None when none is left."""
    with _lock:
        while fonts.pending:
            name, path = fonts.pending.pop(0)
            if _register(name, path):
                fonts.fallbacks.append(name)
                fonts.sources[name] = str(path)
                return name
        return None


def face_of(role: str) -> Face:
    """The face a role uses (registering the fonts first)."""
    return register_fonts(role).faces[role]


def has_glyph(font_name: str, char: str) -> bool:
    face = pdfmetrics.getFont(font_name).face
    return ord(char) in face.charToGlyph


def fallback_for(char: str, primary: str = BODY) -> str | None:
    """The first registered font that can draw ``char`` when ``primary`` cannot, or None."""
    fonts = register_fonts()
    if has_glyph(primary, char):
        return None
    with _lock:
        i = 0
        while True:
            # a character no fallback read so far has: read the next one
            if i == len(fonts.fallbacks) and _next_fallback(fonts) is None:
                return None
            if has_glyph(fonts.fallbacks[i], char):
                return fonts.fallbacks[i]
            i += 1
