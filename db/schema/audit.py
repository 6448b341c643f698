"""The audit trail: who, when, which record, before and after. Append-only, hash-chained."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, String, Text
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
