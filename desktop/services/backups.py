"""Backups as the app uses them: on demand, on close when changed, periodically when changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db.backup import BackupInfo, backup_dir_for, create_backup, list_backups, rotate
from db.schema.audit import AuditRecord
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


def changed_since_last_backup(ctx: ServiceContext) -> bool:
    info = last_backup(ctx)
    with ctx.read() as s:
        # the backup's own audit record (written after the snapshot) is not a change to the data
        current = (
            s.scalar(select(func.coalesce(func.max(AuditRecord.id), 0)).where(AuditRecord.action != "backup"))
            or 0
        )
    return info is None or current > info.audit_max_id


def backup_now(ctx: ServiceContext, reason: str = "manual") -> BackupInfo:
    info = create_backup(ctx.database, reason, ctx.now())
    rotate(backup_folder(ctx), ctx.now())
    with ctx.write() as uow:
        uow.audit("backup", "database", None, summary=f"{info.reason_label}：{info.path.name}")
    return info


def backup_if_changed(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    if not ctx.database.is_sqlite or not changed_since_last_backup(ctx):
        return None
    return backup_now(ctx, reason)
