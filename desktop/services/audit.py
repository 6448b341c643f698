"""Audit records: append-only and chained with a keyed MAC, so a changed, deleted or truncated trail is detectable.

Each record's ``hash`` is HMAC-SHA256 (RFC 2104), under the audit subkey of the database's data key (kept
outside the database, ``desktop.core.keys``), of the previous record's MAC and this record's canonical
content: without the key nobody can recompute the chain after editing the file. After every commit that
appended records, the chain head (the last record's number and MAC) is also kept beside the key, so deleting
the newest records is detected too (:func:`verify_audit_chain`, ``shequ audit verify``). The head only moves on
while the trail still holds it, so a later write cannot hide a truncation; the one thing that moves it back is
the record a restore of an older backup writes (:func:`allow_head_back`, ``services.backups.restore_backup``),
which names the backup, its time, the positions and the account.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol, cast

import sqlalchemy as sa
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from db.crypto import BlindIndex, Encrypted, KeyHolder, holder
from db.schema.audit import AuditEntryIndex, AuditRecord
from desktop.core.identity import Actor
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.services.audit_detail import (
    BLOCK_ACTION,
    BLOCK_ROWS,
    PackedBlock,
    check_blocks,
    json_default,
    jsonable,
    pack_all,
)
from desktop.services.audit_detail import AuditEntry as AuditEntry  # re-exported: the callers' entry type
from desktop.services.audit_detail import AuditRow as AuditRow
from desktop.services.audit_detail import iter_rows as iter_rows  # the trail with blocks expanded


class _Reads(Protocol):
    """A service context (``desktop.services.context`` builds on this module, so it is named by its shape)."""

    def read(self) -> AbstractContextManager[Session]: ...


_log = logging.getLogger(__name__)
_HEAD = (
    "shequ_audit_head"  # session.info: (holder, last id, its MAC) to keep outside the database after commit
)

_SKIP = {"created_at", "updated_at"}


def snapshot(obj: object, exclude: set[str] | None = None) -> dict[str, Any]:
    """The column values of an ORM object as a JSON-able dict (for ``before``/``after``)."""
    skip = _SKIP | (exclude or set())
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for c in mapper.column_attrs:
        kind = c.columns[0].type
        if c.key in skip or isinstance(kind, BlindIndex):  # a blind index is plain in memory: never kept
            continue
        value = getattr(obj, c.key)
        if isinstance(kind, Encrypted) and value:  # what is encrypted at rest is masked in the trail
            value = mask_id_number(value) if "id_number" in c.key else mask_phone(value)
        out[c.key] = jsonable(value)
    return out


_CHAINED = ("user", "host", "action", "entity", "entity_id", "summary", "before", "after")


def _canonical_values(values: dict[str, Any]) -> bytes:
    """The record's content as hashed: canonical JSON of its columns, then (a block record only) a newline and
    the compressed block's bytes themselves (JSON never holds a raw newline, so the two parts cannot blur)."""
    payload = [values["at"].isoformat(), *(values[k] for k in _CHAINED)]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    detail = values.get("detail")
    return text if detail is None else text + b"\n" + bytes(detail)


def _canonical(rec: AuditRecord) -> bytes:
    return _canonical_values({"at": rec.at, "detail": rec.detail, **{k: getattr(rec, k) for k in _CHAINED}})


def _holder(session: Session) -> KeyHolder:
    return holder(session.get_bind().dialect)


def chain_mac(h: KeyHolder, prev: str, canonical: bytes) -> str:
    return h.require().audit_mac(prev.encode("ascii") + canonical)


def _hash(h: KeyHolder, prev: str, rec: AuditRecord) -> str:
    return chain_mac(h, prev, _canonical(rec))


@event.listens_for(Session, "after_commit")
def _keep_head(session: Session) -> None:
    pending = session.info.pop(_HEAD, None)
    if pending is not None:
        h, seq, mac = pending
        h.save_head(seq, mac)


