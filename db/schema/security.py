"""The database's identity: which data key (kept outside the database, see ``desktop.core.keys``) belongs to it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class DatabaseIdentity(Base):
    """One row: the random identity that names the data key, and a key check value (not the key)."""

    __tablename__ = "database_identity"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    identity: Mapped[str] = mapped_column(String(36))
    key_check: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
