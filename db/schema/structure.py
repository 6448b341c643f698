"""The street's structure: street → communities → grids → grid staff (1+1+N)."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, RetirableMixin, TimestampMixin, VersionedMixin
from db.crypto import Encrypted


class GridKind(enum.StrEnum):
    BASIC = "BASIC"  # 基础网格
    DEDICATED = "DEDICATED"  # 专属网格 (商圈、学校…)
    MICRO = "MICRO"  # 微网格 (城中村…)


class GridRole(enum.StrEnum):
    CHIEF = "CHIEF"  # 网格长
    WORKER = "WORKER"  # 专职网格员
    HELPER = "HELPER"  # 兼职网格员 / N 类力量


class Street(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "street"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))  # 钢城街道
    district: Mapped[str | None] = mapped_column(String(50), default=None)  # 所属区县
    city: Mapped[str | None] = mapped_column(String(50), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(30), default=None)

    communities: Mapped[list[Community]] = relationship(back_populates="street")


class Community(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))
    name: Mapped[str] = mapped_column(String(50), unique=True)  # 新华社区
    code: Mapped[str | None] = mapped_column(String(20), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(30), default=None)

    street: Mapped[Street] = relationship(back_populates="communities")
    grids: Mapped[list[Grid]] = relationship(back_populates="community")


class Grid(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    __tablename__ = "grid"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # 网格编号
    name: Mapped[str] = mapped_column(String(80))  # 网格名称
    kind: Mapped[str] = mapped_column(String(12), default=GridKind.BASIC)
    boundary: Mapped[str | None] = mapped_column(Text, default=None)  # 四至
    # Declared coverage (from the street's grid plan); the resident register gives the live count.
    households: Mapped[int | None] = mapped_column(default=None)
    population: Mapped[int | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    community: Mapped[Community] = relationship(back_populates="grids")
    staff: Mapped[list[GridStaff]] = relationship(back_populates="grid", order_by="GridStaff.sort_key")


class GridStaff(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    __tablename__ = "grid_staff"
    __table_args__ = (Index("ix_grid_staff_grid_role", "grid_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    role: Mapped[str] = mapped_column(String(12))  # GridRole
    helper_kind: Mapped[str | None] = mapped_column(
        String(20), default=None
    )  # 党员/楼栋长/志愿者/民警/物业人员…
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(2), default=None)
    phone: Mapped[str | None] = mapped_column(Encrypted("grid_staff.phone"), default=None)
    office_phone: Mapped[str | None] = mapped_column(String(30), default=None)
    organisation: Mapped[str | None] = mapped_column(String(100), default=None)  # 单位/职务
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    sort_key: Mapped[int] = mapped_column(default=0)

    grid: Mapped[Grid] = relationship(back_populates="staff")
