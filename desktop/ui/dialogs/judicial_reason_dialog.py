"""A reason to record (逾期申请的理由, 撤回或不予受理的原因), with an optional choice of what happened."""

from __future__ import annotations

from collections.abc import Callable

from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets


class ReasonDialog(QtWidgets.QDialog):
    """``apply(choice, text)`` is called on OK (it raises a ShequError to keep the dialog open)."""

    def __init__(
        self,
        title: str,
        prompt: str,
        apply: Callable[[str | None, str], None],
        choices: list[tuple[str, str]] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        lay = QtWidgets.QVBoxLayout(self)
        label = QtWidgets.QLabel(prompt)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.choice_combo: QtWidgets.QComboBox | None = None
        if choices:
            self.choice_combo = QtWidgets.QComboBox()
            for key, text in choices:
                self.choice_combo.addItem(text, key)
            lay.addWidget(self.choice_combo)
        self.text_edit = QtWidgets.QPlainTextEdit()
        self.text_edit.setFixedHeight(80)
        lay.addWidget(self.text_edit)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        lay.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        choice = self.choice_combo.currentData() if self.choice_combo else None
        try:
            self._apply(choice, self.text_edit.toPlainText())
        except Exception as exc:
            show_error(self, exc, self.tr("未保存"))
            return
        super().accept()
