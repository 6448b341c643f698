"""Issue 13 §3: a database migrated in place by 0010 keeps no trace of its plain ID numbers and phones — not in
the file's free pages, not in its WAL or journal, not in the audit trail's old before/after snapshots — in any
of the GB 11643 spellings (18 characters, lower-case x, grouped 6-8-4, the 15-digit first-generation number)
or the usual phone spellings."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

from db.engine import Database, resolve_url
from desktop.core.identity import Actor
from desktop.services import residents as rs
from desktop.services.audit import _canonical_values, verify_audit_chain
from tests.unit.resident_rosters import id_ending_in_x, make_id

N = 400


def id_spellings(ident: str) -> list[str]:
    """An ID number as people write it: as is, lower-case check character, grouped, first-generation 15 digits."""
    grouped = f"{ident[:6]} {ident[6:14]} {ident[14:]}"
    return [ident, ident.lower(), grouped, grouped.lower(), ident[:6] + ident[8:17]]


def phone_spellings(phone: str) -> list[str]:
    return [phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"]


def needles(ids: list[str], phones: list[str]) -> list[bytes]:
    out = [s for i in ids for s in id_spellings(i)] + [s for p in phones for s in phone_spellings(p)]
    return [s.encode("utf-8") for s in out] + [s.encode("utf-16-le") for s in out[:50]]


def files_of(db_path: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in (db_path, *(Path(f"{db_path}{s}") for s in ("-wal", "-journal", "-shm")))
        if p.exists()
    }


def assert_clean(files: dict[str, bytes], secrets: list[bytes]) -> None:
    pattern = re.compile(b"|".join(re.escape(s) for s in sorted(set(secrets), key=len, reverse=True)))
    for name, data in files.items():
        found = sorted({m.group(0) for m in pattern.finditer(data)})
        assert not found, (
            f"{name}（{len(data)} 字节）仍含明文：{[f.decode('utf-8', 'replace') for f in found[:3]]}"
        )


def build_0009(db_path: Path) -> tuple[list[str], list[str]]:
    """A 0009 database in WAL mode, as the app left it: N residents with plain ID numbers and phones, some
    removed again (their rows are free pages now), and an old SHA-256 audit chain whose snapshots hold a
    mediation party's ID number and an event reporter's phone in clear (0009's ``snapshot`` did not mask)."""
    from alembic import command

    from db import migrate

    db_path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(resolve_url(db_path))
    with database.engine.connect() as conn:
        cfg = migrate.alembic_config(database)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
        conn.commit()
    database.dispose()
    ids = [
        make_id(born=f"19{40 + i % 50:02d}{1 + i % 12:02d}{1 + i % 28:02d}", seq=f"{i % 1000:03d}")
        for i in range(N)
    ]
    ids[7] = id_ending_in_x()
    phones = [f"13{5 + i % 5}{i:04d}{(7919 * i) % 10000:04d}" for i in range(N)]
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("INSERT INTO street (id, name, version) VALUES (1, '钢城街道', 1)")
    raw.execute("INSERT INTO community (id, street_id, name, version) VALUES (1, 1, '新华社区', 1)")
    for i, (ident, phone) in enumerate(zip(ids, phones, strict=True)):
        raw.execute(
            "INSERT INTO resident (id, name, gender, id_number, birth_date, phone, phone_tail, residence_kind,"
            " community_id, care_tier, status, version) VALUES (?, ?, '男', ?, '1960-05-12', ?, ?,"
            " 'REGISTERED', 1, 'GREEN', 'ACTIVE', 1)",
            (i + 1, f"居民{i:03d}", ident, phone, phone[-4:]),
        )
    raw.commit()
    # the last 40 left the register again (deleted rows: free pages and freeblocks that still hold their values)
    raw.execute("DELETE FROM resident WHERE id > ?", (N - 40,))
    raw.commit()
    prev = ""
    import datetime as dt

    for n, (entity, after) in enumerate(
        [
            ("case_party", {"name": "当事人甲", "id_number": ids[N - 1], "phone": phones[N - 1]}),
            ("grid_event", {"event_no": "SJ-0001", "reporter_phone": phones[N - 2], "place": "新华小区"}),
            ("mediator", {"name": "调解员乙", "phone": phones[N - 3]}),
        ]
    ):
        values = {
            "at": dt.datetime(2026, 11, 20, 9, n),
            "user": "测试员",
            "host": "pc",
            "action": "create",
            "entity": entity,
            "entity_id": str(n + 1),
            "summary": f"新增 {entity}",
            "before": None,
            "after": json.dumps(after, ensure_ascii=False, sort_keys=True),
        }
        digest = hashlib.sha256(prev.encode("ascii") + _canonical_values(values)).hexdigest()
        raw.execute(
            "INSERT INTO audit_record (at, user, host, action, entity, entity_id, summary, before, after,"
            " prev_hash, hash) VALUES (:at, :user, :host, :action, :entity, :entity_id, :summary, :before,"
            " :after, :prev_hash, :hash)",
            {**values, "at": values["at"].isoformat(sep=" "), "prev_hash": prev, "hash": digest},
        )
        prev = digest
    raw.commit()
    raw.close()  # the last connection checkpoints; leave a WAL that holds the plain values, as a running app would
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA wal_autocheckpoint=0")
    raw.execute("UPDATE resident SET phone = phone WHERE id <= 100")
    raw.commit()
    assert Path(f"{db_path}-wal").exists()
    raw.close()
    return ids, phones


def test_migration_0010_leaves_no_plain_id_number_or_phone_anywhere_in_the_files(
    db_path: Path, clock
) -> None:
    from desktop.services.bootstrap import open_database

    ids, phones = build_0009(db_path)
    secrets = needles(ids, phones)
    before = b"".join(files_of(db_path).values())
    assert sum(s in before for s in secrets[: len(ids) * 5]) > N  # the plain values really were on disk

    opened = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock)
    ctx = opened.ctx
    assert opened.migration.backup_path is not None
    # while the app still has the database open (the WAL as the migration left it)
    assert_clean(files_of(db_path), secrets)
    assert rs.reveal_resident(ctx, 8, "核对").id_number == ids[7]
    assert rs.search_resident_ids(ctx, rs.ResidentFilter(text=phones[10][-4:])) == [11]
    verdict = verify_audit_chain(ctx)
    assert verdict.intact, verdict.message
    with ctx.database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    assert_clean(files_of(db_path), secrets)
    ctx.database.dispose()
    assert_clean(files_of(db_path), secrets)
    # the old audit snapshots read masked now, and the reseal record says so
    raw = sqlite3.connect(db_path)
    try:
        after = raw.execute("SELECT after FROM audit_record WHERE entity = 'case_party'").fetchone()[0]
        reseal = raw.execute("SELECT summary FROM audit_record WHERE action = 'reseal'").fetchone()[0]
        assert raw.execute("PRAGMA freelist_count").fetchone()[0] == 0
    finally:
        raw.close()
    assert json.loads(after)["id_number"].count("*") >= 8
    assert "脱敏" in reseal


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_backups_from_before_encryption_are_sealed_and_restore(db_path: Path, clock, capsys) -> None:
    """The plain backups (one taken at 0009, and the pre-migration one kept for rollback) are encrypted as a
    whole once the encrypted database has a verified backup; the data folder with its backups then holds no
    ID number or phone in any spelling; the sealed pre-migration backup still restores (through the CLI), and
    the trail verifies afterwards."""
    import datetime as dt

    from db.backup import create_backup
    from desktop.cli import parse_args, run
    from desktop.core.logs import setup_logging
    from desktop.core.paths import log_dir
    from desktop.services import backups
    from desktop.services.bootstrap import open_database

    ids, phones = build_0009(db_path)
    secrets = needles(ids, phones)
    old = Database(resolve_url(db_path))
    plain_backup = create_backup(old, "manual", dt.datetime(2026, 11, 20, 18, 0)).path
    old.dispose()
    assert any(s in plain_backup.read_bytes() for s in secrets)

    setup_logging()  # as the app and the CLI do: the sealing is written to the log
    opened = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock)
    listed = backups.list_all(opened.ctx)
    by_reason = {b.reason: b for b in listed}
    assert {"manual", "migration", "upgraded"} <= set(by_reason)
    assert by_reason["manual"].sealed and by_reason["migration"].sealed and not by_reason["upgraded"].sealed
    assert not plain_backup.exists() and by_reason["manual"].path == plain_backup.with_suffix(".sealed")
    opened.ctx.database.dispose()
    assert_clean(_folder_bytes(db_path.parent), secrets)
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in log_dir().glob("*.log*"))
    assert "已用本数据库的数据密钥整体加密" in logs
    assert_clean({"logs": logs.encode("utf-8")}, secrets)

    # the rollback point still works: restore the sealed pre-migration backup
    sealed = by_reason["migration"].path
    code = run(parse_args(["--db", str(db_path), "restore", str(sealed)]))
    out = capsys.readouterr()
    assert code == 0, out.err
    ctx = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock).ctx
    assert rs.reveal_resident(ctx, 8, "核对").id_number == ids[7]  # the restored register, decrypted
    ctx.database.dispose()
    assert not list(sealed.parent.glob(".shequ-*"))  # the decrypted copy was removed
    assert_clean(_folder_bytes(db_path.parent), secrets)
    code = run(parse_args(["--db", str(db_path), "audit", "verify"]))
    out = capsys.readouterr()
    assert code == 0, out.err
    assert sealed.name in out.out


