"""Record one step of 发展党员. The fields follow the step (培养联系人, 入党介绍人, 培训时长, 表决票数 …); a
step taken too early is refused by the service with the rule and the earliest date, shown here inline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import STEP_LABELS
from desktop.services.party.rules import DueStep, K
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.date_field import DateField

PEOPLE_KINDS = {K.TALK: "谈话人", K.ACTIVIST: "培养联系人", K.SPONSORS: "入党介绍人"}
VOTE_KINDS = (K.BRANCH_MEETING, K.CONFIRMATION)


def _spin(maximum: int = 999) -> QtWidgets.QSpinBox:
    spin = QtWidgets.QSpinBox()
    spin.setRange(0, maximum)
    spin.setMinimumWidth(90)
    return spin


class PartyStepDialog(FormDialog):
    """``result`` holds the service's StepResult (stage, warnings) once recorded."""

    def __init__(
        self,
        ctx: ServiceContext,
        member_id: int,
        name: str,
        due: Sequence[DueStep],
        people: Sequence[tuple[int, str, str]],
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        hint = "；".join(f"{d.label}（{d.when}）" for d in due) or self.tr("没有待办步骤")
        super().__init__(
            self.tr("记录发展步骤"),
            self.tr("{0} · 下一步：{1}").format(name, hint),
            parent=parent,
            width=560,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.member_id = ctx, member_id
        self.result: party.StepResult | None = None
        first = [d.kind for d in due]
        kinds = first + [k for k in STEP_LABELS if k not in first and k != K.APPLICATION]
        self.kind_combo = combo([(STEP_LABELS[k], str(k)) for k in kinds])
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.people_edit = QtWidgets.QLineEdit()
        self.people_edit.setPlaceholderText(self.tr("姓名，多人用顿号分开"))
        choices = [(self.tr("（不在名册中 / 不选）"), None)] + [(f"{n}（{o}）", i) for i, n, o in people]
        self.first_combo = combo(choices)
        self.second_combo = combo(choices)
        self.days_spin, self.hours_spin = _spin(60), _spin(500)
        self.entitled_spin, self.present_spin = _spin(), _spin()
        self.for_spin, self.against_spin, self.abstain_spin = _spin(), _spin(), _spin()
        self.valid_edit = DateField(optional=True, today=self.today, maximum=self.today)
        self.valid_edit.setMaximumDate(QtCore.QDate(self.today).addYears(3))
        self.reference_edit = QtWidgets.QLineEdit()
        self.reference_edit.setPlaceholderText(self.tr("备案号、批复文号等"))
        self.notes_edit = QtWidgets.QPlainTextEdit()
        self.notes_edit.setFixedHeight(56)
        self.notes_edit.setTabChangesFocus(True)
        votes = QtWidgets.QHBoxLayout()
        for label, spin in ((self.tr("实到"), self.present_spin), (self.tr("赞成"), self.for_spin),
                            (self.tr("反对"), self.against_spin), (self.tr("弃权"), self.abstain_spin)):  # fmt: skip
            votes.addWidget(QtWidgets.QLabel(label))
            votes.addWidget(spin)
        votes.addStretch(1)
        self.votes_row = QtWidgets.QWidget()
        self.votes_row.setLayout(votes)
        votes.setContentsMargins(0, 0, 0, 0)
        training = QtWidgets.QHBoxLayout()
        training.setContentsMargins(0, 0, 0, 0)
        training.addWidget(self.days_spin)
        training.addWidget(QtWidgets.QLabel(self.tr("天")))
        training.addWidget(self.hours_spin)
        training.addWidget(QtWidgets.QLabel(self.tr("学时（不少于 3 天或 24 学时）")))
        training.addStretch(1)
        self.training_row = QtWidgets.QWidget()
        self.training_row.setLayout(training)
        self.add_row("kind", self.tr("步骤 *"), self.kind_combo)
        self.add_row("on_date", self.tr("日期 *"), self.date_edit)
        self.add_row("people", self.tr("人员"), self.people_edit)
        self.add_row("first_person_id", self.tr("名册中的第一人"), self.first_combo)
        self.add_row("second_person_id", self.tr("名册中的第二人"), self.second_combo)
        self.add_row("training_hours", self.tr("培训时长"), self.training_row)
        self.add_row("entitled", self.tr("应到有表决权正式党员"), self.entitled_spin)
        self.add_row("votes_for", self.tr("表决"), self.votes_row)
        self.add_row("valid_until", self.tr("有效期至"), self.valid_edit)
        self.add_row("reference", self.tr("文号"), self.reference_edit)
        self.add_row("notes", self.tr("说明"), self.notes_edit)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self._on_kind_combo_current_index_changed()

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _on_kind_combo_current_index_changed(self, *_a: object) -> None:
        kind = self.kind()
        people = kind in PEOPLE_KINDS
        self.form.setRowVisible(self.people_edit, people)
        self.form.setRowVisible(self.first_combo, kind in (K.ACTIVIST, K.SPONSORS))
        self.form.setRowVisible(self.second_combo, kind in (K.ACTIVIST, K.SPONSORS))
        self.form.setRowVisible(self.training_row, kind == K.TRAINING)
        self.form.setRowVisible(self.entitled_spin, kind in VOTE_KINDS)
        self.form.setRowVisible(self.votes_row, kind in VOTE_KINDS)
        self.form.setRowVisible(self.valid_edit, kind in (K.VETTING, K.EXTENSION))
        label = self.form.labelForField(self.valid_edit)
        if isinstance(label, QtWidgets.QLabel):
            label.setText(self.tr("延长后预备期满") if kind == K.EXTENSION else self.tr("政审有效期至"))
        label = self.form.labelForField(self.people_edit)
        if isinstance(label, QtWidgets.QLabel):
            label.setText(self.tr(PEOPLE_KINDS.get(kind, "人员")))
        self.adjustSize()

    def step_input(self) -> party.StepInput:
        kind = self.kind()
        votes = kind in VOTE_KINDS
        names = [self.people_edit.text().strip()] if self.people_edit.text().strip() else []
        ids = [c.currentData() for c in (self.first_combo, self.second_combo)]
        if kind in (K.ACTIVIST, K.SPONSORS):
            picked = [
                c.currentText().split("（")[0]
                for c in (self.first_combo, self.second_combo)
                if c.currentData()
            ]
            names = picked + names
        return party.StepInput(
            member_id=self.member_id,
            kind=kind,
            on_date=self.date_edit.date().toPython(),
            people="、".join(names) or None,
            first_person_id=ids[0] if kind in (K.ACTIVIST, K.SPONSORS) else None,
            second_person_id=ids[1] if kind in (K.ACTIVIST, K.SPONSORS) else None,
            training_days=self.days_spin.value() if kind == K.TRAINING else None,
            training_hours=self.hours_spin.value() if kind == K.TRAINING else None,
            entitled=self.entitled_spin.value() if votes else None,
            present=self.present_spin.value() if votes else None,
            votes_for=self.for_spin.value() if votes else None,
            votes_against=self.against_spin.value() if votes else None,
            votes_abstain=self.abstain_spin.value() if votes else None,
            valid_until=self.valid_edit.value() if kind in (K.VETTING, K.EXTENSION) else None,
            reference=self.reference_edit.text() or None,
            notes=self.notes_edit.toPlainText() or None,
        )

    def submit(self) -> None:
        self.result = party.record_step(self.ctx, self.step_input())
