"""A hook that records how long each write transaction (SQLite: ``BEGIN IMMEDIATE`` … commit/rollback,
the time SQLite's write lock is held) lasts on an engine."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from db.engine import WRITE_OPTION


class WriteLockTimer:
    def __init__(self, engine: sa.Engine) -> None:
        self.holds: list[float] = []
        self._started: dict[int, float] = {}
        event.listen(engine, "begin", self._begin)  # after db.engine's listener has taken the lock
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, conn: sa.Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION, False):
            self._started[id(conn)] = time.perf_counter()

    def _end(self, conn: sa.Connection, *_: Any) -> None:
        started = self._started.pop(id(conn), None)
        if started is not None:
            self.holds.append(time.perf_counter() - started)

    @property
    def longest(self) -> float:
        return max(self.holds, default=0.0)
