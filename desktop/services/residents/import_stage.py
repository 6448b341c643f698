"""Resident import, step 3: all or nothing without holding SQLite's write lock for the whole run.

SQLite has one write lock per database. Checked, planned and written in one transaction, an import of
100,000 residents held it for over 20 s, and a colleague's save waited past the 10 s busy timeout and
failed. So, on one connection:

1. **plan** against a read snapshot (no lock: WAL readers never block writers), and run
   :meth:`ImportPlan.write` against a stand-in session
   that puts every INSERT into a ``TEMP`` staging table (SQLite's temporary database: a separate file,
   private to this connection, gone with it — a killed import leaves nothing behind) and keeps the few
   UPDATE/DELETE statements, in order; its audit entries are packed into compressed blocks as they are
   made (:class:`~desktop.services.audit_detail.BlockPacker`);
2. **publish** in one short write transaction (``BEGIN IMMEDIATE``): check that the register is as it was
   planned (row count, largest id, sum of versions and last change of residents and households, tags),
   then copy each staged batch with one ``INSERT … SELECT``, replay the kept statements in their original
   order and append the audit blocks to the chain's current end (:func:`~desktop.services.audit.write_blocks`:
   one record per 10,000 changes and its index rows). One commit:
   a kill -9 at any point leaves the register as it was, or the whole import.

If the register changed between planning and publishing, the plan is made again (a few times; then the
import is refused with a message, nothing written). PostgreSQL has no database-wide write lock (rows are
locked one by one): the import plans and writes there in one transaction, as before, its bulk inserts
going in with ``COPY`` (:mod:`~desktop.services.residents.import_copy`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.crypto import holder
from db.engine import WRITE_OPTION
from db.schema.audit import AuditRecord
from desktop.core.errors import ConflictError
from desktop.services.audit import canonical_bytes, chain_hashes, keep_head_on_commit, write_blocks
from desktop.services.audit_detail import BlockPacker
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.residents.import_check import _HOUSEHOLD, _RESIDENT, _TAG, Tick
from desktop.services.residents.import_copy import CopyingSession, bulk_insert
from desktop.services.residents.import_rows import ParsedRow, Reference
from desktop.services.residents.import_write import ImportPlan

ATTEMPTS = 3
#: SQLite's page cache while an import runs (KiB; the default is 2 MB). Publishing 100,000 residents puts
#: a row into each of the resident table's 13 indexes, several keyed by random HMACs: with 2 MB of cache the
#: B-tree pages are written out and read back over and over. 32 MB took the publish (the write lock) from
#: 2.6 to 1.6 s, with no higher peak memory (tests/bench/bench_import_limit.py). Set on the import's own
#: connection only, and put back before the connection returns to the pool.
IMPORT_CACHE_KIB = 32 * 1024
_AUDIT = cast(sa.Table, AuditRecord.__table__)
#: what the write transaction does after the import's own rows (the batch record, remembered mappings)
Finish = Callable[[UnitOfWork, ImportPlan], None]
#: a hook for tests and benchmarks: called with the phase ("plan", "stage", "publish") as it starts
phase_hook: Callable[[str], None] | None = None


class RegisterChanged(Exception):
    """The register changed between planning and publishing: plan again."""


@dataclass
class _Done:
    """What a staged statement returns to the code that wrote it (every row counts as written)."""

    rowcount: int


@dataclass
class _Staged:
    main: sa.Table
    stage: sa.Table
    columns: list[str]
    first: int  # staging rowids first..last belong to this batch
    last: int


@dataclass
class _Stager:
    """Stands in for the Session while the import writes outside the write lock (see the module notes)."""

    conn: sa.Connection
    ops: list[_Staged | tuple[Any, Any]] = field(default_factory=list)
    tables: dict[str, sa.Table] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    #: the staged audit records' hashed content, in order (staging rowid = index + 1), to re-link them fast
    canonical: list[bytes] = field(default_factory=list)
    #: the hash the staged audit records are linked after
    linked_to: str = ""

    # reads come from the planning snapshot
    def get_bind(self) -> sa.Connection:
        return self.conn

    def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self.conn.scalar(*args, **kwargs)

    def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self.conn.scalars(*args, **kwargs)

    def flush(self) -> None:
        pass

    def execute(self, stmt: Any, params: Any = None) -> Any:
        if isinstance(stmt, sa.Select | sa.TextClause):
            return self.conn.execute(stmt, params)
        rows = list(params) if isinstance(params, list | tuple) else [params or {}]
        if isinstance(stmt, sa.Insert) and isinstance(stmt.table, sa.Table) and params and rows:
            self._stage(stmt.table, rows)
        else:
            self.ops.append((stmt, params))
        return _Done(len(rows))

    def _stage(self, main: sa.Table, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        stage = self.tables.get(main.name)
        if stage is None:
            stage = sa.Table(
                f"import_stage_{main.name}",
                sa.MetaData(),
                *(sa.Column(c.name, c.type) for c in main.columns),
                prefixes=["TEMPORARY"],
            )
            stage.create(self.conn)
            self.tables[main.name] = stage
        before = self.conn.scalar(sa.text(f"SELECT coalesce(max(rowid), 0) FROM temp.{stage.name}")) or 0
        if main is _AUDIT:
            if not self.canonical:
                self.linked_to = rows[0]["prev_hash"]
            self.canonical += [canonical_bytes(r) for r in rows]
        bulk_insert(self.conn, main, rows, name=stage.name)
        last = before + len(rows)
        prev = self.ops[-1] if self.ops else None
        if (
            isinstance(prev, _Staged)
            and prev.main is main
            and prev.columns == columns
            and prev.last == before
        ):
            prev.last = last
        else:
            self.ops.append(_Staged(main, stage, columns, before + 1, last))

    def drop(self) -> None:
        for stage in self.tables.values():
            stage.drop(self.conn, checkfirst=True)
        self.tables.clear()


def register_mark(conn: sa.Connection | Session) -> tuple[Any, ...]:
    """What the plan read, summed up: it is still valid while this is unchanged (updates bump versions)."""
    mark: list[Any] = []
    for t in (_RESIDENT, _HOUSEHOLD):
        mark += conn.execute(
            select(func.count(), func.max(t.c.id), func.sum(t.c.version), func.max(t.c.updated_at))
        ).one()
    mark += conn.execute(select(func.count(), func.max(_TAG.c.id))).one()
    return tuple(mark)


def _phase(name: str) -> None:
    if phase_hook is not None:
        phase_hook(name)


def write_import(
    ctx: ServiceContext,
    rows: Sequence[ParsedRow],
    ref: Reference,
    tick: Tick,
    source: str,
    finish: Finish,
) -> ImportPlan:
    """Plan and write ``rows`` all or nothing (the module notes); returns the plan that was written."""
    unplaced = [r for r in rows if "community_id" not in r.fields]
    if not ctx.database.is_sqlite:
        with ctx.write() as uow:
            plan = ImportPlan(cast(Session, CopyingSession(uow.session)), _fresh(rows, unplaced), ref, tick)
            audit = BlockPacker()  # every row's change in compressed, chained blocks (issue 16)
            plan.write(uow.actor, source, ctx.today(), uow.clock.utcnow(), audit)
            write_blocks(uow.session, uow.actor, audit.finish(), at=uow.clock.utcnow(), entity="resident")
            finish(uow, plan)
        return plan
    for _attempt in range(ATTEMPTS):
        try:
            return _staged_import(ctx, rows, unplaced, ref, tick, source, finish)
        except RegisterChanged:
            continue
    raise ConflictError(
        "导入期间其他用户一直在修改居民或住户信息，本次导入没有写入任何数据，请稍后（例如下班后）再导入。"
    )


def _fresh(rows: Sequence[ParsedRow], unplaced: Sequence[ParsedRow]) -> list[ParsedRow]:
    """The rows as checked, for a new plan. Planning fills in the community of the rows checked without
    one (``unplaced``): a plan made again first takes that out (copying every row's fields instead doubled
    their memory)."""
    for r in unplaced:
        r.fields.pop("community_id", None)
    return list(rows)


def _staged_import(
    ctx: ServiceContext,
    rows: Sequence[ParsedRow],
    unplaced: Sequence[ParsedRow],
    ref: Reference,
    tick: Tick,
    source: str,
    finish: Finish,
) -> ImportPlan:
    with ctx.database.engine.connect() as conn:
        stager = _Stager(conn)
        cache: Any = None
        try:
            _phase("plan")
            with conn.begin():  # a read snapshot; the staging tables live in the temporary database
                cache = conn.exec_driver_sql("PRAGMA main.cache_size").scalar()
                conn.exec_driver_sql(f"PRAGMA main.cache_size = -{IMPORT_CACHE_KIB}")
                mark = register_mark(conn)
                plan = ImportPlan(cast(Session, stager), _fresh(rows, unplaced), ref, tick)
                _phase("stage")
                # audit: every row's change packed (compressed) as it is made, outside the write lock (issue 16)
                audit = BlockPacker()
                plan.write(ctx.actor, source, ctx.today(), ctx.utcnow(), audit)
                audit_at, audit_blocks = ctx.utcnow(), audit.finish()
            with conn.begin():  # link to the chain's current end now, so the write transaction rarely has to
                _relink(conn, stager, _tail(conn))
            _phase("publish")
            conn.execution_options(**{WRITE_OPTION: True})
            with Session(bind=conn) as session, session.begin():  # SQLite: BEGIN IMMEDIATE
                if register_mark(session) != mark:
                    raise RegisterChanged
                uow = UnitOfWork(session, ctx.actor, ctx.clock, ctx.account)
                _publish(session, stager)
                keep_head_on_commit(session)  # the staged audit records are the chain's new end
                write_blocks(session, ctx.actor, audit_blocks, at=audit_at, entity="resident")  # issue 16
                finish(uow, plan)
            return plan
        finally:
            conn.execution_options(**{WRITE_OPTION: False})
            try:
                with conn.begin():
                    stager.drop()
                    if cache is not None:
                        conn.exec_driver_sql(f"PRAGMA main.cache_size = {int(cache)}")
            except sa.exc.DBAPIError:
                conn.invalidate()  # never hand a connection with staging tables back to the pool


def _tail(conn: sa.Connection | Session) -> str:
    return cast(str | None, conn.scalar(select(_AUDIT.c.hash).order_by(_AUDIT.c.id.desc()).limit(1))) or ""


def _relink(conn: sa.Connection, stager: _Stager, tail: str) -> None:
    """Link the staged audit records after ``tail`` (others wrote since they were linked): hashes only, the
    content was prepared when staging."""
    stage = stager.tables.get(_AUDIT.name)
    if stage is None or tail == stager.linked_to:
        return
    links = [
        (prev, h, rowid)
        for rowid, (prev, h) in enumerate(chain_hashes(holder(conn.dialect), tail, stager.canonical), start=1)
    ]
    conn.exec_driver_sql(f"UPDATE temp.{stage.name} SET prev_hash = ?, hash = ? WHERE rowid = ?", links)
    stager.linked_to = tail


def _publish(session: Session, stager: _Stager) -> None:
    _relink(session.connection(), stager, _tail(session))  # only if someone wrote since the last link
    for op in stager.ops:
        if isinstance(op, _Staged):
            names = ", ".join(f'"{c}"' for c in op.columns)
            session.execute(
                sa.text(
                    f"INSERT INTO main.{op.main.name} ({names}) SELECT {names} FROM temp.{op.stage.name} "
                    f"WHERE rowid BETWEEN {op.first} AND {op.last} ORDER BY rowid"
                )
            )
            continue
        stmt, params = op
        result = cast(sa.CursorResult[Any], session.execute(stmt, params))
        if isinstance(stmt, sa.Update) and isinstance(params, list) and result.rowcount != len(params):
            raise RegisterChanged  # a row's version moved on (the mark should have said so already)
