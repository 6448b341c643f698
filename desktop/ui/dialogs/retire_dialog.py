"""Ask for the date and the reason before retiring something (撤销网格, 人员调离). Nothing is deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from desktop.core.errors import ValidationError
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class RetireDialog(FormDialog):
    """``submit(date, reason)`` does the work (a service call); its known errors stay in the dialog.

    ``subject`` names what is retired (“网格 GC-01-001 新华一网格”); ``note`` is an optional line of
    consequences shown above the fields.
    """

    def __init__(
        self,
        title: str,
        subject: str,
        submit: Callable[[dt.date, str], object],
        *,
        today: dt.date,
        date_label: str = "",
        reason_label: str = "",
        ok_text: str = "",
        note: str = "",
        reason_hint: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(title, subject, note, parent, width=520, today=today)
        self._submit = submit
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.date_edit.setMinimumWidth(140)
        self.reason_edit = QtWidgets.QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        self.reason_edit.setPlaceholderText(reason_hint or self.tr("必填"))
        date_row = QtWidgets.QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        self.form.addRow(date_label or self.tr("日期 *"), date_row)
        self.form.addRow(reason_label or self.tr("原因 *"), self.reason_edit)
        self.fields = {"reason": self.reason_edit, "on": self.date_edit}
        if ok_text:
            self.ok_button.setText(ok_text)
        self.reason_edit.setFocus()

    def date(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def submit(self) -> None:
        if not self.reason():
            raise ValidationError(self.tr("请填写原因。"), field="reason")
        self._submit(self.date(), self.reason())
