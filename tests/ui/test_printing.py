"""Printing a QtPdf document: the dialog opens (non-blocking) and every page reaches the printer."""

from __future__ import annotations

from pypdf import PdfReader

from desktop.documents import layout
from desktop.ui.printing import open_print_dialog, print_pdf
from desktop.ui.qt import QtPrintSupport, QtWidgets, pdf_modules


def test_every_page_is_printed_and_the_dialog_opens(qtbot, tmp_path):
    src = layout.build_pdf(tmp_path / "src.pdf", [layout.para("第一段。" * 400)], title="打印测试")
    qtpdf, _ = pdf_modules()
    document = qtpdf.QPdfDocument()
    document.load(str(src))
    pages = document.pageCount()
    assert pages >= 2

    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(document, printer, dpi=72) == pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages

    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    accepted: list[object] = []
    dialog = open_print_dialog(parent, "打印文书", "测试", accepted.append)
    assert dialog.isVisible() and dialog.windowTitle() == "打印文书"
    dialog.accept()
    assert len(accepted) == 1 and isinstance(accepted[0], QtPrintSupport.QPrinter)
