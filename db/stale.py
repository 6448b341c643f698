"""A ``-wal`` left beside a database file it does not belong to (issue: a backup copied by hand over
``shequ.sqlite3`` while the old ``shequ.sqlite3-wal`` stayed: the next open silently replayed 44,052 later
changes onto the copy).

SQLite cannot tell: at opening it applies every valid frame of the ``-wal`` beside the file
(sqlite.org/walformat.html §2.1; sqlite.org/howtocorrupt.html §1.3-1.4 on separating a database from its
WAL). Before anything opens the file, :func:`stale_wal_problem` looks for the signs that the file was put
there after the ``-wal`` was last written, or that the two come from different databases:

* the ``-wal``'s page size differs from the database file's;
* the database file was replaced (copied, restored by hand) after the ``-wal`` was last written: its
  inode-change time (POSIX) or creation time (Windows), which no copy tool preserves, is later than the
  ``-wal``'s last write. After a crash the ``-wal`` is the newer of the two (the database file is written
  only by checkpoints, from the ``-wal``);
* applied to a scratch copy of the file, the ``-wal`` gives another database identity, or a damaged file.

A ``-wal`` with no valid frame is ignored by SQLite and so is harmless. :func:`set_aside` renames the
``-wal``/``-shm`` (never deletes them), so nobody loses what they may hold.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

WAL_MAGIC = (0x377F0682, 0x377F0683)
SLACK_SECONDS = 2.0  # a checkpoint writes the database file just after the commit that wrote the -wal


def _wal_frames(wal: Path) -> tuple[int, int] | None:
    """(page size, frames carrying the header's salts) of a ``-wal``; None if it is not a WAL file."""
    with open(wal, "rb") as fh:
        header = fh.read(32)
        if len(header) < 32 or int.from_bytes(header[0:4], "big") not in WAL_MAGIC:
            return None
        page_size = int.from_bytes(header[8:12], "big")
        page_size = 65536 if page_size == 1 else page_size
        salts = header[16:24]
        frames = 0
        while True:
            frame = fh.read(24)
            if len(frame) < 24 or frame[8:16] != salts:
                return page_size, frames
            frames += 1
            fh.seek(page_size, os.SEEK_CUR)


def _changed_at(st: os.stat_result) -> float:
    """When the file itself was last put in place: inode change (POSIX) or creation (Windows)."""
    return st.st_ctime


def _identity_and_check(folder: Path, source: Path, wal: Path | None) -> tuple[str | None, str]:
    """Copy ``source`` (and ``wal`` as its -wal) into ``folder``; (identity, quick_check) of the copy."""
    copy = folder / ("with-wal.sqlite3" if wal is not None else "alone.sqlite3")
    shutil.copyfile(source, copy)
    if wal is not None:
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    from db.backup import _read_identity

    conn = sqlite3.connect(copy)
    try:
        check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        try:
            identity = _read_identity(conn)
        except sqlite3.Error:
            identity = None
        return identity, check
    finally:
        conn.close()


def stale_wal_problem(path: Path) -> str | None:
    """Why the ``-wal`` beside ``path`` must not be applied to it, in Chinese; None if it may (or there is none)."""
    wal = Path(f"{path}-wal")
    try:
        if not path.is_file() or not wal.is_file() or wal.stat().st_size <= 32:
            return None
        found = _wal_frames(wal)
        if found is None:
            return f"“{wal.name}”不是 SQLite 的预写日志文件"
        page_size, frames = found
        if frames == 0:
            return None  # SQLite ignores it
        with open(path, "rb") as fh:
            header = fh.read(100)
        db_page = int.from_bytes(header[16:18], "big") if len(header) >= 18 else 0
        db_page = 65536 if db_page == 1 else db_page
        if db_page and db_page != page_size:
            return f"“{wal.name}”的页大小（{page_size}）与数据库文件（{db_page}）不同，来自另一个数据库"
        db_st, wal_st = path.stat(), wal.stat()
        if _changed_at(db_st) > wal_st.st_mtime + SLACK_SECONDS:
            placed = dt.datetime.fromtimestamp(_changed_at(db_st)).strftime("%Y-%m-%d %H:%M:%S")
            written = dt.datetime.fromtimestamp(wal_st.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            return (
                f"数据库文件是在“{wal.name}”最后写入（{written}）之后才放到这里的（{placed}，"
                "例如手动复制或还原了数据库文件），其中的 "
                f"{frames} 页修改属于原来的文件"
            )
        with tempfile.TemporaryDirectory(prefix="shequ-walcheck-") as tmp:
            alone, _ = _identity_and_check(Path(tmp), path, None)
            combined, check = _identity_and_check(Path(tmp), path, wal)
    except (OSError, sqlite3.Error) as exc:
        return f"无法核对“{wal.name}”是否属于这个数据库文件（{exc}）"
    if check != "ok":
        return f"把“{wal.name}”中的修改写入这个数据库文件后，文件会损坏（{check[:60]}）"
    if alone and combined and alone != combined:
        return f"“{wal.name}”来自另一个数据库（数据库标识不同）"
    return None


def set_aside(path: Path, now: dt.datetime) -> list[Path]:
    """Rename the ``-wal``/``-shm`` beside ``path`` to ``<name>.stale-<time>-wal``/``-shm`` (never deleted);
    returns the new names."""
    base = f"{path.name}.stale-{now:%Y%m%d-%H%M%S}"
    n = 1
    target = path.with_name(base)
    while any(Path(f"{target}{s}").exists() for s in ("-wal", "-shm")):
        target, n = path.with_name(f"{base}-{n}"), n + 1
    moved = []
    for suffix in ("-wal", "-shm"):
        current = Path(f"{path}{suffix}")
        if current.exists():
            new = Path(f"{target}{suffix}")
            os.replace(current, new)
            moved.append(new)
    return moved
