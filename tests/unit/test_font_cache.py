"""The parsed-font cache (issue 16): a face read back from the cache is the face ReportLab parses, a PDF set
with it is byte for byte the same, and a changed font file or a damaged entry is parsed afresh, never an
error."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from desktop.documents import font_cache
from desktop.documents.fonts import BODY, HEADING, bundled_font, face_of

TEXT = "人民调解协议书 申请人张三、李四 ABC 123 ¥5,000.00"


def _faces() -> list[tuple[Path, int]]:
    found = {(Path(face_of(r).path), face_of(r).index) for r in (BODY, HEADING)}
    return sorted(found | {(bundled_font(), 0)})


def _pdf(font: object) -> bytes:
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("CacheProbe", 14)
    c.drawString(72, 720, TEXT)
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("face", _faces(), ids=lambda f: f[0].name)
def test_a_face_from_the_cache_is_the_face_reportlab_parses(face: tuple[Path, int], monkeypatch) -> None:
    path, index = face
    parsed = font_cache.load_font("CacheProbe", path, index)
    assert type(parsed) is not font_cache.CachedTTFont  # nothing cached yet: ReportLab parsed it
    cached = font_cache.load_font("CacheProbe", path, index)
    assert isinstance(cached, font_cache.CachedTTFont)
    # every attribute ReportLab's own constructor sets (a ReportLab upgrade that adds one fails here)
    assert set(vars(cached)) == set(vars(parsed))
    assert (cached.fontName, cached._asciiReadable, cached.shapable) == (
        parsed.fontName,
        parsed._asciiReadable,
        parsed.shapable,
    )
    a, b = dict(vars(parsed.face)), dict(vars(cached.face))
    assert a.pop("_pdfScale")(2048) == b.pop("_pdfScale")(2048)
    assert a == b
    assert {k: type(v) for k, v in a.items()} == {k: type(v) for k, v in b.items()}  # names stay TTFNameBytes
    assert parsed.face.name.ustr == cached.face.name.ustr
    monkeypatch.setattr(rl_config, "invariant", 1)  # no date, no random document id
    assert _pdf(parsed) == _pdf(cached)


def test_a_changed_font_file_or_a_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    font = tmp_path / "wqy-microhei.ttc"
    shutil.copy(bundled_font(), font)
    font_cache.load_font("CacheProbe", font)
    entries = list(font_cache.cache_dir().iterdir())
    assert len(entries) == 1
    os.utime(font, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))  # the file was replaced
    assert type(font_cache.load_font("CacheProbe", font)) is not font_cache.CachedTTFont
    assert len(list(font_cache.cache_dir().iterdir())) == 2
    current = next(e for e in font_cache.cache_dir().iterdir() if e != entries[0])
    current.write_bytes(current.read_bytes()[:5000])  # cut short (a full disk, a crash while writing)
    again = font_cache.load_font("CacheProbe", font)
    assert type(again) is not font_cache.CachedTTFont and again.face.charToGlyph
    assert isinstance(font_cache.load_font("CacheProbe", font), font_cache.CachedTTFont)  # rewritten whole


def test_a_data_folder_that_cannot_be_written_only_means_parsing(monkeypatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(font_cache, "cache_dir", lambda: blocker / "fonts")
    font = font_cache.load_font("CacheProbe", bundled_font())
    assert font.face.charToGlyph[ord("调")]
    assert type(font_cache.load_font("CacheProbe", bundled_font())) is not font_cache.CachedTTFont
