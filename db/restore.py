"""Is an existing SQLite file a database at all, and putting a verified backup in its place.

* :func:`file_problem` looks at a file before anything opens it: an existing file that is empty
  (0 bytes: a failed copy, a sync tool), not SQLite, cut short or with an unreadable schema must never
  be opened as a new, empty database (SQLite would happily do so for a 0-byte file).
* :func:`restore_file` puts a backup in place of the database after checking its SHA-256 and
  ``integrity_check``. The current file is kept aside under a new name (never deleted) together with
  its ``-wal``/``-shm``, so no stale WAL is replayed onto the restored file (sqlite.org/howtocorrupt.html
  §1.3 and §1.4) and nothing of the old state is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from db.backup import _sha256, verify_backup
from db.files import private_sqlite_files
from desktop.core.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_LIMIT = 16 * 1024 * 1024  # files up to this size get PRAGMA quick_check at opening (≤ ~0.3 s)
COMPANIONS = ("-wal", "-shm", "-journal")


def file_problem(path: Path) -> str | None:
    """Why the existing file ``path`` cannot be opened as this app's database, in Chinese; None if it can."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    if size == 0:
        return "是空文件（0 字节，可能是复制或同步失败留下的）"
    if not header.startswith(SQLITE_MAGIC):
        return "不是 SQLite 数据库文件（或文件开头已损坏）"
    if len(header) < 100:
        return "已被截断（不足一个文件头）"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "文件头已损坏（页大小无效）"
    if size % page_size:
        return "长度不完整（可能只复制了一部分）"
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[24:28] == header[92:96] and pages * page_size > size:
        return "已被截断（可能只复制了一部分）"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if size <= QUICK_CHECK_LIMIT:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    return f"已损坏（quick_check：{str(result)[:80]}）"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"已损坏（{str(exc)[:80]}）"
    return None


def aside_name(db_file: Path, now: dt.datetime, label: str = "before-restore") -> Path:
    """A free name beside ``db_file`` for keeping it: ``shequ.sqlite3.before-restore-20261123-100000``."""
    base = f"{db_file.name}.{label}-{now:%Y%m%d-%H%M%S}"
    candidate, n = db_file.with_name(base), 1
    while any(Path(f"{candidate}{s}").exists() for s in ("", *COMPANIONS)):
        candidate, n = db_file.with_name(f"{base}-{n}"), n + 1
    return candidate


def restore_file(db_file: Path, backup: Path, now: dt.datetime) -> Path | None:
    """Put the verified ``backup`` in place of ``db_file``; return where the old file was kept (None: none).

    Every connection to ``db_file`` must be closed. The backup is checked (recorded SHA-256,
    ``integrity_check``, ``foreign_key_check``), copied beside the target and checked again, then the
    current file and its ``-wal``/``-shm`` are renamed aside and the copy renamed into place.
    """
    backup = Path(backup)
    if not backup.is_file():
        raise DatabaseError(f"找不到备份文件：{backup}")
    if backup.resolve() == db_file.resolve():
        raise DatabaseError("不能用数据库文件本身作为备份来恢复。")
    verify_backup(backup)
    expected = _sha256(backup)
    tmp = db_file.with_name(f".{db_file.name}.restore-{uuid.uuid4().hex[:8]}.tmp")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if _sha256(tmp) != expected:
            raise DatabaseError(f"复制备份文件时内容发生变化，未做任何修改：{backup}")
        aside: Path | None = None
        if any(Path(f"{db_file}{s}").exists() for s in ("", *COMPANIONS)):
            aside = aside_name(db_file, now)
            for suffix in ("", *COMPANIONS):
                current = Path(f"{db_file}{suffix}")
                if current.exists():
                    os.replace(current, Path(f"{aside}{suffix}"))
        os.replace(tmp, db_file)
    except OSError as exc:
        raise DatabaseError(f"恢复失败：无法替换数据库文件（{exc.strerror or exc}）") from exc
    finally:
        tmp.unlink(missing_ok=True)
    private_sqlite_files(db_file)
    return aside
