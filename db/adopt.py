"""Backups from before database identities (``backups/shequ-….sqlite3``, directly in ``backups/``): adopted
into this database's own folder, ``backups/<identity>/``, on its first start, when they are its own.

A backup is this database's when the identity stored inside it (the ``setting`` table, see
``db.backup.database_identity``) is this database's, or — a backup taken before identities existed —
when it has no identity and this database is the only one using the folder (no other database file
beside it, no other identity's backup folder). Anything else stays where it is. Adopted backups are moved
with their ``.json`` sidecar (never copied, never deleted) and are then listed with the others
(``shequ backup --list``, 设置 → 备份与恢复); rotation never removes a backup whose sidecar records no
identity (``db.backup.rotate``), so an adopted one is only ever removed by a person.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.backup import NAME_RE, _read_identity, backup_root
from db.files import private_folder

DATABASE_SUFFIXES = (".sqlite3", ".sqlite", ".db")


def _identity_inside(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return _read_identity(conn)
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return None


def _only_database_here(db_file: Path, identity: str) -> bool:
    others = [
        p
        for p in db_file.parent.iterdir()
        if p.is_file() and p.suffix in DATABASE_SUFFIXES and p.resolve() != db_file.resolve()
    ]
    root = backup_root(db_file)
    folders = [p for p in root.iterdir() if p.is_dir() and p.name != identity[:12]]
    return not others and not folders


def adopt_legacy_backups(db_file: Path, identity: str) -> list[Path]:
    """Move this database's backups from ``backups/`` into ``backups/<identity>/``; returns their new paths."""
    root = backup_root(db_file)
    if not root.is_dir():
        return []
    legacy = sorted(p for p in root.iterdir() if p.is_file() and NAME_RE.match(p.name))
    if not legacy:
        return []
    alone: bool | None = None
    moved: list[Path] = []
    for p in legacy:
        inside = _identity_inside(p)
        if inside is None:
            if alone is None:
                alone = _only_database_here(db_file, identity)
            if not alone:
                continue
        elif inside != identity:
            continue
        folder = private_folder(root / identity[:12])
        target = folder / p.name
        if target.exists():
            continue
        side = p.with_suffix(".json")
        if side.exists():
            os.replace(side, target.with_suffix(".json"))
        os.replace(p, target)
        moved.append(target)
    return moved
