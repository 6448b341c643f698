"""Export of the resident register to Excel/CSV (``shequ export residents``, the 居民 page's 导出).

One row per resident in the register (在册), the import's columns, ID numbers and phones **masked** unless
``full`` is asked for with a reason, which the audit records with the file's SHA-256. A street's 130,590
residents are one streamed query (Core rows, no ORM objects), the two encrypted columns decrypted with the
database's key as the rows go by, and XlsxWriter's ``constant_memory`` mode: flat memory, and within 10 % of
the raw limit (``tests/bench/bench_resident_export.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import String, func, select, type_coerce

from db.crypto import Encrypted, keys_of
from db.schema.people import Household, Resident, ResidentStatus, ResidentTag
from db.schema.structure import Community, Grid
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.accounts import RESIDENTS_EXPORT
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.domain.text import clean_text, normalize_code
from desktop.exchange.residents import RESIDENT_COLUMNS, TAG_SEPARATOR
from desktop.exchange.writing import EXPORT_SUFFIXES, check_suffix, write_table
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.dictionaries import RESIDENCE_KIND_LABELS
from desktop.services.residents.common import clean_free_text, format_address
from desktop.services.residents.config import care_tiers

Progress = Callable[[int, int, str], None]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _export_scope(s: Any, community: str | None, grid: str | None) -> tuple[int | None, int | None, str]:
    community_id = grid_id = None
    label = []
    if community is not None and clean_text(community):
        name = clean_text(community)
        community_id = s.scalar(select(Community.id).where(Community.name == name))
        if community_id is None:
            names = "、".join(s.scalars(select(Community.name).where(Community.retired_on.is_(None))))
            raise NotFoundError(f"没有名为“{name}”的社区（现有：{names or '无'}）。")
        label.append(name)
    if grid is not None and clean_text(grid):
        code = normalize_code(grid)
        found = s.execute(select(Grid.id, Grid.community_id, Grid.name).where(Grid.code == code)).first()
        if found is None:
            raise NotFoundError(f"没有编号为“{code}”的网格。")
        if community_id is not None and found.community_id != community_id:
            raise ValidationError(f"网格“{code}”不属于{label[0]}。", field="grid")
        grid_id = found.id
        label.append(f"{found.name}（{code}）")
    return community_id, grid_id, "".join(label) or "全部"


def export_residents(
    ctx: ServiceContext,
    out: Path,
    community: str | None = None,
    grid: str | None = None,
    full: bool = False,
    reason: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the residents in the register (在册) to ``out`` (.xlsx or .csv by suffix); returns how many.

    ID numbers and phones are masked unless ``full`` with a non-empty ``reason`` (recorded in the
    audit with the row count and the file's SHA-256). ``community`` is a name, ``grid`` a 网格编号.
    """
    require(ctx, RESIDENTS_EXPORT)
    out = Path(out)
    check_suffix(out, EXPORT_SUFFIXES)
    reason = clean_free_text(reason)
    if full and not reason:
        raise ValidationError("导出完整身份证号码和电话需要填写原因（将记录在操作日志中）。", field="reason")
    if len(reason) > 200:
        raise ValidationError("原因不能超过 200 个字。", field="reason")
    tiers = {t.code: t.label for t in care_tiers(ctx)}
    with ctx.read() as s:
        community_id, grid_id, scope = _export_scope(s, community, grid)
        where = [Resident.status == ResidentStatus.ACTIVE]
        if community_id is not None:
            where.append(Resident.community_id == community_id)
        if grid_id is not None:
            where.append(Resident.grid_id == grid_id)
        account_scope = resident_scope(ctx)  # nobody exports beyond their community or grids
        if account_scope is not None:
            where.append(account_scope.condition(Resident.community_id, Resident.grid_id))
        total = int(s.scalar(select(func.count()).select_from(Resident).where(*where)) or 0)
        tags: dict[int, list[str]] = {}
        for rid, tag in s.execute(
            select(ResidentTag.resident_id, ResidentTag.tag)
            .join(Resident, Resident.id == ResidentTag.resident_id)
            .where(*where)
            .order_by(ResidentTag.id)
        ):
            tags.setdefault(rid, []).append(tag)
        stmt = (
            select(
                Resident.id,
                Resident.name,
                Resident.gender,
                Resident.ethnicity,
                type_coerce(Resident.id_number, String),  # the ciphertext: decrypted below, only if shown
                Resident.birth_date,
                type_coerce(Resident.phone, String),
                Resident.residence_kind,
                Community.name,
                Grid.name,
                Household.estate,
                Household.building,
                Household.unit,
                Household.room,
                Household.household_no,
                Resident.relation_to_head,
                Resident.care_tier,
                Resident.notes,
                Resident.household_id,
            )
            .join(Community, Community.id == Resident.community_id)
            .outerjoin(Grid, Grid.id == Resident.grid_id)
            .outerjoin(Household, Household.id == Resident.household_id)
            .where(*where)
            .order_by(Resident.community_id, Grid.code, Resident.household_id, Resident.id)
        )
        result = s.connection().execution_options(yield_per=2000).execute(stmt)
        rows = _export_rows(chain.from_iterable(result.partitions()), tags, tiers, full, ctx)

        def written(count: int) -> None:
            if progress is not None:
                progress(count, total, f"正在导出第 {count:,} / {total:,} 人…")

        count = write_table(out, RESIDENT_COLUMNS.columns, rows, sheet_name="居民", progress=written)
    what = "完整身份证号码和电话" if full else "脱敏"
    with ctx.write() as uow:
        uow.audit(
            "export",
            "resident",
            None,
            summary=f"导出居民 {count} 人（{scope}，{what}）到 {out.name}"
            + (f"；原因：{reason}" if full else ""),
            after={
                "file": str(out.resolve()),
                "rows": count,
                "sha256": _sha256(out),
                "full": full,
                "reason": reason or None,
                "community": clean_text(community) or None,
                "grid": normalize_code(grid) or None,
            },
        )
    return count


