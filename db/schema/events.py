"""网格事件: events from intake to closure, every loop step as a dated record, attached files.

* ``grid_event``: the event and a snapshot of where it stands (state, the department holding it, the
  time limit it was given and the moment that limit ends — recomputed only on an approved extension);
  lights are computed from these at a moment, never stored;
* ``event_step``: append-only, one row per step of the loop (上报, 受理, 吹哨, 派单, …, 督办, 延期);
* ``event_attachment``: photos and files kept in the database (bytes), so they move with it;
* ``event_number_counter``: the last ``SJ2026-000123`` sequence number handed out per year.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, VersionedMixin, utcnow
from db.crypto import Encrypted
from db.schema import mediation as _mediation  # noqa: F401  (the tables its foreign keys point at)


class EventNumberCounter(Base):
    """The last sequence number of ``SJ<year>-<seq>`` handed out; numbers are never reused."""

    __tablename__ = "event_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class GridEvent(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "grid_event"
    __table_args__ = (
        Index("ix_grid_event_open_deadline", "closed_at", "deadline"),
        Index("ix_grid_event_grid_received", "grid_id", "received_at"),
        Index("ix_grid_event_received", "received_at"),
        Index("ix_grid_event_department_state", "department", "state"),
        Index("ix_grid_event_category", "category", "subcategory"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_no: Mapped[str] = mapped_column(String(20), unique=True)  # SJ2026-000123
    source: Mapped[str] = mapped_column(String(40), index=True)  # EVENT_SOURCE dictionary code
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)  # local time
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    place: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))  # EVENT_CATEGORY code
    subcategory: Mapped[str | None] = mapped_column(String(40), default=None)  # label within the category
    urgency: Mapped[str] = mapped_column(String(10), default="NORMAL")  # NORMAL 一般 | URGENT 紧急
    description: Mapped[str] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(50), default=None)
    reporter_phone: Mapped[str | None] = mapped_column(Encrypted("grid_event.reporter_phone"), default=None)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), default=None)
    mediation_case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_case.id"), default=None)
    state: Mapped[str] = mapped_column(String(12), default="REPORTED")
    department: Mapped[str | None] = mapped_column(String(60), default=None)  # the one responsible now
    whistle_kind: Mapped[str | None] = mapped_column(String(10), default=None)  # PROGRESS | TOUGH
    # the time limit given at intake and when it ends (local time; a day's end is 00:00 of the next day)
    limit_amount: Mapped[int] = mapped_column()
    limit_unit: Mapped[str] = mapped_column(String(8))  # WORKDAY | HOUR
    deadline: Mapped[dt.datetime] = mapped_column(DateTime)
    extended_days: Mapped[int] = mapped_column(default=0)  # approved extensions, in working days
    extension_pending: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    rating: Mapped[str | None] = mapped_column(String(12), default=None)  # the community's rating
    step_count: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str | None] = mapped_column(String(80), default=None)

    steps: Mapped[list[EventStep]] = relationship(back_populates="event", order_by="EventStep.id")


class EventStep(Base):
    """One step of the loop: what, when, who, for which department; append-only."""

    __tablename__ = "event_step"
    __table_args__ = (
        Index("ix_event_step_event", "event_id", "id"),
        Index("ix_event_step_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("grid_event.id"))
    kind: Mapped[str] = mapped_column(String(14))  # domain.events.STEP_LABELS
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # local time it happened
    actor: Mapped[str] = mapped_column(String(50))  # who did it
    department: Mapped[str | None] = mapped_column(String(60), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    state_after: Mapped[str] = mapped_column(String(12))
    whistle_kind: Mapped[str | None] = mapped_column(String(10), default=None)
    rating: Mapped[str | None] = mapped_column(String(12), default=None)
    passed: Mapped[bool | None] = mapped_column(default=None)  # 核查 result
    extension_days: Mapped[int | None] = mapped_column(default=None)
    new_deadline: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    recorded_by: Mapped[str] = mapped_column(String(80))  # the operator
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC

    event: Mapped[GridEvent] = relationship(back_populates="steps")


class EventAttachment(Base):
    """A photo or file of an event, its bytes in the database (never a path that a move would break)."""

    __tablename__ = "event_attachment"
    __table_args__ = (Index("ix_event_attachment_event", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("grid_event.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC
