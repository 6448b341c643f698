"""文书: pick a document of the case and show it in the one PDF preview (print, save as PDF).

The PDF is written in the background by :class:`~desktop.ui.widgets.pdf_preview.PdfPreview`; printing is
recorded against the case, and 另存为 regenerates the document through the service so the save is audited.
"""

from __future__ import annotations

from pathlib import Path

from desktop.documents.mediation import DOCUMENTS, available
from desktop.domain.mediation import CaseRecord
from desktop.services.context import ServiceContext
from desktop.services.mediation import printing
from desktop.ui.qt import QtGui, QtPrintSupport, QtWidgets, Signal
from desktop.ui.widgets.pdf_preview import PdfPreview


class DocumentPreview(QtWidgets.QWidget):
    #: a document finished rendering and is shown (its key)
    rendered = Signal(str)
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseRecord | None = None
        self.current_key: str | None = None
        self.pdf = PdfPreview(self, print_title=self.tr("打印文书"), known_errors_in_dialog=True)
        self.pdf.saver = self.save_to
        self.document, self.view = self.pdf.document, self.pdf.view
        self.info_label, self.print_button, self.save_button = (
            self.pdf.info_label,
            self.pdf.print_button,
            self.pdf.save_button,
        )
        self.doc_combo = QtWidgets.QComboBox()
        self.doc_combo.setMinimumWidth(220)
        self.pdf.bar.insertWidget(0, QtWidgets.QLabel(self.tr("文书")))
        self.pdf.bar.insertWidget(1, self.doc_combo, 1)
        self.pdf.bar.setStretchFactor(self.info_label, 0)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pdf)
        self.doc_combo.currentIndexChanged.connect(self._on_doc_combo_current_index_changed)
        self.pdf.rendered.connect(self._on_pdf_rendered)
        self.pdf.printed.connect(self._on_pdf_printed)
        self.pdf.status_message.connect(self.status_message)

    @property
    def current(self) -> Path | None:
        return self.pdf.current

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
        self.pdf.clear()
        self.current_key = None
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
        ctx = self.ctx
        self.current_key = None
        self.pdf.doc_name = f"{DOCUMENTS[key]}{case.case_no}"

        def make(out: Path) -> tuple[str, int]:
            _path, pages = printing.print_document(ctx, case.id, key, out, audit=False)
            return key, pages

        self.pdf.render(make, name=key)

    def _on_pdf_rendered(self, result: tuple[str, int]) -> None:
        self.current_key = result[0]
        self.rendered.emit(self.current_key)

    def _on_doc_combo_current_index_changed(self, *_a: object) -> None:
        self.render()

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return self.pdf.open_print_dialog()

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer``; returns the number of pages printed."""
        return self.pdf.print_to(printer)

    def _on_pdf_printed(self, pages: int, printer_name: str) -> None:
        if self.case is not None and self.current_key:
            printing.record_printed(self.ctx, self.case.id, self.current_key, pages, printer_name)

    def save_to(self, target: Path) -> Path:
        """Write the shown document to ``target`` (regenerated, audited)."""
        assert self.case is not None and self.current_key is not None
        path, _pages = printing.print_document(self.ctx, self.case.id, self.current_key, target)
        return path
