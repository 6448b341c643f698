"""Issue 15, point 4: backups from before database identities (directly in ``backups/``) are adopted into
the database's own folder when they are its own, then listed (``backup --list``), and never rotated away."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from db.backup import backup_dir_for, rotate
from desktop.app import main
from desktop.services import backups
from desktop.services import structure as st
from desktop.services.bootstrap import open_database


def _legacy_copy(backup: Path, root: Path, stamp: str, *, identity: str | None) -> Path:
    """A backup as builds before identities left it: in ``backups/`` itself, no identity in its sidecar;
    inside, the ``setting`` row holds ``identity`` (None: deleted, as in a file from before identities)."""
    target = root / f"shequ-{stamp}-manual.sqlite3"
    shutil.copyfile(backup, target)
    conn = sqlite3.connect(target)
    if identity is None:
        conn.execute("DELETE FROM setting WHERE key = 'database.identity'")
    else:
        conn.execute("UPDATE setting SET value = ? WHERE key = 'database.identity'", (f'"{identity}"',))
    conn.commit()
    conn.close()
    return target


def test_own_backups_from_before_identities_are_adopted_listed_and_kept(
    street_ctx, db_path: Path, capsys
) -> None:
    info = backups.backup_now(street_ctx, "manual")
    own = backup_dir_for(street_ctx.database)
    identity = own.name
    street_ctx.database.dispose()
    root = db_path.parent / "backups"
    mine = _legacy_copy(info.path, root, "20250101-080000", identity=None)
    with sqlite3.connect(info.path) as conn:
        full = conn.execute("SELECT value FROM setting WHERE key = 'database.identity'").fetchone()[0]
    same = _legacy_copy(info.path, root, "20250102-080000", identity=full.strip('"'))
    foreign = _legacy_copy(info.path, root, "20250103-080000", identity="f" * 32)

    opened = open_database(db_path)  # the first start of this build
    try:
        assert not mine.exists() and not same.exists() and foreign.exists()  # another database's stays
        adopted = {own / mine.name, own / same.name}
        assert all(p.exists() for p in adopted)
        assert adopted <= {b.path for b in backups.list_all(opened.ctx)}
        assert rotate(own, dt.datetime(2026, 11, 23, 10, 0), daily=0, weekly=0, monthly=0) == []
        assert all(p.exists() for p in adopted)  # rotation never removes them
        assert st.get_street(opened.ctx).name == "钢城街道"
    finally:
        opened.ctx.database.dispose()
    assert identity
    assert main(["--db", str(db_path), "backup", "--list"]) == 0
    out = capsys.readouterr().out
    assert mine.name in out and same.name in out and foreign.name not in out


def test_backups_without_identity_stay_when_another_database_shares_the_folder(
    street_ctx, db_path: Path
) -> None:
    info = backups.backup_now(street_ctx, "manual")
    street_ctx.database.dispose()
    root = db_path.parent / "backups"
    orphan = _legacy_copy(info.path, root, "20250101-080000", identity=None)
    shutil.copyfile(db_path, db_path.with_name("另一个.sqlite3"))  # two databases use this folder
    opened = open_database(db_path)
    opened.ctx.database.dispose()
    assert orphan.exists()  # whose it is cannot be told: left where it was
