"""The GUI offers each role what the services allow it, through real widgets: the seven demo accounts signed in
through the login dialog, the areas in the sidebar and the key actions of each page checked against the
roles' permissions in desktop.domain.accounts (the expected state is computed from them, not copied); a
refused call that still gets through shows the services' Chinese message; the account dialog's scope rules;
an administrator's change to a signed-in account (scope, role, disabled) takes effect in the open window."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.domain import accounts as perm
from desktop.services import accounts
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.accounts.demo_accounts import DEMO_LOGINS, DEMO_PASSWORD, create_demo_accounts
from desktop.ui import session_watch
from desktop.ui.dialogs.account_dialogs import AccountDialog
from desktop.ui.dialogs.login_dialog import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.permissions import denied_permission, denied_text
from desktop.ui.qt import QtCore, QtWidgets
from tests.unit.test_mediation_helpers import setup_committee

ROLES = {spec.name: spec for spec in perm.DEFAULT_ROLES}

#: the sidebar: an area is offered when the role holds one of these (工作台 to everyone)
NAV: dict[str, tuple[str, ...]] = {
    "home": (),
    "grids": (perm.GRIDS, perm.RESIDENTS_READ),
    "residents": (perm.RESIDENTS_READ,),
    "party": (perm.PARTY,),
    "mediation": (perm.MEDIATION_READ,),
    "court": (perm.JUDICIAL,),
    "events": (perm.EVENTS,),
    "visits": (perm.VISITS,),
    "reports": (perm.REPORTS,),
    "settings": (perm.SETTINGS,),
    "accounts": (perm.ACCOUNTS,),
    "audit": (perm.AUDIT,),
}

Getter = Callable[[QtWidgets.QWidget], QtWidgets.QWidget]
#: key actions: (area, the widget, the permissions that allow it — any of them)
ACTIONS: list[tuple[str, str, Getter, tuple[str, ...]]] = [
    ("home", "登记事件", lambda p: p.entry_button, (perm.EVENTS,)),
    ("grids", "新增网格", lambda p: p.new_button, (perm.GRIDS,)),
    ("grids", "添加人员", lambda p: p.detail_panel.add_staff_button, (perm.GRIDS,)),
    ("residents", "新增居民", lambda p: p.add_button, (perm.RESIDENTS_WRITE,)),
    ("residents", "导入居民", lambda p: p.import_button, (perm.RESIDENTS_WRITE,)),
    ("residents", "导出居民", lambda p: p.export_button, (perm.RESIDENTS_EXPORT,)),
    ("mediation", "受理登记", lambda p: p.new_button, (perm.MEDIATION_WRITE,)),
    ("mediation", "导入台账", lambda p: p.import_button, (perm.MEDIATION_WRITE,)),
    ("mediation", "导出台账", lambda p: p.export_button, (perm.MEDIATION_READ,)),
    # the committee and its rules (SETTING_OWNERS: mediation.rules) — or 系统与安全设置
    ("mediation", "调委会设置", lambda p: p.committee_button, (perm.MEDIATION_WRITE, perm.SETTINGS)),
    ("accounts", "保存登录规则", lambda p: p.save_policy_button, (perm.SETTINGS,)),
]


@pytest.fixture
def demo(street_ctx):
    """The street with its committee, two residents in 新华一网格 and one in 朝阳一网格, the demo accounts."""
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    grids = {g.name: g.id for g in st.list_grids(ctx)}
    setup_committee(ctx, comms["新华社区"])
    for name, community, grid in (
        ("王建国", "新华社区", "新华一网格"),
        ("李秀兰", "新华社区", "新华一网格"),
        ("赵敏", "朝阳社区", "朝阳一网格"),
    ):
        rs.save_resident(ctx, rs.ResidentInput(name=name, community_id=comms[community], grid_id=grids[grid]))
    create_demo_accounts(ctx)
    return ctx, grids


def sign_in(qtbot, ctx, login: str):
    """Through the real login dialog, as a person would."""
    dialog = LoginDialog(ctx, login=login)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.password_edit.setText(DEMO_PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, dialog.error_label.text()
    return ctx.signed_in(dialog.result_login.account)


def open_window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def shown_areas(window: MainWindow) -> list[str]:
    items = [window.sidebar.item(i) for i in range(window.sidebar.count())]
    return [str(item.data(QtCore.Qt.ItemDataRole.UserRole)) for item in items if not item.isHidden()]


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_its_areas_and_actions(qtbot, demo, role):
    ctx, _grids = demo
    spec = ROLES[role]
    held = set(spec.permissions)
    window = open_window(qtbot, sign_in(qtbot, ctx, DEMO_LOGINS[role]))
    expected = [key for key, needs in NAV.items() if not needs or held & set(needs)]
    assert shown_areas(window) == expected
    menu = [key for key, action in window.area_actions.items() if action.isVisible()]
    assert menu == expected  # 视图 offers the same areas, Ctrl+1 … in their order
    assert window.area_actions[expected[-1]].shortcut().toString() == f"Ctrl+{len(expected) % 10}"
    assert window.import_grids_action.isVisible() == (perm.GRIDS in held)

    checked = 0
    for area, label, get, needs in ACTIONS:
        if area not in expected:
            continue
        window.show_area(area)
        widget = get(window.page(area))
        if held & set(needs):
            # allowed: enabled once the page has loaded what it needs (a community, a committee)
            qtbot.waitUntil(widget.isEnabled, timeout=5000)
            assert denied_permission(widget) is None, label
        else:
            qtbot.wait(30)  # whatever the page enables on loading stays disabled
            assert not widget.isEnabled(), f"{role}: {label}"
            assert denied_permission(widget) == needs[0]
            assert widget.isHidden() or widget.toolTip() == denied_text(needs[0]) == (
                f"没有权限：{perm.permission_label(needs[0])}"
            )
        checked += 1
    assert checked > 0 or role == "党务" or role == "审计管理员"


def test_the_brief_cases_hold(qtbot, demo):
    """The issue's own examples, as a person reads them off the sidebar."""
    ctx, _grids = demo
    admin = open_window(qtbot, sign_in(qtbot, ctx, "admin"))
    assert {"settings", "accounts"} <= set(shown_areas(admin)) and "residents" not in shown_areas(admin)
    auditor = open_window(qtbot, sign_in(qtbot, ctx, "auditor"))
    assert shown_areas(auditor) == ["home", "audit"]
    assert auditor.page("home").entry_button.isHidden()  # no events: not offered at all
    mediator = open_window(qtbot, sign_in(qtbot, ctx, "mediator"))
    assert {"mediation", "court", "residents"} <= set(shown_areas(mediator))
    mediator.show_area("residents")
    page = mediator.page("residents")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    page._require_communities(True)  # the page enables 新增居民 when there is a community: it stays off
    assert not page.add_button.isEnabled() and page.add_button.toolTip() == "没有权限：编辑居民"
    assert mediator.page("home").entry_button.isHidden()


