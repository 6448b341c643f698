"""修改角色/范围 on the accounts page: the present role and grids shown, a 调解员 needs their 调解委员会, the list
shows the new scope."""

from __future__ import annotations

from desktop.services import accounts
from desktop.services.accounts import AccountInput
from desktop.services.structure import list_grids
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import QtCore, QtWidgets
from tests.unit.test_mediation_helpers import setup_committee

ADMIN = "Admin#2026x"
PW = "Work#2026xy"


def test_the_scope_button_changes_role_grids_and_committee(qtbot, street_ctx):
    committee = setup_committee(street_ctx)[0]
    accounts.create_account(street_ctx, AccountInput("zhang", "管理员", "张主任"), ADMIN)
    admin = street_ctx.signed_in(accounts.sign_in(street_ctx, "zhang", ADMIN).account)
    grid = list_grids(admin)[0]
    accounts.create_account(admin, AccountInput("li", "网格员", grid_ids=[grid.id]), PW)
    window = MainWindow(admin)
    qtbot.addWidget(window)
    window.show_area("accounts")
    page = window.page("accounts")
    logins = [page.model.row_at(r).login for r in range(page.model.rowCount())]
    page.table.selectRow(logins.index("li"))
    dialog = page._on_scope_button_clicked()
    assert dialog.windowTitle() == "修改角色/范围"
    assert dialog.role_combo.currentData() == "网格员" and dialog.checked_grids() == [grid.id]
    assert dialog.grid_list.isEnabled() and not dialog.committee_combo.isEnabled()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("调解员"))
    assert dialog.committee_combo.isEnabled() and not dialog.grid_list.isEnabled()
    dialog.ok_button.click()
    assert "调解委员会" in dialog.error_label.text()  # a 调解员 belongs to one committee
    dialog.committee_combo.setCurrentIndex(dialog.committee_combo.findData(committee))
    dialog.ok_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    rows = {page.model.row_at(r).login: page.model.row_at(r) for r in range(page.model.rowCount())}
    assert rows["li"].role == "调解员" and rows["li"].committee == "新华社区人民调解委员会"
    assert rows["li"].grids == ()
    shown = page.model.index(list(rows).index("li"), 3).data(QtCore.Qt.ItemDataRole.DisplayRole)
    assert shown == "新华社区人民调解委员会"
    signed = street_ctx.signed_in(accounts.sign_in(street_ctx, "li", PW).account)
    assert signed.account is not None and signed.account.committee_id == committee
