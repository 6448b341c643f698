"""Backups: verified online copies with a sidecar, consistent under a concurrent writer, thinned like Anki."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from db.backup import (
    BackupInfo,
    backup_dir_for,
    backups_to_remove,
    create_backup,
    list_backups,
    rotate,
    verify_backup,
)
from db.engine import Database
from db.schema.audit import AuditRecord
from desktop.core.errors import DatabaseError
from desktop.services import structure as st

# ---------------------------------------------------------------- helpers


def counts_of(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}
    finally:
        conn.close()


def grid_names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM grid ORDER BY code")]
    finally:
        conn.close()


def page_size(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------- create_backup


def test_backup_is_verified_with_a_sidecar(street_ctx, db_path: Path) -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, 15)
    info = create_backup(street_ctx.database, "manual", now=now)

    identity = backup_dir_for(street_ctx.database).name
    assert info.path.parent == db_path.parent / "backups" / identity  # this database's own folder
    assert info.identity is not None and info.identity.startswith(identity)
    assert info.path.name == "shequ-20261123-093015-manual.sqlite3"
    assert info.reason == "manual" and info.reason_label == "手动备份"
    assert info.created_at == now and info.size == info.path.stat().st_size > 0
    assert not list(info.path.parent.glob("*.partial*")) and not list(info.path.parent.glob("*-wal"))

    # the row counts are those of the live database, and the copy passes SQLite's own checks
    assert info.row_counts == counts_of(db_path) == counts_of(info.path)
    assert info.row_counts["grid"] == 3 and info.row_counts["grid_staff"] == 3
    verify_backup(info.path, info.row_counts)
    conn = sqlite3.connect(info.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()

    meta = json.loads(info.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["reason"] == "manual"
    assert meta["row_counts"] == info.row_counts
    assert meta["sha256"] == hashlib.sha256(info.path.read_bytes()).hexdigest()
    assert meta["identity"] == info.identity and meta["source"] == str(db_path)
    with street_ctx.read() as s:
        assert meta["audit_max_id"] == info.audit_max_id == s.scalar(select(func.max(AuditRecord.id)))

    [listed] = list_backups(info.path.parent)
    assert (listed.path, listed.created_at, listed.reason) == (info.path, now, "manual")
    assert listed.identity == info.identity
    assert listed.row_counts == info.row_counts and listed.audit_max_id == info.audit_max_id


@pytest.mark.parametrize(
    "folder",
    [
        "社区 数据",
        "C#项目",
        "100%完成",
        "a%20b",
        pytest.param(
            "谁?",
            marks=pytest.mark.skipif(sys.platform == "win32", reason="'?' is not allowed in Windows names"),
        ),
    ],
)
def test_backup_in_a_folder_with_uri_characters(tmp_path: Path, folder: str) -> None:
    from desktop.services.bootstrap import open_database

    opened = open_database(tmp_path / folder / "shequ.sqlite3")
    try:
        st.save_street(opened.ctx, "钢城街道")
        info = create_backup(opened.ctx.database, "manual", opened.ctx.now())
    finally:
        opened.ctx.database.dispose()
    verify_backup(info.path, info.row_counts)
    assert info.row_counts["street"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # no stray file beside it


def test_two_backups_in_the_same_second_get_two_files(ctx) -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, 15)
    a = create_backup(ctx.database, "auto", now=now)
    b = create_backup(ctx.database, "auto", now=now)
    assert a.path != b.path and a.path.exists() and b.path.exists()
    assert b.path.name == "shequ-20261123-093015-1-auto.sqlite3"
    assert {x.path for x in list_backups(a.path.parent)} == {a.path, b.path}


def test_unknown_reason_and_postgresql_are_refused(ctx) -> None:
    with pytest.raises(ValueError):
        create_backup(ctx.database, "whenever", ctx.now())
    pg = Database(make_url("postgresql+psycopg://shequ@db.example/shequ"))
    with pytest.raises(DatabaseError, match="PostgreSQL"):
        backup_dir_for(pg)
    pg.dispose()


def test_backup_during_an_open_write_transaction_has_committed_data_only(street_ctx, db_path: Path) -> None:
    # another program (or thread) is in the middle of a write transaction
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO grid (community_id, code, name, kind, version, created_at, updated_at) "
            "SELECT id, 'GC-99-999', '未提交网格', 'BASIC', 1, datetime('now'), datetime('now') "
            "FROM community LIMIT 1"
        )
        writer.execute("UPDATE grid SET name = '改了一半' WHERE code = 'GC-01-001'")

        info = create_backup(street_ctx.database, "auto", street_ctx.now())

        verify_backup(info.path, info.row_counts)
        assert info.row_counts["grid"] == 3
        assert grid_names(info.path) == ["新华一网格", "新华二网格", "朝阳一网格"]
        writer.execute("COMMIT")
    finally:
        writer.close()
    # the writer's commit went to the live database, never into the finished backup
    assert grid_names(db_path) == ["改了一半", "新华二网格", "朝阳一网格", "未提交网格"]
    assert grid_names(info.path) == ["新华一网格", "新华二网格", "朝阳一网格"]
    verify_backup(info.path)


def test_backup_sees_a_just_committed_write(street_ctx) -> None:
    st.save_grid(street_ctx, st.GridInput(st.list_communities(street_ctx)[0].id, "GC-01-003", "新华三网格"))
    info = create_backup(street_ctx.database, "auto", street_ctx.now())
    assert info.row_counts["grid"] == 4 and "新华三网格" in grid_names(info.path)


# ---------------------------------------------------------------- verify_backup finds damage


def test_verify_detects_a_damaged_page(street_ctx) -> None:
    info = create_backup(street_ctx.database, "manual", street_ctx.now())
    info.path.with_suffix(".json").unlink()  # only SQLite's own checks are left to find it
    size = page_size(info.path)
    data = bytearray(info.path.read_bytes())
    for page in range(2, len(data) // size + 1):  # flip the b-tree page-type byte of every page but the first
        data[(page - 1) * size] ^= 0xFF
    info.path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="备份文件"):
        verify_backup(info.path)


def test_verify_detects_a_damaged_header(street_ctx) -> None:
    info = create_backup(street_ctx.database, "manual", street_ctx.now())
    info.path.with_suffix(".json").unlink()
    data = bytearray(info.path.read_bytes())
    data[0:16] = b"\x00" * 16  # "SQLite format 3\0" gone
    info.path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="备份文件"):
        verify_backup(info.path)


def test_verify_detects_a_changed_value_through_the_sidecar(street_ctx) -> None:
    """A flipped byte inside a stored text passes integrity_check; the recorded SHA-256 catches it."""
    info = create_backup(street_ctx.database, "manual", street_ctx.now())
    data = info.path.read_bytes()
    old, new = "王建国".encode(), "王建图".encode()
    assert data.count(old) >= 1  # the staff row (and the audit record's JSON)
    info.path.write_bytes(data.replace(old, new))
    conn = sqlite3.connect(info.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite cannot tell
    finally:
        conn.close()
    with pytest.raises(DatabaseError, match="校验值不一致"):
        verify_backup(info.path)


def test_verify_detects_wrong_row_counts(street_ctx) -> None:
    info = create_backup(street_ctx.database, "manual", street_ctx.now())
    with pytest.raises(DatabaseError, match="行数"):
        verify_backup(info.path, {**info.row_counts, "grid": 4})


def test_verify_refuses_a_missing_or_foreign_file(tmp_path: Path) -> None:
    junk = tmp_path / "shequ-20261123-093015-manual.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(DatabaseError, match="备份文件"):
        verify_backup(junk)
    with pytest.raises(DatabaseError, match="备份文件"):
        verify_backup(tmp_path / "missing.sqlite3")


# ---------------------------------------------------------------- rotation

NOW = dt.datetime(2026, 11, 23, 12, 30)  # a Monday


def fake(created: dt.datetime, n: int = 0, reason: str = "auto") -> BackupInfo:
    extra = f"-{n}" if n else ""
    name = f"shequ-{created:%Y%m%d-%H%M%S}{extra}-{reason}.sqlite3"
    return BackupInfo(Path("/backups") / name, created, reason, 1, {}, 0)


def kept_after(backups: list[BackupInfo], now: dt.datetime = NOW, **limits: int) -> list[BackupInfo]:
    removed = {b.path for b in backups_to_remove(backups, now, **limits)}
    return sorted((b for b in backups if b.path not in removed), key=lambda b: b.created_at, reverse=True)


def week_of(d: dt.date) -> tuple[int, int]:
    iso = d.isocalendar()
    return (iso[0], iso[1])


def check_policy(backups: list[BackupInfo], now: dt.datetime = NOW) -> list[BackupInfo]:
    """The invariants that hold for any set of backups; returns what was kept."""
    kept = kept_after(backups, now)
    removed = backups_to_remove(backups, now)
    assert len(kept) + len(removed) == len(backups) and len({b.path for b in removed}) == len(removed)
    newest = max(backups, key=lambda b: b.created_at)
    assert newest in kept
    recent = [b for b in backups if now - b.created_at <= dt.timedelta(days=1)]
    assert all(b in kept for b in recent)
    older = [b for b in kept if b not in recent and b is not newest]
    assert len(older) <= 12 + 10 + 9 + 3  # (+ the newest backup of a month inside the weekly stage)
    for month in {(b.created_at.year, b.created_at.month) for b in kept}:  # a month keeps its newest
        newest_of_month = max(
            (x for x in backups if (x.created_at.year, x.created_at.month) == month),
            key=lambda x: x.created_at,
        )
        assert newest_of_month in kept
    days = [b.created_at.date() for b in older]
    assert len(days) == len(set(days))  # never two backups of one day beyond the last 24 h
    for b in older:  # each kept one is the newest backup of its day
        assert b.created_at == max(
            x.created_at for x in backups if x.created_at.date() == b.created_at.date()
        )
    # thinning again removes nothing more
    assert backups_to_remove(kept, now) == []
    return kept


def test_rotation_of_400_days_of_daily_backups() -> None:
    backups = [
        fake(dt.datetime.combine(NOW.date() - dt.timedelta(days=k), dt.time(12, 0))) for k in range(400)
    ]
    kept = check_policy(backups)
    kept_dates = [b.created_at.date() for b in kept]
    today = NOW.date()

    # last 24 h: today's 12:00; then 12 days; then 10 ISO weeks; then 9 months (newest of each)
    expected = [today] + [today - dt.timedelta(days=k) for k in range(1, 13)]
    represented_weeks = {week_of(d) for d in expected}
    day = expected[-1]
    weeks: list[dt.date] = []
    while len(weeks) < 10:
        day -= dt.timedelta(days=1)
        if week_of(day) not in represented_weeks:
            represented_weeks.add(week_of(day))
            weeks.append(day)  # the newest day of a new week: its Sunday
    assert all(d.isoweekday() == 7 for d in weeks)
    represented_months = {(d.year, d.month) for d in expected + weeks}
    months: list[dt.date] = []
    while len(months) < 9:
        day -= dt.timedelta(days=1)
        if (day.year, day.month) not in represented_months:
            represented_months.add((day.year, day.month))
            months.append(day)  # the last day of a new month
    assert all((d + dt.timedelta(days=1)).day == 1 for d in months)

    # a month's newest backup (its last day) inside the weekly stage, whose week a later day holds
    month_ends = [
        d
        for k in range(400)
        if weeks[-1] < (d := today - dt.timedelta(days=k)) < expected[-1]
        and (d + dt.timedelta(days=1)).day == 1
        and d not in weeks
    ]
    assert month_ends and all(d.isoweekday() != 7 for d in month_ends)
    assert kept_dates == sorted(expected + weeks + month_ends + months, reverse=True)
    assert len(kept) == 1 + 12 + 10 + 9 + len(month_ends)
    # a month that already has a kept daily/weekly backup takes no monthly slot
    assert (
        len({(d.year, d.month) for d in kept_dates}) == len({(d.year, d.month) for d in expected + weeks}) + 9
    )


def test_rotation_with_several_backups_a_day_and_gaps() -> None:
    backups: list[BackupInfo] = []
    for k in range(400):
        if 40 <= k < 75 or 200 <= k < 260:  # the PC was off for a while, twice
            continue
        day = NOW.date() - dt.timedelta(days=k)
        for hour in (8, 12, 17) if k else (8, 12):  # (nothing from the future)
            backups.append(fake(dt.datetime.combine(day, dt.time(hour, 5))))
    backups.append(fake(dt.datetime.combine(NOW.date(), dt.time(12, 5)), n=1, reason="close"))  # same second
    kept = check_policy(backups)
    recent = [b for b in kept if NOW - b.created_at <= dt.timedelta(days=1)]
    assert len(recent) == 1 + 3  # yesterday 17:05 and today's three (two in the same second)
    older = [b for b in kept if b not in recent]
    assert all(b.created_at.time() == dt.time(17, 5) for b in older)  # the newest of each day
    weeks = {week_of(b.created_at.date()) for b in kept}
    months = {(b.created_at.year, b.created_at.month) for b in kept}
    assert 12 + 10 + 9 <= len(older) <= 12 + 10 + 9 + 3
    assert len(weeks) >= 10 and len(months) >= 9


def test_rotation_keeps_everything_of_the_last_24_hours() -> None:
    backups = [fake(NOW - dt.timedelta(minutes=30 * k)) for k in range(49)]  # every half hour, 24 h
    assert backups_to_remove(backups, NOW) == []
    older = [*backups, fake(NOW - dt.timedelta(hours=24, minutes=1))]
    # 24 h 1 min ago is yesterday's first daily slot, and yesterday already has kept (recent) backups
    assert [b.created_at for b in backups_to_remove(older, NOW)] == [NOW - dt.timedelta(hours=24, minutes=1)]


def test_rotation_never_removes_the_newest() -> None:
    old = [fake(NOW - dt.timedelta(days=500 + k)) for k in range(5)]
    assert kept_after(old, daily=0, weekly=0, monthly=0) == [old[0]]
    assert backups_to_remove([], NOW) == []
    assert backups_to_remove(old[:1], NOW, daily=0, weekly=0, monthly=0) == []


def test_rotation_limits_are_parameters() -> None:
    backups = [
        fake(dt.datetime.combine(NOW.date() - dt.timedelta(days=k), dt.time(12, 0))) for k in range(60)
    ]
    kept = kept_after(backups, daily=3, weekly=0, monthly=0)
    assert [b.created_at.date() for b in kept] == [NOW.date() - dt.timedelta(days=k) for k in range(4)]


def test_rotate_deletes_files_and_sidecars_only_of_thinned_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stamps = [dt.datetime.combine(NOW.date() - dt.timedelta(days=k), dt.time(12, 0)) for k in range(60)]
    for t in stamps:
        p = folder / f"shequ-{t:%Y%m%d-%H%M%S}-auto.sqlite3"
        p.write_bytes(b"x")
        p.with_suffix(".json").write_text(
            '{"identity": "0123456789abcdef0123456789abcdef"}', encoding="utf-8"
        )
    (folder / "shequ-20200101-000000-auto.partial").write_bytes(b"x")  # an interrupted backup
    (folder / "说明.txt").write_text("用户自己的文件", encoding="utf-8")

    expected_removed = {b.path.name for b in backups_to_remove(list_backups(folder), NOW)}
    removed = rotate(folder, now=NOW)

    assert {p.name for p in removed} == expected_removed and len(removed) == 60 - len(list_backups(folder))
    for p in removed:
        assert not p.exists() and not p.with_suffix(".json").exists()
    for b in list_backups(folder):
        assert b.path.with_suffix(".json").exists()
    assert (folder / "说明.txt").exists() and (folder / "shequ-20200101-000000-auto.partial").exists()
    assert rotate(folder, now=NOW) == []


# ---------------------------------------------------------------- one path for the menu and the command line


def test_cli_backup_writes_the_audit_record_like_the_menu(street_ctx, db_path: Path, capsys) -> None:
    from desktop.app import main
    from desktop.services import backups

    def backup_audits() -> list[str]:
        with street_ctx.read() as s:
            return list(s.scalars(select(AuditRecord.summary).where(AuditRecord.action == "backup")))

    assert backup_audits() == []
    assert main(["--db", str(db_path), "backup"]) == 0
    out = capsys.readouterr().out
    (summary,) = backup_audits()
    newest = backups.last_backup(street_ctx)
    assert newest is not None and newest.path.name in summary and str(newest.path) in out
    assert not backups.changed_since_last_backup(street_ctx)  # the audit record is not a change to the data
    assert main(["--db", str(db_path), "backup", "--list"]) == 0
    assert newest.path.name in capsys.readouterr().out


def test_backup_status_is_facts_worded_at_the_edge(street_ctx, clock) -> None:
    from desktop.services import backups
    from desktop.ui.backup_text import describe_backup

    none_yet = backups.backup_status(street_ctx)
    assert none_yet == backups.BackupStatus(by_server=False, last=None, stale=True)
    assert describe_backup(none_yet) == "尚无备份"
    info = backups.backup_now(street_ctx)
    clock.set(info.created_at + dt.timedelta(hours=24))
    fresh = backups.backup_status(street_ctx)
    assert (fresh.last, fresh.stale) == (info, False)
    assert describe_backup(fresh) == f"{info.created_at:%Y-%m-%d %H:%M} {info.reason_label}，已校验"
    clock.advance(dt.timedelta(minutes=1))
    old = backups.backup_status(street_ctx)
    assert old.stale and describe_backup(old).endswith("已校验（已超过 24 小时）")


def test_signing_in_or_printing_needs_no_backup_at_closing_but_work_does_and_access_daily(
    street_ctx, clock
) -> None:
    """A sign-in, a wrong password, the lock screen lifted, a print, an export or full details viewed add
    audit records but change no data: closing after them copies nothing (the street's database takes seconds
    to copy); the next real change does, and records of access alone are backed up once they are a day old."""
    from desktop.core.errors import LoginRequired
    from desktop.services import accounts, backups
    from desktop.services.accounts import AccountInput

    accounts.create_account(street_ctx, AccountInput("zhang", "管理员", "张主任"), "Admin#2026x")
    first = backups.backup_now(street_ctx, "manual")
    admin = street_ctx.signed_in(accounts.sign_in(street_ctx, "zhang", "Admin#2026x").account)
    with pytest.raises(LoginRequired):
        accounts.sign_in(street_ctx, "zhang", "wrong")
    assert accounts.verify_again(admin, "Admin#2026x")
    for action in ("print", "export", "reveal"):
        with street_ctx.write() as uow:
            uow.audit(action, "resident", None, summary=f"{action} 测试")
    assert not backups.changed_since_last_backup(street_ctx)
    assert backups.backup_if_changed(street_ctx, "close") is None

    st.save_community(street_ctx, st.CommunityInput("光明社区", code="03"))
    assert backups.changed_since_last_backup(street_ctx)
    second = backups.backup_if_changed(street_ctx, "close")
    assert second is not None and second.audit_max_id > first.audit_max_id
    assert second.audit_last_id == second.audit_max_id  # the change was the last record
    conn = sqlite3.connect(second.path)  # the access recorded before it is in it, as every record is
    try:
        actions = {a for (a,) in conn.execute("SELECT action FROM audit_record")}
    finally:
        conn.close()
    assert {"login", "login_failed", "unlock_screen", "print", "export", "reveal"} <= actions
    assert not backups.changed_since_last_backup(street_ctx)

    accounts.sign_in(street_ctx, "zhang", "Admin#2026x")
    clock.advance(dt.timedelta(hours=23, minutes=59))
    assert not backups.changed_since_last_backup(street_ctx)
    clock.advance(dt.timedelta(minutes=1))  # a day after the backup: the sign-in's record is backed up
    assert backups.changed_since_last_backup(street_ctx)
    third = backups.backup_if_changed(street_ctx, "auto")
    assert third is not None and third.audit_max_id == second.audit_max_id
    assert third.audit_last_id is not None and third.audit_last_id > second.audit_max_id
    clock.advance(dt.timedelta(days=3))  # nothing at all since: no backup, however old
    assert not backups.changed_since_last_backup(street_ctx)
