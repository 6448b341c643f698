"""Every dialog fits a 1366×768 screen less its taskbar (1366×728) with its buttons visible.

Every QDialog class in desktop/ui/dialogs is found by importing the package's modules, and each is built
(with realistic data: a case carried to its end, a party roll, residents in households) and shown on a
screen whose available geometry is 1366×728: the whole window, frame included, lies on the screen and its
buttons lie inside it, also with an error line shown.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest

import desktop.ui.dialogs
from desktop.services import events as ev
from desktop.services import judicial, party, structure
from desktop.services import mediation as med
from desktop.services import residents as rs
from desktop.ui import screen_fit
from desktop.ui.dialogs.form_dialog import MAX_SIZE, FormDialog, SizedDialog
from desktop.ui.qt import QtCore, QtWidgets
from tests.ui.test_party_page import roll  # noqa: F401  (fixture)
from tests.unit.test_mediation_helpers import full_case, setup_committee

TODAY = dt.date(2026, 11, 23)


def _world(ctx):
    """What the dialogs need, looked up once: a closed case, the party tree, a member card, a resident."""
    cid, m1, _ = setup_committee(ctx)
    case = med.get_case(ctx, full_case(ctx, cid, m1))
    orgs = party.list_org_tree(ctx)
    member = party.list_members(ctx, party.MemberFilter())[0]
    card = party.get_member(ctx, member.id)
    comm = structure.list_communities(ctx)
    grid = structure.list_grids(ctx)[0]
    household = rs.HouseholdInput(comm[0].id, estate="新华小区", building="3", unit="2", room="301")
    rid = rs.save_resident(
        ctx, rs.ResidentInput(name="王建国", community_id=comm[0].id, new_household=household)
    )
    resident = rs.get_resident(ctx, rid)
    event_id = ev.create_event(
        ctx,
        ev.EventInput("网格员巡查", dt.datetime(2026, 11, 20, 9, 0), grid.id, "新华小区3号楼东侧", "环境卫生",
                      "楼东侧空地堆放建筑垃圾约两立方米，影响通行，居民多次反映。", subcategory="垃圾堆放",
                      reporter_name="李晓梅", resident_id=rid),
        accept=True,
    )  # fmt: skip
    ev.whistle(ctx, event_id, None, kind="PROGRESS", department="环卫所", note="需环卫所清运")
    ev.dispatch(ctx, event_id, None, note="请于两日内清运")
    ev.add_attachment(ctx, event_id, "现场照片.jpg", b"\xff\xd8" + b"0" * 5000)
    return {
        "case": case,
        "orgs": orgs,
        "card": card,
        "comm": comm,
        "grid": grid,
        "resident": resident,
        "holiday": judicial.list_days(ctx)[0],
        "event": ev.event_detail(ctx, event_id),
    }


def _factories() -> dict[str, Callable]:
    from desktop.services import accounts
    from desktop.ui.dialogs.account_dialogs import AccountDialog, ResetPasswordDialog, RoleDialog
    from desktop.ui.dialogs.community_dialog import CommunityDialog
    from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog
    from desktop.ui.dialogs.event_settings_dialog import EventSettingsDialog
    from desktop.ui.dialogs.event_step_dialog import EventStepDialog
    from desktop.ui.dialogs.grid_dialog import GridDialog
    from desktop.ui.dialogs.judicial_holiday_dialog import HolidayDialog
    from desktop.ui.dialogs.judicial_reason_dialog import ReasonDialog
    from desktop.ui.dialogs.judicial_referral_dialog import ReferralDialog
    from desktop.ui.dialogs.judicial_start_dialog import StartConfirmationDialog
    from desktop.ui.dialogs.login_dialog import ChangePasswordDialog, FirstAdminDialog, LoginDialog
    from desktop.ui.dialogs.mediation_agreement_dialog import MediationAgreementDialog
    from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog
    from desktop.ui.dialogs.mediation_closing_dialog import MediationClosingDialog
    from desktop.ui.dialogs.mediation_committee_dialog import MediationCommitteeDialog
    from desktop.ui.dialogs.mediation_follow_up_dialog import MediationFollowUpDialog
    from desktop.ui.dialogs.mediation_investigation_dialog import MediationInvestigationDialog
    from desktop.ui.dialogs.mediation_outcome_dialog import MediationOutcomeDialog
    from desktop.ui.dialogs.mediation_party_dialog import MediationPartyDialog
    from desktop.ui.dialogs.mediation_performance_dialog import MediationPerformanceDialog
    from desktop.ui.dialogs.mediation_rules_dialog import MediationRulesDialog
    from desktop.ui.dialogs.mediation_session_dialog import MediationSessionDialog
    from desktop.ui.dialogs.party_check_in_dialog import PartyCheckInDialog
    from desktop.ui.dialogs.party_lost_dialog import PartyLostDialog
    from desktop.ui.dialogs.party_meeting_dialog import PartyMeetingDialog
    from desktop.ui.dialogs.party_member_dialog import PartyMemberDialog
    from desktop.ui.dialogs.party_mobile_dialog import PartyMobileDialog
    from desktop.ui.dialogs.party_org_dialog import PartyOrgDialog
    from desktop.ui.dialogs.party_payment_dialog import PartyPaymentDialog
    from desktop.ui.dialogs.party_post_dialog import PartyPostDialog
    from desktop.ui.dialogs.party_reveal_dialog import PartyRevealDialog
    from desktop.ui.dialogs.party_status_dialog import PartyStatusDialog
    from desktop.ui.dialogs.party_step_dialog import PartyStepDialog
    from desktop.ui.dialogs.party_transfer_dialog import PartyTransferDialog
    from desktop.ui.dialogs.resident_dialog import ResidentDialog
    from desktop.ui.dialogs.resident_export_dialog import ResidentExportDialog
    from desktop.ui.dialogs.resident_status_dialog import ResidentStatusDialog
    from desktop.ui.dialogs.resident_tier_dialog import ResidentTierDialog
    from desktop.ui.dialogs.retire_dialog import RetireDialog
    from desktop.ui.dialogs.reveal_dialog import RevealDialog
    from desktop.ui.dialogs.staff_dialog import StaffDialog
    from desktop.ui.dialogs.visit_settings_dialog import RankingWeightsDialog, VisitSettingsDialog

    people = [(1, "王建国", "党员")]

    def event_step(kind: str) -> Callable:
        return lambda ctx, w: EventStepDialog(ctx, w["event"], kind, ev.event_dictionary(ctx).departments)

    steps = {f"event_step_{k.lower()}": event_step(k) for k in ("WHISTLE", "VERIFY", "RATE", "EXT_REQUEST")}
    return steps | {
        "event_entry": lambda ctx, w: EventEntryDialog(ctx),
        "event_settings": lambda ctx, w: EventSettingsDialog(ctx),
        "visit_settings": lambda ctx, w: VisitSettingsDialog(ctx),
        "ranking_weights": lambda ctx, w: RankingWeightsDialog(ctx),
        "community": lambda ctx, w: CommunityDialog(ctx, w["comm"][0]),
        "grid": lambda ctx, w: GridDialog(ctx, w["comm"]),
        "staff": lambda ctx, w: StaffDialog(ctx, w["grid"]),
        "retire": lambda ctx, w: RetireDialog(
            "撤销网格", "网格 GC-01-001", lambda d, r: None, note="说明", today=TODAY
        ),
        "mediation_case_new": lambda ctx, w: MediationCaseDialog(ctx, None, today=TODAY),
        "mediation_case_edit": lambda ctx, w: MediationCaseDialog(ctx, w["case"], today=TODAY),
        "mediation_agreement": lambda ctx, w: MediationAgreementDialog(ctx, w["case"], today=TODAY),
        "mediation_closing": lambda ctx, w: MediationClosingDialog(ctx, w["case"], True, today=TODAY),
        "mediation_committee": lambda ctx, w: MediationCommitteeDialog(ctx, med.list_committees(ctx)[0]),
        "mediation_follow_up": lambda ctx, w: MediationFollowUpDialog(ctx, w["case"], None, today=TODAY),
        "mediation_investigation": lambda ctx, w: MediationInvestigationDialog(
            ctx, w["case"], None, today=TODAY
        ),
        "mediation_outcome": lambda ctx, w: MediationOutcomeDialog(ctx, w["case"], today=TODAY),
        "mediation_party": lambda ctx, w: MediationPartyDialog(ctx, w["case"].id, w["case"].parties[0]),
        "mediation_performance": lambda ctx, w: MediationPerformanceDialog(ctx, w["case"], today=TODAY),
        "mediation_rules": lambda ctx, w: MediationRulesDialog(ctx),
        "mediation_session": lambda ctx, w: MediationSessionDialog(ctx, w["case"], None),
        "party_member_new": lambda ctx, w: PartyMemberDialog(ctx, w["orgs"], "new", today=TODAY),
        "party_member_edit": lambda ctx, w: PartyMemberDialog(
            ctx, w["orgs"], "edit", w["card"].edit, today=TODAY
        ),
        "party_applicant": lambda ctx, w: PartyMemberDialog(ctx, w["orgs"], "applicant", today=TODAY),
        "party_transfer_in": lambda ctx, w: PartyMemberDialog(ctx, w["orgs"], "transfer_in", today=TODAY),
        "party_check_in": lambda ctx, w: PartyCheckInDialog(ctx, w["card"], None, today=TODAY),
        "party_lost": lambda ctx, w: PartyLostDialog(ctx, w["card"], today=TODAY),
        "party_meeting": lambda ctx, w: PartyMeetingDialog(
            ctx, w["orgs"], w["orgs"][2].id, None, today=TODAY
        ),
        "party_mobile": lambda ctx, w: PartyMobileDialog(ctx, w["card"], today=TODAY),
        "party_org": lambda ctx, w: PartyOrgDialog(ctx, w["orgs"], w["orgs"][1], today=TODAY),
        "party_payment": lambda ctx, w: PartyPaymentDialog(ctx, w["card"].dues, today=TODAY),
        "party_post": lambda ctx, w: PartyPostDialog(ctx, w["orgs"][2], people, today=TODAY),
        "party_reveal": lambda ctx, w: PartyRevealDialog(ctx, w["card"].id, w["card"].name),
        "party_status": lambda ctx, w: PartyStatusDialog(ctx, w["card"], today=TODAY),
        "party_step": lambda ctx, w: PartyStepDialog(
            ctx, w["card"].id, w["card"].name, w["card"].due, people, today=TODAY
        ),
        "party_transfer": lambda ctx, w: PartyTransferDialog(ctx, w["card"], today=TODAY),
        "resident_status": lambda ctx, w: ResidentStatusDialog(ctx, w["resident"], today=TODAY),
        "resident_tier": lambda ctx, w: ResidentTierDialog(ctx, w["resident"], today=TODAY),
        "resident_new": lambda ctx, w: ResidentDialog(ctx, community_id=w["comm"][0].id),
        "resident_edit": lambda ctx, w: ResidentDialog(ctx, card=w["resident"]),
        "resident_export": lambda ctx, w: ResidentExportDialog(ctx, w["comm"][0].id),
        "resident_reveal": lambda ctx, w: RevealDialog(ctx, w["resident"].id, w["resident"].name),
        "judicial_holiday_new": lambda ctx, w: HolidayDialog(ctx),
        "judicial_holiday_edit": lambda ctx, w: HolidayDialog(ctx, w["holiday"]),
        "judicial_reason": lambda ctx, w: ReasonDialog(
            "撤回或不予受理", "请选择情况并写明原因：", lambda c, t: None, [("WITHDRAWN", "撤回申请")]
        ),
        "judicial_referral": lambda ctx, w: ReferralDialog(ctx, None, "兰州市城关区人民法院"),
        "judicial_start": lambda ctx, w: StartConfirmationDialog(ctx, judicial.list_candidates(ctx)),
        "account_new": lambda ctx, w: AccountDialog(ctx),
        "account_reset_password": lambda ctx, w: ResetPasswordDialog(ctx, "wangfang"),
        "role_permissions": lambda ctx, w: RoleDialog(ctx, accounts.list_roles(ctx)[0]),
        "login": lambda ctx, w: LoginDialog(ctx),
        "first_admin": lambda ctx, w: FirstAdminDialog(ctx),
        "change_password": lambda ctx, w: ChangePasswordDialog(ctx, "wangfang", "首次登录，请修改密码"),
    }


def _card_factories() -> dict[str, Callable]:
    """Dialogs that are not forms (cards): the same size cap and memory, a close button within reach."""
    from desktop.ui.dialogs.event_card_dialog import EventCardDialog
    from desktop.ui.dialogs.party_member_card_dialog import PartyMemberCardDialog
    from desktop.ui.dialogs.resident_card_dialog import ResidentCardDialog
    from desktop.ui.dialogs.resident_household_dialog import ResidentHouseholdDialog

    def household(ctx, w):
        assert w["resident"].household is not None
        return ResidentHouseholdDialog(ctx, w["resident"].household.id)

    return {
        "event_card": lambda ctx, w: EventCardDialog(ctx, w["event"].id),
        "party_member_card": lambda ctx, w: PartyMemberCardDialog(ctx, w["card"].id, w["orgs"]),
        "resident_card": lambda ctx, w: ResidentCardDialog(ctx, w["resident"].id),
        "resident_household": household,
    }


def _other_factories() -> dict[str, Callable]:
    """The wizards, the previews and the last forms (built like the pages build them)."""
    from desktop.ui.dialogs.import_wizard import ImportWizard
    from desktop.ui.dialogs.judicial_preview_dialog import ConfirmationPreviewDialog
    from desktop.ui.dialogs.party_roster_dialog import PartyRosterDialog
    from desktop.ui.dialogs.report_narrative_dialog import ReportNarrativeDialog
    from desktop.ui.dialogs.resident_import_wizard import ResidentImportWizard
    from desktop.ui.dialogs.visit_dialog import VisitDialog
    from desktop.ui.importing.importers import grid_importer

    return {
        "import_wizard": lambda ctx, w: ImportWizard(ctx, grid_importer()),
        "resident_import_wizard": lambda ctx, w: ResidentImportWizard(ctx),
        "judicial_preview": lambda ctx, w: ConfirmationPreviewDialog(ctx, 1, w["case"].case_no),
        "party_roster": lambda ctx, w: PartyRosterDialog(ctx, w["orgs"], w["orgs"][2].id),
        "report_narrative": lambda ctx, w: ReportNarrativeDialog(ctx, "2026-10", None),
        "visit": lambda ctx, w: VisitDialog(ctx, w["resident"].id, "李晓梅", today=TODAY),
    }


FACTORIES = _factories()
CARD_FACTORIES = _card_factories()
OTHER_FACTORIES = _other_factories()
ALL_FACTORIES = FACTORIES | CARD_FACTORIES | OTHER_FACTORIES
SCREEN = QtCore.QRect(0, 0, 1366, 728)  # a 1366×768 screen less a 40 px taskbar


def dialog_classes() -> set[type]:
    """Every QDialog subclass defined in desktop/ui/dialogs (the two bases of the kit left out)."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(desktop.ui.dialogs.__path__):
        module = importlib.import_module(f"desktop.ui.dialogs.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QtWidgets.QDialog) and cls.__module__ == module.__name__:
                found.add(cls)
    return found - {FormDialog, SizedDialog}


@pytest.fixture(autouse=True)
def office_screen(monkeypatch: pytest.MonkeyPatch) -> QtCore.QRect:
    """Every window here is placed on a 1366×768 screen whose taskbar leaves 1366×728."""
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget: QtCore.QRect(SCREEN))
    return SCREEN


