"""Torture run (issue 15): kill -9 at random points of a residents import, the small demo and a backup,
many times, and print what each run left: integrity_check, foreign_key_check, resident count (all or
nothing: the import's 0 or 3,000; the demo's 0 with demo_done=0, or 2,000 with demo_done=1), unverified
backups, leftovers after the next start. Not a pass/fail test; the suite runs a few
of these (tests/unit/test_safety_faults.py).

Run: ``.venv/bin/python -m tests.bench.bench_faults [--runs 10]``
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
from pathlib import Path

from db.backup import verify_backup
from desktop.core.errors import DatabaseError
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from tests.unit.resident_rosters import write_csv
from tests.unit.test_safety_faults import GIVEN, SURNAMES, cli, kill_after


def _base(folder: Path) -> Path:
    db = folder / "base.sqlite3"
    ctx = open_database(db).ctx
    st.save_street(ctx, "钢城街道")
    c1 = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    st.save_grid(ctx, st.GridInput(c1, "GC-01-001", "新华一网格", "BASIC", None, 1, 1))
    ctx.database.dispose()
    return db


def _state(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fk = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        residents = conn.execute("SELECT COUNT(*) FROM resident").fetchone()[0]
        demo = conn.execute("SELECT COUNT(*) FROM audit_record WHERE action = 'demo'").fetchone()[0]
    finally:
        conn.close()
    bad = 0
    for p in (db.parent / "backups").glob("*/shequ-*.sqlite3"):
        try:
            verify_backup(p)
        except DatabaseError:
            bad += 1
    opened = open_database(db)
    opened.ctx.database.dispose()
    left = len(list((db.parent / "backups").glob("*/.shequ-*")))
    return (
        f"integrity={ok} fk_violations={fk} residents={residents} demo_done={demo} "
        f"bad_backups={bad} leftovers={left}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rnd = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SHEQU_HOME"] = str(folder / "home")
        from tests.unit.resident_rosters import make_id, person

        rows = [
            person(
                SURNAMES[k % 10] + GIVEN[k // 10 % 22] + GIVEN[k // 220 % 22],
                make_id(born=f"19{60 + k % 40:02d}0{1 + k % 9}{10 + k % 18}", seq=f"{k % 1000:03d}"),
                household=f"H{k // 3:05d}",
            )
            for k in range(3000)
        ]
        roster = write_csv(folder / "居民.csv", rows, encoding="utf-8-sig")
        base = _base(folder)
        jobs = {
            "import": lambda db: cli("--db", str(db), "import", "residents", str(roster)),
            "demo": lambda db: cli("--db", str(db), "demo", "--force"),
            "backup": lambda db: cli("--db", str(db), "backup"),
        }
        for what, start in jobs.items():
            for run in range(args.runs):
                work = folder / f"{what}-{run}"
                work.mkdir()
                db = work / "shequ.sqlite3"
                db.write_bytes(base.read_bytes())
                delay = rnd.uniform(0.8, 6.0)
                killed = kill_after(start(db), delay)
                print(f"{what:6} run {run:2}  kill at {delay:4.1f} s  killed={killed!s:5}  {_state(db)}")


if __name__ == "__main__":
    main()
