"""调解不成功 (with the routes the parties were told of) or 终止调解 (with the reason)."""

from __future__ import annotations

import datetime as dt

from desktop.domain.mediation import CaseRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation.dictionary import ROUTES
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import text_box
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class MediationOutcomeDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("调解结果") + f" {case.case_no}", parent=parent, ctx=ctx, width=520, today=today
        )
        self.case = case
        self.failed_radio = QtWidgets.QRadioButton(self.tr("调解不成功"))
        self.terminated_radio = QtWidgets.QRadioButton(self.tr("终止调解"))
        self.failed_radio.setChecked(case.outcome != "TERMINATED")
        kinds = QtWidgets.QHBoxLayout()
        kinds.addWidget(self.failed_radio)
        kinds.addWidget(self.terminated_radio)
        kinds.addStretch(1)
        self.date_edit = DateField(case.outcome_on, today=self.today)
        self.note_edit = text_box(case.outcome_note or "", 70, self.tr("未能达成协议或终止调解的原因"))
        self.route_checks = [QtWidgets.QCheckBox(self.tr(r)) for r in ROUTES]
        routes = QtWidgets.QVBoxLayout()
        for box, route in zip(self.route_checks, ROUTES, strict=True):
            box.setChecked(route in (case.routes_open or ""))
            routes.addWidget(box)
        self.form.addRow(self.tr("结果 *"), kinds)
        self.form.addRow(self.tr("日期 *"), self.date_edit)
        self.form.addRow(self.tr("原因 *"), self.note_edit)
        self.form.addRow(self.tr("已告知的途径"), routes)
        self.fields = {"outcome_on": self.date_edit, "outcome_note": self.note_edit}
        self.finish_form()

    def submit(self) -> None:
        outcome = "FAILED" if self.failed_radio.isChecked() else "TERMINATED"
        routes = [r for box, r in zip(self.route_checks, ROUTES, strict=True) if box.isChecked()]
        med.record_failure(
            self.ctx,
            self.case.id,
            self.case.version,
            outcome,
            self.date_edit.value(),
            self.note_edit.toPlainText(),
            routes,
        )
