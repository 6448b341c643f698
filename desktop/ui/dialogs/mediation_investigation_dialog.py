"""人民调解调查记录: add or edit one investigation of a case."""

from __future__ import annotations

import datetime as dt

from desktop.domain.mediation import CaseRecord, InvestigationRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line, text_box
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class MediationInvestigationDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        inv: InvestigationRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("调查记录") + f" {case.case_no}", parent=parent, ctx=ctx, width=620, today=today
        )
        self.case, self.inv = case, inv
        self.date_edit = DateField(inv.held_on if inv else None, today=self.today)
        self.place_edit = line(inv.place if inv else "", self.tr("例如：当事人住处、物业办公室"), 100)
        self.investigator_edit = line(inv.investigator if inv else case.mediators_text, "", 100)
        self.interviewee_edit = line(inv.interviewee if inv else "", self.tr("被调查人姓名、身份"), 100)
        self.recorder_edit = line(inv.recorder if inv else case.recorder, "", 50)
        self.content_edit = text_box(inv.content if inv else "", 160, self.tr("调查了解到的情况"))
        for label, w in (
            (self.tr("时间 *"), self.date_edit),
            (self.tr("地点"), self.place_edit),
            (self.tr("调查人 *"), self.investigator_edit),
            (self.tr("被调查人 *"), self.interviewee_edit),
            (self.tr("记录人"), self.recorder_edit),
            (self.tr("调查内容 *"), self.content_edit),
        ):
            self.form.addRow(label, w)
        self.fields = {
            "held_on": self.date_edit,
            "investigator": self.investigator_edit,
            "interviewee": self.interviewee_edit,
            "content": self.content_edit,
        }
        self.finish_form()

    def submit(self) -> None:
        data = med.InvestigationInput(
            self.date_edit.value(),
            self.investigator_edit.text(),
            self.interviewee_edit.text(),
            self.content_edit.toPlainText(),
            self.place_edit.text(),
            self.recorder_edit.text(),
        )
        inv = self.inv
        med.save_investigation(
            self.ctx, self.case.id, data, inv.id if inv else None, inv.version if inv else None
        )
