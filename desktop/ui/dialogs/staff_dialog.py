"""Add or edit a member of a grid's staff (网格长, 专职网格员, 兼职网格员)."""

from __future__ import annotations

from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets

HELPER = "HELPER"


class StaffDialog(FormDialog):
    """``saved_id`` holds the staff member's id once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        grid: structure.GridRow,
        staff: structure.StaffRow | None = None,
        role: str | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("编辑人员 · {0}").format(staff.name)
            if staff
            else self.tr("添加人员 · {0} {1}").format(grid.code, grid.name),
            parent=parent,
            ctx=ctx,
            width=480,
        )
        self.grid = grid
        self.staff = staff
        self.saved_id: int | None = None

        self.role_combo = QtWidgets.QComboBox()
        for value, label in structure.GRID_ROLE_LABELS.items():
            self.role_combo.addItem(self.tr(label), str(value))
        wanted = staff.role if staff else role
        if wanted is not None:
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(wanted)))
        self.helper_kind_combo = QtWidgets.QComboBox()
        self.helper_kind_combo.setEditable(True)
        self.helper_kind_combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.helper_kind_combo.addItems([self.tr(k) for k in structure.HELPER_KINDS])
        self.helper_kind_combo.setCurrentIndex(-1)
        self.helper_kind_combo.lineEdit().setPlaceholderText(self.tr("选择或填写类别"))
        if staff and staff.helper_kind:
            self.helper_kind_combo.setCurrentText(staff.helper_kind)
        self.name_edit = QtWidgets.QLineEdit(staff.name if staff else "")
        self.name_edit.setMaxLength(50)
        self.gender_combo = QtWidgets.QComboBox()
        self.gender_combo.addItem(self.tr("未填写"), "")
        self.gender_combo.addItem(self.tr("男"), "男")
        self.gender_combo.addItem(self.tr("女"), "女")
        if staff and staff.gender:
            self.gender_combo.setCurrentIndex(max(0, self.gender_combo.findData(staff.gender)))
        self.phone_edit = QtWidgets.QLineEdit((staff.phone or "") if staff else "")
        self.phone_edit.setPlaceholderText(self.tr("11 位手机号码"))
        self.office_phone_edit = QtWidgets.QLineEdit((staff.office_phone or "") if staff else "")
        self.office_phone_edit.setPlaceholderText(self.tr("例如：0937-6285461"))
        self.organisation_edit = QtWidgets.QLineEdit((staff.organisation or "") if staff else "")
        self.organisation_edit.setPlaceholderText(self.tr("例如：新华社区居委会委员"))
        self.notes_edit = QtWidgets.QPlainTextEdit((staff.notes or "") if staff else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(60)

        grid_label = QtWidgets.QLabel(f"{grid.code}  {grid.name}（{grid.community_name}）")
        form = self.form
        form.addRow(self.tr("所在网格"), grid_label)
        form.addRow(self.tr("岗位 *"), self.role_combo)
        form.addRow(self.tr("兼职类别"), self.helper_kind_combo)
        form.addRow(self.tr("姓名 *"), self.name_edit)
        form.addRow(self.tr("性别"), self.gender_combo)
        form.addRow(self.tr("手机号码"), self.phone_edit)
        form.addRow(self.tr("办公电话"), self.office_phone_edit)
        form.addRow(self.tr("单位/职务"), self.organisation_edit)
        form.addRow(self.tr("备注"), self.notes_edit)

        self.fields = {
            "role": self.role_combo,
            "helper_kind": self.helper_kind_combo,
            "name": self.name_edit,
            "gender": self.gender_combo,
            "phone": self.phone_edit,
            "office_phone": self.office_phone_edit,
        }
        self.role_combo.currentIndexChanged.connect(self._on_role_combo_current_index_changed)
        self._on_role_combo_current_index_changed()
        self.name_edit.setFocus()

    def staff_input(self) -> structure.StaffInput:
        role = self.role_combo.currentData()
        return structure.StaffInput(
            grid_id=self.grid.id,
            role=role,
            name=self.name_edit.text(),
            helper_kind=self.helper_kind_combo.currentText() if role == HELPER else None,
            gender=self.gender_combo.currentData() or None,
            phone=self.phone_edit.text(),
            office_phone=self.office_phone_edit.text(),
            organisation=self.organisation_edit.text(),
            notes=self.notes_edit.toPlainText(),
            id=self.staff.id if self.staff else None,
            version=self.staff.version if self.staff else None,
        )

    def _on_role_combo_current_index_changed(self, *_args: object) -> None:
        self.helper_kind_combo.setEnabled(self.role_combo.currentData() == HELPER)

    def submit(self) -> None:
        self.saved_id = structure.save_staff(self.ctx, self.staff_input())
