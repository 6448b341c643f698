"""The one place PySide6 is imported from. Other UI modules do ``from desktop.ui.qt import QtWidgets``…"""

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]
