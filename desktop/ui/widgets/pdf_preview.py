"""The one PDF preview: render in the background, show the pages (QtPdf), print, save as PDF.

A host (a dialog, a page's tab) asks for a document with ``render(make)``: ``make(path)`` writes the PDF
to ``path`` off the GUI thread (the file lives in a private temporary folder, removed with the widget)
and may return anything, handed back with :attr:`rendered`. Printing goes through
:mod:`desktop.ui.printing` (each page at ~300 dpi; QtPdf has no vector print path). 另存为 PDF writes the
bytes that are shown, atomically, unless the host sets :attr:`saver` (e.g. to regenerate and audit).

A failed render shows the message in the widget (known errors) and sends bugs to the one error path;
it never leaves a half-shown document behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.errors import CancelledError, ShequError
from desktop.exchange.writing import atomic_output
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtGui, QtPrintSupport, QtWidgets, Signal, pdf_modules
from desktop.ui.tasks import Progress, run_in_background

ERROR_STYLE = "color:#b3261e;"


class PdfPreview(QtWidgets.QWidget):
    #: a document finished rendering and is shown (what ``make`` returned)
    rendered = Signal(object)
    #: rendering failed (the message shown)
    failed = Signal(str)
    #: pages were sent to a printer (pages, printer name or output file)
    printed = Signal(int, str)
    #: the shown document was saved (its path)
    saved = Signal(str)
    status_message = Signal(str)

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        print_title: str = "",
        landscape: bool = False,
        save_text: str = "",
        info_in_bar: bool = True,
        known_errors_in_dialog: bool = False,
    ) -> None:
        super().__init__(parent)
        self.print_title = print_title or self.tr("打印文书")
        self.landscape = landscape
        self.known_errors_in_dialog = known_errors_in_dialog
        #: the title of the error dialog when a render fails ("" for the default)
        self.error_title = ""
        #: the name of the print job and of the file 另存为 suggests (without .pdf)
        self.doc_name = ""
        #: ``saver(target) -> path`` writes the document to ``target`` instead of copying the shown bytes
        self.saver: Callable[[Path], Path] | None = None
        self.current: Path | None = None
        self.result: Any = None
        self._generation = 0
        self._folder = Path(tempfile.mkdtemp(prefix="shequ-preview-"))
        folder = self._folder
        self.destroyed.connect(lambda *_a: shutil.rmtree(folder, ignore_errors=True))
        qtpdf, qtpdfwidgets = pdf_modules()
        self.document = qtpdf.QPdfDocument(self)
        self.view = qtpdfwidgets.QPdfView()
        self.view.setPageMode(qtpdfwidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(qtpdfwidgets.QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setMinimumHeight(300)
        self.info_label = QtWidgets.QLabel()
        self.info_label.setObjectName("figureDetail")
        self.info_label.setWordWrap(not info_in_bar)
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印…"))
        self.save_button = QtWidgets.QPushButton(icon("pdf"), save_text or self.tr("另存为 PDF…"))
        #: the tool bar: hosts insert their choices before the info label, or add buttons after
        self.bar = QtWidgets.QHBoxLayout()
        self.bar.setSpacing(8)
        if info_in_bar:
            self.bar.addWidget(self.info_label, 1)
        else:
            self.bar.addStretch(1)
        self.bar.addWidget(self.print_button)
        self.bar.addWidget(self.save_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addLayout(self.bar)
        if not info_in_bar:
            lay.addWidget(self.info_label)
        lay.addWidget(self.view, 1)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.busy = False
        self._update_buttons()

    # ---------------------------------------------------------------- rendering

    def render(
        self,
        make: Callable[[Path], Any],
        *,
        name: str = "document",
        text: str = "",
        progress_title: str = "",
        reports_progress: bool = False,
    ) -> None:
        """Write the PDF with ``make(path)`` in the background, then show it. A newer call wins.

        With ``reports_progress`` it is ``make(path, progress)``; ``progress_title`` shows a progress dialog.
        """
        self._generation += 1
        generation = self._generation
        out = self._folder / f"{name}-{generation}.pdf"
        self.clear()
        self.busy = True
        self.set_info(text or self.tr("正在生成…"))
        self._update_buttons()

        def work(progress: Progress) -> Any:
            return make(out, progress) if reports_progress else make(out)

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            self.busy = False
            path = result if isinstance(result, Path) else getattr(result, "path", out)
            self.document.load(str(path))
            self.current, self.result = Path(path), result
            self.set_info(self.tr("共 {0} 页").format(self.document.pageCount()))
            self._update_buttons()
            self.rendered.emit(result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.busy = False
            self.clear()
            if isinstance(exc, CancelledError):  # the user's own choice: said in the bar, no message box
                self.set_info(self.tr("已取消生成。"))
                self.failed.emit(exc.message)
                return
            known = isinstance(exc, ShequError)
            message = exc.message if isinstance(exc, ShequError) else self.tr("生成失败")
            self.set_info(message, error=True)
            self._update_buttons()
            if not known or self.known_errors_in_dialog:
                show_error(self, exc, *([self.error_title] if self.error_title else []))
            self.failed.emit(message)

        run_in_background(work, done, failed, parent=self, title=progress_title)

    def clear(self) -> None:
        """Show nothing (the next render, or a host with nothing to show)."""
        self.document.close()
        self.current = self.result = None
        self._update_buttons()

    def set_info(self, text: str, *, error: bool = False) -> None:
        self.info_label.setText(text)
        self.info_label.setStyleSheet(ERROR_STYLE if error else "")

    def page_count(self) -> int:
        return int(self.document.pageCount()) if self.current is not None else 0

    def _update_buttons(self) -> None:
        ready = self.current is not None and not self.busy
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return open_print_dialog(
            self, self.print_title, self.doc_name, self.print_to, landscape=self.landscape
        )

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer``; returns the number of pages printed."""
        if self.landscape:
            printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape)
        try:
            pages = print_pdf(self.document, printer)
        except ShequError as exc:
            show_error(self, exc)
            return 0
        if not pages:
            return 0
        self.printed.emit(pages, printer.printerName() or printer.outputFileName())
        self.status_message.emit(self.tr("已发送 {0} 页到打印机").format(pages))
        return pages

    def save_to(self, target: Path) -> Path:
        """Save the shown document as ``target`` (atomically); returns the path written."""
        if self.saver is not None:
            path = Path(self.saver(Path(target)))
        else:
            if self.current is None:
                raise ShequError(self.tr("没有可保存的文书。"))
            with atomic_output(Path(target)) as tmp:
                shutil.copyfile(self.current, tmp)
            path = Path(target)
        self.status_message.emit(self.tr("已保存：{0}").format(path))
        self.saved.emit(str(path))
        return path

    def _on_save_button_clicked(self) -> None:
        if self.current is None:
            return
        name = (self.doc_name or self.current.stem).replace("/", "-") + ".pdf"
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), str(Path.home() / name), self.tr("PDF 文件 (*.pdf)")
        )
        if not target:
            return
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            self.save_to(Path(target))
        except Exception as exc:
            show_error(self, exc)
