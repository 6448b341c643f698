"""Opening the database the app will use: location check, compatibility check, migration."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from db.adopt import adopt_legacy_backups
from db.backup import backup_root, backups_of_file, database_identity, newest_verified, remove_partials
from db.engine import Database, resolve_url
from db.files import PRIVATE_FOLDER, make_private, private_sqlite_files
from db.location import check_sqlite_location
from db.migrate import MigrationOutcome, upgrade_to_head
from db.restore import file_problem
from db.sealed import seal_at_opening
from db.stale import set_aside, stale_wal_problem
from desktop.core.clock import Clock, clock_from_environment
from desktop.core.errors import DamagedDatabaseError, DatabaseError, StaleWalError
from desktop.core.identity import Actor
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class OpenedDatabase:
    ctx: ServiceContext
    migration: MigrationOutcome


def open_database(
    db_arg: str | os.PathLike[str] | None = None,
    actor: Actor | None = None,
    clock: Clock | None = None,
    stale_wal: str = "refuse",
) -> OpenedDatabase:
    """Resolve ``--db``/``SHEQU_DB``/default, refuse unsafe places, migrate (with a backup), return a context.

    A ``-wal`` that does not belong to the file (``db.stale``) is refused (``StaleWalError``) unless
    ``stale_wal`` is "set-aside" (renamed, never deleted) or "apply" (SQLite applies it, as it would)."""
    url = resolve_url(db_arg)
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if path is not None and str(path) != ":memory:":
        check_sqlite_location(path)
        if path.exists() and path.is_dir():
            raise DatabaseError(f"数据库路径是一个文件夹：{path}")
        refuse_stale_wal(path, db_arg, stale_wal, clock)
        refuse_damaged(path, db_arg)
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_partials(path)
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
    if path is not None and str(path) != ":memory:":
        identity = database_identity(database)  # the backups' folder is named after it
        adopt_legacy_backups(path, identity)
        seal_at_opening(database)  # plain backups from before field encryption (db.sealed)
        private_sqlite_files(path)
        make_private(backup_root(path), PRIVATE_FOLDER)
    return OpenedDatabase(ctx, outcome)


def refuse_stale_wal(
    path: Path, db_arg: str | os.PathLike[str] | None, choice: str = "refuse", clock: Clock | None = None
) -> list[Path]:
    """Refuse a database file whose ``-wal`` belongs elsewhere (see ``db.stale``); with ``choice``
    "set-aside", rename the ``-wal``/``-shm`` instead (returned); "apply" lets SQLite apply them."""
    if choice == "apply" or not path.exists():
        return []
    problem = stale_wal_problem(path)
    if problem is None:
        return []
    if choice == "set-aside":
        return set_aside(path, (clock or clock_from_environment()).now())
    where = f' --db "{path}"' if db_arg is not None else ""
    raise StaleWalError(
        f"数据库文件“{path.name}”旁边的“{path.name}-wal”不属于它：{problem}。"
        "如果照常打开，SQLite 会把其中的修改写进这个文件，数据会错乱。程序没有打开它，也没有做任何修改。"
        f"处理方法：shequ{where} wal set-aside（把 -wal/-shm 改名放在一旁保留，不会删除），然后照常打开；"
        f"如果确定是本程序刚才异常退出留下的，可用 shequ{where} wal apply 照常写入。",
        path=path,
    )


def refuse_damaged(path: Path, db_arg: str | os.PathLike[str] | None = None) -> None:
    """An existing file that is empty, not SQLite or damaged is never opened (and so never made a new
    database): raise ``DamagedDatabaseError`` naming the newest verified backup of this file."""
    if not path.exists():
        return
    problem = file_problem(path)
    if problem is None:
        return
    backup = newest_verified(backups_of_file(path))
    where = f' --db "{path}"' if db_arg is not None else ""
    if backup is not None:
        offer = (
            f"最新的已校验备份：{backup.path}（{backup.created_at:%Y-%m-%d %H:%M}，{backup.reason_label}）。"
            f'恢复方法：shequ{where} restore "{backup.path}"（当前文件会改名保留，不会删除）。'
        )
    else:
        offer = f"没有找到这个数据库文件的已校验备份。如有备份文件，可用 shequ{where} restore 备份文件 恢复。"
    raise DamagedDatabaseError(
        f"数据库文件“{path}”{problem}，不能作为数据库打开，程序没有对它做任何修改。{offer}",
        path=path,
        backup=backup,
    )
