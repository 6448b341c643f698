"""文书: pick a document of the case, preview it (QtPdf), print it through the system dialog, save it as PDF.

The PDF is written in the background into a private temporary folder; printing renders each page at
about 300 dpi onto the QPrinter (QtPdf has no vector print path; 1200 dpi spools would be huge).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from desktop.core.errors import ShequError
from desktop.documents.mediation import DOCUMENTS, available
from desktop.domain.mediation import CaseRecord
from desktop.services.context import ServiceContext
from desktop.services.mediation import printing
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtGui, QtPrintSupport, QtWidgets, Signal, pdf_modules
from desktop.ui.tasks import run_in_background


class DocumentPreview(QtWidgets.QWidget):
    #: a document finished rendering and is shown (its key)
    rendered = Signal(str)
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseRecord | None = None
        self.current: Path | None = None
        self.current_key: str | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="shequ-preview-"))
        self._generation = 0
        folder = self._folder
        self.destroyed.connect(lambda *_a: shutil.rmtree(folder, ignore_errors=True))
        qtpdf, qtpdfwidgets = pdf_modules()
        self.document = qtpdf.QPdfDocument(self)
        self.view = qtpdfwidgets.QPdfView()
        self.view.setPageMode(qtpdfwidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(qtpdfwidgets.QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.doc_combo = QtWidgets.QComboBox()
        self.doc_combo.setMinimumWidth(220)
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印…"))
        self.save_button = QtWidgets.QPushButton(icon("pdf"), self.tr("另存为 PDF…"))
        self.info_label = QtWidgets.QLabel()
        self.info_label.setObjectName("figureDetail")
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(self.tr("文书")))
        bar.addWidget(self.doc_combo, 1)
        bar.addWidget(self.info_label)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.doc_combo.currentIndexChanged.connect(self._on_doc_combo_current_index_changed)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self._update_buttons()

    def show_case(self, case: CaseRecord | None) -> None:
        self.case = case
        keep = self.doc_combo.currentData()
        self.doc_combo.blockSignals(True)
        self.doc_combo.clear()
        for key in available(case) if case else []:
            self.doc_combo.addItem(self.tr(DOCUMENTS[key]), key)
        if keep and (i := self.doc_combo.findData(keep)) >= 0:
            self.doc_combo.setCurrentIndex(i)
        self.doc_combo.blockSignals(False)
        self.document.close()
        self.current = self.current_key = None
        self._update_buttons()
        if case is not None and self.isVisible():
            self.render()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if self.case is not None and self.current is None:
            self.render()

    def render(self) -> None:
        key, case = self.doc_combo.currentData(), self.case
        if case is None or key is None:
            return
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        out = self._folder / f"{key}-{generation}.pdf"
        self.info_label.setText(self.tr("正在生成…"))

        def make(_p: object) -> tuple[Path, int]:
            return printing.print_document(ctx, case.id, key, out, audit=False)

        def done(result: tuple[Path, int]) -> None:
            if generation != self._generation:
                return
            path, pages = result
            self.document.load(str(path))
            self.current, self.current_key = path, key
            self.info_label.setText(self.tr("共 {0} 页").format(pages))
            self._update_buttons()
            self.rendered.emit(key)

        def failed(exc: BaseException) -> None:
            self.info_label.setText("")
            show_error(self, exc)

        run_in_background(make, done, failed, parent=self)

    def _on_doc_combo_current_index_changed(self, *_a: object) -> None:
        self.render()

    def _update_buttons(self) -> None:
        ready = self.current is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return open_print_dialog(
            self, self.tr("打印文书"), self.current.stem if self.current else "", self.print_to
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
        if self.case is not None and self.current_key:
            printing.record_printed(
                self.ctx,
                self.case.id,
                self.current_key,
                pages,
                printer.printerName() or printer.outputFileName(),
            )
        self.status_message.emit(self.tr("已发送 {0} 页到打印机").format(pages))
        return pages

    def save_to(self, target: Path) -> Path:
        """Write the shown document to ``target`` (regenerated, audited)."""
        assert self.case is not None and self.current_key is not None
        path, _pages = printing.print_document(self.ctx, self.case.id, self.current_key, target)
        self.status_message.emit(self.tr("已保存：{0}").format(path))
        return path

    def _on_save_button_clicked(self) -> None:
        if self.case is None or self.current_key is None:
            return
        name = f"{DOCUMENTS[self.current_key]}{self.case.case_no}.pdf".replace("/", "-")
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), str(Path.home() / name), self.tr("PDF 文件 (*.pdf)")
        )
        if not target:
            return
        try:
            self.save_to(Path(target))
        except Exception as exc:
            show_error(self, exc)
