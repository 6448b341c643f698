"""The street's structure (1+1+N): labels, the dataclasses the services return and take, shared helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.schema.structure import GridKind, GridRole
from desktop.domain.text import clean_text

GRID_KIND_LABELS = {GridKind.BASIC: "基础网格", GridKind.DEDICATED: "专属网格", GridKind.MICRO: "微网格"}
GRID_ROLE_LABELS = {GridRole.CHIEF: "网格长", GridRole.WORKER: "专职网格员", GridRole.HELPER: "兼职网格员"}
HELPER_KINDS = ("党员", "楼栋长", "志愿者", "民警", "物业人员", "驻区单位人员", "其他")


def grid_kind_from_label(text: str) -> GridKind | None:
    t = clean_text(text)
    for kind, label in GRID_KIND_LABELS.items():
        if t in (label, label.removesuffix("网格"), kind.value):
            return kind
    return None


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class StreetInfo:
    id: int
    name: str
    district: str | None
    city: str | None
    address: str | None
    phone: str | None
    version: int


@dataclass(frozen=True)
class CommunityRow:
    id: int
    name: str
    code: str | None
    address: str | None
    phone: str | None
    grid_count: int
    retired_on: dt.date | None
    version: int


@dataclass(frozen=True)
class StaffRow:
    id: int
    grid_id: int
    role: str
    role_label: str
    helper_kind: str | None
    name: str
    gender: str | None
    phone: str | None
    office_phone: str | None
    organisation: str | None
    notes: str | None
    retired_on: dt.date | None
    retired_reason: str | None
    version: int


@dataclass(frozen=True)
class GridRow:
    id: int
    community_id: int
    community_name: str
    code: str
    name: str
    kind: str
    kind_label: str
    boundary: str | None
    households: int | None
    population: int | None
    chiefs: str  # names joined with 、
    workers: str
    helper_count: int
    registered_residents: int  # live count from the resident register
    retired_on: dt.date | None
    version: int


@dataclass(frozen=True)
class GridDetail:
    grid: GridRow
    notes: str | None
    retired_reason: str | None
    staff: list[StaffRow] = field(default_factory=list)


@dataclass
class GridInput:
    community_id: int
    code: str
    name: str
    kind: str = GridKind.BASIC
    boundary: str | None = None
    households: int | None = None
    population: int | None = None
    notes: str | None = None
    id: int | None = None  # None = new grid
    version: int | None = None  # the version the editor loaded


@dataclass
class StaffInput:
    grid_id: int
    role: str
    name: str
    helper_kind: str | None = None
    gender: str | None = None
    phone: str | None = None
    office_phone: str | None = None
    organisation: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class CommunityInput:
    name: str
    code: str | None = None
    address: str | None = None
    phone: str | None = None
    id: int | None = None
    version: int | None = None


# ---------------------------------------------------------------- helpers


def _opt(value: object) -> str | None:
    text = clean_text(value)
    return text or None
