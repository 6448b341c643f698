"""Benchmark: does each resident operation grow linearly (or better) from one street (130,590) to four (522,360)?

Run: ``.venv/bin/python -m tests.bench.bench_scale4x --db STREET.sqlite3 [--dir DIR] [--repeat 3]``. Prints a table;
not pass/fail. ``--db`` is a street-scale database (``shequ demo --scale street``: residents, households,
visits, events, accounts); it is copied, never written. The four-street register is that copy with its
households, residents, tags and population changes inserted three more times
(``tests.bench.bench_search_scale.quadruple``). ``--dir`` keeps both databases for the next run.

Each operation runs at 1× and 4×, interleaved, and prints the medians and the growth exponent
log(t4 / t1) / log 4: 1 means linear in the register, 0 flat; above 1.1 is marked ✗ (super-linear). The
operations are the ones a user waits for: the 居民 list opened (ids + first page of 200 rows), searches,
the name sort, the street's 月报 (monthly report) and the masked export of the whole register. The import
grows with the roster rather than the register, so it imports a 25,000-row and a 100,000-row roster (the
first residents of the street, written by ``tests.bench.bench_resident_exchange.build_roster``) into the
street's structure without residents: the exponent is then log(t100k / t25k) / log 4.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MONTH = "2026-11"
LIMIT = 1.1


def _timed(one: Callable[[], object], four: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds at 1× and at 4×, the two sizes alternating run by run (after one warm-up run each), so
    that a burst of load from other processes falls on both."""
    one()
    four()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((one, times[0]), (four, times[1])):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1])


def _line(label: str, size1: str, size4: str, t1: float, t4: float, goal: str = "") -> str:
    grow = math.log(t4 / t1) / math.log(4) if t1 > 0 and t4 > 0 else float("nan")
    mark = "✗" if grow > LIMIT else "✓"
    return f"| {label} | {size1} | {size4} | {_fmt(t1)} | {_fmt(t4)} | {grow:.2f} {mark} | {goal} |"


def _cpu_growth(one: float, four: float) -> str:
    """The exponent of the CPU time as well: steadier than the wall time when other processes share the CPUs."""
    return f"CPU {one:.1f} s → {four:.1f} s，指数 {math.log(four / one) / math.log(4):.2f}"


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _signed_in(path: Path) -> Any:  # a ServiceContext, imported late like every benchmark does
    from desktop.core.identity import Actor
    from desktop.services.access import accounts_exist
    from desktop.services.accounts import sign_in
    from desktop.services.bootstrap import open_database
    from tests.bench.bench_resident_export import DEMO_PASSWORD, DEMO_USER

    ctx = open_database(path, actor=Actor("bench", "bench-pc")).ctx
    if accounts_exist(ctx):
        ctx = ctx.signed_in(sign_in(ctx, DEMO_USER, DEMO_PASSWORD).account)
    return ctx


