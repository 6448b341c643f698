"""The data key of the open database: the recovery key (shown once at setup, again on request, audited)
and importing a recovery key on another PC."""

from __future__ import annotations

import os
from dataclasses import dataclass

from db.crypto import holder, import_recovery_key, keys_of
from db.engine import Database, resolve_url
from db.migrate import check_compatible
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class KeyInfo:
    identity: str
    store: str  # where the key is kept on this PC (系统凭据管理器 / 本机密钥文件)
    recovery_key: str


def recovery_key(ctx: ServiceContext) -> KeyInfo:
    """The database's recovery key. Anyone holding it and a copy of the data can read it: the showing is
    audited."""
    keys = keys_of(ctx.database)
    h = holder(ctx.database.engine.dialect)
    with ctx.write() as uow:
        uow.audit("reveal", "database_identity", 1, summary="查看数据库恢复密钥")
    return KeyInfo(keys.identity, h.store.name if h.store else "", keys.recovery_key())


def import_key(db_arg: str | os.PathLike[str] | None, recovery: str) -> str:
    """Keep ``recovery`` as this PC's data key of the database at ``db_arg`` after checking that it belongs to
    it; returns the database identity. Works on a database this PC cannot open yet (that is the point)."""
    database = Database(resolve_url(db_arg))
    try:
        check_compatible(database)
        return import_recovery_key(database, recovery)
    finally:
        database.dispose()
