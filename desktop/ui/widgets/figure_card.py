"""A figure on 工作台: a big number, its label and a line of detail."""

from __future__ import annotations

from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtWidgets


class FigureCard(QtWidgets.QFrame):
    def __init__(self, label: str, icon_name: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setMinimumWidth(180)
        lay = QtWidgets.QGridLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setHorizontalSpacing(10)
        glyph = QtWidgets.QLabel()
        glyph.setPixmap(icon(icon_name, "#1f5fa8").pixmap(28, 28))
        lay.addWidget(glyph, 0, 0, 2, 1, QtCore.Qt.AlignmentFlag.AlignTop)
        self.label = QtWidgets.QLabel(label)
        self.label.setObjectName("figureLabel")
        self.value = QtWidgets.QLabel("—")
        self.value.setObjectName("figureValue")
        self.detail = QtWidgets.QLabel("")
        self.detail.setObjectName("figureDetail")
        self.detail.setWordWrap(True)
        lay.addWidget(self.label, 0, 1)
        lay.addWidget(self.value, 1, 1)
        lay.addWidget(self.detail, 2, 0, 1, 2)
        lay.setColumnStretch(1, 1)

    def set_value(self, value: int, detail: str = "") -> None:
        self.value.setText(f"{value:,}")
        self.detail.setText(detail)
