"""The one place PySide6 is imported from. Other UI modules do ``from desktop.ui.qt import QtWidgets``…"""

import sys

import PySide6
from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

if sys.version_info < (3, 12) and PySide6.__version_info__[:2] == (6, 12):  # pragma: no cover
    # PySide6 6.12.0 drops a reference to None on every call that returns None (any void method:
    # setObjectName, QPainter.save, ...). On CPython 3.11, where None is not immortal, the interpreter
    # aborts with "deallocating None" after a few thousand such calls. Make None immortal, as CPython
    # 3.12 does (PEP 683). PySide6 6.11.3, and 6.12.0 on Python 3.12, do not need this.
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]


def pdf_modules():
    """``(QtPdf, QtPdfWidgets)``, imported on first use (the PySide6-Pdf wheel; ~0.1 s, so not at start-up)."""
    from PySide6 import QtPdf, QtPdfWidgets

    return QtPdf, QtPdfWidgets
