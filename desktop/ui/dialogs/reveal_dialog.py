"""查看完整信息: ask why, then reveal a resident's full 身份证号 and phone (the viewing is audited)."""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.services import residents
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.icons import icon
from desktop.ui.qt import QtWidgets

COMMON_REASONS = (
    "办理业务需核对身份",
    "入户走访联系本人",
    "协助民政、公安等部门核查",
    "纠纷调解需要联系当事人",
    "核对并更正登记信息",
)


class RevealDialog(FormDialog):
    """On success ``revealed`` holds the full values; the audit record names the operator and the reason."""

    def __init__(
        self, ctx: ServiceContext, resident_id: int, name: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(self.tr("查看完整信息"), parent=parent, ctx=ctx, width=460)
        self.ctx = ctx
        self.resident_id = resident_id
        self.revealed: residents.RevealedIdentity | None = None
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
        self.body.insertLayout(0, top)
        self.reason_combo = QtWidgets.QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(COMMON_REASONS)
        self.reason_combo.setCurrentIndex(-1)
        line = self.reason_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("请选择或填写查看事由"))
        self.add_row("reason", self.tr("查看事由 *"), self.reason_combo)
        self.ok_button.setText(self.tr("查看"))

    def reason(self) -> str:
        return self.reason_combo.currentText()

    def submit(self) -> None:
        self.revealed = residents.reveal_resident(self.ctx, self.resident_id, self.reason())

    def report_error(self, exc: Exception) -> None:
        super().report_error(exc)
        if isinstance(exc, ShequError):
            self.reason_combo.setFocus()
