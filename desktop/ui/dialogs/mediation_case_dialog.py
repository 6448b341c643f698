"""受理登记: a new mediation case with its parties, or the intake facts of an existing one."""

from __future__ import annotations

import datetime as dt
import decimal

from desktop.core.errors import ValidationError
from desktop.domain.mediation import SOURCE_LABELS, CaseRecord
from desktop.services import mediation as med
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.services.mediation.cases import PARTY_DETAIL
from desktop.services.mediation.parties import clean_party
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import inline_label, line, text_box
from desktop.ui.dialogs.mediation_party_dialog import PartyForm
from desktop.ui.qt import QtGui, QtWidgets
from desktop.ui.widgets.date_field import DateField


class MediationCaseDialog(FormDialog):
    """``saved_case_no`` holds the case number once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("编辑受理信息 {0}").format(case.case_no) if case else self.tr("受理登记"),
            parent=parent,
            ctx=ctx,
            width=760,
            today=today,
        )
        self.case = case
        self.saved_case_no: str | None = None
        self.committee_combo = QtWidgets.QComboBox()
        for c in med.list_committees(ctx):
            self.committee_combo.addItem(c.name, c.id)
        if case:
            self.committee_combo.setCurrentIndex(max(0, self.committee_combo.findData(case.committee.id)))
            self.committee_combo.setEnabled(False)
        self.accepted_edit = DateField(case.accepted_on if case else None, today=self.today)
        self.source_combo = QtWidgets.QComboBox()
        for code in ("APPLICATION", "OWN_INITIATIVE", "REFERRAL"):
            self.source_combo.addItem(self.tr(SOURCE_LABELS[code]), code)
        if case:
            self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(case.source)))
        self.referred_edit = line(
            case.referred_by if case else "", self.tr("委托或移送单位（委托移送调解时必填）"), 100
        )
        self.types = med.dispute_types(ctx)
        self.type_combo = QtWidgets.QComboBox()
        for t in self.types:
            self.type_combo.addItem(t.label, t.code)
        self.subtype_combo = QtWidgets.QComboBox()
        self.subtype_combo.setEditable(True)
        self.subtype_combo.setMinimumWidth(120)
        if case:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(case.dispute_type)))
        self._fill_subtypes()
        self.subtype_combo.setCurrentText(case.dispute_subtype or "" if case else "")
        self.summary_edit = text_box(
            case.summary if case else "", 70, self.tr("纠纷的起因、经过、双方的主要分歧")
        )
        self.requests_edit = text_box(
            case.requests if case else "", 46, self.tr("申请事项，每行一项（申请调解时填写）")
        )
        self.amount_spin = QtWidgets.QDoubleSpinBox()
        self.amount_spin.setRange(0, 1e10)
        self.amount_spin.setDecimals(2)
        self.amount_spin.setGroupSeparatorShown(True)
        self.amount_spin.setSpecialValueText(self.tr("未填写"))
        self.amount_spin.setSuffix(self.tr(" 元"))
        self.amount_spin.setValue(float(case.amount_involved or 0) if case else 0)
        self.mediator_combo = QtWidgets.QComboBox()
        self.assistant_edit = line(
            case.assistant_mediators if case else "", self.tr("协助调解员，多人用“、”分隔"), 200
        )
        self.recorder_edit = line(case.recorder if case else "", self.tr("记录人"), 50)
        self.registrar_edit = line(case.registrar if case else "", self.tr("登记人"), 50)
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.addItem(self.tr("（不指定）"), None)
        for c in structure.list_communities(ctx):
            self.community_combo.addItem(c.name, c.id)
        self.grid_combo = QtWidgets.QComboBox()
        self.grids = structure.list_grids(ctx)
        if case and case.community_id:
            self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(case.community_id)))
        self._fill_grids()
        if case and case.grid_id:
            self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(case.grid_id)))
        self._fill_mediators()

        row1 = QtWidgets.QHBoxLayout()
        row1.addWidget(self.accepted_edit)
        row1.addSpacing(10)
        row1.addWidget(inline_label(self.tr("案件来源")))
        row1.addWidget(self.source_combo)
        row1.addWidget(self.referred_edit, 1)
        row2 = QtWidgets.QHBoxLayout()
        row2.addWidget(self.type_combo, 1)
        row2.addWidget(inline_label(self.tr("子类")))
        row2.addWidget(self.subtype_combo)
        row2.addSpacing(10)
        row2.addWidget(inline_label(self.tr("申请涉及金额")))
        row2.addWidget(self.amount_spin)
        row3 = QtWidgets.QHBoxLayout()
        row3.addWidget(self.mediator_combo)
        row3.addWidget(self.assistant_edit, 1)
        row4 = QtWidgets.QHBoxLayout()
        row4.addWidget(self.recorder_edit)
        row4.addWidget(inline_label(self.tr("登记人")))
        row4.addWidget(self.registrar_edit)
        row5 = QtWidgets.QHBoxLayout()
        row5.addWidget(self.community_combo, 1)
        row5.addWidget(inline_label(self.tr("网格")))
        row5.addWidget(self.grid_combo, 1)
        self.form.addRow(self.tr("人民调解委员会"), self.committee_combo)
        self.form.addRow(self.tr("受理日期 *"), row1)
        self.form.addRow(self.tr("纠纷类型 *"), row2)
        self.form.addRow(self.tr("纠纷简要情况 *"), self.summary_edit)
        self.form.addRow(self.tr("申请事项"), self.requests_edit)
        self.form.addRow(self.tr("主持调解员"), row3)
        self.form.addRow(self.tr("记录人"), row4)
        self.form.addRow(self.tr("所属社区"), row5)
        self.fields = {
            "committee_id": self.committee_combo,
            "accepted_on": self.accepted_edit,
            "source": self.source_combo,
            "referred_by": self.referred_edit,
            "dispute_type": self.type_combo,
            "summary": self.summary_edit,
            "amount_involved": self.amount_spin,
            "mediator_id": self.mediator_combo,
            "grid_id": self.grid_combo,
        }
        if case is not None:
            self.extended_edit = DateField(case.extended_until, optional=True, today=self.today)
            self.extension_edit = line(
                case.extension_reason or "", self.tr("经双方当事人同意延长的情况"), 200
            )
            ext = QtWidgets.QHBoxLayout()
            ext.addWidget(self.extended_edit)
            ext.addWidget(self.extension_edit, 1)
            self.form.addRow(self.tr("延长调解期限至"), ext)
            self.fields.update(extended_until=self.extended_edit, extension_reason=self.extension_edit)
        self.case_fields = dict(self.fields)
        self.party_tabs: QtWidgets.QTabWidget | None = None
        self.party_forms: list[PartyForm] = []
        if case is None:
            self.party_tabs = QtWidgets.QTabWidget()
            for role in ("APPLICANT", "RESPONDENT"):
                self.add_party_form(role)
            add = QtWidgets.QPushButton(self.tr("再添加一方当事人"))
            add.clicked.connect(lambda: self.add_party_form("RESPONDENT"))
            title = QtWidgets.QLabel(self.tr("当事人"))
            title.setObjectName("sectionTitle")
            head = QtWidgets.QHBoxLayout()
            head.addWidget(title)
            head.addStretch(1)
            head.addWidget(add)
            self.body.addLayout(head)
            self.body.addWidget(self.party_tabs)
            self.party_tabs.setCurrentIndex(0)  # the form opens on 当事人1
        self.finish_form()
        self.committee_combo.currentIndexChanged.connect(self._fill_mediators)
        self.type_combo.currentIndexChanged.connect(self._fill_subtypes)
        self.community_combo.currentIndexChanged.connect(self._fill_grids)
        self.accepted_edit.changed.connect(self._on_accepted_edit_changed)
        if self.committee_combo.count() == 0:
            assert self.errors is not None
            self.errors.show_message(self.tr("还没有人民调解委员会，请先在“设置 → 调委会设置”中建立。"))
            self.ok_button.setEnabled(False)

    def add_party_form(self, role: str) -> PartyForm:
        assert self.party_tabs is not None
        form = PartyForm(None, role, day=self.accepted_edit.value() or self.today)
        layout = form.layout()
        if layout is not None:  # inside the tab's frame: a margin, as a group box has
            layout.setContentsMargins(10, 10, 10, 10)
        self.party_forms.append(form)
        n = len(self.party_forms)
        self.party_tabs.addTab(form, self.tr("当事人{0}").format(n))
        self.party_tabs.setCurrentWidget(form)
        if self.isVisible():
            self.order_tabs()
        return form

    def _on_accepted_edit_changed(self) -> None:
        for form in self.party_forms:  # a minor is told on the 受理日期
            form.set_day(self.accepted_edit.value() or self.today)

    def _fill_subtypes(self, *_a: object) -> None:
        current = self.subtype_combo.currentText()
        self.subtype_combo.clear()
        self.subtype_combo.addItem("")
        code = self.type_combo.currentData()
        for t in self.types:
            if t.code == code:
                self.subtype_combo.addItems(list(t.subtypes))
        self.subtype_combo.setCurrentText(current if self.subtype_combo.findText(current) >= 0 else "")

    def _fill_mediators(self, *_a: object) -> None:
        self.mediator_combo.clear()
        self.mediator_combo.addItem(self.tr("（未指定）"), None)
        cid = self.committee_combo.currentData()
        for m in med.list_mediators(self.ctx, cid, active_only=True) if cid is not None else []:
            self.mediator_combo.addItem(m.name, m.id)
        if self.case and self.case.mediator_id:
            self.mediator_combo.setCurrentIndex(max(0, self.mediator_combo.findData(self.case.mediator_id)))
        elif self.mediator_combo.count() > 1:
            self.mediator_combo.setCurrentIndex(1)

    def _fill_grids(self, *_a: object) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（不指定）"), None)
        cid = self.community_combo.currentData()
        for g in self.grids:
            if g.community_id == cid:
                self.grid_combo.addItem(f"{g.code} {g.name}", g.id)

    def case_input(self) -> med.CaseInput:
        amount = self.amount_spin.value()
        c = self.case
        return med.CaseInput(
            committee_id=self.committee_combo.currentData(),
            accepted_on=self.accepted_edit.value(),
            source=self.source_combo.currentData(),
            dispute_type=self.type_combo.currentData() or "",
            summary=self.summary_edit.toPlainText(),
            dispute_subtype=self.subtype_combo.currentText() or None,
            referred_by=self.referred_edit.text(),
            requests=self.requests_edit.toPlainText(),
            amount_involved=decimal.Decimal(str(round(amount, 2))) if amount else None,
            mediator_id=self.mediator_combo.currentData(),
            assistant_mediators=self.assistant_edit.text(),
            recorder=self.recorder_edit.text(),
            registrar=self.registrar_edit.text(),
            community_id=self.community_combo.currentData(),
            grid_id=self.grid_combo.currentData(),
            notes=c.notes if c else None,
            extended_until=self.extended_edit.value() if c else None,
            extension_reason=self.extension_edit.text() if c else None,
            parties=[f.party_input() for f in self.party_forms],
        )

    def party_problems(self) -> dict[int, str]:
        """Each party's own error (its number → message), checked by the service's rule before saving."""
        day = self.accepted_edit.value() or self.today
        assert self.today is not None
        problems: dict[int, str] = {}
        for n, form in enumerate(self.party_forms, start=1):
            try:
                clean_party(form.party_input(), n, today=self.today, day=day)
            except ValidationError as exc:
                problems[n] = exc.message
        return problems

    def mark_party_tabs(self, problems: dict[int, str]) -> None:
        """The tabs of the parties in error in red with a 「!」 and the message as their tooltip."""
        if self.party_tabs is None:
            return
        bar = self.party_tabs.tabBar()
        for n in range(1, len(self.party_forms) + 1):
            wrong = n in problems
            self.party_tabs.setTabText(n - 1, self.tr("当事人{0}").format(n) + (" !" if wrong else ""))
            self.party_tabs.setTabToolTip(n - 1, problems.get(n, ""))
            bar.setTabTextColor(
                n - 1, QtGui.QColor("#b3261e") if wrong else self.palette().windowText().color()
            )

    def report_error(self, exc: Exception) -> None:
        """A party's error opens that party's tab and outlines its field there; every party tab in error
        is marked."""
        detail = getattr(exc, "detail", None) or ""
        if self.party_tabs is not None:
            problems = self.party_problems()
            if detail.startswith(PARTY_DETAIL):
                problems.setdefault(int(detail.removeprefix(PARTY_DETAIL)), getattr(exc, "message", ""))
            self.mark_party_tabs(problems)
        if self.party_tabs is not None and detail.startswith(PARTY_DETAIL):
            n = int(detail.removeprefix(PARTY_DETAIL))
            if 1 <= n <= len(self.party_forms):
                form = self.party_forms[n - 1]
                self.party_tabs.setCurrentWidget(form)
                self.fields = {**self.case_fields, **form.fields}
                self.finish_form()
        super().report_error(exc)
        widget = self.fields.get(self.errors.field or "")
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget)

    def submit(self) -> None:
        if self.party_tabs is not None:
            self.mark_party_tabs({})
        if self.case is None:
            self.saved_case_no = med.create_case(self.ctx, self.case_input())
        else:
            med.update_case(self.ctx, self.case.id, self.case.version, self.case_input())
            self.saved_case_no = self.case.case_no
