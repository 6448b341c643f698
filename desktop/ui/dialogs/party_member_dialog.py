"""Register or edit a member (党员), register an 入党申请人, or record a 组织关系转入. Two columns: the person
on the left, the organisation, dates and dues on the right. Errors stay next to the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from desktop.core.errors import ValidationError
from desktop.domain.identity import birth_date_from_id, gender_from_id, id_number_problem, normalize_id_number
from desktop.services import dictionaries, party
from desktop.services.context import ServiceContext
from desktop.services.party.common import (
    DUES_CATEGORY_LABELS,
    EDUCATION_LEVELS,
    MEMBER_STAGES,
    STAGE_LABELS,
    parse_yuan,
)
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField

MEMBER_ORG_KINDS = ("BRANCH", "GENERAL_BRANCH", "COMMITTEE")
MODES = ("new", "edit", "applicant", "transfer_in")


def org_items(
    orgs: Sequence[party.OrgNode], kinds: Sequence[str] = MEMBER_ORG_KINDS
) -> list[tuple[str, object]]:
    """(indented name, id) of the active organisations of ``kinds``, in tree order."""
    return [
        ("　" * max(n.depth - 1, 0) + n.name, n.id) for n in orgs if n.kind in kinds and n.retired_on is None
    ]


class PartyMemberDialog(FormDialog):
    """``mode``: new (a 党员), edit, applicant (入党申请人 with the application step) or transfer_in
    (组织关系转入). ``saved_id`` holds the member's id once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        orgs: Sequence[party.OrgNode],
        mode: str = "new",
        data: party.MemberInput | None = None,
        masked: tuple[str, str] = ("", ""),
        org_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        titles = {"new": self.tr("新增党员"), "edit": self.tr("编辑党员信息"), "applicant": self.tr("新增入党申请人"),
                  "transfer_in": self.tr("组织关系转入")}  # fmt: skip
        notes = {
            "applicant": self.tr("递交入党申请时须年满 18 周岁。登记后在“发展党员”中按程序记录谈话、确定积极分子等步骤。"),
            "transfer_in": self.tr("凭组织关系介绍信登记转入；曾从本街道转出的党员恢复原有记录。"),
            "edit": self.tr("身份证号和电话不修改时请留空（出于保护不显示完整号码）。"),
        }  # fmt: skip
        super().__init__(
            titles[mode], note=notes.get(mode, ""), parent=parent, width=820, ctx=ctx, today=today
        )
        self.ctx, self.mode, self.orgs = ctx, mode, list(orgs)
        self.data = data
        self.saved_id: int | None = None
        self.saved_name = ""
        d = data or party.MemberInput(name="", org_id=org_id or 0)

        # ---------------------------------------------------------------- the person
        self.name_edit = QtWidgets.QLineEdit(d.name)
        self.id_edit = QtWidgets.QLineEdit()
        self.id_edit.setMaxLength(24)
        self.id_edit.setPlaceholderText(
            masked[0] + self.tr("（不修改请留空）") if mode == "edit" else self.tr("18 位，必填")
        )
        self.gender_combo = combo(
            [(self.tr("（按身份证号）"), None), (self.tr("男"), "男"), (self.tr("女"), "女")], d.gender
        )
        self.birth_edit = DateField(
            d.birth_date,
            optional=True,
            empty_text=self.tr("（按身份证号）"),
            today=self.today,
            maximum=self.today,
        )
        self.ethnicity_combo = combo(
            [(e, e) for e in dictionaries.ETHNICITIES], d.ethnicity or "汉族", editable=True
        )
        self.education_combo = combo(
            [("", None)] + [(e, e) for e in EDUCATION_LEVELS], d.education, editable=True
        )
        self.native_edit = QtWidgets.QLineEdit(d.native_place or "")
        self.phone_edit = QtWidgets.QLineEdit()
        self.phone_edit.setPlaceholderText(
            masked[1] + self.tr("（不修改请留空）") if mode == "edit" and masked[1] else ""
        )
        self.address_edit = QtWidgets.QLineEdit(d.address or "")
        self.occupation_edit = QtWidgets.QLineEdit(d.occupation or "")
        self.occupation_edit.setPlaceholderText(self.tr("如：离退休人员、企业职工、个体经营"))
        self.unit_edit = QtWidgets.QLineEdit(d.work_unit or "")
        for key, label, widget in (
            ("name", self.tr("姓名 *"), self.name_edit),
            ("id_number", self.tr("公民身份号码 *"), self.id_edit),
            ("gender", self.tr("性别"), self.gender_combo),
            ("birth_date", self.tr("出生日期"), self.birth_edit),
            ("ethnicity", self.tr("民族"), self.ethnicity_combo),
            ("education", self.tr("学历"), self.education_combo),
            ("native_place", self.tr("籍贯"), self.native_edit),
            ("phone", self.tr("联系电话"), self.phone_edit),
            ("address", self.tr("家庭住址"), self.address_edit),
            ("occupation", self.tr("人员类别/工作岗位"), self.occupation_edit),
            ("work_unit", self.tr("工作单位"), self.unit_edit),
        ):
            self.add_row(key, label, widget)

        # ---------------------------------------------------------------- membership
        right = self.second_column()
        self.org_combo = combo(org_items(self.orgs), d.org_id or org_id)
        self.group_combo = QtWidgets.QComboBox()
        stages = [(STAGE_LABELS[s], s.value) for s in MEMBER_STAGES[::-1]]
        self.stage_combo = combo(stages, d.stage)
        self.stage_combo.setEnabled(mode in ("new", "transfer_in"))
        self.applied_edit = (
            DateField(d.applied_on, today=self.today, maximum=self.today)
            if mode == "applicant"
            else DateField(d.applied_on, optional=True, today=self.today, maximum=self.today)
        )
        self.joined_edit = DateField(d.joined_on, optional=True, today=self.today, maximum=self.today)
        self.confirmed_edit = DateField(d.confirmed_on, optional=True, today=self.today, maximum=self.today)
        self.add_row("org_id", self.tr("所在党组织 *"), self.org_combo, form=right)
        self.add_row("group_id", self.tr("党小组"), self.group_combo, form=right)
        if mode == "applicant":
            self.add_row("applied_on", self.tr("递交申请日期 *"), self.applied_edit, form=right)
        else:
            self.add_row("stage", self.tr("党员类别"), self.stage_combo, form=right)
            self.add_row(
                "joined_on", self.tr("入党日期"), self.joined_edit, self.tr("支部大会通过之日"), form=right
            )
            self.add_row(
                "confirmed_on", self.tr("转正日期"), self.confirmed_edit, self.tr("预备期满之日"), form=right
            )
        self.transfer_date = DateField(today=self.today, maximum=self.today)
        self.transfer_source = QtWidgets.QLineEdit()
        self.transfer_source.setPlaceholderText(self.tr("介绍信开具单位，如：中共兰州市城关区委组织部"))
        self.transfer_letter = QtWidgets.QLineEdit()
        if mode == "transfer_in":
            self.add_row("on_date", self.tr("转入日期 *"), self.transfer_date, form=right)
            self.add_row("counterpart", self.tr("转出党组织 *"), self.transfer_source, form=right)
            self.add_row("letter_no", self.tr("介绍信编号"), self.transfer_letter, form=right)
        dues = [(label, cat.value) for cat, label in DUES_CATEGORY_LABELS.items()]
        self.dues_combo = combo(dues, d.dues_category)
        self.base_edit = QtWidgets.QLineEdit(
            "" if d.dues_base_fen is None else f"{d.dues_base_fen / 100:.2f}"
        )
        self.base_edit.setPlaceholderText(self.tr("每月税后固定收入或养老金（元）"))
        self.notes_edit = QtWidgets.QPlainTextEdit(d.notes or "")
        self.notes_edit.setFixedHeight(56)
        self.notes_edit.setTabChangesFocus(True)
        if mode != "applicant":
            self.add_row("dues_category", self.tr("党费类别"), self.dues_combo, form=right)
            self.add_row("dues_base_fen", self.tr("党费计算基数"), self.base_edit, form=right)
        self.add_row("notes", self.tr("备注"), self.notes_edit, form=right)
        self._fill_groups(d.group_id)
        self.org_combo.currentIndexChanged.connect(self._on_org_combo_current_index_changed)
        self.id_edit.editingFinished.connect(self._on_id_edit_editing_finished)
        self.stage_combo.currentIndexChanged.connect(self._on_stage_combo_current_index_changed)
        self._on_stage_combo_current_index_changed()
        self.name_edit.setFocus()

    def _fill_groups(self, keep: int | None = None) -> None:
        org_id = self.org_combo.currentData()
        groups = [
            (n.name, n.id)
            for n in self.orgs
            if n.parent_id == org_id and n.kind == "GROUP" and n.retired_on is None
        ]
        self.group_combo.clear()
        self.group_combo.addItem(self.tr("（未编入党小组）"), None)
        for text, gid in groups:
            self.group_combo.addItem(text, gid)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(keep), 0) if keep else 0)
        self.group_combo.setEnabled(bool(groups))

    def _on_org_combo_current_index_changed(self, *_a: object) -> None:
        self._fill_groups()

    def _on_stage_combo_current_index_changed(self, *_a: object) -> None:
        self.confirmed_edit.setEnabled(self.stage_combo.currentData() == "FULL")

    def _on_id_edit_editing_finished(self) -> None:
        """A complete, valid number fills in the birth date and sex."""
        value = normalize_id_number(self.id_edit.text())
        if value and id_number_problem(value) is None:
            born = birth_date_from_id(value)
            if born:
                self.birth_edit.set_value(born)
            self.gender_combo.setCurrentIndex(self.gender_combo.findData(gender_from_id(value)))

    # ---------------------------------------------------------------- saving

    def member_input(self) -> party.MemberInput:
        base = parse_yuan(self.base_edit.text(), field="dues_base_fen") if self.mode != "applicant" else None
        d = self.data or party.MemberInput(name="", org_id=0)
        ident = self.id_edit.text().strip()
        phone = self.phone_edit.text().strip()
        return replace(
            d,
            name=self.name_edit.text(),
            org_id=self.org_combo.currentData() or 0,
            id_number=ident or (None if self.mode == "edit" else ""),
            phone=(phone or None) if self.mode == "edit" else phone,
            gender=self.gender_combo.currentData(),
            birth_date=self.birth_edit.value(),
            ethnicity=self.ethnicity_combo.currentText(),
            education=self.education_combo.currentText() or None,
            native_place=self.native_edit.text(),
            address=self.address_edit.text(),
            occupation=self.occupation_edit.text(),
            work_unit=self.unit_edit.text(),
            group_id=self.group_combo.currentData(),
            stage=self.stage_combo.currentData() if self.mode != "applicant" else "APPLICANT",
            joined_on=self.joined_edit.value() if self.mode != "applicant" else None,
            confirmed_on=self.confirmed_edit.value()
            if self.confirmed_edit.isEnabled() and self.mode != "applicant"
            else None,
            dues_category=self.dues_combo.currentData(),
            dues_base_fen=base if self.mode != "applicant" else d.dues_base_fen,
            notes=self.notes_edit.toPlainText(),
        )

    def submit(self) -> None:
        data = self.member_input()
        if not data.org_id:
            raise ValidationError(self.tr("请选择所在党组织。"), field="org_id")
        if self.mode == "applicant":
            self.saved_id = party.start_application(self.ctx, data, self.applied_edit.date().toPython())
        elif self.mode == "transfer_in":
            self.saved_id = party.transfer_in(
                self.ctx,
                data,
                self.transfer_date.date().toPython(),
                self.transfer_source.text(),
                self.transfer_letter.text(),
            )
        else:
            self.saved_id = party.save_member(self.ctx, data)
        self.saved_name = data.name.strip()
