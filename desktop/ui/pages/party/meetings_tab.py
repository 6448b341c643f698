"""三会一课 tab: what each organisation has overdue against its required frequency (主题党日 monthly,
党员大会 and 党课 quarterly, 组织生活会 and 民主评议 yearly …), and the meetings held; record a meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from desktop.services import party
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import Qt, QtWidgets


class MeetingsTab(PartyTab):
    def __init__(
        self, ctx: Any, orgs: Callable[[], list[party.OrgNode]], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self._orgs = orgs
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("sectionTitle")
        self.overdue_check = QtWidgets.QCheckBox(self.tr("只看逾期"))
        self.overdue_check.setChecked(True)
        self.add_button = QtWidgets.QPushButton(icon("add"), self.tr("登记会议…"))
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(self.summary_label, 1)
        tools.addWidget(self.overdue_check)
        tools.addWidget(self.add_button)
        self.status_table, self.status_model = rows_view(cols.meeting_status_columns(), self, sortable=True)
        self.status_table.setObjectName("partyMeetingStatusTable")
        self.meetings_title = QtWidgets.QLabel(self.tr("近一年的会议"))
        self.meetings_title.setObjectName("sectionTitle")
        self.meetings_table, self.meetings_model = rows_view(cols.meeting_columns(), self, sortable=True)
        self.meetings_table.setObjectName("partyMeetingTable")
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        top = QtWidgets.QWidget()
        tl = QtWidgets.QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.status_table)
        bottom = QtWidgets.QWidget()
        bl = QtWidgets.QVBoxLayout(bottom)
        bl.setContentsMargins(0, 6, 0, 0)
        bl.addWidget(self.meetings_title)
        bl.addWidget(self.meetings_table)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([320, 260])
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(tools)
        lay.addWidget(split, 1)
        self._overview: list[party.OrgMeetings] = []
        self.overdue_check.toggled.connect(self._show_status)
        self.add_button.clicked.connect(self.open_meeting_dialog)
        self.status_table.activated.connect(self._on_status_table_activated)

    def fetch(self):
        ctx, org_id = self.ctx, self.org_id
        since = ctx.today() - dt.timedelta(days=366)
        return lambda: (
            party.meeting_overview(ctx, org_id=org_id),
            party.list_meetings(ctx, org_id, since=since),
        )

    def show_result(self, result: tuple[list[party.OrgMeetings], list[party.MeetingRow]]) -> None:
        self._overview, meetings = result
        self._show_status()
        self.meetings_model.set_rows(meetings)
        self.meetings_title.setText(self.tr("近一年的会议（{0} 次）").format(len(meetings)))

    def _show_status(self, *_a: object) -> None:
        rows = cols.meeting_status_rows(self._overview, self.overdue_check.isChecked())
        self.status_model.set_rows(rows)
        orgs_late = {o.org_id for o in self._overview if o.overdue}
        items = sum(len(o.overdue) for o in self._overview)
        self.summary_label.setText(
            self.tr("{0} 个党组织中 {1} 个有逾期未开展的会议，共 {2} 项").format(
                len(self._overview), len(orgs_late), items
            )
        )

    def _on_status_table_activated(self, *_a: object) -> None:
        rows = self.status_table.selectionModel().selectedRows()
        row = self.status_model.row(rows[0].row()) if rows else None
        if row is not None:
            self.open_meeting_dialog(row.org_id, row.item.kind)

    def open_meeting_dialog(self, org_id: int | None = None, kind: str | None = None) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_meeting_dialog import PartyMeetingDialog

        orgs = self._orgs()
        if not isinstance(org_id, int):
            org_id = self.org_id
        dialog = PartyMeetingDialog(self.ctx, orgs, org_id, kind, self)

        def done() -> None:
            self.status_message.emit(self.tr("已登记会议：{0}").format(dialog.topic_edit.text()))
            if dialog.warnings:
                QtWidgets.QMessageBox.information(self, self.tr("已登记，请注意"), "\n".join(dialog.warnings))
            self.changed.emit()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
