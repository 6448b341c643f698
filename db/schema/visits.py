"""分色走访: visits to a household (with the members seen) or to one resident.

* ``visit``: when, who visited, how (入户/电话/视频/其他), what was found, the household when it was a
  household visit, the grid it counts for, and the grid event raised from it (if any);
* ``visit_member``: the residents seen — one row for a one-resident visit — with the visit's date copied,
  so "last visit" and "visited in this period" are read from one index for a whole street.

The day a resident's tier took effect is the ``resident_event`` of kind ``CARE_TIER`` (分色等级调整) that
the register already keeps, or the day the resident was registered.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, utcnow
from db.schema import events as _events  # noqa: F401  (the tables its foreign keys point at)


class Visit(Base):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_grid_visited", "grid_id", "visited_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visited_on: Mapped[dt.date] = mapped_column(index=True)
    visitor: Mapped[str] = mapped_column(String(50))  # 走访人
    way: Mapped[str] = mapped_column(String(8))  # HOME 入户 | PHONE 电话 | VIDEO 视频 | OTHER 其他
    findings: Mapped[str] = mapped_column(Text)  # 情况记录
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), default=None)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("grid_event.id"), default=None)  # raised from it
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC

    members: Mapped[list[VisitMember]] = relationship(back_populates="visit", order_by="VisitMember.id")


class VisitMember(Base):
    """A resident seen on a visit; ``visited_on`` repeats the visit's date for the due-list index."""

    __tablename__ = "visit_member"
    __table_args__ = (
        UniqueConstraint("visit_id", "resident_id", name="uq_visit_member_visit_resident"),
        Index("ix_visit_member_resident_visited", "resident_id", "visited_on"),
        Index("ix_visit_member_visited_resident", "visited_on", "resident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    visited_on: Mapped[dt.date] = mapped_column()

    visit: Mapped[Visit] = relationship(back_populates="members")
