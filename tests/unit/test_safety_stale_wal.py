"""Issue 15: a ``-wal`` left beside a database file copied in by hand is not applied silently; the CLI sets
it aside (renamed, never deleted); a ``-wal`` left by a crash is still applied."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import main as cli_main
from desktop.core.errors import StaleWalError
from desktop.services import structure as st
from desktop.services.bootstrap import open_database

ROOT = Path(__file__).resolve().parents[2]


def _crash_after_renaming(db: Path, name: str) -> None:
    """Rename the street in another process that then dies without closing (its -wal stays, unmerged)."""
    code = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint=0'); "
        "c.execute('UPDATE street SET name = ?', (sys.argv[2],)); c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(db), name], check=True, cwd=ROOT)
    assert Path(f"{db}-wal").stat().st_size > 32


def _street(db: Path) -> str:
    opened = open_database(db)
    try:
        return st.get_street(opened.ctx).name
    finally:
        opened.ctx.database.dispose()


@pytest.fixture
def named_db(db_path: Path) -> Path:
    opened = open_database(db_path)
    st.save_street(opened.ctx, "钢城街道")
    opened.ctx.database.dispose()  # checkpointed: the file alone is complete
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    return db_path


def test_a_copied_in_file_with_an_old_wal_beside_it_is_refused_then_set_aside(
    named_db: Path, tmp_path: Path, capsys
):
    copy = tmp_path / "手动备份.sqlite3"
    shutil.copyfile(named_db, copy)
    _crash_after_renaming(named_db, "后来改的名")
    wal = Path(f"{named_db}-wal")
    past = wal.stat().st_mtime - 3600
    os.utime(wal, (past, past))  # the -wal was last written an hour ago …
    shutil.copyfile(copy, named_db)  # … and now the hand-made copy is put back over the file
    before = named_db.read_bytes()
    with pytest.raises(StaleWalError) as caught:
        open_database(named_db)
    message = str(caught.value)
    assert "shequ.sqlite3-wal" in message and "之后才放到这里" in message and "wal set-aside" in message
    assert named_db.read_bytes() == before and wal.exists()  # nothing opened, nothing changed

    assert cli_main(["--db", str(named_db), "wal", "set-aside"]) == 0
    wal_size = 0 if wal.exists() else None
    kept = [p for p in named_db.parent.glob("shequ.sqlite3.stale-*-wal")]
    assert len(kept) == 1 and kept[0].stat().st_size > 32 and wal_size is None  # renamed, never deleted
    assert "已改名保留" in capsys.readouterr().out
    assert _street(named_db) == "钢城街道"  # the copy as it was: the old changes were not replayed


def test_a_wal_left_by_a_crash_is_applied(named_db: Path) -> None:
    _crash_after_renaming(named_db, "崩溃前改的名")
    assert _street(named_db) == "崩溃前改的名"


def test_a_wal_from_another_database_is_refused(named_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    code = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA page_size=8192'); "
        "c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0'); "
        "c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)'); c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(other)], check=True, cwd=ROOT)
    shutil.copy2(Path(f"{other}-wal"), Path(f"{named_db}-wal"))  # newer than the file: no time sign
    with pytest.raises(StaleWalError) as caught:
        open_database(named_db)
    assert "页大小（8192）" in str(caught.value)
    assert cli_main(["--db", str(named_db), "wal", "set-aside"]) == 0
    assert _street(named_db) == "钢城街道"
