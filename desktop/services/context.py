"""The service context: which database, who is acting, and the one-transaction unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.engine import Database
from desktop.core.errors import ConflictError
from desktop.core.identity import Actor, current_actor
from desktop.services import audit


@dataclass
class UnitOfWork:
    """A session inside one transaction, plus the audit trail for what it changes."""

    session: Session
    actor: Actor

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: object | None = None,
        *,
        summary: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        audit.record(
            self.session, self.actor, action, entity, entity_id, summary=summary, before=before, after=after
        )


class ServiceContext:
    """Handed to every service function: ``ctx.read()`` for queries, ``ctx.write()`` for changes."""

    def __init__(self, database: Database, actor: Actor | None = None) -> None:
        self.database = database
        self.actor = actor or current_actor()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.database.session() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One transaction: everything in the block commits together or not at all."""
        try:
            with self.database.session(write=True) as session:
                yield UnitOfWork(session, self.actor)
        except StaleDataError as exc:
            raise ConflictError("记录已被其他用户修改，请重新打开后再编辑。您的修改尚未保存。") from exc
