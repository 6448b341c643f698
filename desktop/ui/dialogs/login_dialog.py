"""Signing in: the login dialog, the first administrator of a new database, the forced password change.

``sign_in_interactively`` runs the whole start: a database without accounts asks for its administrator first;
then the login; a first login (or an expired or reset password) must change the password before any work.
"""

from __future__ import annotations

from desktop.core.errors import ShequError, ValidationError
from desktop.domain.accounts import ADMIN_ROLE, PASSWORD_RULE
from desktop.services import accounts
from desktop.services.access import accounts_exist
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtCore, QtWidgets


def _password_field() -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    return edit


class LoginDialog(FormDialog):
    """登录: the login name and password; ``result`` holds the signed-in account after ``accept``."""

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None, login: str = "") -> None:
        super().__init__(self.tr("登录"), self.tr("社区网格治理工作台"), "", parent, ctx=ctx, width=400)
        self._ctx = ctx
        self.result_login: accounts.LoginResult | None = None
        self.login_edit = QtWidgets.QLineEdit(login)
        self.login_edit.setMaxLength(40)
        self.password_edit = _password_field()
        self.add_row("login", self.tr("登录名"), self.login_edit)
        self.add_row("password", self.tr("密码"), self.password_edit)
        self.ok_button.setText(self.tr("登录"))
        (self.password_edit if login else self.login_edit).setFocus()

    def submit(self) -> None:
        if not self.login_edit.text().strip():
            raise ValidationError(self.tr("请填写登录名"), field="login")
        from desktop.ui.application import load_window_modules

        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:  # the window's modules load while scrypt checks the password (off the GIL, another core)
            self.result_login = accounts.sign_in(
                self._ctx, self.login_edit.text(), self.password_edit.text(), meanwhile=load_window_modules
            )
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
            self.password_edit.clear()


class ChangePasswordDialog(FormDialog):
    """修改密码: the old one, the new one twice, the policy shown above."""

    def __init__(
        self, ctx: ServiceContext, login: str, reason: str = "", parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(self.tr("修改密码"), reason or self.tr("修改密码"), PASSWORD_RULE, parent, ctx=ctx, width=420)
        self._ctx, self._login = ctx, login
        self.old_edit = _password_field()
        self.new_edit = _password_field()
        self.repeat_edit = _password_field()
        self.add_row("old_password", self.tr("原密码"), self.old_edit)
        self.add_row("new_password", self.tr("新密码"), self.new_edit)
        self.add_row("repeat", self.tr("再输入一次"), self.repeat_edit)
        self.old_edit.setFocus()

    def submit(self) -> None:
        if self.new_edit.text() != self.repeat_edit.text():
            raise ValidationError(self.tr("两次输入的新密码不一致"), field="repeat")
        accounts.change_password(self._ctx, self._login, self.old_edit.text(), self.new_edit.text())


class FirstAdminDialog(FormDialog):
    """A new database: create its 系统管理员 (the login name, a name, the password twice)."""

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            self.tr("创建管理员账号"),
            self.tr("这是一个新的数据库，请先创建系统管理员账号"),
            self.tr("系统管理员负责账号与系统设置，不查看居民信息。") + PASSWORD_RULE + "。",
            parent,
            ctx=ctx,
            width=460,
        )
        self._ctx = ctx
        self.login_edit = QtWidgets.QLineEdit()
        self.login_edit.setMaxLength(40)
        self.name_edit = QtWidgets.QLineEdit()
        self.password_edit = _password_field()
        self.repeat_edit = _password_field()
        self.add_row("login", self.tr("登录名 *"), self.login_edit)
        self.add_row("display_name", self.tr("姓名"), self.name_edit)
        self.add_row("password", self.tr("密码 *"), self.password_edit)
        self.add_row("repeat", self.tr("再输入一次 *"), self.repeat_edit)
        self.ok_button.setText(self.tr("创建"))
        self.login_edit.setFocus()

    def submit(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            raise ValidationError(self.tr("两次输入的密码不一致"), field="repeat")
        data = accounts.AccountInput(self.login_edit.text(), ADMIN_ROLE, self.name_edit.text())
        accounts.create_account(self._ctx, data, self.password_edit.text())


def sign_in_interactively(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> ServiceContext | None:
    """The start of the app: the context signed in as the account, or None when the user gave up (declined
    to create the administrator, closed the login, or did not change a password that must be changed)."""
    login = ""
    if not accounts_exist(ctx):
        first = FirstAdminDialog(ctx, parent)
        if first.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        login = first.login_edit.text().strip()
        show_recovery_key(ctx, parent)
    dialog = LoginDialog(ctx, parent, login)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or dialog.result_login is None:
        return None
    result = dialog.result_login
    if result.must_change_password:
        change = ChangePasswordDialog(ctx, result.account.login, result.reason, parent)
        if change.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
    return ctx.signed_in(result.account)


def show_recovery_key(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
    """Setting up: the database's recovery key, shown once (again later in 设置 → 数据密钥与审计)."""
    from desktop.services import keys

    try:
        info = keys.recovery_key(ctx)
    except ShequError:
        return  # a database without a data key (an old structure): nothing to show
    if not info.recovery_key:
        return
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Information)
    box.setWindowTitle(QtWidgets.QApplication.translate("FirstAdminDialog", "数据库恢复密钥"))
    box.setText(
        QtWidgets.QApplication.translate(
            "FirstAdminDialog",
            "身份证号和电话加密保存，密钥在本机{store}中。把数据库搬到另一台电脑时要用下面的恢复密钥：\n\n"
            "{key}\n\n请抄写或打印后锁好保管，不要和数据库文件放在一起。以后可在“设置 → 数据密钥与审计”中再次查看。",
        ).format(store=info.store, key=info.recovery_key)
    )
    box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
