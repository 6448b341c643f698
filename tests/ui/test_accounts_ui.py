"""Accounts in the GUI, driven through real widgets: the first administrator, login success, failure and lock
on the fixed clock, the forced password change, the idle lock (covers, password, the open form survives),
areas hidden per role, the accounts page and the audit viewer."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import accounts
from desktop.services.accounts import AccountInput, audit_log
from desktop.services.structure import list_grids
from desktop.ui.dialogs.login_dialog import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import QtCore, QtWidgets

ADMIN = "Admin#2026x"
PW = "Work#2026xy"


def _click_ok(dialog) -> None:
    dialog.ok_button.click()


@pytest.fixture
def admin_ctx(street_ctx):
    accounts.create_account(street_ctx, AccountInput("zhang", "管理员", "张主任"), ADMIN)
    return street_ctx.signed_in(accounts.sign_in(street_ctx, "zhang", ADMIN).account)


def _signed(ctx, login, role, **scope):
    admin = ctx.signed_in(accounts.sign_in(ctx, "zhang", ADMIN).account)
    accounts.create_account(admin, AccountInput(login, role, must_change_password=False, **scope), PW)
    return ctx.signed_in(accounts.sign_in(ctx, login, PW).account)


def auditor_of(ctx):
    return _signed(ctx, "shen", "审计管理员")


def test_first_start_creates_the_administrator(qtbot, street_ctx):
    dialog = FirstAdminDialog(street_ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "至少三类" in dialog.note_label.text()
    dialog.login_edit.setText("zhang")
    dialog.password_edit.setText(ADMIN)
    dialog.repeat_edit.setText(ADMIN + "!")
    _click_ok(dialog)
    assert dialog.isVisible() and "不一致" in dialog.error_label.text()
    dialog.password_edit.setText("short")
    dialog.repeat_edit.setText("short")
    _click_ok(dialog)
    assert dialog.isVisible() and "密码太短" in dialog.error_label.text()
    dialog.password_edit.setText(ADMIN)
    dialog.repeat_edit.setText(ADMIN)
    _click_ok(dialog)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert accounts.sign_in(street_ctx, "zhang", ADMIN).account.role == "系统管理员"


def test_login_success_failure_and_lock_on_the_fixed_clock(qtbot, admin_ctx, street_ctx, clock):
    dialog = LoginDialog(street_ctx, login="zhang")
    qtbot.addWidget(dialog)
    dialog.open()
    for _ in range(5):
        dialog.password_edit.setText("wrong")
        _click_ok(dialog)
        assert dialog.isVisible() and dialog.password_edit.text() == ""
    assert "账号已锁定 15 分钟" in dialog.error_label.text()
    dialog.password_edit.setText(ADMIN)
    _click_ok(dialog)
    assert dialog.isVisible() and "10:15 后再试" in dialog.error_label.text()
    clock.advance(dt.timedelta(minutes=15))
    dialog.password_edit.setText(ADMIN)
    _click_ok(dialog)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert dialog.result_login.account.login == "zhang"


def test_first_login_forces_a_password_change(qtbot, admin_ctx, street_ctx):
    accounts.create_account(admin_ctx, AccountInput("li", "党务"), PW)
    result = accounts.sign_in(street_ctx, "li", PW)
    assert result.must_change_password
    dialog = ChangePasswordDialog(street_ctx, "li", result.reason)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "首次登录" in dialog.heading_label.text()
    dialog.old_edit.setText(PW)
    dialog.new_edit.setText("abcdefgh")
    dialog.repeat_edit.setText("abcdefgh")
    _click_ok(dialog)
    assert "太简单" in dialog.error_label.text()
    dialog.new_edit.setText("Party#2027y")
    dialog.repeat_edit.setText("Party#2027y")
    _click_ok(dialog)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert not accounts.sign_in(street_ctx, "li", "Party#2027y").must_change_password


def test_areas_are_hidden_per_role(qtbot, admin_ctx, street_ctx):
    grid = list_grids(street_ctx)[0].id
    cases = {
        "网格员": (dict(grid_ids=[grid]), ["home", "grids", "residents", "events", "visits"]),
        "审计管理员": ({}, ["home", "audit"]),
        "党务": ({}, ["home", "party"]),
    }
    for n, (role, (scope, visible)) in enumerate(cases.items()):
        ctx = _signed(street_ctx, f"user{n}", role, **scope)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        assert window.visible_areas() == visible
        shown = [
            window.sidebar.item(i).text().strip()
            for i in range(window.sidebar.count())
            if not window.sidebar.item(i).isHidden()
        ]
        assert len(shown) == len(visible)
        assert not window.export_grids_action.isVisible()  # none of these three manages the grids
        window.show_area("residents")  # a hidden area falls back to the first one shown
        assert window.current_area() in visible
    admin = MainWindow(admin_ctx)
    qtbot.addWidget(admin)
    assert admin.visible_areas() == ["home", "grids", "settings", "accounts"]
    assert admin.export_grids_action.isVisible()
    assert "张主任（zhang，系统管理员）" in admin.user_status.text()


def test_the_idle_lock_hides_everything_and_the_form_survives(qtbot, admin_ctx, street_ctx, clock):
    accounts.save_policy(admin_ctx, accounts.AccountPolicy(idle_minutes=0.002))  # 120 ms
    ctx = _signed(street_ctx, "li", "社区书记/主任", community_id=list_grids(street_ctx)[0].community_id)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.idle_lock is not None and window.idle_lock.timer.interval() == 120
    dialog = ChangePasswordDialog(ctx, "li", parent=window)  # a form open over the window, half filled in
    form = dialog.new_edit
    form.setText("写了一半的内容")
    dialog.open()
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    screen = window.idle_lock.screen
    assert screen.isVisible() and screen.windowModality() == QtCore.Qt.WindowModality.ApplicationModal
    covered = {cover.parentWidget() for cover in window.idle_lock.covers}
    assert window in covered and dialog in covered
    assert all(c.isVisible() and c.geometry() == c.parentWidget().rect() for c in window.idle_lock.covers)
    screen.password_edit.setText("wrong")
    screen.unlock_button.click()
    assert window.idle_lock.is_locked and "密码错误" in screen.error_label.text()
    screen.reject()  # Esc does not unlock
    assert window.idle_lock.is_locked
    screen.password_edit.setText(PW)
    screen.unlock_button.click()
    assert not window.idle_lock.is_locked
    assert window.idle_lock.timer.isActive()  # counting again
    window.idle_lock.timer.stop()  # (the checks below take longer than the 120 ms)
    qtbot.waitUntil(
        lambda: not any(w.objectName() == "lockCover" for w in dialog.findChildren(QtWidgets.QWidget))
    )
    assert dialog.isVisible() and form.text() == "写了一半的内容"
    unlocked = audit_log.search_audit(auditor_of(street_ctx), audit_log.AuditQuery(action="unlock_screen"))
    assert [r.user for r in unlocked] == ["li"]
    window.idle_lock.timer.timeout.emit()  # and locks again, without waiting
    assert window.idle_lock.is_locked
    window.idle_lock.screen.password_edit.setText(PW)
    window.idle_lock.screen.unlock_button.click()


def test_no_account_no_lock_and_every_area(qtbot, street_ctx):
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    assert window.idle_lock is None
    assert "accounts" not in window.visible_areas() and "settings" in window.visible_areas()


def test_accounts_page_adds_an_account_and_audit_page_filters_and_exports(
    qtbot, admin_ctx, street_ctx, tmp_path
):
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show_area("accounts")
    page = window.page("accounts")
    assert [page.model.row_at(r).login for r in range(page.model.rowCount())] == ["zhang"]
    dialog = page._on_add_button_clicked()
    dialog.login_edit.setText("li")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("网格员"))
    assert dialog.grid_list.isEnabled() and not dialog.community_combo.isEnabled()
    dialog.password_edit.setText(PW)
    dialog.repeat_edit.setText(PW)
    _click_ok(dialog)
    assert "网格" in dialog.error_label.text()  # a 网格员 needs their grids
    dialog.grid_list.item(0).setCheckState(QtCore.Qt.CheckState.Checked)
    _click_ok(dialog)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    rows = {page.model.row_at(r).login: page.model.row_at(r) for r in range(page.model.rowCount())}
    assert rows["li"].role == "网格员" and rows["li"].status == "待修改密码"

    auditor = _signed(street_ctx, "shen", "审计管理员")
    audit_window = MainWindow(auditor)
    qtbot.addWidget(audit_window)
    audit_window.show_area("audit")
    audit = audit_window.page("audit")
    assert audit.model.rowCount() > 0
    audit.user_combo.setCurrentIndex(audit.user_combo.findData("zhang"))
    audit.action_combo.setCurrentIndex(audit.action_combo.findData("create"))
    audit.search_button.click()
    summaries = [audit.model.row_at(r).summary for r in range(audit.model.rowCount())]
    assert summaries and all("新建账号" in s for s in summaries) and any("li" in s for s in summaries)
    out = tmp_path / "审计.xlsx"
    assert audit.export_to(out) == len(summaries) and out.exists()