def test_a_refused_call_that_gets_through_shows_the_services_message(qtbot, demo, no_modal_boxes):
    """A stale button (or a shortcut) that still opens the form: the service refuses, in Chinese, in the one
    error dialog."""
    ctx, _grids = demo
    window = open_window(qtbot, sign_in(qtbot, ctx, "mediator"))
    window.show_area("residents")
    page = window.page("residents")
    page._on_add_button_clicked()  # what the disabled 新增居民 would have opened
    dialog = next(w for w in page.findChildren(QtWidgets.QDialog) if w.isVisible())
    dialog.name_edit.setText("孙丽")
    dialog.ok_button.click()
    assert dialog.isVisible()  # nothing saved, the form kept
    messages = [text for _title, text in no_modal_boxes]
    assert any(t.startswith("没有权限：编辑居民（账号 mediator，角色 调解员）") for t in messages), messages
    assert rs.search_resident_ids(window.ctx, rs.ResidentFilter(text="孙丽")) == []


def test_the_account_dialog_opens_only_what_the_role_uses(qtbot, demo):
    ctx, _grids = demo
    admin = sign_in(qtbot, ctx, "admin")
    dialog = AccountDialog(admin)
    qtbot.addWidget(dialog)
    dialog.open()
    label = lambda key: dialog.form.labelForField(dialog.fields[key]).text()  # noqa: E731

    def choose(role: str) -> None:
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(role))

    for role in (n for n, s in ROLES.items() if s.scope == perm.SCOPE_ALL and n != perm.MEDIATOR_ROLE):
        choose(role)
        assert not dialog.community_combo.isEnabled() and dialog.community_combo.currentData() is None
        assert not dialog.grid_list.isEnabled() and dialog.checked_grids() == []
        assert label("community") == "社区" and label("grids") == "网格"

    dialog.login_edit.setText("wang")
    dialog.password_edit.setText("Work#2026xy")
    dialog.repeat_edit.setText("Work#2026xy")
    choose("社区书记/主任")
    assert dialog.community_combo.isEnabled() and label("community") == "社区 *"
    assert dialog.community_combo.currentData() is None  # no community chosen for the person
    dialog.ok_button.click()
    assert dialog.isVisible() and "请选择社区" in dialog.error_label.text()
    assert dialog.community_combo.property("invalid")
    dialog.community_combo.setCurrentIndex(1)
    choose("街道管理员/统计员")  # all communities: the choice is cleared, not kept and ignored
    assert dialog.community_combo.currentData() is None and not dialog.community_combo.isEnabled()
    assert not dialog.error_label.isVisible()

    choose("网格员")
    assert label("grids") == "网格 *" and label("community") == "社区"
    dialog.ok_button.click()
    assert "请勾选至少一个网格" in dialog.error_label.text()
    dialog.grid_list.item(0).setCheckState(QtCore.Qt.CheckState.Checked)
    choose("调解员")
    assert dialog.checked_grids() == [] and label("committee") == "调解委员会 *"
    dialog.ok_button.click()
    assert "请选择调解委员会" in dialog.error_label.text() and dialog.committee_combo.property("invalid")
    dialog.committee_combo.setCurrentIndex(1)
    dialog.ok_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    made = {a.login: a for a in accounts.list_accounts(admin)}["wang"]
    assert made.role == "调解员" and made.committee == "新华社区人民调解委员会" and made.community is None


