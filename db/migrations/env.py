"""Alembic environment. Used programmatically by ``db.migrate`` (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

import db.schema
from db.base import Base

db.schema.load_all()  # every table on Base.metadata (the modules register on import)

target_metadata = Base.metadata
config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from db.engine import create_engine_for, resolve_url

        engine = create_engine_for(resolve_url(config.get_main_option("sqlalchemy.url")))
        with engine.connect() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name != "sqlite":
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Batch table rebuilds with foreign keys ON cascade-delete child rows. SQLite ignores this pragma
    # inside a transaction, and any statement sent through the SQLAlchemy connection would autobegin
    # one, so the pragma goes to the DBAPI connection, before BEGIN; it is switched back on afterwards
    # (the connection returns to the pool).
    if connection.in_transaction():
        raise RuntimeError("SQLite 迁移需要一个不在事务中的连接（否则无法关闭外键检查）。")
    dbapi = connection.connection.driver_connection
    dbapi.execute("PRAGMA foreign_keys=OFF")
    try:
        # one transaction for the whole upgrade: SQLite DDL is transactional, so a failed migration
        # (or a failed foreign key check) leaves the database exactly as it was
        with connection.begin():
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
            bad = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise RuntimeError(f"迁移后外键检查失败：{bad[:5]}")
    finally:
        try:
            dbapi.execute("PRAGMA foreign_keys=ON")
        except Exception:
            connection.invalidate()  # never hand a connection without foreign keys back to the pool
            raise


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
