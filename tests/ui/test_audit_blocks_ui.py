"""Issue 16 on the 审计日志 page: after an import whose changes are kept in compressed blocks, the record filter
still lists the one resident's changes, and the unfiltered list shows the import's changes one by one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.schema.people import Resident
from desktop.services import accounts
from desktop.services.accounts import AccountInput
from desktop.services.residents.exchange import import_residents
from desktop.ui.main_window import MainWindow
from tests.unit.resident_rosters import write_csv
from tests.unit.test_audit_blocks import roster_rows

ADMIN = "Admin#2026x"
PW = "Work#2026xy"


def test_the_audit_page_shows_each_imported_residents_change(qtbot, street_ctx, tmp_path: Path) -> None:
    import_residents(street_ctx, write_csv(tmp_path / "a.csv", roster_rows(60), encoding="utf-8-sig"))
    import_residents(
        street_ctx, write_csv(tmp_path / "b.csv", roster_rows(60, changed=True), encoding="utf-8-sig")
    )
    with street_ctx.read() as s:
        rid, name = s.execute(select(Resident.id, Resident.name).where(Resident.version == 2)).first()
    accounts.create_account(street_ctx, AccountInput("zhang", "管理员", "张主任"), ADMIN)
    admin = street_ctx.signed_in(accounts.sign_in(street_ctx, "zhang", ADMIN).account)
    accounts.create_account(admin, AccountInput("shen", "审计管理员", must_change_password=False), PW)
    auditor = street_ctx.signed_in(accounts.sign_in(street_ctx, "shen", PW).account)
    window = MainWindow(auditor)
    qtbot.addWidget(window)
    window.show_area("audit")
    page = window.page("audit")
    shown = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert sum(1 for line in shown if line.entity == "resident" and line.action == "create") == 60
    assert page.entity_combo.findData("resident") >= 0 and page.action_combo.findData("detail") < 0
    page.entity_combo.setCurrentIndex(page.entity_combo.findData("resident"))
    page.record_edit.setText(str(rid))
    page.search_button.click()
    lines = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert [(x.action_label, x.entity_id) for x in lines] == [("修改", str(rid)), ("新建", str(rid))]
    assert lines[0].summary == f"导入时更新居民 {name}" and "共 2 条" in page.count_label.text()


def test_the_auditor_checks_the_chain_from_the_audit_page(qtbot, street_ctx) -> None:
    """The 审计管理员 has no 设置: the chain check (``shequ audit verify``) is on the 审计日志 page."""
    import sqlite3

    accounts.create_account(street_ctx, AccountInput("zhang", "管理员", "张主任"), ADMIN)
    admin = street_ctx.signed_in(accounts.sign_in(street_ctx, "zhang", ADMIN).account)
    accounts.create_account(admin, AccountInput("shen", "审计管理员", must_change_password=False), PW)
    auditor = street_ctx.signed_in(accounts.sign_in(street_ctx, "shen", PW).account)
    window = MainWindow(auditor)
    qtbot.addWidget(window)
    window.show_area("audit")
    page = window.page("audit")
    assert page.verify_button.isVisibleTo(window) and page.verify_button.isEnabled()
    page.verify_button.click()
    qtbot.waitUntil(
        lambda: page.verdict_label.isVisibleTo(window) and page.verify_button.isEnabled(), timeout=10_000
    )
    assert page.verdict_label.text().startswith("✔")

    path = street_ctx.database.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as conn:  # someone edits a record with a database tool
        victim = conn.execute("SELECT min(id) FROM audit_record").fetchone()[0]
        conn.execute("UPDATE audit_record SET summary = summary || '（改）' WHERE id = ?", (victim,))
    page.verify_button.click()
    qtbot.waitUntil(
        lambda: page.verdict_label.text().startswith("✘") and page.verify_button.isEnabled(), timeout=10_000
    )
    assert f"第 {victim} 条" in page.verdict_label.text()
