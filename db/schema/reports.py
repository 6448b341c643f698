"""What the user writes into a report: the 月报's narrative for one month and scope."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TimestampMixin, VersionedMixin
from db.schema import structure as _structure  # noqa: F401  (the tables its foreign keys point at)


class ReportNarrative(TimestampMixin, VersionedMixin, Base):
    """工作开展情况 / 存在问题 / 下一步打算 of the 月报 of ``period`` for a community (or the street: None).

    One row per month and scope; edits bump ``version`` (optimistic locking) and each change is audited.
    The computed tables are never stored: only the words the user wrote around them.
    """

    __tablename__ = "report_narrative"
    __table_args__ = (UniqueConstraint("period", "scope_key", name="uq_report_narrative_period_scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))  # "YYYY-MM"
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), default=None)
    # the community's id, 0 for the street: NULLs never collide in a unique constraint, this does
    scope_key: Mapped[int] = mapped_column(default=0)
    work_done: Mapped[str | None] = mapped_column(Text, default=None)  # 工作开展情况
    problems: Mapped[str | None] = mapped_column(Text, default=None)  # 存在问题
    next_steps: Mapped[str | None] = mapped_column(Text, default=None)  # 下一步打算
    updated_by: Mapped[str | None] = mapped_column(String(80), default=None)
