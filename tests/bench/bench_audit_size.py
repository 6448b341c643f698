"""Benchmark (issue 16): how much of the database a 100,000-row residents import's audit takes, and the import's
time, with the per-row changes in compressed blocks (now) and as one audit record per change (before).

Run: ``.venv/bin/python -m tests.bench.bench_audit_size [--rows 100000] [--source /tmp/street.sqlite3]``.

The roster: the first ``--rows`` residents of a street-scale demo database (``--source``, read only; its
communities and grids become the target's structure), or, without one, generated rows (3 to a household,
with phones). Both imports run in this process into copies of the same empty database with the street's
structure, alternately; the audit's share is the sum of its tables' and indexes' pages (SQLite's ``dbstat``)
over the file's size after a checkpoint. Prints a table; not pass/fail.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.bench_resident_exchange import ROSTER_HEADER

AUDIT_OBJECTS = ("audit_record", "audit_entry", "ix_audit_record_entity", "ix_audit_record_at")


def street_roster(source: Path, path: Path, rows: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Write the roster CSV from ``source``; returns its communities (name, code) and grids."""
    from desktop.services.dictionaries import CARE_TIER_LABELS, RESIDENCE_KIND_LABELS

    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    communities = db.execute("SELECT id, name, code FROM community ORDER BY id").fetchall()
    grids = db.execute("SELECT community_id, code, name, kind FROM grid ORDER BY id").fetchall()
    tags: dict[int, list[str]] = {}
    for rid, tag in db.execute("SELECT resident_id, tag FROM resident_tag ORDER BY id"):
        tags.setdefault(rid, []).append(tag)
    q = """SELECT r.id, r.name, r.gender, r.ethnicity, r.id_number, r.birth_date, r.phone, r.residence_kind,
                  c.name, g.code, h.estate, h.building, h.unit, h.room, h.household_no, r.relation_to_head,
                  r.care_tier, r.notes
           FROM resident r JOIN community c ON c.id = r.community_id JOIN grid g ON g.id = r.grid_id
           JOIN household h ON h.id = r.household_id WHERE r.status = 'ACTIVE' ORDER BY r.id LIMIT ?"""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(ROSTER_HEADER)
        for n, r in enumerate(db.execute(q, (rows,)), start=1):
            head = [n, *r[1:5], str(r[5])[:10], r[6] or "", RESIDENCE_KIND_LABELS[r[7]]]
            tail = ["、".join(tags.get(r[0], [])), CARE_TIER_LABELS[r[16]], r[17] or ""]
            out.writerow([*head, *(v or "" for v in r[8:16]), *tail])
    db.close()
    return communities, grids


