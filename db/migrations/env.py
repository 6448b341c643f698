"""Alembic environment. Used programmatically by ``db.migrate`` (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

import db.schema  # noqa: F401  (registers all tables)
from db.base import Base

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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch table rebuilds with foreign keys ON cascade-delete child rows; SQLite ignores this
        # pragma inside a transaction, so it must be set before BEGIN.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        bad = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if bad:
            raise RuntimeError(f"迁移后外键检查失败：{bad[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
