"""Resident import, step 2a: the rows against the register (what each row will do; nothing written).

* A 公民身份号码 already registered **updates** that resident (so importing a corrected file again
  never duplicates anyone); the same number under a **different name** is refused (a typing mistake
  somewhere), never overwritten. Only the cells the file fills change: a blank cell keeps what is
  registered (clearing a value is done in the program, where it is deliberate).
* Households: rows with the same 户号 — or, without 户号, the same address — in one community are one
  household; an existing household with that 户号 (or address) is reused. 与户主关系 “户主” marks the
  head; a second head for a household (in the file, or already registered) is refused.

Step 2b, the writes, is :class:`desktop.services.residents.import_write.ImportPlan`.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.people import (
    CareTier,
    Household,
    ResidenceKind,
    Resident,
    ResidentEvent,
    ResidentStatus,
    ResidentTag,
)
from desktop.domain.identity import mask_id_number
from desktop.domain.text import normalize_code
from desktop.exchange.issues import ImportIssue
from desktop.exchange.residents import AddressParts, address_key, clean_name, part_key
from desktop.services.residents.common import format_address, name_initials, phone_tail, status_label
from desktop.services.residents.import_rows import ParsedRow, Reference, issue, listing

CHUNK = 500  # ids per IN (...) query
INSERT_CHUNK = 5000

_RESIDENT = cast(sa.Table, Resident.__table__)
_HOUSEHOLD = cast(sa.Table, Household.__table__)
_TAG = cast(sa.Table, ResidentTag.__table__)
_EVENT = cast(sa.Table, ResidentEvent.__table__)
_SNAPSHOT_SKIP = {"created_at", "updated_at"}
#: the blind indexes hold only HMACs in the database: never read back, written from the plain values
_BLIND = {"id_number_bidx", "phone_bidx"}
RESIDENT_KEYS = [c.name for c in _RESIDENT.columns if c.name not in _SNAPSHOT_SKIP | _BLIND]
HOUSEHOLD_KEYS = [c.name for c in _HOUSEHOLD.columns if c.name not in _SNAPSHOT_SKIP]
#: what an import may change on a registered resident (never status: that is a dated, reasoned change)
UPDATABLE = (
    "name",
    "name_initials",
    "gender",
    "ethnicity",
    "birth_date",
    "phone",
    "phone_bidx",
    "phone_tail",
    "residence_kind",
    "community_id",
    "grid_id",
    "household_id",
    "relation_to_head",
    "care_tier",
    "notes",
)
HEAD = "户主"



class PlanStep(enum.Enum):
    """The steps of planning and writing an import, for the progress display: (phase, text shown)."""

    MATCH_RESIDENTS = ("check", "正在与已登记的居民核对…")
    CHECK_HOUSEHOLDS = ("check", "正在核对住户和户主…")
    WRITE_HOUSEHOLDS = ("write", "正在写入住户…")
    WRITE_RESIDENTS = ("write", "正在写入居民…")
    UPDATE_RESIDENTS = ("write", "正在更新已登记的居民…")

    @property
    def checking(self) -> bool:
        """Still checking against the register (True), or already writing (False)."""
        return self.value[0] == "check"

    @property
    def text(self) -> str:
        return self.value[1]


Tick = Callable[[PlanStep], None]
Token = tuple[str, object]  # ("db", household id) or ("new", household key)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    households_updated: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)  # row numbers


@dataclass
class _HouseholdPlan:
    token: Token
    community_id: int
    household_no: str | None
    address: AddressParts
    existing: dict[str, Any] | None
    rows: list[ParsedRow] = field(default_factory=list)
    id: int | None = None
    grid_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)

class RegisterCheck:
    """What the rows will do to the register (read inside the caller's transaction); see ``ImportPlan``."""

    def __init__(self, s: Session, rows: list[ParsedRow], ref: Reference, tick: Tick) -> None:
        self.s = s
        self.ref = ref
        self.tick = tick
        self.outcome = Outcome()
        self.existing: dict[str, dict[str, Any]] = {}
        self.existing_tags: dict[int, list[str]] = {}
        self.households: dict[Token, _HouseholdPlan] = {}
        self.row_token: dict[int, Token] = {}
        tick(PlanStep.MATCH_RESIDENTS)
        self._load_existing([r.id_number for r in rows])
        self.rows = self._check_against_register(rows)
        tick(PlanStep.CHECK_HOUSEHOLDS)
        self._plan_households()
        self._check_heads()
        self.rows = [r for r in self.rows if r.row not in self.outcome.rejected]
        self._count()

    # -------------------------------------------------------- reading the register

    def _load_existing(self, id_numbers: Sequence[str]) -> None:
        columns = [_RESIDENT.c[k] for k in RESIDENT_KEYS]
        for i in range(0, len(id_numbers), CHUNK):
            chunk = id_numbers[i : i + CHUNK]
            for row in self.s.execute(select(*columns).where(_RESIDENT.c.id_number_bidx.in_(chunk))).mappings():
                e = dict(row)
                # blind indexes as the plain values they are written from (the database holds their HMACs)
                e["phone_bidx"], e["phone_tail"] = e["phone"], phone_tail(e["phone"])
                self.existing[row["id_number"]] = e
        ids = [e["id"] for e in self.existing.values()]
        for i in range(0, len(ids), CHUNK):
            for rid, tag in self.s.execute(
                select(_TAG.c.resident_id, _TAG.c.tag)
                .where(_TAG.c.resident_id.in_(ids[i : i + CHUNK]))
                .order_by(_TAG.c.id)
            ):
                self.existing_tags.setdefault(rid, []).append(tag)

    def _reject(self, row: int, key: str | None, value: object, reason: str, code: str) -> None:
        self.outcome.issues.append(issue(row, key, value, reason, code))
        self.outcome.rejected.add(row)

    def _warn(self, row: int, key: str | None, value: object, reason: str, code: str) -> None:
        self.outcome.issues.append(issue(row, key, value, reason, code, warning=True))

    def _check_against_register(self, rows: list[ParsedRow]) -> list[ParsedRow]:
        kept: list[ParsedRow] = []
        allowed = self.ref.tag_dictionary
        for r in rows:
            e = self.existing.get(r.id_number)
            if e is not None and clean_name(e["name"]) != r.name:
                where = self.ref.community_names.get(e["community_id"], "")
                self._reject(
                    r.row,
                    "name",
                    r.name,
                    f"身份证号码 {mask_id_number(r.id_number)} 已登记为居民“{e['name']}”（{where}），"
                    f"与本行姓名“{r.name}”不一致，请核对身份证号码或姓名",
                    "name_mismatch",
                )
                continue
            have = set(self.existing_tags.get(e["id"], ())) if e is not None else set()
            unknown = [t for t in r.unknown_tags if t not in have]
            if unknown:
                self._reject(
                    r.row,
                    "tags",
                    "、".join(unknown),
                    f"“{'、'.join(unknown)}”不在特殊人群标签字典中（可用：{listing(allowed, 30)}）",
                    "tag",
                )
                continue
            if r.community_id is None:
                community = e["community_id"] if e is not None else self.ref.only_community
                if community is None:
                    self._reject(
                        r.row, "community", None, "请填写社区或所属网格（数据库中有多个社区）", "required"
                    )
                    continue
                if e is None or r.has_household:
                    r.fields["community_id"] = community
            if e is not None and e["status"] != ResidentStatus.ACTIVE:
                self._warn(
                    r.row,
                    "id_number",
                    mask_id_number(r.id_number),
                    f"该居民已登记为“{status_label(e['status'])}”，已更新其他信息，状态未改变"
                    "（如已回到本社区，请在程序中改回在册）",
                    "inactive",
                )
            kept.append(r)
        return kept

    # -------------------------------------------------------- households

    def _plan_households(self) -> None:
        rows = [r for r in self.rows if r.has_household]
        communities = sorted({cast(int, r.community_id) for r in rows})
        by_no: dict[tuple[int, str], dict[str, Any]] = {}
        by_address: dict[tuple[int, tuple[str, str, str, str]], dict[str, Any]] = {}
        plan_keys: dict[Token, tuple[str, str, str, str] | None] = {}  # each household's address_key, once
        if communities:
            columns = [_HOUSEHOLD.c[k] for k in HOUSEHOLD_KEYS]
            for household in self.s.execute(
                select(*columns).where(_HOUSEHOLD.c.community_id.in_(communities)).order_by(_HOUSEHOLD.c.id)
            ).mappings():
                h = dict(household)
                if h["household_no"]:
                    by_no.setdefault((h["community_id"], normalize_code(h["household_no"])), h)
                key = address_key(AddressParts(h["estate"], h["building"], h["unit"], h["room"]))
                if key is not None:
                    by_address.setdefault((h["community_id"], key), h)
        for r in rows:
            cid = cast(int, r.community_id)
            akey = address_key(r.address)
            file_key: object = (cid, "no", r.household_no) if r.household_no else (cid, "addr", akey)
            found: dict[str, Any] | None = None
            if r.household_no:
                found = by_no.get((cid, r.household_no))
                if found is None and akey is not None:
                    same_place = by_address.get((cid, akey))
                    if same_place is not None and not same_place["household_no"]:
                        found = same_place
            elif akey is not None:
                found = by_address.get((cid, akey))
            token: Token = ("db", found["id"]) if found is not None else ("new", file_key)
            plan = self.households.get(token)
            if plan is None:
                plan = _HouseholdPlan(token, cid, r.household_no, r.address, found)
                self.households[token] = plan
            elif (
                r.household_no
                and not r.address.is_blank()
                and not plan.address.is_blank()
                and akey != plan_keys.setdefault(token, address_key(plan.address))
            ):
                first = plan.rows[0].row if plan.rows else None
                self._warn(
                    r.row,
                    "household_no",
                    r.household_no,
                    f"与第 {first} 行户号相同但住址不同，已按第 {first} 行的住址（{_address_text(plan.address)}）登记",
                    "household_address",
                )
            if plan.address.is_blank() and not r.address.is_blank():
                plan.address = r.address
                plan_keys.pop(token, None)
            plan.rows.append(r)
            self.row_token[r.row] = token

    def _final(self, r: ParsedRow) -> tuple[Token | None, str | None]:
        """The household and relation a row's resident will have after the import."""
        e = self.existing.get(r.id_number)
        token = self.row_token.get(r.row)
        if token is None and e is not None and e["household_id"] is not None:
            token = ("db", e["household_id"])
        relation = r.fields.get("relation_to_head", e["relation_to_head"] if e is not None else None)
        return token, relation

    def _check_heads(self) -> None:
        in_file = {r.id_number for r in self.rows}
        heads: dict[Token, list[ParsedRow]] = defaultdict(list)
        for r in self.rows:
            token, relation = self._final(r)
            if token is not None and relation == HEAD:
                heads[token].append(r)
        db_ids = [cast(int, t[1]) for t in heads if t[0] == "db"]
        registered: dict[int, tuple[str, str | None]] = {}
        for i in range(0, len(db_ids), CHUNK):
            for hid, name, id_number in self.s.execute(
                select(_RESIDENT.c.household_id, _RESIDENT.c.name, _RESIDENT.c.id_number).where(
                    _RESIDENT.c.household_id.in_(db_ids[i : i + CHUNK]),
                    _RESIDENT.c.relation_to_head == HEAD,
                    _RESIDENT.c.status == ResidentStatus.ACTIVE,
                )
            ):
                if id_number not in in_file:
                    registered.setdefault(hid, (name, id_number))
        for token, candidates in heads.items():
            kept = registered.get(cast(int, token[1])) if token[0] == "db" else None
            first: ParsedRow | None = None
            for r in candidates:
                if kept is not None:
                    self._reject(
                        r.row,
                        "relation",
                        HEAD,
                        f"该户已有户主{kept[0]}（{mask_id_number(kept[1])}），一户只能有一名户主；"
                        "如需更换户主，请先在程序中修改原户主的与户主关系",
                        "second_head",
                    )
                elif first is not None:
                    self._reject(
                        r.row,
                        "relation",
                        HEAD,
                        f"与第 {first.row} 行同为该户户主，一户只能有一名户主",
                        "second_head",
                    )
                else:
                    first = r

    # -------------------------------------------------------- what changes

    def _count(self) -> None:
        """Decide each household's and resident's new values; count created/updated/unchanged."""
        for plan in self.households.values():
            plan.rows = [r for r in plan.rows if r.row not in self.outcome.rejected]
            if not plan.rows:
                continue
            head = next((r for r in plan.rows if r.fields.get("relation_to_head") == HEAD), None)
            with_grid = [r for r in ([head] if head else []) + plan.rows if r.fields.get("grid_id")]
            file_grid = with_grid[0].fields["grid_id"] if with_grid else None
            if plan.existing is None:
                plan.grid_id = file_grid
                self.outcome.households_created += 1
                continue
            h = plan.existing
            plan.id, plan.grid_id = h["id"], h["grid_id"]
            if h["grid_id"] is None and file_grid is not None:
                plan.changes["grid_id"] = plan.grid_id = file_grid
            if plan.household_no and not h["household_no"]:
                plan.changes["household_no"] = plan.household_no
            if not plan.address.is_blank():
                wanted = _address_columns(plan.address)
                current = [h[k] for k in ("estate", "building", "unit", "room")]
                if [part_key(v) for v in wanted.values()] != [part_key(v) for v in current] or (
                    _estate(wanted["estate"]) != _estate(h["estate"])
                ):
                    plan.changes |= wanted
            if plan.changes:
                self.outcome.households_updated += 1
        for r in self.rows:
            e = self.existing.get(r.id_number)
            if e is None:
                self.outcome.created += 1
            elif self._changed(r, e):
                self.outcome.updated += 1
            else:
                self.outcome.unchanged += 1

    def _new_values(self, r: ParsedRow, e: dict[str, Any] | None) -> dict[str, Any]:
        f = r.fields
        if e is None:
            values: dict[str, Any] = {
                "name": r.name,
                "name_initials": _initials(r.name),
                "id_number": r.id_number,
                "ethnicity": None,
                "phone": None,
                "residence_kind": ResidenceKind.REGISTERED.value,
                "grid_id": None,
                "household_id": None,
                "relation_to_head": None,
                "care_tier": CareTier.GREEN.value,
                "status": ResidentStatus.ACTIVE.value,
                "status_changed_on": None,
                "notes": None,
            }
        else:
            values = dict(e)
        for key in ("gender", "birth_date", "ethnicity", "phone", "residence_kind", "community_id"):
            if key in f:
                values[key] = f[key]
        values.update({k: f[k] for k in ("relation_to_head", "care_tier", "notes") if k in f})
        if "grid_id" in f:
            values["grid_id"] = f["grid_id"]
        elif e is not None and values["community_id"] != e["community_id"]:
            values["grid_id"] = None  # moved to another community: the old grid is not theirs any more
        if e is not None and values["community_id"] != e["community_id"]:
            values["household_id"] = None  # … nor the old household (a new one is given below, if any)
        token = self.row_token.get(r.row)
        if token is not None:
            plan = self.households[token]
            values["household_id"] = plan.id  # None for a new household: filled in when it is written
            if "grid_id" not in f and plan.grid_id is not None:
                values["grid_id"] = plan.grid_id
        values["phone_tail"] = phone_tail(values["phone"])
        values["phone_bidx"] = values["phone"]
        values["id_number_bidx"] = values["id_number"]
        values["id_region"] = values["id_number"][:6] if values["id_number"] else None
        return values

    def _changed(self, r: ParsedRow, e: dict[str, Any]) -> bool:
        if self.row_token.get(r.row) is not None and self.households[self.row_token[r.row]].id is None:
            return True  # joins a household that is new
        values = self._new_values(r, e)
        if any(values[k] != e[k] for k in UPDATABLE):
            return True
        return r.tags is not None and r.tags != self.existing_tags.get(e["id"], [])


# ---------------------------------------------------------------- helpers

_initials_cache: dict[str, str] = {}


def _initials(name: str) -> str:
    found = _initials_cache.get(name)
    if found is None:
        if len(_initials_cache) > 200_000:
            _initials_cache.clear()
        found = _initials_cache[name] = name_initials(name)
    return found


def _address_columns(parts: AddressParts) -> dict[str, str | None]:
    return {"estate": parts.estate, "building": parts.building, "unit": parts.unit, "room": parts.room}


def _address_text(parts: AddressParts) -> str:
    return format_address(parts.estate, parts.building, parts.unit, parts.room)


def _estate(value: str | None) -> str:
    return (value or "").replace(" ", "")
