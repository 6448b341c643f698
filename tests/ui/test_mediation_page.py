"""人民调解 area through real widgets (offscreen): the case form, the workspace dialogs, the deadline colours,
the document preview with print and save-as, the committee settings; every model through the model tester."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.services import mediation as med
from desktop.ui.dialogs.mediation_agreement_dialog import MediationAgreementDialog
from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog
from desktop.ui.dialogs.mediation_committee_dialog import MediationCommitteeDialog
from desktop.ui.dialogs.mediation_session_dialog import MediationSessionDialog
from desktop.ui.models.mediation_case_model import MediationCaseFilterProxyModel, MediationCaseTableModel
from desktop.ui.models.mediation_item_model import MediationItemTableModel
from desktop.ui.models.mediation_term_model import MediationTermTableModel, TermRow
from desktop.ui.pages.mediation.mediation_page import MediationPage
from desktop.ui.qt import Qt, QtCore, QtGui, QtPrintSupport, QtWidgets
from tests.conftest import TODAY
from tests.unit.test_mediation_helpers import D, full_case, intake, setup_committee

LEFT = Qt.MouseButton.LeftButton


def type_text(qtbot, widget: QtWidgets.QWidget, text: str) -> None:
    """ASCII key by key; Chinese as an input method commits it."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
        else:
            event = QtGui.QInputMethodEvent()
            event.setCommitString(char)
            QtWidgets.QApplication.sendEvent(widget, event)


@pytest.fixture
def committee(street_ctx):
    return setup_committee(street_ctx)


@pytest.fixture
def page(qtbot, street_ctx, committee):
    p = MediationPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1400, 860)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    return p


def test_case_form_registers_a_case(qtbot, page: MediationPage, street_ctx) -> None:
    qtbot.mouseClick(page.new_button, LEFT)
    dialog = page.findChild(MediationCaseDialog)
    assert isinstance(dialog, MediationCaseDialog) and dialog.isVisible()
    # nothing filled in: the error stays in the dialog
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "纠纷简要情况" in dialog.error_label.text()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("邻里纠纷"))
    dialog.subtype_combo.setCurrentText("漏水")
    type_text(qtbot, dialog.summary_edit, "楼上卫生间漏水，损坏楼下天花板。")
    applicant, respondent = dialog.party_forms
    type_text(qtbot, applicant.name_edit, "张建华")
    applicant.gender_combo.setCurrentIndex(applicant.gender_combo.findData("男"))
    applicant.age_spin.setValue(58)
    type_text(qtbot, applicant.address_edit, "新华小区3号楼501室")
    type_text(qtbot, applicant.phone_edit, "13809371111")
    type_text(qtbot, applicant.occupation_edit, "退休工人")  # the agreement will need it: asked at intake
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "第 2 位当事人" in dialog.error_label.text()
    type_text(qtbot, respondent.name_edit, "李桂芳")
    respondent.gender_combo.setCurrentIndex(respondent.gender_combo.findData("女"))
    type_text(qtbot, respondent.id_edit, "11010519491231002X")
    type_text(qtbot, respondent.address_edit, "新华小区3号楼601室")
    type_text(qtbot, respondent.occupation_edit, "退休教师")
    type_text(qtbot, respondent.phone_edit, "13919372222")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert dialog.saved_case_no == "（2026）新华社区人调字第001号" or dialog.saved_case_no.endswith(
        "人调字第001号"
    )
    case = page.workspace.case
    assert case is not None and case.case_no == dialog.saved_case_no
    assert [p.name for p in case.parties] == ["张建华", "李桂芳"]
    assert case.parties[1].birth_date == D(1949, 12, 31) and case.dispute_label == "邻里纠纷（漏水）"
    assert case.mediator == "王秀兰"  # the committee's first mediator is preselected
    assert page.visible_case_numbers() == [case.case_no]


