"""Resident import, step 2b: the writes (Core bulk statements) of what step 2a planned.

:class:`ImportPlan` checks the rows against the register (:class:`~desktop.services.residents.import_check.RegisterCheck`:
updates by 公民身份号码, households by 户号 or address, one head each) and ``write()`` does it:

* A changed 分色等级 is a dated event in the resident's history, like a change made in the program.
* Audit: one entry per created/updated resident and household (ID numbers and phones masked), handed to the
  caller's :class:`~desktop.services.audit_detail.BlockPacker` as it is made (compressed 10,000 at a time);
  the caller writes the blocks (:func:`desktop.services.audit.write_blocks`) and the batch record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.schema.people import ResidentEventKind
from desktop.core.errors import ConflictError
from desktop.core.identity import Actor
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.services.audit import AuditEntry
from desktop.services.audit_detail import BlockPacker
from desktop.services.residents.common import format_address
from desktop.services.residents.import_check import (
    _EVENT,
    _HOUSEHOLD,
    _RESIDENT,
    _TAG,
    CHUNK,
    HOUSEHOLD_KEYS,
    INSERT_CHUNK,
    RESIDENT_KEYS,
    UPDATABLE,
    PlanStep,
    RegisterCheck,
    _address_columns,
    _address_text,
)
from desktop.services.residents.import_rows import ParsedRow


class ImportPlan(RegisterCheck):
    """What the rows will do to the register; ``write()`` does it (inside the caller's transaction)."""

    def write(
        self, actor: Actor, source: str, today: dt.date, now: dt.datetime, audit: BlockPacker
    ) -> None:
        """Insert and update everything planned, as of ``today`` (``now`` in UTC stamps the rows); each
        change's audit entry goes to ``audit`` (the caller writes its blocks)."""
        self.tick(PlanStep.WRITE_HOUSEHOLDS)
        self._write_households(now, audit)
        self.tick(PlanStep.WRITE_RESIDENTS)
        new_rows: list[ParsedRow] = []
        updates: list[tuple[ParsedRow, dict[str, Any], dict[str, Any]]] = []
        for r in self.rows:
            e = self.existing.get(r.id_number)
            if e is None:
                new_rows.append(r)
            elif self._changed(r, e):
                updates.append((r, e, self._new_values(r, e)))
        ids = _reserve_ids(self.s, _RESIDENT, len(new_rows))
        tags: list[dict[str, Any]] = []
        # chunk by chunk: a chunk's rows are made, written and summed up for the audit, then let go
        for i in range(0, len(new_rows), INSERT_CHUNK):
            batch = []
            for r, rid in zip(new_rows[i : i + INSERT_CHUNK], ids[i : i + INSERT_CHUNK], strict=True):
                values = self._new_values(r, None)
                values.update(id=rid, version=1, created_at=now, updated_at=now)
                batch.append(values)
                tags += [{"resident_id": rid, "tag": t} for t in r.tags or ()]
            self.s.execute(insert(_RESIDENT), batch)
            for r, values in zip(new_rows[i : i + INSERT_CHUNK], batch, strict=True):
                audit.add(
                    AuditEntry(
                        "create",
                        "resident",
                        values["id"],
                        f"导入居民 {r.name}",
                        None,
                        _snapshot(values) | {"tags": list(r.tags or ())},
                    )
                )
        self.tick(PlanStep.UPDATE_RESIDENTS)
        self._write_updates(updates, tags, today, now, actor, source, audit)
        for i in range(0, len(tags), INSERT_CHUNK):
            self.s.execute(insert(_TAG), tags[i : i + INSERT_CHUNK])

    def _write_households(self, now: dt.datetime, audit: BlockPacker) -> None:
        created = [p for p in self.households.values() if p.rows and p.existing is None]
        rows = [
            {
                "community_id": p.community_id,
                "grid_id": p.grid_id,
                "household_no": p.household_no,
                **_address_columns(p.address),
                "notes": None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for p in created
        ]
        for plan, hid, row in zip(created, _insert_returning(self.s, _HOUSEHOLD, rows), rows, strict=True):
            plan.id = hid
            after = {k: row.get(k) for k in HOUSEHOLD_KEYS} | {"id": hid}
            audit.add(
                AuditEntry("create", "household", hid, f"导入住户 {_address_text(plan.address)}", None, after)
            )
        changed = [p for p in self.households.values() if p.rows and p.existing is not None and p.changes]
        if changed:
            keys = sorted({k for p in changed for k in p.changes})
            params = []
            for p in changed:
                h = cast(dict[str, Any], p.existing)
                after = h | p.changes | {"version": h["version"] + 1}
                params.append(
                    {"b_id": h["id"], "b_version": h["version"], **{f"v_{k}": after[k] for k in keys}}
                )
                address = format_address(
                    *(cast(str | None, after[k]) for k in ("estate", "building", "unit", "room"))
                )
                audit.add(
                    AuditEntry(
                        "update",
                        "household",
                        h["id"],
                        f"导入时更新住户 {address}",
                        {k: h[k] for k in HOUSEHOLD_KEYS},
                        {k: after[k] for k in HOUSEHOLD_KEYS},
                    )
                )
            stmt = (
                update(_HOUSEHOLD)
                .where(_HOUSEHOLD.c.id == bindparam("b_id"), _HOUSEHOLD.c.version == bindparam("b_version"))
                .values(
                    {
                        **{k: bindparam(f"v_{k}") for k in keys},
                        "version": _HOUSEHOLD.c.version + 1,
                        "updated_at": now,
                    }
                )
            )
            _execute_checked(self.s, stmt, params, "住户")

    def _write_updates(
        self,
        updates: list[tuple[ParsedRow, dict[str, Any], dict[str, Any]]],
        tags: list[dict[str, Any]],
        today: dt.date,
        now: dt.datetime,
        actor: Actor,
        source: str,
        audit: BlockPacker,
    ) -> None:
        params: list[dict[str, Any]] = []
        retag: list[int] = []
        events: list[dict[str, Any]] = []
        for r, e, values in updates:
            token = self.row_token.get(r.row)
            if token is not None:
                values["household_id"] = self.households[token].id
            params.append(
                {"b_id": e["id"], "b_version": e["version"], **{f"v_{k}": values[k] for k in UPDATABLE}}
            )
            values["version"] = e["version"] + 1
            old_tags = self.existing_tags.get(e["id"], [])
            before = _snapshot(e) | {"tags": old_tags}
            after = _snapshot(values) | {"tags": list(r.tags) if r.tags is not None else old_tags}
            if r.tags is not None and r.tags != old_tags:
                retag.append(e["id"])
                tags += [{"resident_id": e["id"], "tag": t} for t in r.tags]
            if values["care_tier"] != e["care_tier"]:
                events.append(
                    {
                        "resident_id": e["id"],
                        "kind": ResidentEventKind.CARE_TIER.value,
                        "on_date": today,
                        "from_value": e["care_tier"],
                        "to_value": values["care_tier"],
                        "reason": f"批量导入：{source}"[:200],
                        "approver": None,
                        "user": actor.user,
                        "recorded_at": now,
                    }
                )
            audit.add(
                AuditEntry("update", "resident", e["id"], f"导入时更新居民 {values['name']}", before, after)
            )
        if params:
            stmt = (
                update(_RESIDENT)
                .where(_RESIDENT.c.id == bindparam("b_id"), _RESIDENT.c.version == bindparam("b_version"))
                .values(
                    {
                        **{k: bindparam(f"v_{k}") for k in UPDATABLE},
                        "version": _RESIDENT.c.version + 1,
                        "updated_at": now,
                    }
                )
            )
            _execute_checked(self.s, stmt, params, "居民")
        for i in range(0, len(retag), CHUNK):
            self.s.execute(sa.delete(_TAG).where(_TAG.c.resident_id.in_(retag[i : i + CHUNK])))
        for i in range(0, len(events), INSERT_CHUNK):
            self.s.execute(insert(_EVENT), events[i : i + INSERT_CHUNK])


# ---------------------------------------------------------------- helpers

def _snapshot(values: dict[str, Any]) -> dict[str, Any]:
    """A resident's audit snapshot (the keys ``masked_snapshot`` gives), ID number and phone masked."""
    snap = {k: values.get(k) for k in RESIDENT_KEYS}
    snap["id_number"] = mask_id_number(snap["id_number"])
    snap["phone"] = mask_phone(snap["phone"])
    return snap


def _reserve_ids(s: Session, table: sa.Table, n: int) -> list[int]:
    """Primary keys for ``n`` new rows. SQLite: after the largest one (the import's write transaction
    holds SQLite's write lock, so nobody else takes them); PostgreSQL: from the table's sequence."""
    if n == 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        return list(
            s.scalars(
                sa.text(
                    "SELECT nextval(CAST(pg_get_serial_sequence(:t, 'id') AS regclass)) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": n},
            )
        )
    start = (s.scalar(select(sa.func.max(table.c.id))) or 0) + 1
    return list(range(start, start + n))


def _insert_returning(s: Session, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (plain executemany: RETURNING in parameter order costs one statement per row on
    SQLite) and return their new ids, in the same order."""
    ids = _reserve_ids(s, table, len(rows))
    for row, rid in zip(rows, ids, strict=True):
        row["id"] = rid
    for i in range(0, len(rows), INSERT_CHUNK):
        s.execute(insert(table), rows[i : i + INSERT_CHUNK])
    return ids


def _execute_checked(s: Session, stmt: Any, params: Iterable[dict[str, Any]], what: str) -> None:
    """An executemany UPDATE guarded by the version each row was read with (optimistic locking)."""
    params = list(params)
    for i in range(0, len(params), INSERT_CHUNK):
        chunk = params[i : i + INSERT_CHUNK]
        result = cast(sa.CursorResult[Any], s.execute(stmt, chunk))
        if s.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(chunk):
            raise ConflictError(f"导入期间其他用户修改了{what}信息，本次导入没有写入任何数据，请重新导入。")
