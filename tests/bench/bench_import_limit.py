"""Benchmark (issue 16): the resident import against its raw limit, interleaved in one run. Prints; not pass/fail.

Run: ``.venv/bin/python -m tests.bench.bench_import_limit [--rows 100000] [--repeat 3] [--postgres]``.

A roster .xlsx of ``--rows`` residents (4 communities, 20 grids, households of three by 户号, phones, tags,
分色等级, notes) is written once with XlsxWriter, and a database with the street's structure but nobody
registered. Then, ``--repeat`` times, alternately, each in a fresh child process on a fresh copy of that
database:

* **project**: ``import_residents`` (read, every check, plan, stage, publish, audit);
* **raw**: the essential work with the same libraries — python-calamine reads the sheet, the ID number's
  GB 11643-1999 check character and date, the ID number and phone encrypted (AES-GCM) with their blind
  indexes (HMAC) by the database's own key (``db.crypto``), pinyin initials (pypinyin), then one
  transaction of ``executemany`` with plain tuples into the same ``household``, ``resident`` and
  ``resident_tag`` tables and indexes (no audit, no checks against the register).

Each child reports its time (from opening the file to the commit) and its peak RSS (``ru_maxrss``); the
table shows the medians and the ratio. ``--postgres`` also runs the project's import on a private
PostgreSQL server (initdb in a temporary folder, a free port; stopped afterwards) and prints its ratio to
SQLite. ``--profile`` prints a cProfile of one project import instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "序号", "姓名", "性别", "民族", "身份证号", "出生日期", "手机号", "人口类型", "社区", "网格编号",
    "小区", "楼栋", "单元", "房号", "户号", "与户主关系", "特殊人群", "分色等级", "备注",
)  # fmt: skip
COMMUNITIES = ("新华社区", "朝阳社区", "钢城社区", "民主社区")
GRIDS_PER_COMMUNITY = 5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌海燕鹏飞晓"
TIERS = ("绿色", "绿色", "绿色", "蓝色", "橙色", "红色")
RELATIONS = ("户主", "配偶", "子女")

# ------------------------------------------------------------------------- children (run with -c)

PROJECT_CHILD = r"""
import json, resource, sys, time
from desktop.core import startup
startup.begin()  # as the program's entry point does (desktop.app.entry)
from pathlib import Path
from desktop.services.bootstrap import open_database
from desktop.services.residents.exchange import import_residents
ctx = open_database(Path(sys.argv[1]) if "://" not in sys.argv[1] else sys.argv[1]).ctx
startup.finished()  # as `shequ import residents` does once the database is open (desktop.cli.common)
import pypinyin, python_calamine  # noqa: F401  (loaded before the clock starts, as in the raw child)
t0 = time.perf_counter()
report = import_residents(ctx, Path(sys.argv[2]))
seconds = time.perf_counter() - t0
assert report.rejected == 0 and report.created > 0, report.describe()[:2000]
print(json.dumps({"seconds": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": report.created}))
"""

RAW_CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
import python_calamine
from pypinyin import Style, lazy_pinyin
from db.crypto import keys_of
from desktop.domain.identity import id_check_char
from desktop.services.bootstrap import open_database
ctx = open_database(Path(sys.argv[1])).ctx
keys = keys_of(ctx.database)
conn = ctx.database.engine.raw_connection()
cur = conn.cursor()
communities = dict(cur.execute("SELECT name, id FROM community").fetchall())
grids = {code: (gid, cid) for gid, code, cid in cur.execute("SELECT id, code, community_id FROM grid")}
t0 = time.perf_counter()
rows = python_calamine.CalamineWorkbook.from_path(sys.argv[2]).get_sheet_by_index(0).to_python()
start = next(i for i, r in enumerate(rows) if r and r[0] == "序号") + 1
now = "2026-11-23 08:00:00.000000"
initials = {}
households, residents, tags = {}, [], []
hid = (cur.execute("SELECT coalesce(max(id), 0) FROM household").fetchone()[0])
rid = (cur.execute("SELECT coalesce(max(id), 0) FROM resident").fetchone()[0])
tiers = {"绿色": "GREEN", "蓝色": "BLUE", "橙色": "ORANGE", "红色": "RED"}
for r in rows[start:]:
    if not isinstance(r[0], (int, float)) or r[0] == "":
        continue  # totals and footer
    idn = str(r[4]).strip().upper()
    if len(idn) != 18 or not idn[:17].isdigit() or id_check_char(idn[:17]) != idn[17]:
        raise SystemExit(f"bad id {idn}")
    birth = dt.date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14]))
    gender = "男" if int(idn[16]) % 2 else "女"
    gid, cid = grids[r[9]]
    key = (cid, r[14])
    h = households.get(key)
    if h is None:
        hid += 1
        h = households[key] = (hid, cid, gid, r[14], r[10] or None, r[11] or None, r[12] or None,
                               r[13] or None, None, 1, now, now)
    name = r[1]
    ini = initials.get(name)
    if ini is None:
        ini = initials[name] = "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER))[:20]
    phone = str(r[6]) if r[6] != "" else None
    rid += 1
    residents.append((
        rid, name, ini, gender, r[3] or None, keys.encrypt(idn, "resident.id_number"),
        keys.blind("id_number", idn), idn[:6], birth.isoformat(),
        keys.encrypt(phone, "resident.phone") if phone else None,
        keys.blind("phone", phone) if phone else None,
        keys.blind("phone_tail", phone[-4:]) if phone else None,
        "REGISTERED" if r[7] == "户籍" else "FLOATING", cid, gid, h[0], r[15] or None,
        tiers[r[17]], "ACTIVE", None, r[18] or None, 1, now, now,
    ))
    if r[16]:
        tags += [(rid, t) for t in r[16].split("、")]
del rows
cur.execute("BEGIN IMMEDIATE")
cur.executemany("INSERT INTO household (id, community_id, grid_id, household_no, estate, building, unit, room,"
                " notes, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                list(households.values()))
cur.executemany("INSERT INTO resident (id, name, name_initials, gender, ethnicity, id_number, id_number_bidx,"
                " id_region, birth_date, phone, phone_bidx, phone_tail, residence_kind, community_id, grid_id,"
                " household_id, relation_to_head, care_tier, status, status_changed_on, notes, version,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", residents)
cur.executemany("INSERT INTO resident_tag (resident_id, tag) VALUES (?, ?)", tags)
conn.commit()
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": len(residents)}))
"""

PROFILE_CHILD = r"""
import cProfile, pstats, sys
from pathlib import Path
from desktop.services.bootstrap import open_database
from desktop.services.residents.exchange import import_residents
ctx = open_database(Path(sys.argv[1])).ctx
import pypinyin, python_calamine  # noqa: F401
p = cProfile.Profile()
p.enable()
import_residents(ctx, Path(sys.argv[2]))
p.disable()
pstats.Stats(p, stream=sys.stdout).sort_stats(sys.argv[3]).print_stats(45)
"""


def _id_number(k: int) -> str:
    from desktop.domain.identity import id_check_char

    region = ("620201", "620202", "110105", "410102")[k % 4]
    born = f"{1940 + k % 70}{1 + k // 70 % 12:02d}{1 + k // 840 % 28:02d}"
    first17 = f"{region}{born}{k // 23_520 % 1000:03d}"
    return first17 + id_check_char(first17)


def write_roster(path: Path, rows: int, tags: list[str]) -> Path:
    """A community roster as people send it: a merged title, the header on row 3, a totals row at the end."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("实有人口")
    text = wb.add_format({"num_format": "@"})
    ws.merge_range(0, 0, 0, len(HEADER) - 1, "钢城街道实有人口登记表")
    ws.write_row(2, 0, HEADER)
    seen: set[str] = set()
    for k in range(rows):
        idn = _id_number(k)
        assert idn not in seen, k
        seen.add(idn)
        h = k // 3
        community = h % len(COMMUNITIES)
        y = k + 3
        name = (
            SURNAMES[k % len(SURNAMES)]
            + GIVEN[k // 37 % len(GIVEN)]
            + (GIVEN[k // 1443 % len(GIVEN)] if k % 4 else "")
        )
        ws.write_number(y, 0, k + 1)
        ws.write_string(y, 1, name)
        ws.write_string(y, 2, "男" if int(idn[16]) % 2 else "女")
        ws.write_string(y, 3, "汉族" if k % 10 else "回族")
        ws.write_string(y, 4, idn, text)
        ws.write_string(y, 5, f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}")
        if k % 10 < 7:
            ws.write_string(y, 6, f"13{k % 10}{k:08d}", text)
        ws.write_string(y, 7, "户籍" if k % 5 else "流动")
        ws.write_string(y, 8, COMMUNITIES[community])
        ws.write_string(y, 9, f"GC-{community + 1:02d}-{h // 4 % GRIDS_PER_COMMUNITY + 1:03d}")
        ws.write_string(y, 10, f"{COMMUNITIES[community][:2]}{h % 7 + 1}区")
        ws.write_string(y, 11, f"{h % 30 + 1}号楼", text)
        ws.write_string(y, 12, f"{h % 4 + 1}", text)
        ws.write_string(y, 13, f"{h % 600 + 101}", text)
        ws.write_string(y, 14, f"H{h:07d}", text)
        ws.write_string(y, 15, RELATIONS[k % 3])
        if k % 9 == 0 and tags:
            ws.write_string(y, 16, "、".join(tags[: 1 + k % 2]))
        ws.write_string(y, 17, TIERS[k % len(TIERS)])
        if k % 20 == 0:
            ws.write_string(y, 18, "独居，需定期走访")
    ws.write_row(rows + 3, 0, ("合计", f"{rows} 人"))
    wb.close()
    return path


def base_database(target: str | Path) -> list[str]:
    """The street's communities and grids, nobody registered; returns the tag dictionary."""
    from desktop.core.identity import Actor
    from desktop.services import structure as st
    from desktop.services.bootstrap import open_database
    from desktop.services.residents.config import special_groups

    ctx = open_database(target, actor=Actor("bench", "bench")).ctx
    st.save_street(ctx, "钢城街道")
    for c, name in enumerate(COMMUNITIES, start=1):
        cid = st.save_community(ctx, st.CommunityInput(name, code=f"{c:02d}"))
        for g in range(1, GRIDS_PER_COMMUNITY + 1):
            st.save_grid(
                ctx, st.GridInput(cid, f"GC-{c:02d}-{g:03d}", f"{name[:2]}{g}网格", "BASIC", None, 1, 1)
            )
    tags = special_groups(ctx)
    ctx.database.dispose()
    return tags


def run_child(code: str, *args: str, cwd: Path = ROOT) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"child failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


class PrivatePostgres:
    """A throwaway PostgreSQL server (initdb in a temporary folder, a free port), as tests/integration do:
    under root it runs as the ``postgres`` user (initdb refuses root)."""

    def __init__(self) -> None:
        import pwd
        import socket

        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.folder = Path(tempfile.mkdtemp(prefix="shequ-bench-pg-"))
        if self.run_as:
            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = str(self.folder / "data")
        self._run(
            "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", data, "-l", str(self.folder / "log"), "-w", "-o", options, "start")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=120)

    def create(self, db: str, template: str = "template0") -> str:
        self._run(
            "psql", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres", "-c",
            f'CREATE DATABASE "{db}" TEMPLATE "{template}" ENCODING \'UTF8\' STRATEGY FILE_COPY',
        )  # fmt: skip
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, "pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also the project's import on PostgreSQL")
    parser.add_argument("--no-raw", action="store_true", help="only the project's import")
    parser.add_argument("--profile", metavar="SORT", help="cProfile one project import (e.g. tottime)")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="also the import of another checkout (e.g. an older commit)",
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="shequ-bench-limit-"))
    os.environ["SHEQU_HOME"] = str(folder / "home")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the children read the key file
    pg: PrivatePostgres | None = None
    try:
        base = folder / "base.sqlite3"
        tags = base_database(base)
        roster = write_roster(folder / "roster.xlsx", args.rows, tags)
        print(f"roster: {args.rows:,} rows, {roster.stat().st_size / 1e6:.1f} MB; tags {tags[:2]}")

        def fresh(k: int) -> Path:
            db = folder / f"run{k}.sqlite3"
            shutil.copy(base, db)
            return db

        if args.profile:
            subprocess.run(
                [sys.executable, "-c", PROFILE_CHILD, str(fresh(0)), str(roster), args.profile], cwd=ROOT
            )
            return
        if args.postgres:
            pg = PrivatePostgres()
            base_database(pg.create("base"))
        runs: dict[str, list[dict[str, float]]] = {"project": [], "raw": [], "postgres": [], "compare": []}
        for k in range(args.repeat):
            if args.compare is not None:
                runs["compare"].append(
                    run_child(PROJECT_CHILD, str(fresh(k + 200)), str(roster), cwd=args.compare.resolve())
                )
                print("compare", runs["compare"][-1], flush=True)
            runs["project"].append(run_child(PROJECT_CHILD, str(fresh(k)), str(roster)))
            print("project", runs["project"][-1], flush=True)
            if not args.no_raw:
                runs["raw"].append(run_child(RAW_CHILD, str(fresh(k + 100)), str(roster)))
                print("raw    ", runs["raw"][-1], flush=True)
            if pg is not None:
                runs["postgres"].append(run_child(PROJECT_CHILD, pg.create(f"run{k}", "base"), str(roster)))
                print("pg     ", runs["postgres"][-1], flush=True)
        print()
        print(f"| import {args.rows:,} roster rows (median of {args.repeat}) | time | peak RSS | ratio |")
        print("|---|---|---|---|")
        p_s, p_m = _median(runs["project"], "seconds"), _median(runs["project"], "rss")
        r_s = _median(runs["raw"], "seconds") if runs["raw"] else None
        print(
            f"| project, SQLite | {p_s:.2f} s | {p_m:.0f} MiB | "
            + (f"{p_s / r_s:.2f}× raw |" if r_s else "|")
        )
        if r_s:
            print(f"| raw limit, SQLite | {r_s:.2f} s | {_median(runs['raw'], 'rss'):.0f} MiB | 1 |")
        if runs["compare"]:
            c_s, c_m = _median(runs["compare"], "seconds"), _median(runs["compare"], "rss")
            print(
                f"| project at {args.compare}, SQLite | {c_s:.2f} s | {c_m:.0f} MiB | "
                + (f"{c_s / r_s:.2f}× raw |" if r_s else "|")
            )
        if runs["postgres"]:
            g_s, g_m = _median(runs["postgres"], "seconds"), _median(runs["postgres"], "rss")
            print(f"| project, PostgreSQL | {g_s:.2f} s | {g_m:.0f} MiB | {g_s / p_s:.2f}× SQLite |")
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