@pytest.fixture
def world(roll):  # noqa: F811
    ctx = roll[0] if isinstance(roll, tuple) else roll
    return ctx, _world(ctx)


def _on_screen(dialog: QtWidgets.QDialog) -> None:
    """The window with its frame (measured, or the allowance when there is none) lies on the screen, and
    every visible button lies inside the window."""
    extra = screen_fit.frame_extra(dialog)
    geometry = dialog.geometry()
    framed = QtCore.QRect(
        geometry.x() - extra.width() // 2,
        geometry.y() - (extra.height() - extra.width() // 2),
        geometry.width() + extra.width(),
        geometry.height() + extra.height(),
    )
    assert SCREEN.contains(framed), (type(dialog).__name__, framed)
    buttons = [b for b in dialog.findChildren(QtWidgets.QPushButton) if b.isVisibleTo(dialog)]
    assert buttons, type(dialog).__name__
    for button in buttons:
        box = QtCore.QRect(button.mapTo(dialog, QtCore.QPoint(0, 0)), button.size())
        assert dialog.rect().contains(box), (type(dialog).__name__, button.text(), box, dialog.rect())


def test_every_dialog_class_is_checked(qtbot, world) -> None:
    ctx, w = world
    built: set[type] = set()
    for make in ALL_FACTORIES.values():
        dialog = make(ctx, w)
        qtbot.addWidget(dialog)
        built.add(type(dialog))
    missing = {cls.__name__ for cls in dialog_classes() - built}
    assert not missing, f"dialogs without a case in this test: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(OTHER_FACTORIES))
def test_the_wizards_and_previews_fit_1366x728(qtbot, world, name: str) -> None:
    ctx, w = world
    dialog = OTHER_FACTORIES[name](ctx, w)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SizedDialog), name  # the one size cap, place memory and clamp
    dialog.show()
    qtbot.waitExposed(dialog)
    _on_screen(dialog)
    dialog.reject()


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_dialog_fits_1366x728_with_its_buttons_visible(qtbot, world, name: str) -> None:
    ctx, w = world
    dialog = FACTORIES[name](ctx, w)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, FormDialog)
    hint = dialog.sizeHint()
    assert hint.width() <= MAX_SIZE.width() and hint.height() <= MAX_SIZE.height(), (name, hint)
    dialog.open()  # as the app opens it: the dialog sizes itself
    qtbot.waitExposed(dialog)
    limit = dialog.size_limit()  # 1366×728, or the test screen's height when smaller
    assert dialog.width() <= MAX_SIZE.width() and dialog.height() <= limit.height(), (
        name,
        dialog.size(),
        limit,
    )
    # the whole form shows, unless the dialog already takes all the height the screen allows
    bar = dialog.scroll.verticalScrollBar()
    tallest = MAX_SIZE.boundedTo(SCREEN.size() - screen_fit.FRAME_ALLOWANCE).height()  # frame not yet known
    assert bar.maximum() == 0 or dialog.height() >= tallest, (name, dialog.size(), bar.maximum())
    assert dialog.buttons.isVisible() and dialog.ok_button.isVisible()
    # the buttons lie inside the dialog, below the scrolling body
    box = dialog.buttons.geometry()
    assert dialog.rect().contains(box), (name, box, dialog.rect())
    assert box.top() >= dialog.scroll.geometry().bottom()
    _on_screen(dialog)
    # an error line (two lines long) is shown above the buttons: they stay inside the window
    dialog.errors.show_message("请填写第 2 位当事人（李桂芳）的职业或职务。" * 4)
    qtbot.wait(20)
    box = dialog.buttons.geometry()
    assert dialog.error_label.isVisible() and dialog.rect().contains(box), (name, box, dialog.rect())
    assert dialog.error_label.geometry().bottom() <= box.top()
    _on_screen(dialog)
    dialog.reject()


