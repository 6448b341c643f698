"""Audit records: append-only and hash-chained, so a changed or deleted row is detectable."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from db.schema.audit import AuditRecord
from desktop.core.identity import Actor

_SKIP = {"created_at", "updated_at"}


def snapshot(obj: object, exclude: set[str] | None = None) -> dict[str, Any]:
    """The column values of an ORM object as a JSON-able dict (for ``before``/``after``)."""
    skip = _SKIP | (exclude or set())
    mapper = inspect(obj).mapper
    return {c.key: _jsonable(getattr(obj, c.key)) for c in mapper.column_attrs if c.key not in skip}


def _jsonable(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


_CHAINED = ("user", "host", "action", "entity", "entity_id", "summary", "before", "after")


def _canonical_values(values: dict[str, Any]) -> bytes:
    payload = [values["at"].isoformat(), *(values[k] for k in _CHAINED)]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _canonical(rec: AuditRecord) -> bytes:
    return _canonical_values({"at": rec.at, **{k: getattr(rec, k) for k in _CHAINED}})


def _hash(prev: str, rec: AuditRecord) -> str:
    return hashlib.sha256(prev.encode("ascii") + _canonical(rec)).hexdigest()


def _dump(d: dict[str, Any] | None) -> str | None:
    return (
        None
        if d is None
        else json.dumps({k: _jsonable(v) for k, v in d.items()}, ensure_ascii=False, sort_keys=True)
    )


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object | None = None,
    *,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: dt.datetime,
) -> AuditRecord:
    if session.get_bind().dialect.name == "postgresql":
        # serialise writers on the chain's tail so two PCs never fork it
        session.execute(sa.text("SELECT pg_advisory_xact_lock(724101)"))
    session.flush()
    prev = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or ""
    rec = AuditRecord(
        at=at.replace(microsecond=0),
        user=actor.user,
        host=actor.host,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        summary=summary[:400],
        before=_dump(before),
        after=_dump(after),
        prev_hash=prev,
    )
    rec.hash = _hash(prev, rec)
    session.add(rec)
    session.flush()
    return rec


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record for :func:`record_many`."""

    action: str
    entity: str
    entity_id: object | None = None
    summary: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def _default(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    raise TypeError(f"{type(v).__name__} is not JSON serializable")


def _dump_fast(d: dict[str, Any] | None) -> str | None:
    """What :func:`_dump` gives, letting the JSON encoder convert only the values it cannot write itself."""
    return None if d is None else json.dumps(d, ensure_ascii=False, sort_keys=True, default=_default)


def record_many(
    session: Session, actor: Actor, entries: Iterable[AuditEntry], *, at: dt.datetime, chunk: int = 5000
) -> int:
    """Append many records at once (an import of 100,000 residents): Core bulk inserts, the hash chain
    computed here exactly as :func:`record` computes it. Returns how many were written."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(724101)"))
    session.flush()
    prev = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or ""
    at = at.replace(microsecond=0)
    table = cast(sa.Table, AuditRecord.__table__)
    batch: list[dict[str, Any]] = []
    count = 0
    for e in entries:
        values: dict[str, Any] = {
            "at": at,
            "user": actor.user,
            "host": actor.host,
            "action": e.action,
            "entity": e.entity,
            "entity_id": None if e.entity_id is None else str(e.entity_id),
            "summary": e.summary[:400],
            "before": _dump_fast(e.before),
            "after": _dump_fast(e.after),
            "prev_hash": prev,
        }
        prev = values["hash"] = hashlib.sha256(prev.encode("ascii") + _canonical_values(values)).hexdigest()
        batch.append(values)
        if len(batch) >= chunk:
            session.execute(sa.insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(sa.insert(table), batch)
        count += len(batch)
    return count


def canonical_bytes(values: dict[str, Any]) -> bytes:
    """What a record's hash covers besides the previous hash (``values``: the columns :func:`record_many` writes)."""
    return _canonical_values(values)


def chain_hashes(prev: str, canonicals: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Link records prepared beforehand (their :func:`canonical_bytes`) after the record whose hash is ``prev``,
    as :func:`record_many` links them: (prev_hash, hash) for each."""
    for canonical in canonicals:
        digest = hashlib.sha256(prev.encode("ascii") + canonical).hexdigest()
        yield prev, digest
        prev = digest


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    host: str
    action: str
    entity: str
    entity_id: str | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def list_for(
    session: Session, entity: str | None = None, entity_id: object | None = None, limit: int = 200
) -> list[AuditRow]:
    q = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if entity:
        q = q.where(AuditRecord.entity == entity)
    if entity_id is not None:
        q = q.where(AuditRecord.entity_id == str(entity_id))
    return [
        AuditRow(
            r.id,
            r.at,
            r.user,
            r.host,
            r.action,
            r.entity,
            r.entity_id,
            r.summary,
            json.loads(r.before) if r.before else None,
            json.loads(r.after) if r.after else None,
        )
        for r in session.scalars(q)
    ]


def verify_chain(session: Session) -> int | None:
    """Return the id of the first record whose hash does not match (tampering), or None if intact."""
    prev = ""
    for rec in session.scalars(select(AuditRecord).order_by(AuditRecord.id)):
        if rec.prev_hash != prev or rec.hash != _hash(prev, rec):
            return rec.id
        prev = rec.hash
    return None
