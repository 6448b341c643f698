"""设置 › 数据密钥与审计: the recovery key of the database (audited) and the audit chain check."""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.qt import QtCore, QtWidgets


class SecurityBox(QtWidgets.QGroupBox):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("数据密钥与审计"))
        self.ctx = ctx
        layout = QtWidgets.QFormLayout(self)
        row = QtWidgets.QHBoxLayout()
        self.recovery_button = QtWidgets.QPushButton(self.tr("查看恢复密钥…"))
        self.recovery_button.clicked.connect(self._on_recovery_clicked)
        self.verify_button = QtWidgets.QPushButton(self.tr("核对审计记录"))
        self.verify_button.clicked.connect(self._on_verify_clicked)
        row.addWidget(self.recovery_button)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        layout.addRow("", row)
        self.result_label = QtWidgets.QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addRow("", self.result_label)
        note = QtWidgets.QLabel(
            self.tr(
                "身份证号和电话加密保存，密钥保存在本机（系统凭据管理器或仅本人可读的密钥文件），不在数据文件夹里。"
                "把数据库搬到另一台电脑时，需要在那台电脑上输入恢复密钥（shequ keys import）。"
            )
        )
        note.setObjectName("figureDetail")
        note.setWordWrap(True)
        layout.addRow("", note)

    def _on_recovery_clicked(self) -> None:
        from desktop.services import keys

        answer = QtWidgets.QMessageBox.question(
            self,
            self.tr("查看恢复密钥"),
            self.tr("有了恢复密钥和数据库副本，就能读出全部身份证号和电话。查看会记入审计记录。确定查看吗？"),
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        try:
            info = keys.recovery_key(self.ctx)
        except ShequError as exc:
            show_error(self, exc)
            return
        self.result_label.setText(
            self.tr("恢复密钥：{key}\n（数据库标识 {identity}；本机保存在{store}。请抄写后锁好保管。）").format(
                key=info.recovery_key, identity=info.identity, store=info.store
            )
        )

    def _on_verify_clicked(self) -> None:
        from desktop.services.audit import verify_audit_chain

        try:
            verdict = verify_audit_chain(self.ctx)
        except ShequError as exc:
            show_error(self, exc)
            return
        self.result_label.setText(verdict.message)
