"""A party of a mediation case (当事人): a person or an organisation, applicant or respondent."""

from __future__ import annotations

from desktop.domain.mediation import PartyRecord
from desktop.services import dictionaries
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import inline_label, line
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyForm(QtWidgets.QWidget):
    """The fields of one party; ``fields`` maps service field names to widgets (for inline errors)."""

    def __init__(
        self,
        party: PartyRecord | None = None,
        role: str = "APPLICANT",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
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
        self.rep_title_edit = line(party.legal_rep_title if party else "", self.tr("职务"), 30)
        self.agent_edit = line(
            party.agent if party else "", self.tr("委托代理人姓名、身份、联系方式（如有）"), 200
        )
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
        person.addWidget(inline_label(self.tr("民族")))
        person.addWidget(self.ethnicity_combo)
        person.addWidget(inline_label(self.tr("出生日期")))
        person.addWidget(self.birth_edit)
        person.addWidget(inline_label(self.tr("或年龄")))
        person.addWidget(self.age_spin)
        person.addStretch(1)
        self.person_label = QtWidgets.QLabel(self.tr("性别"))
        form.addRow(self.person_label, person)
        form.addRow(self.tr("公民身份号码"), self.id_edit)
        form.addRow(self.tr("职业或职务"), self.occupation_edit)
        form.addRow(self.tr("联系电话"), self.phone_edit)
        form.addRow(self.tr("住址 *"), self.address_edit)
        rep = QtWidgets.QHBoxLayout()
        rep.addWidget(self.rep_edit, 2)
        rep.addWidget(self.rep_title_edit, 1)
        self.rep_label = QtWidgets.QLabel(self.tr("法定代表人 *"))
        form.addRow(self.rep_label, rep)
        form.addRow(self.tr("委托代理人"), self.agent_edit)
        self._form = form
        self.fields: dict[str, QtWidgets.QWidget] = {
            "name": self.name_edit,
            "gender": self.gender_combo,
            "birth_date": self.birth_edit,
            "age": self.age_spin,
            "id_number": self.id_edit,
            "phone": self.phone_edit,
            "address": self.address_edit,
            "legal_rep": self.rep_edit,
            "occupation": self.occupation_edit,
        }
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self._on_kind_combo_current_index_changed()

    def _on_kind_combo_current_index_changed(self, *_a: object) -> None:
        person = self.kind_combo.currentData() == "PERSON"
        for w in (self.gender_combo, self.ethnicity_combo, self.birth_edit, self.age_spin, self.id_edit):
            w.setEnabled(person)
        for w in (self.rep_edit, self.rep_title_edit):
            w.setEnabled(not person)

    def party_input(self) -> med.PartyInput:
        return med.PartyInput(
            name=self.name_edit.text(),
            role=self.role_combo.currentData(),
            kind=self.kind_combo.currentData(),
            gender=self.gender_combo.currentData(),
            ethnicity=self.ethnicity_combo.currentText(),
            birth_date=self.birth_edit.value(),
            age=self.age_spin.value() or None,
            occupation=self.occupation_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            id_number=self.id_edit.text(),
            legal_rep=self.rep_edit.text(),
            legal_rep_title=self.rep_title_edit.text(),
            agent=self.agent_edit.text(),
        )


class MediationPartyDialog(FormDialog):
    """Add a party to a case, or edit one."""

    def __init__(
        self,
        ctx: ServiceContext,
        case_id: int,
        party: PartyRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        title = self.tr("编辑当事人 {0}").format(party.name) if party else self.tr("添加当事人")
        super().__init__(title, parent=parent, ctx=ctx, width=640)
        self.case_id, self.party = case_id, party
        self.party_form = PartyForm(party, "RESPONDENT")
        self.body.insertWidget(0, self.party_form)
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
