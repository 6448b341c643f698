"""The resident register (实有人口): households and residents."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin, VersionedMixin


class ResidenceKind(enum.StrEnum):
    REGISTERED = "REGISTERED"  # 户籍人口
    FLOATING = "FLOATING"  # 流动人口


class CareTier(enum.StrEnum):
    GREEN = "GREEN"
    BLUE = "BLUE"
    ORANGE = "ORANGE"
    RED = "RED"


class ResidentStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"  # 在册
    MOVED = "MOVED"  # 迁出 (moved within / out of the street)
    LEFT = "LEFT"  # 离开 (floating resident left)
    DECEASED = "DECEASED"  # 死亡


class Household(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "household"
    __table_args__ = (Index("ix_household_address", "community_id", "estate", "building", "unit", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True, default=None)
    household_no: Mapped[str | None] = mapped_column(String(30), default=None)  # 户号
    estate: Mapped[str | None] = mapped_column(String(60), default=None)  # 小区
    building: Mapped[str | None] = mapped_column(String(20), default=None)  # 楼栋
    unit: Mapped[str | None] = mapped_column(String(20), default=None)  # 单元
    room: Mapped[str | None] = mapped_column(String(20), default=None)  # 门牌
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    members: Mapped[list[Resident]] = relationship(back_populates="household")


class Resident(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "resident"
    __table_args__ = (
        Index("ix_resident_community_grid", "community_id", "grid_id"),
        Index("ix_resident_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    name_initials: Mapped[str | None] = mapped_column(String(20), index=True, default=None)  # 拼音首字母
    gender: Mapped[str | None] = mapped_column(String(2), default=None)  # 男/女
    ethnicity: Mapped[str | None] = mapped_column(String(20), default=None)  # 民族
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True, default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(default=None)
    phone: Mapped[str | None] = mapped_column(String(30), default=None)
    phone_tail: Mapped[str | None] = mapped_column(String(4), index=True, default=None)
    residence_kind: Mapped[str] = mapped_column(String(12), default=ResidenceKind.REGISTERED)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), default=None)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True, default=None)
    relation_to_head: Mapped[str | None] = mapped_column(String(20), default=None)  # 与户主关系
    care_tier: Mapped[str] = mapped_column(String(8), default=CareTier.GREEN)
    status: Mapped[str] = mapped_column(String(10), default=ResidentStatus.ACTIVE)
    status_changed_on: Mapped[dt.date | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    household: Mapped[Household | None] = relationship(back_populates="members")
    tags: Mapped[list[ResidentTag]] = relationship(back_populates="resident", cascade="all, delete-orphan")


class ResidentTag(Base):
    """A special-group tag (特殊人群) on a resident; the labels come from the SPECIAL_GROUP dictionary."""

    __tablename__ = "resident_tag"
    __table_args__ = (UniqueConstraint("resident_id", "tag", name="uq_resident_tag_resident_tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(30), index=True)

    resident: Mapped[Resident] = relationship(back_populates="tags")
