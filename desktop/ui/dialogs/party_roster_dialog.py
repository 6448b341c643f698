"""打印党员名册: preview the roster PDF (QtPdf), print it through the system dialog, or save it as PDF.

The PDF is written in the background into a private temporary folder. Printing draws each page at about
300 dpi onto the QPrinter (QtPdf has no vector print path; see desktop/ui/printing.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desktop.core.errors import ShequError
from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party import roster
from desktop.ui.dialogs.party_member_dialog import org_items
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtGui, QtPrintSupport, QtWidgets, Signal, pdf_modules
from desktop.ui.tasks import run_in_background


class PartyRosterDialog(QtWidgets.QDialog):
    #: the preview is ready (number of pages)
    rendered = Signal(int)
    status_message = Signal(str)

    def __init__(
        self,
        ctx: ServiceContext,
        orgs: Sequence[party.OrgNode],
        org_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("打印党员名册"))
        self.resize(1100, 760)
        self.current: Path | None = None
        self.printed: roster.RosterPrint | None = None
        self._generation = 0
        self._folder = Path(tempfile.mkdtemp(prefix="shequ-roster-"))
        folder = self._folder
        self._alive = [True]
        alive = self._alive

        def gone(*_a: object) -> None:
            alive[0] = False
            shutil.rmtree(folder, ignore_errors=True)

        self.destroyed.connect(gone)
        qtpdf, qtpdfwidgets = pdf_modules()
        self.document = qtpdf.QPdfDocument(self)
        self.view = qtpdfwidgets.QPdfView()
        self.view.setPageMode(qtpdfwidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(qtpdfwidgets.QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.org_combo = QtWidgets.QComboBox()
        self.org_combo.addItem(self.tr("全部党支部"), None)
        for text, oid in org_items(
            orgs, ("WORKING_COMMITTEE", "COMMITTEE", "GENERAL_BRANCH", "BRANCH", "GROUP")
        ):
            self.org_combo.addItem(text, oid)
        if org_id is not None and (i := self.org_combo.findData(org_id)) >= 0:
            self.org_combo.setCurrentIndex(i)
        self.org_combo.setMinimumWidth(260)
        self.info_label = QtWidgets.QLabel()
        self.info_label.setObjectName("figureDetail")
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印…"))
        self.save_button = QtWidgets.QPushButton(icon("pdf"), self.tr("另存为 PDF…"))
        self.close_button = QtWidgets.QPushButton(self.tr("关闭"))
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(self.tr("党组织")))
        bar.addWidget(self.org_combo)
        bar.addWidget(self.info_label, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.org_combo.currentIndexChanged.connect(self._on_org_combo_current_index_changed)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self._update_buttons()
        self.render()

    def org_id(self) -> int | None:
        return self.org_combo.currentData()

    def render(self) -> None:
        self._generation += 1
        generation, ctx, org_id = self._generation, self.ctx, self.org_id()
        out = self._folder / f"党员名册-{generation}.pdf"
        self.info_label.setText(self.tr("正在生成名册…"))
        self.current = None
        self._update_buttons()

        def make(_p: object) -> roster.RosterPrint:
            return roster.print_party_roster(ctx, out, org_id=org_id, audit=False)

        alive = self._alive

        def done(result: roster.RosterPrint) -> None:
            if not alive[0] or generation != self._generation:
                return
            self.document.load(str(result.path))
            self.current, self.printed = result.path, result
            pages = self.document.pageCount()
            self.info_label.setText(
                self.tr("{0}：{1} 个党组织、{2} 名党员，共 {3} 页").format(
                    result.header, result.sections, result.members, pages
                )
            )
            self._update_buttons()
            self.rendered.emit(pages)

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.info_label.setText("")
                show_error(self, exc)

        run_in_background(make, done, failed, parent=self)

    def _on_org_combo_current_index_changed(self, *_a: object) -> None:
        self.render()

    def _update_buttons(self) -> None:
        ready = self.current is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return open_print_dialog(
            self, self.tr("打印党员名册"), self.tr("党员名册"), self.print_to, landscape=True
        )

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer``; returns the number of pages printed."""
        printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape)
        try:
            pages = print_pdf(self.document, printer)
        except ShequError as exc:
            show_error(self, exc)
            return 0
        if not pages:
            return 0
        if self.printed is not None:
            roster.record_printed(
                self.ctx, self.printed, pages, printer.printerName() or printer.outputFileName()
            )
        self.status_message.emit(self.tr("已发送 {0} 页到打印机").format(pages))
        return pages

    def save_to(self, target: Path) -> Path:
        """Write the roster to ``target`` (regenerated, so the file is complete and audited)."""
        done = roster.print_party_roster(self.ctx, target, org_id=self.org_id())
        self.status_message.emit(self.tr("已保存：{0}").format(done.path))
        return done.path

    def _on_save_button_clicked(self) -> None:
        name = f"党员名册-{self.org_combo.currentText().strip()}-{self.ctx.today():%Y%m%d}.pdf"
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), str(Path.home() / name), self.tr("PDF 文件 (*.pdf)")
        )
        if not target:
            return
        try:
            self.save_to(Path(target))
        except Exception as exc:
            show_error(self, exc)
