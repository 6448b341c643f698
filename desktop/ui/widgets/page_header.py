"""A page's title row: a large title, a muted subtitle and room for action buttons on the right."""

from __future__ import annotations

from desktop.ui.qt import QtWidgets


class PageHeader(QtWidgets.QWidget):
    def __init__(self, title: str, subtitle: str = "", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        texts = QtWidgets.QVBoxLayout()
        texts.setSpacing(2)
        self.title_label = QtWidgets.QLabel(title)
        self.title_label.setObjectName("pageTitle")
        self.subtitle_label = QtWidgets.QLabel(subtitle)
        self.subtitle_label.setObjectName("pageSubtitle")
        self.subtitle_label.setVisible(bool(subtitle))
        texts.addWidget(self.title_label)
        texts.addWidget(self.subtitle_label)
        layout.addLayout(texts, 1)
        self.actions_layout = QtWidgets.QHBoxLayout()
        self.actions_layout.setSpacing(6)
        layout.addLayout(self.actions_layout)

    def set_subtitle(self, text: str) -> None:
        self.subtitle_label.setText(text)
        self.subtitle_label.setVisible(bool(text))

    def add_action(self, button: QtWidgets.QAbstractButton) -> None:
        self.actions_layout.addWidget(button)
