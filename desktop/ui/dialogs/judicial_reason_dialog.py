"""A reason to record (逾期申请的理由, 撤回或不予受理的原因), with an optional choice of what happened."""

from __future__ import annotations

from collections.abc import Callable

from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets


class ReasonDialog(FormDialog):
    """``apply(choice, text)`` is called on OK (it raises a ShequError to keep the dialog open)."""

    def __init__(
        self,
        title: str,
        prompt: str,
        apply: Callable[[str | None, str], None],
        choices: list[tuple[str, str]] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(title, parent=parent, width=460)
        self._apply = apply
        label = QtWidgets.QLabel(prompt)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.choice_combo: QtWidgets.QComboBox | None = None
        if choices:
            self.choice_combo = QtWidgets.QComboBox()
            for key, text in choices:
                self.choice_combo.addItem(text, key)
            self.fields["choice"] = self.choice_combo
            self.form.addRow(self.choice_combo)
        self.text_edit = QtWidgets.QPlainTextEdit()
        self.text_edit.setFixedHeight(80)
        self.fields["reason"] = self.text_edit
        self.form.addRow(self.text_edit)

    def submit(self) -> None:
        choice = self.choice_combo.currentData() if self.choice_combo else None
        self._apply(choice, self.text_edit.toPlainText())

    def report_error(self, exc: Exception) -> None:
        show_error(self, exc, self.tr("未保存"))
