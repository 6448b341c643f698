"""Audit blocks: the per-row changes of a bulk operation (an import) packed into one compressed record.

An import of 100,000 residents used to write 147,534 audit records (90 MB of a 142 MB file). Now it writes
one audit record per :data:`BLOCK_ROWS` changes whose ``detail`` column holds them all, compressed with
zlib (RFC 1950/1951, Python's standard library), and chained like every other record: the keyed MAC covers
the compressed bytes (``desktop.services.audit``), so nothing in a block can be changed unnoticed, and
every row's before/after values stay recoverable (:func:`unpack`).

The block is UTF-8 text, one change per line: ``entity TAB entity_id TAB action TAB JSON[summary, before,
after]`` (the JSON has no raw TAB or newline: both are escaped), so finding one record's change needs no
JSON parsing of the others. ID numbers and phones arrive masked exactly as in an ordinary record (the
callers' snapshots mask them); nothing here unmasks anything.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.audit import AuditEntryIndex, AuditRecord

#: changes per block: about 6 MB of text before compression, so expanding one block for the viewer is cheap
BLOCK_ROWS = 10_000
#: the action of a block record (the viewer shows the changes inside, not the block)
BLOCK_ACTION = "detail"
_LEVEL = 6
_FORMAT = "shequ-audit-block/1"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change (for :func:`desktop.services.audit.record_many` or a block)."""

    action: str
    entity: str
    entity_id: object | None = None
    summary: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def jsonable(v: Any) -> Any:
    """A value as the trail stores it: an enum by its value, a date or time in ISO form, a Decimal as text;
    anything else as it is."""
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


def json_default(v: Any) -> Any:
    """``jsonable`` as json's ``default``: a value it leaves as it is cannot be written."""
    out = jsonable(v)
    if out is v:
        raise TypeError(f"{type(v).__name__} is not JSON serializable")
    return out


_ENCODE = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=json_default
).encode


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


@dataclass(frozen=True)
class PackedBlock:
    """A block ready to be chained and written: the compressed bytes, what it holds, and its index keys."""

    detail: bytes
    count: int
    tally: dict[str, dict[str, int]]  # entity -> action -> changes
    keys: list[tuple[str, str]]  # (entity, entity_id), each once, in order

    @property
    def header(self) -> dict[str, Any]:
        """What the block record's ``after`` says about the block (chained with it)."""
        return {"format": _FORMAT, "entries": self.count, "tally": self.tally}

    def summary(self, labels: dict[str, str]) -> str:
        parts = []
        for entity, actions in self.tally.items():
            counts = "、".join(f"{_ACTION_TEXT.get(a, a)} {n:,}" for a, n in actions.items())
            parts.append(f"{labels.get(entity, entity)}：{counts}")
        return f"批量变更明细 {self.count:,} 条（{'；'.join(parts)}），逐条见明细"


_ACTION_TEXT = {"create": "新建", "update": "修改", "retire": "注销", "delete": "删除"}


def pack(entries: Sequence[AuditEntry]) -> PackedBlock:
    """Compress ``entries`` into one block (every value kept; dates as ISO text, enums by value)."""
    lines: list[str] = []
    tally: dict[str, Counter[str]] = {}
    keys: dict[tuple[str, str], None] = {}
    for e in entries:
        entity_id = "" if e.entity_id is None else _clean(str(e.entity_id))
        entity, action = _clean(e.entity), _clean(e.action)
        lines.append(f"{entity}\t{entity_id}\t{action}\t{_ENCODE([e.summary[:400], e.before, e.after])}")
        tally.setdefault(entity, Counter())[action] += 1
        if entity_id:
            keys[(entity, entity_id)] = None
    detail = zlib.compress("\n".join(lines).encode("utf-8"), _LEVEL)
    return PackedBlock(detail, len(lines), {k: dict(v) for k, v in tally.items()}, list(keys))


