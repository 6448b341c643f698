"""Ask for the date and the reason before retiring something (撤销网格, 人员调离). Nothing is deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.inline_errors import InlineErrors


class RetireDialog(QtWidgets.QDialog):
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
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(title)
        self.setMinimumWidth(520)

        heading = QtWidgets.QLabel(subject)
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        self.note_label = QtWidgets.QLabel(note)
        self.note_label.setObjectName("figureDetail")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))

        self.date_edit = QtWidgets.QDateEdit(QtCore.QDate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QtCore.QDate(today))
        self.date_edit.setMinimumWidth(140)
        self.reason_edit = QtWidgets.QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        self.reason_edit.setPlaceholderText(reason_hint or self.tr("必填"))

        form = QtWidgets.QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        date_row = QtWidgets.QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        form.addRow(date_label or self.tr("日期 *"), date_row)
        form.addRow(reason_label or self.tr("原因 *"), self.reason_edit)

        self.error_label = QtWidgets.QLabel()
        self.errors = InlineErrors(self.error_label, {"reason": self.reason_edit, "on": self.date_edit})
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        if ok_text:
            self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 14)
        lay.setSpacing(12)
        lay.addWidget(heading)
        lay.addWidget(self.note_label)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(self.buttons)
        self.reason_edit.setFocus()

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)

    def date(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _on_buttons_accepted(self) -> None:
        if not self.reason():
            self.errors.show_message(self.tr("请填写原因。"), "reason")
            return
        try:
            self._submit(self.date(), self.reason())
        except Exception as exc:
            self.errors.handle(self, exc)
            return
        self.accept()