def _imports(one: Path, folder: Path, lines: list[str]) -> None:
    """The roster import at 25,000 and 100,000 rows, each into a fresh copy of the street's structure."""
    from desktop.core.identity import Actor
    from desktop.services.bootstrap import open_database
    from desktop.services.residents.exchange import import_residents
    from desktop.services.structure.exchange import export_grids, import_grids
    from tests.bench.bench_resident_exchange import build_roster

    ctx = _signed_in(one)
    grids = folder / "grids.xlsx"
    export_grids(ctx, grids)
    rosters = []
    for rows in (25_000, 100_000):
        roster = folder / f"roster{rows}.xlsx"
        if not roster.exists():
            build_roster(ctx, roster, rows)
        rosters.append((rows, roster))
    ctx.database.dispose()
    times: list[float] = []
    cpu: list[float] = []
    for rows, roster in rosters:
        target_path = folder / f"import{rows}.sqlite3"
        target_path.unlink(missing_ok=True)
        target = open_database(target_path, actor=Actor("bench", "bench-pc")).ctx
        import_grids(target, grids)
        t0, c0 = time.perf_counter(), time.process_time()
        report = import_residents(target, roster)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        assert report.created == rows and report.rejected == 0, report.describe()[:1000]
        target.database.dispose()
        target_path.unlink()
        print(f"导入 {rows:,} 行：{times[-1]:.1f} 秒", flush=True)
    lines.append(
        _line("导入名册（25,000 行 → 100,000 行）", "25,000 行", "100,000 行", *times, _cpu_growth(*cpu))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="居民操作从一条街道到四条街道的增长指数")
    parser.add_argument(
        "--db", type=Path, required=True, help="a street-scale database (copied, never written)"
    )
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the 1× and 4× databases here")
    parser.add_argument("--repeat", type=int, default=7, help="runs per size (medians)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["import", "export", "report"])
    args = parser.parse_args(argv)
    tmp = None
    folder = args.dir
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_scale4x_")
        folder = Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    from tests.bench.bench_resident_export import private_keys
    from tests.bench.bench_search_scale import quadruple

    one, four = folder / "street1.sqlite3", folder / "street4.sqlite3"
    if not one.exists():
        shutil.copy(args.db, one)
    # the copies' own key folder: their audit records never move the head kept for the original
    os.environ.update({k: v for k, v in private_keys(one, folder).items() if k.startswith("SHEQU_")})
    if not four.exists():
        t0 = time.perf_counter()
        quadruple(one, four)
        print(f"四条街道的数据库生成用时 {time.perf_counter() - t0:.1f} 秒", flush=True)

    from desktop.services import residents as rs
    from desktop.services.reports import monthly_report
    from desktop.services.residents.export import export_residents

    ctxs = [_signed_in(p) for p in (one, four)]
    sizes = [rs.count_residents(c) for c in ctxs]
    s1, s4 = (f"{n:,} 人" for n in sizes)
    print(f"在册居民：{s1} / {s4}；SQLite {sqlite3.sqlite_version}", flush=True)

    def listing(flt: rs.ResidentFilter) -> Callable[[Any], Callable[[], object]]:
        def make(ctx: Any) -> Callable[[], object]:
            def run() -> object:
                ids = rs.search_resident_ids(ctx, flt)
                return rs.fetch_resident_rows(ctx, ids[:200])

            return run

        return make

    ops: list[tuple[str, Callable[[Any], Callable[[], object]], str]] = [
        ("居民列表打开（id + 第一页 200 行）", listing(rs.ResidentFilter()), ""),
        ("搜索 “wj”", listing(rs.ResidentFilter(text="wj")), "< 50 ms"),
        ("搜索 “zy”", listing(rs.ResidentFilter(text="zy")), ""),
        ("按姓名排序", listing(rs.ResidentFilter(sort="name")), "< 200 ms"),
    ]
    if "report" not in args.skip:
        ops.append((f"街道月报（{MONTH}）", lambda ctx: lambda: monthly_report(ctx, MONTH), ""))
    lines = []
    for label, make, goal in ops:
        t1, t4 = _timed(make(ctxs[0]), make(ctxs[1]), args.repeat)
        lines.append(_line(label, s1, s4, t1, t4, goal))
        print(lines[-1], flush=True)
    if "export" not in args.skip:
        out = folder / "export.xlsx"
        times, cpu = [], []
        for ctx in ctxs:
            t0, c0 = time.perf_counter(), time.process_time()
            export_residents(ctx, out)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out.unlink(missing_ok=True)
        lines.append(_line("导出全部在册居民（脱敏 .xlsx）", s1, s4, *times, _cpu_growth(*cpu)))
        print(lines[-1], flush=True)
    for ctx in ctxs:
        ctx.database.dispose()
    if "import" not in args.skip:
        _imports(one, folder, lines)
    print("\n| 操作 | 1× | 4× | 1× 用时 | 4× 用时 | 增长指数 | 目标、备注 |\n|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    print(f"\n增长指数 = log(t4 / t1) / log 4；1 为线性，大于 {LIMIT} 标 ✗。")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
