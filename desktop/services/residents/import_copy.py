"""Resident import: many rows into one table at DBAPI speed, the column types' conversions kept.

SQLAlchemy Core's ``execute(insert(t), [dict, …])`` prepares every row's parameters one by one (about a
third of an import's writing time at 100,000 residents). Here each column's bind processor is looked up
once — the :class:`~db.crypto.Encrypted` and :class:`~db.crypto.BlindIndex` columns still encrypt and hash,
dates still become SQLite's text — and the rows go to the driver as plain tuples: ``executemany`` on
SQLite, ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3), which is several times faster than an
INSERT per row there.

Columns left out of the rows get the table's server defaults (or NULL), as with a staged
``INSERT … SELECT`` of the same columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

Processor = Callable[[Any], Any] | None


def _processors(dialect: sa.Dialect, table: sa.Table, columns: Sequence[str]) -> list[Processor]:
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def plain_rows(
    dialect: sa.Dialect, table: sa.Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` as tuples in ``columns`` order, each value as the driver is given it."""
    procs = _processors(dialect, table, columns)
    if not any(procs):
        return [tuple([r[c] for c in columns]) for r in rows]
    pairs = list(zip(columns, procs, strict=True))
    # the processors take None themselves (an Encrypted column stays NULL)
    return [tuple([r[c] if p is None else p(r[c]) for c, p in pairs]) for r in rows]


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def bulk_insert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    name: str | None = None,
) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` — or into the table called ``name`` with
    ``table``'s columns (a staging copy) — inside ``conn``'s transaction."""
    if not rows:
        return
    columns = list(rows[0])
    data = plain_rows(conn.dialect, table, columns, rows)
    target = name or table.name
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cur, cur.copy(f'COPY "{target}" ({_quoted(columns)}) FROM STDIN') as copy:
            for row in data:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {target} ({_quoted(columns)}) VALUES ({marks})", data)


class CopyingSession:
    """Stands in for the import's Session on PostgreSQL: a bulk INSERT (a list of rows) goes in with
    :func:`bulk_insert` (COPY), everything else to the Session, in order, in its transaction."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def get_bind(self) -> Any:
        return self.session.get_bind()

    def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.scalar(*args, **kwargs)

    def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.scalars(*args, **kwargs)

    def flush(self) -> None:
        self.session.flush()

    def execute(self, stmt: Any, params: Any = None) -> Any:
        if (
            isinstance(stmt, sa.Insert)
            and isinstance(stmt.table, sa.Table)
            and isinstance(params, list)
            and params
        ):
            self.session.flush()
            bulk_insert(self.session.connection(), stmt.table, params)
            return _Inserted(len(params))
        return self.session.execute(stmt, params)


class _Inserted:
    """What a bulk insert returns to the code that wrote it."""

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount
