"""The administrator's account dialogs: a new account (role, community or grids, first password), a reset
password, and a role's permissions (the three-power separation is checked by the service)."""

from __future__ import annotations

from desktop.core.errors import ValidationError
from desktop.domain.accounts import (
    JUDICIAL,
    MEDIATION_READ,
    MEDIATION_WRITE,
    MEDIATOR_ROLE,
    PASSWORD_RULE,
    PERMISSIONS,
    SCOPE_COMMUNITY,
    SCOPE_GRIDS,
)
from desktop.services import accounts, mediation, structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtCore, QtWidgets


def password_field() -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    return edit


class AccountDialog(FormDialog):
    """新建账号: login name, name, role, the community (社区书记), grids (网格员) or 调解委员会 (调解员), the first
    password. With ``row``: 修改角色/范围 of that account (no password; the service's set_role)."""

    def __init__(
        self,
        ctx: ServiceContext,
        parent: QtWidgets.QWidget | None = None,
        row: accounts.AccountRow | None = None,
    ) -> None:
        title = self.tr("新建账号") if row is None else self.tr("修改角色/范围")
        note = PASSWORD_RULE + self.tr("；首次登录时须修改。") if row is None else self.tr("密码不变。")
        super().__init__(title, row.login if row else "", note, parent, ctx=ctx, width=480)
        self._ctx, self._row = ctx, row
        self.roles = accounts.list_roles(ctx)
        self.login_edit = QtWidgets.QLineEdit()
        self.login_edit.setMaxLength(40)
        self.name_edit = QtWidgets.QLineEdit()
        self.role_combo = QtWidgets.QComboBox()
        for r in self.roles:
            self.role_combo.addItem(f"{r.name}（{r.description}）" if r.description else r.name, r.name)
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.addItem(self.tr("（请选择社区）"), None)
        for c in structure.list_communities(ctx):
            self.community_combo.addItem(c.name, c.id)
        self.grid_list = QtWidgets.QListWidget()
        self.grid_list.setMaximumHeight(140)
        for g in structure.list_grids(ctx):
            item = QtWidgets.QListWidgetItem(f"{g.community_name} {g.name}（{g.code}）")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, g.id)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Unchecked)
            self.grid_list.addItem(item)
        self.committee_combo = QtWidgets.QComboBox()
        self.committee_combo.addItem(self.tr("（不限）"), None)  # a 调解员 must choose one
        for c in mediation.list_committees(ctx):
            self.committee_combo.addItem(c.name, c.id)
        self.password_edit = password_field()
        self.repeat_edit = password_field()
        if row is None:
            self.add_row("login", self.tr("登录名 *"), self.login_edit)
            self.add_row("display_name", self.tr("姓名"), self.name_edit)
        self.add_row("role", self.tr("角色 *"), self.role_combo)
        self.add_row("community", self.tr("社区"), self.community_combo)
        self.add_row("grids", self.tr("网格"), self.grid_list)
        self.add_row("committee", self.tr("调解委员会"), self.committee_combo)
        if row is None:
            self.add_row("password", self.tr("初始密码 *"), self.password_edit)
            self.add_row("repeat", self.tr("再输入一次 *"), self.repeat_edit)
        else:
            self._show(row)
        self.role_combo.currentIndexChanged.connect(self._on_role_combo_current_index_changed)
        self._on_role_combo_current_index_changed()

    def _show(self, row: accounts.AccountRow) -> None:
        """The account's present role and scope, to change."""
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(row.role)))
        if row.community is not None:
            self.community_combo.setCurrentIndex(max(0, self.community_combo.findText(row.community)))
        for i in range(self.grid_list.count()):
            item = self.grid_list.item(i)
            name = item.text().split(" ", 1)[-1].split("（", 1)[0]
            if name in row.grids:
                item.setCheckState(QtCore.Qt.CheckState.Checked)
        if row.committee is not None:
            self.committee_combo.setCurrentIndex(max(0, self.committee_combo.findText(row.committee)))

    def scope(self) -> str:
        name = self.role_combo.currentData()
        return next((r.scope for r in self.roles if r.name == name), "all")

    def mediates(self) -> bool:
        """Whether the chosen role works in mediation (then it may belong to one committee)."""
        name = self.role_combo.currentData()
        role = next((r for r in self.roles if r.name == name), None)
        return role is not None and bool({MEDIATION_READ, MEDIATION_WRITE, JUDICIAL} & set(role.permissions))

    def needs_committee(self) -> bool:
        return self.role_combo.currentData() == MEDIATOR_ROLE

    def _on_role_combo_current_index_changed(self, _index: int = 0) -> None:
        """Only the choices the role uses are open, and those it must have are starred: a role that sees
        every community has no 社区 or 网格 (cleared, not kept selected and ignored), a community role its
        community, a 网格员 their grids, a 调解员 their 调解委员会."""
        scope = self.scope()
        community, grids, committee = scope == SCOPE_COMMUNITY, scope == SCOPE_GRIDS, self.mediates()
        if not community:
            self.community_combo.setCurrentIndex(0)  # （请选择社区）: none
        if not grids:
            for i in range(self.grid_list.count()):
                self.grid_list.item(i).setCheckState(QtCore.Qt.CheckState.Unchecked)
        if not committee:
            self.committee_combo.setCurrentIndex(0)
        self.community_combo.setEnabled(community)
        self.grid_list.setEnabled(grids)
        self.committee_combo.setEnabled(committee)
        for key, text, required in (
            ("community", self.tr("社区"), community),
            ("grids", self.tr("网格"), grids),
            ("committee", self.tr("调解委员会"), self.needs_committee()),
        ):
            label = self.form.labelForField(self.fields[key])
            if isinstance(label, QtWidgets.QLabel):
                label.setText(text + (" *" if required else ""))
        if self._errors is not None:  # an error about the former role's fields no longer applies
            self._errors.clear()

    def check_scope(self) -> None:
        """What the role requires, said at the field before anything is saved."""
        role = str(self.role_combo.currentData())
        scope = self.scope()
        if scope == SCOPE_COMMUNITY and self.community_combo.currentData() is None:
            raise ValidationError(
                self.tr("角色“%1”只管一个社区：请选择社区").replace("%1", role), field="community"
            )
        if scope == SCOPE_GRIDS and not self.checked_grids():
            raise ValidationError(
                self.tr("角色“%1”只管自己的网格：请勾选至少一个网格").replace("%1", role), field="grids"
            )
        if self.needs_committee() and self.committee_combo.currentData() is None:
            raise ValidationError(
                self.tr("角色“%1”只办本调委会的案件：请选择调解委员会").replace("%1", role), field="committee"
            )

    def checked_grids(self) -> list[int]:
        out = []
        for i in range(self.grid_list.count()):
            item = self.grid_list.item(i)
            if item.checkState() == QtCore.Qt.CheckState.Checked:
                out.append(int(item.data(QtCore.Qt.ItemDataRole.UserRole)))
        return out

    def submit(self) -> None:
        self.check_scope()
        scope = self.scope()
        community = self.community_combo.currentData() if scope == SCOPE_COMMUNITY else None
        grids = self.checked_grids() if scope == SCOPE_GRIDS else []
        committee = self.committee_combo.currentData() if self.mediates() else None
        role = str(self.role_combo.currentData())
        if self._row is not None:
            accounts.set_role(self._ctx, self._row.login, role, community, grids, committee)
            return
        if self.password_edit.text() != self.repeat_edit.text():
            raise ValidationError(self.tr("两次输入的密码不一致"), field="repeat")
        data = accounts.AccountInput(
            self.login_edit.text(),
            role,
            self.name_edit.text(),
            community_id=community,
            grid_ids=grids,
            committee_id=committee,
        )
        accounts.create_account(self._ctx, data, self.password_edit.text())


class ResetPasswordDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, login: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            self.tr("重置密码"),
            self.tr("为账号 %1 设置新密码").replace("%1", login),
            PASSWORD_RULE + self.tr("；该账号下次登录时须修改。"),
            parent,
            ctx=ctx,
            width=420,
        )
        self._ctx, self._login = ctx, login
        self.password_edit = password_field()
        self.repeat_edit = password_field()
        self.add_row("password", self.tr("新密码 *"), self.password_edit)
        self.add_row("repeat", self.tr("再输入一次 *"), self.repeat_edit)

    def submit(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            raise ValidationError(self.tr("两次输入的密码不一致"), field="repeat")
        accounts.reset_password(self._ctx, self._login, self.password_edit.text())


class RoleDialog(FormDialog):
    """A role's permissions, one check box each."""

    def __init__(
        self, ctx: ServiceContext, role: accounts.RoleRow, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(
            self.tr("角色权限"),
            role.name,
            self.tr("三权分立：同一角色不能同时拥有账号管理、系统与安全设置和审计日志。"),
            parent,
            ctx=ctx,
            width=420,
        )
        self._ctx, self._role = ctx, role
        self.boxes: dict[str, QtWidgets.QCheckBox] = {}
        for code, label in PERMISSIONS.items():
            box = QtWidgets.QCheckBox(label)
            box.setChecked(code in role.permissions)
            self.boxes[code] = box
            self.add_row(code, "", box)
        self.fields["permissions"] = next(iter(self.boxes.values()))

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def submit(self) -> None:
        accounts.save_role_permissions(self._ctx, self._role.name, self.chosen())
