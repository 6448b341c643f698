"""回访: record a visit (filling a scheduled one, or an extra one)."""

from __future__ import annotations

import datetime as dt

from desktop.domain.mediation import CaseRecord, FollowUpRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line, text_box
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField

NOTES_HINT = "协议履行情况，当事人满意程度，有无因履行引起的诉讼，有无矛盾激化或遗留隐患，采取的措施"


class MediationFollowUpDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        visit: FollowUpRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("回访记录") + f" {case.case_no}", parent=parent, ctx=ctx, width=560, today=today
        )
        self.case, self.visit = case, visit
        if visit and visit.due_on:
            due = QtWidgets.QLabel(self.tr("计划回访日期：{0}").format(visit.due_on.isoformat()))
            self.form.addRow("", due)
        self.date_edit = DateField(visit.visited_on if visit and visit.visited_on else None, today=self.today)
        self.visitor_edit = line(visit.visitor if visit and visit.visitor else case.mediator or "", "", 50)
        self.party_edit = line(
            visit.visited_party if visit and visit.visited_party else case.party_names, "", 200
        )
        self.notes_edit = text_box(visit.notes if visit and visit.notes else "", 110, self.tr(NOTES_HINT))
        self.form.addRow(self.tr("回访日期 *"), self.date_edit)
        self.form.addRow(self.tr("回访人 *"), self.visitor_edit)
        self.form.addRow(self.tr("被回访当事人"), self.party_edit)
        self.form.addRow(self.tr("回访情况 *"), self.notes_edit)
        self.fields = {"visited_on": self.date_edit, "visitor": self.visitor_edit, "notes": self.notes_edit}
        self.finish_form()

    def submit(self) -> None:
        data = med.FollowUpInput(
            self.date_edit.value(),
            self.visitor_edit.text(),
            self.notes_edit.toPlainText(),
            self.party_edit.text(),
        )
        v = self.visit
        med.record_follow_up(self.ctx, self.case.id, data, v.id if v else None, v.version if v else None)
