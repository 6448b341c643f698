"""发展党员 tab: everyone in recruitment with the next step, the earliest day it may be taken and the deadline
(overdue first). Recording a step checks the mandated gaps; a step taken too early is refused with the rule."""

from __future__ import annotations

from typing import Any

from desktop.services import party
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import QtCore, QtWidgets


class RecruitmentTab(PartyTab):
    #: "new applicant" was asked for
    applicant_requested = QtCore.Signal()

    def __init__(self, ctx: Any, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("sectionTitle")
        self.step_button = QtWidgets.QPushButton(icon("party"), self.tr("记录发展步骤…"))
        self.step_button.setEnabled(False)
        self.open_button = QtWidgets.QPushButton(icon("person"), self.tr("查看详情"))
        self.open_button.setEnabled(False)
        self.applicant_button = QtWidgets.QPushButton(icon("person_add"), self.tr("新增入党申请人…"))
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(self.summary_label, 1)
        tools.addWidget(self.applicant_button)
        tools.addWidget(self.step_button)
        tools.addWidget(self.open_button)
        self.table, self.model = rows_view(cols.due_columns(), self, sortable=True)
        self.table.setObjectName("partyDueTable")
        hint = QtWidgets.QLabel(
            self.tr(
                "谈话在收到申请后 1 个月内；列为积极分子满 1 年方可确定为发展对象；集中培训不少于 3 天或 24 学时；"
                "2 名正式党员作入党介绍人；支部大会通过之日起预备期 1 年，期满讨论转正。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(tools)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.step_button.clicked.connect(self.open_step_dialog)
        self.applicant_button.clicked.connect(self.applicant_requested)

    def fetch(self):
        ctx, org_id = self.ctx, self.org_id
        return lambda: party.recruitment_due(ctx, org_id)

    def show_result(self, rows: list[party.DueRow]) -> None:
        self.model.set_rows(rows)
        self.table.setColumnHidden(1, len({r.org_id for r in rows}) == 1)  # one branch: no 所在党组织 column
        overdue = sum(1 for r in rows if r.due.state == "overdue")
        due = sum(1 for r in rows if r.due.state == "due")
        self.summary_label.setText(
            self.tr("发展中 {0} 人：已逾期 {1} 人，可以办理 {2} 人").format(len(rows), overdue, due)
        )
        self._on_selection_changed()

    def selected(self) -> party.DueRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _on_selection_changed(self, *_a: object) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.step_button.setEnabled(row is not None)

    def _on_table_activated(self, index: QtCore.QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None:
            self.member_requested.emit(row.member_id)

    def _on_open_button_clicked(self) -> None:
        if (row := self.selected()) is not None:
            self.member_requested.emit(row.member_id)

    def open_step_dialog(self) -> QtWidgets.QDialog | None:
        from desktop.ui.dialogs.party_step_dialog import PartyStepDialog

        row = self.selected()
        if row is None:
            return None
        card = party.get_member(self.ctx, row.member_id)
        people = party.sponsor_candidates(self.ctx, row.org_id)
        dialog = PartyStepDialog(self.ctx, row.member_id, row.name, card.due, people, self)

        def done() -> None:
            result = dialog.result
            if result is not None:
                self.status_message.emit(
                    self.tr("已记录：{0} {1}").format(row.name, dialog.kind_combo.currentText())
                )
                if result.warnings:
                    QtWidgets.QMessageBox.information(
                        self, self.tr("已记录，请注意"), "\n".join(result.warnings)
                    )
            self.changed.emit()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