class BlockPacker:
    """Packs changes as they are made: a block is compressed as soon as it holds ``rows`` changes, so a bulk
    write keeps at most one block's entries (their before/after dicts) alive, not every row's at once
    (100,000 imported residents' snapshots were about 150 MB until packed)."""

    def __init__(self, rows: int = BLOCK_ROWS) -> None:
        self.rows = rows
        self.blocks: list[PackedBlock] = []
        self._chunk: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        self._chunk.append(entry)
        if len(self._chunk) >= self.rows:
            self.blocks.append(pack(self._chunk))
            self._chunk = []

    def extend(self, entries: Iterable[AuditEntry]) -> None:
        for e in entries:
            self.add(e)

    def finish(self) -> list[PackedBlock]:
        """Every block, the last one with what is left."""
        if self._chunk:
            self.blocks.append(pack(self._chunk))
            self._chunk = []
        return self.blocks


def pack_all(entries: Iterable[AuditEntry], rows: int = BLOCK_ROWS) -> list[PackedBlock]:
    """``entries`` in blocks of at most ``rows`` changes."""
    packer = BlockPacker(rows)
    packer.extend(entries)
    return packer.finish()


class BlockError(ValueError):
    """A block that cannot be read (its bytes are damaged)."""


def _lines(detail: bytes) -> list[str]:
    try:
        text = zlib.decompress(detail).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise BlockError(str(exc)) from exc
    return text.split("\n") if text else []


@dataclass(frozen=True)
class BlockEntry:
    """One change read back from a block: its position (0-based) and the change."""

    seq: int
    entry: AuditEntry


def _decode(seq: int, line: str) -> BlockEntry:
    try:
        entity, entity_id, action, payload = line.split("\t", 3)
        summary, before, after = json.loads(payload)
    except ValueError as exc:
        raise BlockError(f"第 {seq + 1} 条明细无法读取") from exc
    return BlockEntry(seq, AuditEntry(action, entity, entity_id or None, summary, before, after))


def unpack(
    detail: bytes,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    newest_first: bool = False,
) -> Iterator[BlockEntry]:
    """The changes in a block, optionally only those of one record type / record / action (the others are not
    parsed)."""
    lines = _lines(detail)
    order: Iterable[int] = range(len(lines) - 1, -1, -1) if newest_first else range(len(lines))
    for i in order:
        line = lines[i]
        if entity is not None or entity_id is not None or action is not None:
            head = line.split("\t", 3)
            if len(head) < 4:
                raise BlockError(f"第 {i + 1} 条明细无法读取")
            if (
                (entity is not None and head[0] != entity)
                or (entity_id is not None and head[1] != entity_id)
                or (action is not None and head[2] != action)
            ):
                continue
        yield _decode(i, line)


def index_keys(detail: bytes) -> tuple[int, list[tuple[str, str]]]:
    """(number of changes, the distinct (entity, entity_id) pairs in order) of a block, to check its index."""
    lines = _lines(detail)
    keys: dict[tuple[str, str], None] = {}
    for i, line in enumerate(lines):
        head = line.split("\t", 3)
        if len(head) < 4:
            raise BlockError(f"第 {i + 1} 条明细无法读取")
        if head[1]:
            keys[(head[0], head[1])] = None
    return len(lines), list(keys)


# ---------------------------------------------------------------- reading the trail with blocks expanded


@dataclass(frozen=True)
class AuditRow:
    """A record as the viewer shows it: an ordinary record, or one change inside a block (``seq`` its position)."""

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
    seq: int | None = None


def _header(after: str | None) -> dict[str, Any]:
    try:
        head = json.loads(after or "{}")
    except ValueError:
        return {}
    return head if isinstance(head, dict) else {}


def _may_hold(after: str | None, entity: str | None, action: str | None) -> bool:
    """Whether a block's header says it holds changes of ``entity`` / ``action`` (no need to open it if not)."""
    tally = _header(after).get("tally")
    if not isinstance(tally, dict):
        return True
    if entity is not None and entity not in tally:
        return False
    groups = [tally[entity]] if entity is not None else list(tally.values())
    return action is None or any(action in g for g in groups)


