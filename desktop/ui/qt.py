"""The one place PySide6 is imported from. Other UI modules do ``from desktop.ui.qt import QtWidgets``…"""

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]


def pdf_modules():
    """``(QtPdf, QtPdfWidgets)``, imported on first use (~0.1 s, so not at start-up; PySide6-Pdf, or PySide6-Addons on Python 3.11)."""
    from PySide6 import QtPdf, QtPdfWidgets

    return QtPdf, QtPdfWidgets
