"""A party of a mediation case (当事人): a person or an organisation, applicant or respondent."""

from __future__ import annotations

import datetime as dt

from desktop.domain.identity import birth_date_from_id, id_number_problem, normalize_id_number
from desktop.domain.mediation import PartyRecord
from desktop.services import dictionaries
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation.parties import AGENT_RELATIONS, GUARDIAN_RELATIONS, agreement_needs
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import inline_label, line
from desktop.ui.qt import QtWidgets, Signal
from desktop.ui.widgets.date_field import DateField


def _combo(items: tuple[str, ...], text: str | None, placeholder: str) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    combo.setEditable(True)
    combo.addItems(list(items))
    combo.setCurrentText(text or "")
    line_edit = combo.lineEdit()
    if line_edit is not None:
        line_edit.setPlaceholderText(placeholder)
        line_edit.setMaxLength(30)
    return combo


def required(text: str, field: str, kind: str = "PERSON") -> str:
    """``text`` with the asterisk when the agreement needs ``field`` of a party of ``kind`` (the one rule)."""
    return f"{text} *" if any(key == field for key, _ in agreement_needs(kind)) else text


def _grid_box(title: str) -> tuple[QtWidgets.QGroupBox, QtWidgets.QGridLayout]:
    box = QtWidgets.QGroupBox(title)
    grid = QtWidgets.QGridLayout(box)
    grid.setContentsMargins(10, 8, 10, 8)
    grid.setHorizontalSpacing(8)
    grid.setVerticalSpacing(6)
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)
    return box, grid


