"""调解协议: written or oral, the facts, the numbered terms, how/where/by when, signatures and seal."""

from __future__ import annotations

import datetime as dt

from desktop.domain.mediation import CaseRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line, text_box
from desktop.ui.models.mediation_term_model import MediationTermTableModel, TermRow
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField
from desktop.ui.widgets.multiline_delegate import MultiLineDelegate


class MediationAgreementDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("调解协议") + f" {case.case_no}", parent=parent, ctx=ctx, width=1080, today=today
        )
        self.case = case
        a = case.agreement
        self.written_radio = QtWidgets.QRadioButton(self.tr("书面协议（人民调解协议书）"))
        self.oral_radio = QtWidgets.QRadioButton(self.tr("口头协议（登记）"))
        (self.oral_radio if a and a.oral else self.written_radio).setChecked(True)
        form_row = QtWidgets.QHBoxLayout()
        form_row.addWidget(self.written_radio)
        form_row.addWidget(self.oral_radio)
        form_row.addStretch(1)
        self.made_edit = DateField(a.made_on if a else None, today=self.today)
        copies = QtWidgets.QLabel(
            self.tr("一式 {0} 份（当事人 {1} 方 + 调委会 1 份）").format(
                len(case.parties) + 1, len(case.parties)
            )
        )
        copies.setObjectName("figureDetail")
        made = QtWidgets.QHBoxLayout()
        made.addWidget(self.made_edit)
        made.addSpacing(12)
        made.addWidget(copies)
        made.addStretch(1)
        self.facts_edit = text_box(a.facts if a else case.summary, 60)
        self.facts_edit.setMaximumHeight(130)
        self.disputes_edit = line(a.disputes if a else "", self.tr("争议事项"), 500)
        self.resp_edit = line(a.responsibilities if a else "", self.tr("各方责任"), 500)
        self.terms = MediationTermTableModel(
            [TermRow(t.text, t.amount, t.due_on) for t in a.terms] if a else [TermRow(), TermRow()], self
        )
        self.terms_view = QtWidgets.QTableView()
        self.terms_view.setModel(self.terms)
        self.terms_view.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.terms_view.horizontalHeader().resizeSection(1, 110)
        self.terms_view.horizontalHeader().resizeSection(2, 110)
        self.terms_view.setMinimumHeight(170)
        self.terms_view.verticalHeader().setDefaultSectionSize(28)
        # a clause runs to several lines: shown wrapped (each row as tall as its text), edited in a
        # wrapping editor of several lines
        self.terms_view.setWordWrap(True)
        self.terms_view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.terms_view.setItemDelegateForColumn(0, MultiLineDelegate(self.terms_view))
        self.terms_view.setToolTip(self.tr("双击条款编辑；回车换行，Tab 或 Ctrl+回车 完成"))
        add, remove = QtWidgets.QPushButton(self.tr("添加条款")), QtWidgets.QPushButton(self.tr("删除条款"))
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        term_buttons = QtWidgets.QHBoxLayout()
        term_buttons.addWidget(add)
        term_buttons.addWidget(remove)
        term_buttons.addStretch(1)
        terms_box = QtWidgets.QVBoxLayout()
        terms_box.addWidget(self.terms_view)
        terms_box.addLayout(term_buttons)
        self.manner_edit = line(
            a.performance_manner if a else "", self.tr("例如：现金一次性支付、银行转账"), 200
        )
        self.place_edit = line(a.performance_place if a else f"{case.committee.name}", "", 200)
        self.deadline_edit = DateField(a.performance_deadline if a else None, optional=True, today=self.today)
        self.parties_check = QtWidgets.QCheckBox(self.tr("各方当事人已签名（盖章或按指印）"))
        self.mediator_check = QtWidgets.QCheckBox(self.tr("人民调解员已签名"))
        self.seal_check = QtWidgets.QCheckBox(self.tr("已加盖人民调解委员会印章"))
        if a:
            self.parties_check.setChecked(a.signed_by_parties)
            self.mediator_check.setChecked(a.signed_by_mediator)
            self.seal_check.setChecked(a.sealed)
        self.effective_edit = DateField(a.effective_on if a else None, optional=True, today=self.today)
        signs = QtWidgets.QVBoxLayout()
        for w in (self.parties_check, self.mediator_check, self.seal_check):
            signs.addWidget(w)
        # two columns, so that the whole agreement shows on a 1366×768 screen: what was agreed on the
        # left, how it is performed and signed on the right
        right = self.second_column()
        self.columns.setStretch(0, 3)  # the facts and the terms take the wider column
        self.columns.setStretch(1, 2)
        rows: tuple[tuple[QtWidgets.QFormLayout, str, QtWidgets.QWidget | QtWidgets.QLayout], ...] = (
            (self.form, self.tr("协议形式"), form_row),
            (self.form, self.tr("协议日期 *"), made),
            (self.form, self.tr("纠纷主要事实 *"), self.facts_edit),
            (self.form, self.tr("争议事项"), self.disputes_edit),
            (self.form, self.tr("各方责任"), self.resp_edit),
            (self.form, self.tr("协议内容 *"), terms_box),
            (right, self.tr("履行方式 *"), self.manner_edit),
            (right, self.tr("履行地点 *"), self.place_edit),
            (right, self.tr("履行期限 *"), self.deadline_edit),
            (right, self.tr("签名盖章"), signs),
            (right, self.tr("生效日期"), self.effective_edit),
        )
        for form, label, w in rows:
            if isinstance(w, QtWidgets.QLayout):
                form.addRow(label, w)
            else:
                form.addRow(label, w)
        hint = QtWidgets.QLabel(
            self.tr(
                "书面协议在各方签名、调解员签名并加盖印章后生效，生效日期默认为协议日期；口头协议自达成之日起生效。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        right.addRow("", hint)
        self.fields = {
            "made_on": self.made_edit,
            "facts": self.facts_edit,
            "terms": self.terms_view,
            "performance_manner": self.manner_edit,
            "performance_place": self.place_edit,
            "performance_deadline": self.deadline_edit,
            "effective_on": self.effective_edit,
        }
        self.oral_radio.toggled.connect(self._on_oral_radio_toggled)
        self._on_oral_radio_toggled(self.oral_radio.isChecked())
        self.finish_form()

    def _on_oral_radio_toggled(self, oral: bool) -> None:
        for w in (self.parties_check, self.mediator_check, self.seal_check, self.effective_edit):
            w.setEnabled(not oral)

    def _on_add_clicked(self) -> None:
        row = self.terms.add_row()
        self.terms_view.setCurrentIndex(self.terms.index(row, 0))

    def _on_remove_clicked(self) -> None:
        self.terms.remove_row(self.terms_view.currentIndex().row())

    def agreement_input(self) -> med.AgreementInput:
        return med.AgreementInput(
            made_on=self.made_edit.value(),
            facts=self.facts_edit.toPlainText(),
            terms=[med.TermInput(r.text, r.amount, r.due_on) for r in self.terms.rows()],
            oral=self.oral_radio.isChecked(),
            disputes=self.disputes_edit.text(),
            responsibilities=self.resp_edit.text(),
            performance_manner=self.manner_edit.text(),
            performance_place=self.place_edit.text(),
            performance_deadline=self.deadline_edit.value(),
            signed_by_parties=self.parties_check.isChecked(),
            signed_by_mediator=self.mediator_check.isChecked(),
            sealed=self.seal_check.isChecked(),
            effective_on=self.effective_edit.value(),
        )

    def submit(self) -> None:
        a = self.case.agreement
        med.save_agreement(self.ctx, self.case.id, self.agreement_input(), a.version if a else None)
