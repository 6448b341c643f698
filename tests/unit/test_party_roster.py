"""党员名册: the PDF (text on every page, page numbers, embedded fonts), the spreadsheet round trip, the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.app import main
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.identity import id_check_char
from desktop.services import party, structure
from desktop.services.party import roster, roster_exchange

D = dt.date
TODAY = D(2026, 11, 23)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英志强丽娟明华红梅海涛春兰玉珍德胜桂芳"


def make_id(birth: dt.date, seq: int) -> str:
    first17 = f"620201{birth:%Y%m%d}{(seq * 2 + 1) % 1000:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def roll(street_ctx):
    """A branch of 40 members (two pages of roster) and a second, small branch."""
    ctx = street_ctx
    grid = structure.list_grids(ctx)[0].id
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    comm = party.save_org(ctx, party.OrgInput("新华社区党委", "COMMITTEE", parent_id=top))
    big = party.save_org(
        ctx,
        party.OrgInput(
            "新华一网格党支部",
            "BRANCH",
            parent_id=comm,
            grid_id=grid,
            full_name="中共新华社区第一网格支部委员会",
        ),
    )
    small = party.save_org(ctx, party.OrgInput("新华二网格党支部", "BRANCH", parent_id=comm))
    ids = []
    for i in range(40):
        name = SURNAMES[i % 20] + GIVEN[(i * 3) % len(GIVEN)] + GIVEN[(i * 7 + 1) % len(GIVEN)]
        birth = D(1950 + i % 30, 1 + i % 12, 1 + i % 27)
        ids.append(
            party.save_member(
                ctx,
                party.MemberInput(
                    name, big, id_number=make_id(birth, i), joined_on=D(1990 + i % 30, 7, 1),
                    confirmed_on=D(1991 + i % 30, 7, 1), phone=f"1380937{i:04d}", address=f"新华小区{i % 9 + 1}号楼{i % 3 + 1}单元{i + 100}室",
                    ethnicity="汉族", education="大学本科", dues_category="RETIRED", dues_base_fen=350_000,
                ),
            )
        )  # fmt: skip
    party.save_member(
        ctx,
        party.MemberInput(
            "马小兰",
            small,
            id_number=make_id(D(1980, 5, 5), 99),
            joined_on=D(2026, 3, 1),
            stage="PROBATIONARY",
        ),
    )
    party.assign_post(ctx, party.PostInput(big, ids[0], "SECRETARY", D(2023, 1, 1)))
    return ctx, {"big": big, "small": small, "comm": comm, "members": ids}


# ---------------------------------------------------------------- the PDF


def page_texts(path: Path) -> list[str]:
    return [(p.extract_text() or "").replace(" ", "") for p in PdfReader(str(path)).pages]


def test_branch_roster_pdf_text_on_every_page(roll, tmp_path: Path) -> None:
    ctx, _ids = roll
    out = roster.print_party_roster(ctx, tmp_path / "名册.pdf", org_name="新华一网格党支部", today=TODAY)
    assert out.members == 40 and out.sections == 1
    pages = page_texts(out.path)
    assert len(pages) >= 2
    assert "党员名册" in pages[0] and "中共新华社区第一网格支部委员会" in pages[0]
    assert "党员40名（正式党员40名、预备党员0名）" in pages[0] and "书记：" in pages[0]
    for n, text in enumerate(pages, start=1):
        assert "中共新华社区第一网格支部委员会" in text  # the branch (its full name) in the page header
        assert (
            "公民身份号码" in text and "入党日期" in text and "家庭住址" in text
        )  # the table header repeats
        assert f"第{n}页共{len(pages)}页" in text
        assert "打印日期：2026年11月23日" in text
    everything = "".join(pages)
    assert "13809370007" not in everything and "138****0007" in everything  # masked by default
    assert everything.count("正式党员") >= 40


def test_roster_fonts_are_all_embedded(roll, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    ctx, _ = roll
    out = roster.print_party_roster(ctx, tmp_path / "all.pdf", today=TODAY)
    lines = subprocess.run(
        ["pdffonts", str(out.path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        assert line.split()[-5] == "yes", f"not embedded: {line}"
    assert out.sections == 2  # both branches; the 党委 has no members of its own
    pages = page_texts(out.path)
    assert any("新华二网格党支部" in p and "预备党员" in p for p in pages)


def test_full_identity_needs_a_reason_and_is_audited(roll, tmp_path: Path) -> None:
    ctx, _ = roll
    with pytest.raises(ValidationError, match="原因"):
        roster.print_party_roster(ctx, tmp_path / "x.pdf", org_name="新华二网格党支部", full_identity=True)
    roster.print_party_roster(
        ctx, tmp_path / "x.pdf", org_name="新华二网格党支部", full_identity=True, reason="报送上级组织部"
    )
    assert make_id(D(1980, 5, 5), 99) in "".join(page_texts(tmp_path / "x.pdf"))
    with ctx.read() as s:
        actions = s.scalars(
            select(AuditRecord.action).where(AuditRecord.entity == "party_member").order_by(AuditRecord.id)
        ).all()
    assert actions[-1] == "reveal"
    with pytest.raises(NotFoundError, match="没有名为“不存在支部”"):
        roster.print_party_roster(ctx, tmp_path / "y.pdf", org_name="不存在支部")
    with pytest.raises(ValidationError, match=r"\.pdf"):
        roster.print_party_roster(ctx, tmp_path / "y.xlsx")


# ---------------------------------------------------------------- exchange


def test_export_then_import_changes_nothing(roll, tmp_path: Path) -> None:
    ctx, _ = roll
    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"名册{suffix}"
        assert roster_exchange.export_members(ctx, out, today=TODAY, reason="核对名册") == 41
        report = roster_exchange.import_members(ctx, out, today=TODAY)
        assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 41, 0), (
            report.describe()
        )
        assert report.exit_status == 0
    ws = openpyxl.load_workbook(tmp_path / "名册.xlsx").active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["姓名", "性别", "公民身份号码"]
    ident = ws.cell(2, 3)
    assert ident.data_type == "s" and len(ident.value) == 18  # IDs as text, full (the export is audited)


def test_the_full_export_asks_for_a_reason(roll, tmp_path: Path) -> None:
    ctx, _ = roll
    out = tmp_path / "名册.xlsx"
    with pytest.raises(ValidationError, match="写明原因"):
        roster_exchange.export_members(ctx, out, today=TODAY, reason="  ")
    assert not out.exists()  # nothing written without a reason
    roster_exchange.export_members(ctx, out, today=TODAY, reason="报送全国党员管理信息系统")
    with ctx.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "export")).all()[-1]
    assert "报送全国党员管理信息系统" in rec.summary


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["新华社区党员花名册"])  # a title row before the header
    ws.append(
        ["姓名", "身份证号", "性别", "所在党组织", "入党时间", "转正时间", "手机号码", "党费类别", "党费基数"]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_import_creates_updates_and_rejects_with_row_numbers(roll, tmp_path: Path) -> None:
    ctx, ids = roll
    existing = party.get_member(ctx, ids["members"][1])
    new_id = make_id(D(1985, 6, 6), 300)
    path = write_xlsx(
        tmp_path / "in.xlsx",
        [
            [
                "周新",
                new_id,
                "男",
                "新华二网格党支部",
                "2010-07-01",
                "2011-07-01",
                "13912345678",
                "在职",
                6000,
            ],
            [existing.name, make_id(D(1951, 2, 2), 1), "", "新华一网格党支部", "", "", "13700000000", "", ""],
            ["钱错", make_id(D(1986, 1, 1), 301), "女", "不存在的支部", "2010-07-01", "", "", "", ""],
            ["孙早", make_id(D(2000, 1, 1), 302), "", "新华二网格党支部", "2012-07-01", "", "", "", ""],
            ["吴数", 620201198001010011, "", "新华二网格党支部", "2010-07-01", "", "", "", ""],
            ["郑重", new_id, "男", "新华二网格党支部", "2010-07-01", "", "", "", ""],
            ["冯值", make_id(D(1987, 1, 1), 303), "", "新华二网格党支部", "2010.7.1", "", "", "学生", "abc"],
        ],
    )
    report = roster_exchange.import_members(ctx, path, today=TODAY, errors_out=tmp_path / "errors.xlsx")
    text = report.describe()
    assert report.header_row == 2
    assert (report.created, report.updated, report.rejected) == (0, 1, 6), text
    assert report.exit_status == 2
    by_row = {(i.row, i.field): i.reason for i in report.errors}
    assert "在文件中重复出现（另见第 8 行）" in by_row[(3, "公民身份号码")]
    assert "不存在" in by_row[(5, "所在党支部")]
    assert "未满 18 周岁" in by_row[(6, "入党日期")]
    assert "保存为数字" in by_row[(7, "公民身份号码")]
    assert "不是有效金额" in by_row[(9, "党费基数（元）")]
    assert party.get_member(ctx, ids["members"][1]).phone == "137****0000"
    ws = openpyxl.load_workbook(tmp_path / "errors.xlsx").active
    assert [c.value for c in ws[1]][:4] == ["行号", "字段", "值", "原因"]
    assert ws.max_row - 1 == len(report.issues)


def test_import_dry_run_writes_nothing_and_guesses_stage(roll, tmp_path: Path) -> None:
    ctx, _ = roll
    path = write_xlsx(
        tmp_path / "dry.xlsx",
        [["周新", make_id(D(1985, 6, 6), 300), "", "新华二网格党支部", "2010-07-01", "", "", "", ""]],
    )
    report = roster_exchange.import_members(ctx, path, dry_run=True, today=TODAY)
    assert report.created == 1 and "仅检查" in report.describe()
    assert len(party.list_members(ctx, party.MemberFilter(org_id=None))) == 41
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "所在党支部", "党员类别", "入党日期"])
    ws.append(["周新", make_id(D(1985, 6, 6), 300), "新华二网格党支部", "", "2010-07-01"])
    wb.save(tmp_path / "guess.xlsx")
    report = roster_exchange.import_members(ctx, tmp_path / "guess.xlsx", today=TODAY)
    assert report.created == 1 and any("按正式党员导入" in w.reason for w in report.warnings)
    assert party.list_members(ctx, party.MemberFilter(text="周新"))[0].stage == "FULL"


# ---------------------------------------------------------------- CLI


def test_cli_import_export_print(roll, tmp_path: Path, db_path: Path, capsys) -> None:
    out = tmp_path / "export.xlsx"
    assert main(["--db", str(db_path), "export", "party-members", "--out", str(out), "--reason", "核对"]) == 0
    assert "已导出 41 名" in capsys.readouterr().out
    errors = tmp_path / "errors.xlsx"
    assert main(["--db", str(db_path), "import", "party-members", str(out), "--errors", str(errors)]) == 0
    assert "未变 41 名" in capsys.readouterr().out
    pdf = tmp_path / "roster.pdf"
    assert (
        main(["--db", str(db_path), "print", "party-roster", "--org", "新华二网格党支部", "--out", str(pdf)])
        == 0
    )
    assert "马小兰" in "".join(page_texts(pdf))
    assert main(["--db", str(db_path), "print", "party-roster", "--org", "没有", "--out", str(pdf)]) == 1
    assert "没有名为“没有”的党组织" in capsys.readouterr().err
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        [["钱错", make_id(D(1986, 1, 1), 301), "", "不存在的支部", "2010-07-01", "", "", "", ""]],
    )
    assert (
        main(["--db", str(db_path), "import", "party-members", str(bad), "--errors", str(errors)]) == 1
    )  # every row rejected
    assert errors.exists()
    assert main(["--db", str(db_path), "import", "party-members", str(tmp_path / "missing.xlsx")]) == 1
    assert main(["--db", str(db_path), "export", "party-members", "--out", str(tmp_path / "x.txt")]) == 1
    empty = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "公民身份号码", "所在党支部"])
    wb.save(empty)
    assert main(["--db", str(db_path), "import", "party-members", str(empty)]) == 1
