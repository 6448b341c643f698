"""The base of the 人民调解 dialogs: a form, inline errors, OK/Cancel; ``save()`` calls one service."""

from __future__ import annotations

import datetime as dt

from desktop.services.context import ServiceContext
from desktop.ui.dialogs.grid_dialog import InlineErrors
from desktop.ui.qt import QtCore, QtWidgets


def date_edit(value: dt.date | None = None, *, optional: bool = False, today: dt.date) -> QtWidgets.QDateEdit:
    """A calendar date field (yyyy-MM-dd), ``today`` by default; ``optional`` shows “未填写” at its minimum."""
    edit = QtWidgets.QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(130)
    if optional:
        edit.setMinimumDate(QtCore.QDate(2000, 1, 1))
        edit.setSpecialValueText(QtWidgets.QApplication.translate("MediationForm", "未填写"))
        edit.setDate(QtCore.QDate(value) if value else edit.minimumDate())
    else:
        edit.setDate(QtCore.QDate(value or today))
    return edit


def date_value(edit: QtWidgets.QDateEdit) -> dt.date | None:
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return edit.date().toPython()  # type: ignore[no-any-return]


def inline_label(text: str) -> QtWidgets.QLabel:
    """A label between two fields on one form row, with room on its left."""
    label = QtWidgets.QLabel(text)
    label.setContentsMargins(10, 0, 2, 0)
    return label


def text_box(text: str | None = "", height: int = 80, placeholder: str = "") -> QtWidgets.QPlainTextEdit:
    box = QtWidgets.QPlainTextEdit(text or "")
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


def line(text: str | None = "", placeholder: str = "", max_length: int = 200) -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit(text or "")
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class MediationFormDialog(QtWidgets.QDialog):
    """Subclasses fill ``self.form`` and ``self.fields`` (service field name → widget) and implement ``save``."""

    def __init__(
        self, ctx: ServiceContext, title: str, parent: QtWidgets.QWidget | None = None, width: int = 560
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.form = QtWidgets.QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(9)
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QtWidgets.QWidget] = {}
        self.error_label = QtWidgets.QLabel()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.body = QtWidgets.QVBoxLayout()
        self.body.setSpacing(10)
        self.body.addLayout(self.form)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 14)
        lay.setSpacing(12)
        lay.addLayout(self.body, 1)
        lay.addWidget(self.error_label)
        lay.addWidget(self.buttons)
        self.errors: InlineErrors | None = None

    def finish_form(self) -> None:
        """Call at the end of a subclass's ``__init__``, once ``fields`` is filled."""
        self.errors = InlineErrors(self.error_label, self.fields)

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)

    def save(self) -> None:
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        try:
            self.save()
        except Exception as exc:
            assert self.errors is not None
            self.errors.handle(self, exc)
            return
        self.accept()
