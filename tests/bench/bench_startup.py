"""Start-up benchmark: process start to a usable main window (工作台 showing its figures).

Run: ``.venv/bin/python -m tests.bench.bench_startup [--db PATH]`` — without --db a street-scale
database is generated first (``shequ demo --scale street``). Prints a table; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.5


def _street_db(folder: Path) -> Path:
    path = folder / "street.sqlite3"
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "desktop.app", "--db", str(path), "demo", "--scale", "street"], check=True
    )
    print(f"（生成街道规模演示库用时 {time.perf_counter() - t:.1f} 秒）")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "SHEQU_HOME": tmp,
        }
        db = args.db or _street_db(Path(tmp))
        walls, inner = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            out = subprocess.run(
                # the demo made its accounts: sign in as the street's administrator (README: 演示账号)
                [sys.executable, "-m", "desktop.app", "--db", str(db), "--user", "street", "--password-stdin", "--smoke"],
                input="Demo@2026\n",
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            walls.append(time.perf_counter() - t)
            inner.append(float(out.split()[-1]))
    print()
    print("| measure                                   | median (s) | max (s) | target (s) |")
    print("|-------------------------------------------|-----------:|--------:|-----------:|")
    print(
        f"| process start → usable window (wall)      | {statistics.median(walls):10.3f} | {max(walls):7.3f} | {TARGET_S:10.1f} |"
    )
    print(
        f"| QApplication → usable window (in-process) | {statistics.median(inner):10.3f} | {max(inner):7.3f} |            |"
    )
    print(f"runs: {args.runs}, database: {'given' if args.db else 'street-scale demo'}")


if __name__ == "__main__":
    main()
