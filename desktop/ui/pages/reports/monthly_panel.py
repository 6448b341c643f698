"""月报: choose a month and a community (or the whole street), generate in the background, preview, print, save.

The report is computed and laid out as a PDF off the GUI thread by the one PDF preview
(:class:`~desktop.ui.widgets.pdf_preview.PdfPreview`), which also prints it (~300 dpi) and saves the PDF
that is shown (atomically). 保存工作簿 and 保存 Word write the report that is shown, in the background,
atomically. 编写月报说明 opens the narrative (工作开展情况, 存在问题, 下一步打算) of the chosen month and scope;
saving it regenerates a report of that month and scope that is shown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.domain.reports import NARRATIVE_PARTS
from desktop.services.context import ServiceContext
from desktop.services.reports import MonthlyReport, files, monthly_report
from desktop.services.structure import CommunityRow
from desktop.ui.dialogs.form_dialog import open_dialog
from desktop.ui.dialogs.report_narrative_dialog import ReportNarrativeDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.qt import QtPrintSupport, QtWidgets, Signal
from desktop.ui.tasks import Progress, run_in_background
from desktop.ui.widgets.pdf_preview import PdfPreview

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

        self.month_combo = QtWidgets.QComboBox()
        self.month_combo.setMinimumWidth(150)
        self.set_today(ctx.today())
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.setMinimumWidth(180)
        self.community_combo.addItem(self.tr("全街道"), None)
        self.generate_button = QtWidgets.QPushButton(icon("reports", "#ffffff"), self.tr("生成月报"))
        self.generate_button.setObjectName("primaryButton")
        self.pdf = PdfPreview(
            self,
            print_title=self.tr("打印月报"),
            save_text=self.tr("保存 PDF…"),
            info_in_bar=False,
            known_errors_in_dialog=True,
        )
        self.pdf.error_title = self.tr("月报未生成")
        self.document, self.view = self.pdf.document, self.pdf.view
        self.info_label, self.print_button, self.save_pdf_button = (
            self.pdf.info_label,
            self.pdf.print_button,
            self.pdf.save_button,
        )
        self.info_label.setText(self.tr("选择月份和范围后点击“生成月报”。"))
        self.save_xlsx_button = QtWidgets.QPushButton(icon("export"), self.tr("保存工作簿…"))
        self.save_docx_button = QtWidgets.QPushButton(icon("export"), self.tr("保存 Word…"))
        self.save_docx_button.setToolTip(
            self.tr("导出可编辑的 Word 文档（.docx），内容与 PDF 相同（不含图表）")
        )
        self.narrative_button = QtWidgets.QPushButton(icon("edit"), self.tr("编写月报说明…"))
        self.narrative_button.setToolTip(self.tr("填写本月的工作开展情况、存在问题和下一步打算，印在月报中"))

        # two rows, so that a 1366-pixel screen shows every button whole: the choices, then the outputs
        choices = QtWidgets.QHBoxLayout()
        choices.setSpacing(8)
        for widget in (
            QtWidgets.QLabel(self.tr("月份")),
            self.month_combo,
            QtWidgets.QLabel(self.tr("范围")),
            self.community_combo,
            self.generate_button,
        ):
            choices.addWidget(widget)
        choices.addStretch(1)
        choices.addWidget(self.narrative_button)
        bar = self.pdf.bar
        bar.addWidget(self.save_xlsx_button)
        bar.addWidget(self.save_docx_button)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addLayout(choices)
        lay.addWidget(self.pdf)

        self.generate_button.clicked.connect(self.generate)
        self.save_xlsx_button.clicked.connect(self._on_save_xlsx_button_clicked)
        self.save_docx_button.clicked.connect(self._on_save_docx_button_clicked)
        self.narrative_button.clicked.connect(self.open_narrative)
        self.pdf.rendered.connect(self._on_pdf_rendered)
        self.pdf.failed.connect(self._on_pdf_failed)
        self.pdf.saved.connect(self.saved)
        self.pdf.status_message.connect(self.status_message)
        self._update_buttons()

    @property
    def current(self) -> Path | None:
        return self.pdf.current

    @property
    def busy(self) -> bool:
        return self.pdf.busy

    # ---------------------------------------------------------------- choices

    def set_today(self, today: dt.date) -> None:
        """Offer the months up to ``today``'s; the previous month, the last complete one, is chosen."""
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
        ctx = self.ctx
        self.report = None

        def make(out: Path, progress: Progress) -> MonthlyReport:
            progress(0, 2, "正在统计各项指标…")
            report = monthly_report(ctx, month, community)
            progress(1, 2, "正在生成 PDF…")
            files.save_monthly_pdf(report, out)
            return report

        self.pdf.render(
            make,
            name=f"月报-{month}",
            text=self.tr("正在统计并生成月报…"),
            progress_title=self.tr("正在生成月报"),
            reports_progress=True,
        )
        self._update_buttons()

    def _on_pdf_rendered(self, report: MonthlyReport) -> None:
        self.report = report
        self.pdf.doc_name = report.title
        missing = [label for key, label in NARRATIVE_PARTS if not report.narrative.paragraphs(key)]
        self.info_label.setText(
            self.tr("{0}，共 {1} 页。数据截至{2}，全部由业务记录自动计算。").format(
                report.title, self.document.pageCount(), f"{report.as_of:%Y-%m-%d}"
            )
            + (
                self.tr("尚未填写：{0}（点“编写月报说明”填写，未填写的部分不印）。").format(
                    "、".join(missing)
                )
                if missing
                else ""
            )
        )
        self._update_buttons()
        self.status_message.emit(self.tr("已生成{0}").format(report.title))
        self.generated.emit()

    def _on_pdf_failed(self, _message: str) -> None:
        self.info_label.setText(self.tr("月报未生成。"))
        self.info_label.setStyleSheet("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.generate_button.setEnabled(not self.busy)
        self.save_xlsx_button.setEnabled(self.report is not None and not self.busy)
        self.save_docx_button.setEnabled(self.report is not None and not self.busy)

    # ---------------------------------------------------------------- the narrative

    def open_narrative(self) -> ReportNarrativeDialog | None:
        """编写月报说明 for the chosen month and scope; a shown report of them is regenerated on save."""
        month, community = self.month_combo.currentData(), self.community_combo.currentData()
        if not month:
            return None
        try:
            dialog = ReportNarrativeDialog(self.ctx, month, community, self)
        except Exception as exc:
            show_error(self, exc, self.tr("无法编写月报说明"))
            return None

        def accepted() -> None:
            self.status_message.emit(self.tr("已保存{0}").format(dialog.heading_label.text()))
            shown = self.report
            if shown is not None and shown.month == month and shown.community == community:
                self.generate()

        dialog.accepted.connect(accepted)
        open_dialog(dialog)
        return dialog

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return self.pdf.open_print_dialog()

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer``; returns the number of pages printed."""
        return self.pdf.print_to(printer)

    def save_pdf_to(self, target: Path) -> None:
        """Write the shown report as a PDF to ``target`` (the bytes shown, atomically; ``saved`` when done)."""
        try:
            self.pdf.save_to(target)
        except Exception as exc:
            show_error(self, exc, self.tr("未能保存"))

    def save_workbook_to(self, target: Path) -> None:
        report = self.report
        assert report is not None

        def done(path: Path) -> None:
            self.status_message.emit(self.tr("已保存：{0}").format(path))
            self.saved.emit(str(path))

        run_in_background(
            lambda _p: files.save_monthly_workbook(report, target),
            done,
            lambda exc: show_error(self, exc, self.tr("未能保存")),
            parent=self,
            title=self.tr("正在保存工作簿"),
        )

    def save_docx_to(self, target: Path) -> None:
        report = self.report
        assert report is not None

        def done(path: Path) -> None:
            self.status_message.emit(self.tr("已保存：{0}").format(path))
            self.saved.emit(str(path))

        run_in_background(
            lambda _p: files.save_monthly_docx(report, target),
            done,
            lambda exc: show_error(self, exc, self.tr("未能保存")),
            parent=self,
            title=self.tr("正在保存 Word 文档"),
        )

    def _on_save_docx_button_clicked(self) -> None:
        if self.report is None:
            return
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("保存月报 Word 文档"),
            str(Path.home() / f"{self.report.title}.docx"),
            self.tr("Word 文档 (*.docx)"),
        )
        if target:
            self.save_docx_to(Path(target if target.lower().endswith(".docx") else target + ".docx"))

    def _on_save_xlsx_button_clicked(self) -> None:
        if self.report is None:
            return
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("保存月报工作簿"),
            str(Path.home() / f"{self.report.title}.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if target:
            self.save_workbook_to(Path(target if target.lower().endswith(".xlsx") else target + ".xlsx"))
