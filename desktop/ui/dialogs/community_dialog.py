"""Add or edit a community (社区)."""

from __future__ import annotations

from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets


class CommunityDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        row: structure.CommunityRow | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("编辑社区") if row else self.tr("新增社区"), parent=parent, ctx=ctx, width=420
        )
        self.row = row
        self.saved_id: int | None = None
        form = self.form
        self.name_edit = QtWidgets.QLineEdit(row.name if row else "")
        self.name_edit.setPlaceholderText(self.tr("例如：新华社区"))
        self.code_edit = QtWidgets.QLineEdit((row.code or "") if row else "")
        self.address_edit = QtWidgets.QLineEdit((row.address or "") if row else "")
        self.phone_edit = QtWidgets.QLineEdit((row.phone or "") if row else "")
        form.addRow(self.tr("社区名称 *"), self.name_edit)
        form.addRow(self.tr("社区编码"), self.code_edit)
        form.addRow(self.tr("办公地址"), self.address_edit)
        form.addRow(self.tr("办公电话"), self.phone_edit)
        self.fields = {
            "name": self.name_edit,
            "code": self.code_edit,
            "address": self.address_edit,
            "phone": self.phone_edit,
        }
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        data = structure.CommunityInput(
            name=self.name_edit.text(),
            code=self.code_edit.text(),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            id=self.row.id if self.row else None,
            version=self.row.version if self.row else None,
        )
        self.saved_id = structure.save_community(self.ctx, data)