def test_workspace_session_agreement_and_documents(
    qtbot, page: MediationPage, street_ctx, committee, tmp_path: Path
) -> None:
    cid, m1, _ = committee
    no = intake(street_ctx, cid, m1, accepted_on=TODAY - dt.timedelta(days=3))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    page.select_case(med.get_case(street_ctx, no).id)
    ws = page.workspace
    assert ws.case is not None and ws.case.case_no == no
    session = ws.open_session_dialog(None)
    assert isinstance(session, MediationSessionDialog)
    type_text(qtbot, session.minutes_edit, "告知权利义务；双方陈述；核实事实。")
    type_text(qtbot, session.result_edit, "双方同意修复并赔偿。")
    qtbot.mouseClick(session.ok_button, LEFT)
    assert not session.isVisible() and ws.sessions_model.rowCount() == 1
    dialog = ws.open_agreement_dialog()
    assert isinstance(dialog, MediationAgreementDialog)
    qtbot.mouseClick(dialog.ok_button, LEFT)  # no terms, no manner/place/deadline: refused, inline
    assert dialog.isVisible() and "协议内容" in dialog.error_label.text()
    terms = dialog.terms
    assert terms.setData(terms.index(0, 0), "被申请人赔偿申请人维修费。")
    assert terms.setData(terms.index(0, 1), "2500")
    assert terms.setData(terms.index(0, 2), (TODAY + dt.timedelta(days=20)).isoformat())
    type_text(qtbot, dialog.manner_edit, "现金一次性支付")
    dialog.deadline_edit.setDate(QtCore.QDate(TODAY + dt.timedelta(days=30)))
    for box in (dialog.parties_check, dialog.mediator_check, dialog.seal_check):
        box.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible(), dialog.error_label.text()
    case = ws.case
    assert case.agreement is not None and case.agreement.terms[0].amount == decimal.Decimal("2500.00")
    assert case.agreement.effective_on == TODAY and case.stage == "PERFORMING"
    assert ws.follow_up_model.rowCount() >= 1
    # the 文书 tab previews the agreement, prints it at ~300 dpi, saves it as PDF
    ws.tabs.setCurrentWidget(ws.preview)
    preview = ws.preview
    with qtbot.waitSignal(preview.rendered, timeout=10000):
        preview.doc_combo.setCurrentIndex(preview.doc_combo.findData("agreement"))
    assert preview.document.pageCount() >= 1 and preview.print_button.isEnabled()
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == preview.document.pageCount()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == preview.document.pageCount()
    saved = preview.save_to(tmp_path / "协议书.pdf")
    assert "人民调解协议书" in PdfReader(saved).pages[0].extract_text()


def test_deadline_colours_and_filters(qtbot, page: MediationPage, street_ctx, committee) -> None:
    cid, m1, _ = committee
    full_case(street_ctx, cid, m1)
    late = intake(street_ctx, cid, m1, accepted_on=TODAY - dt.timedelta(days=45))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    assert len(page.visible_case_numbers()) == 2
    row = page.visible_case_numbers().index(late)
    brush = page.proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == "#fde2e1"  # red: past the 30-day limit
    assert "超期" in page.proxy.index(row, MediationCaseTableModel.WARNING).data()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.warnings_check.setChecked(True)
    assert page.visible_case_numbers() == [late]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.warnings_check.setChecked(False)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        type_text(qtbot, page.search_edit, "张建华")
    assert len(page.visible_case_numbers()) == 2


