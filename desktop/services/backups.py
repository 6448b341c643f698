"""Backups as the app uses them: on demand, on close when changed, periodically when changed, before
every destructive step; and restoring one (the command line's ``restore`` and 设置 → 备份与恢复)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db.backup import (
    BackupInfo,
    audit_marks,
    backup_dir_for,
    backup_info,
    create_backup,
    list_backups,
    rotate,
    verify_backup,
)
from db.crypto import holder, keys_of
from db.engine import Database
from db.migrate import MigrationOutcome, upgrade_to_head
from db.restore import file_problem, restore_file
from db.schema.audit import AuditRecord
from db.sealed import is_sealed, seal_quietly, unsealed
from desktop.core.clock import Clock
from desktop.core.errors import DatabaseError
from desktop.core.identity import Actor
from desktop.services.audit import allow_head_back
from desktop.services.context import ServiceContext


def backup_folder(ctx: ServiceContext) -> Path:
    return backup_dir_for(ctx.database)


def list_all(ctx: ServiceContext) -> list[BackupInfo]:
    """The backups in the database's backup folder, newest first."""
    return list_backups(backup_folder(ctx))


def last_backup(ctx: ServiceContext) -> BackupInfo | None:
    if not ctx.database.is_sqlite:
        return None
    backups = list_all(ctx)
    return backups[0] if backups else None


STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class BackupStatus:
    """The facts the status bar and the settings page show about backups (they word them)."""

    by_server: bool  # PostgreSQL: the database server does the backups, not the app
    last: BackupInfo | None  # the newest backup (None: none yet, or by_server)
    stale: bool  # the app's backups need attention: none yet, or the newest is older than STALE_AFTER


def backup_status(ctx: ServiceContext) -> BackupStatus:
    if not ctx.database.is_sqlite:
        return BackupStatus(by_server=True, last=None, stale=False)
    info = last_backup(ctx)
    if info is None:
        return BackupStatus(by_server=False, last=None, stale=True)
    age = ctx.now() - info.created_at
    return BackupStatus(by_server=False, last=info, stale=age > STALE_AFTER)


#: how long records of access alone (sign-ins, prints, exports: db.backup.ACCESS_ACTIONS) may wait for a backup
ACCESS_BACKUP_AGE = dt.timedelta(days=1)


def changed_since_last_backup(ctx: ServiceContext) -> bool:
    """Whether a backup is due: the data changed since the newest one (or the database went back, or there is
    none); or only access was recorded since, and that backup is a day old (the audit trail is backed up
    daily, without copying the whole file at every close after a sign-in or a print)."""
    info = last_backup(ctx)
    if info is None:
        return True
    change, last = audit_marks(ctx.database)
    # "!=", not ">": a database that went back (restored, replaced) still needs its backup
    if change != info.audit_max_id:
        return True
    kept = info.audit_max_id if info.audit_last_id is None else info.audit_last_id
    return last != kept and ctx.now() - info.created_at >= ACCESS_BACKUP_AGE


def backup_now(ctx: ServiceContext, reason: str = "manual") -> BackupInfo:
    info = create_backup(ctx.database, reason, ctx.now())
    rotate(backup_folder(ctx), ctx.now(), verified=info.path)
    # plain backups from before field encryption: sealed now that a verified encrypted one exists (db.sealed)
    seal_quietly(backup_folder(ctx), keys_of(ctx.database))
    with ctx.write() as uow:
        uow.audit("backup", "database", None, summary=f"{info.reason_label}：{info.path.name}")
    return info


