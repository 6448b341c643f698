"""Opening the database the app will use: location check, compatibility check, migration."""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa

from db.engine import Database, resolve_url
from db.location import check_sqlite_location
from db.migrate import MigrationOutcome, upgrade_to_head
from desktop.core.clock import Clock
from desktop.core.errors import DatabaseError
from desktop.core.identity import Actor
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class OpenedDatabase:
    ctx: ServiceContext
    migration: MigrationOutcome


def open_database(
    db_arg: str | os.PathLike[str] | None = None, actor: Actor | None = None, clock: Clock | None = None
) -> OpenedDatabase:
    """Resolve ``--db``/``SHEQU_DB``/default, refuse unsafe places, migrate (with a backup), return a context."""
    url = resolve_url(db_arg)
    if url.get_backend_name() == "sqlite" and url.database:
        from pathlib import Path

        path = Path(url.database)
        check_sqlite_location(path)
        if path.exists() and path.is_dir():
            raise DatabaseError(f"数据库路径是一个文件夹：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(url)
    ctx = ServiceContext(database, actor, clock)
    try:
        outcome = upgrade_to_head(database, now=ctx.now())
    except DatabaseError:
        database.dispose()
        raise
    except sa.exc.OperationalError as exc:
        database.dispose()
        raise DatabaseError(
            f"无法连接数据库（{database.describe()}）：{str(exc.orig).splitlines()[0]}"
        ) from exc
    return OpenedDatabase(ctx, outcome)