@pytest.mark.parametrize("name", sorted(CARD_FACTORIES))
def test_every_card_fits_1366x728_with_its_buttons_visible(qtbot, world, name: str) -> None:
    ctx, w = world
    dialog = CARD_FACTORIES[name](ctx, w)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SizedDialog) and not isinstance(dialog, FormDialog)
    hint, least = dialog.sizeHint(), dialog.minimumSizeHint()
    assert hint.width() <= MAX_SIZE.width() and hint.height() <= MAX_SIZE.height(), (name, hint)
    assert least.width() <= MAX_SIZE.width() and least.height() <= MAX_SIZE.height(), (name, least)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= MAX_SIZE.width() and dialog.height() <= MAX_SIZE.height(), (name, dialog.size())
    buttons = [b for b in dialog.findChildren(QtWidgets.QPushButton) if b.isVisibleTo(dialog)]
    assert buttons, name
    for button in buttons:  # every button lies inside the dialog
        box = QtCore.QRect(button.mapTo(dialog, QtCore.QPoint(0, 0)), button.size())
        assert dialog.rect().contains(box), (name, button.text(), box, dialog.rect())
    _on_screen(dialog)
    dialog.reject()


def test_a_card_remembers_its_size(qtbot, world) -> None:
    ctx, w = world
    first = CARD_FACTORIES["resident_card"](ctx, w)
    qtbot.addWidget(first)
    first.open()
    qtbot.waitExposed(first)
    first.resize(760, 660)
    first.reject()
    again = CARD_FACTORIES["resident_card"](ctx, w)
    qtbot.addWidget(again)
    again.open()
    qtbot.waitExposed(again)
    assert again.size() == QtCore.QSize(760, 660)
    again.reject()


