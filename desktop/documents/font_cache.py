"""A TrueType face's parsed tables kept between runs, so a process that prints does not parse them again.

ReportLab reads a face's tables (the character map, the widths, the names, the glyph offsets) in Python each
time a process registers the font: 0.04–0.06 s for each CJK face a document uses, 0.3 s for the rare-character
fallback (HanaMinA), on every ``shequ print``. What it reads depends only on the font file and ReportLab's
version, so the result is kept in the data folder (``cache/fonts``), one file per face, named by a digest of
the font's path, size, modification time, TTC index and ReportLab's version: a font file that changes, or a
ReportLab upgrade, finds no entry and is parsed afresh. Entries are written atomically and carry a SHA-256 of
their content; a missing, damaged or unreadable entry is never an error, only a parse. The font file itself
is still read whole: each PDF embeds a subset of its glyphs.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
import weakref
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from desktop.core.paths import data_dir

FORMAT = 1
#: the parsed face minus what is rebuilt on loading: the file's bytes and the scale function
_REBUILT = ("_ttf_data", "_pdfScale")
_NAME = "N"  # marks a TTFNameBytes (bytes with its decoded text) in the stored state


def cache_dir() -> Path:
    return data_dir() / "cache" / "fonts"


def _entry(path: Path, index: int) -> Path:
    st = path.stat()
    key = f"{FORMAT}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{index}|{reportlab.Version}"
    return cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".face")


def _scale(units_per_em: int) -> Any:
    """ReportLab's ``_pdfScale`` for a face (TTFontFile.extractInfo): font units to 1/1000 em."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _stored(face: TTFontFace) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for key, value in face.__dict__.items():
        if key in _REBUILT:
            continue
        state[key] = (_NAME, bytes(value), value.ustr) if isinstance(value, TTFNameBytes) else value
    return state


def _restored(state: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in state.items():
        if isinstance(value, tuple) and len(value) == 3 and value[0] == _NAME:
            name = TTFNameBytes(value[1])
            name.ustr = value[2]
            value = name
        out[key] = value
    return out


def _read_entry(entry: Path) -> dict[str, Any] | None:
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    digest, payload = raw[:32], raw[32:]
    if len(raw) < 32 or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        state = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return state if isinstance(state, dict) and "charToGlyph" in state else None


def _write_entry(entry: Path, face: TTFontFace) -> None:
    """Best effort: a read-only or full data folder only means the next run parses again."""
    with contextlib.suppress(OSError, ValueError):
        payload = marshal.dumps(_stored(face))
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".face-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


class CachedTTFont(TTFont):
    """A ``TTFont`` made from a face read back from the cache: ``TTFont.__init__`` less the parse."""

    def __init__(self, name: str, face: TTFontFace) -> None:
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


def load_font(name: str, path: Path, index: int = 0) -> TTFont:
    """The face at ``path`` (TTC ``index``) as a ReportLab font named ``name``: from the cache when its entry
    is current, else parsed (raising what ReportLab raises for a file it cannot use) and then cached."""
    try:
        entry: Path | None = _entry(path, index)
    except OSError:
        entry = None
    state = _read_entry(entry) if entry is not None else None
    if state is None:
        font = TTFont(name, str(path), subfontIndex=index)
        if entry is not None:
            _write_entry(entry, font.face)
        return font
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(_restored(state))
    face._ttf_data = path.read_bytes()
    face._pdfScale = _scale(face.unitsPerEm)
    return CachedTTFont(name, face)
