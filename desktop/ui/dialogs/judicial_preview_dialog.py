"""申请书与材料: preview a 司法确认 document (QtPdf), print it at ~300 dpi, or save it as PDF.

The application and the package are refused after the deadline unless a reason was recorded: the
refusal is shown in the dialog instead of the preview.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from desktop.core.errors import ShequError
from desktop.documents.judicial import DOCUMENTS
from desktop.services.context import ServiceContext
from desktop.services.judicial.documents import record_printed, write_document
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtPrintSupport, QtWidgets, Signal, pdf_modules
from desktop.ui.tasks import run_in_background


class ConfirmationPreviewDialog(QtWidgets.QDialog):
    rendered = Signal(str)
    failed = Signal(str)

    def __init__(
        self, ctx: ServiceContext, track_id: int, case_no: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.track_id, self.case_no = ctx, track_id, case_no
        self.current: Path | None = None
        self._generation = 0
        self._folder = Path(tempfile.mkdtemp(prefix="shequ-judicial-"))
        folder = self._folder
        self.destroyed.connect(lambda *_a: shutil.rmtree(folder, ignore_errors=True))
        self.setWindowTitle(self.tr("司法确认文书 · {0}").format(case_no))
        self.resize(860, 900)
        qtpdf, qtpdfwidgets = pdf_modules()
        self.document = qtpdf.QPdfDocument(self)
        self.view = qtpdfwidgets.QPdfView()
        self.view.setPageMode(qtpdfwidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(qtpdfwidgets.QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.doc_combo = QtWidgets.QComboBox()
        for key, label in DOCUMENTS.items():
            self.doc_combo.addItem(self.tr(label), key)
        self.info_label = QtWidgets.QLabel()
        self.info_label.setWordWrap(True)
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印…"))
        self.save_button = QtWidgets.QPushButton(icon("pdf"), self.tr("另存为 PDF…"))
        close = QtWidgets.QPushButton(self.tr("关闭"))
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(self.tr("文书")))
        bar.addWidget(self.doc_combo, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.info_label)
        lay.addWidget(self.view, 1)
        self.doc_combo.currentIndexChanged.connect(lambda *_a: self.render())
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        close.clicked.connect(self.reject)
        self._update_buttons()

    def key(self) -> str:
        return str(self.doc_combo.currentData())

    def render(self) -> None:
        self._generation += 1
        generation, key = self._generation, self.key()
        out = self._folder / f"{key}-{generation}.pdf"
        self.info_label.setText(self.tr("正在生成…"))
        self.info_label.setStyleSheet("")
        self.current = None
        self._update_buttons()
        ctx, track_id = self.ctx, self.track_id

        def make(_p: object) -> Path:
            return write_document(ctx, key, out, track_id=track_id, audit=False)

        def done(path: Path) -> None:
            if generation != self._generation:
                return
            self.document.load(str(path))
            self.current = path
            self.info_label.setText(self.tr("共 {0} 页").format(self.document.pageCount()))
            self._update_buttons()
            self.rendered.emit(key)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.document.close()
            message = getattr(exc, "message", None)
            if message is None:
                show_error(self, exc)
                message = self.tr("生成失败")
            self.info_label.setText(message)
            self.info_label.setStyleSheet("color:#b3261e;")
            self.failed.emit(message)

        run_in_background(make, done, failed, parent=self)

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.current is not None)
        self.save_button.setEnabled(self.current is not None)

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return open_print_dialog(self, self.tr("打印文书"), self.windowTitle(), self.print_to)

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        try:
            pages = print_pdf(self.document, printer)
        except ShequError as exc:
            show_error(self, exc)
            return 0
        if not pages:
            return 0
        record_printed(
            self.ctx,
            self.case_no,
            self.track_id,
            self.key(),
            printer.printerName() or printer.outputFileName(),
        )
        return pages

    def save_to(self, target: Path) -> Path:
        return write_document(self.ctx, self.key(), target, track_id=self.track_id)

    def _on_save_button_clicked(self) -> None:
        name = f"{DOCUMENTS[self.key()]}{self.case_no}.pdf"
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), str(Path.home() / name), self.tr("PDF 文件 (*.pdf)")
        )
        if target:
            try:
                self.save_to(Path(target))
            except Exception as exc:
                show_error(self, exc)