def test_a_plain_backup_left_by_an_earlier_version_is_sealed_at_the_next_opening(
    ctx, db_path: Path, monkeypatch
) -> None:
    """A database migrated before sealing existed still has its plain pre-migration backup: the next opening
    seals it (a verified encrypted backup being there). A sealing that fails (a full disk) fails neither the
    opening nor a backup: the plain file stays whole and the next attempt seals it."""
    import db.sealed
    from db.backup import create_backup
    from desktop.services import backups
    from desktop.services.bootstrap import open_database

    backups.backup_now(ctx, "manual")
    folder = backups.backup_folder(ctx)
    ctx.database.dispose()
    # a 0009 database's backup, as an earlier version left it in this folder
    old_path = db_path.with_name("old.sqlite3")
    ids, phones = build_0009(old_path)
    old = Database(resolve_url(old_path))
    legacy = create_backup(old, "migration", __import__("datetime").datetime(2026, 11, 1, 9, 0)).path
    old.dispose()
    moved = folder / legacy.name
    legacy.rename(moved)
    legacy.with_suffix(".json").rename(moved.with_suffix(".json"))
    old_path.unlink()
    assert any(s in moved.read_bytes() for s in needles(ids[:5], phones[:5]))
    real_seal = db.sealed.seal_file

    def disk_full(plain: Path, keys: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db.sealed, "seal_file", disk_full)
    reopened = open_database(db_path).ctx
    backups.backup_now(reopened, "manual")
    reopened.database.dispose()
    assert moved.exists() and not moved.with_suffix(".sealed").exists()
    monkeypatch.setattr(db.sealed, "seal_file", real_seal)
    reopened = open_database(db_path).ctx
    try:
        assert not moved.exists() and moved.with_suffix(".sealed").exists()
        assert [b.sealed for b in backups.list_all(reopened)].count(True) == 1
    finally:
        reopened.database.dispose()
    assert_clean(_folder_bytes(folder), needles(ids, phones))


