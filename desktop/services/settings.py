"""Settings stored as JSON in the ``setting`` table: one writer, so every change is audited the same way."""

from __future__ import annotations

import json
from typing import Any

from db.schema.settings import Setting
from desktop.services.context import UnitOfWork


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
