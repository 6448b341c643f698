"""The service context: which database, who is acting, and the one-transaction unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.engine import Database
from desktop.core.clock import Clock, clock_from_environment
from desktop.core.errors import ConflictError, PermissionDenied
from desktop.core.identity import Actor, SignedIn, current_actor, host_name
from desktop.domain.accounts import SETTINGS, permission_label, write_permission
from desktop.services import audit


@dataclass
class UnitOfWork:
    """A session inside one transaction, plus the audit trail for what it changes."""

    session: Session
    actor: Actor
    clock: Clock
    account: SignedIn | None = None

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
        needed = write_permission(action, entity, entity_id) if self.account is not None else None
        settings = (
            entity in ("setting", "dictionary_entry")
            and self.account is not None
            and self.account.can(SETTINGS)
        )
        if needed is not None and self.account is not None and not self.account.can(needed) and not settings:
            # every change is audited, so every change passes here: the role's permission is checked for
            # the table it touches, and the transaction rolls back
            raise PermissionDenied(
                f"没有权限：{permission_label(needed)}（账号 {self.account.login}，角色 {self.account.role}）"
            )
        audit.record(
            self.session,
            self.actor,
            action,
            entity,
            entity_id,
            summary=summary,
            before=before,
            after=after,
            at=self.clock.utcnow(),
        )


class ServiceContext:
    """Handed to every service function: ``ctx.read()`` for queries, ``ctx.write()`` for changes,
    ``ctx.today()``/``ctx.now()`` for the date and time (the application's one clock)."""

    def __init__(
        self,
        database: Database,
        actor: Actor | None = None,
        clock: Clock | None = None,
        account: SignedIn | None = None,
    ) -> None:
        self.database = database
        self.actor = actor or current_actor()
        self.clock = clock or clock_from_environment()
        #: the signed-in account; None before sign-in or on a database without accounts (see services.access)
        self.account = account
        #: set by services.access once the database is seen to have accounts (they are never deleted)
        self.accounts_seen = False

    def today(self) -> dt.date:
        return self.clock.today()

    def now(self) -> dt.datetime:
        """Local time, to the minute a person would write down."""
        return self.clock.now()

    def utcnow(self) -> dt.datetime:
        """Naive UTC, as timestamps are stored."""
        return self.clock.utcnow()

    def with_actor(self, actor: Actor) -> ServiceContext:
        """The same database and clock, another person acting (a second PC in tests, a login)."""
        return ServiceContext(self.database, actor, self.clock, self.account)

    def signed_in(self, account: SignedIn | None) -> ServiceContext:
        """The same database and clock, acting as ``account`` (its login name in the audit, this PC's name);
        None signs out."""
        actor = Actor(account.login, host_name()) if account is not None else self.actor
        ctx = ServiceContext(self.database, actor, self.clock, account)
        ctx.accounts_seen = self.accounts_seen
        return ctx

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.database.session() as session:
            session.info["account"] = self.account  # for the scope checks deep in the areas (services.access)
            yield session

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One transaction: everything in the block commits together or not at all."""
        try:
            with self.database.session(write=True) as session:
                session.info["account"] = self.account
                yield UnitOfWork(session, self.actor, self.clock, self.account)
        except StaleDataError as exc:
            raise ConflictError("记录已被其他用户修改，请重新打开后再编辑。您的修改尚未保存。") from exc
