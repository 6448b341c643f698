"""Locality data for the register: care-tier labels/colours/visit intervals and the special-group tags."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from db.schema.settings import DictionaryEntry
from desktop.core.errors import ValidationError
from desktop.domain.text import clean_text
from desktop.services import dictionaries
from desktop.services.context import ServiceContext
from desktop.services.residents.common import (
    CARE_TIER_SETTING,
    DEFAULT_CARE_TIER_COLOURS,
    SPECIAL_GROUP_KIND,
    TIER_ORDER,
    CareTierInfo,
)
from desktop.services.settings import json_object, load_setting, store_setting

# ---------------------------------------------------------------- configuration (locality data)


def care_tiers(ctx: ServiceContext) -> list[CareTierInfo]:
    """分色等级: labels, colours and visit intervals — the setting ``care_tier``, else the defaults."""
    with ctx.read() as s:
        stored: dict[str, Any] = load_setting(s, CARE_TIER_SETTING, {}, json_object)
    tiers = []
    for code in TIER_ORDER:
        found = stored.get(code)
        item: dict[str, Any] = found if isinstance(found, dict) else {}
        tiers.append(
            CareTierInfo(
                code,
                str(item.get("label") or dictionaries.CARE_TIER_LABELS[code]),
                str(item.get("colour") or DEFAULT_CARE_TIER_COLOURS[code]),
                int(item.get("visit_days") or dictionaries.CARE_TIER_VISIT_DAYS[code]),
            )
        )
    return tiers


def care_tier_info(ctx: ServiceContext, code: str) -> CareTierInfo:
    tiers = care_tiers(ctx)
    return next((t for t in tiers if t.code == code), tiers[0])


def set_care_tiers(ctx: ServiceContext, tiers: Iterable[CareTierInfo]) -> None:
    """Save the locality's tier labels, colours and visit intervals (one audited change)."""
    value: dict[str, dict[str, Any]] = {}
    for t in tiers:
        if t.code not in TIER_ORDER:
            raise ValidationError(f"分色等级“{t.code}”无效。", field="code")
        label = clean_text(t.label)
        if not label:
            raise ValidationError("等级名称不能为空。", field="label")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", t.colour or ""):
            raise ValidationError(f"“{label}”的颜色应为 #RRGGBB 形式。", field="colour")
        if not isinstance(t.visit_days, int) or not 1 <= t.visit_days <= 366:
            raise ValidationError(f"“{label}”的走访间隔应为 1–366 天。", field="visit_days")
        value[t.code] = {"label": label, "colour": t.colour.lower(), "visit_days": t.visit_days}
    missing = [c for c in TIER_ORDER if c not in value]
    if missing:
        raise ValidationError(f"缺少分色等级：{'、'.join(missing)}。")
    with ctx.write() as uow:
        store_setting(uow, CARE_TIER_SETTING, value, "分色等级设置")


def special_groups(ctx: ServiceContext) -> list[str]:
    """特殊人群 labels: the SPECIAL_GROUP dictionary when it has entries, else the defaults."""
    with ctx.read() as s:
        labels = list(
            s.scalars(
                select(DictionaryEntry.label)
                .where(DictionaryEntry.kind == SPECIAL_GROUP_KIND, DictionaryEntry.active.is_(True))
                .order_by(DictionaryEntry.sort_key, DictionaryEntry.id)
            )
        )
    return labels or list(dictionaries.SPECIAL_GROUPS)
