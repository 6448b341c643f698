"""Owner-only files and folders for personal data (POSIX modes; Windows keeps the profile's ACLs).

The data folder, the backup folders and the log folder are 0700; the database, its backups and
sidecars, logs and exports are 0600, so other accounts on a shared PC cannot read them (GB/T 35273-2020
§6.3 "访问控制": personal information is accessible to authorised persons only).
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Narrow ``path``'s permissions to the owner (no-op on Windows, or for a file we do not own)."""
    if os.name != "posix":  # pragma: no cover - Windows: ACLs of the user profile apply
        return
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and (st.st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except OSError:
        pass


def private_folder(path: Path) -> Path:
    """``path`` as an existing owner-only folder (created with its parents when missing)."""
    path.mkdir(parents=True, exist_ok=True)
    make_private(path, PRIVATE_FOLDER)
    return path


def private_sqlite_files(db_file: Path) -> None:
    """The database file and its ``-wal``/``-shm``/``-journal`` companions: owner-only."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(f"{db_file}{suffix}")
        if p.exists():
            make_private(p)
