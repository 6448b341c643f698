"""The intake form by keyboard and its party tabs (issue 14: Keyboard and habits; defect 4).

Tab goes top to bottom (each row left to right), Enter saves a valid form and leaves an invalid one open
with its error, Esc cancels; the form opens on 当事人1, marks every party tab in error and opens the first.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from desktop.services import mediation as med
from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog
from desktop.ui.dialogs.mediation_party_dialog import PartyForm
from desktop.ui.qt import QtCore, QtWidgets
from tests.unit.mediation_ledgers import make_id
from tests.unit.test_mediation_helpers import setup_committee

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def intake(qtbot, street_ctx) -> MediationCaseDialog:
    setup_committee(street_ctx)
    dialog = MediationCaseDialog(street_ctx, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _fill(form: PartyForm, name: str, number: str) -> None:
    form.name_edit.setText(name)
    form.id_edit.setText(number)  # gives 性别 and 出生日期
    form.occupation_edit.setText("退休工人")
    form.phone_edit.setText("13809371234")
    form.address_edit.setText("嘉峪关市长城区新华小区3号楼2单元502室")


def _tab_chain(dialog: QtWidgets.QDialog, start: QtWidgets.QWidget, stop: QtWidgets.QWidget) -> list:
    """The widgets Tab visits from ``start`` to ``stop`` (those that take focus by Tab and are shown)."""
    chain, w = [start], start.nextInFocusChain()
    while w is not stop and len(chain) < 200:
        inner = isinstance(w.parentWidget(), (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox))
        takes = w.isVisibleTo(dialog) and w.isEnabled() and w.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus
        if takes and not inner and w.focusProxy() is None:
            chain.append(w)
        w = w.nextInFocusChain()
    return [*chain, stop]


def test_tab_goes_down_the_case_form_row_by_row(intake) -> None:
    d = intake
    chain = _tab_chain(d, d.committee_combo, d.mediator_combo)
    assert chain == [
        d.committee_combo,
        d.accepted_edit,
        d.source_combo,
        d.referred_edit,
        d.type_combo,
        d.subtype_combo,
        d.amount_spin,  # on the 纠纷类型 row: before 纠纷简要情况, where it is shown
        d.summary_edit,
        d.requests_edit,
        d.mediator_combo,
    ]
    # and on through the parties: the tab bar, then 当事人1's fields from the top
    rest = _tab_chain(d, d.grid_combo, d.party_forms[0].name_edit)
    assert (
        rest[-3:-1] == [d.party_tabs.tabBar(), d.party_forms[0].role_combo] or d.party_tabs.tabBar() in rest
    )
    form = d.party_forms[0]
    fields = _tab_chain(d, form.name_edit, form.address_edit)
    assert fields.index(form.id_edit) < fields.index(form.gender_combo) < fields.index(form.occupation_edit)
    ys = [w.mapTo(d, QtCore.QPoint(0, 0)).y() for w in fields]
    assert all(b >= a - 4 for a, b in itertools.pairwise(ys))  # top to bottom (a row: ±4 px)


def test_enter_saves_a_valid_form_and_keeps_an_invalid_one(qtbot, intake, street_ctx) -> None:
    d = intake
    assert d.ok_button.isDefault()
    d.summary_edit.setPlainText("楼上卫生间漏水，损坏楼下天花板。")
    first, second = d.party_forms
    _fill(first, "张建华", make_id(D(1968, 5, 4), 11))
    second.name_edit.setText("李桂芳")
    qtbot.keyClick(second.name_edit, QtCore.Qt.Key.Key_Return)
    assert d.isVisible() and d.result() == 0  # refused: the error is shown, nothing saved
    assert d.error_label.isVisible() and "第 2 位当事人（李桂芳）" in d.error_label.text()
    assert med.list_cases(street_ctx) == []
    _fill(second, "李桂芳", make_id(D(1975, 9, 12), 12, male=False))
    qtbot.keyClick(second.phone_edit, QtCore.Qt.Key.Key_Return)
    assert d.result() == QtWidgets.QDialog.DialogCode.Accepted, d.error_label.text()
    case = med.get_case(street_ctx, d.saved_case_no)
    assert [p.name for p in case.parties] == ["张建华", "李桂芳"]
    assert case.parties[1].gender == "女"


def test_escape_cancels(qtbot, intake) -> None:
    intake.summary_edit.setPlainText("写了一半")
    qtbot.keyClick(intake.referred_edit, QtCore.Qt.Key.Key_Escape)
    assert intake.result() == QtWidgets.QDialog.DialogCode.Rejected and not intake.isVisible()


def test_the_form_opens_on_the_first_party_and_marks_every_party_in_error(qtbot, intake) -> None:
    d = intake
    assert d.party_tabs.currentIndex() == 0  # 当事人1, not the last tab added
    d.summary_edit.setPlainText("楼上卫生间漏水，损坏楼下天花板。")
    first, second = d.party_forms
    first.name_edit.setText("张建华")  # both parties lack what the agreement needs
    second.name_edit.setText("李桂芳")
    d.party_tabs.setCurrentIndex(1)
    d.ok_button.click()
    assert d.result() == 0
    assert d.party_tabs.currentIndex() == 0  # the first party in error is opened
    assert d.party_tabs.tabText(0).endswith("!") and d.party_tabs.tabText(1).endswith("!")
    assert "李桂芳" in d.party_tabs.tabToolTip(1)
    _fill(first, "张建华", make_id(D(1968, 5, 4), 11))
    d.ok_button.click()
    assert d.party_tabs.currentIndex() == 1 and d.party_tabs.tabText(0) == "当事人1"


def test_the_asterisks_follow_the_agreement_rule(intake) -> None:
    form = intake.party_forms[0]
    labels = {
        form._form.labelForField(w).text()
        for w in (form.occupation_edit, form.phone_edit, form.address_edit)
        if form._form.labelForField(w) is not None
    }
    assert labels == {"职业或职务 *", "联系电话 *", "住址 *"}
    assert form.person_label.text() == "性别 *" and form.birth_label.text() == "出生日期 *"
    form.id_edit.setText(make_id(D(1968, 5, 4), 11))  # the ID number gives both
    assert form.person_label.text() == "性别" and form.birth_label.text() == "出生日期"
    assert not form.rep_label.isVisibleTo(intake)  # 法定代表人 * only for an organisation
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("ORGANISATION"))
    assert form.rep_label.isVisibleTo(intake) and form.rep_label.text() == "法定代表人 *"
    assert form.address_label.text() == "单位地址 *" and not form.gender_combo.isVisibleTo(intake)
