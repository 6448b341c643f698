"""登记会议 (三会一课, 主题党日, 组织生活会, 民主评议): who was there (click: 出席 ✓ / 请假 ▪ / 缺席), what was
discussed. A 主题党日 can also count as the quarter's 党员大会 or 党课."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import MEETING_KIND_LABELS, STAGE_LABELS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.dialogs.party_member_dialog import org_items
from desktop.ui.qt import Qt, QtWidgets
from desktop.ui.widgets.date_field import DateField

STATUS_OF = {
    Qt.CheckState.Checked: "PRESENT",
    Qt.CheckState.PartiallyChecked: "LEAVE",
    Qt.CheckState.Unchecked: "ABSENT",
}


class PartyMeetingDialog(FormDialog):
    """``saved_id`` and ``warnings`` (e.g. 到会未过半) once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        orgs: Sequence[party.OrgNode],
        org_id: int | None = None,
        kind: str | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(self.tr("登记会议"), parent=parent, width=860, ctx=ctx, today=today)
        self.ctx, self.orgs = ctx, list(orgs)
        self.saved_id: int | None = None
        kinds = ("BRANCH", "GROUP", "GENERAL_BRANCH", "COMMITTEE")
        self.org_combo = combo(org_items(self.orgs, kinds), org_id)
        self.kind_combo = QtWidgets.QComboBox()
        self.also_checks = {
            k: QtWidgets.QCheckBox(self.tr(MEETING_KIND_LABELS[k]))
            for k in ("MEMBER_ASSEMBLY", "LECTURE", "LIFE_MEETING", "APPRAISAL")
        }
        also = QtWidgets.QHBoxLayout()
        also.setContentsMargins(0, 0, 0, 0)
        for box in self.also_checks.values():
            also.addWidget(box)
        also.addStretch(1)
        self.also_row = QtWidgets.QWidget()
        self.also_row.setLayout(also)
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.time_edit = QtWidgets.QLineEdit("09:00")
        self.time_edit.setInputMask("99:99")
        self.time_edit.setMaximumWidth(70)
        when = QtWidgets.QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.date_edit)
        when.addWidget(self.time_edit)
        when.addStretch(1)
        self.when_row = QtWidgets.QWidget()
        self.when_row.setLayout(when)
        self.topic_edit = QtWidgets.QLineEdit()
        self.place_edit = QtWidgets.QLineEdit(self.tr("社区党群服务中心"))
        self.chair_edit, self.recorder_edit, self.lecturer_edit = (
            QtWidgets.QLineEdit(),
            QtWidgets.QLineEdit(),
            QtWidgets.QLineEdit(),
        )
        self.election_check = QtWidgets.QCheckBox(self.tr("选举（须五分之四以上到会）"))
        self.summary_edit = QtWidgets.QPlainTextEdit()
        self.summary_edit.setFixedHeight(70)
        self.summary_edit.setTabChangesFocus(True)
        self.resolutions_edit = QtWidgets.QPlainTextEdit()
        self.resolutions_edit.setFixedHeight(50)
        self.resolutions_edit.setTabChangesFocus(True)
        self.add_row("org_id", self.tr("党组织 *"), self.org_combo)
        self.add_row("kind", self.tr("会议类型 *"), self.kind_combo)
        self.add_row("also_counts_as", self.tr("同时作为"), self.also_row)
        self.add_row("held_on", self.tr("日期、时间 *"), self.when_row)
        self.add_row("topic", self.tr("议题 *"), self.topic_edit)
        self.add_row("place", self.tr("地点"), self.place_edit)
        self.add_row("chair", self.tr("主持人"), self.chair_edit)
        self.add_row("recorder", self.tr("记录人"), self.recorder_edit)
        self.add_row("lecturer", self.tr("讲课人"), self.lecturer_edit)
        self.add_row("is_election", "", self.election_check)
        self.add_row("summary", self.tr("内容摘要"), self.summary_edit)
        self.add_row("resolutions", self.tr("决议、表决"), self.resolutions_edit)

        right = self.second_column()
        self.attendance_list = QtWidgets.QListWidget()
        self.attendance_list.setMinimumHeight(300)
        self.count_label = QtWidgets.QLabel()
        self.count_label.setObjectName("figureDetail")
        hint = QtWidgets.QLabel(self.tr("点击切换：出席 ✓ / 请假 ▪ / 缺席 □"))
        hint.setObjectName("figureDetail")
        right.addRow(hint)
        self.add_row("attendance", self.tr("签到"), self.attendance_list, form=right)
        right.addRow("", self.count_label)
        self.org_combo.currentIndexChanged.connect(self._on_org_combo_current_index_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.attendance_list.itemChanged.connect(self._on_attendance_list_item_changed)
        self.also_checks["LECTURE"].toggled.connect(self._on_kind_combo_current_index_changed)
        self._on_org_combo_current_index_changed()
        if kind is not None and (i := self.kind_combo.findData(kind)) >= 0:
            self.kind_combo.setCurrentIndex(i)

    def _org(self) -> party.OrgNode | None:
        org_id = self.org_combo.currentData()
        return next((n for n in self.orgs if n.id == org_id), None)

    def _on_org_combo_current_index_changed(self, *_a: object) -> None:
        org = self._org()
        group = org is not None and org.kind == "GROUP"
        self.kind_combo.clear()
        for k, label in MEETING_KIND_LABELS.items():
            if (k == "GROUP") == group:
                self.kind_combo.addItem(self.tr(label), k.value)
        self.attendance_list.blockSignals(True)
        self.attendance_list.clear()
        if org is not None:
            for member_id, name, stage in party.expected_attendees(self.ctx, org.id):
                text = name if stage == "FULL" else f"{name}（{STAGE_LABELS.get(stage, stage)}）"
                item = QtWidgets.QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, member_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsUserTristate)
                item.setCheckState(Qt.CheckState.Checked)
                self.attendance_list.addItem(item)
        self.attendance_list.blockSignals(False)
        self._on_attendance_list_item_changed()

    def _on_kind_combo_current_index_changed(self, *_a: object) -> None:
        kind = self.kind_combo.currentData()
        for k, box in self.also_checks.items():
            box.setEnabled(k != kind and kind != "GROUP")
            if k == kind and box.isChecked():
                box.setChecked(False)
        self.form.setRowVisible(
            self.lecturer_edit, kind == "LECTURE" or self.also_checks["LECTURE"].isChecked()
        )

    def attendance(self) -> list[party.AttendanceInput]:
        out = []
        for i in range(self.attendance_list.count()):
            item = self.attendance_list.item(i)
            out.append(
                party.AttendanceInput(item.data(Qt.ItemDataRole.UserRole), STATUS_OF[item.checkState()])
            )
        return out

    def _on_attendance_list_item_changed(self, *_a: object) -> None:
        rows = self.attendance()
        present = sum(1 for a in rows if a.status == "PRESENT")
        leave = sum(1 for a in rows if a.status == "LEAVE")
        self.count_label.setText(
            self.tr("应到 {0} 人，实到 {1} 人，请假 {2} 人，缺席 {3} 人").format(
                len(rows), present, leave, len(rows) - present - leave
            )
        )

    def submit(self) -> None:
        also = [k for k, box in self.also_checks.items() if box.isChecked() and box.isEnabled()]
        rows = self.attendance()
        self.saved_id, self.warnings = party.save_meeting(
            self.ctx,
            party.MeetingInput(
                org_id=self.org_combo.currentData() or 0,
                kind=self.kind_combo.currentData() or "",
                held_on=self.date_edit.date().toPython(),
                topic=self.topic_edit.text(),
                also_counts_as=also,
                start_time=self.time_edit.text() if self.time_edit.text().strip(":") else None,
                place=self.place_edit.text(),
                chair=self.chair_edit.text(),
                recorder=self.recorder_edit.text(),
                lecturer=self.lecturer_edit.text(),
                is_election=self.election_check.isChecked(),
                attendance=rows if rows else None,
                summary=self.summary_edit.toPlainText(),
                resolutions=self.resolutions_edit.toPlainText(),
            ),
        )
