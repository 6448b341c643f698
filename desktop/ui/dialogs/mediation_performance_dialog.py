"""履行情况: a dated check of how the agreement is being performed."""

from __future__ import annotations

import datetime as dt
import decimal

from desktop.domain.mediation import PERFORMANCE_LABELS, CaseRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import text_box
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class MediationPerformanceDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("履行情况") + f" {case.case_no}", parent=parent, ctx=ctx, width=480, today=today
        )
        self.case = case
        self.date_edit = DateField(today=self.today)
        self.status_combo = QtWidgets.QComboBox()
        for code, label in PERFORMANCE_LABELS.items():
            self.status_combo.addItem(self.tr(label), code)
        self.amount_spin = QtWidgets.QDoubleSpinBox()
        self.amount_spin.setRange(0, 1e10)
        self.amount_spin.setDecimals(2)
        self.amount_spin.setSpecialValueText(self.tr("未填写"))
        self.amount_spin.setSuffix(self.tr(" 元"))
        self.note_edit = text_box("", 60, self.tr("履行凭证、未履行的原因等"))
        self.form.addRow(self.tr("日期 *"), self.date_edit)
        self.form.addRow(self.tr("履行情况 *"), self.status_combo)
        self.form.addRow(self.tr("已履行金额"), self.amount_spin)
        self.form.addRow(self.tr("说明"), self.note_edit)
        self.fields = {"on": self.date_edit, "status": self.status_combo, "amount_paid": self.amount_spin}
        self.finish_form()

    def submit(self) -> None:
        amount = self.amount_spin.value()
        med.record_performance(
            self.ctx,
            self.case.id,
            self.date_edit.value(),
            self.status_combo.currentData(),
            self.note_edit.toPlainText(),
            decimal.Decimal(str(round(amount, 2))) if amount else None,
        )
