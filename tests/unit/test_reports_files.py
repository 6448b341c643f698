"""The report files: the monthly PDF (text extraction, embedded fonts), the workbooks read back, the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from desktop.app import main
from desktop.exchange.writing import display_width
from desktop.services.reports import files, mediation_statistics, monthly_report
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset


@pytest.fixture
def known(street_ctx: Any) -> Any:
    build_known_dataset(street_ctx)
    return street_ctx


@pytest.fixture
def pdf_text(known: Any, tmp_path: Path) -> tuple[Path, str]:
    report = monthly_report(known, MONTH, today=TODAY)
    path = files.save_monthly_pdf(report, tmp_path / "月报.pdf")
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return path, re.sub(r"\s+", "", text)


def test_pdf_title_header_sections_and_figures(pdf_text: tuple[Path, str]) -> None:
    path, text = pdf_text
    reader = pypdf.PdfReader(str(path))
    assert reader.metadata.title == "钢城街道2026年10月社区治理工作月报"
    for expected in (
        "钢城街道社区治理工作月报",
        "（2026年10月）",
        "编制单位：钢城街道",
        "印发日期：2026年11月23日",
        "统计期间：2026年10月1日至2026年10月31日",
        "钢城街道2026年10月社区治理工作情况",
        "一、党建引领",
        "二、人口与特殊人群",
        "三、矛盾纠纷人民调解",
        "四、司法确认",
        "五、网格建设",
        "六、网格事件与走访",
        "（一）党组织和党员",
        "（二）三会一课开展情况",
        "受理网格事件",
        "图1",
        "图2",
        "附：指标口径与计算公式",
        "调解成功率=本期调解成功数÷本期调结数×100%",
        "—1—",
    ):
        assert expected in text, expected
    # figures: success rate, amount, the dues rate, meetings, a zero dispute type row
    assert "6,234.56" in text
    assert "75.0%" in text and "33.3%" in text  # success rate, dues rate
    assert "合计（本月到期，按期开展率）4250.0%" in text  # 三会一课: 2 of 4
    assert "旅游纠纷00.0%0—0—" in text  # a dispute type without cases: zeros, no 环比/同比
    assert "本月受理矛盾纠纷5件，环比上升66.7%" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdf_fonts_all_embedded(pdf_text: tuple[Path, str]) -> None:
    path, _text = pdf_text
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = listing.strip().splitlines()[2:]
    assert fonts, listing
    for line in fonts:
        assert re.search(r"\byes\s+yes\s+yes\b", line), f"not embedded: {line}"  # emb sub uni
    assert "Helvetica" not in listing  # the charts start in the embedded font too


def test_pdf_of_an_empty_month(ctx: Any, tmp_path: Path) -> None:
    report = monthly_report(ctx, "2026-10", today=TODAY)
    path = files.save_monthly_pdf(report, tmp_path / "empty.pdf")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))
    assert "本月无受理的纠纷，不绘制纠纷类型分布图" in text
    assert "调解成功率无数据（无调结）%" in text  # an empty denominator is not 0.0%
    assert "0.0%" not in text  # no rate of an empty month prints as a percentage
    assert "旅游纠纷0无数据" in text  # a share of no cases received

def test_monthly_workbook_one_sheet_per_table(known: Any, tmp_path: Path) -> None:
    report = monthly_report(known, MONTH, today=TODAY)
    path = files.save_monthly_workbook(report, tmp_path / "月报.xlsx")
    wb = openpyxl.load_workbook(path)
    tables = list(report.tables())
    assert len(wb.sheetnames) == len(tables)  # 六、网格事件与走访 is a table now
    assert "6.1 网格事件办理与走访（本月）" in wb.sheetnames
    assert wb.sheetnames[0] == "1.1 党组织和党员"
    assert "3.2 按纠纷类型分类" in wb.sheetnames
    ws = wb["3.1 人民调解主要指标"]
    assert ws["A1"].value == "钢城街道2026年10月 人民调解主要指标"
    header = [c.value for c in ws[4]]
    assert header == ["指标", "本月", "单位", "上月", "环比", "去年同月", "同比", "计算公式"]
    by_label = {row[0].value.strip("\u3000"): row for row in ws.iter_rows(min_row=5) if row[0].value}
    received = by_label["受理纠纷"]
    assert received[1].value == 5 and received[1].data_type == "n"
    assert received[3].value == 3 and received[5].value == 4
    assert received[4].value == pytest.approx(2 / 3) and received[4].number_format.startswith("+0.0%")
    rate = by_label["调解成功率"]
    assert rate[1].value == pytest.approx(0.75) and rate[1].number_format == "0.0%"
    assert rate[4].value is None  # no 环比 for a rate
    amount = by_label["协议涉及金额"]
    assert amount[1].value == pytest.approx(6234.56) and amount[1].number_format == "#,##0.00"
    assert amount[7].value.startswith("协议涉及金额 = ")
    # every value cell holds a number or is empty: never a number stored as text
    for name in wb.sheetnames[:-1]:
        sheet = wb[name]
        for row in sheet.iter_rows(min_row=5, max_col=2):
            if row[0].value and not str(row[0].value).startswith("注："):
                assert row[1].value is None or row[1].data_type == "n", (name, row[0].value)
    # widths fit the Chinese labels
    longest = max(display_width(c.value) for c in ws["A"][3:] if c.value and not c.value.startswith("注"))
    assert ws.column_dimensions["A"].width >= longest
    dues = wb["1.3 党费收缴"]
    rows = {r[0].value: r for r in dues.iter_rows(min_row=5) if r[0].value}
    assert rows["党费收缴率"][1].value == pytest.approx(1 / 3)
    assert rows["本月收缴党费（按缴费日期）"][1].value == pytest.approx(116.0)


def test_statistics_workbook(known: Any, tmp_path: Path) -> None:
    stats = mediation_statistics(known, "2026Q4", today=TODAY)
    path = files.save_statistics_workbook(stats, tmp_path / "统计表.xlsx")
    ws = openpyxl.load_workbook(path)["人民调解统计表"]
    assert ws["A1"].value == "钢城街道人民调解统计表（2026年第四季度）"
    assert [c.value for c in ws[4]] == [
        "类别",
        "项目",
        "受理",
        "调解成功",
        "履行",
        "司法确认",
        "协议涉及金额（元）",
    ]
    body = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=5, max_row=4 + 19 + 4)]
    assert len(body) == 23
    assert body[0] == ("纠纷类型", "婚姻家庭纠纷", 1, 1, 1, 1, 5000)
    assert body[18] == ("纠纷类型", "合计", 5, 4, 3, 1, pytest.approx(7034.56))
    assert body[14] == ("纠纷类型", "旅游纠纷", 0, 0, 0, 0, 0)
    assert body[-1] == ("案件来源", "合计", 5, 4, 3, 1, pytest.approx(7034.56))
    assert all(isinstance(v, int | float) for row in body for v in row[2:])
    assert ws["C5"].data_type == "n" and ws["G23"].number_format == "#,##0.00"
    notes = [ws.cell(row=r, column=1).value for r in range(29, 31)]
    assert notes[0].startswith("统计口径：")


def test_wrong_suffixes_are_refused_before_any_work(known: Any, tmp_path: Path) -> None:
    from desktop.core.errors import ValidationError

    with pytest.raises(ValidationError, match=r"\.pdf"):
        files.export_monthly(known, MONTH, tmp_path / "a.docx")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        files.export_monthly(known, MONTH, tmp_path / "a.pdf", tmp_path / "a.csv")
    assert not (tmp_path / "a.pdf").exists()


# ---------------------------------------------------------------- command line


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_chinese_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in err, err
    return lines[0]


def test_cli_monthly_and_mediation(known: Any, capsys: Any, tmp_path: Path) -> None:
    db = str(known.database.url.database)
    pdf, xlsx = tmp_path / "m.pdf", tmp_path / "m.xlsx"
    status, out, _err = run_cli(
        capsys, "--db", db, "report", "monthly", "--month", MONTH, "--out", str(pdf), "--xlsx", str(xlsx)
    )
    assert status == 0 and "钢城街道2026年10月社区治理工作月报" in out
    assert pdf.read_bytes().startswith(b"%PDF") and openpyxl.load_workbook(xlsx).sheetnames
    status, out, _err = run_cli(
        capsys,
        "--db",
        db,
        "report",
        "monthly",
        "--month",
        MONTH,
        "--community",
        "新华社区",
        "--out",
        str(pdf),
    )
    assert status == 0 and "钢城街道新华社区" in out
    out_x = tmp_path / "s.xlsx"
    status, out, _err = run_cli(
        capsys, "--db", db, "report", "mediation", "--period", "2026Q4", "--out", str(out_x)
    )
    assert status == 0 and "受理 5 件，调解成功 4 件" in out
    assert openpyxl.load_workbook(out_x)["人民调解统计表"]["C23"].value == 5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["monthly", "--month", "2026/13", "--out", "x.pdf"], "月份“2026/13”格式不正确"),
        (["monthly", "--month", "2026-10", "--community", "火星", "--out", "x.pdf"], "找不到社区“火星”"),
        (["mediation", "--period", "2026Q9", "--out", "x.xlsx"], "统计期间“2026Q9”格式不正确"),
        (["mediation", "--period", "2026-10", "--out", "x.pdf"], "不支持导出为“.pdf”文件"),
    ],
)
def test_cli_errors_are_one_chinese_line(
    known: Any, capsys: Any, tmp_path: Path, monkeypatch: Any, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _out, err = run_cli(capsys, "--db", str(known.database.url.database), "report", *argv)
    assert status != 0
    assert message in one_chinese_line(err)
    assert not (tmp_path / "x.pdf").exists()
