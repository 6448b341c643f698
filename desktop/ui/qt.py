"""The one place PySide6 is imported from. Other UI modules do ``from desktop.ui.qt import QtWidgets``…"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

if TYPE_CHECKING:
    from PySide6 import QtPrintSupport

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]


def __getattr__(name: str) -> Any:
    """``QtPrintSupport`` on first use (a printer, a print dialog): ~5 ms that start-up does not need."""
    if name == "QtPrintSupport":
        from PySide6 import QtPrintSupport

        globals()[name] = QtPrintSupport
        return QtPrintSupport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def pdf_modules():
    """``(QtPdf, QtPdfWidgets)``, imported on first use (~0.1 s, so not at start-up; PySide6-Pdf, or PySide6-Addons on Python 3.11)."""
    from PySide6 import QtPdf, QtPdfWidgets

    return QtPdf, QtPdfWidgets
