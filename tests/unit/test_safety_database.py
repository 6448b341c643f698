"""Issue 15, points 1 and 3–7: a damaged file is never a new database, backups belong to one database,
owner-only files, a backup before every destructive step, a checkpoint on close, and restore."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from db.backup import BackupInfo, backup_dir_for, create_backup, list_backups, rotate, verify_backup
from db.schema.audit import AuditRecord
from desktop.app import main
from desktop.core.errors import DamagedDatabaseError
from desktop.core.identity import Actor
from desktop.services import backups
from desktop.services import structure as st
from desktop.services.bootstrap import open_database

ACTOR = Actor("测试员", "test-pc")


def grid_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM grid").fetchone()[0])
    finally:
        conn.close()


def make_database_with_backup(street_ctx, db_path: Path):
    info = backups.backup_now(street_ctx, "manual")
    street_ctx.database.dispose()
    return info


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "random":
        path.write_bytes(os.urandom(len(data)))
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2 + 100])
    elif how == "schema":  # the header survives, page 1 (the schema) is garbage
        path.write_bytes(data[:100] + os.urandom(4096 - 100) + data[4096:])


# ---------------------------------------------------------------- 1. never a new database


@pytest.mark.parametrize("how", ["empty", "random", "truncated", "schema"])
def test_a_damaged_file_is_refused_naming_the_newest_verified_backup(
    street_ctx, db_path: Path, capsys, how
) -> None:
    info = make_database_with_backup(street_ctx, db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    damage(db_path, how)
    before = db_path.read_bytes()

    assert main(["--db", str(db_path), "backup", "--list"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "不能作为数据库打开" in err
    assert f'restore "{info.path}"' in err and f'--db "{db_path}"' in err
    assert db_path.read_bytes() == before  # not made into an empty database
    assert list_backups(info.path.parent) == [list_backups(info.path.parent)[0]]  # no backup of the damage

    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(db_path, actor=ACTOR)
    assert refused.value.backup is not None and refused.value.backup.path == info.path


def test_an_empty_file_without_backups_is_refused_too(tmp_path: Path, capsys) -> None:
    path = tmp_path / "shequ.sqlite3"
    path.write_bytes(b"")
    assert main(["--db", str(path), "backup"]) == 1
    err = capsys.readouterr().err
    assert "空文件" in err and "没有找到这个数据库文件的已校验备份" in err
    assert path.stat().st_size == 0


def test_a_corrupted_newest_backup_is_skipped_for_an_older_sound_one(
    street_ctx, db_path: Path, clock
) -> None:
    old = backups.backup_now(street_ctx, "manual")
    st.save_street(street_ctx, "钢城街道（改）")
    clock.advance(dt.timedelta(hours=1))
    new = backups.backup_now(street_ctx, "manual")
    street_ctx.database.dispose()
    data = new.path.read_bytes()
    new.path.write_bytes(data.replace("钢城街道（改）".encode(), "钢城街道（坏）".encode()))
    db_path.write_bytes(b"")
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(db_path, actor=ACTOR)
    assert refused.value.backup.path == old.path


def test_rotation_never_removes_the_last_backup_that_verifies(street_ctx) -> None:
    old = create_backup(street_ctx.database, "auto", dt.datetime(2024, 1, 5, 9, 0))
    newest = create_backup(street_ctx.database, "auto", dt.datetime(2026, 11, 23, 9, 0))
    newest.path.write_bytes(b"\x00" * newest.size)  # the newest one went bad
    removed = rotate(newest.path.parent, dt.datetime(2026, 11, 23, 10, 0), daily=0, weekly=0, monthly=0)
    assert removed == [] and old.path.exists()
    verify_backup(old.path)
    # with a sound newest backup the thinning goes on as before
    newer = create_backup(street_ctx.database, "auto", dt.datetime(2026, 11, 23, 9, 30))
    removed = rotate(
        newer.path.parent, dt.datetime(2026, 11, 23, 10, 0), verified=newer.path, daily=0, weekly=0, monthly=0
    )
    assert removed == [old.path]  # (the bad one is of the last 24 hours: kept like any other)


def test_automatic_backups_are_not_skipped_when_audit_ids_went_down(street_ctx) -> None:
    info = backups.backup_now(street_ctx, "manual")
    assert not backups.changed_since_last_backup(street_ctx)
    side = info.path.with_suffix(".json")
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta["audit_max_id"] = 10_000  # the backup came from a later state of the database (it was replaced)
    side.write_text(json.dumps(meta), encoding="utf-8")
    assert backups.changed_since_last_backup(street_ctx)
    assert backups.backup_if_changed(street_ctx, "auto") is not None


# ---------------------------------------------------------------- 3. partial files, unique names, permissions


def test_leftovers_of_interrupted_backups_are_removed_on_the_next_start(street_ctx, db_path: Path) -> None:
    folder = backup_dir_for(street_ctx.database)
    street_ctx.database.dispose()
    dead = [folder / ".shequ-999999-0123456789ab.partial"]
    dead += [Path(f"{dead[0]}-wal"), Path(f"{dead[0]}-shm")]
    legacy = [
        folder.parent / "shequ-20261101-101010-auto.partial",
        folder.parent / "shequ-20261101-101010-auto.partial-wal",
    ]
    for p in dead + legacy:
        p.write_bytes(b"x" * 10)
    alive = folder / f".shequ-{os.getppid()}-0123456789ab.partial"  # a process that runs: left alone
    alive.write_bytes(b"x")
    reopened = open_database(db_path, actor=ACTOR)
    reopened.ctx.database.dispose()
    assert not any(p.exists() for p in dead + legacy)
    assert alive.exists()


def test_two_backups_at_the_same_moment_from_two_threads_both_succeed(street_ctx) -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, 15)
    results: list[object] = []

    def run() -> None:
        try:
            results.append(create_backup(street_ctx.database, "auto", now))
        except Exception as exc:  # pragma: no cover - the failure the test looks for
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, BackupInfo) for r in results), results
    paths = {r.path for r in results if isinstance(r, BackupInfo)}
    assert len(paths) == 3
    for p in paths:
        verify_backup(p)
    assert not list(next(iter(paths)).parent.glob(".shequ-*"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_data_folder_database_backups_logs_and_exports_are_owner_only(
    isolated_home: Path, tmp_path: Path, capsys
) -> None:
    os.umask(0o022)
    assert main(["backup"]) == 0  # the default database in the data folder
    db_file = isolated_home / "shequ.sqlite3"
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(isolated_home) == 0o700 and mode(db_file) == 0o600
    assert mode(isolated_home / "logs") == 0o700
    folder = next((isolated_home / "backups").iterdir())
    assert mode(isolated_home / "backups") == 0o700 and mode(folder) == 0o700
    files = list(folder.iterdir())
    assert files and all(mode(p) == 0o600 for p in files)
    out = tmp_path / "网格.xlsx"
    assert main(["export", "grids", "--out", str(out)]) == 0
    assert mode(out) == 0o600
    assert all(mode(p) == 0o600 for p in (isolated_home / "logs").iterdir())


# ---------------------------------------------------------------- 4. backups belong to one database


def test_two_databases_in_one_folder_keep_their_backups_apart(tmp_path: Path, clock, capsys) -> None:
    a = open_database(tmp_path / "a.sqlite3", actor=ACTOR, clock=clock).ctx
    b = open_database(tmp_path / "b.sqlite3", actor=ACTOR, clock=clock).ctx
    try:
        st.save_street(a, "甲街道")
        st.save_street(b, "乙街道")
        day = dt.datetime(2025, 1, 1, 12, 0)
        for k in range(40):  # b has many old backups, which a's rotation must not thin
            create_backup(b.database, "auto", day + dt.timedelta(days=k))
        assert backup_dir_for(a.database) != backup_dir_for(b.database)
        mine = backups.backup_now(a, "manual")
        assert len(backups.list_all(b)) == 40 and [x.path for x in backups.list_all(a)] == [mine.path]
        assert backups.backup_status(a).last == mine
    finally:
        a.database.dispose()
        b.database.dispose()
    assert main(["--db", str(tmp_path / "a.sqlite3"), "backup", "--list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1 and mine.path.name in listed[0]


# ---------------------------------------------------------------- 5. a verified backup before demo --force


def test_demo_force_is_preceded_by_a_verified_backup(street_ctx, db_path: Path, capsys) -> None:
    street_ctx.database.dispose()
    assert main(["--db", str(db_path), "demo", "--force"]) == 0
    out = capsys.readouterr().out
    reopened = open_database(db_path, actor=ACTOR)
    try:
        found = backups.list_all(reopened.ctx)
    finally:
        reopened.ctx.database.dispose()
    (kept,) = [b for b in found if b.reason == "demo"]
    assert str(kept.path) in out
    verify_backup(kept.path)
    assert grid_count(kept.path) == 3  # the street's own three grids, from before the demo


# ---------------------------------------------------------------- 6. the file alone is complete after a command


def test_after_a_command_the_sqlite_file_alone_holds_the_data(
    street_ctx, db_path: Path, tmp_path: Path
) -> None:
    street_ctx.database.dispose()
    assert main(["--db", str(db_path), "backup"]) == 0  # writes an audit record
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    alone = tmp_path / "copied.sqlite3"
    shutil.copyfile(db_path, alone)  # only the one file, as people copy or mail it
    conn = sqlite3.connect(alone)
    try:
        assert conn.execute("SELECT COUNT(*) FROM audit_record WHERE action = 'backup'").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM grid").fetchone()[0] == 3
    finally:
        conn.close()


# ---------------------------------------------------------------- 7. restore


def test_restore_brings_back_a_backup_on_a_damaged_database_end_to_end(
    street_ctx, db_path: Path, capsys
) -> None:
    info = make_database_with_backup(street_ctx, db_path)
    damage(db_path, "random")
    Path(f"{db_path}-wal").write_bytes(b"stale wal that must not be replayed")
    damaged = db_path.read_bytes()
    assert main(["--db", str(db_path), "backup", "--list"]) == 1
    err = capsys.readouterr().err
    command = err[err.index("shequ --db") :].split("（")[0]
    assert main(["--db", str(db_path), "restore", str(info.path)]) == 0, command
    out = capsys.readouterr().out
    assert "已从备份恢复并校验" in out and "原数据库已改名保留" in out
    kept = [p for p in db_path.parent.iterdir() if p.name.startswith("shequ.sqlite3.before-restore-")]
    assert sorted(p.name.endswith("-wal") for p in kept) == [False, True]
    assert next(p for p in kept if not p.name.endswith("-wal")).read_bytes() == damaged  # kept, not deleted

    reopened = open_database(db_path, actor=ACTOR)
    try:
        assert [g.name for g in st.list_grids(reopened.ctx)] == ["新华一网格", "新华二网格", "朝阳一网格"]
        with reopened.ctx.read() as s:
            (summary,) = s.scalars(select(AuditRecord.summary).where(AuditRecord.action == "restore"))
        assert info.path.name in summary
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    finally:
        reopened.ctx.database.dispose()


def test_restore_of_a_sound_database_backs_it_up_first_and_refuses_a_tampered_backup(
    street_ctx, db_path: Path, capsys
) -> None:
    info = backups.backup_now(street_ctx, "manual")
    st.save_street(street_ctx, "改过的街道")
    street_ctx.database.dispose()
    tampered = info.path.with_name("shequ-20261123-000000-manual.sqlite3")
    tampered.write_bytes(info.path.read_bytes().replace("王建国".encode(), "王建图".encode()))
    shutil.copyfile(info.path.with_suffix(".json"), tampered.with_suffix(".json"))
    before = db_path.read_bytes()
    assert main(["--db", str(db_path), "restore", str(tampered)]) == 1
    assert "校验值不一致" in capsys.readouterr().err
    assert db_path.read_bytes() == before

    assert main(["--db", str(db_path), "restore", str(info.path)]) == 0
    out = capsys.readouterr().out
    assert "恢复前已备份原数据库" in out
    reopened = open_database(db_path, actor=ACTOR)
    try:
        assert st.get_street(reopened.ctx).name == "钢城街道"
        (safety,) = [b for b in backups.list_all(reopened.ctx) if b.reason == "restore"]
    finally:
        reopened.ctx.database.dispose()
    conn = sqlite3.connect(f"{safety.path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT name FROM street").fetchone()[0] == "改过的街道"
    finally:
        conn.close()
