"""Accounts and roles (issue 13): who may sign in, with which permissions, over which communities or grids.

Accounts are disabled, never deleted: the audit trail keeps naming them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, VersionedMixin


class Role(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    permissions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of permission codes
    scope: Mapped[str] = mapped_column(String(12), default="all")  # all / community / grids
    description: Mapped[str] = mapped_column(String(200), default="")


class Account(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"), index=True)
    # the password: a memory-hard hash, its salt and the parameters it was made with (e.g. scrypt:n=32768,r=8,p=1)
    password_hash: Mapped[str] = mapped_column(String(128))
    password_salt: Mapped[str] = mapped_column(String(64))
    password_params: Mapped[str] = mapped_column(String(80))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)  # UTC
    disabled: Mapped[bool] = mapped_column(default=False)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)  # UTC
    disabled_by: Mapped[str | None] = mapped_column(String(40), default=None)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)  # UTC
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)  # UTC
    # scope for the community and grid roles; plain ids, no foreign keys: replacing the demo data (which deletes
    # the communities) must not take the accounts with it
    community_id: Mapped[int | None] = mapped_column(default=None)
    grid_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of grid ids
    # a 调解员's 人民调解委员会: their mediation and judicial work ends there (a plain id, like community_id)
    committee_id: Mapped[int | None] = mapped_column(default=None)
