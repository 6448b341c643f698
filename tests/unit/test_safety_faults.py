"""Fault tests (issue 15): a process killed with SIGKILL at a random point of an import or a backup leaves
a sound database (integrity_check, foreign_key_check), all or nothing of the import, and no backup file
that does not verify; what an interrupted backup left is removed on the next start."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.backup import verify_backup
from desktop.services.bootstrap import open_database
from tests.unit.resident_rosters import make_id, person, write_csv

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL"),
    pytest.mark.usefixtures("file_keys"),  # the children read the data key the parent made
]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂"


def cli(*args: str) -> subprocess.Popen[bytes]:
    # on a database without accounts, as every command-line test of the suite (tests/conftest.py)
    code = (
        "import sys; import desktop.cli.auth as auth; auth.ADMIN_FIRST = False; "
        "from desktop.app import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def kill_after(proc: subprocess.Popen[bytes], seconds: float) -> bool:
    """SIGKILL ``proc`` after ``seconds`` unless it ended first; True if it was killed mid-work."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def sound(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("resident", "household")}
    finally:
        conn.close()


@pytest.mark.parametrize("run", range(3))
def test_kill_9_mid_import_leaves_all_or_nothing(street_ctx, db_path: Path, tmp_path: Path, run: int) -> None:
    n = 3000
    rows = [
        person(
            SURNAMES[k % 10] + GIVEN[k // 10 % 22] + GIVEN[k // 220 % 22],
            make_id(born=f"19{60 + k % 40:02d}0{1 + k % 9}{10 + k % 18}", seq=f"{k % 1000:03d}"),
            building=f"{k % 20 + 1}号楼",
            room=f"{k % 300 + 101}",
            household=f"H{k // 3:05d}",
            relation="户主" if k % 3 == 0 else "子女",
        )
        for k in range(n)
    ]
    roster = write_csv(tmp_path / "居民.csv", rows, encoding="utf-8-sig")
    street_ctx.database.dispose()
    before = sound(db_path)
    delay = random.Random(1500 + run).uniform(0.8, 4.0)
    killed = kill_after(cli("--db", str(db_path), "import", "residents", str(roster)), delay)
    after = sound(db_path)
    assert after["resident"] in (before["resident"], before["resident"] + n), (delay, killed, after)
    if not killed:  # it ran to its end: all of it is there (a refused command would leave nothing)
        assert after["resident"] == before["resident"] + n, (delay, after)
    if after["resident"] == before["resident"]:
        assert after["household"] == before["household"]
    opened = open_database(db_path)  # and it opens again
    opened.ctx.database.dispose()


@pytest.mark.parametrize("run", range(2))
def test_kill_9_mid_backup_leaves_no_unverified_backup(street_ctx, db_path: Path, run: int) -> None:
    street_ctx.database.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE ballast (x BLOB)")  # ~40 MB, so that the backup takes a while
    conn.executemany("INSERT INTO ballast VALUES (randomblob(1000000))", [()] * 40)
    conn.commit()
    conn.close()
    folder = db_path.parent / "backups"
    delay = random.Random(99 + run).uniform(0.7, 2.0)
    killed = kill_after(cli("--db", str(db_path), "backup"), delay)
    for p in folder.glob("*/shequ-*.sqlite3"):  # any backup under its final name is complete and verifies
        verify_backup(p)
    opened = open_database(db_path)
    try:
        assert not list(folder.glob("*/.shequ-*")), killed  # leftovers removed at the next start
        sound(db_path)
    finally:
        opened.ctx.database.dispose()


DEMO_TABLES = ("resident", "household", "community", "grid", "mediation_case", "grid_event", "party_member")


def _demo_state(path: Path) -> dict[str, int]:
    """Row counts of a sound database, and its demo audit records."""
    sound(path)
    conn = sqlite3.connect(path)
    try:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in DEMO_TABLES}
        counts["demo"] = conn.execute("SELECT COUNT(*) FROM audit_record WHERE action = 'demo'").fetchone()[0]
        return counts
    finally:
        conn.close()


def test_kill_9_mid_demo_leaves_the_old_data_or_the_whole_demo(
    street_ctx, db_path: Path, tmp_path: Path
) -> None:
    from desktop.services import demo

    reference = open_database(tmp_path / "reference" / "shequ.sqlite3")
    demo.generate(reference.ctx, "small")  # what the whole small demo is
    reference.ctx.database.dispose()
    whole = _demo_state(tmp_path / "reference" / "shequ.sqlite3")
    street_ctx.database.dispose()
    before = _demo_state(db_path)
    assert before["demo"] == 0 and whole["demo"] == 1
    proc = cli("--db", str(db_path), "demo", "--force")
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:  # the demo's transaction is being written
        if wal.exists() and wal.stat().st_size > 256 * 1024:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    after = _demo_state(db_path)  # integrity_check and foreign_key_check pass either way
    assert killed
    assert after in (before, whole), after  # the old data untouched, or the whole demo
    opened = open_database(db_path)
    opened.ctx.database.dispose()