def _names_shown(qtbot, window: MainWindow) -> list[str]:
    window.show_area("residents")
    page = window.page("residents")
    qtbot.waitUntil(lambda: page._loaded and not page.is_searching(), timeout=5000)
    qtbot.waitUntil(lambda: not page.search_timer.isActive() and not page.is_searching(), timeout=5000)
    model = page.model
    return sorted(str(model.index(r, model.NAME).data()) for r in range(model.rowCount()))


def test_a_changed_scope_and_role_take_effect_in_the_open_window(qtbot, demo, monkeypatch):
    ctx, grids = demo
    monkeypatch.setattr(session_watch, "CHECK_GAP_MS", 0)
    admin = sign_in(qtbot, ctx, "admin")  # the administrator, at another PC
    window = open_window(qtbot, sign_in(qtbot, ctx, "gridworker"))
    assert _names_shown(qtbot, window) == ["李秀兰", "王建国"]

    accounts.set_role(admin, "gridworker", "网格员", grid_ids=[grids["朝阳一网格"]])
    qtbot.mouseClick(window.sidebar.viewport(), QtCore.Qt.MouseButton.LeftButton)  # the next click
    assert window.ctx.account.grid_ids == (grids["朝阳一网格"],)
    assert _names_shown(qtbot, window) == ["赵敏"]  # no restart, no new sign-in
    assert "负责范围" in window.statusBar().currentMessage()

    accounts.set_role(admin, "gridworker", "党务")
    window.session_watch.check()  # as the poll or the next write would
    assert shown_areas(window) == ["home", "party"]
    assert [k for k, a in window.area_actions.items() if a.isVisible()] == ["home", "party"]
    assert window.area_actions["party"].shortcut().toString() == "Ctrl+2"
    assert window.current_area() == "home"  # 居民 is no longer offered
    assert "党务" in window.user_status.text()
    assert "residents" not in window.pages

    accounts.save_role_permissions(admin, "党务", [perm.PARTY, perm.RESIDENTS_READ])  # the role edited
    window.session_watch.check()
    assert "residents" in shown_areas(window)
    window.show_area("residents")
    assert denied_permission(window.page("residents").add_button) == perm.RESIDENTS_WRITE


