"""Refuse to run a live SQLite database from a network share or a removable drive.

SQLite's locking (and WAL in particular) is unreliable over SMB/NFS, and USB sticks lie about syncing
(sqlite.org/howtocorrupt.html §2.1, §3.1). Several PCs share a PostgreSQL server instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.core.errors import UnsafeLocationError

NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "sshfs",
    "fuse.sshfs",
    "davfs",
    "fuse.davfs2",
    "afs",
    "glusterfs",
    "fuse.glusterfs",
    "ceph",
    "fuse.ceph",
    "lustre",
    "ncpfs",
    "fuse.rclone",
}

CLOUD_SYNC_MARKERS = ("onedrive", "坚果云", "nutstore", "百度网盘", "baidunetdisk", "dropbox", "icloud")

_ADVICE = "多台电脑共用数据时，请使用 PostgreSQL 服务器（--db postgresql+psycopg://…）。"


def check_sqlite_location(path: Path) -> None:
    """Raise ``UnsafeLocationError`` when ``path`` must not hold a live SQLite database."""
    resolved = Path(os.path.abspath(path))
    text = str(resolved)
    if text.startswith("\\\\") or text.startswith("//"):
        raise UnsafeLocationError(
            f"数据库文件位于网络共享位置（{text}），SQLite 数据库不能放在网络共享上。{_ADVICE}"
        )
    lowered = text.lower()
    for marker in CLOUD_SYNC_MARKERS:
        if marker in lowered:
            raise UnsafeLocationError(
                f"数据库文件位于云同步文件夹（{text}），同步软件可能在写入时复制文件而损坏数据库。请换到本机普通文件夹。"
            )
    if sys.platform == "win32":
        _check_windows_drive(resolved)
    else:
        fstype = _mount_fstype(resolved)
        if fstype and (fstype in NETWORK_FS or fstype.startswith("fuse.s")):
            raise UnsafeLocationError(f"数据库文件位于网络文件系统（{fstype}：{text}）上。{_ADVICE}")


def _check_windows_drive(path: Path) -> None:  # pragma: no cover - exercised on Windows only
    import ctypes

    drive = path.drive + "\\"
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(drive))  # type: ignore[attr-defined]
    if kind == 4:  # DRIVE_REMOTE
        raise UnsafeLocationError(f"数据库文件位于网络映射盘（{drive}）上。{_ADVICE}")
    if kind == 2:  # DRIVE_REMOVABLE
        raise UnsafeLocationError(
            f"数据库文件位于可移动磁盘（{drive}）上，拔出或断电可能损坏数据库。请放在本机硬盘上，用“备份”功能复制到 U 盘。"
        )


def _mount_fstype(path: Path) -> str | None:
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            mounts = [line.split()[:3] for line in fh]
    except OSError:
        return None
    best: tuple[int, str] | None = None
    text = str(path)
    for _dev, mountpoint, fstype in mounts:
        mp = mountpoint.replace("\\040", " ")
        inside = text == mp or text.startswith(mp.rstrip("/") + "/")
        if inside and (best is None or len(mp) > best[0]):
            best = (len(mp), fstype)
    return best[1] if best else None