class PartyForm(QtWidgets.QWidget):
    """The fields of one party; ``fields`` maps service field names to widgets (for inline errors).

    A person has the personal fields, the capacity box and — shown and required when the person is a
    minor on ``day`` (the case's 受理日期, by the birth date, the ID number or the age) or the box is
    ticked — the 法定代理人 group; an organisation has its 法定代表人 and post instead. Anyone may have a
    委托代理人.
    """

    #: the 法定代理人 group was shown or hidden (the dialog may grow to show it whole)
    groups_changed = Signal()

    def __init__(
        self,
        party: PartyRecord | None = None,
        role: str = "APPLICANT",
        parent: QtWidgets.QWidget | None = None,
        *,
        day: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.day = day
        self.role_combo = QtWidgets.QComboBox()
        self.role_combo.addItem(self.tr("申请人"), "APPLICANT")
        self.role_combo.addItem(self.tr("被申请人"), "RESPONDENT")
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(party.role if party else role)))
        self.kind_combo = QtWidgets.QComboBox()
        self.kind_combo.addItem(self.tr("自然人"), "PERSON")
        self.kind_combo.addItem(self.tr("法人或其他组织"), "ORGANISATION")
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(party.kind if party else "PERSON")))
        self.name_edit = line(party.name if party else "", self.tr("姓名或单位名称"), 100)
        self.gender_combo = QtWidgets.QComboBox()
        for g in ("", "男", "女"):
            self.gender_combo.addItem(g or self.tr("请选择"), g or None)
        self.gender_combo.setMinimumContentsLength(5)
        if party and party.gender:
            self.gender_combo.setCurrentIndex(self.gender_combo.findData(party.gender))
        self.ethnicity_combo = QtWidgets.QComboBox()
        self.ethnicity_combo.setEditable(True)
        self.ethnicity_combo.addItems(list(dictionaries.ETHNICITIES))
        self.ethnicity_combo.setCurrentText(party.ethnicity if party and party.ethnicity else "汉族")
        self.birth_edit = DateField(party.birth_date if party else None, optional=True)
        self.age_spin = QtWidgets.QSpinBox()
        self.age_spin.setRange(0, 130)
        self.age_spin.setSpecialValueText(self.tr("未填写"))
        self.age_spin.setValue(party.age or 0 if party else 0)
        self.id_edit = line(
            party.id_number if party else "", self.tr("18 位，填写后自动带出性别和出生日期"), 18
        )
        self.occupation_edit = line(
            party.occupation if party else "", self.tr("例如：退休工人、个体经营"), 60
        )
        self.phone_edit = line(party.phone if party else "", self.tr("手机或带区号的固定电话"), 30)
        self.address_edit = line(party.address if party else "", self.tr("住址或单位地址"), 200)
        self.rep_edit = line(party.legal_rep if party else "", self.tr("法定代表人或负责人姓名"), 50)
        self.rep_title_edit = line(party.legal_rep_title if party else "", self.tr("职务，如总经理"), 30)
        self.capacity_check = QtWidgets.QCheckBox(self.tr("无民事行为能力或限制民事行为能力"))
        self.capacity_check.setChecked(bool(party and party.lacks_capacity))
        self.capacity_check.setToolTip(
            self.tr("未满 18 周岁的当事人按出生日期自动认定；成年人经认定不能完全辨认自己行为的，请勾选")
        )
        g = party
        self.guardian_name_edit = line(g.guardian_name if g else "", self.tr("姓名"), 50)
        self.guardian_relation_combo = _combo(
            GUARDIAN_RELATIONS, g.guardian_relation if g else "", self.tr("如父亲、母亲")
        )
        self.guardian_id_edit = line(g.guardian_id_number if g else "", self.tr("18 位公民身份号码"), 18)
        self.guardian_phone_edit = line(g.guardian_phone if g else "", self.tr("手机或固定电话"), 30)
        self.guardian_box, grid = _grid_box(
            self.tr("法定代理人（当事人为未成年人或无/限制民事行为能力人时必填）")
        )
        grid.addWidget(QtWidgets.QLabel(self.tr("姓名 *")), 0, 0)
        grid.addWidget(self.guardian_name_edit, 0, 1)
        grid.addWidget(QtWidgets.QLabel(self.tr("与当事人关系 *")), 0, 2)
        grid.addWidget(self.guardian_relation_combo, 0, 3)
        grid.addWidget(QtWidgets.QLabel(self.tr("身份证号 *")), 1, 0)
        grid.addWidget(self.guardian_id_edit, 1, 1)
        grid.addWidget(QtWidgets.QLabel(self.tr("电话")), 1, 2)
        grid.addWidget(self.guardian_phone_edit, 1, 3)
        self.agent_edit = line(g.agent if g else "", self.tr("姓名（如有）"), 200)
        self.agent_relation_combo = _combo(
            AGENT_RELATIONS, g.agent_relation if g else "", self.tr("如近亲属、律师")
        )
        self.agent_id_edit = line(g.agent_id_number if g else "", self.tr("18 位公民身份号码"), 18)
        self.agent_phone_edit = line(g.agent_phone if g else "", self.tr("手机或固定电话"), 30)
        self.agent_box, grid = _grid_box(self.tr("委托代理人（受托人，如有）"))
        grid.addWidget(QtWidgets.QLabel(self.tr("姓名")), 0, 0)
        grid.addWidget(self.agent_edit, 0, 1)
        grid.addWidget(QtWidgets.QLabel(self.tr("身份或关系")), 0, 2)
        grid.addWidget(self.agent_relation_combo, 0, 3)
        grid.addWidget(QtWidgets.QLabel(self.tr("身份证号")), 1, 0)
        grid.addWidget(self.agent_id_edit, 1, 1)
        grid.addWidget(QtWidgets.QLabel(self.tr("电话")), 1, 2)
        grid.addWidget(self.agent_phone_edit, 1, 3)

        form = QtWidgets.QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.role_combo)
        top.addWidget(self.kind_combo)
        top.addStretch(1)
        form.addRow(self.tr("身份"), top)
        form.addRow(self.tr("姓名/名称 *"), self.name_edit)
        person = QtWidgets.QHBoxLayout()
        person.addWidget(self.gender_combo)
        person.addWidget(inline_label(required(self.tr("民族"), "ethnicity")))
        person.addWidget(self.ethnicity_combo)
        # 性别 and 出生日期 are required unless a valid 公民身份号码 gives them (the asterisks follow)
        self.birth_label = inline_label(self.tr("出生日期"))
        person.addWidget(self.birth_label)
        person.addWidget(self.birth_edit)
        person.addWidget(inline_label(self.tr("或年龄")))
        person.addWidget(self.age_spin)
        person.addStretch(1)
        self.person_label = QtWidgets.QLabel(self.tr("性别"))
        person_rows = [form.rowCount()]
        form.addRow(self.tr("公民身份号码"), self.id_edit)
        person_rows.append(form.rowCount())
        form.addRow(self.person_label, person)
        person_rows.append(form.rowCount())
        form.addRow(required(self.tr("职业或职务"), "occupation"), self.occupation_edit)
        form.addRow(required(self.tr("联系电话"), "phone"), self.phone_edit)
        self.address_label = QtWidgets.QLabel(required(self.tr("住址"), "address"))
        form.addRow(self.address_label, self.address_edit)
        rep = QtWidgets.QHBoxLayout()
        rep.addWidget(self.rep_edit, 2)
        rep.addWidget(inline_label(self.tr("职务 *")))
        rep.addWidget(self.rep_title_edit, 1)
        self.rep_label = QtWidgets.QLabel(required(self.tr("法定代表人"), "legal_rep", "ORGANISATION"))
        self._rep_row = form.rowCount()
        form.addRow(self.rep_label, rep)
        person_rows.append(form.rowCount())
        form.addRow(self.tr("行为能力"), self.capacity_check)
        form.addRow(self.guardian_box)
        form.addRow(self.agent_box)
        self._form = form
        self._person_rows = tuple(person_rows)  # 公民身份号码, 性别…年龄, 职业, 行为能力
        self.fields: dict[str, QtWidgets.QWidget] = {
            "name": self.name_edit,
            "gender": self.gender_combo,
            "birth_date": self.birth_edit,
            "age": self.age_spin,
            "id_number": self.id_edit,
            "phone": self.phone_edit,
            "address": self.address_edit,
            "legal_rep": self.rep_edit,
            "legal_rep_title": self.rep_title_edit,
            "occupation": self.occupation_edit,
            "lacks_capacity": self.capacity_check,
            "guardian_name": self.guardian_name_edit,
            "guardian_relation": self.guardian_relation_combo,
            "guardian_id_number": self.guardian_id_edit,
            "guardian_phone": self.guardian_phone_edit,
            "agent": self.agent_edit,
            "agent_relation": self.agent_relation_combo,
            "agent_id_number": self.agent_id_edit,
            "agent_phone": self.agent_phone_edit,
        }
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.capacity_check.toggled.connect(self._on_capacity_check_toggled)
        self.birth_edit.changed.connect(self._on_birth_edit_changed)
        self.age_spin.valueChanged.connect(self._on_age_spin_value_changed)
        self.id_edit.textChanged.connect(self._on_id_edit_text_changed)
        self._on_kind_combo_current_index_changed()

    # ---------------------------------------------------------------- who acts for the party

    def set_day(self, day: dt.date | None) -> None:
        """The case's 受理日期, on which a minor is told from an adult."""
        self.day = day
        self._update_groups()

    def is_person(self) -> bool:
        return self.kind_combo.currentData() == "PERSON"

    def needs_guardian(self) -> bool:
        """A person marked as lacking capacity, or a minor on the 受理日期 (birth date, ID number or age)."""
        number = normalize_id_number(self.id_edit.text())
        birth = self.birth_edit.value()
        if birth is None and id_number_problem(number) is None:
            birth = birth_date_from_id(number)
        typed = PartyRecord(
            0,
            0,
            self.role_combo.currentData(),
            self.kind_combo.currentData(),
            self.name_edit.text(),
            birth_date=birth,
            age=self.age_spin.value() or None,
            lacks_capacity=self.capacity_check.isChecked(),
        )
        if self.day is None:
            return typed.is_person and typed.lacks_capacity
        return typed.needs_guardian_on(self.day)

    def _update_groups(self) -> None:
        shown = self.needs_guardian()
        if shown != self.guardian_box.isVisibleTo(self):
            self.guardian_box.setVisible(shown)
            self.groups_changed.emit()

    def _on_kind_combo_current_index_changed(self, *_a: object) -> None:
        person = self.is_person()
        for row in self._person_rows:
            self._form.setRowVisible(row, person)
        self._form.setRowVisible(self._rep_row, not person)
        self._update_labels()
        self._update_groups()

    def _on_capacity_check_toggled(self, *_a: object) -> None:
        self._update_groups()

    def _on_birth_edit_changed(self, *_a: object) -> None:
        self._update_groups()

    def _on_age_spin_value_changed(self, *_a: object) -> None:
        self._update_groups()

    def _on_id_edit_text_changed(self, *_a: object) -> None:
        self._update_labels()
        self._update_groups()

    def _update_labels(self) -> None:
        """性别 * and 出生日期 * when no valid 公民身份号码 gives them; 住址 or 单位地址 by the kind."""
        number = normalize_id_number(self.id_edit.text())
        given = bool(number) and id_number_problem(number) is None
        self.person_label.setText(self.tr("性别") if given else required(self.tr("性别"), "gender"))
        self.birth_label.setText(
            self.tr("出生日期") if given else required(self.tr("出生日期"), "birth_date")
        )
        kind = str(self.kind_combo.currentData())
        self.address_label.setText(
            required(self.tr("住址") if self.is_person() else self.tr("单位地址"), "address", kind)
        )

    def party_input(self) -> med.PartyInput:
        person, guardian = self.is_person(), self.needs_guardian()
        return med.PartyInput(
            name=self.name_edit.text(),
            role=self.role_combo.currentData(),
            kind=self.kind_combo.currentData(),
            gender=self.gender_combo.currentData() if person else None,
            ethnicity=self.ethnicity_combo.currentText() if person else None,
            birth_date=self.birth_edit.value() if person else None,
            age=(self.age_spin.value() or None) if person else None,
            occupation=self.occupation_edit.text() if person else None,
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            id_number=self.id_edit.text() if person else None,
            legal_rep=None if person else self.rep_edit.text(),
            legal_rep_title=None if person else self.rep_title_edit.text(),
            agent=self.agent_edit.text(),
            agent_relation=self.agent_relation_combo.currentText(),
            agent_id_number=self.agent_id_edit.text(),
            agent_phone=self.agent_phone_edit.text(),
            lacks_capacity=person and self.capacity_check.isChecked(),
            guardian_name=self.guardian_name_edit.text() if guardian else None,
            guardian_relation=self.guardian_relation_combo.currentText() if guardian else None,
            guardian_id_number=self.guardian_id_edit.text() if guardian else None,
            guardian_phone=self.guardian_phone_edit.text() if guardian else None,
        )


class MediationPartyDialog(FormDialog):
    """Add a party to a case, or edit one."""

    def __init__(
        self,
        ctx: ServiceContext,
        case_id: int,
        party: PartyRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
        *,
        accepted_on: dt.date | None = None,
    ) -> None:
        title = self.tr("编辑当事人 {0}").format(party.name) if party else self.tr("添加当事人")
        super().__init__(title, parent=parent, ctx=ctx, width=640)
        self.case_id, self.party = case_id, party
        if accepted_on is None:
            accepted_on = med.get_case(ctx, case_id).accepted_on
        self.party_form = PartyForm(party, "RESPONDENT", day=accepted_on)
        self.body.insertWidget(0, self.party_form)
        self.party_form.groups_changed.connect(self._on_party_form_groups_changed)
        self.fields = dict(self.party_form.fields)
        self.finish_form()

    def submit(self) -> None:
        p = self.party
        med.save_party(
            self.ctx,
            self.case_id,
            self.party_form.party_input(),
            p.id if p else None,
            p.version if p else None,
        )

    def report_error(self, exc: Exception) -> None:
        super().report_error(exc)
        widget = self.fields.get(self.errors.field or "")
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget)

    def _on_party_form_groups_changed(self) -> None:
        self.grow_to_fit()
