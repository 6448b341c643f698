"""Verified online backups of the SQLite database, with Anki-style rotation.

A backup is written with SQLite's online backup API inside one read transaction (a consistent
snapshot), to a uniquely named ``.partial`` file (owner-only) that is switched to a rollback journal
(so it is one self-contained file, no ``-wal``/``-shm`` beside it) and checked (``integrity_check``,
``foreign_key_check``, row counts equal to the source snapshot) before it is linked into place. So
every ``*.sqlite3`` file in a backup folder is a verified backup; a crash mid-backup leaves at most a
``.partial`` file, removed on the next start (:func:`remove_partials`).

Backups belong to one database: its identity (a UUID in the ``setting`` table, key
``database.identity``) names its folder, ``backups/<identity>/``, and the ``.json`` sidecar records it
with the database's path. Rotation, listings and the status bar only see that folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.crypto import IDENTITY_SETTING
from db.engine import Database
from db.files import private_folder
from desktop.core.errors import DatabaseError

NAME_RE = re.compile(r"^shequ-(\d{8})-(\d{6})(?:-(\d+))?-([a-z]+)\.(?:sqlite3|sealed)$")  # .sealed: db.sealed
PARTIAL_RE = re.compile(r"^\.shequ-(\d+)-[0-9a-f]+\.partial(?:-wal|-shm|-journal)?$")
IDENTITY_KEY = IDENTITY_SETTING  # one identity for the backups and the data key (db.crypto)
REASONS = {
    "manual": "手动备份",
    "migration": "升级前备份",
    "auto": "自动备份",
    "close": "退出时备份",
    "import": "导入前备份",
    "restore": "恢复前备份",
    "demo": "生成演示数据前备份",
    "anonymise": "匿名化前备份",
    "upgraded": "升级后备份",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime  # local time
    reason: str
    size: int
    row_counts: dict[str, int]
    audit_max_id: int  # the last audit record in it that changed the data (not one of ACCESS_ACTIONS)
    identity: str | None = None  # the database's identity (None: a backup from before identities)
    source: str | None = None  # the database file it was taken from
    #: the last audit record in it of any kind but a backup's own (None: a backup from before this was kept,
    #: when audit_max_id was that)
    audit_last_id: int | None = None

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def sealed(self) -> bool:
        """A pre-0010 backup encrypted as a whole (``db.sealed``): restored by decrypting it first."""
        return self.path.suffix == ".sealed"


def backup_root(db_file: Path) -> Path:
    """``backups/`` beside the database file (owner-only); one sub-folder per database identity."""
    return db_file.parent / "backups"


def _sqlite_file(database: Database) -> Path:
    path = database.sqlite_path
    if path is None:
        raise DatabaseError("PostgreSQL 数据库由服务器备份（pg_dump / 归档），本机不做文件备份。")
    return path


def database_identity(database: Database) -> str:
    """The database's identity (a UUID kept in the ``setting`` table), created on first use."""
    _sqlite_file(database)
    raw = database.engine.raw_connection()
    try:
        conn: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        found = _read_identity(conn)
        if found is None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT OR IGNORE INTO setting (key, value, version, created_at, updated_at) "
                    "VALUES (?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    (IDENTITY_KEY, json.dumps(uuid.uuid4().hex)),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            found = _read_identity(conn)
        if found is None:  # pragma: no cover - the insert above just wrote it
            raise DatabaseError("无法记录数据库标识。")
        return found
    except sqlite3.Error as exc:
        raise DatabaseError(f"无法读取数据库标识：{exc}") from exc
    finally:
        raw.close()


def _read_identity(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (IDENTITY_KEY,)).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return value if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value) else None


def backup_dir_for(database: Database) -> Path:
    """This database's own backup folder, ``backups/<identity>/`` (created, owner-only)."""
    path = _sqlite_file(database)
    identity = database_identity(database)
    root = private_folder(backup_root(path))
    return private_folder(root / identity[:12])


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


#: audit actions that record access, not a change to the data: the backup itself, signing in (or failing
#: to, an account locked and unlocked, the lock screen lifted), a document printed, a list exported, full
#: details viewed. When only these were added since the last backup, closing does not copy the whole file
#: again (:func:`audit_marks`, services.backups.changed_since_last_backup): their records reach a backup
#: within a day.
ACCESS_ACTIONS = (
    "backup",
    "login",
    "login_failed",
    "lock",
    "unlock",
    "unlock_screen",
    "print",
    "export",
    "reveal",
)