def test_a_long_form_scrolls_and_keeps_its_buttons(qtbot) -> None:
    dialog = FormDialog("很长的表单", today=TODAY)
    qtbot.addWidget(dialog)
    for i in range(80):
        dialog.add_row(f"f{i}", f"第 {i} 项", QtWidgets.QLineEdit())
    hint = dialog.sizeHint()
    assert hint.height() <= MAX_SIZE.height()
    dialog.resize(hint)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.scroll.verticalScrollBar().maximum() > 0  # the body scrolls
    assert dialog.buttons.isVisible() and dialog.rect().contains(dialog.buttons.geometry())
    dialog.reject()


def test_a_dialog_remembers_its_size(qtbot) -> None:
    first = FormDialog("记住大小", today=TODAY)
    qtbot.addWidget(first)
    first.add_row("a", "甲", QtWidgets.QLineEdit())
    first.open()
    qtbot.waitExposed(first)
    first.resize(700, 420)
    first.reject()
    again = FormDialog("记住大小", today=TODAY)
    qtbot.addWidget(again)
    again.add_row("a", "甲", QtWidgets.QLineEdit())
    again.open()
    qtbot.waitExposed(again)
    assert again.size() == QtCore.QSize(700, 420)
    assert again.isVisible() and again.isModal()  # open(): window-modal, not blocking
    again.reject()
