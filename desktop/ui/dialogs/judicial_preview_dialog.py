"""申请书与材料: preview a 司法确认 document in the one PDF preview, print it, or save it as PDF.

The application and the package are refused after the deadline unless a reason was recorded: the
refusal is shown in the dialog instead of the preview.
"""

from __future__ import annotations

from pathlib import Path

from desktop.documents.judicial import DOCUMENTS
from desktop.services.context import ServiceContext
from desktop.services.judicial.documents import record_printed, write_document
from desktop.ui.dialogs.form_dialog import MAX_SIZE, SizedDialog
from desktop.ui.qt import QtCore, QtPrintSupport, QtWidgets, Signal
from desktop.ui.widgets.pdf_preview import PdfPreview


class ConfirmationPreviewDialog(SizedDialog):
    rendered = Signal(str)
    failed = Signal(str)

    def sizeHint(self) -> QtCore.QSize:
        """A page wide and most of the screen high: never more than the screen allows (SizedDialog)."""
        return QtCore.QSize(860, 680).boundedTo(MAX_SIZE)

    def __init__(
        self, ctx: ServiceContext, track_id: int, case_no: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.track_id, self.case_no = ctx, track_id, case_no
        self.setWindowTitle(self.tr("司法确认文书 · {0}").format(case_no))
        self.pdf = PdfPreview(self, print_title=self.tr("打印文书"), info_in_bar=False)
        self.pdf.doc_name = self.windowTitle()
        self.pdf.saver = self.save_to
        self.document, self.view = self.pdf.document, self.pdf.view
        self.info_label, self.print_button, self.save_button = (
            self.pdf.info_label,
            self.pdf.print_button,
            self.pdf.save_button,
        )
        self.doc_combo = QtWidgets.QComboBox()
        for key, label in DOCUMENTS.items():
            self.doc_combo.addItem(self.tr(label), key)
        close = QtWidgets.QPushButton(self.tr("关闭"))
        self.pdf.bar.insertWidget(0, QtWidgets.QLabel(self.tr("文书")))
        self.pdf.bar.insertWidget(1, self.doc_combo, 1)
        self.pdf.bar.addWidget(close)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.pdf)
        self.doc_combo.currentIndexChanged.connect(lambda *_a: self.render())
        self.pdf.rendered.connect(self._on_pdf_rendered)
        self.pdf.failed.connect(self.failed)
        self.pdf.printed.connect(self._on_pdf_printed)
        close.clicked.connect(self.reject)

    @property
    def current(self) -> Path | None:
        return self.pdf.current

    def key(self) -> str:
        return str(self.doc_combo.currentData())

    def render(self) -> None:
        key, ctx, track_id = self.key(), self.ctx, self.track_id
        self.pdf.doc_name = f"{DOCUMENTS[key]}{self.case_no}"

        def make(out: Path) -> str:
            write_document(ctx, key, out, track_id=track_id, audit=False)
            return key

        self.pdf.render(make, name=key)

    def _on_pdf_rendered(self, key: str) -> None:
        self.rendered.emit(key)

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return self.pdf.open_print_dialog()

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        return self.pdf.print_to(printer)

    def _on_pdf_printed(self, _pages: int, printer_name: str) -> None:
        record_printed(self.ctx, self.case_no, self.track_id, self.key(), printer_name)

    def save_to(self, target: Path) -> Path:
        return write_document(self.ctx, self.key(), target, track_id=self.track_id)
