"""Benchmark: the 居民 list's search and sort at one street (130,590 residents) and at four (522,360).

Run: ``.venv/bin/python -m tests.bench.bench_search_scale [--dir DIR]``. Prints a table; not pass/fail.

The street comes from ``tests.bench.bench_residents.populate``; the four-street register is that file copied
and its households, residents and tags inserted three more times by SQL (``quadruple``, bench-only: the copies'
blind indexes get a suffix so the unique one holds; ``bench_scale4x`` builds its 4× database with it too).
Each operation runs at both sizes interleaved in one process, with the growth exponent log(t522 / t130) / log 4
(1 = linear in the register), beside the raw limit: the same id query through the sqlite3 module alone plus the
first page's 200 rows without decryption.
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

ROW_COLUMNS = (
    "r.id, r.name, r.gender, r.birth_date, r.id_number, r.phone, r.residence_kind, r.community_id, c.name,"
    " r.grid_id, g.name, r.household_id, h.estate, h.building, h.unit, h.room, r.relation_to_head,"
    " r.care_tier, r.status"
)
ROW_SQL = (
    f"SELECT {ROW_COLUMNS} FROM resident r JOIN community c ON c.id = r.community_id"
    " LEFT JOIN grid g ON g.id = r.grid_id LEFT JOIN household h ON h.id = r.household_id WHERE r.id IN ({})"
)
LIST_ORDER = "community_id, grid_id, household_id, id"
SEARCH_ORDER = "+community_id, +grid_id, +household_id, id"  # sort the matches, not walk the list


def quadruple(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` and append three more copies of its households, residents, tags and population
    changes (``resident_event``, which the monthly report counts)."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    try:
        hh = con.execute("SELECT max(id) FROM household").fetchone()[0]
        rr = con.execute("SELECT max(id) FROM resident").fetchone()[0]

        def columns(table: str) -> list[str]:
            return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]

        for k in (1, 2, 3):
            copies = {
                "household": {"id": f"id + {k * hh}", "household_no": f"household_no || '-{k}'"},
                "resident": {
                    "id": f"id + {k * rr}",
                    "household_id": f"household_id + {k * hh}",
                    "id_number_bidx": f"id_number_bidx || '-{k}'",
                },
                "resident_tag": {"id": "NULL", "resident_id": f"resident_id + {k * rr}"},
                "resident_event": {"id": "NULL", "resident_id": f"resident_id + {k * rr}"},  # 人口变动
            }
            for table, changed in copies.items():
                cols = columns(table)
                picked = ", ".join(changed.get(c, c) for c in cols)
                key = "resident_id" if table.startswith("resident_") else "id"
                limit = rr if table != "household" else hh
                con.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM {table} WHERE {key} <= {limit}"
                )
        con.commit()
    finally:
        con.close()


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _raw(path: Path, where: str, order: str) -> Callable[[], int]:
    con = sqlite3.connect(path, check_same_thread=False)

    def run() -> int:
        ids = [r[0] for r in con.execute(f"SELECT id FROM resident WHERE {where} ORDER BY {order}")]
        page = ids[:200]
        con.execute(ROW_SQL.format(",".join("?" * len(page))), page).fetchall()
        return len(ids)

    return run


def _initials(prefix: str) -> str:
    """A prefix range on the initials; ``+status`` keeps SQLite off the list-order index (its best plan here)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return f"+status = 'ACTIVE' AND name_initials >= '{prefix}' AND name_initials < '{upper}'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="居民搜索与排序：一条街道与四条街道的增长")
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the two databases here")
    args = parser.parse_args(argv)
    tmp = None
    folder = args.dir
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_search_")
        folder = Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SHEQU_HOME", str(folder / "home"))

    from desktop.core.identity import Actor
    from desktop.services import residents as rs
    from desktop.services.bootstrap import open_database
    from tests.bench.bench_residents import populate

    one, four = folder / "street1.sqlite3", folder / "street4.sqlite3"
    if not one.exists():
        t0 = time.perf_counter()
        opened = open_database(one, actor=Actor("bench", "bench-pc"))
        populate(opened.ctx)
        opened.ctx.database.dispose()
        print(f"一条街道生成用时 {time.perf_counter() - t0:.1f} 秒")
    if not four.exists():
        quadruple(one, four)
    ctxs = [open_database(p, actor=Actor("bench", "bench-pc")).ctx for p in (one, four)]
    sizes = [rs.count_residents(c, status=None) for c in ctxs]
    print(f"居民：{sizes[0]:,} 人 / {sizes[1]:,} 人；SQLite {sqlite3.sqlite_version}")

    ops = [
        ("搜索 “wj”", rs.ResidentFilter(text="wj"), _initials("wj"), SEARCH_ORDER, "< 50"),
        # 5,376 matches at one street, 21,504 at four: across the old 8,000-match cut-over to a full scan
        ("搜索 “zy”", rs.ResidentFilter(text="zy"), _initials("zy"), SEARCH_ORDER, "< 50"),
        ("搜索 “w”", rs.ResidentFilter(text="w"), _initials("w"), SEARCH_ORDER, ""),
        ("搜索 “l”", rs.ResidentFilter(text="l"), _initials("l"), SEARCH_ORDER, ""),
        (
            "搜索 “6202”",
            rs.ResidentFilter(text="6202"),
            "+status = 'ACTIVE' AND id_region >= '6202' AND id_region < '6203'",
            SEARCH_ORDER,
            "",
        ),
        (
            "排序：姓名",
            rs.ResidentFilter(sort="name"),
            "status = 'ACTIVE'",
            "name_initials, name, id",
            "< 200",
        ),
        (
            "排序：姓名 降序",
            rs.ResidentFilter(sort="name", descending=True),
            "status = 'ACTIVE'",
            "name_initials DESC, name DESC, id DESC",
            "< 200",
        ),
        ("默认列表", rs.ResidentFilter(), "status = 'ACTIVE'", LIST_ORDER, ""),
    ]
    head = f"{'操作':<16}{'行数 1×':>9}{'行数 4×':>9}{'1× ms':>8}{'4× ms':>8}{'指数':>6}"
    print(f"\n{head}{'原始 1×':>9}{'原始 4×':>9}{'指数':>6}{'目标 4×':>9}")
    for label, flt, where, order, goal in ops:
        project, raw, counts = [], [], []
        for ctx, path in zip(ctxs, (one, four), strict=True):

            def step(ctx=ctx, flt=flt) -> None:
                ids = rs.search_resident_ids(ctx, flt)
                rs.fetch_resident_rows(ctx, ids[:200])

            counts.append(len(rs.search_resident_ids(ctx, flt)))
            raw_run = _raw(path, where, order)
            project.append(_median_ms(step))  # interleaved: the project, then the raw limit, per size
            raw.append(_median_ms(raw_run))
        grow = math.log(project[1] / project[0]) / math.log(4)
        raw_grow = math.log(raw[1] / raw[0]) / math.log(4)
        print(f"{label:<16}{counts[0]:>9,}{counts[1]:>9,}{project[0]:>8.1f}{project[1]:>8.1f}{grow:>6.2f}"
              f"{raw[0]:>9.1f}{raw[1]:>9.1f}{raw_grow:>6.2f}{goal:>9}")  # fmt: skip
    for ctx in ctxs:
        ctx.database.dispose()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
