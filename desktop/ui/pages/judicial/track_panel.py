"""One confirmation track: deadline and warnings, the materials checklist, the court's dates, the ruling,
performance and enforcement — edited in place and saved as one audited change."""

from __future__ import annotations

import datetime as dt

from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.common import PERFORMANCE_LABELS
from desktop.services.judicial.detail import TrackDetail
from desktop.services.judicial.tracks import TrackInput
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.judicial_material_model import JudicialMaterialTableModel
from desktop.ui.qt import Qt, QtWidgets, Signal
from desktop.ui.widgets.date_field import DateField

LEVEL_STYLE = {
    "red": "color:#b3261e;font-weight:bold;",
    "orange": "color:#a15c00;font-weight:bold;",
    "yellow": "color:#7a6400;font-weight:bold;",
}


class TrackPanel(QtWidgets.QScrollArea):
    #: the track was saved or changed (its id)
    saved = Signal(int)
    preview_requested = Signal(int)
    late_reason_requested = Signal(int)
    close_requested = Signal(int)
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.track: TrackDetail | None = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        body = QtWidgets.QWidget()
        body.setObjectName("contentArea")
        self.setWidget(body)
        outer = QtWidgets.QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 8, 8)
        outer.setSpacing(8)

        self.title_label = QtWidgets.QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline_label = QtWidgets.QLabel()
        self.deadline_label.setWordWrap(True)
        self.alert_label = QtWidgets.QLabel()
        self.alert_label.setWordWrap(True)
        outer.addWidget(self.title_label)
        outer.addWidget(self.deadline_label)
        outer.addWidget(self.alert_label)

        actions = QtWidgets.QHBoxLayout()
        self.preview_button = QtWidgets.QPushButton(icon("pdf"), self.tr("文书…"))
        self.late_button = QtWidgets.QPushButton(icon("edit"), self.tr("逾期理由…"))
        self.close_button = QtWidgets.QPushButton(icon("retire"), self.tr("撤回/不予受理…"))
        self.save_button = QtWidgets.QPushButton(icon("edit", "#ffffff"), self.tr("保存"))
        self.save_button.setObjectName("primaryButton")
        self.preview_button.setToolTip(
            self.tr("预览、打印司法确认申请书、送达地址确认书、授权委托书、材料清单和合订本")
        )
        for b in (self.preview_button, self.late_button, self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        outer.addLayout(actions)

        # --- application
        apply_box = QtWidgets.QGroupBox(self.tr("申请"))
        af = QtWidgets.QFormLayout(apply_box)
        self.court_edit = QtWidgets.QLineEdit()
        self.court_hint = QtWidgets.QLabel()
        self.court_hint.setWordWrap(True)
        self.court_hint.setObjectName("figureDetail")
        self.agent_check = QtWidgets.QCheckBox(self.tr("由委托代理人代为申请（需授权委托书）"))
        self.filed_edit = self._optional_date()
        self.late_label = QtWidgets.QLabel()
        self.late_label.setWordWrap(True)
        af.addRow(self.tr("受理法院"), self.court_edit)
        af.addRow("", self.court_hint)
        af.addRow("", self.agent_check)
        af.addRow(self.tr("申请日期"), self.filed_edit)
        af.addRow("", self.late_label)
        outer.addWidget(apply_box)

        # --- materials
        mat_box = QtWidgets.QGroupBox(self.tr("申请材料清单（勾选即保存）"))
        ml = QtWidgets.QVBoxLayout(mat_box)
        self.material_model = JudicialMaterialTableModel(self)
        self.material_view = QtWidgets.QTableView()
        self.material_view.setModel(self.material_model)
        self.material_view.verticalHeader().hide()
        self.material_view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.material_view.setWordWrap(True)
        header = self.material_view.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.material_view.verticalHeader().setDefaultSectionSize(28)
        ml.addWidget(self.material_view)
        outer.addWidget(mat_box)

        # --- court
        court_box = QtWidgets.QGroupBox(self.tr("法院受理与裁定"))
        cf = QtWidgets.QFormLayout(court_box)
        self.accepted_edit = self._optional_date()
        self.case_no_edit = QtWidgets.QLineEdit()
        self.case_no_edit.setPlaceholderText(self.tr("如（2026）甘0202民特12号、（2026）甘0202诉前调确5号"))
        self.judge_edit = QtWidgets.QLineEdit()
        self.extended_check = QtWidgets.QCheckBox(self.tr("经院长批准延长 10 日"))
        self.ruling_edit = self._optional_date()
        self.ruling_combo = QtWidgets.QComboBox()
        self.ruling_combo.addItem(self.tr("（尚未裁定）"), None)
        self.ruling_combo.addItem(self.tr("裁定调解协议有效"), "VALID")
        self.ruling_combo.addItem(self.tr("裁定驳回申请"), "REJECTED")
        self.rejection_edit = QtWidgets.QLineEdit()
        self.rejection_edit.setPlaceholderText(self.tr("裁定书载明的驳回理由"))
        self.follow_up_edit = QtWidgets.QLineEdit()
        self.follow_up_edit.setPlaceholderText(self.tr("如：已组织重新调解 / 已告知当事人向法院起诉"))
        self.due_label = QtWidgets.QLabel()
        self.due_label.setObjectName("figureDetail")
        self.due_label.setWordWrap(True)
        cf.addRow(self.tr("受理日期"), self.accepted_edit)
        cf.addRow(self.tr("受理案号"), self.case_no_edit)
        cf.addRow(self.tr("承办法官"), self.judge_edit)
        cf.addRow("", self.extended_check)
        cf.addRow(self.tr("裁定日期"), self.ruling_edit)
        cf.addRow(self.tr("裁定结果"), self.ruling_combo)
        cf.addRow(self.tr("驳回理由"), self.rejection_edit)
        cf.addRow(self.tr("驳回后处理"), self.follow_up_edit)
        cf.addRow("", self.due_label)
        outer.addWidget(court_box)

        # --- performance and enforcement
        perf_box = QtWidgets.QGroupBox(self.tr("履行与申请执行"))
        pf = QtWidgets.QFormLayout(perf_box)
        self.performance_combo = QtWidgets.QComboBox()
        self.performance_combo.addItem(self.tr("（未记录）"), None)
        for key, label in PERFORMANCE_LABELS.items():
            self.performance_combo.addItem(self.tr(label), key)
        self.performance_edit = self._optional_date()
        self.performance_note = QtWidgets.QLineEdit()
        self.enforce_edit = self._optional_date()
        self.enforce_no_edit = QtWidgets.QLineEdit()
        self.enforce_note = QtWidgets.QLineEdit()
        self.limit_label = QtWidgets.QLabel()
        self.limit_label.setWordWrap(True)
        pf.addRow(self.tr("履行情况"), self.performance_combo)
        pf.addRow(self.tr("核实日期"), self.performance_edit)
        pf.addRow(self.tr("说明"), self.performance_note)
        pf.addRow("", self.limit_label)
        pf.addRow(self.tr("申请执行日期"), self.enforce_edit)
        pf.addRow(self.tr("执行案号"), self.enforce_no_edit)
        pf.addRow(self.tr("执行说明"), self.enforce_note)
        outer.addWidget(perf_box)

        notes_box = QtWidgets.QGroupBox(self.tr("备注"))
        nl = QtWidgets.QVBoxLayout(notes_box)
        self.notes_edit = QtWidgets.QPlainTextEdit()
        self.notes_edit.setFixedHeight(64)
        nl.addWidget(self.notes_edit)
        outer.addWidget(notes_box)
        outer.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(lambda: self.track and self.preview_requested.emit(self.track.id))
        self.late_button.clicked.connect(
            lambda: self.track and self.late_reason_requested.emit(self.track.id)
        )
        self.close_button.clicked.connect(lambda: self.track and self.close_requested.emit(self.track.id))
        self.material_model.received_toggled.connect(self._on_material_model_received_toggled)
        self.show_track(None)

    # ---------------------------------------------------------------- showing

    def show_track(self, t: TrackDetail | None, today: dt.date | None = None) -> None:
        self.track = t
        today = today or self.ctx.today()
        self.widget().setEnabled(t is not None)
        if t is None:
            self.title_label.setText(self.tr("请在左侧选择一件司法确认"))
            for lbl in (self.deadline_label, self.alert_label, self.court_hint, self.late_label, self.due_label,
                        self.limit_label):  # fmt: skip
                lbl.setText("")
            self.material_model.set_rows([])
            return
        self.title_label.setText(f"{t.case_no} · {t.parties} · {t.state_label}")
        self.deadline_label.setText(
            self.tr("协议 {0} 于 {1} 生效；申请期限：{2}").format(
                t.agreement_no, t.effective_on.isoformat(), t.deadline_text
            )
        )
        level = max(
            (a.level for a in t.alerts),
            key=lambda lv: {"red": 3, "orange": 2, "yellow": 1}.get(lv, 0),
            default="",
        )
        self.alert_label.setText("；".join(a.text for a in t.alerts))
        self.alert_label.setStyleSheet(LEVEL_STYLE.get(level, ""))
        self.alert_label.setVisible(bool(t.alerts))
        closed = t.is_closed
        self.court_edit.setText(t.court or "")
        basis = t.court_basis or ""
        self.court_hint.setText(
            (self.tr("建议：{0}（{1}）").format(t.court_suggested, basis) if t.court_suggested else basis)
            + (self.tr("\n委派编号：{0}").format(t.referral_no) if t.referral_no else "")
        )
        self.agent_check.setChecked(t.agent_applies)
        self.filed_edit.set_value(t.filed_on)
        late = self.tr("逾期申请理由：{0}").format(t.late_reason) if t.late_reason else ""
        if closed:
            late = self.tr("已{0}：{1}").format(t.state_label, t.closed_reason or "")
        self.late_label.setText(late)
        self.material_model.set_rows(t.materials, editable=not closed)
        self._fit_materials()
        self.accepted_edit.set_value(t.accepted_on)
        self.case_no_edit.setText(t.court_case_no or "")
        self.judge_edit.setText(t.judge or "")
        self.extended_check.setChecked(t.ruling_extended)
        self.ruling_edit.set_value(t.ruling_on)
        self.ruling_combo.setCurrentIndex(max(self.ruling_combo.findData(t.ruling), 0))
        self.rejection_edit.setText(t.rejection_reason or "")
        self.follow_up_edit.setText(t.rejection_follow_up or "")
        dues = []
        if t.acceptance_due:
            dues.append(self.tr("应于 {0} 前决定是否受理").format(t.acceptance_due.isoformat()))
        if t.ruling_due:
            dues.append(self.tr("应于 {0} 前裁定").format(t.ruling_due.isoformat()))
        self.due_label.setText("；".join(dues))
        self.performance_combo.setCurrentIndex(max(self.performance_combo.findData(t.performance), 0))
        self.performance_edit.set_value(t.performance_on)
        self.performance_note.setText(t.performance_note or "")
        self.enforce_edit.set_value(t.enforcement_applied_on)
        self.enforce_no_edit.setText(t.enforcement_case_no or "")
        self.enforce_note.setText(t.enforcement_note or "")
        self.limit_label.setText(
            self.tr("申请执行期限：{0} 起算，{1} 届满（二年）").format(
                t.enforcement_from.isoformat(), t.enforcement_limit.isoformat()
            )
            if t.enforcement_from and t.enforcement_limit
            else ""
        )
        self.notes_edit.setPlainText(t.notes or "")
        for w in (self.save_button, self.late_button, self.close_button):
            w.setEnabled(not closed)
        ok, why = t.can_print_application(today)
        self.preview_button.setToolTip("" if ok else why)

    def _fit_materials(self) -> None:
        """Show every checklist line (no inner scroll bar inside the scrolling panel)."""
        rows = self.material_model.rowCount()
        height = self.material_view.horizontalHeader().height() + 28 * rows + 4
        self.material_view.setFixedHeight(max(height, 80))
        self.material_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # ---------------------------------------------------------------- editing

    def form_input(self) -> TrackInput:
        return TrackInput(
            court=self.court_edit.text(),
            agent_applies=self.agent_check.isChecked(),
            filed_on=self.filed_edit.value(),
            accepted_on=self.accepted_edit.value(),
            court_case_no=self.case_no_edit.text(),
            judge=self.judge_edit.text(),
            ruling_extended=self.extended_check.isChecked(),
            ruling_on=self.ruling_edit.value(),
            ruling=self.ruling_combo.currentData(),
            rejection_reason=self.rejection_edit.text(),
            rejection_follow_up=self.follow_up_edit.text(),
            performance=self.performance_combo.currentData(),
            performance_on=self.performance_edit.value(),
            performance_note=self.performance_note.text(),
            enforcement_applied_on=self.enforce_edit.value(),
            enforcement_case_no=self.enforce_no_edit.text(),
            enforcement_note=self.enforce_note.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def save(self) -> bool:
        t = self.track
        if t is None:
            return False
        try:
            judicial.save_track(self.ctx, t.id, t.version, self.form_input())
        except Exception as exc:
            show_error(self, exc, self.tr("未保存"))
            return False
        self.status_message.emit(self.tr("已保存 {0} 的司法确认记录").format(t.case_no))
        self.saved.emit(t.id)
        return True

    def _on_material_model_received_toggled(self, code: str, received: bool) -> None:
        t = self.track
        if t is None:
            return
        try:
            judicial.set_material(self.ctx, t.id, code, received)
            fresh = judicial.get_track(self.ctx, t.id)
        except Exception as exc:
            show_error(self, exc)
            return
        # only the checklist is refreshed: edits typed into the form stay
        self.material_model.set_rows(fresh.materials)
        self.status_message.emit(self.tr("材料清单已保存"))

    def _optional_date(self) -> DateField:
        """An optional date (“（未填）” while empty) whose calendar opens on today's month."""
        return DateField(optional=True, empty_text=self.tr("（未填）"), today=self.ctx.today())