def backup_if_changed(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    if not ctx.database.is_sqlite or not changed_since_last_backup(ctx):
        return None
    return backup_now(ctx, reason)


def backup_before(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    """The verified backup a destructive step (demo --force, an import) starts with; None on PostgreSQL.

    Unlike :func:`backup_if_changed` it is taken even when nothing changed since the last one, unless
    the newest backup is of this very state (then that one serves)."""
    if not ctx.database.is_sqlite:
        return None
    if not changed_since_last_backup(ctx):
        return last_backup(ctx)
    return backup_now(ctx, reason)


@dataclass(frozen=True)
class RestoreOutcome:
    backup: Path  # the backup now in place
    kept_as: Path | None  # where the database that was replaced now lies (never deleted)
    safety_backup: BackupInfo | None  # the backup of the replaced database, when it could be taken
    migration: MigrationOutcome


def restore_backup(database: Database, backup: Path, actor: Actor, clock: Clock) -> RestoreOutcome:
    """Put the verified ``backup`` in place of the SQLite ``database`` and reopen it.

    The current database is backed up first when it is sound, then kept aside under a new name with its
    ``-wal``/``-shm`` (never deleted); the backup's SHA-256 and ``integrity_check`` are checked before
    and after copying; the reopened database is migrated if the backup is older, and the restore is
    written to its audit trail: the backup, its time, the chain position moved back (from the head kept
    outside the database to the restored trail's end) and the account; that record moves the head, so the
    trail verifies. A sealed backup (``db.sealed``) is decrypted beside it first and the copy removed after.
    ``database`` may be one that cannot be opened (damaged): it is only disposed and reopened here.
    """
    backup = Path(backup)
    if database.sqlite_path is not None and backup.is_file() and is_sealed(backup):
        verify_backup(backup)
        with unsealed(backup) as plain:  # decrypted beside it, owner-only, removed after
            return _restore(database, plain, actor, clock, named=backup)
    return _restore(database, backup, actor, clock, named=backup)


def _restore(database: Database, backup: Path, actor: Actor, clock: Clock, *, named: Path) -> RestoreOutcome:
    path = database.sqlite_path
    if path is None:
        raise DatabaseError("PostgreSQL 数据库请在服务器上从备份恢复（pg_restore），本程序不做文件恢复。")
    ctx = ServiceContext(database, actor, clock)
    if not Path(backup).is_file():
        raise DatabaseError(f"找不到备份文件：{backup}")
    verify_backup(Path(backup))  # before anything is touched (restore_file checks it again, and the copy)
    safety = None
    if path.exists() and file_problem(path) is None:
        try:
            safety = create_backup(database, "restore", ctx.now())
        except DatabaseError:
            safety = None  # unsound inside: it is still kept aside below
    database.dispose()
    kept = restore_file(path, Path(backup), ctx.now())
    database.dispose()
    migration = upgrade_to_head(database, now=ctx.now())
    head = holder(database.engine.dialect).load_head()  # where the trail ended before (kept outside the file)
    with ctx.write() as uow:
        restored_end = uow.session.scalar(select(func.coalesce(func.max(AuditRecord.id), 0))) or 0
        taken = backup_time(named)
        if head is None:
            moved = f"审计链位置：第 {restored_end} 条（本机此前没有保存链头）"
        elif head[0] == restored_end:
            moved = f"审计链位置未变：第 {restored_end} 条"
        else:
            moved = f"审计链位置由第 {head[0]} 条退回到第 {restored_end} 条"
            if head[0] < restored_end:
                moved = f"审计链位置由第 {head[0]} 条变为第 {restored_end} 条"
        uow.audit(
            "restore",
            "database",
            None,
            summary=f"从备份恢复：{named.name}（备份时间 {taken:%Y-%m-%d %H:%M:%S}）；{moved}；"
            f"操作账号：{ctx.actor.user}"
            + (f"；原数据库已另存为 {kept.name}" if kept else "")
            + (f"；恢复前备份：{safety.path.name}" if safety else ""),
        )
        allow_head_back(uow.session)  # this record, and only such a record, moves the head back
    return RestoreOutcome(named, kept, safety, migration)


def backup_time(path: Path) -> dt.datetime:
    """When a backup was taken: from its name (``shequ-20261123-100000-….sqlite3``), else the file's time."""
    info = backup_info(path)
    if info is not None:
        return info.created_at
    return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
