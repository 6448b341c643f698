"""查看完整信息: ask why, then reveal a resident's full 身份证号 and phone (the viewing is audited)."""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.services import residents
from desktop.services.context import ServiceContext
from desktop.ui.icons import icon
from desktop.ui.qt import QtWidgets

COMMON_REASONS = (
    "办理业务需核对身份",
    "入户走访联系本人",
    "协助民政、公安等部门核查",
    "纠纷调解需要联系当事人",
    "核对并更正登记信息",
)


class RevealDialog(QtWidgets.QDialog):
    """On success ``revealed`` holds the full values; the audit record names the operator and the reason."""

    def __init__(
        self, ctx: ServiceContext, resident_id: int, name: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.resident_id = resident_id
        self.revealed: residents.RevealedIdentity | None = None
        self.setWindowTitle(self.tr("查看完整信息"))
        self.setMinimumWidth(460)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setSpacing(10)
        top = QtWidgets.QHBoxLayout()
        badge = QtWidgets.QLabel()
        badge.setPixmap(icon("warning", "#c46a00").pixmap(28, 28))
        top.addWidget(badge)
        text = QtWidgets.QLabel(
            self.tr(
                "将显示<b>%1</b>的完整身份证号和联系电话。<br>"
                "身份证号属于敏感个人信息，查看将记录操作人、时间和事由。"
            ).replace("%1", name)
        )
        text.setWordWrap(True)
        top.addWidget(text, 1)
        lay.addLayout(top)
        form = QtWidgets.QFormLayout()
        self.reason_combo = QtWidgets.QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(COMMON_REASONS)
        self.reason_combo.setCurrentIndex(-1)
        line = self.reason_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("请选择或填写查看事由"))
        form.addRow(self.tr("查看事由 *"), self.reason_combo)
        lay.addLayout(form)
        self.error_label = QtWidgets.QLabel("")
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        lay.addWidget(self.error_label)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("查看"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def reason(self) -> str:
        return self.reason_combo.currentText()

    def _on_buttons_accepted(self) -> None:
        try:
            self.revealed = residents.reveal_resident(self.ctx, self.resident_id, self.reason())
        except ShequError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            self.reason_combo.setFocus()
            return
        self.accept()
