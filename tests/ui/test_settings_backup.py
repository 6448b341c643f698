"""设置 → 备份与恢复, and the restore offered at start-up on a damaged database (issue 15 §7), through
real widgets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.core.errors import DamagedDatabaseError
from desktop.services import backups
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import QtCore, QtWidgets


@pytest.fixture
def answered_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox,
        "question",
        lambda *a, **k: said.append(a[2]) or QtWidgets.QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: said.append(a[2]) or 0)
    return said


def test_restore_from_the_settings_page(qtbot, street_ctx, db_path: Path, clock, answered_yes) -> None:
    first = backups.backup_now(street_ctx, "manual")
    st.save_street(street_ctx, "后来改名的街道")
    clock.advance(__import__("datetime").timedelta(hours=2))
    backups.backup_now(street_ctx, "manual")
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_area("settings")
    page = window.page("settings")
    box = page.restore_box
    assert box.table.rowCount() == 2 and box.table.item(1, 3).text() == first.path.name
    assert window.street_label.text() == "后来改名的街道"

    box.table.selectRow(1)  # the older one
    qtbot.mouseClick(box.restore_button, QtCore.Qt.MouseButton.LeftButton)

    assert "替换当前数据库" in answered_yes[0]
    assert "已从备份恢复并校验" in answered_yes[-1] and "改名保留" in answered_yes[-1]
    assert st.get_street(street_ctx).name == "钢城街道"  # the same context now reads the restored file
    assert window.street_label.text() == "钢城街道"  # the window was told: everything changed
    assert page.street_name.text() == "钢城街道"
    with street_ctx.read() as s:
        (summary,) = s.scalars(select(AuditRecord.summary).where(AuditRecord.action == "restore"))
    assert first.path.name in summary
    kept = [p for p in db_path.parent.iterdir() if ".before-restore-" in p.name]
    assert kept, "the replaced database is kept aside"
    assert box.table.rowCount() == 3  # plus the backup taken before restoring


def test_a_damaged_database_at_start_up_offers_its_newest_backup(
    qtbot, street_ctx, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.pages.settings_backup import offer_restore

    info = backups.backup_now(street_ctx, "manual")
    street_ctx.database.dispose()
    db_path.write_bytes(os.urandom(8192))
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(db_path)
    shown: list[str] = []

    def click_restore(box: QtWidgets.QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "从最新备份恢复").click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", click_restore)
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]) or 0)

    assert offer_restore(refused.value, str(db_path)) is True
    assert str(info.path) in shown[0] and "已从备份恢复并校验" in shown[-1]
    reopened = open_database(db_path)
    try:
        assert st.get_street(reopened.ctx).name == "钢城街道"
    finally:
        reopened.ctx.database.dispose()


def test_declining_the_offer_leaves_the_damaged_file_alone(street_ctx, db_path: Path, monkeypatch) -> None:
    from desktop.ui.pages.settings_backup import offer_restore

    backups.backup_now(street_ctx, "manual")
    street_ctx.database.dispose()
    db_path.write_bytes(b"")
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(db_path)

    def click_quit(box: QtWidgets.QMessageBox) -> int:
        next(b for b in box.buttons() if b.text() == "退出").click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", click_quit)
    assert offer_restore(refused.value, str(db_path)) is False
    assert db_path.stat().st_size == 0


def test_a_sealed_backup_is_marked_explained_and_restores(qtbot, street_ctx, db_path: Path, answered_yes) -> None:
    """A backup from before field encryption, sealed with the data key (db.sealed): 设置 → 备份与恢复 says so, and
    restoring it decrypts it first."""
    from db.crypto import keys_of
    from db.sealed import seal_file

    first = backups.backup_now(street_ctx, "manual")
    sealed = seal_file(first.path, keys_of(street_ctx.database))
    first.path.unlink()
    st.save_street(street_ctx, "后来改名的街道")
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_area("settings")
    box = window.page("settings").restore_box
    rows = {box.table.item(r, 3).text(): r for r in range(box.table.rowCount())}
    assert box.table.item(rows[sealed.name], 1).text() == "手动备份（已加密）"
    assert box.sealed_note.isVisible() and "已用本数据库的数据密钥整体加密" in box.sealed_note.text()
    box.table.selectRow(rows[sealed.name])
    qtbot.mouseClick(box.restore_button, QtCore.Qt.MouseButton.LeftButton)
    assert "已从备份恢复并校验" in answered_yes[-1]
    assert st.get_street(street_ctx).name == "钢城街道"
    assert not list(sealed.parent.glob(".shequ-*"))  # the decrypted copy is gone