def test_committee_settings_dialog(qtbot, street_ctx) -> None:
    p = MediationPage(street_ctx)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    assert "还没有人民调解委员会" in p.header.subtitle_label.text()
    dialog = p.open_committee_dialog()
    assert isinstance(dialog, MediationCommitteeDialog)
    type_text(qtbot, dialog.name_edit, "朝阳社区人民调解委员会")
    type_text(qtbot, dialog.short_edit, "朝阳社区")
    assert (
        "（2026）朝阳社区人调字第001号" in dialog.example.text()
        or "朝阳社区人调字第001号" in dialog.example.text()
    )
    type_text(qtbot, dialog.new_mediator_edit, "赵敏")
    dialog._on_add_clicked()
    assert dialog.mediators.count() == 1
    with qtbot.waitSignal(p.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    (c,) = med.list_committees(street_ctx)
    assert (c.short_name, [m.name for m in med.list_mediators(street_ctx, c.id)]) == ("朝阳社区", ["赵敏"])


def test_main_window_shows_the_mediation_page(qtbot, street_ctx) -> None:
    from desktop.ui.main_window import AREAS

    area = next(a for a in AREAS if a.key == "mediation")
    page = area.factory(street_ctx)
    qtbot.addWidget(page)
    assert isinstance(page, MediationPage)


def test_models_pass_the_model_tester(qtmodeltester, street_ctx, committee) -> None:
    cid, m1, _ = committee
    full_case(street_ctx, cid, m1)
    intake(street_ctx, cid, m1, accepted_on=TODAY - dt.timedelta(days=40))
    model = MediationCaseTableModel()
    model.set_rows(med.list_cases(street_ctx))
    qtmodeltester.check(model, force_py=True)
    proxy = MediationCaseFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(MediationCaseTableModel.ACCEPTED)
    qtmodeltester.check(proxy, force_py=True)
    items = MediationItemTableModel(["a", "b"])
    items.set_rows([(1, ["x", "y"], "red"), (2, ["z", None], "")])
    qtmodeltester.check(items, force_py=True)
    terms = MediationTermTableModel([TermRow("一", decimal.Decimal("1.5"), D(2026, 1, 2)), TermRow()])
    qtmodeltester.check(terms, force_py=True)
    assert not terms.setData(terms.index(0, 2), "明天")


def test_edit_intake_records_an_extension(qtbot, page: MediationPage, street_ctx, committee) -> None:
    cid, m1, _ = committee
    accepted = TODAY - dt.timedelta(days=40)
    no = intake(street_ctx, cid, m1, accepted_on=accepted)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    page.select_case(med.get_case(street_ctx, no).id)
    dialog = page.workspace.open_case_dialog()
    assert isinstance(dialog, MediationCaseDialog) and not dialog.committee_combo.isEnabled()
    dialog.extended_edit.setDate(QtCore.QDate(TODAY + dt.timedelta(days=20)))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "双方当事人同意" in dialog.error_label.text()
    type_text(qtbot, dialog.extension_edit, "双方同意延长至下月")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    row = page.model.row_for(page.workspace.case.id)
    assert row is not None and row.level == ""  # no longer overdue


def test_rules_and_dispute_types_are_settings(qtbot, page: MediationPage, street_ctx, committee) -> None:
    cid, m1, _ = committee
    late = intake(street_ctx, cid, m1, accepted_on=TODAY - dt.timedelta(days=35))
    dialog = page.open_rules_dialog()
    assert "婚姻家庭纠纷：婚姻、赡养" in dialog.types_edit.toPlainText()
    dialog.limit_spin.setValue(60)
    dialog.types_edit.setPlainText("邻里纠纷：噪音、漏水\n婚姻家庭：赡养\n社区治理纠纷")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert med.rules(street_ctx).time_limit_days == 60
    assert [t.label for t in med.dispute_types(street_ctx)] == ["邻里纠纷", "婚姻家庭纠纷", "社区治理纠纷"]
    assert page.model.row_for(med.get_case(street_ctx, late).id).level == ""  # 35 days < 60
    dialog = page.open_rules_dialog()
    dialog.types_edit.setPlainText("邻里\n邻里纠纷")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "重复" in dialog.error_label.text()
    dialog.reject()


def test_a_case_entered_by_mistake_is_retired(qtbot, page: MediationPage, street_ctx, committee) -> None:
    cid, m1, _ = committee
    first = intake(street_ctx, cid, m1)
    second = intake(street_ctx, cid, m1)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    page.select_case(med.get_case(street_ctx, second).id)
    dialog = page.workspace.open_retire_dialog()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()  # the reason is required
    type_text(qtbot, dialog.reason_edit, "重复登记")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert page.visible_case_numbers() == [first]
    assert page.workspace.case is None
    assert intake(street_ctx, cid, m1).endswith("第003号")  # the retired number is not reused
