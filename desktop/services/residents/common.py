"""The register's dataclasses, constants and pure helpers (initials, addresses, ages, labels)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func

from db.schema.people import (
    Household,
    ResidenceKind,
    Resident,
    ResidentEventKind,
    ResidentStatus,
)
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.domain.text import clean_text
from desktop.services import dictionaries
from desktop.services.audit import snapshot

CARE_TIER_SETTING = "care_tier"
SPECIAL_GROUP_KIND = "SPECIAL_GROUP"
DEFAULT_CARE_TIER_COLOURS = {"GREEN": "#2e7d32", "BLUE": "#1f5fa8", "ORANGE": "#e07b00", "RED": "#c62828"}
TIER_ORDER = ("GREEN", "BLUE", "ORANGE", "RED")
EVENT_KIND_LABELS = {ResidentEventKind.STATUS: "状态变更", ResidentEventKind.CARE_TIER: "等级调整"}
#: the sort keys :class:`ResidentFilter` accepts (the table's sortable columns)
SORT_KEYS = ("default", "name", "gender", "age", "residence_kind", "grid", "address", "relation", "care_tier")

# Surnames whose reading differs from the everyday one pypinyin picks (单 dān → shàn, 曾 céng → zēng …).
# Only the first letter matters for the initials; pypinyin has no surname mode (python-pinyin #120).
_SURNAME_INITIALS = {
    "尉迟": "yc", "万俟": "mq", "单于": "cy", "长孙": "zs",
    "单": "s", "曾": "z", "解": "x", "仇": "q", "区": "o", "查": "z", "秘": "b", "种": "c", "重": "c",
    "覃": "q", "翟": "z", "召": "s", "繁": "p", "折": "s", "藏": "z", "员": "y", "宿": "s",
}  # fmt: skip
ADDRESS_SUFFIX_RE = re.compile(r"(\d+)(号楼|号院|栋|幢|单元|室|号)")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class ResidentFilter:
    """What the 居民 list shows. ``text`` matches 姓名, 拼音首字母, 身份证号, 手机尾号 or 住址;
    several words separated by spaces must all match."""

    text: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    tag: str | None = None
    care_tier: str | None = None
    residence_kind: str | None = None
    status: str | None = ResidentStatus.ACTIVE  # None = every status (含已迁出/离开/死亡)
    sort: str = "default"  # one of SORT_KEYS
    descending: bool = False


@dataclass(frozen=True)
class ResidentRow:
    """One line of the list. ``id_number`` and ``phone`` are masked."""

    id: int
    name: str
    gender: str | None
    age: int | None
    id_number: str
    phone: str
    residence_kind: str
    residence_kind_label: str
    community_id: int
    community_name: str
    grid_id: int | None
    grid_name: str
    household_id: int | None
    address: str
    relation_to_head: str | None
    tags: tuple[str, ...]
    care_tier: str
    status: str
    status_label: str


@dataclass(frozen=True)
class CareTierInfo:
    code: str  # GREEN / BLUE / ORANGE / RED
    label: str  # 绿色 …
    colour: str  # #rrggbb
    visit_days: int  # 走访间隔（天）


@dataclass(frozen=True)
class ResidentEventRow:
    id: int
    kind: str
    kind_label: str
    on_date: dt.date
    from_value: str | None
    to_value: str
    from_label: str
    to_label: str
    reason: str | None
    approver: str | None
    user: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class HouseholdMember:
    id: int
    name: str
    gender: str | None
    age: int | None
    relation_to_head: str | None
    id_number: str  # masked
    care_tier: str
    status: str
    status_label: str


@dataclass(frozen=True)
class HouseholdCard:
    id: int
    community_id: int
    community_name: str
    grid_id: int | None
    grid_name: str
    household_no: str | None
    estate: str | None
    building: str | None
    unit: str | None
    room: str | None
    address: str
    notes: str | None
    version: int
    members: tuple[HouseholdMember, ...] = ()

    @property
    def head(self) -> HouseholdMember | None:
        return next((m for m in self.members if m.relation_to_head == "户主"), None)


@dataclass(frozen=True)
class ResidentCard:
    """Everything about one resident, masked."""

    id: int
    name: str
    gender: str | None
    ethnicity: str | None
    birth_date: dt.date | None
    age: int | None
    id_number: str  # masked
    phone: str  # masked
    residence_kind: str
    residence_kind_label: str
    community_id: int
    community_name: str
    grid_id: int | None
    grid_name: str
    relation_to_head: str | None
    care_tier: CareTierInfo
    status: str
    status_label: str
    status_changed_on: dt.date | None
    notes: str | None
    version: int
    tags: tuple[str, ...] = ()
    household: HouseholdCard | None = None
    history: tuple[ResidentEventRow, ...] = ()


@dataclass(frozen=True)
class RevealedIdentity:
    resident_id: int
    id_number: str | None
    phone: str | None


@dataclass(frozen=True)
class HouseholdRow:
    """A household for a picker: its address and head."""

    id: int
    community_id: int
    grid_id: int | None
    address: str
    head_name: str
    members: int


@dataclass
class HouseholdInput:
    community_id: int
    grid_id: int | None = None
    household_no: str | None = None
    estate: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    notes: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class ResidentInput:
    """A new resident (``id`` None) or changes to one.

    On an update ``id_number`` / ``phone`` of None keep the stored (never shown) values; ``phone=""``
    clears the phone. ``tags`` None leaves the tags as they are. ``new_household`` creates the
    household in the same transaction (then ``household_id`` is ignored).
    """

    name: str
    community_id: int
    gender: str | None = None
    ethnicity: str | None = None
    id_number: str | None = None
    birth_date: dt.date | None = None
    phone: str | None = None
    residence_kind: str = ResidenceKind.REGISTERED
    grid_id: int | None = None
    household_id: int | None = None
    new_household: HouseholdInput | None = None
    relation_to_head: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
    id: int | None = None
    version: int | None = None


# ---------------------------------------------------------------- small pure helpers


def name_initials(name: str) -> str:
    """拼音首字母, lower case: 王建国 → wjg, 单雄信 → sxx (surname reading), 买买提·艾力 → mmtal."""
    text = clean_text(name)
    # imported here: pypinyin loads its phrase dictionary (~0.5 s), which the window's start does not need
    from pypinyin import Style, lazy_pinyin

    letters = [p[:1].lower() for p in lazy_pinyin(text, style=Style.FIRST_LETTER)]
    initials = "".join(c for c in letters if c.isascii() and c.isalnum())
    for surname, fixed in _SURNAME_INITIALS.items():
        if text.startswith(surname) and len(text) > len(surname):
            initials = fixed + initials[len(fixed) :]
            break
    return initials[:20]


def clean_free_text(value: object) -> str:
    """Trim free text (reasons, notes) without NFKC: Chinese punctuation ，：（） must stay full-width."""
    if value is None:
        return ""
    return str(value).translate(ZERO_WIDTH).replace("\xa0", " ").strip()


def phone_tail(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else None


@functools.lru_cache(maxsize=4096)
def _clean_part(value: str | None) -> str:
    """``clean_text`` of an address part: a street's 60,000 households share a few hundred distinct parts."""
    return clean_text(value)