@event.listens_for(Session, "after_rollback")
def _drop_head(session: Session) -> None:
    session.info.pop(_HEAD, None)
    session.info.pop(_HEAD_BACK, None)


_HEAD_BACK = "shequ_audit_head_back"  # session.info: this commit records a restore, the head may move back


@event.listens_for(Session, "before_commit")
def _guard_head(session: Session) -> None:
    """The head kept outside the database only moves on while the trail still holds it: after a truncation (the
    head's record gone or replaced) it stays where it was, so the next write cannot hide the deletion — only a
    recorded restore (:func:`record_restore`) moves it back."""
    pending = session.info.get(_HEAD)
    if pending is None or session.info.pop(_HEAD_BACK, False):
        return
    try:
        head = pending[0].load_head()
    except Exception:  # the key store cannot be read: the head is not moved either
        _log.warning("无法读取库外审计链头，本次不更新", exc_info=True)
        session.info.pop(_HEAD, None)
        return
    if head is None:
        return
    seq, mac = head
    if session.scalar(select(AuditRecord.hash).where(AuditRecord.id == seq)) != mac:
        session.info.pop(_HEAD, None)
        _log.warning("审计记录在库外链头（第 %s 条）之后被截断或替换：链头保持不变，核对时将报告", seq)


def _dump(d: dict[str, Any] | None) -> str | None:
    return (
        None
        if d is None
        else json.dumps({k: jsonable(v) for k, v in d.items()}, ensure_ascii=False, sort_keys=True)
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
) -> AuditRecord | None:
    """Append one chained record; inside :func:`collected`, keep the change for the block written at its end
    (returns None then)."""
    pending = session.info.get(_COLLECT)
    if pending is not None:
        where = session.get_nested_transaction() or session.get_transaction()
        pending.append((where, AuditEntry(action, entity, entity_id, summary[:400], before, after)))
        return None
    if session.get_bind().dialect.name == "postgresql":
        # serialise writers on the chain's tail so two PCs never fork it
        session.execute(sa.text("SELECT pg_advisory_xact_lock(724101)"))
    session.flush()
    h = _holder(session)
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
    rec.hash = _hash(h, prev, rec)
    session.add(rec)
    session.flush()
    session.info[_HEAD] = (h, rec.id, rec.hash)
    return rec


def _dump_fast(d: dict[str, Any] | None) -> str | None:
    """What :func:`_dump` gives, letting the JSON encoder convert only the values it cannot write itself."""
    return None if d is None else json.dumps(d, ensure_ascii=False, sort_keys=True, default=json_default)


def record_many(
    session: Session, actor: Actor, entries: Iterable[AuditEntry], *, at: dt.datetime, chunk: int = 5000
) -> int:
    """Append many records at once (an import of 100,000 residents): Core bulk inserts, the hash chain
    computed here exactly as :func:`record` computes it. Returns how many were written."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(724101)"))
    session.flush()
    h = _holder(session)
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
        prev = values["hash"] = chain_mac(h, prev, _canonical_values(values))
        batch.append(values)
        if len(batch) >= chunk:
            session.execute(sa.insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(sa.insert(table), batch)
        count += len(batch)
    if count:
        last = session.scalar(select(func.max(AuditRecord.id)))
        session.info[_HEAD] = (h, last, prev)
    return count


def canonical_bytes(values: dict[str, Any]) -> bytes:
    """What a record's hash covers besides the previous hash (``values``: the columns :func:`record_many` writes)."""
    return _canonical_values(values)


def chain_hashes(h: KeyHolder, prev: str, canonicals: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Link records prepared beforehand (their :func:`canonical_bytes`) after the record whose hash is ``prev``,
    as :func:`record_many` links them (keyed MACs): (prev_hash, hash) for each."""
    for canonical in canonicals:
        digest = chain_mac(h, prev, canonical)
        yield prev, digest
        prev = digest


def keep_head_on_commit(session: Session) -> None:
    """Records were appended past :func:`record` / :func:`record_many` (an import published from staging
    tables): the chain's new head is kept outside the database when ``session`` commits."""
    last = session.execute(
        select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)
    ).first()
    if last is not None:
        session.info[_HEAD] = (_holder(session), last[0], last[1])


