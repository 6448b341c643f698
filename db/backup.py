"""Verified online backups of the SQLite database, with Anki-style rotation.

A backup is written with SQLite's online backup API inside one read transaction (a consistent
snapshot), to a ``.partial`` file that is checked (``integrity_check``, ``foreign_key_check``, row
counts equal to the source snapshot) before it is renamed into place. So every ``*.sqlite3`` file in
the backup folder is a verified backup; a crash mid-backup leaves at most a ``.partial`` file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.engine import Database
from desktop.core.errors import DatabaseError

NAME_RE = re.compile(r"^shequ-(\d{8})-(\d{6})(?:-(\d+))?-([a-z]+)\.sqlite3$")
REASONS = {
    "manual": "手动备份",
    "migration": "升级前备份",
    "auto": "自动备份",
    "close": "退出时备份",
    "import": "导入前备份",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime  # local time
    reason: str
    size: int
    row_counts: dict[str, int]
    audit_max_id: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def backup_dir_for(database: Database) -> Path:
    path = database.sqlite_path
    if path is None:
        raise DatabaseError("PostgreSQL 数据库由服务器备份（pg_dump / 归档），本机不做文件备份。")
    d = path.parent / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


def _audit_max(conn: sqlite3.Connection) -> int:
    try:
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_record").fetchone()[0])
    except sqlite3.DatabaseError:
        return 0


def create_backup(database: Database, reason: str, now: dt.datetime) -> BackupInfo:
    """A verified copy of the SQLite database, named by ``now`` (the caller's clock: the db layer reads none)."""
    if reason not in REASONS:
        raise ValueError(reason)
    folder = backup_dir_for(database)
    stem = f"shequ-{now:%Y%m%d-%H%M%S}"
    final = folder / f"{stem}-{reason}.sqlite3"
    n = 1
    while final.exists():
        final = folder / f"{stem}-{n}-{reason}.sqlite3"
        n += 1
    partial = final.with_suffix(".partial")
    raw = database.engine.raw_connection()
    try:
        src: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        src.execute("BEGIN")
        try:
            counts = _table_counts(src)
            audit_max = _audit_max(src)
            with sqlite3.connect(partial) as dst:
                src.backup(dst)
            dst.close()
        finally:
            src.execute("COMMIT")
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"备份失败：{exc}") from exc
    finally:
        raw.close()
    try:
        verify_backup(partial, counts, check_sidecar=False)  # the sidecar is written after it
    except DatabaseError:
        partial.unlink(missing_ok=True)
        raise
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, final)
    meta = {"reason": reason, "row_counts": counts, "audit_max_id": audit_max, "sha256": _sha256(final)}
    _write_json_atomic(final.with_suffix(".json"), meta)
    return BackupInfo(final, now.replace(microsecond=0), reason, final.stat().st_size, counts, audit_max)


def verify_backup(
    path: Path, expected_counts: dict[str, int] | None = None, *, check_sidecar: bool = True
) -> None:
    """Raise ``DatabaseError`` unless ``path`` is a sound backup.

    Checks ``integrity_check``, ``foreign_key_check``, the row counts if given and, when the ``.json``
    sidecar records one, the SHA-256 of the file: ``integrity_check`` cannot see a changed byte
    inside a stored value.
    """
    side = path.with_suffix(".json")
    if check_sidecar and side.exists():
        try:
            recorded = json.loads(side.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError, AttributeError):
            recorded = None
        if recorded and recorded != _sha256(path):
            raise DatabaseError(f"备份文件内容与备份时记录的校验值不一致（文件已被修改或损坏）：{path}")
    try:
        # as_uri() percent-encodes: a "#", "?" or "%" in the folder name is not URI syntax
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise DatabaseError(f"备份文件校验失败（integrity_check：{result}）：{path}")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise DatabaseError(f"备份文件外键校验失败：{path}")
            if expected_counts is not None:
                got = _table_counts(conn)
                if got != expected_counts:
                    raise DatabaseError(f"备份文件行数与数据库不一致：{path}")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"备份文件无法读取：{path}（{exc}）") from exc


def list_backups(folder: Path) -> list[BackupInfo]:
    """Verified backups in ``folder``, newest first."""
    out: list[tuple[int, BackupInfo]] = []
    if not folder.is_dir():
        return []
    for p in folder.iterdir():
        m = NAME_RE.match(p.name)
        if not m:
            continue
        created = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        meta: dict[str, Any] = {}
        side = p.with_suffix(".json")
        if side.exists():
            try:
                meta = json.loads(side.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
        info = BackupInfo(
            p, created, m.group(4), p.stat().st_size, meta.get("row_counts", {}), int(meta.get("audit_max_id", 0))
        )
        out.append((int(m.group(3) or 0), info))  # -1, -2 …: later backups within the same second
    out.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
    return [info for _seq, info in out]


def backups_to_remove(
    backups: list[BackupInfo], now: dt.datetime, daily: int = 12, weekly: int = 10, monthly: int = 9
) -> list[BackupInfo]:
    """Thin like Anki (``rslib/src/collection/backup.rs``). Going from the newest backup to the oldest:

    * everything from the last 24 hours is kept;
    * then the newest backup of each earlier day, until ``daily`` days are kept;
    * then the newest backup of each earlier ISO week, until ``weekly`` weeks are kept;
    * then the newest backup of each earlier month, until ``monthly`` months are kept;
    * everything older is removed.

    A day, week or month that already has a kept backup (from any of the stages, the last 24 hours
    included) does not take another slot. The newest backup is never removed.
    """
    ordered = sorted(backups, key=lambda b: (b.created_at, b.path.name), reverse=True)
    left = {"day": daily, "week": weekly, "month": monthly}
    kept: dict[str, set[object]] = {"day": set(), "week": set(), "month": set()}
    remove: list[BackupInfo] = []
    for i, b in enumerate(ordered):
        day = b.created_at.date()
        periods: dict[str, object] = {
            "day": day,
            "week": tuple(day.isocalendar())[:2],  # (ISO year, ISO week)
            "month": (day.year, day.month),
        }
        if i == 0 or now - b.created_at <= dt.timedelta(days=1):
            keep = True
        else:
            stage = next((k for k in ("day", "week", "month") if left[k] > 0), None)
            keep = stage is not None and periods[stage] not in kept[stage]
            if keep:
                left[stage] -= 1  # type: ignore[index]
        if keep:
            for k, v in periods.items():
                kept[k].add(v)
        else:
            remove.append(b)
    return remove


def rotate(folder: Path, now: dt.datetime) -> list[Path]:
    removed = []
    for b in backups_to_remove(list_backups(folder), now):
        b.path.unlink(missing_ok=True)
        b.path.with_suffix(".json").unlink(missing_ok=True)
        removed.append(b.path)
    return removed


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