def iter_rows(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    where: Sequence[sa.ColumnElement[bool]] = (),
) -> Iterator[AuditRow]:
    """Newest first, the records matching the filters, a block's matching changes expanded in its place
    (``where``: further conditions on the record, e.g. who and when). A record filter finds blocks through
    :class:`AuditEntryIndex`, so it opens only the blocks that hold that record's changes."""
    plain: list[sa.ColumnElement[bool]] = [AuditRecord.detail.is_(None)]
    if entity:
        plain.append(AuditRecord.entity == entity)
    if entity_id is not None:
        plain.append(AuditRecord.entity_id == entity_id)
    if action:
        plain.append(AuditRecord.action == action)
    blocks: sa.ColumnElement[bool] = AuditRecord.detail.is_not(None)
    if entity_id is not None:
        holding = select(AuditEntryIndex.record_id).where(AuditEntryIndex.entity_id == entity_id)
        if entity:
            holding = holding.where(AuditEntryIndex.entity == entity)
        blocks = AuditRecord.id.in_(holding)
    q = (
        select(AuditRecord)
        .where(*where, sa.or_(sa.and_(*plain), blocks))
        .order_by(AuditRecord.id.desc())
        .execution_options(yield_per=200)
    )
    for r in session.scalars(q):
        if r.detail is None:
            yield AuditRow(
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
            continue
        if not _may_hold(r.after, entity or None, action or None):
            continue
        for b in unpack(
            r.detail, entity=entity or None, entity_id=entity_id, action=action or None, newest_first=True
        ):
            e = b.entry
            yield AuditRow(
                r.id,
                r.at,
                r.user,
                r.host,
                e.action,
                e.entity,
                None if e.entity_id is None else str(e.entity_id),
                e.summary,
                e.before,
                e.after,
                b.seq,
            )


def block_choices(session: Session) -> tuple[set[str], set[str]]:
    """The record types and actions inside blocks (from their headers), for the viewer's filter lists."""
    entities: set[str] = set()
    actions: set[str] = set()
    for (after,) in session.execute(select(AuditRecord.after).where(AuditRecord.detail.is_not(None))):
        tally = _header(after).get("tally")
        if isinstance(tally, dict):
            for entity, counts in tally.items():
                entities.add(entity)
                actions.update(counts)
    return entities, actions


def _fold(entity: str, entity_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{entity}\0{entity_id}".encode(), digest_size=8).digest(), "big")


def check_blocks(session: Session) -> tuple[int, str] | None:
    """Each block opens, holds as many changes as its (chained) header says, and the index
    (:class:`AuditEntryIndex`) lists exactly its records: (first bad record id, what is wrong) or None."""
    expected: dict[int, tuple[int, int]] = {}
    q = select(AuditRecord.id, AuditRecord.detail, AuditRecord.after).where(AuditRecord.detail.is_not(None))
    for rid, detail, after in session.execute(q.order_by(AuditRecord.id).execution_options(yield_per=20)):
        try:
            count, keys = index_keys(detail or b"")
        except BlockError:
            return rid, "明细块无法解压或读取"
        if _header(after).get("entries") != count:
            return rid, "明细块中的条数与记录所写不符"
        expected[rid] = (len(keys), sum(_fold(e, i) for e, i in keys) % 2**64)
    found: dict[int, list[int]] = {}
    for entity, entity_id, rid in session.execute(
        select(AuditEntryIndex.entity, AuditEntryIndex.entity_id, AuditEntryIndex.record_id)
    ):
        acc = found.setdefault(rid, [0, 0])
        acc[0] += 1
        acc[1] = (acc[1] + _fold(entity, entity_id)) % 2**64
    for rid in sorted(set(expected) | set(found)):
        if tuple(found.get(rid, (0, 0))) != expected.get(rid):
            return rid, "明细索引（按记录查找用）与明细块的内容不符"
    return None
