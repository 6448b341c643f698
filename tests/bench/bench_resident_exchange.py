"""Benchmark: importing and exporting the resident roster at street scale. Prints a table; not pass/fail.

Run: ``.venv/bin/python -m tests.bench.bench_resident_exchange [--rows 100000] [--profile]``.

* export: the 钢城街道 demo register (``demo.generate(ctx, "street")``, 130,590 residents) to .xlsx and
  .csv, masked — target < 20 s for the .xlsx;
* import: a 100,000-row roster .xlsx written here with XlsxWriter (a merged title row, header names
  as communities write them, households by 户号, tags, tiers) into a database with the street's
  structure but no residents — target < 30 s; then the same file again (every row unchanged, nothing
  written) and a dry run.

``--profile`` prints the top of a cProfile of the first import.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROSTER_HEADER = (
    "序号", "姓名", "性别", "民族", "身份证号", "出生日期", "手机号", "人口类型", "社区", "网格编号",
    "小区", "楼栋", "单元", "房号", "户号", "与户主关系", "特殊人群", "分色等级", "备注",
)  # fmt: skip


def _row(label: str, seconds: float, rows: int, target: float | None = None) -> str:
    rate = f"{rows / seconds:,.0f}/s" if seconds > 0 and rows else ""
    verdict = "" if target is None else ("✓" if seconds < target else "✗") + f" < {target:.0f} s"
    return f"| {label:<40} | {rows:>9,} | {seconds:>8.2f} s | {rate:>11} | {verdict:<9} |"


def build_roster(ctx, path: Path, rows: int) -> int:
    """Write the first ``rows`` residents of ``ctx`` as a community roster .xlsx (XlsxWriter, constant memory)."""
    import xlsxwriter
    from sqlalchemy import select

    from db.schema.people import Household, Resident, ResidentTag
    from db.schema.structure import Community, Grid
    from desktop.services.dictionaries import CARE_TIER_LABELS, RESIDENCE_KIND_LABELS

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("实有人口")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 16})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range(0, 0, 0, len(ROSTER_HEADER) - 1, "钢城街道实有人口登记表", title)
    ws.write_row(2, 0, ROSTER_HEADER)
    with ctx.read() as s:
        tags: dict[int, list[str]] = {}
        for rid, tag in s.execute(select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.id)):
            tags.setdefault(rid, []).append(tag)
        columns = (
            Resident.id, Resident.name, Resident.gender, Resident.ethnicity, Resident.id_number,
            Resident.birth_date, Resident.phone, Resident.residence_kind, Community.name, Grid.code,
            Household.estate, Household.building, Household.unit, Household.room, Household.household_no,
            Resident.relation_to_head, Resident.care_tier, Resident.notes,
        )  # fmt: skip
        q = (
            select(*columns)
            .join(Community, Community.id == Resident.community_id)
            .join(Grid, Grid.id == Resident.grid_id)
            .join(Household, Household.id == Resident.household_id)
            .where(Resident.status == "ACTIVE")
            .order_by(Resident.id)
            .limit(rows)
        )
        n = 0
        for n, r in enumerate(s.execute(q), start=1):
            y = n + 2
            ws.write_number(y, 0, n)
            ws.write_string(y, 1, r[1])
            ws.write_string(y, 2, r[2] or "")
            ws.write_string(y, 3, r[3] or "")
            ws.write_string(y, 4, r[4], text)
            ws.write_datetime(y, 5, r[5], date)
            if r[6]:
                ws.write_string(y, 6, r[6], text)
            ws.write_string(y, 7, RESIDENCE_KIND_LABELS[r[7]])
            for c, v in enumerate(r[8:16], start=8):
                if v:
                    ws.write_string(y, c, v, text)
            if r[0] in tags:
                ws.write_string(y, 16, "、".join(tags[r[0]]))
            ws.write_string(y, 17, CARE_TIER_LABELS[r[16]])
            if r[17]:
                ws.write_string(y, 18, r[17])
    wb.close()
    return n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="shequ-bench-rx-"))
    os.environ["SHEQU_HOME"] = str(home)
    from desktop.core.identity import Actor
    from desktop.services import demo
    from desktop.services.bootstrap import open_database
    from desktop.services.residents.exchange import export_residents, import_residents
    from desktop.services.structure.exchange import export_grids, import_grids

    lines = []
    try:
        ctx = open_database(home / "street.sqlite3", actor=Actor("bench", "bench")).ctx
        tick = time.perf_counter()
        summary = demo.generate(ctx, "street")
        print(f"demo street: {summary.active_residents:,} residents in {time.perf_counter() - tick:.1f} s")

        tick = time.perf_counter()
        count = export_residents(ctx, home / "export.xlsx")
        lines.append(_row("export 130k residents -> .xlsx, masked", time.perf_counter() - tick, count, 20))
        tick = time.perf_counter()
        count = export_residents(ctx, home / "export.csv")
        lines.append(_row("export -> .csv, masked", time.perf_counter() - tick, count))
        tick = time.perf_counter()
        count = export_residents(ctx, home / "export_full.xlsx", full=True, reason="基准测试")
        lines.append(_row("export -> .xlsx, full (audited)", time.perf_counter() - tick, count))

        roster = home / "roster.xlsx"
        tick = time.perf_counter()
        rows = build_roster(ctx, roster, args.rows)
        print(
            f"roster: {rows:,} rows, {roster.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - tick:.1f} s"
        )

        grids = home / "grids.xlsx"
        export_grids(ctx, grids)
        ctx.database.dispose()
        # the street's communities and grids, nobody registered yet
        target = open_database(home / "target.sqlite3", actor=Actor("bench", "bench")).ctx
        import_grids(target, grids)

        profiler = cProfile.Profile() if args.profile else None
        tick = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = import_residents(target, roster)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - tick
        assert report.created == rows and report.rejected == 0, report.describe()[:2000]
        lines.append(_row("import roster, all new (1 commit)", seconds, rows, 30))
        lines.append(
            f"|   households created: {report.households_created:,}; warnings: {len(report.warnings):,}"
        )
        tick = time.perf_counter()
        report = import_residents(target, roster)
        assert report.unchanged == rows, report.describe()[:2000]
        lines.append(_row("import again, all unchanged", time.perf_counter() - tick, rows))
        tick = time.perf_counter()
        import_residents(target, roster, dry_run=True)
        lines.append(_row("dry run (check only)", time.perf_counter() - tick, rows))
        target.database.dispose()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print()
    print(f"| {'step':<40} |      rows |       time |        rate | target    |")
    print(f"|{'-' * 42}|-----------|------------|-------------|-----------|")
    for line in lines:
        print(line)
    if profiler is not None:
        print()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
