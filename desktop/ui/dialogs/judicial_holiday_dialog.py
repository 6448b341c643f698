"""Add or edit one day of the holiday calendar (放假 / 调休上班)."""

from __future__ import annotations

from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.holidays import HolidayRow
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField, to_date


class HolidayDialog(FormDialog):
    def __init__(
        self, ctx: ServiceContext, row: HolidayRow | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(
            self.tr("编辑节假日安排") if row else self.tr("新增节假日安排"), parent=parent, ctx=ctx, width=420
        )
        self.row = row
        self.day_id: int | None = row.id if row else None
        day = row.day if row else ctx.today()
        self.day_edit = DateField(day, today=ctx.today())
        self.kind_combo = QtWidgets.QComboBox()
        self.kind_combo.addItem(self.tr("放假"), "HOLIDAY")
        self.kind_combo.addItem(self.tr("调休上班（周末上班）"), "WORKDAY")
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(row.kind if row else "HOLIDAY"), 0))
        self.name_edit = QtWidgets.QLineEdit(row.name if row else "")
        self.name_edit.setPlaceholderText(self.tr("如：春节、国庆节调休上班"))
        self.year_spin = QtWidgets.QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(row.year if row else day.year)
        self.provisional_check = QtWidgets.QCheckBox(self.tr("待官方公布后核对"))
        self.provisional_check.setChecked(row.provisional if row else False)
        self.source_edit = QtWidgets.QLineEdit(row.source or "" if row else "")
        self.source_edit.setPlaceholderText(self.tr("如：国务院办公厅关于2027年部分节假日安排的通知"))
        self.add_row("day", self.tr("日期"), self.day_edit)
        self.add_row("kind", self.tr("安排"), self.kind_combo)
        self.add_row("name", self.tr("名称"), self.name_edit)
        self.add_row("year", self.tr("所属年度"), self.year_spin)
        self.add_row("provisional", "", self.provisional_check)
        self.add_row("source", self.tr("来源"), self.source_edit)
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def form_input(self) -> judicial.HolidayInput:
        return judicial.HolidayInput(
            to_date(self.day_edit.date()),
            self.kind_combo.currentData(),
            self.name_edit.text(),
            self.year_spin.value(),
            self.provisional_check.isChecked(),
            self.source_edit.text(),
        )

    def submit(self) -> None:
        self.day_id = judicial.save_day(
            self.ctx, self.form_input(), self.day_id, self.row.version if self.row else None
        )

    def report_error(self, exc: Exception) -> None:
        show_error(self, exc, self.tr("未保存"))
