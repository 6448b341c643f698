"""An inline hint beside a button that cannot be used yet: what to do first, and a link that goes there."""

from __future__ import annotations

from html import escape

from desktop.ui.qt import Qt, QtWidgets, Signal


class StepHint(QtWidgets.QLabel):
    """``set_hint(text, link_text, target)``: shows "text <link>"; a click on the link emits ``navigate``
    with ``target`` ("area/step", see Page.start_step). ``clear_hint()`` hides it."""

    navigate = Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepHint")
        self.setStyleSheet("color: #a15c00;")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setWordWrap(True)
        self.linkActivated.connect(self.navigate)
        self.target = ""
        self.hide()

    def set_hint(self, text: str, link_text: str = "", target: str = "") -> None:
        self.target = target
        link = f" <a href='{escape(target)}'>{escape(link_text)}</a>" if link_text and target else ""
        self.setText(escape(text) + link)
        self.setToolTip(text)
        self.show()

    def clear_hint(self) -> None:
        self.target = ""
        self.clear()
        self.hide()
