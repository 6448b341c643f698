"""Add or edit a community (社区)."""

from __future__ import annotations

from desktop.core.errors import ConflictError, ValidationError
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.qt import QtWidgets


class CommunityDialog(QtWidgets.QDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        row: structure.CommunityRow | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("编辑社区") if row else self.tr("新增社区"))
        self.setMinimumWidth(420)
        form = QtWidgets.QFormLayout()
        self.name_edit = QtWidgets.QLineEdit(row.name if row else "")
        self.name_edit.setPlaceholderText(self.tr("例如：新华社区"))
        self.code_edit = QtWidgets.QLineEdit((row.code or "") if row else "")
        self.address_edit = QtWidgets.QLineEdit((row.address or "") if row else "")
        self.phone_edit = QtWidgets.QLineEdit((row.phone or "") if row else "")
        form.addRow(self.tr("社区名称 *"), self.name_edit)
        form.addRow(self.tr("社区编码"), self.code_edit)
        form.addRow(self.tr("办公地址"), self.address_edit)
        form.addRow(self.tr("办公电话"), self.phone_edit)
        self.error_label = QtWidgets.QLabel("")
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        data = structure.CommunityInput(
            name=self.name_edit.text(),
            code=self.code_edit.text(),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            id=self.row.id if self.row else None,
            version=self.row.version if self.row else None,
        )
        try:
            self.saved_id = structure.save_community(self.ctx, data)
        except (ValidationError, ConflictError) as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            self.name_edit.setFocus()
            return
        self.accept()
