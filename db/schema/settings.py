"""Settings and dictionaries: values that differ by locality are data, not constants."""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, VersionedMixin


class Setting(TimestampMixin, VersionedMixin, Base):
    """One setting as JSON text, keyed by a dotted name (e.g. ``care_tier.visit_days``)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class DictionaryEntry(TimestampMixin, VersionedMixin, Base):
    """An entry of a user-editable dictionary (special groups, dispute types, helper kinds, …)."""

    __tablename__ = "dictionary_entry"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_dictionary_entry_kind_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # SPECIAL_GROUP, DISPUTE_TYPE, HELPER_KIND …
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(80))
    parent_code: Mapped[str | None] = mapped_column(String(40), default=None)
    sort_key: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
