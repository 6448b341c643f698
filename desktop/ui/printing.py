"""Printing a PDF shown with QtPdf: the system print dialog, then every page drawn at ~300 dpi.

QtPdf has no vector print path, so pages are rendered to images; 300 dpi is sharp on paper while a
printer's native 1200 dpi would make spools of several MB per page (one A4 page printed to PDF at
1200 dpi measured 4.5 MB).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.errors import ShequError
from desktop.ui.qt import QtCore, QtGui, QtPrintSupport, QtWidgets

PRINT_DPI = 300


def open_print_dialog(
    parent: QtWidgets.QWidget,
    title: str,
    doc_name: str,
    on_accepted: Callable[[QtPrintSupport.QPrinter], Any],
    *,
    landscape: bool = False,
) -> QtPrintSupport.QPrintDialog:
    """Show the system print dialog (window-modal, non-blocking); ``on_accepted(printer)`` runs on 打印."""
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    if landscape:
        printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape)
    dialog = QtPrintSupport.QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.accepted.connect(lambda: on_accepted(printer))
    parent._print_dialog = (dialog, printer)  # keep the printer alive meanwhile
    # PySide6 binds QPrintDialog.open() to the (receiver, member) overload only; call QDialog's
    QtWidgets.QDialog.open(dialog)
    return dialog


def print_pdf(document: Any, printer: QtPrintSupport.QPrinter, dpi: int = PRINT_DPI) -> int:
    """Draw every page of a loaded ``QPdfDocument`` onto ``printer``; returns the number of pages."""
    pages = document.pageCount()
    if not pages:
        return 0
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        raise ShequError("打印机无法开始打印，请检查打印机是否连接、是否有纸，或换一台打印机。")
    try:
        for i in range(pages):
            if i:
                printer.newPage()
            rect = painter.viewport()
            scale = dpi / max(printer.resolution(), 1)
            image = document.render(i, QtCore.QSize(int(rect.width() * scale), int(rect.height() * scale)))
            painter.drawImage(rect, image)
    finally:
        painter.end()
    return pages