def test_a_disabled_account_is_signed_out_of_the_open_window(qtbot, demo, monkeypatch, no_modal_boxes):
    ctx, _grids = demo
    monkeypatch.setattr(session_watch, "CHECK_GAP_MS", 0)
    admin = sign_in(qtbot, ctx, "admin")
    window = open_window(qtbot, sign_in(qtbot, ctx, "gridworker"))
    window.show_area("residents")
    logins: list[str] = []

    def sign_in_again() -> None:  # the login dialog that opens: the next person signs in
        dialog = next(
            (
                w
                for w in QtWidgets.QApplication.topLevelWidgets()
                if isinstance(w, LoginDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            return
        timer.stop()
        assert not window.isVisible()  # the signed-out account's data is hidden behind it
        logins.append("secretary")
        dialog.login_edit.setText("secretary")
        dialog.password_edit.setText(DEMO_PASSWORD)
        dialog.ok_button.click()

    timer = QtCore.QTimer()
    timer.setInterval(20)
    timer.timeout.connect(sign_in_again)
    timer.start()
    accounts.set_disabled(admin, "gridworker", True)
    qtbot.mouseClick(window.sidebar.viewport(), QtCore.Qt.MouseButton.LeftButton)
    timer.stop()
    assert (
        "已退出登录",
        "账号“gridworker”已被系统管理员停用，本机已退出登录。\n请用其他账号登录；如有疑问请联系系统管理员。",
    ) in (no_modal_boxes)
    assert logins == ["secretary"] and not window.isVisible()
    successor = window.successor
    assert successor is not None
    qtbot.addWidget(successor)
    assert successor.isVisible() and successor.ctx.account.login == "secretary"
    assert QtWidgets.QApplication.quitOnLastWindowClosed()
    with pytest.raises(Exception, match="停用"):
        accounts.sign_in(ctx, "gridworker", DEMO_PASSWORD)


def test_editing_the_own_role_on_this_pc_takes_effect_through_the_change_notice(qtbot, demo):
    """The administrator takes 网格与社区结构 away from their own role on the 账号与角色 page: the page's
    DataChanges(accounts) reaches the window, which shows the role as it now is."""
    ctx, _grids = demo
    window = open_window(qtbot, sign_in(qtbot, ctx, "admin"))
    assert "grids" in shown_areas(window) and window.import_grids_action.isVisible()
    window.show_area("accounts")
    page = window.page("accounts")
    roles = [page.role_model.row_at(r).name for r in range(page.role_model.rowCount())]
    page.role_table.selectRow(roles.index(perm.ADMIN_ROLE))
    dialog = page._on_edit_role_button_clicked()
    dialog.boxes[perm.GRIDS].setChecked(False)
    dialog.ok_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert perm.GRIDS not in window.ctx.account.permissions
    assert shown_areas(window) == ["home", "settings", "accounts"]
    assert not window.import_grids_action.isVisible()
    assert window.current_area() == "accounts" and window.page("accounts") is not page  # built afresh
    assert "权限" in window.statusBar().currentMessage()
