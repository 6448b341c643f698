"""Benchmark: ``shequ export residents`` (masked .xlsx) against the raw limit, in child processes, interleaved.

Run: ``.venv/bin/python -m tests.bench.bench_resident_export --db STREET.sqlite3 [--rounds 3]``. Prints a table;
not pass/fail. ``--db`` is a street-scale register (``shequ demo --scale street``, 130,590 residents); it is
copied first and never written. Without ``--db`` the street demo is generated in a temporary folder.

* project: the command line as a user runs it — ``python -m desktop.app --db COPY --user street
  --password-stdin export residents --out FILE.xlsx`` (start-up, sign-in, the export, its audit record);
* raw limit: :func:`raw_export` in a child ``python -m tests.bench.bench_resident_export --raw COPY OUT``: the same
  rows read with one SQL query (and one for the tags) through the same driver (the ``sqlite3`` module), the ID
  number and phone decrypted with the same primitive (``DataKeys.decrypt``, AES-256-GCM) and masked, written
  with XlsxWriter in ``constant_memory`` mode with the same cell formats, header, widths and filter.

Each round runs the project then the raw limit; the table shows the medians of wall time and peak RSS (the
child's own ``ru_maxrss``) and their ratio; the two files are then read back and compared cell by cell.
The copy gets its own key folder (``SHEQU_CONFIG``), so the export's audit records never move the audit chain
head that the machine's key store keeps for the original database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

RAW_SQL = (
    "SELECT r.id, r.name, r.gender, r.ethnicity, r.id_number, r.birth_date, r.phone, r.residence_kind, c.name,"
    " g.name, h.estate, h.building, h.unit, h.room, h.household_no, r.relation_to_head, r.care_tier, r.notes"
    " FROM resident r JOIN community c ON c.id = r.community_id LEFT JOIN grid g ON g.id = r.grid_id"
    " LEFT JOIN household h ON h.id = r.household_id WHERE r.status = 'ACTIVE'"
    " ORDER BY r.community_id, g.code, r.household_id, r.id"
)
TAGS_SQL = (
    "SELECT t.resident_id, t.tag FROM resident_tag t JOIN resident r ON r.id = t.resident_id"
    " WHERE r.status = 'ACTIVE' ORDER BY t.id"
)
DEMO_USER, DEMO_PASSWORD = "street", "Demo@2026"


# ---------------------------------------------------------------- the raw limit (runs in a child)


def _width(text: str) -> int:
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")),
        default=0,
    )


def raw_export(db: Path, out: Path) -> int:
    """The export's essential work with the same libraries and nothing else (see the module notes)."""
    import xlsxwriter

    from desktop.core.keys import DataKeys, default_store
    from desktop.domain.identity import mask_id_number, mask_phone
    from desktop.exchange.residents import RESIDENT_COLUMNS

    con = sqlite3.connect(db)
    identity = con.execute("SELECT identity FROM database_identity").fetchone()[0]
    master = default_store().load(identity)
    assert master is not None, "no data key for this database in the key store"
    decrypt = DataKeys(identity, master).decrypt
    kinds = {"REGISTERED": "户籍", "FLOATING": "流动"}
    tiers = {"GREEN": "绿色", "BLUE": "蓝色", "ORANGE": "橙色", "RED": "红色"}
    stored = con.execute("SELECT value FROM setting WHERE key = 'care_tier'").fetchone()
    for code, item in (json.loads(stored[0]) if stored else {}).items():
        if isinstance(item, dict) and item.get("label"):
            tiers[code] = str(item["label"])
    tags: dict[int, list[str]] = {}
    for rid, tag in con.execute(TAGS_SQL):
        tags.setdefault(rid, []).append(tag)

    columns = RESIDENT_COLUMNS.columns
    wb = xlsxwriter.Workbook(
        str(out),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    ws = wb.add_worksheet("居民")
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter", "text_wrap": True}
    )
    text = wb.add_format({"num_format": "@"})
    guarded = wb.add_format({"num_format": "@", "quote_prefix": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for c, column in enumerate(columns):
        ws.write_string(0, c, column.header, head)
    widths = [_width(c.header) for c in columns]
    prefixes = ("=", "+", "-", "@", "\t", "\r")
    write_string, write_datetime = ws.write_string, ws.write_datetime
    y = 0
    for r in con.execute(RAW_SQL):
        y += 1
        estate, building, unit, room = r[10], r[11], r[12], r[13]
        address = "".join(
            v + s if s and v.isdigit() else v
            for v, s in ((estate, ""), (building, "号楼"), (unit, "单元"), (room, "室"))
            if v
        )
        tagged = tags.get(r[0])
        values = (
            r[1], r[2], r[3], mask_id_number(decrypt(r[4], "resident.id_number")) if r[4] else None, None,
            mask_phone(decrypt(r[6], "resident.phone")) if r[6] else None, kinds.get(r[7], r[7]), r[8], r[9],
            estate, building, unit, room, address, r[14], r[15], "、".join(tagged) if tagged else None,
            tiers.get(r[16], r[16]), r[17],
        )  # fmt: skip
        for c, v in enumerate(values):
            if v:
                write_string(y, c, v[:32767], guarded if v.startswith(prefixes) else text)
        if r[5]:
            write_datetime(y, 4, dt.date.fromisoformat(r[5]), date)
        if y <= 1000:
            for c, v in enumerate(values):
                if v:
                    widths[c] = max(widths[c], _width(v))
            if r[5]:
                widths[4] = max(widths[4], 10)
    for c, column in enumerate(columns):
        width = max(widths[c], 10) if c == 4 else widths[c]
        ws.set_column(c, c, float(min(max(width, 4) + 2, column.max_width)), text if c != 4 else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(y, 1), len(columns) - 1)
    wb.close()
    return y


# ---------------------------------------------------------------- harness


def run_child(argv: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one child process: its own rusage from ``os.wait4``
    (the CPU time is steadier than the wall time on a machine others share)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=out, stderr=err)
        assert proc.stdin is not None
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"child failed ({proc.returncode}): {' '.join(argv)}\n{tail}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def private_keys(db: Path, folder: Path) -> dict[str, str]:
    """An environment whose key store (``SHEQU_CONFIG``) holds this database's data key and nothing else."""
    from desktop.core.keys import FileStore, default_store

    con = sqlite3.connect(db)
    identity = con.execute("SELECT identity FROM database_identity").fetchone()[0]
    con.close()
    source = default_store()
    master = source.load(identity)
    if master is None:
        raise SystemExit(f"本机密钥存储中没有数据库 {db} 的数据密钥（身份 {identity}）。")
    mine = FileStore(folder / "config" / "keys")
    mine.save(identity, master)
    head = source.load_head(identity)
    if head is not None:
        mine.save_head(identity, *head)
    env = dict(os.environ)
    env["SHEQU_CONFIG"] = str(folder / "config")
    env["SHEQU_HOME"] = str(folder / "home")
    return env


def has_accounts(db: Path) -> bool:
    con = sqlite3.connect(db)
    try:
        return bool(con.execute("SELECT count(*) FROM account").fetchone()[0])
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def same_cells(a: Path, b: Path) -> str:
    """ "同" when both workbooks hold the same cells, else where they first differ."""
    from python_calamine import CalamineWorkbook

    rows_a = CalamineWorkbook.from_path(str(a)).get_sheet_by_index(0).to_python()
    rows_b = CalamineWorkbook.from_path(str(b)).get_sheet_by_index(0).to_python()
    if len(rows_a) != len(rows_b):
        return f"行数不同：{len(rows_a)} / {len(rows_b)}"
    for n, (x, y) in enumerate(zip(rows_a, rows_b, strict=True), start=1):
        if x != y:
            return f"第 {n} 行不同：{x} / {y}"
    return f"相同（{len(rows_a):,} 行）"


def make_street(folder: Path) -> Path:
    from desktop.cli import parse_args, run

    db = folder / "street.sqlite3"
    run(parse_args(["--db", str(db), "demo", "--scale", "street"]))
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="居民导出（脱敏 .xlsx）与原始下限")
    parser.add_argument("--db", type=Path, help="a street-scale database (copied, never written)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--raw", nargs=2, type=Path, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.raw:
        print(raw_export(*args.raw))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench_export_"))
    try:
        if args.db is None:
            os.environ["SHEQU_CONFIG"] = str(folder / "demo-config")
            os.environ["SHEQU_HOME"] = str(folder / "demo-home")
        source = args.db or make_street(folder)
        db = folder / "copy.sqlite3"
        shutil.copy(source, db)
        env = private_keys(db, folder)
        login = ["--user", DEMO_USER, "--password-stdin"] if has_accounts(db) else []
        py = sys.executable
        project_cmd = [py, "-m", "desktop.app", "--db", str(db), *login, "export", "residents", "--out"]
        raw_cmd = [py, "-m", "tests.bench.bench_resident_export", "--raw", str(db)]
        project: list[tuple[float, float, float]] = []
        raw: list[tuple[float, float, float]] = []
        for n in range(args.rounds):
            p_out, r_out = folder / f"project{n}.xlsx", folder / f"raw{n}.xlsx"
            project.append(run_child([*project_cmd, str(p_out)], env, DEMO_PASSWORD + "\n"))
            raw.append(run_child([*raw_cmd, str(r_out)], env))
            (pt, pc, pm), (rt, rc, rm) = project[-1], raw[-1]
            print(f"第 {n + 1} 轮：项目 {pt:.2f} 秒（CPU {pc:.2f}）{pm:.0f} MiB；"
                  f"原始下限 {rt:.2f} 秒（CPU {rc:.2f}）{rm:.0f} MiB", flush=True)  # fmt: skip
        pt, pc, pm = (statistics.median(x[i] for x in project) for i in (0, 1, 2))
        rt, rc, rm = (statistics.median(x[i] for x in raw) for i in (0, 1, 2))
        rows = (
            sqlite3.connect(db).execute("SELECT count(*) FROM resident WHERE status = 'ACTIVE'").fetchone()[0]
        )
        print("\n| 工作 | 项目 | 原始下限 | 比值 | 目标 |\n|---|---|---|---|---|")
        print(f"| 导出 {rows:,} 名居民到 .xlsx（脱敏） | {pt:.1f} 秒，{pm:.0f} MiB | {rt:.1f} 秒，{rm:.0f} MiB"
              f" | {pt / rt:.2f}×（CPU 时间 {pc / rc:.2f}×，内存 {pm / rm:.1f}×） | ≤ 1.1× |")  # fmt: skip
        print(f"\n两个文件的单元格：{same_cells(folder / 'project0.xlsx', folder / 'raw0.xlsx')}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