def test_each_opening_looks_only_at_backups_it_has_not_seen_before(ctx, db_path: Path, monkeypatch) -> None:
    """Finding plain backups opens each backup file (~1 ms): the ones found not plain are remembered beside
    them by name, size and modification time, so an opening looks only at new or changed files."""
    import os

    import db.sealed
    from desktop.services import backups
    from desktop.services.bootstrap import open_database

    first = backups.backup_now(ctx, "manual").path
    second = backups.backup_now(ctx, "manual").path
    folder = backups.backup_folder(ctx)
    ctx.database.dispose()
    looked: list[str] = []
    real = db.sealed.holds_plain_values

    def counting(path: Path) -> bool:
        looked.append(path.name)
        return real(path)

    monkeypatch.setattr(db.sealed, "holds_plain_values", counting)
    open_database(db_path).ctx.database.dispose()
    assert looked == []  # both were looked at when they were made, and remembered
    assert (folder / db.sealed.CHECKED).exists()
    st = first.stat()
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # changed since: looked at again
    reopened = open_database(db_path).ctx
    assert looked == [first.name]
    third = backups.backup_now(reopened, "manual").path  # a new one: looked at once
    reopened.database.dispose()
    assert looked == [first.name, third.name]
    open_database(db_path).ctx.database.dispose()
    assert looked == [first.name, third.name] and second.exists()
    (folder / db.sealed.CHECKED).write_text("{not json", encoding="utf-8")  # damaged: every file again
    open_database(db_path).ctx.database.dispose()
    assert sorted(looked[2:]) == sorted([first.name, second.name, third.name])
