"""Settings stored as JSON in the ``setting`` table: one writer, so every change is audited the same way,
and one reader, so a missing or damaged value falls back to the default the same way everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.settings import Setting
from desktop.core.errors import ValidationError
from desktop.services.context import UnitOfWork

T = TypeVar("T")


def load_setting(s: Session, key: str, default: T, parse: Callable[[Any], T] | None = None) -> T:
    """The value stored under ``key``: its JSON decoded and passed through ``parse``, which validates it
    (raising ValueError, TypeError, KeyError or ValidationError to refuse it). ``default`` when the key is
    missing, empty or not JSON, or ``parse`` refuses the value; without ``parse`` any JSON value is taken."""
    raw = s.scalar(select(Setting.value).where(Setting.key == key))
    if not raw:
        return default
    try:
        value = json.loads(raw)
        return value if parse is None else parse(value)
    except (ValueError, TypeError, KeyError, ValidationError):
        return default


def json_object(value: Any) -> dict[str, Any]:
    """``parse`` for settings that are a JSON object: refuses anything else."""
    if not isinstance(value, dict):
        raise TypeError("not a JSON object")
    return value


def store_setting(uow: UnitOfWork, key: str, value: Any, summary: str) -> str:
    """Write ``value`` (as JSON) under ``key`` inside ``uow``'s transaction, with an audit record; returns the text."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = uow.session.get(Setting, key)
    before = None if row is None else {"value": row.value}
    if row is None:
        uow.session.add(Setting(key=key, value=text))
    else:
        row.value = text
    uow.session.flush()
    uow.audit("update", "setting", key, summary=summary, before=before, after={"value": text})
    return text
