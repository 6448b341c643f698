"""The 月报's narrative (工作开展情况, 存在问题, 下一步打算): kept per month and scope, versioned, audited,
printed around the computed tables in the PDF, and the whole 月报 as an editable Word file."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pypdf
import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from desktop.app import main
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.core.identity import Actor
from desktop.documents.reports.monthly_docx import table_cells
from desktop.domain.reports import Narrative
from desktop.services.reports import files, monthly_report
from desktop.services.reports.narrative import MAX_PART_LENGTH, load_narrative, save_narrative
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

WORK = "本月组织开展矛盾纠纷集中排查化解活动，走访居民一千二百六十户。"
PROBLEMS = "部分网格专职网格员配备不足。"
NEXT = "十一月底前补齐专职网格员。"


@pytest.fixture
def known(street_ctx: Any) -> Any:
    build_known_dataset(street_ctx)
    return street_ctx


def _audits(ctx: Any) -> int:
    with ctx.read() as s:
        return s.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.entity == "report_narrative")
        )


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))


def test_saved_narrative_loads_per_month_and_scope_and_is_audited(street_ctx: Any) -> None:
    assert load_narrative(street_ctx, MONTH) == Narrative()
    saved = save_narrative(street_ctx, MONTH, None, Narrative(f"  {WORK}\r\n\r\n第二段。  ", PROBLEMS, ""))
    assert saved.version == 1 and saved.updated_by == "测试员"
    loaded = load_narrative(street_ctx, MONTH)
    assert (loaded.work_done, loaded.problems, loaded.next_steps) == (f"{WORK}\n\n第二段。", PROBLEMS, "")
    assert loaded.paragraphs("work_done") == [WORK, "第二段。"]
    # another scope and another month are separate rows
    assert load_narrative(street_ctx, MONTH, "新华社区").is_empty
    assert load_narrative(street_ctx, "2026-09").is_empty
    community = save_narrative(street_ctx, MONTH, "新华", Narrative("社区的工作。"))
    assert (
        community.version == 1 and load_narrative(street_ctx, MONTH, "新华社区").work_done == "社区的工作。"
    )
    again = save_narrative(street_ctx, MONTH, None, Narrative(WORK, PROBLEMS, NEXT, version=loaded.version))
    assert again.version == 2 and load_narrative(street_ctx, MONTH).next_steps == NEXT
    assert _audits(street_ctx) == 3


def test_a_stale_edit_is_refused_and_overwrites_nothing(street_ctx: Any) -> None:
    first = save_narrative(street_ctx, MONTH, None, Narrative(WORK))
    other_pc = street_ctx.with_actor(Actor("李四", "pc-2"))
    save_narrative(other_pc, MONTH, None, Narrative("李四写的。", version=first.version))
    audits = _audits(street_ctx)
    with pytest.raises(ConflictError, match=r"钢城街道2026年10月月报说明已被其他用户（李四）修改.*尚未保存"):
        save_narrative(street_ctx, MONTH, None, Narrative("我的修改。", version=first.version))
    # a second "first save" of a month someone else already wrote is stale too
    with pytest.raises(ConflictError):
        save_narrative(street_ctx, MONTH, None, Narrative("也是我的。", version=0))
    assert load_narrative(street_ctx, MONTH).work_done == "李四写的。" and _audits(street_ctx) == audits


def test_bad_input_gets_a_chinese_message(street_ctx: Any) -> None:
    with pytest.raises(ValidationError, match="月份“2026/13”格式不正确"):
        save_narrative(street_ctx, "2026/13", None, Narrative(WORK))
    with pytest.raises(ValidationError, match="尚未开始"):
        save_narrative(street_ctx, "2027-01", None, Narrative(WORK))
    with pytest.raises(NotFoundError, match="找不到社区“火星”"):
        save_narrative(street_ctx, MONTH, "火星", Narrative(WORK))
    with pytest.raises(ValidationError, match=r"“存在问题”.*超过") as err:
        save_narrative(street_ctx, MONTH, None, Narrative(WORK, "问" * (MAX_PART_LENGTH + 1)))
    assert err.value.field == "problems"
    assert load_narrative(street_ctx, MONTH).is_empty


def test_the_pdf_places_the_narrative_around_the_tables(known: Any, tmp_path: Path) -> None:
    save_narrative(known, MONTH, None, Narrative(WORK, PROBLEMS, NEXT))
    report = monthly_report(known, MONTH, today=TODAY)
    text = _pdf_text(files.save_monthly_pdf(report, tmp_path / "m.pdf"))
    at = {k: text.index(k) for k in ("一、工作开展情况", WORK, "二、党建引领", "（一）党组织和党员",
                                      "七、网格事件与走访", "八、存在问题", PROBLEMS, "九、下一步打算", NEXT,
                                      "附：指标口径与计算公式")}  # fmt: skip
    order = list(at.values())
    assert order == sorted(order), at
    assert text.index("截至10月31日") < at["一、工作开展情况"]  # the overview opens the report


def test_an_empty_narrative_prints_no_heading(known: Any, tmp_path: Path) -> None:
    save_narrative(known, MONTH, None, Narrative("", PROBLEMS, "\n \n"))
    text = _pdf_text(files.save_monthly_pdf(monthly_report(known, MONTH, today=TODAY), tmp_path / "m.pdf"))
    assert "工作开展情况" not in text and "下一步打算" not in text
    assert "一、党建引领" in text and f"七、存在问题{PROBLEMS}" in text


def test_the_docx_has_the_narrative_and_every_table_cell(known: Any, tmp_path: Path) -> None:
    save_narrative(known, MONTH, None, Narrative(WORK, PROBLEMS, NEXT))
    pdf, xlsx, out = tmp_path / "m.pdf", tmp_path / "m.xlsx", tmp_path / "m.docx"
    report = files.export_monthly(known, MONTH, pdf, xlsx, today=TODAY, docx=out)
    assert not list(tmp_path.glob(".~*")), "no temp file is left behind"
    doc = docx.Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    for expected in ("钢城街道2026年10月社区治理工作情况", "一、工作开展情况", WORK, "二、党建引领",
                     "八、存在问题", PROBLEMS, "九、下一步打算", NEXT, "附：指标口径与计算公式"):  # fmt: skip
        assert expected in paragraphs, expected
    assert paragraphs.index(WORK) < paragraphs.index("二、党建引领") < paragraphs.index(PROBLEMS)
    tables = list(report.tables())
    assert len(doc.tables) == len(tables)
    for table, word in zip(tables, doc.tables, strict=True):
        assert [[c.text for c in row.cells] for row in word.rows] == table_cells(table), table.title
    # the figures agree with the workbook's cells: 受理纠纷 in the mediation table
    wb = openpyxl.load_workbook(xlsx)
    mediation = next(t for t in tables if t.key == "mediation.main")
    sheet = next(wb[n] for n in wb.sheetnames if n.endswith(mediation.title))
    workbook_received = next(r[1] for r in sheet.iter_rows(values_only=True) if r[0] == "受理纠纷")
    word_table = doc.tables[tables.index(mediation)]
    word_received = next(row.cells[1].text for row in word_table.rows if row.cells[0].text == "受理纠纷")
    assert word_received == f"{workbook_received:,}" == "5"
    # fonts by name for a Chinese Word: the eastAsia font of the runs
    body = next(p for p in doc.paragraphs if p.text == WORK).runs[0]
    heading = next(p for p in doc.paragraphs if p.text == "八、存在问题").runs[0]
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert body._element.rPr.rFonts.get(qn) == "仿宋" and body.font.size.pt == 16
    assert heading._element.rPr.rFonts.get(qn) == "黑体"
    title = next(p for p in doc.paragraphs if p.text == "钢城街道2026年10月社区治理工作情况").runs[0]
    assert title._element.rPr.rFonts.get(qn) == "方正小标宋简体" and title.font.size.pt == 22
    font_table = zipfile.ZipFile(out).read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', font_table)  # Word's stand-in
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_cli_exports_the_docx(known: Any, capsys: Any, tmp_path: Path) -> None:
    db = str(known.database.url.database)
    out = tmp_path / "m.docx"
    argv = [
        "--db",
        db,
        "report",
        "monthly",
        "--month",
        MONTH,
        "--out",
        str(tmp_path / "m.pdf"),
        "--docx",
        str(out),
    ]
    assert main(argv) == 0
    assert str(out) in capsys.readouterr().out
    assert docx.Document(str(out)).tables
    assert main([*argv[:-1], str(tmp_path / "m.doc")]) == 1
    assert "不支持导出为“.doc”文件" in capsys.readouterr().err
