"""The resident register (实有人口): households and residents."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from db.base import Base, TimestampMixin, VersionedMixin, utcnow
from db.crypto import BlindIndex, Encrypted
from db.schema import structure as _structure  # noqa: F401  (the tables its foreign keys point at)


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
        # the register's default order (社区 → 网格 → 户) for the active residents, read from the index alone
        Index("ix_resident_status_order", "status", "community_id", "grid_id", "household_id"),
        Index("ix_resident_care_tier", "care_tier", "status"),
        # a search by 拼音首字母 or by the start of an ID number (its clear region code) reads the matches and
        # their list order from the index alone: linear in the matches, whatever the register's size
        Index(
            "ix_resident_initials_order", "name_initials", "status", "community_id", "grid_id", "household_id"
        ),
        Index("ix_resident_region_order", "id_region", "status", "community_id", "grid_id", "household_id"),
        # the list sorted by 姓名 (拼音首字母, then the name) walked in index order, nothing sorted
        Index("ix_resident_name_sort", "status", "name_initials", "name"),
        # the 工作台's 户籍/流动 count: one index range in group order
        Index("ix_resident_status_kind", "status", "residence_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    name_initials: Mapped[str | None] = mapped_column(String(20), default=None)  # 拼音首字母
    gender: Mapped[str | None] = mapped_column(String(2), default=None)  # 男/女
    ethnicity: Mapped[str | None] = mapped_column(String(20), default=None)  # 民族
    # 身份证号 and phone are stored encrypted (PIPL Art. 28, 51); lookups go through keyed blind indexes,
    # which take the plain value in Python and hold only its HMAC (db.crypto)
    id_number: Mapped[str | None] = mapped_column(Encrypted("resident.id_number"), default=None)
    id_number_bidx: Mapped[str | None] = mapped_column(BlindIndex("id_number"), unique=True, default=None)
    # the ID number's region code (GB 11643: digits 1–6, the 户籍 area) in clear: with birth_date it answers
    # a search by the start of an ID number
    id_region: Mapped[str | None] = mapped_column(String(6), default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(default=None)
    phone: Mapped[str | None] = mapped_column(Encrypted("resident.phone"), default=None)
    phone_bidx: Mapped[str | None] = mapped_column(BlindIndex("phone"), index=True, default=None)
    phone_tail: Mapped[str | None] = mapped_column(BlindIndex("phone_tail"), index=True, default=None)
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
    events: Mapped[list[ResidentEvent]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", order_by="ResidentEvent.id"
    )

    @validates("id_number")
    def _blind_id_number(self, _key: str, value: str | None) -> str | None:
        if value != self.id_number:  # (the loaded index holds the HMAC: setting it again would rewrite the row)
            self.id_number_bidx = value
            self.id_region = value[:6] if value else None
        return value

    @validates("phone")
    def _blind_phone(self, _key: str, value: str | None) -> str | None:
        if value != self.phone:
            self.phone_bidx = value
        return value


class ResidentTag(Base):
    """A special-group tag (特殊人群) on a resident; the labels come from the SPECIAL_GROUP dictionary."""

    __tablename__ = "resident_tag"
    __table_args__ = (UniqueConstraint("resident_id", "tag", name="uq_resident_tag_resident_tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(30), index=True)

    resident: Mapped[Resident] = relationship(back_populates="tags")


class ResidentEventKind(enum.StrEnum):
    STATUS = "STATUS"  # 在册 → 迁出/离开/死亡 (and back, with a reason)
    CARE_TIER = "CARE_TIER"  # 分色等级调整


class ResidentEvent(Base):
    """A dated change in a resident's history (status, care tier): what, when, why, approved and done by whom.

    Append-only, like the audit trail; the audit records the same change for the operator's accountability.
    """

    __tablename__ = "resident_event"
    __table_args__ = (Index("ix_resident_event_resident", "resident_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # ResidentEventKind
    on_date: Mapped[dt.date] = mapped_column()  # the date it took effect (迁出日期, 死亡日期, 调整日期)
    from_value: Mapped[str | None] = mapped_column(String(20), default=None)
    to_value: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
    approver: Mapped[str | None] = mapped_column(String(50), default=None)  # 审批人 (tier changes)
    user: Mapped[str] = mapped_column(String(80))  # the operator who recorded it
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC

    resident: Mapped[Resident] = relationship(back_populates="events")
