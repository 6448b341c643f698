"""账号与角色 (the 系统管理员's page): the accounts (add, disable/enable, reset a password), the roles'
permissions, and the login rules (lockout, password expiry, idle lock). Accounts are never deleted."""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.domain import accounts as perm
from desktop.domain.accounts import permission_label
from desktop.services import accounts
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.account_dialogs import AccountDialog, ResetPasswordDialog, RoleDialog
from desktop.ui.dialogs.form_dialog import open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.pages.base import Page
from desktop.ui.permissions import guard
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.page_header import PageHeader
from desktop.ui.widgets.row_table import row_table


def _table(model: QtCore.QAbstractItemModel) -> QtWidgets.QTableView:
    table = row_table(model)
    table.setMinimumHeight(170)
    return table


class AccountsPage(Page):
    title = "账号与角色"

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        root = QtWidgets.QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 20)
        root.setSpacing(12)
        root.addWidget(PageHeader(self.tr("账号与角色"), self.tr("账号只停用、不删除；审计日志始终指向它们")))

        box = QtWidgets.QGroupBox(self.tr("账号"))
        bl = QtWidgets.QVBoxLayout(box)
        bar = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton(icon("add"), self.tr("新建账号"))
        self.disable_button = QtWidgets.QPushButton(self.tr("停用/启用"))
        self.reset_button = QtWidgets.QPushButton(self.tr("重置密码"))
        self.scope_button = QtWidgets.QPushButton(icon("edit"), self.tr("修改角色/范围"))
        for b in (self.add_button, self.scope_button, self.disable_button, self.reset_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bl.addLayout(bar)
        offset = ctx.now() - ctx.utcnow()  # stored in UTC, shown in local time
        self.model: ColumnTableModel[accounts.AccountRow] = ColumnTableModel(
            [
                Column(self.tr("登录名"), lambda a: a.login),
                Column(self.tr("姓名"), lambda a: a.display_name),
                Column(self.tr("角色"), lambda a: a.role, width=140),
                Column(
                    self.tr("范围"),
                    lambda a: a.committee or a.community or "、".join(a.grids) or self.tr("全部"),
                ),
                Column(self.tr("状态"), lambda a: a.status),
                Column(
                    self.tr("最近登录"),
                    lambda a: f"{a.last_login_at + offset:%Y-%m-%d %H:%M}" if a.last_login_at else "",
                ),
            ],
            self,
            row_id=lambda a: a.login,
        )
        self.table = _table(self.model)
        bl.addWidget(self.table)
        root.addWidget(box, 2)

        rbox = QtWidgets.QGroupBox(self.tr("角色与权限"))
        rl = QtWidgets.QVBoxLayout(rbox)
        self.edit_role_button = QtWidgets.QPushButton(icon("edit"), self.tr("修改权限…"))
        rbar = QtWidgets.QHBoxLayout()
        rbar.addWidget(self.edit_role_button)
        rbar.addStretch(1)
        rl.addLayout(rbar)
        self.role_model: ColumnTableModel[accounts.RoleRow] = ColumnTableModel(
            [
                Column(self.tr("角色"), lambda r: r.name, width=140),
                Column(self.tr("说明"), lambda r: r.description, width=200),
                Column(
                    self.tr("权限"), lambda r: "、".join(permission_label(p) for p in sorted(r.permissions))
                ),
            ],
            self,
            row_id=lambda r: r.name,
        )
        self.role_table = _table(self.role_model)
        rl.addWidget(self.role_table)
        root.addWidget(rbox, 2)

        pbox = QtWidgets.QGroupBox(self.tr("登录与锁屏规则"))
        form = QtWidgets.QFormLayout(pbox)
        self.attempts_spin = QtWidgets.QSpinBox()
        self.attempts_spin.setRange(1, 20)
        self.lock_spin = QtWidgets.QSpinBox()
        self.lock_spin.setRange(1, 1440)
        self.lock_spin.setSuffix(self.tr(" 分钟"))
        self.days_spin = QtWidgets.QSpinBox()
        self.days_spin.setRange(0, 3650)
        self.days_spin.setSpecialValueText(self.tr("不过期"))
        self.days_spin.setSuffix(self.tr(" 天"))
        self.idle_spin = QtWidgets.QSpinBox()
        self.idle_spin.setRange(1, 240)
        self.idle_spin.setSuffix(self.tr(" 分钟"))
        form.addRow(self.tr("连续输错密码几次后锁定"), self.attempts_spin)
        form.addRow(self.tr("锁定时长"), self.lock_spin)
        form.addRow(self.tr("密码有效期"), self.days_spin)
        form.addRow(self.tr("无操作自动锁屏"), self.idle_spin)
        for spin in (self.attempts_spin, self.lock_spin, self.days_spin, self.idle_spin):
            spin.setMaximumWidth(160)
        self.save_policy_button = QtWidgets.QPushButton(self.tr("保存规则"))
        save_row = QtWidgets.QHBoxLayout()
        save_row.addWidget(self.save_policy_button)
        save_row.addStretch(1)
        form.addRow("", save_row)
        root.addWidget(pbox)

        guard(ctx, self.save_policy_button, perm.SETTINGS)  # the login rules are security settings
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.scope_button.clicked.connect(self._on_scope_button_clicked)
        self.disable_button.clicked.connect(self._on_disable_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.edit_role_button.clicked.connect(self._on_edit_role_button_clicked)
        self.save_policy_button.clicked.connect(self._on_save_policy_button_clicked)
        self._loaded = False

    def activate(self) -> None:
        if not self._loaded or self.stale:
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        try:
            self.model.set_rows(accounts.list_accounts(self.ctx))
            self.role_model.set_rows(accounts.list_roles(self.ctx))
            self.table.resizeColumnsToContents()
            self.role_table.resizeColumnsToContents()
            policy = accounts.load_policy(self.ctx)
        except ShequError as exc:
            show_error(self, exc, self.tr("无法读取账号"))
            return
        self.attempts_spin.setValue(policy.lock_attempts)
        self.lock_spin.setValue(policy.lock_minutes)
        self.days_spin.setValue(policy.password_days)
        self.idle_spin.setValue(max(1, round(policy.idle_minutes)))

    def selected(self) -> accounts.AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _need_selection(self) -> accounts.AccountRow | None:
        row = self.selected()
        if row is None:
            QtWidgets.QMessageBox.information(self, self.tr("账号"), self.tr("请先在列表中选择一个账号。"))
        return row

    def _opened(self, dialog: QtWidgets.QDialog, done: str) -> QtWidgets.QDialog:
        dialog.accepted.connect(self.refresh)
        dialog.accepted.connect(lambda: self.emit_changes("accounts"))
        dialog.accepted.connect(lambda: self.status_message.emit(done))
        return open_dialog(dialog)

    def _on_add_button_clicked(self) -> QtWidgets.QDialog:
        return self._opened(AccountDialog(self.ctx, self), self.tr("账号已新建"))

    def _on_scope_button_clicked(self) -> QtWidgets.QDialog | None:
        row = self._need_selection()
        if row is None:
            return None
        return self._opened(AccountDialog(self.ctx, self, row), self.tr("角色和范围已修改"))

    def _on_reset_button_clicked(self) -> QtWidgets.QDialog | None:
        row = self._need_selection()
        if row is None:
            return None
        return self._opened(ResetPasswordDialog(self.ctx, row.login, self), self.tr("密码已重置"))

    def _on_edit_role_button_clicked(self) -> QtWidgets.QDialog | None:
        rows = self.role_table.selectionModel().selectedRows()
        role = self.role_model.row_at(rows[0].row()) if rows else None
        if role is None:
            QtWidgets.QMessageBox.information(self, self.tr("角色"), self.tr("请先在列表中选择一个角色。"))
            return None
        return self._opened(RoleDialog(self.ctx, role, self), self.tr("角色权限已保存"))

    def _on_disable_button_clicked(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        try:
            accounts.set_disabled(self.ctx, row.login, not row.disabled)
        except ShequError as exc:
            show_error(self, exc, self.tr("无法停用账号"))
            return
        self.refresh()
        self.emit_changes("accounts")

    def _on_save_policy_button_clicked(self) -> None:
        policy = accounts.AccountPolicy(
            lock_attempts=self.attempts_spin.value(),
            lock_minutes=self.lock_spin.value(),
            password_days=self.days_spin.value(),
            idle_minutes=self.idle_spin.value(),
        )
        try:
            accounts.save_policy(self.ctx, policy)
        except ShequError as exc:
            show_error(self, exc, self.tr("无法保存规则"))
            return
        self.status_message.emit(self.tr("登录与锁屏规则已保存（锁屏时间下次登录起生效）"))
