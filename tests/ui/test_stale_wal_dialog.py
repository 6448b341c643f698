"""Issue 15: at start-up, a -wal that is not the database file's is offered to be set aside (qtbot)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from desktop.core.errors import StaleWalError
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from tests.unit.test_safety_stale_wal import _crash_after_renaming


def test_a_stale_wal_at_start_up_is_set_aside_when_asked(
    qtbot, street_ctx, db_path: Path, tmp_path, monkeypatch
) -> None:
    from desktop.ui.pages.settings_backup import offer_stale_wal

    street_ctx.database.dispose()
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(db_path, copy)
    _crash_after_renaming(db_path, "后来改的名")
    wal = Path(f"{db_path}-wal")
    past = wal.stat().st_mtime - 3600
    os.utime(wal, (past, past))
    shutil.copyfile(copy, db_path)
    with pytest.raises(StaleWalError) as refused:
        open_database(db_path)
    shown: list[str] = []

    def click(box: QtWidgets.QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "改名放在一旁后打开").click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", click)
    choice = offer_stale_wal(refused.value)
    assert choice == "set-aside" and "shequ.sqlite3-wal" in shown[0]
    opened = open_database(db_path, stale_wal=choice)
    try:
        assert st.get_street(opened.ctx).name == "钢城街道"  # the copy as it was
    finally:
        opened.ctx.database.dispose()
    assert len(list(db_path.parent.glob("shequ.sqlite3.stale-*-wal"))) == 1
