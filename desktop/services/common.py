"""Helpers every service area uses on its records: fetch one by id, check the version the user edited."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from desktop.core.errors import ConflictError, NotFoundError

T = TypeVar("T")


def get_or_raise(s: Session, model: type[T], ident: int, label: str) -> T:
    """The ``model`` row ``ident``, or a NotFoundError naming it as ``label`` (党组织, 居民, …)."""
    obj = s.get(model, ident)
    if obj is None:
        raise NotFoundError(f"{label}（编号 {ident}）不存在，可能已被其他用户修改。")
    return obj


def check_version(current: int, loaded: int | None, what: str = "记录") -> None:
    """Optimistic locking: refuse a change made to version ``loaded`` when the row is at ``current``."""
    if loaded is not None and loaded != current:
        raise ConflictError(f"{what}已被其他用户修改，请重新打开后再编辑。您的修改尚未保存。")