def allow_head_back(session: Session) -> None:
    """This commit records a restore of an older backup (``services.backups.restore_backup``): the head kept
    outside the database may move back to it. Nothing else may move the head back."""
    session.info[_HEAD_BACK] = True


_BLOCK_LABELS = {
    "resident": "居民",
    "household": "住户",
    "party_member": "党员",
    "grid_event": "网格事件",
    "mediation_case": "调解案件",
    "case_party": "调解当事人",
    "agreement": "调解协议",
    "judicial_confirmation": "司法确认",
}
_COLLECT = "shequ_audit_collect"  # session.info: [(transaction, change)] while :func:`collected` is active


@contextmanager
def collected(session: Session, actor: Actor, *, at: dt.datetime, entity: str) -> Iterator[None]:
    """Inside, every :func:`record` on ``session`` (``uow.audit``) becomes one change of the compressed
    blocks written when the block ends without an error: an import of many rows through the ordinary
    services gets a few audit records instead of one per change. A change made inside a savepoint that is
    rolled back (a refused row) is dropped with it."""
    if _COLLECT in session.info:  # already collecting: the outer block takes these changes too
        yield
        return
    pending: list[tuple[object, AuditEntry]] = []
    session.info[_COLLECT] = pending
    try:
        yield
    finally:
        session.info.pop(_COLLECT, None)
    if pending:
        write_blocks(session, actor, pack_all(e for _t, e in pending), at=at, entity=entity)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_COLLECT)
    if pending:
        pending[:] = [(t, e) for t, e in pending if not _inside(t, previous)]


def _inside(t: object, ancestor: SessionTransaction) -> bool:
    while isinstance(t, SessionTransaction):
        if t is ancestor:
            return True
        t = t.parent
    return False


def write_blocks(
    session: Session, actor: Actor, blocks: Iterable[PackedBlock], *, at: dt.datetime, entity: str
) -> list[int]:
    """Append one chained record per block (packed beforehand, e.g. outside a write lock) and its index rows
    (:class:`AuditEntryIndex`), in the caller's transaction; returns the new records' ids."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(724101)"))
    session.flush()
    h = _holder(session)
    prev = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or ""
    table = cast(sa.Table, AuditRecord.__table__)
    index = cast(sa.Table, AuditEntryIndex.__table__)
    ids: list[int] = []
    for block in blocks:
        values: dict[str, Any] = {
            "at": at.replace(microsecond=0),
            "user": actor.user,
            "host": actor.host,
            "action": BLOCK_ACTION,
            "entity": entity,
            "entity_id": None,
            "summary": block.summary(_BLOCK_LABELS)[:400],
            "before": None,
            "after": _dump_fast(block.header),
            "detail": block.detail,
            "prev_hash": prev,
        }
        prev = values["hash"] = chain_mac(h, prev, _canonical_values(values))
        result = cast(sa.CursorResult[Any], session.execute(sa.insert(table).values(values)))
        rid = cast(int, cast(sa.Row[Any], result.inserted_primary_key)[0])
        ids.append(rid)
        if not block.keys:
            continue
        if session.get_bind().dialect.name == "sqlite":  # plain tuples: half the time of Core's dicts
            session.connection().exec_driver_sql(
                f"INSERT INTO {index.name} (entity_id, entity, record_id) VALUES (?, ?, ?)",
                [(i, e, rid) for e, i in block.keys],
            )
        else:
            keys = [{"entity": e, "entity_id": i, "record_id": rid} for e, i in block.keys]
            for start in range(0, len(keys), 20_000):
                session.execute(sa.insert(index), keys[start : start + 20_000])
    if ids:
        session.info[_HEAD] = (h, ids[-1], prev)
    return ids


def record_block(
    session: Session,
    actor: Actor,
    entries: Iterable[AuditEntry],
    *,
    at: dt.datetime,
    entity: str,
    rows: int = BLOCK_ROWS,
) -> list[int]:
    """Many changes (an import) as compressed blocks of at most ``rows`` changes each: every change stays
    recoverable (:func:`list_for`, :func:`block_entries`) at a fraction of :func:`record_many`'s size."""
    return write_blocks(session, actor, pack_all(entries, rows), at=at, entity=entity)