def format_address(
    estate: str | None, building: str | None = None, unit: str | None = None, room: str | None = None
) -> str:
    """新华小区3号楼2单元301室 — bare numbers get their usual suffix."""
    parts = []
    for value, suffix in ((estate, ""), (building, "号楼"), (unit, "单元"), (room, "室")):
        text = _clean_part(value)
        if text:
            parts.append(text + suffix if suffix and text.isdigit() else text)
    return "".join(parts)


def address_expr() -> ColumnElement[str]:
    return (
        func.coalesce(Household.estate, "")
        + func.coalesce(Household.building, "")
        + func.coalesce(Household.unit, "")
        + func.coalesce(Household.room, "")
    )


def status_label(status: str) -> str:
    return dictionaries.RESIDENT_STATUS_LABELS.get(status, status)


def residence_kind_label(kind: str) -> str:
    return dictionaries.RESIDENCE_KIND_LABELS.get(kind, kind)


# ---------------------------------------------------------------- helpers


def masked_snapshot(r: Resident) -> dict[str, Any]:
    """The audit snapshot of a resident, with 身份证号 and phone masked like everywhere else."""
    return snapshot(r, exclude={"id_number", "phone"}) | {
        "id_number": mask_id_number(r.id_number),
        "phone": mask_phone(r.phone),
    }
