"""司法确认 area: the register with colours and filters, the detail panel, dialogs, preview, holidays, 工作台."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.ui.dialogs.judicial_holiday_dialog import HolidayDialog
from desktop.ui.dialogs.judicial_referral_dialog import ReferralDialog
from desktop.ui.dialogs.judicial_start_dialog import StartConfirmationDialog
from desktop.ui.models.judicial_material_model import JudicialMaterialTableModel
from desktop.ui.models.judicial_rows_model import (
    JudicialSortProxyModel,
    holiday_model,
    referral_model,
    track_model,
)
from desktop.ui.pages.judicial.judicial_page import JudicialPage
from desktop.ui.qt import Qt, QtCore, QtWidgets
from tests.conftest import TODAY
from tests.unit.test_judicial_services import COURT, agreement_on
from tests.unit.test_mediation_helpers import intake, setup_committee


def _case(ctx, cid: int, m1: int, effective: dt.date) -> str:
    no = intake(ctx, cid, m1, accepted_on=effective - dt.timedelta(days=10))
    case = med.get_case(ctx, no)
    med.save_agreement(ctx, case.id, agreement_on(effective), today=TODAY)
    return no


@pytest.fixture
def filled(street_ctx):
    """Three tracks: deadline in ~2 days (red), in ~20 days, passed; and one case not yet registered."""
    jc.save_court_settings(street_ctx, jc.CourtSettings(COURT))
    cid, m1, _ = setup_committee(street_ctx)
    nos = {}
    for key, days in (("urgent", 28), ("calm", 10), ("late", 45), ("free", 5)):
        nos[key] = _case(street_ctx, cid, m1, TODAY - dt.timedelta(days=days))
        if key != "free":
            jc.start_confirmation(street_ctx, nos[key], today=TODAY)
    return street_ctx, nos


@pytest.fixture
def page(qtbot, filled):
    ctx, _nos = filled
    p = JudicialPage(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 820)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    return p


def _shown_cases(page: JudicialPage) -> list[str]:
    return [page.track_proxy.index(r, 0).data() for r in range(page.track_proxy.rowCount())]


def _set_filter(qtbot, page: JudicialPage, key: str) -> None:
    with qtbot.waitSignal(page.loaded):
        page.filter_combo.setCurrentIndex(page.filter_combo.findData(key))


def test_models_pass_the_model_tester(qtmodeltester, filled) -> None:
    ctx, nos = filled
    m = track_model()
    m.set_rows(jc.list_tracks(ctx))
    qtmodeltester.check(m, force_py=True)
    proxy = JudicialSortProxyModel()
    proxy.setSourceModel(m)
    proxy.sort(3)
    qtmodeltester.check(proxy, force_py=True)
    jc.save_referral(ctx, jc.ReferralInput(COURT, "（2026）测试1号", TODAY - dt.timedelta(days=3)))
    r = referral_model()
    r.set_rows(jc.list_referrals(ctx))
    qtmodeltester.check(r, force_py=True)
    h = holiday_model()
    h.set_rows(jc.list_days(ctx))
    qtmodeltester.check(h, force_py=True)
    mat = JudicialMaterialTableModel()
    mat.set_rows(jc.track_for_case(ctx, nos["urgent"]).materials)
    qtmodeltester.check(mat, force_py=True)


def test_list_colours_and_filters(qtbot, page, filled) -> None:
    _ctx, nos = filled
    assert sorted(_shown_cases(page)) == sorted([nos["urgent"], nos["calm"], nos["late"]])
    levels = {r.case_no: r.level for r in page.track_model.rows()}
    assert levels[nos["urgent"]] == "red" and levels[nos["late"]] == "red" and levels[nos["calm"]] == ""
    index = page.track_model.index_for(
        next(r.id for r in page.track_model.rows() if r.case_no == nos["urgent"])
    )
    assert index.siblingAtColumn(7).data(Qt.ItemDataRole.ForegroundRole) is not None
    _set_filter(qtbot, page, "OVERDUE")
    assert _shown_cases(page) == [nos["late"]]
    _set_filter(qtbot, page, "NEAR")
    assert _shown_cases(page) == [nos["urgent"]]
    _set_filter(qtbot, page, "FILED")
    assert _shown_cases(page) == [] and page.empty_label.isVisible()
    assert (
        "需要处理 2 件" in page.header.subtitle_label.text()
        if hasattr(page.header, "subtitle_label")
        else True
    )


def test_panel_shows_and_saves_a_track(qtbot, page, filled, no_modal_boxes) -> None:
    ctx, nos = filled
    tid = next(r.id for r in page.track_model.rows() if r.case_no == nos["urgent"])
    assert page.select_track(tid)
    panel = page.panel
    assert nos["urgent"] in panel.title_label.text()
    assert "还剩" in panel.alert_label.text()
    # filing without the materials is refused, and the message is shown
    panel.filed_edit.set_value(TODAY)
    assert not panel.save()
    assert any("申请材料尚不齐全" in text for _t, text in no_modal_boxes)
    # tick every required material in the checklist
    model = panel.material_model
    for r in range(model.rowCount()):
        m = model.row_at(r)
        if m is not None and m.required and not m.received:
            model.setData(
                model.index(r, model.RECEIVED), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
            )
    assert jc.get_track(ctx, tid).missing_materials == []
    assert panel.filed_edit.value() == TODAY  # the typed date survived the ticks
    with qtbot.waitSignal(page.loaded):
        assert panel.save()
    assert jc.get_track(ctx, tid).state == "FILED"
    assert page.panel.track is not None and page.panel.track.state == "FILED"


def test_start_dialog_registers_a_case(qtbot, page, filled) -> None:
    ctx, nos = filled
    dialog = page.open_start_dialog()
    assert isinstance(dialog, StartConfirmationDialog)
    assert dialog.case_combo.count() == 1 and nos["free"] in dialog.case_combo.itemText(0)
    assert "可以登记" in dialog.result_label.text() and dialog.court_edit.text() == COURT
    with qtbot.waitSignal(page.loaded):
        dialog.ok_button.click()
    assert jc.track_for_case(ctx, nos["free"]) is not None
    assert nos["free"] in _shown_cases(page)


def test_start_dialog_explains_a_refusal(qtbot, page, filled, no_modal_boxes) -> None:
    _ctx, nos = filled
    dialog = page.open_start_dialog()
    dialog.case_combo.setEditText(nos["urgent"])
    dialog.check()
    assert "已有司法确认记录" in dialog.result_label.text()
    dialog.subject_combo.setCurrentIndex(dialog.subject_combo.findData("MARRIAGE"))
    dialog.case_combo.setEditText(nos["free"])
    dialog.ok_button.click()
    assert dialog.isVisible() and any("婚姻关系" in text for _t, text in no_modal_boxes)
    dialog.reject()


def test_referral_dialog_and_tab(qtbot, page, filled, no_modal_boxes) -> None:
    ctx, _nos = filled
    dialog = page.open_referral_dialog(None)
    assert isinstance(dialog, ReferralDialog) and dialog.court_edit.text() == COURT
    dialog.number_edit.setText("（2026）甘0202民诉前调77号")
    dialog.parties_edit.setText("甲、乙")
    dialog.extension_spin.setValue(10)
    dialog.ok_button.click()
    assert any("批准" in text for _t, text in no_modal_boxes) and dialog.isVisible()
    dialog.extension_spin.setValue(0)
    with qtbot.waitSignal(page.loaded):
        dialog.ok_button.click()
    [row] = jc.list_referrals(ctx)
    assert row.referral_no == "（2026）甘0202民诉前调77号" and page.referral_model.rowCount() == 1


def test_preview_renders_and_blocks_after_the_deadline(qtbot, page, filled) -> None:
    _ctx, nos = filled
    urgent = next(r.id for r in page.track_model.rows() if r.case_no == nos["urgent"])
    dialog = page.open_preview_dialog(urgent)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    assert dialog.document.pageCount() >= 2 and dialog.print_button.isEnabled()
    late = next(r.id for r in page.track_model.rows() if r.case_no == nos["late"])
    blocked = page.open_preview_dialog(late)
    qtbot.addWidget(blocked)
    with qtbot.waitSignal(blocked.failed, timeout=15000) as failed:
        pass
    assert "已超过司法确认申请期限" in failed.args[0] and not blocked.print_button.isEnabled()
    # the forms without the application still print
    with qtbot.waitSignal(blocked.rendered, timeout=15000):
        blocked.doc_combo.setCurrentIndex(blocked.doc_combo.findData("service_address"))


def test_print_to_a_pdf_file(qtbot, page, filled, tmp_path: Path) -> None:
    from desktop.ui.qt import QtPrintSupport

    _ctx, nos = filled
    urgent = next(r.id for r in page.track_model.rows() if r.case_no == nos["urgent"])
    dialog = page.open_preview_dialog(urgent)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == dialog.document.pageCount()
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_holiday_tab_edits_and_imports(qtbot, page, filled, tmp_path: Path, no_modal_boxes) -> None:
    ctx, _nos = filled
    tab = page.holiday_tab
    page.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() > 0
    if TODAY.year in (2026, 2027):
        assert "2027" in tab.warning_label.text() and tab.warning_label.isVisible()
    dialog = tab.open_day_dialog(None)
    assert isinstance(dialog, HolidayDialog)
    dialog.day_edit.setDate(QtCore.QDate(2026, 12, 12))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("WORKDAY"))
    dialog.name_edit.setText("测试调休上班")
    with qtbot.waitSignal(tab.changed):
        dialog.ok_button.click()
    assert any(d.day == dt.date(2026, 12, 12) and d.kind == "WORKDAY" for d in jc.list_days(ctx, 2026))
    f = tmp_path / "2028.csv"
    f.write_text("日期,类型,名称,年度\n2028-01-01,放假,元旦,2028\n", encoding="utf-8")
    wizard = tab.import_file(f)  # the one import flow: check first, then import
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    assert wizard.check_report is not None and wizard.check_report.dry_run
    with qtbot.waitSignal(tab.changed, timeout=10000):
        wizard.next_button.click()
    report = tab.last_import
    assert report is not None and report.created == 1
    wizard.accept()
    assert tab.year_combo.findData(2028) >= 0
    tab.court_edit.setText("新华社区居委会")
    tab._on_court_save_clicked()
    assert any("不像法院名称" in text for _t, text in no_modal_boxes)
    for box in tab.findChildren(QtWidgets.QMessageBox):
        box.close()


def test_the_main_window_area_and_home_warnings(qtbot, filled, tmp_path: Path) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.pages.home_page import HomePage

    ctx, nos = filled
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    home = window.pages.get("home") or window.findChildren(HomePage)[0]
    qtbot.waitUntil(lambda: home.figures is not None, timeout=10000)
    texts = [home.warnings_list.item(i).text() for i in range(home.warnings_list.count())]
    assert any(t.startswith("司法确认申请期限已过 1 件") and nos["late"] in t for t in texts)
    assert any(t.startswith("司法确认申请期限 3 日内届满 1 件") for t in texts)
    window.show_area("court")
    assert isinstance(window.stack.currentWidget(), JudicialPage)
