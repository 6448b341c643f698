"""结案 or 归档 (立卷): the date, and for the archive the filer and the retention period."""

from __future__ import annotations

import datetime as dt

from desktop.domain.mediation import CaseRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation.dictionary import RETENTION_PERIODS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class MediationClosingDialog(FormDialog):
    """``archive=False``: 结案; ``archive=True``: 归档 (the 卷宗 checklist must be complete)."""

    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        archive: bool = False,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            (self.tr("归档") if archive else self.tr("结案")) + f" {case.case_no}",
            parent=parent,
            ctx=ctx,
            width=440,
            today=today,
        )
        self.case, self.archive = case, archive
        self.date_edit = DateField(today=self.today)
        self.form.addRow(self.tr("立卷日期 *") if archive else self.tr("结案日期 *"), self.date_edit)
        self.fields = {"closed_on": self.date_edit, "archived_on": self.date_edit}
        if archive:
            self.filer_edit = line(case.recorder or "", self.tr("立卷人"), 50)
            self.retention_combo = QtWidgets.QComboBox()
            for period in RETENTION_PERIODS:
                self.retention_combo.addItem(self.tr(period), period)
            self.retention_combo.setCurrentIndex(1)
            self.form.addRow(self.tr("立卷人 *"), self.filer_edit)
            self.form.addRow(self.tr("保管期限"), self.retention_combo)
            self.fields.update(filed_by=self.filer_edit, retention=self.retention_combo)
        self.finish_form()

    def submit(self) -> None:
        on = self.date_edit.value()
        assert on is not None
        if self.archive:
            med.archive_case(
                self.ctx,
                self.case.id,
                self.case.version,
                on,
                self.filer_edit.text(),
                self.retention_combo.currentData(),
            )
        else:
            med.close_case(self.ctx, self.case.id, self.case.version, on)
