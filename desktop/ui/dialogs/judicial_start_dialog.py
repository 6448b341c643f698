"""登记司法确认: pick a settled case, see whether it can apply (and why not), answer the subject hints."""

from __future__ import annotations

from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.common import SUBJECT_LABELS
from desktop.services.judicial.eligibility import Eligibility
from desktop.services.judicial.queries import Candidate
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets


class StartConfirmationDialog(FormDialog):
    def __init__(
        self, ctx: ServiceContext, candidates: list[Candidate], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(self.tr("登记司法确认"), parent=parent, ctx=ctx, width=560)
        self.track_id: int | None = None
        self.eligibility: Eligibility | None = None
        self.case_combo = QtWidgets.QComboBox()
        self.case_combo.setEditable(True)
        self.case_combo.lineEdit().setPlaceholderText(self.tr("输入或选择调解案件编号"))
        for c in candidates:
            self.case_combo.addItem(
                self.tr("{0}  {1}（期限 {2}，还剩 {3} 天）").format(
                    c.case_no, c.parties, c.deadline, c.days_left
                ),
                c.case_no,
            )
        self.case_combo.setCurrentIndex(-1 if not candidates else 0)
        hint = QtWidgets.QLabel(
            self.tr("列表中是仍在申请期限内、尚未登记的书面协议（共 {0} 件）；也可直接输入案件编号。").format(
                len(candidates)
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("figureDetail")
        self.check_button = QtWidgets.QPushButton(self.tr("检查"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.case_combo, 1)
        row.addWidget(self.check_button)
        self.result_label = QtWidgets.QLabel()
        self.result_label.setWordWrap(True)
        self.subject_combo = QtWidgets.QComboBox()
        for key, label in SUBJECT_LABELS.items():
            self.subject_combo.addItem(self.tr(label), key)
        self.note_edit = QtWidgets.QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("有提示时必填，如“只涉及赡养费给付，不确认身份关系”"))
        self.court_edit = QtWidgets.QLineEdit()
        self.agent_check = QtWidgets.QCheckBox(self.tr("由委托代理人代为申请"))
        form = self.form
        form.addRow(self.tr("调解案件"), row)
        form.addRow("", hint)
        form.addRow("", self.result_label)
        self.add_row("subject", self.tr("协议事项"), self.subject_combo)
        self.add_row("subject_note", self.tr("核对说明"), self.note_edit)
        self.add_row("court", self.tr("受理法院"), self.court_edit)
        self.add_row("agent_applies", "", self.agent_check)
        self.fields["case_no"] = self.case_combo
        self.ok_button.setText(self.tr("登记"))
        self.check_button.clicked.connect(self.check)
        self.case_combo.currentIndexChanged.connect(lambda *_a: self.check())
        if candidates:
            self.check()

    def case_no(self) -> str:
        data = self.case_combo.currentData()
        text = self.case_combo.currentText().strip()
        return data if data and text.startswith(str(data)) else text

    def check(self) -> Eligibility | None:
        no = self.case_no()
        if not no:
            return None
        try:
            e = judicial.check_case(self.ctx, no)
        except Exception as exc:
            self.result_label.setText(getattr(exc, "message", str(exc)))
            self.result_label.setStyleSheet("color:#b3261e;")
            self.eligibility = None
            return None
        self.eligibility = e
        lines = []
        if e.ok:
            lines.append(
                self.tr("可以登记。协议于 {0} 生效，申请期限 {1}。").format(e.effective_on, e.deadline)
            )
        else:
            lines += [self.tr("不能登记：") + p for p in e.problems]
        lines += [self.tr("请核对：") + h.reason for h in e.hints]
        if e.court is not None:
            lines.append(self.tr("建议法院：{0}").format(e.court.court or self.tr("（未设置）")))
            if e.court.court and not self.court_edit.text():
                self.court_edit.setText(e.court.court)
        self.agent_check.setChecked(e.agent_applies)
        self.result_label.setText("\n".join(lines))
        self.result_label.setStyleSheet(
            "" if e.ok and not e.hints else "color:#a15c00;" if e.ok else "color:#b3261e;"
        )
        return e

    def submit(self) -> None:
        data = judicial.StartInput(
            subject=self.subject_combo.currentData(),
            subject_note=self.note_edit.text(),
            court=self.court_edit.text(),
            agent_applies=self.agent_check.isChecked(),
        )
        self.track_id = judicial.start_confirmation(self.ctx, self.case_no(), data)

    def report_error(self, exc: Exception) -> None:
        show_error(self, exc, self.tr("未登记"))