def _audit_marks(conn: sqlite3.Connection) -> tuple[int, int]:
    """(the last audit record that changed the data, the last one but a backup's own), each found newest first."""
    marks = ", ".join("?" * len(ACCESS_ACTIONS))
    try:
        change = conn.execute(
            f"SELECT id FROM audit_record WHERE action NOT IN ({marks}) ORDER BY id DESC LIMIT 1",
            ACCESS_ACTIONS,
        ).fetchone()
        last = conn.execute(
            "SELECT id FROM audit_record WHERE action != 'backup' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError:
        return 0, 0
    return (int(change[0]) if change else 0), (int(last[0]) if last else 0)


def audit_marks(database: Database) -> tuple[int, int]:
    """:func:`_audit_marks` of the database as it is now, to compare with its newest backup's
    (``services.backups.changed_since_last_backup``)."""
    _sqlite_file(database)
    raw = database.engine.raw_connection()
    try:
        return _audit_marks(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()


def _partial_name(folder: Path) -> Path:
    """A fresh, owner-only file for a backup in the making; the name carries our process id."""
    while True:
        candidate = folder / f".shequ-{os.getpid()}-{uuid.uuid4().hex[:12]}.partial"
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        os.close(fd)
        return candidate


def _link_into_place(partial: Path, folder: Path, stem: str, reason: str) -> Path:
    """Give the finished backup its name without ever replacing another backup (same second: -1, -2 …)."""
    n = 0
    while True:
        final = folder / (f"{stem}-{reason}.sqlite3" if n == 0 else f"{stem}-{n}-{reason}.sqlite3")
        try:
            os.link(partial, final)
        except FileExistsError:
            n += 1
            continue
        except OSError:  # a file system without hard links: the check and the rename are not one step
            if final.exists():
                n += 1
                continue
            os.replace(partial, final)
            return final
        partial.unlink()
        return final


def create_backup(database: Database, reason: str, now: dt.datetime) -> BackupInfo:
    """A verified copy of the SQLite database, named by ``now`` (the caller's clock: the db layer reads none)."""
    if reason not in REASONS:
        raise ValueError(reason)
    source = _sqlite_file(database)
    folder = backup_dir_for(database)
    identity = database_identity(database)
    partial = _partial_name(folder)
    try:
        counts, (audit_max, audit_last) = _copy_snapshot(database, partial)
        verify_backup(partial, counts, check_sidecar=False)  # the sidecar is written after it
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        final = _link_into_place(partial, folder, f"shequ-{now:%Y%m%d-%H%M%S}", reason)
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC
            raise DatabaseError(f"备份失败：磁盘空间不足，请清理备份所在的磁盘（{folder}）。") from exc
        raise DatabaseError(f"备份失败：无法写入备份文件夹 {folder}（{exc.strerror or exc}）") from exc
    finally:
        _remove_with_sidecars(partial)
    meta = {
        "reason": reason,
        "row_counts": counts,
        "audit_max_id": audit_max,
        "audit_last_id": audit_last,
        "sha256": _sha256(final),
        "identity": identity,
        "source": str(source),
    }
    _write_json_atomic(final.with_suffix(".json"), meta)
    return BackupInfo(
        final,
        now.replace(microsecond=0),
        reason,
        final.stat().st_size,
        counts,
        audit_max,
        identity,
        str(source),
        audit_last,
    )


def _copy_snapshot(database: Database, partial: Path) -> tuple[dict[str, int], tuple[int, int]]:
    raw = database.engine.raw_connection()
    try:
        src: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        src.execute("BEGIN")
        try:
            counts = _table_counts(src)
            marks = _audit_marks(src)
            dst = sqlite3.connect(partial, isolation_level=None)
            try:
                src.backup(dst)
                # one self-contained file: no -wal/-shm beside the backup, ever
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.execute("COMMIT")
    except sqlite3.Error as exc:
        if "disk is full" in str(exc) or getattr(exc, "sqlite_errorcode", 0) & 0xFF == 13:  # SQLITE_FULL
            raise DatabaseError(
                f"备份失败：磁盘空间不足，请清理备份所在的磁盘（{partial.parent}）。"
            ) from exc
        raise DatabaseError(f"备份失败：{exc}") from exc
    finally:
        raw.close()
    return counts, marks


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_partials(db_file: Path) -> list[Path]:
    """Remove what interrupted backups left (``.partial`` and its ``-wal``/``-shm``) in the backup folders.

    A partial file whose process still runs (another window backing up right now) is left alone.
    """
    root = backup_root(db_file)
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for p in [
        *root.glob(".shequ-*"),
        *root.glob("*/.shequ-*"),
        *root.glob("*.partial*"),
        *root.glob("*/*.partial*"),
    ]:
        m = PARTIAL_RE.match(p.name)
        if m and _process_alive(int(m.group(1))):
            continue
        if not (m or p.name.endswith((".partial", ".partial-wal", ".partial-shm", ".json.tmp"))):
            continue
        try:
            p.unlink()
        except OSError:  # open elsewhere (Windows): left for the next start
            continue
        removed.append(p)
    for p in [*root.glob("*.json.tmp"), *root.glob("*/*.json.tmp")]:
        p.unlink(missing_ok=True)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is starting: nothing of ours is in progress yet
    if os.name != "posix":  # pragma: no cover - Windows: an open file cannot be removed anyway
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def verify_backup(
    path: Path, expected_counts: dict[str, int] | None = None, *, check_sidecar: bool = True
) -> None:
    """Raise ``DatabaseError`` unless ``path`` is a sound backup.

    Checks ``integrity_check``, ``foreign_key_check``, the row counts if given and, when the ``.json``
    sidecar records one, the SHA-256 of the file: ``integrity_check`` cannot see a changed byte
    inside a stored value.
    """
    if path.suffix == ".sealed":
        from db.sealed import check_sealed

        check_sealed(path)
        return
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
    """Backups in ``folder`` (one database's folder), newest first."""
    out: list[tuple[int, BackupInfo]] = []
    if not folder.is_dir():
        return []
    for p in folder.iterdir():
        info = _info(p)
        if info is not None:
            m = NAME_RE.match(p.name)
            out.append((int(m.group(3) or 0) if m else 0, info))  # -1, -2 …: later ones within a second
    out.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
    return [info for _seq, info in out]


def backup_info(p: Path) -> BackupInfo | None:
    """The backup at ``p`` as :func:`list_backups` describes it (None: not named as this app names backups)."""
    return _info(p)


def _info(p: Path) -> BackupInfo | None:
    m = NAME_RE.match(p.name)
    if not m:
        return None
    created = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    meta: dict[str, Any] = {}
    side = p.with_suffix(".json")
    if side.exists():
        try:
            loaded = json.loads(side.read_text(encoding="utf-8"))
            meta = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            meta = {}
    try:
        size = p.stat().st_size
    except OSError:
        return None
    return BackupInfo(
        p,
        created,
        m.group(4),
        size,
        meta.get("row_counts", {}),
        int(meta.get("audit_max_id", 0)),
        meta.get("identity"),
        meta.get("source"),
        int(meta["audit_last_id"]) if isinstance(meta.get("audit_last_id"), int) else None,
    )


def backups_of_file(db_file: Path) -> list[BackupInfo]:
    """Backups taken from the database file ``db_file`` (by the path their sidecars record), newest first.

    For a database that cannot be opened (its identity cannot be read): the backups taken from the
    same file, whatever folder they are in.
    """
    root = backup_root(db_file)
    if not root.is_dir():
        return []
    wanted = str(db_file.resolve())
    found: list[BackupInfo] = []
    for folder in [root, *(p for p in root.iterdir() if p.is_dir())]:
        found += [b for b in list_backups(folder) if b.source and _same_path(b.source, wanted)]
    if not found:  # backups from before identities (in backups/ itself, no recorded source): offered too
        found = [b for b in list_backups(root) if b.source is None]
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def _same_path(a: str, b: str) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def newest_verified(backups: list[BackupInfo]) -> BackupInfo | None:
    """The newest of ``backups`` that passes :func:`verify_backup` (its SHA-256 and SQLite's checks)."""
    for b in sorted(backups, key=lambda b: (b.created_at, b.path.name), reverse=True):
        try:
            verify_backup(b.path)
        except DatabaseError:
            continue
        return b
    return None


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
    included) does not take another slot. The newest backup of a month is always what represents it:
    in the weekly stage a month's newest backup is kept too (without taking a slot) when its week is
    already represented by a later day of the next month, so a month is never left with only its last
    Sunday. The newest backup is never removed.
    """
    ordered = sorted(backups, key=lambda b: (b.created_at, b.path.name), reverse=True)
    left = {"day": daily, "week": weekly, "month": monthly}
    kept: dict[str, set[object]] = {"day": set(), "week": set(), "month": set()}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for b in ordered:
        newest_of_month.setdefault((b.created_at.year, b.created_at.month), b.path)
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
            if keep and stage is not None:
                left[stage] -= 1
            elif stage == "week" and monthly > 0 and newest_of_month[(day.year, day.month)] == b.path:
                keep = True  # the month's newest backup, in a week a later day of the next month holds
        if keep:
            for k, v in periods.items():
                kept[k].add(v)
        else:
            remove.append(b)
    return remove


def rotate(folder: Path, now: dt.datetime, verified: Path | None = None, **limits: int) -> list[Path]:
    """Remove the thinned backups of ``folder``, but never the last one that verifies.

    ``verified``: a backup just created and verified (spares checking it again).
    """
    backups = list_backups(folder)
    doomed = backups_to_remove(backups, now, **limits)
    if not doomed:
        return []
    doomed = [b for b in doomed if b.identity is not None]  # from before identities: only a person removes it
    if not doomed:
        return []
    doomed_paths = {b.path for b in doomed}
    kept = [b for b in backups if b.path not in doomed_paths]
    if not any(b.path == verified for b in kept) and newest_verified(kept) is None:
        spare = newest_verified(doomed)  # none of the kept ones is sound: keep the newest sound one
        if spare is not None:
            doomed = [b for b in doomed if b.path != spare.path]
    removed = []
    for b in doomed:
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
    tmp = path.with_suffix(f".{uuid.uuid4().hex[:8]}.json.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with open(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
