"""Encrypted columns and blind indexes, and the data key of an open database.

The keys of a database hang on its engine's dialect (a :class:`KeyHolder`), so the column types, which only
see the dialect, find the key of the database they write to; nothing is global. ``attach_keys`` loads them
after the database is opened (``db.migrate.upgrade_to_head`` calls it); without them every read or write of
an encrypted column raises :class:`~desktop.core.keys.KeyMissingError` with a message that says what to do.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import String, TypeDecorator

from db.base import utcnow
from db.engine import Database
from desktop.core.keys import (
    DataKeys,
    KeyMissingError,
    KeyStore,
    decode_recovery,
    default_store,
    missing_key_message,
    new_keys,
)

ENCRYPTED_LENGTH = 120  # "v1:" + base64(12-byte nonce + ≤ 60 bytes + 16-byte tag)
BLIND_LENGTH = 32


class KeyHolder:
    """The keys of the database an engine talks to, and where they (and the audit chain head) are kept."""

    def __init__(self) -> None:
        self.keys: DataKeys | None = None
        self.store: KeyStore | None = None
        self.identity: str | None = None
        self.pending_head: tuple[int, str] | None = None  # written by a migration, kept after its commit
        self.vacuum_after_migration = False  # rows rewritten in place: compact the SQLite file afterwards
        self.loader: Callable[[], object] | None = None  # loads the keys on first use (Database sets it)
        self._loading = False

    def save_head(self, seq: int, mac: str) -> None:
        """Keep the audit chain head outside the database (after the commit that wrote it)."""
        if self.store is None or self.identity is None:
            return
        try:
            self.store.save_head(self.identity, seq, mac)
        except Exception:  # the data is committed; an older head only weakens the truncation check
            logging.getLogger(__name__).warning("审计链头未能保存到本机密钥存储", exc_info=True)

    def load_head(self) -> tuple[int, str] | None:
        if self.store is None or self.identity is None:
            return None
        return self.store.load_head(self.identity)

    def require(self) -> DataKeys:
        if self.keys is None and self.loader is not None and not self._loading:
            self._loading = True
            try:
                self.loader()
            finally:
                self._loading = False
        if self.keys is None:
            raise KeyMissingError(
                missing_key_message(self.identity)
                if self.identity
                else "数据库的数据密钥尚未加载，无法读写加密保存的身份证号和电话。"
            )
        return self.keys


def holder(dialect: Dialect) -> KeyHolder:
    h: KeyHolder | None = getattr(dialect, "shequ_keys", None)
    if h is None:
        h = KeyHolder()
        dialect.shequ_keys = h  # type: ignore[attr-defined]
    return h


class Encrypted(TypeDecorator[str]):
    """A text column stored as AES-256-GCM ciphertext (``v1:`` + base64); Python sees the plain string.

    Only ``IS NULL``/``IS NOT NULL`` work in SQL: filter, join and check uniqueness on a :class:`BlindIndex`.
    """

    impl = String(ENCRYPTED_LENGTH)
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__(ENCRYPTED_LENGTH)
        self.column = column  # bound into the ciphertext: a value cannot be moved to another column

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return holder(dialect).require().encrypt(str(value), self.column)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return holder(dialect).require().decrypt(value, self.column)


class BlindIndex(TypeDecorator[str]):
    """A keyed hash (HMAC-SHA256, 128 bits, hex) of a value: give it the *plain* value, in an insert or in a
    comparison (``Resident.id_number_bidx == "110105…"``, ``.in_([...])``); the database holds only the hash."""

    impl = String(BLIND_LENGTH)
    cache_ok = True

    def __init__(self, kind: str) -> None:
        super().__init__(BLIND_LENGTH)
        self.kind = kind

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return holder(dialect).require().blind(self.kind, str(value))


# ----------------------------------------------------------------------------------------- identity
def read_identity(conn: Connection) -> tuple[str, str] | None:
    """(identity, key check) of the database, or None before migration 0010."""
    if not sa.inspect(conn).has_table("database_identity"):
        return None
    row = conn.execute(sa.text("SELECT identity, key_check FROM database_identity WHERE id = 1")).first()
    return (row[0], row[1]) if row else None


#: the database's identity in the ``setting`` table, shared with the backups (``db.backup``: a database's
#: backups live in ``backups/<identity>/``): one identity names both its backups and its data key
IDENTITY_SETTING = "database.identity"


def _shared_identity(conn: Connection) -> str:
    """The identity the backups already gave this database (a UUID in hex), or a new one recorded for them."""
    row = conn.execute(sa.text("SELECT value FROM setting WHERE key = :k"), {"k": IDENTITY_SETTING}).first()
    if row is not None:
        value = json.loads(row[0])
        if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value):
            return value
    identity = uuid.uuid4().hex
    stamp = utcnow()
    if row is None:
        conn.execute(
            sa.text(
                "INSERT INTO setting (key, value, version, created_at, updated_at) VALUES (:k, :v, 1, :t, :t)"
            ),
            {"k": IDENTITY_SETTING, "v": json.dumps(identity), "t": stamp},
        )
    else:
        conn.execute(
            sa.text("UPDATE setting SET value = :v, version = version + 1, updated_at = :t WHERE key = :k"),
            {"k": IDENTITY_SETTING, "v": json.dumps(identity), "t": stamp},
        )
    return identity


def create_identity(conn: Connection, store: KeyStore | None = None) -> DataKeys:
    """Give a database (inside migration 0010) its data key, named by its identity and saved in the key store."""
    store = store or default_store()
    identity = _shared_identity(conn)
    # the key belongs to the identity: an older (pre-0010) state of a database that already has its key on
    # this PC — a backup put back — is encrypted with that key, so the database kept aside on restore and the
    # backups taken since stay readable; a new key would overwrite it in the key store
    existing = store.load(identity)
    keys = DataKeys(identity, existing) if existing is not None else new_keys(identity)
    if existing is None:
        store.save(identity, keys.master)
    conn.execute(
        sa.text("INSERT INTO database_identity (id, identity, key_check, created_at) VALUES (1, :i, :c, :t)"),
        {"i": identity, "c": keys.check_value(), "t": utcnow()},
    )
    h = holder(conn.dialect)
    h.keys, h.store, h.identity = keys, store, identity
    return keys


def load_keys(conn: Connection, store: KeyStore | None = None) -> DataKeys | None:
    """Attach the database's data key to its dialect; None before 0010; KeyMissingError when not on this PC."""
    found = read_identity(conn)
    h = holder(conn.dialect)
    if found is None:
        return None
    identity, check = found
    h.identity = identity
    store = store or default_store()
    h.store = store
    master = store.load(identity)
    if master is None:
        h.keys = None
        raise KeyMissingError(missing_key_message(identity))
    keys = DataKeys(identity, master)
    if keys.check_value() != check:
        h.keys = None
        raise KeyMissingError(
            f"本机为此数据库（标识 {identity[:8]}…）保存的数据密钥与数据库不符。请用原电脑的恢复密钥重新导入（shequ keys import）。"
        )
    h.keys = keys
    return keys


def attach_keys(database: Database, store: KeyStore | None = None) -> DataKeys | None:
    with database.engine.connect() as conn:
        return load_keys(conn, store)


def import_recovery_key(database: Database, recovery: str, store: KeyStore | None = None) -> str:
    """Check a recovery key against the database and keep it on this PC; returns the database identity."""
    with database.engine.connect() as conn:
        found = read_identity(conn)
    if found is None:
        raise KeyMissingError("此数据库还没有数据密钥（结构版本较旧或不是本程序的数据库），无需导入。")
    identity, check = found
    keys = DataKeys(identity, decode_recovery(recovery))
    if keys.check_value() != check:
        raise KeyMissingError("恢复密钥与此数据库不符：它属于另一个数据库。请核对数据库文件和恢复密钥。")
    store = store or default_store()
    store.save(identity, keys.master)
    h = holder(database.engine.dialect)
    h.keys, h.store, h.identity = keys, store, identity
    return identity


def keys_of(database: Database) -> DataKeys:
    return holder(database.engine.dialect).require()
