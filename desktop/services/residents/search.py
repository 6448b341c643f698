"""The 居民 list at street scale: ordered ids for a filter (one indexed query), rows for a page of them.

Measured on 130,590 residents (tests/bench/bench_residents.py, SQLite, no ANALYZE): the default list's
ids in ~40 ms, a search word in 2–60 ms, a page of 200 rows in ~3 ms. From one street to four
(tests/bench/bench_search_scale.py, 522,360 residents) a search and the 姓名 sort grow with their matches
(growth exponent ≤ 1), within ~1.2× of the same query through the sqlite3 module alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, false, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from db.crypto import holder
from db.schema.people import Household, Resident, ResidentStatus, ResidentTag
from db.schema.structure import Community, Grid
from desktop.core.errors import ValidationError
from desktop.domain.accounts import RESIDENTS_READ
from desktop.domain.identity import age_on, mask_id_number, mask_phone, normalize_id_number
from desktop.domain.text import clean_text
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.residents.common import (
    ADDRESS_SUFFIX_RE,
    SORT_KEYS,
    TIER_ORDER,
    ResidentFilter,
    ResidentRow,
    address_expr,
    format_address,
    residence_kind_label,
    status_label,
)

_ID_LIKE_RE = re.compile(r"^\d{1,17}[\dX]?$")
_INITIALS_RE = re.compile(r"^[a-z]+$")


def _prefix_upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts_with(col: Any, prefix: str, dialect: str) -> ColumnElement[bool]:
    """An index-friendly prefix test: a range on SQLite (its LIKE cannot use a BINARY index).

    The prefix-searched columns lead covering indexes that also hold the list order (ix_resident_initials_order,
    ix_resident_region_order), so a prefix matching 50 or 50,000 rows costs the matches and their sort,
    never a walk of the whole register (there used to be a cut-over to such a walk above 8,000 matches).
    """
    if dialect == "sqlite":
        return and_(col >= prefix, col < _prefix_upper(prefix))
    prefixed: ColumnElement[bool] = col.startswith(prefix, autoescape=True)
    return prefixed


def _token_condition(s: Session, token: str, dialect: str) -> tuple[ColumnElement[bool], bool]:
    """What one search word matches (see ResidentFilter), and whether an index narrows it to a few rows."""
    upper = normalize_id_number(token)
    if _ID_LIKE_RE.match(upper):
        # 身份证号 and phones are encrypted: they are found by their keyed blind indexes, so a whole ID number,
        # a whole mobile number or a phone's last four digits match; a part of an ID number does not.
        # The HMACs are computed here (``_fetch_ids`` sends the parameters without the column types' help).
        keys = holder(s.get_bind().dialect).require()
        conds: list[ColumnElement[bool]] = []
        narrow = True
        if len(upper) == 18:
            conds.append(type_coerce(Resident.id_number_bidx, String) == keys.blind("id_number", upper))
        elif len(upper) <= 6:  # the region code, kept in clear
            conds.append(_starts_with(Resident.id_region, upper, dialect))
        else:  # region + the start of the birth date (the sequence digits 15–17 are not searchable)
            born = _birth_range(upper[6:14])
            if born is not None:
                conds.append(and_(Resident.id_region == upper[:6], Resident.birth_date.between(*born)))
        if upper.isdigit() and len(upper) == 4:
            conds.append(type_coerce(Resident.phone_tail, String) == keys.blind("phone_tail", upper))
        elif upper.isdigit() and len(upper) == 11 and upper.startswith("1"):
            conds.append(type_coerce(Resident.phone_bidx, String) == keys.blind("phone", upper))
        return (or_(*conds) if conds else false()), narrow
    lower = token.lower()
    if _INITIALS_RE.match(lower):
        return _starts_with(Resident.name_initials, lower, dialect), True
    # names and addresses: a substring scan (names are short: ~10 ms per 100,000 on SQLite)
    words = {token, ADDRESS_SUFFIX_RE.sub(r"\1", token)}
    address = or_(*(address_expr().contains(w, autoescape=True) for w in words))
    by_name = aliased(Resident)  # scanned through ix_resident_name alone, then looked up by id
    return or_(
        Resident.id.in_(select(by_name.id).where(by_name.name.contains(token, autoescape=True))),
        Resident.household_id.in_(select(Household.id).where(address)),
    ), False


def _birth_range(digits: str) -> tuple[dt.date, dt.date] | None:
    """The birth dates whose YYYYMMDD starts with ``digits`` (1–8 digits), or None if there are none."""
    lo, hi = digits.ljust(8, "0"), digits.ljust(8, "9")
    try:
        y0, y1 = max(int(lo[:4]), 1), int(hi[:4])
        m0, m1 = min(max(int(lo[4:6]), 1), 12), min(max(int(hi[4:6]), 1), 12)
        first = dt.date(y0, m0, 1)
        last_day = (dt.date(y1 + (m1 == 12), m1 % 12 + 1, 1) - dt.timedelta(days=1)).day
        start = first.replace(
            day=min(max(int(lo[6:]), 1), 28 if m0 == 2 else 30 if m0 in (4, 6, 9, 11) else 31)
        )
        end = dt.date(y1, m1, min(max(int(hi[6:]), 1), last_day))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _fetch_ids(s: Session, stmt: Any) -> list[int]:
    """Run a one-column id query straight on the DBAPI cursor.

    For a 130,000-row list SQLAlchemy's result objects cost twice the query itself (≈50 ms vs ≈25 ms);
    the statement is still built and compiled by SQLAlchemy, only the rows skip its result layer.
    """
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args: Any = [params[k] for k in compiled.positiontup] if compiled.positiontup else params
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), args)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def _sort_columns(key: str) -> tuple[list[tuple[Any, bool]], set[str]]:
    """ORDER BY (column, reversed) pairs for a sort key, and the joins they need."""
    keys: dict[str, list[tuple[Any, bool]]] = {
        "name": [(Resident.name_initials, False), (Resident.name, False)],
        "gender": [(Resident.gender, False)],
        "age": [(Resident.birth_date, True)],  # ascending age = latest birth date first
        "residence_kind": [(Resident.residence_kind, False)],
        "grid": [(Grid.code, False)],
        "address": [
            (c, False) for c in (Household.estate, Household.building, Household.unit, Household.room)
        ],
        "relation": [(Resident.relation_to_head, False)],
        "care_tier": [
            (case({t: i for i, t in enumerate(TIER_ORDER)}, value=Resident.care_tier, else_=9), False)
        ],
    }
    joins = {"grid": {"grid"}, "address": {"household"}}.get(key, set())
    default = [(Resident.community_id, False), (Resident.grid_id, False), (Resident.household_id, False)]
    return keys.get(key, default), joins


# ---------------------------------------------------------------- the list


def _scope_where(ctx: ServiceContext) -> list[Any]:
    scope = resident_scope(ctx)
    return [] if scope is None else [scope.condition(Resident.community_id, Resident.grid_id)]


def search_resident_ids(ctx: ServiceContext, flt: ResidentFilter) -> list[int]:
    """The ids of the residents ``flt`` selects, in list order. One query; indexed for the usual inputs."""
    require(ctx, RESIDENTS_READ)
    if flt.sort not in SORT_KEYS:
        raise ValidationError(f"不支持按“{flt.sort}”排序。")
    with ctx.read() as s:
        dialect = s.get_bind().dialect.name
        words = [_token_condition(s, token, dialect) for token in clean_text(flt.text).split()]
        # Without ANALYZE statistics SQLite walks ix_resident_status_order (to skip sorting) even when a
        # search word's own index selects a handful of rows: 20+ ms instead of 1. When one does, hide the
        # list-order columns from the planner (``col || ''``, ``col + 0``) so it uses that index and sorts
        # the few rows it finds. PostgreSQL plans from its statistics and needs no such hint.
        hide = dialect == "sqlite" and any(narrow for _, narrow in words)

        def col(c: Any) -> Any:
            return (c + "" if c.type.python_type is str else c + 0) if hide else c

        q = select(Resident.id)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            q = q.where(scope.condition(col(Resident.community_id), col(Resident.grid_id)))
        if flt.status is not None:
            q = q.where(col(Resident.status) == flt.status)
        if flt.community_id is not None:
            q = q.where(col(Resident.community_id) == flt.community_id)
        if flt.grid_id is not None:
            q = q.where(col(Resident.grid_id) == flt.grid_id)
        if flt.care_tier:
            q = q.where(Resident.care_tier == flt.care_tier)
        if flt.residence_kind:
            q = q.where(Resident.residence_kind == flt.residence_kind)
        if flt.tag:
            q = q.where(Resident.id.in_(select(ResidentTag.resident_id).where(ResidentTag.tag == flt.tag)))
        for condition, _narrow in words:
            q = q.where(condition)
        columns, joins = _sort_columns(flt.sort)
        if "grid" in joins:
            q = q.outerjoin(Grid, Grid.id == Resident.grid_id)
        if "household" in joins:
            q = q.outerjoin(Household, Household.id == Resident.household_id)
        order = [col(c).desc() if rev != flt.descending else col(c).asc() for c, rev in columns]
        # blanks (no birth date, no relation …) last either way; the default order has none that matter and
        # keeps its index, and so does 姓名: every writer sets name_initials (register, import, demo), and
        # ix_resident_name_sort can serve ORDER BY name_initials, name but not its NULLS LAST form
        if flt.sort not in ("default", "name"):
            order = [o.nulls_last() for o in order]
        q = q.order_by(*order, Resident.id.desc() if flt.descending else Resident.id)
        return _fetch_ids(s, q)


def fetch_resident_rows(
    ctx: ServiceContext, ids: Sequence[int], today: dt.date | None = None
) -> list[ResidentRow]:
    """The list rows of ``ids`` (a page of ~200), in that order; ids that no longer exist are skipped."""
    require(ctx, RESIDENTS_READ)
    if not ids:
        return []
    today = today or ctx.today()
    with ctx.read() as s:
        rows = s.execute(
            select(
                Resident.id,
                Resident.name,
                Resident.gender,
                Resident.birth_date,
                Resident.id_number,
                Resident.phone,
                Resident.residence_kind,
                Resident.community_id,
                Community.name,
                Resident.grid_id,
                Grid.name,
                Resident.household_id,
                Household.estate,
                Household.building,
                Household.unit,
                Household.room,
                Resident.relation_to_head,
                Resident.care_tier,
                Resident.status,
            )
            .join(Community, Community.id == Resident.community_id)
            .outerjoin(Grid, Grid.id == Resident.grid_id)
            .outerjoin(Household, Household.id == Resident.household_id)
            .where(Resident.id.in_(list(ids)), *_scope_where(ctx))
        ).all()
        tags: dict[int, list[str]] = {}
        for rid, tag in s.execute(
            select(ResidentTag.resident_id, ResidentTag.tag)
            .where(ResidentTag.resident_id.in_(list(ids)))
            .order_by(ResidentTag.id)
        ):
            tags.setdefault(rid, []).append(tag)
    by_id = {}
    for r in rows:
        by_id[r[0]] = ResidentRow(
            id=r[0],
            name=r[1],
            gender=r[2],
            age=age_on(r[3], today),
            id_number=mask_id_number(r[4]),
            phone=mask_phone(r[5]),
            residence_kind=r[6],
            residence_kind_label=residence_kind_label(r[6]),
            community_id=r[7],
            community_name=r[8],
            grid_id=r[9],
            grid_name=r[10] or "",
            household_id=r[11],
            address=format_address(r[12], r[13], r[14], r[15]),
            relation_to_head=r[16],
            tags=tuple(tags.get(r[0], ())),
            care_tier=r[17],
            status=r[18],
            status_label=status_label(r[18]),
        )
    return [by_id[i] for i in ids if i in by_id]


def count_residents(ctx: ServiceContext, status: str | None = ResidentStatus.ACTIVE) -> int:
    require(ctx, RESIDENTS_READ)
    with ctx.read() as s:
        q = select(func.count()).select_from(Resident)
        if status is not None:
            q = q.where(Resident.status == status)
        return int(s.scalar(q) or 0)