def generated_roster(path: Path, rows: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    from tests.bench.bench_import_lock import roster_rows
    from tests.unit.resident_rosters import write_csv

    data = roster_rows(rows)
    for k, row in enumerate(data):
        row[6] = f"139{k:08d}"
    write_csv(path, data, encoding="utf-8-sig")
    return [(1, "新华社区", "01")], [(1, "GC-01-001", "新华一网格", "BASIC")]


def base_database(path: Path, communities: list[tuple[Any, ...]], grids: list[tuple[Any, ...]]) -> None:
    from desktop.services import structure as st
    from desktop.services.bootstrap import open_database

    ctx = open_database(path).ctx
    st.save_street(ctx, "钢城街道")
    ids = {cid: st.save_community(ctx, st.CommunityInput(name, code=code)) for cid, name, code in communities}
    for cid, code, name, kind in grids:
        st.save_grid(ctx, st.GridInput(ids[cid], code, name, kind))
    ctx.database.dispose()


AUDIT_SECONDS = [0.0]  # time spent packing and writing the import's audit (both kinds)


def timed_audit(blocks: bool) -> Any:
    """Time the import's audit step (packing the changes as they are made, writing the blocks);
    ``blocks=False``: write one audit record per change, as the import did before issue 16. Returns an undo."""
    from desktop.services.audit import record_many
    from desktop.services.audit_detail import BlockPacker
    from desktop.services.residents import import_stage

    saved = import_stage.BlockPacker, import_stage.write_blocks

    def clocked(fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            tick = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                AUDIT_SECONDS[0] += time.perf_counter() - tick

        return run

    class ClockedPacker(BlockPacker):
        add = clocked(BlockPacker.add)
        finish = clocked(BlockPacker.finish)

    class Collected(list[Any]):  # the entries as they were made, for one record each
        def add(self, entry: Any) -> None:
            self.append(entry)

        def finish(self) -> list[Any]:
            return self

    def per_row(session: Any, actor: Any, entries: Any, *, at: Any, entity: str) -> None:
        record_many(session, actor, entries, at=at)

    packer, write = (ClockedPacker, clocked(saved[1])) if blocks else (Collected, clocked(per_row))
    setattr(import_stage, "BlockPacker", packer)  # noqa: B010 (a class swapped in for the measurement)
    import_stage.write_blocks = write

    def undo() -> None:
        setattr(import_stage, "BlockPacker", saved[0])  # noqa: B010
        import_stage.write_blocks = saved[1]

    return undo


def measure(db: Path) -> tuple[int, int, int]:
    """(file bytes, audit bytes, audit records) after a checkpoint."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    marks = ",".join("?" * len(AUDIT_OBJECTS))
    audit = con.execute(f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ({marks})", AUDIT_OBJECTS)
    audit_bytes = int(audit.fetchone()[0])
    records = int(con.execute("SELECT count(*) FROM audit_record").fetchone()[0])
    con.close()
    return db.stat().st_size, audit_bytes, records


def run_import(db: Path, roster: Path, *, blocks: bool) -> tuple[float, float, float]:
    """(import seconds, verify seconds, seconds of the import spent on its audit)."""
    from desktop.services.audit import verify_audit_chain
    from desktop.services.bootstrap import open_database
    from desktop.services.residents.exchange import import_residents

    undo = timed_audit(blocks)
    AUDIT_SECONDS[0] = 0.0
    try:
        ctx = open_database(db).ctx
        tick = time.perf_counter()
        report = import_residents(ctx, roster)
        seconds = time.perf_counter() - tick
        assert report.rejected == 0 and report.created > 0, report.describe()[:2000]
        tick = time.perf_counter()
        verdict = verify_audit_chain(ctx)
        verify = time.perf_counter() - tick
        assert verdict.intact, verdict.message
        ctx.database.dispose()
    finally:
        undo()
    return seconds, verify, AUDIT_SECONDS[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--source", type=Path, default=Path("/tmp/street.sqlite3"))
    parser.add_argument("--repeat", type=int, default=1, help="imports of each kind (medians are printed)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="shequ-bench-audit-"))
    os.environ["SHEQU_HOME"] = str(folder / "home")
    try:
        roster = folder / "居民.csv"
        if args.source.exists():
            communities, grids = street_roster(args.source, roster, args.rows)
            origin = f"the first {args.rows:,} residents of {args.source}"
        else:
            communities, grids = generated_roster(roster, args.rows)
            origin = f"{args.rows:,} generated rows"
        base = folder / "base.sqlite3"
        base_database(base, communities, grids)
        warm = folder / "warm.sqlite3"  # the first import in a process loads pypinyin's tables: not measured
        shutil.copy(base, warm)
        with roster.open(encoding="utf-8-sig") as f:
            head = [next(f) for _ in range(201)]
        (folder / "warm.csv").write_text("".join(head), encoding="utf-8-sig")
        run_import(warm, folder / "warm.csv", blocks=True)
        results: dict[bool, list[tuple[float, float, float, int, int, int]]] = {True: [], False: []}
        for k in range(args.repeat):
            for blocks in (True, False) if k % 2 == 0 else (False, True):  # interleaved
                db = folder / f"{'blocks' if blocks else 'rows'}{k}.sqlite3"
                shutil.copy(base, db)
                seconds, verify, audit_seconds = run_import(db, roster, blocks=blocks)
                results[blocks].append((seconds, verify, audit_seconds, *measure(db)))
                db.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"roster: {origin} ({len(communities)} communities, {len(grids)} grids)")
    print()
    print(
        "| audit of the import         | records | file MB | audit MB | share | import s | audit s | verify s |"
    )
    print(
        "|-----------------------------|---------|---------|----------|-------|----------|---------|----------|"
    )
    for blocks, label in ((False, "per-change records (before)"), (True, "compressed blocks (now)")):
        runs = results[blocks]
        seconds, verify, audit_seconds = (statistics.median(r[k] for r in runs) for k in range(3))
        size, audit, records = runs[-1][3:]
        print(
            f"| {label:<27} | {records:>7,} | {size / 1e6:>7.1f} | {audit / 1e6:>8.1f} | {audit / size:>5.1%} "
            f"| {seconds:>8.2f} | {audit_seconds:>7.2f} | {verify:>8.2f} |"
        )
    print()
    print("audit s: the part of the import spent packing and writing its audit")
    print("goal (issue 16): the audit ≤ 25 % of the file, every row's change recoverable")


if __name__ == "__main__":
    main()
