"""Service errors shown inside a form: the message in a red label, the offending field outlined."""

from __future__ import annotations

from desktop.core.errors import ConflictError, ShequError, ValidationError
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class InlineErrors:
    """A service error shown inside a form: the message in a red label, the offending field outlined.

    ``fields`` maps the service's field names (``ValidationError.field``, or a ``ConflictError``'s
    ``detail`` such as ``"code"``) to widgets. Editing an outlined widget clears its outline.
    """

    def __init__(self, label: QtWidgets.QLabel, fields: dict[str, QtWidgets.QWidget]) -> None:
        self.label = label
        self.fields = fields
        self.field: str | None = None
        label.setObjectName("errorText")
        label.setWordWrap(True)
        label.hide()
        for widget in fields.values():
            for signal in _change_signals(widget):
                signal.connect(lambda *_a, w=widget: self._mark(w, False))

    def clear(self) -> None:
        self.label.clear()
        self.label.hide()
        self.field = None
        for widget in self.fields.values():
            self._mark(widget, False)

    def show_message(self, message: str, field: str | None = None) -> None:
        self.clear()
        self.label.setText(message)
        self.label.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            self.field = field
            self._mark(widget, True)
            widget.setFocus()

    def handle(self, parent: QtWidgets.QWidget, exc: BaseException) -> None:
        """Known errors inline; anything else is a bug and goes to the one error path."""
        if isinstance(exc, ValidationError):
            self.show_message(exc.message, exc.field)
        elif isinstance(exc, ConflictError):
            self.show_message(exc.message, exc.detail if exc.detail in self.fields else None)
        elif isinstance(exc, ShequError):
            self.show_message(exc.message)
        else:
            show_error(parent, exc)

    @staticmethod
    def _mark(widget: QtWidgets.QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) == invalid:
            return
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()


def _change_signals(widget: QtWidgets.QWidget) -> list:
    if isinstance(widget, QtWidgets.QLineEdit):
        return [widget.textEdited]
    if isinstance(widget, QtWidgets.QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QtWidgets.QComboBox):
        return [widget.currentIndexChanged, widget.editTextChanged]
    if isinstance(widget, DateField):
        return [widget.changed]
    if isinstance(widget, QtWidgets.QDateEdit):
        return [widget.dateChanged]
    if isinstance(widget, QtWidgets.QSpinBox):
        return [widget.valueChanged]
    return []
