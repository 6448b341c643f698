"""The audit trail: who, when, which record, before and after. Append-only, hash-chained.

A bulk change (an import) is one record whose ``detail`` holds every row's change, compressed (see
``desktop.services.audit_detail``); :class:`AuditEntryIndex` says which such records hold a given record's
changes, so the history of one resident is found without opening every block.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class AuditRecord(Base):
    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_record_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)  # UTC
    user: Mapped[str] = mapped_column(String(80))
    host: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))  # create / update / retire / import / export / reveal …
    entity: Mapped[str] = mapped_column(String(40))  # table name
    entity_id: Mapped[str | None] = mapped_column(String(40), default=None)
    summary: Mapped[str] = mapped_column(String(400), default="")
    before: Mapped[str | None] = mapped_column(Text, default=None)  # JSON
    after: Mapped[str | None] = mapped_column(Text, default=None)  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    #: a compressed block of per-row changes (an import): covered by ``hash`` like the other columns
    detail: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class AuditEntryIndex(Base):
    """Which block (:attr:`AuditRecord.detail`) holds a change of record ``entity``/``entity_id``: written in the
    same transaction as the block, checked against it by ``shequ audit verify``."""

    __tablename__ = "audit_entry"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (SQLAlchemy reads it once)

    entity_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
