"""设置 › 数据密钥与审计: the recovery key shown after confirmation (and audited), the audit chain check."""

from __future__ import annotations

from db.crypto import keys_of
from desktop.services.audit import list_for
from desktop.ui.pages.settings_page import SettingsPage
from desktop.ui.qt import QtWidgets


def test_recovery_key_and_audit_check(qtbot, street_ctx, monkeypatch) -> None:
    page = SettingsPage(street_ctx)
    qtbot.addWidget(page)
    box = page.security_box
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "question", lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes
    )
    box.recovery_button.click()
    assert keys_of(street_ctx.database).recovery_key() in box.result_label.text()
    with street_ctx.read() as s:
        assert list_for(s, "database_identity")[0].summary == "查看数据库恢复密钥"
    box.verify_button.click()
    assert box.result_label.text().startswith("审计链完好")