def list_for(
    session: Session, entity: str | None = None, entity_id: object | None = None, limit: int = 200
) -> list[AuditRow]:
    """The newest records first, a block's changes among them one by one (see :func:`iter_rows`)."""
    return list(
        islice(
            iter_rows(session, entity=entity, entity_id=None if entity_id is None else str(entity_id)), limit
        )
    )


def verify_chain(session: Session) -> int | None:
    """Return the id of the first record whose MAC does not match (tampering), or None if intact."""
    broken, _last = _walk(session, _holder(session))
    return broken


def _walk(session: Session, h: KeyHolder) -> tuple[int | None, tuple[int, str] | None]:
    """(first broken record id or None, (last id, last MAC) of the stored chain)."""
    prev = ""
    last: tuple[int, str] | None = None
    rows = session.execute(select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=2000))
    for rec in rows.scalars():
        if rec.prev_hash != prev or rec.hash != _hash(h, prev, rec):
            return rec.id, last
        prev = rec.hash
        last = (rec.id, rec.hash)
    return None, last


@dataclass(frozen=True)
class AuditVerdict:
    """The outcome of checking the audit trail: ``intact``, or the first broken record, or the truncation."""

    intact: bool
    checked: int
    first_broken_id: int | None = None
    truncated: bool = False
    message: str = ""


def verify_audit_chain(ctx: _Reads) -> AuditVerdict:
    """Walk the chain (keyed MACs) and compare its end with the head kept outside the database."""
    with ctx.read() as s:
        h = _holder(s)
        h.require()
        count = s.scalar(select(func.count()).select_from(AuditRecord)) or 0
        broken, last = _walk(s, h)
        if broken is not None:
            block = s.scalar(select(AuditRecord.detail.is_not(None)).where(AuditRecord.id == broken))
            what = f"第 {broken} 条记录（批量变更明细块）" if block else f"第 {broken} 条记录"
            return AuditVerdict(
                False,
                count,
                first_broken_id=broken,
                message=f"审计链在{what}处断开：这条记录（或它之前的一条）在写入后被修改、删除或伪造。",
            )
        bad = check_blocks(s)
        if bad is not None:
            return AuditVerdict(
                False,
                count,
                first_broken_id=bad[0],
                message=f"审计记录第 {bad[0]} 条（批量变更明细块）有误：{bad[1]}。",
            )
        head = h.load_head()
        if head is None:
            return AuditVerdict(True, count, message=f"审计链完好：共 {count} 条记录（本机尚未保存链头）。")
        seq, mac = head
        stored = s.scalar(select(AuditRecord.hash).where(AuditRecord.id == seq))
        restored = s.execute(
            select(AuditRecord.id, AuditRecord.summary)
            .where(AuditRecord.action == "restore")
            .order_by(AuditRecord.id.desc())
            .limit(1)
        ).first()
    end = last[0] if last else 0
    if stored is None:
        return AuditVerdict(
            False,
            count,
            truncated=True,
            message=f"审计记录被截断：本机在库外记下的最后一条是第 {seq} 条，数据库中只到第 {end} 条，"
            f"其后的 {seq - end} 条记录已被删除。",
        )
    if stored != mac:
        return AuditVerdict(
            False,
            count,
            first_broken_id=seq,
            message=f"审计链在第 {seq} 条记录处与库外保存的链头不符：最新的记录被删除后又被替换。",
        )
    note = f"最近一次从备份恢复记录在第 {restored[0]} 条：{restored[1]}" if restored else ""
    return AuditVerdict(
        True, count, message=f"审计链完好：共 {count} 条记录，最后一条为第 {end} 条，与库外链头一致。{note}"
    )
