"""Demo-data benchmark: ``shequ demo --scale street`` (钢城街道, 130,590 residents) on a temp database.

Run: ``.venv/bin/python -m tests.bench.bench_demo [--seed N] [--no-force]``. Prints a table (step, seconds,
rows); not a pass/fail test (target: well under 60 s on a 2-core machine, the whole command).

1. the real command in a fresh process on an empty database (what a user waits for);
2. the same generation in-process on another empty database, step by step (Python vs SQL vs commit);
3. unless ``--no-force``: the command again with ``--force`` on the first database (clear + regenerate).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0


def _command(db: Path, seed: int, env: dict[str, str], *extra: str) -> tuple[float, str]:
    t = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.app",
            "--db",
            str(db),
            "demo",
            "--scale",
            "street",
            "--seed",
            str(seed),
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - t, done.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--no-force", action="store_true", help="skip the --force run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SHEQU_HOME"] = str(folder / "home")  # logs and backups stay in the temp folder
        env = {**os.environ}
        rows: list[tuple[str, float, int | str]] = []

        wall, out = _command(folder / "cli.sqlite3", args.seed, env)
        rows.append(("命令行全程：shequ demo --scale street（新进程、空库）", wall, "—"))

        from desktop.services import demo
        from desktop.services.bootstrap import open_database

        t = time.perf_counter()
        opened = open_database(folder / "steps.sqlite3")
        rows.append(("打开并迁移空数据库（进程内）", time.perf_counter() - t, 0))
        summary = demo.generate(opened.ctx, scale="street", seed=args.seed)
        opened.ctx.database.dispose()
        rows += [(f"  {s.label}", s.seconds, s.rows) for s in summary.steps]
        rows.append(
            (
                "demo.generate 合计（进程内）",
                summary.seconds,
                summary.households + summary.residents + summary.tags,
            )
        )

        if not args.no_force:
            wall, _ = _command(folder / "cli.sqlite3", args.seed, env, "--force")
            rows.append(("命令行全程：再次生成，--force（清空后重建）", wall, "—"))
        size = (folder / "cli.sqlite3").stat().st_size

    width = max(len(r[0]) for r in rows) + 2
    print()
    print(f"| {'step':<{width}} | seconds | {'rows':>9} |")
    print(f"|{'-' * (width + 2)}|--------:|----------:|")
    for label, seconds, n in rows:
        shown = f"{n:,}" if isinstance(n, int) else n
        print(f"| {label:<{width}} | {seconds:7.2f} | {shown:>9} |")
    print()
    print(out)
    print(
        f"数据库文件 {size / 1e6:.0f} MB；目标：命令行全程 < {TARGET_S:.0f} 秒；"
        f"Python {sys.version.split()[0]}，{os.cpu_count()} 核。"
    )


if __name__ == "__main__":
    main()
