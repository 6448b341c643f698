"""Benchmark (issue 15, point 9): how long a residents import holds SQLite's write lock, and how long an
interactive write (saving the street's name, from another process) waits meanwhile.

Run: ``.venv/bin/python -m tests.bench.bench_import_lock [--rows 100000]``. Prints the import's total time,
each write transaction's hold time and the interactive writer's longest wait; not pass/fail (the suite
checks the same with a modest row count in tests/unit/test_safety_locks.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from tests.unit.resident_rosters import make_id, person, write_csv

ROOT = Path(__file__).resolve().parents[2]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂"

#: run in a child process: the import, with each write transaction's hold time printed as "HOLD <seconds>"
IMPORT_CHILD = """
import sys, time
from pathlib import Path
from desktop.services.bootstrap import open_database
from desktop.services.residents.exchange import import_residents
from tests.unit.lock_timing import WriteLockTimer
ctx = open_database(Path(sys.argv[1])).ctx
timer = WriteLockTimer(ctx.database.engine)
t0 = time.perf_counter()
report = import_residents(ctx, Path(sys.argv[2]))
total = time.perf_counter() - t0
ctx.database.dispose()
for hold in timer.holds:
    print("HOLD", f"{hold:.3f}")
print("TOTAL", f"{total:.3f}", "CREATED", report.created)
"""


def roster_rows(n: int, offset: int = 0) -> list[list[object]]:
    """``n`` valid, distinct residents (3 to a household)."""
    rows = []
    for k in range(offset, offset + n):
        day = 1 + k // 1000 % 28
        month = 1 + k // 28_000 % 12
        rows.append(
            person(
                SURNAMES[k % 10] + GIVEN[k // 10 % 22] + GIVEN[k // 220 % 22],
                make_id(born=f"19{50 + k // 336_000 % 40:02d}{month:02d}{day:02d}", seq=f"{k % 1000:03d}"),
                building=f"{k % 20 + 1}号楼",
                room=f"{k % 300 + 101}",
                household=f"H{k // 3:06d}",
                relation="户主" if k % 3 == 0 else "子女",
            )
        )
    return rows


def base_database(path: Path) -> Path:
    ctx = open_database(path).ctx
    st.save_street(ctx, "钢城街道")
    c1 = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    st.save_grid(ctx, st.GridInput(c1, "GC-01-001", "新华一网格", "BASIC", None, 1, 1))
    ctx.database.dispose()
    return path


def start_import(db: Path, roster: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORT_CHILD, str(db), str(roster)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def interactive_waits(db: Path, proc: subprocess.Popen[str], pause: float = 0.2) -> tuple[list[float], int]:
    """Save the street's name again and again while ``proc`` runs: how long each save took, how many failed
    ("database is locked" after the busy timeout)."""
    ctx = open_database(db).ctx
    waits = []
    failed = 0
    try:
        k = 0
        while proc.poll() is None:
            t0 = time.perf_counter()
            try:
                st.save_street(ctx, f"钢城街道{k % 2 or ''}")
            except Exception:
                failed += 1
            waits.append(time.perf_counter() - t0)
            k += 1
            time.sleep(pause)
    finally:
        ctx.database.dispose()
    return waits, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SHEQU_HOME"] = str(folder / "home")
        roster = write_csv(folder / "居民.csv", roster_rows(args.rows), encoding="utf-8-sig")
        db = base_database(folder / "shequ.sqlite3")
        proc = start_import(db, roster)
        waits, failed = interactive_waits(db, proc)
        out, err = proc.communicate()
        if proc.returncode != 0:
            print(err)
        print(out.strip())
        if waits:
            print(f"interactive saves: {len(waits)}, failed {failed}, longest wait {max(waits):.3f} s")


if __name__ == "__main__":
    main()
