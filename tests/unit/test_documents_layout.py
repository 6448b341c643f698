"""The PDF foundation: embedded CJK fonts, page numbers, repeated table headers, 禁则 line-breaking."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from desktop.documents import fonts, layout
from desktop.documents.fonts import BODY, fallback_for, has_glyph, register_fonts

FORBIDDEN_LINE_STARTS = "，。、；：！？）》」"


def _text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_a_long_table_repeats_its_header_and_numbers_its_pages(tmp_path):
    rows = [["序号", "姓名", "所属支部", "入党日期"]] + [
        [i, f"党员{i}", "新华社区第一网格党支部", "2001-07-01"] for i in range(1, 121)
    ]
    out = layout.build_pdf(
        tmp_path / "table.pdf",
        [
            layout.para("党员名册", "title"),
            layout.data_table(rows, [40, 120, 240, 100], align=["center", "left", "left", "center"]),
        ],
        title="党员名册",
        header="中共新华社区委员会",
        printed_on=dt.date(2026, 11, 23),
        landscape=True,
    )
    pages = _text(out)
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert "所属支部" in text, f"page {n} lacks the repeated header"
        assert f"第 {n} 页 共 {len(pages)} 页" in text
        assert "打印日期：2026年11月23日" in text and "中共新华社区委员会" in text
    assert "党员120" in pages[-1]
    assert PdfReader(out).metadata.title == "党员名册"
    assert not list(tmp_path.glob(".~*")), "no temp file is left behind"


def test_no_line_starts_with_forbidden_punctuation(tmp_path):
    sentence = "经调解，双方自愿达成如下协议：甲方于二〇二六年十二月三十一日前一次性支付乙方人民币壹万元整（￥10,000.00元）；乙方收到后不再追究。"
    story = [layout.para(sentence * 6, "body", fontSize=12 + k % 3) for k in range(12)]
    out = layout.build_pdf(tmp_path / "kinsoku.pdf", story, title="禁则")
    for text in _text(out):
        for line in text.splitlines():
            assert line.strip()[:1] not in FORBIDDEN_LINE_STARTS or not line.strip(), line


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_every_font_is_embedded(tmp_path):
    out = layout.build_pdf(
        tmp_path / "fonts.pdf",
        [layout.para("人民调解协议书", "title"), layout.para("正文内容")],
        title="字体",
    )
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded as a subset: {row}"


def test_rare_characters_use_a_fallback_font_when_the_body_font_lacks_them():
    fonts = register_fonts()
    assert has_glyph(BODY, "张")
    for ch in ("䶮", "𠮷"):
        if has_glyph(BODY, ch):
            continue
        font = fallback_for(ch)  # reads the fallback fonts only now, when a character needs one
        if fonts.fallbacks:
            assert font is None or has_glyph(font, ch)
        markup = layout.with_fallbacks(f"王{ch}")
        assert (f'<font name="{font}">{ch}</font>' in markup) if font else markup == f"王{ch}"


def test_text_is_escaped_and_keeps_line_breaks():
    p = layout.para("甲 <乙> & 丙\n第二行")
    assert "&lt;乙&gt; &amp; 丙<br/>第二行" in p.text


def test_fallback_fonts_are_read_only_when_a_character_needs_one():
    # a fresh process: what registering the fonts reads, before and after a rare character is asked for
    probe = (
        "import json\n"
        "from desktop.documents import fonts\n"
        "f = fonts.register_fonts()\n"
        "seen = [sorted(f.faces), list(f.fallbacks), fonts.fallback_for('张'), list(f.fallbacks)]\n"
        "rare = fonts.fallback_for('\\U00020BB7')\n"  # 𠮷, CJK Ext-B: not in the common faces
        "roles = {(face.path, face.index) for face in f.faces.values()}\n"
        "print(json.dumps(seen + [rare, list(f.fallbacks), len(roles), len(fonts._read)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    roles, before, common, after_common, rare, after_rare, role_files, files_read = json.loads(out)
    assert roles == sorted([fonts.BODY, fonts.HEADING])  # 仿宋, 楷体, 小标宋 are read when the 月报 asks
    assert before == [] and common is None and after_common == []  # no fallback font read for 张
    assert files_read == role_files + len(after_rare)  # each file read once, shared by the roles it serves
    if rare is not None:
        assert after_rare and after_rare[-1] == rare