def _export_rows(
    result: Iterable[Any],
    tags: Mapping[int, list[str]],
    tiers: Mapping[str, str],
    full: bool,
    ctx: ServiceContext,
) -> Iterator[tuple[object, ...]]:
    """The export's rows, made from the query's Core rows (no ORM objects: a street has 130,590 residents).

    ID numbers and phones come as ciphertext and are decrypted here with the database's key (the same
    ``DataKeys.decrypt`` the column type calls); the address is formatted once per household."""
    decrypt = keys_of(ctx.database).decrypt
    id_column, phone_column = _encrypted_column(Resident.id_number), _encrypted_column(Resident.phone)
    id_text = _plain if full else mask_id_number
    phone_text = _plain if full else mask_phone
    kind_labels = RESIDENCE_KIND_LABELS
    addresses: dict[int | None, str] = {}  # household id → its formatted address
    for (
        rid, name, gender, ethnicity, id_number, birth, phone, kind, community, grid,
        estate, building, unit, room, household_no, relation, tier, notes, household,
    ) in result:  # fmt: skip
        address = addresses.get(household)
        if address is None:
            address = format_address(estate, building, unit, room)
            if household is not None:
                addresses[household] = address
        tagged = tags.get(rid)
        yield (
            name,
            gender,
            ethnicity,
            id_text(decrypt(id_number, id_column)) if id_number else None,
            birth,
            phone_text(decrypt(phone, phone_column)) if phone else None,
            kind_labels.get(kind, kind),
            community,
            grid,
            estate,
            building,
            unit,
            room,
            address or None,
            household_no,
            relation,
            TAG_SEPARATOR.join(tagged) if tagged else None,
            tiers.get(tier, tier),
            notes,
        )


def _plain(value: str) -> str:
    return value


def _encrypted_column(attribute: Any) -> str:
    """The column name an :class:`~db.crypto.Encrypted` column binds into its ciphertext."""
    column_type = attribute.property.columns[0].type
    assert isinstance(column_type, Encrypted)
    return column_type.column
