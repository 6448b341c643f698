"""An area that is not built yet says so plainly, and what it will hold."""

from __future__ import annotations

from desktop.services.context import ServiceContext
from desktop.ui.icons import icon
from desktop.ui.pages.base import Page
from desktop.ui.qt import QtCore, QtWidgets


class PlaceholderPage(Page):
    def __init__(
        self,
        ctx: ServiceContext,
        title: str,
        icon_name: str,
        plans: list[str],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.title = title
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        card = QtWidgets.QFrame()
        card.setObjectName("card")
        card.setMinimumWidth(600)
        card.setMaximumWidth(760)
        lay = QtWidgets.QVBoxLayout(card)
        lay.setContentsMargins(32, 28, 32, 28)
        lay.setSpacing(12)
        glyph = QtWidgets.QLabel()
        glyph.setPixmap(icon(icon_name, "#1f5fa8").pixmap(48, 48))
        lay.addWidget(glyph)
        head = QtWidgets.QLabel(self.tr("“%1”模块正在建设中").replace("%1", title))
        head.setObjectName("placeholderTitle")
        lay.addWidget(head)
        text = QtWidgets.QLabel(self.tr("本版本尚未提供这一模块。建成后这里将提供："))
        text.setObjectName("placeholderText")
        lay.addWidget(text)
        for item in plans:
            row = QtWidgets.QLabel("•  " + item)
            row.setObjectName("placeholderText")
            row.setWordWrap(True)
            lay.addWidget(row)
        outer.addWidget(card, 0, QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)
