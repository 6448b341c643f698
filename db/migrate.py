"""Bring a database to the current schema, safely.

* an empty database is created from the migrations;
* an older one is backed up (verified) and then upgraded;
* one written by a newer version of the app is refused and left untouched;
* a database that is not ours is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from db.engine import Database
from desktop.core.errors import DatabaseError, SchemaTooNewError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Alembic costs ~0.2 s to import; start-up only needs it when a migration is due. The revision ids are
# read straight from the scripts (``revision = "0003"`` / ``down_revision = "0002"``) for the checks.
_REVISION_RE = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_RE = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(None|['\"]([^'\"]+)['\"])", re.M)


def known_revisions() -> tuple[set[str], str]:
    """All revision ids of this app's migration scripts, and the head (the one nothing builds on)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        m = _REVISION_RE.search(text)
        if not m:
            continue
        revisions.add(m.group(1))
        d = _DOWN_RE.search(text)
        if d and d.group(2):
            parents.add(d.group(2))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"迁移脚本应只有一个最新版本，实际：{sorted(heads)}")
    return revisions, heads.pop()


def alembic_config(database: Database | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database is not None:
        cfg.set_main_option(
            "sqlalchemy.url", database.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


def head_revision() -> str:
    return known_revisions()[1]


@dataclass(frozen=True)
class MigrationOutcome:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_compatible(database: Database) -> str | None:
    """Return the database's revision; raise if it is newer than this app or not ours.

    A SQLite file is only *read* here (read-only connection, no pragmas): the engine's connect hook
    switches the file to WAL, which would already modify a database we are about to refuse.
    """
    path = database.sqlite_path
    try:
        if path is not None and str(path) != ":memory:":
            revision, tables = _peek_sqlite(path)
        else:
            with database.engine.connect() as conn:
                tables = set(sa.inspect(conn).get_table_names())
                revision = None
                if "alembic_version" in tables:
                    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except (sa.exc.DatabaseError, sqlite3.Error) as exc:
        raise DatabaseError(f"无法打开数据库（{database.describe()}）：{_db_reason(exc)}") from exc
    if revision is None:
        ours = tables - {"alembic_version"}
        if ours:
            raise DatabaseError(
                f"数据库（{database.describe()}）中已有其他程序的数据表（{'、'.join(sorted(ours)[:5])}…），"
                "不是本程序的数据库，未做任何修改。"
            )
        return None
    if revision not in known_revisions()[0]:
        raise SchemaTooNewError(
            f"数据库（{database.describe()}）由更新版本的社区网格治理工作台写入（结构版本 {revision}），"
            "当前版本无法安全使用。请升级本程序后再打开；数据库未做任何修改。"
        )
    return revision


def _peek_sqlite(path: Path) -> tuple[str | None, set[str]]:
    """The Alembic revision and table names of a SQLite file, read without changing the file."""
    if not path.exists():
        return None, set()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        revision = None
        if "alembic_version" in tables:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if len(rows) > 1:
                raise DatabaseError(f"数据库结构版本记录异常（{len(rows)} 条）：{path}")
            revision = rows[0][0] if rows else None
        return revision, tables
    finally:
        conn.close()


def upgrade_to_head(
    database: Database, *, backup: bool = True, now: dt.datetime | None = None
) -> MigrationOutcome:
    """Migrate to the newest schema; an existing SQLite database is first backed up (named by ``now``)."""
    revision = check_compatible(database)
    head = head_revision()
    from db.crypto import attach_keys, holder

    if revision == head:
        attach_keys(database)
        return MigrationOutcome(revision, head, None)
    backup_path = None
    if revision is not None and backup and database.is_sqlite:
        from db.backup import create_backup

        if now is None:
            raise ValueError("a migration backup is named by the caller's clock: pass now")
        backup_path = create_backup(database, "migration", now).path
    from alembic import command

    with database.engine.connect() as conn:
        if database.is_sqlite:
            # rows are copied and re-sorted in plain before 0010 encrypts them: no spill into temporary files
            conn.connection.driver_connection.execute("PRAGMA temp_store=MEMORY")  # type: ignore[union-attr]
        cfg = alembic_config(database)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
        if database.is_sqlite:  # the pooled connection goes back to the default
            conn.connection.driver_connection.execute("PRAGMA temp_store=DEFAULT")  # type: ignore[union-attr]
    attach_keys(database)
    h = holder(database.engine.dialect)
    if h.vacuum_after_migration and database.is_sqlite and revision is not None:
        h.vacuum_after_migration = False
        raw = database.engine.raw_connection()  # VACUUM runs outside a transaction (no SQLAlchemy BEGIN)
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
            # WAL mode: VACUUM wrote the compacted pages to the -wal; until they are copied back, the main file
            # still holds the old pages with the plain values. TRUNCATE copies them and empties the -wal, whose
            # older frames (the rows as they were) would otherwise stay in the file after its end marker.
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
    if backup_path is not None and revision is not None and revision < "0010" <= head:
        _seal_plain_backups(database, now)
    if h.pending_head is not None:
        # a head already kept for this identity: the file is an older state of a database that had it (a
        # pre-0010 backup put back); the head stays, and only a recorded restore moves it back
        if h.load_head() is None:
            h.save_head(*h.pending_head)
        h.pending_head = None
    return MigrationOutcome(revision, head, backup_path)


def _seal_plain_backups(database: Database, now: dt.datetime | None) -> None:
    """Right after field encryption: a verified backup of the encrypted database, then the plain backups taken
    before (the pre-migration one too) are sealed with the data key (``db.sealed``). A failure here leaves them
    as they were, to be sealed after the next backup; the migration itself stands."""
    import logging

    from db.backup import backup_dir_for, create_backup
    from db.crypto import keys_of
    from db.sealed import seal_quietly

    try:
        if now is not None:
            create_backup(database, "upgraded", now)
        seal_quietly(backup_dir_for(database), keys_of(database))
    except (DatabaseError, OSError):
        logging.getLogger(__name__).warning("升级前的明文备份暂未加密，将在下次备份后再试", exc_info=True)


def _db_reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc))
    if "file is not a database" in text:
        return "文件不是 SQLite 数据库或已损坏"
    if "unable to open" in text:
        return "文件无法打开（路径不存在或没有权限）"
    if "could not connect" in text.lower() or "connection" in text.lower():
        return "无法连接数据库服务器"
    return text.splitlines()[0] if text else exc.__class__.__name__
