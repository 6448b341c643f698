"""统计报表 page on the KNOWN dataset, through real widgets (offscreen): generate, preview, print, save, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from pytestqt.modeltest import ModelTester

from desktop.services.reports import mediation_statistics
from desktop.ui.models.report_statistics_model import ReportStatisticsTableModel
from desktop.ui.pages.reports.monthly_panel import recent_months
from desktop.ui.pages.reports.reports_page import ReportsPage
from desktop.ui.pages.reports.statistics_panel import period_choices
from desktop.ui.qt import Qt, QtPrintSupport, QtWidgets
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def page(qtbot: Any, street_ctx: Any) -> ReportsPage:
    build_known_dataset(street_ctx)
    p = ReportsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    p.monthly.set_today(TODAY)
    p.statistics.set_today(TODAY)
    return p


def generate(qtbot: Any, page: ReportsPage, month: str = MONTH, community: str | None = None) -> None:
    page.monthly.choose(month, community)
    with qtbot.waitSignal(page.monthly.generated, timeout=20000):
        qtbot.mouseClick(page.monthly.generate_button, LEFT)


def test_choosers(page: ReportsPage) -> None:
    combo = page.monthly.community_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["全街道", "新华社区", "朝阳社区"]
    assert page.monthly.month_combo.currentData() == "2026-10"  # the previous month by default
    assert page.monthly.month_combo.itemText(0) == "2026年11月（本月）"
    assert recent_months(TODAY)[:3] == ["2026-11", "2026-10", "2026-09"]
    assert recent_months(dt.date(2026, 1, 5))[:2] == ["2026-01", "2025-12"]
    assert period_choices("quarter", TODAY)[:2] == [
        ("2026Q4", "2026年第四季度"),
        ("2026Q3", "2026年第三季度"),
    ]
    assert period_choices("year", TODAY)[0] == ("2026", "2026年")


def test_generate_preview_print_and_save(qtbot: Any, page: ReportsPage, tmp_path: Path) -> None:
    panel = page.monthly
    assert not panel.print_button.isEnabled()
    generate(qtbot, page, MONTH, "新华社区")
    assert panel.report is not None and panel.report.community == "新华社区"
    assert panel.document.pageCount() >= 5
    assert "钢城街道新华社区2026年10月治理工作月报" in panel.info_label.text()
    assert panel.print_button.isEnabled() and panel.save_pdf_button.isEnabled()
    # print: every page drawn onto the printer (a PDF file here: no printers on CI)
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert panel.print_to(printer) == panel.document.pageCount()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == panel.document.pageCount()
    dialog = panel.open_print_dialog()
    assert dialog.windowTitle() == "打印月报"
    dialog.reject()
    # save the PDF and the workbook of the report that is shown
    with qtbot.waitSignal(panel.saved, timeout=20000):
        panel.save_pdf_to(tmp_path / "月报.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "月报.pdf").pages).replace(" ", "")
    assert "编制单位：钢城街道新华社区" in text
    with qtbot.waitSignal(panel.saved, timeout=20000):
        panel.save_workbook_to(tmp_path / "月报.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "月报.xlsx")
    received = next(
        r for r in wb["3.1 人民调解主要指标"].iter_rows(min_row=5, values_only=True) if r[0] == "受理纠纷"
    )
    assert received[1] == 3


def test_save_buttons_use_the_file_dialog(
    qtbot: Any, page: ReportsPage, tmp_path: Path, monkeypatch: Any
) -> None:
    generate(qtbot, page)
    target = tmp_path / "选的名字"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(page.monthly.saved, timeout=20000) as blocker:
        qtbot.mouseClick(page.monthly.save_xlsx_button, LEFT)
    assert blocker.args == [str(tmp_path / "选的名字.xlsx")]
    with qtbot.waitSignal(page.monthly.saved, timeout=20000) as blocker:
        qtbot.mouseClick(page.monthly.save_pdf_button, LEFT)
    assert Path(blocker.args[0]).read_bytes().startswith(b"%PDF")


def test_generation_error_is_shown(
    qtbot: Any, page: ReportsPage, no_modal_boxes: list[tuple[str, str]]
) -> None:
    page.monthly.month_combo.addItem("未来", "2030-01")
    page.monthly.month_combo.setCurrentIndex(page.monthly.month_combo.count() - 1)
    qtbot.mouseClick(page.monthly.generate_button, LEFT)
    qtbot.waitUntil(lambda: bool(no_modal_boxes), timeout=10000)
    assert no_modal_boxes[0][0] == "月报未生成" and "尚未开始" in no_modal_boxes[0][1]
    assert page.monthly.generate_button.isEnabled() and not page.monthly.print_button.isEnabled()


def test_statistics_table_and_export(
    qtbot: Any, page: ReportsPage, tmp_path: Path, monkeypatch: Any, qtmodeltester: Any
) -> None:
    panel = page.statistics
    page.tabs.setCurrentWidget(panel)
    panel.choose("2026Q4")
    assert panel.period_combo.currentText() == "2026年第四季度（未结束）"
    with qtbot.waitSignal(panel.computed, timeout=10000):
        qtbot.mouseClick(panel.compute_button, LEFT)
    model = panel.model
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 19 + 4
    labels = [model.index(r, ReportStatisticsTableModel.LABEL).data() for r in range(model.rowCount())]
    assert labels[0] == "婚姻家庭纠纷" and labels[18] == "合计" and labels[-1] == "合计"
    total = model.index(18, ReportStatisticsTableModel.RECEIVED)
    assert total.data() == "5" and total.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(18, ReportStatisticsTableModel.AMOUNT).data() == "7,034.56"
    assert model.index(14, ReportStatisticsTableModel.RECEIVED).data() == "0"  # 旅游纠纷
    assert "受理 5 件，调解成功 4 件" in panel.info_label.text()
    assert panel.notes_label.text().startswith("统计口径：")
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "统计表.xlsx"), "")
    )
    with qtbot.waitSignal(panel.saved, timeout=10000):
        qtbot.mouseClick(panel.export_button, LEFT)
    ws = openpyxl.load_workbook(tmp_path / "统计表.xlsx")["人民调解统计表"]
    assert ws["A1"].value == "钢城街道人民调解统计表（2026年第四季度）" and ws["C23"].value == 5
    # a year, for one community
    panel.choose("2025", "新华社区")
    with qtbot.waitSignal(panel.computed, timeout=10000):
        panel.compute()
    assert panel.stats is not None and panel.stats.title == "钢城街道新华社区人民调解统计表（2025年）"


def test_statistics_model_passes_the_model_tester(qtbot: Any, street_ctx: Any) -> None:
    build_known_dataset(street_ctx)
    model = ReportStatisticsTableModel()
    tester = ModelTester(None)
    tester.check(model)
    model.set_statistics(mediation_statistics(street_ctx, "2026", today=TODAY))
    tester.check(model)
    assert model.rowCount() == 23 and model.columnCount() == 7
    assert model.headerData(6, Qt.Orientation.Horizontal) == "协议涉及金额（元）"
    model.set_statistics(None)
    assert model.rowCount() == 0


def test_main_window_shows_the_reports_page(qtbot: Any, street_ctx: Any) -> None:
    from desktop.ui.main_window import AREAS

    area = next(a for a in AREAS if a.key == "reports")
    page = area.factory(street_ctx)
    qtbot.addWidget(page)
    assert isinstance(page, ReportsPage) and page.title == "统计报表"
