"""The words for the backup status (the service returns the facts: services.backups.BackupStatus)."""

from __future__ import annotations

from desktop.services.backups import BackupStatus


def describe_backup(status: BackupStatus) -> str:
    """ "2026-11-23 09:30 手动备份，已校验", with "（已超过 24 小时）" when stale; or why there is none."""
    if status.by_server:
        return "由数据库服务器负责备份"
    if status.last is None:
        return "尚无备份"
    info = status.last
    stale = "（已超过 24 小时）" if status.stale else ""
    return f"{info.created_at:%Y-%m-%d %H:%M} {info.reason_label}，已校验{stale}"
