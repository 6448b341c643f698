"""Engines and sessions: SQLite by default (WAL, synchronous=FULL, foreign keys on), PostgreSQL by URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.errors import DatabaseError

KEYRING_SERVICE = "ShequWorkbench/postgres"
SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "shequ_write"  # execution option: this transaction will write (SQLite: BEGIN IMMEDIATE)


def keyring_user(url: URL) -> str:
    return f"{url.username}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def resolve_url(value: str | os.PathLike[str] | None = None) -> URL:
    """``--db`` value, else ``SHEQU_DB``, else the SQLite file in the user's data folder.

    A plain path means SQLite. A PostgreSQL URL without a password takes it from the system keyring.
    """
    from desktop.core.paths import default_database_path

    raw = value if value is not None else os.environ.get("SHEQU_DB") or None
    if raw is None:
        return URL.create("sqlite+pysqlite", database=str(default_database_path()))
    text = os.fspath(raw)
    if "://" not in text:
        return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))
    try:
        url = make_url(text)
    except Exception as exc:
        raise DatabaseError(f"数据库地址无法识别：{text}") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        if url.password is None and url.username:
            password = _keyring_password(url)
            if password:
                url = url.set(password=password)
    elif backend != "sqlite":
        raise DatabaseError(f"不支持的数据库类型：{backend}（只支持 SQLite 和 PostgreSQL）")
    return url


def _keyring_password(url: URL) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except Exception:  # no usable keyring backend: connect without a password
        return None


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:  # a sqlite3.Connection
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin): pysqlite's implicit transactions are unreliable.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
    finally:
        cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # A write transaction takes the write lock at BEGIN (IMMEDIATE): a DEFERRED one that has read and
    # then writes fails at once with "database is locked" if another writer got in between (WAL cannot
    # upgrade a stale snapshot, and busy_timeout does not apply), whereas IMMEDIATE waits its turn.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine_for(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        # hide_parameters: a failing statement's values (ID numbers, phones, names) never reach a
        # message or the log file; the statement text alone says what failed
        engine = sa.create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "shequ-workbench"},
    )


class Database:
    """One database: its engine and a factory of short-lived sessions."""

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_engine_for(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._connected = False  # a checkpoint only for a file this object has opened (never a damaged one)
        event.listen(self.engine, "connect", self._on_connect)
        from db.crypto import attach_keys, holder  # db.crypto builds on this module

        h = holder(self.engine.dialect)
        if h.loader is None:  # the data key is read from the key store when first needed
            h.loader = lambda: attach_keys(self)

    def _on_connect(self, _dbapi_conn: Any, _record: object) -> None:
        self._connected = True

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.is_sqlite and self.url.database else None

    def describe(self) -> str:
        """A short, password-free description for the status bar and messages."""
        if self.is_sqlite:
            return f"SQLite：{self.sqlite_path}"
        return f"PostgreSQL：{self.url.username or ''}@{self.url.host or 'localhost'}/{self.url.database}"

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error.

        ``write=True`` for a transaction that will change data: on SQLite it then waits for other
        writers at its start (``BEGIN IMMEDIATE``) instead of failing half-way.
        """
        session = self._sessions()
        try:
            with session.begin():
                if write:
                    session.connection(execution_options={WRITE_OPTION: True})
                yield session
        finally:
            session.close()

    def checkpoint(self) -> None:
        """SQLite: copy the WAL into the database file and empty it (``wal_checkpoint(TRUNCATE)``), so the
        ``.sqlite3`` file alone holds everything (people copy or e-mail that one file)."""
        path = self.sqlite_path
        if path is None or str(path) == ":memory:" or not self._connected or not Path(f"{path}-wal").exists():
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except sa.exc.DBAPIError:  # another process still reads: its last close checkpoints
            pass

    def dispose(self) -> None:
        """Close every connection, after a checkpoint (SQLite)."""
        self.checkpoint()
        self.engine.dispose()
