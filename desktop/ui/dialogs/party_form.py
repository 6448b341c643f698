"""The shared shape of the 党建 forms: a heading, a form, errors shown inline next to the field, OK/取消.

Subclasses fill ``self.form`` with :meth:`add_row` and implement :meth:`submit` (one service call); a
known error stays in the dialog with the field outlined, anything else goes to the one error path.
"""

from __future__ import annotations

import datetime as dt

from desktop.ui.dialogs.grid_dialog import InlineErrors
from desktop.ui.qt import QtCore, QtWidgets

NO_DATE = QtCore.QDate(1900, 1, 1)


def to_date(value: QtCore.QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class OptionalDateEdit(QtWidgets.QDateEdit):
    """A date that may be left empty (shown as “未填写”, or ``empty_text``)."""

    def __init__(
        self,
        value: dt.date | None = None,
        empty_text: str = "",
        parent: QtWidgets.QWidget | None = None,
        *,
        today: dt.date,
    ) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setMaximumDate(QtCore.QDate(today))
        self.setSpecialValueText(empty_text or QtWidgets.QApplication.translate("PartyForm", "未填写"))
        self.setMinimumWidth(130)
        self.set_value(value)

    def value(self) -> dt.date | None:
        d = self.date()
        return None if d == NO_DATE else to_date(d)

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QtCore.QDate(value) if value else NO_DATE)


def date_edit(value: dt.date | None = None, allow_future: bool = False, *, today: dt.date) -> QtWidgets.QDateEdit:
    """A required date, ``today`` (the context's clock) by default."""
    edit = QtWidgets.QDateEdit(QtCore.QDate(value or today))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    if not allow_future:
        edit.setMaximumDate(QtCore.QDate(today))
    edit.setMinimumWidth(130)
    return edit


def combo(
    items: list[tuple[str, object]], current: object = None, editable: bool = False
) -> QtWidgets.QComboBox:
    box = QtWidgets.QComboBox()
    box.setEditable(editable)
    for text, data in items:
        box.addItem(text, data)
    if current is not None:
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
        elif editable:
            box.setEditText(str(current))
    return box


class PartyFormDialog(QtWidgets.QDialog):
    def __init__(
        self,
        title: str,
        heading: str = "",
        note: str = "",
        parent: QtWidgets.QWidget | None = None,
        width: int = 520,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.fields: dict[str, QtWidgets.QWidget] = {}
        self.warnings: list[str] = []
        self.heading_label = QtWidgets.QLabel(heading)
        self.heading_label.setObjectName("sectionTitle")
        self.heading_label.setWordWrap(True)
        self.heading_label.setVisible(bool(heading))
        self.note_label = QtWidgets.QLabel(note)
        self.note_label.setObjectName("figureDetail")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        self.form = QtWidgets.QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(9)
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_label = QtWidgets.QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._errors: InlineErrors | None = None
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.body = QtWidgets.QVBoxLayout(self)
        self.body.setContentsMargins(20, 18, 20, 14)
        self.body.setSpacing(10)
        self.body.addWidget(self.heading_label)
        self.body.addWidget(self.note_label)
        self.columns = QtWidgets.QHBoxLayout()
        self.columns.setSpacing(24)
        self.columns.addLayout(self.form, 1)
        self.body.addLayout(self.columns)
        self.extra = QtWidgets.QVBoxLayout()
        self.body.addLayout(self.extra)
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)

    @property
    def errors(self) -> InlineErrors:
        if self._errors is None:
            self._errors = InlineErrors(self.error_label, self.fields)
        return self._errors

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)

    def second_column(self) -> QtWidgets.QFormLayout:
        """A second form beside the first (long forms); ``add_row(..., form=this)``."""
        form = QtWidgets.QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(9)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.columns.addLayout(form, 1)
        return form

    def add_row(
        self,
        key: str,
        label: str,
        widget: QtWidgets.QWidget,
        hint: str = "",
        form: QtWidgets.QFormLayout | None = None,
    ) -> QtWidgets.QWidget:
        """A labelled field; ``key`` is the service's field name (errors outline it)."""
        self.fields[key] = widget
        self._errors = None  # wired to the fields on first use
        if hint:
            widget.setToolTip(hint)
        (form or self.form).addRow(label, widget)
        return widget

    def submit(self) -> None:  # pragma: no cover - every dialog has its own
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        try:
            self.submit()
        except Exception as exc:
            self.errors.handle(self, exc)
            return
        self.accept()
