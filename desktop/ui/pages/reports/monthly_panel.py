"""月报: choose a month and a community (or the whole street), generate in the background, preview, print, save.

The report is computed and laid out as a PDF in a private temporary folder off the GUI thread; the
preview shows that file (QtPdf). Printing draws each page at about 300 dpi onto the QPrinter (QtPdf has
no vector print path; see desktop/ui/printing.py). 保存 PDF / 保存工作簿 write the report that is shown, again in the
background, atomically.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from desktop.core.errors import ShequError
from desktop.services.context import ServiceContext
from desktop.services.reports import MonthlyReport, files, monthly_report
from desktop.services.structure import CommunityRow
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtPrintSupport, QtWidgets, Signal, pdf_modules
from desktop.ui.tasks import Progress, run_in_background

MONTHS_BACK = 36


def recent_months(today: dt.date, count: int = MONTHS_BACK) -> list[str]:
    """ "2026-11", "2026-10", … back ``count`` months from ``today``'s month."""
    index = today.year * 12 + today.month - 1
    return [f"{(index - i) // 12:04d}-{(index - i) % 12 + 1:02d}" for i in range(count)]


class MonthlyReportPanel(QtWidgets.QWidget):
    #: a report finished and is shown in the preview
    generated = Signal()
    #: a file was written (its path)
    saved = Signal(str)
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: MonthlyReport | None = None
        self.current: Path | None = None
        self.busy = False
        self._generation = 0
        self._folder = Path(tempfile.mkdtemp(prefix="shequ-report-"))
        folder = self._folder
        self.destroyed.connect(lambda *_a: shutil.rmtree(folder, ignore_errors=True))

        self.month_combo = QtWidgets.QComboBox()
        self.month_combo.setMinimumWidth(150)
        self.set_today(ctx.today())
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.setMinimumWidth(180)
        self.community_combo.addItem(self.tr("全街道"), None)
        self.generate_button = QtWidgets.QPushButton(icon("reports", "#ffffff"), self.tr("生成月报"))
        self.generate_button.setObjectName("primaryButton")
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印…"))
        self.save_pdf_button = QtWidgets.QPushButton(icon("pdf"), self.tr("保存 PDF…"))
        self.save_xlsx_button = QtWidgets.QPushButton(icon("export"), self.tr("保存工作簿…"))
        self.info_label = QtWidgets.QLabel(self.tr("选择月份和范围后点击“生成月报”。"))
        self.info_label.setObjectName("figureDetail")

        bar = QtWidgets.QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(QtWidgets.QLabel(self.tr("月份")))
        bar.addWidget(self.month_combo)
        bar.addSpacing(8)
        bar.addWidget(QtWidgets.QLabel(self.tr("范围")))
        bar.addWidget(self.community_combo)
        bar.addSpacing(8)
        bar.addWidget(self.generate_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_pdf_button)
        bar.addWidget(self.save_xlsx_button)

        qtpdf, qtpdfwidgets = pdf_modules()
        self.document = qtpdf.QPdfDocument(self)
        self.view = qtpdfwidgets.QPdfView()
        self.view.setPageMode(qtpdfwidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(qtpdfwidgets.QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setMinimumHeight(300)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(8)
        lay.addLayout(bar)
        lay.addWidget(self.info_label)
        lay.addWidget(self.view, 1)

        self.generate_button.clicked.connect(self.generate)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_pdf_button.clicked.connect(self._on_save_pdf_button_clicked)
        self.save_xlsx_button.clicked.connect(self._on_save_xlsx_button_clicked)
        self._update_buttons()

    # ---------------------------------------------------------------- choices

    def set_today(self, today: dt.date) -> None:
        """Offer the months up to ``today``'s; the previous month is chosen (the usual one to report)."""
        self.month_combo.clear()
        for i, code in enumerate(recent_months(today)):
            year, month = code.split("-")
            label = self.tr("{0}年{1}月").format(year, int(month)) + (self.tr("（本月）") if i == 0 else "")
            self.month_combo.addItem(label, code)
        self.month_combo.setCurrentIndex(1)

    def set_communities(self, rows: list[CommunityRow]) -> None:
        keep = self.community_combo.currentData()
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("全街道"), None)
        for c in rows:
            self.community_combo.addItem(c.name + (self.tr("（已撤销）") if c.retired_on else ""), c.name)
        found = self.community_combo.findData(keep)
        self.community_combo.setCurrentIndex(max(found, 0))

    def choose(self, month: str, community: str | None = None) -> None:
        self.month_combo.setCurrentIndex(max(self.month_combo.findData(month), 0))
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(community), 0))

    # ---------------------------------------------------------------- generating

    def generate(self) -> None:
        month, community = self.month_combo.currentData(), self.community_combo.currentData()
        if not month:
            return
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        out = self._folder / f"月报-{month}-{generation}.pdf"
        self.busy = True
        self.info_label.setText(self.tr("正在统计并生成月报…"))
        self._update_buttons()

        def make(progress: Progress) -> tuple[MonthlyReport, Path]:
            progress(0, 2, "正在统计各项指标…")
            report = monthly_report(ctx, month, community)
            progress(1, 2, "正在生成 PDF…")
            return report, files.save_monthly_pdf(report, out)

        def done(result: tuple[MonthlyReport, Path]) -> None:
            if generation != self._generation:
                return
            self.busy = False
            self.report, self.current = result
            self.document.load(str(self.current))
            self.info_label.setText(
                self.tr("{0}，共 {1} 页。数据截至{2}，全部由业务记录自动计算。").format(
                    self.report.title, self.document.pageCount(), f"{self.report.as_of:%Y-%m-%d}"
                )
            )
            self._update_buttons()
            self.status_message.emit(self.tr("已生成{0}").format(self.report.title))
            self.generated.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.busy = False
                self.info_label.setText(self.tr("月报未生成。"))
                self._update_buttons()
            show_error(self, exc, self.tr("月报未生成"))

        run_in_background(make, done, failed, parent=self, title=self.tr("正在生成月报"))

    def _update_buttons(self) -> None:
        ready = self.current is not None and not self.busy
        self.generate_button.setEnabled(not self.busy)
        for b in (self.print_button, self.save_pdf_button, self.save_xlsx_button):
            b.setEnabled(ready)

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return open_print_dialog(
            self, self.tr("打印月报"), self.report.title if self.report else "", self.print_to
        )

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer``; returns the number of pages printed."""
        try:
            pages = print_pdf(self.document, printer)
        except ShequError as exc:
            show_error(self, exc)
            return 0
        if not pages:
            return 0
        self.status_message.emit(self.tr("已发送 {0} 页到打印机").format(pages))
        return pages

    def save_pdf_to(self, target: Path) -> None:
        """Write the shown report as a PDF to ``target`` in the background (``saved`` when done)."""
        report = self.report
        assert report is not None
        self._save(lambda _p: files.save_monthly_pdf(report, target), self.tr("正在保存 PDF"))

    def save_workbook_to(self, target: Path) -> None:
        report = self.report
        assert report is not None
        self._save(lambda _p: files.save_monthly_workbook(report, target), self.tr("正在保存工作簿"))

    def _save(self, fn, title: str) -> None:  # type: ignore[no-untyped-def]
        def done(path: Path) -> None:
            self.status_message.emit(self.tr("已保存：{0}").format(path))
            self.saved.emit(str(path))

        run_in_background(
            fn, done, lambda exc: show_error(self, exc, self.tr("未能保存")), parent=self, title=title
        )

    def _default_name(self, suffix: str) -> str:
        assert self.report is not None
        return str(Path.home() / f"{self.report.title}{suffix}")

    def _on_save_pdf_button_clicked(self) -> None:
        if self.report is None:
            return
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("保存月报 PDF"), self._default_name(".pdf"), self.tr("PDF 文件 (*.pdf)")
        )
        if target:
            self.save_pdf_to(Path(target if target.lower().endswith(".pdf") else target + ".pdf"))

    def _on_save_xlsx_button_clicked(self) -> None:
        if self.report is None:
            return
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("保存月报工作簿"), self._default_name(".xlsx"), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if target:
            self.save_workbook_to(Path(target if target.lower().endswith(".xlsx") else target + ".xlsx"))
