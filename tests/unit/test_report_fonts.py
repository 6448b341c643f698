"""Fonts by role (宋体, 仿宋, 黑体, 楷体, 小标宋) and the 月报's GB/T 9704 form: the faces drawn per role, the
sizes (2号 title, 3号 body), the "— 1 —" page numbers; the fallback chain when only one CJK font exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from desktop.documents import fonts
from desktop.documents.fonts import (
    BODY,
    FANGSONG,
    HEADING,
    KAI,
    TITLE,
    bundled_font,
    choose_faces,
    register_fonts,
)
from desktop.services.reports import files, monthly_report
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def _runs(path: Path) -> list[tuple[str, str, float]]:
    """(text, font name, size) of every piece of text the PDF draws."""
    runs: list[tuple[str, str, float]] = []

    def visit(text: str, _cm: Any, _tm: Any, font: Any, size: float) -> None:
        if text.strip():
            runs.append((re.sub(r"\s+", "", text), str(font.get("/BaseFont", "")) if font else "", size))

    for page in pypdf.PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def _drawn(runs: list[tuple[str, str, float]], start: str) -> tuple[str, float]:
    for text, font, size in runs:
        if text.startswith(start):
            return font, size
    raise AssertionError(f"not drawn: {start}")


def test_every_role_has_a_face_and_windows_faces_come_first() -> None:
    registered = register_fonts(*fonts.ROLES)
    assert set(registered.faces) == {BODY, FANGSONG, HEADING, KAI, TITLE}
    for role, file_name in ((BODY, "simsun.ttc"), (FANGSONG, "simfang.ttf"), (HEADING, "simhei.ttf"), (KAI, "simkai.ttf")):  # fmt: skip
        assert fonts.ROLE_CANDIDATES[role][0] == (file_name, 0)
    assert fonts.ROLE_CANDIDATES[BODY][1] == ("uming.ttc", 0)  # AR PL UMing for 宋体 on Debian/UOS/Kylin
    assert ("ukai.ttc", 0) in fonts.ROLE_CANDIDATES[KAI]


def test_only_the_bundled_font_serves_every_role() -> None:
    chosen = choose_faces(lambda _name: None, bundled_font())
    assert {face.family for _font, face in chosen.values()} == {"WenQuanYi Micro Hei"}


def test_unreadable_candidates_are_skipped_and_roles_fall_back_to_song(tmp_path: Path) -> None:
    broken = tmp_path / "simsun.ttc"
    broken.write_bytes(b"OTTO not a TrueType font")  # CFF-like: ReportLab cannot embed it
    chosen = choose_faces(lambda name: broken if name == "simsun.ttc" else None, bundled_font())
    assert chosen[BODY][1].path == str(bundled_font())
    if not UMING.exists():
        pytest.skip("fonts-arphic-uming is not installed")
    located = {"uming.ttc": UMING, "simfang.ttf": UMING}
    chosen = choose_faces(located.get, bundled_font())
    assert chosen[BODY][1].family == "AR PL UMing CN" and chosen[FANGSONG][1].path == str(UMING)
    assert chosen[KAI][1].family == chosen[TITLE][1].family == "AR PL UMing CN"  # stand-ins: 宋体
    assert chosen[HEADING][1].path == str(bundled_font())


def test_font_files_are_found_by_name_in_font_folders(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "SimFang.TTF").write_bytes(b"")
    (tmp_path / "readme.txt").write_text("x")
    index = fonts.index_font_files([tmp_path, tmp_path / "missing"])
    assert index == {"simfang.ttf": tmp_path / "a" / "b" / "SimFang.TTF"}


def test_the_monthly_report_is_a_gongwen(street_ctx: Any, tmp_path: Path) -> None:
    build_known_dataset(street_ctx)
    out = files.save_monthly_pdf(monthly_report(street_ctx, MONTH, today=TODAY), tmp_path / "m.pdf")
    runs = _runs(out)
    faces = register_fonts(*fonts.ROLES).faces
    expected = {
        "钢城街道2026年10月社区治理工作情况": (TITLE, 22),  # 2号 小标宋
        "截至10月31日": (FANGSONG, 16),  # 3号 仿宋
        "一、党建引领": (HEADING, 16),  # 一级标题 黑体
        "（一）党组织和党员": (KAI, 16),  # 二级标题 楷体
        "党组织总数": (BODY, 10),  # tables: 宋体, smaller
    }
    for start, (role, size) in expected.items():
        font, drawn_size = _drawn(runs, start)
        assert faces[role].name in font and drawn_size == size, (start, font, drawn_size)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(str(out)).pages]
    for n, text in enumerate(pages, start=1):
        assert text.endswith(f"—{n}—"), (n, text[-20:])
    assert "第1页" not in pages[0]
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
