"""The visiting frequencies: per care tier (``visits.tier_frequencies``) and per special group
(``visits.group_frequencies``), each a JSON object of frequency codes (DAY/WEEK/HALF_MONTH/MONTH); the
defaults of ``desktop.domain.visits`` apply while unset or for a code left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.core.errors import ValidationError
from desktop.domain import visits as rules
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext
from desktop.services.residents import care_tiers, special_groups
from desktop.services.settings import json_object, load_setting, store_setting

TIER_KEY = "visits.tier_frequencies"
GROUP_KEY = "visits.group_frequencies"


@dataclass(frozen=True)
class Frequencies:
    tiers: dict[str, str]  # GREEN → MONTH …
    groups: dict[str, str]  # 社区矫正对象 → MONTH … (groups without a minimum are absent)

    def for_resident(self, tier: str, groups: tuple[str, ...] | list[str]) -> str:
        return rules.resident_frequency(tier, groups, self.tiers, self.groups)


def _codes(value: Any) -> dict[str, str]:
    obj = json_object(value)
    return {str(k): str(v) for k, v in obj.items() if v in rules.FREQUENCIES}


def load_frequencies(s: Session) -> Frequencies:
    empty: dict[str, str] = {}
    tiers = dict(rules.DEFAULT_TIER_FREQUENCIES) | load_setting(s, TIER_KEY, empty, _codes)
    groups = load_setting(s, GROUP_KEY, dict(rules.DEFAULT_GROUP_FREQUENCIES), _codes)
    return Frequencies(tiers, groups)


def frequencies(ctx: ServiceContext) -> Frequencies:
    with ctx.read() as s:
        return load_frequencies(s)


def _check(value: str, what: str, field_name: str) -> str:
    code = clean_text(value).upper()
    by_label = {label: c for c, label in rules.FREQUENCY_LABELS.items()}
    code = by_label.get(clean_text(value), code)
    if code not in rules.FREQUENCIES:
        raise ValidationError(
            f"{what}的走访频次“{value}”无效（可选：{'、'.join(rules.FREQUENCY_LABELS.values())}）。",
            field=field_name,
        )
    return code


def save_frequencies(ctx: ServiceContext, tiers: dict[str, str], groups: dict[str, str | None]) -> None:
    """Save both settings in one audited change. ``groups``: a group → frequency, or None for no minimum."""
    labels = {t.code: t.label for t in care_tiers(ctx)}
    tier_value: dict[str, str] = {}
    for code, freq in tiers.items():
        if code not in labels:
            raise ValidationError(f"分色等级“{code}”无效。", field="tiers")
        tier_value[code] = _check(freq, labels[code], "tiers")
    missing = [labels[c] for c in labels if c not in tier_value]
    if missing:
        raise ValidationError(f"请为{'、'.join(missing)}设置走访频次。", field="tiers")
    known = set(special_groups(ctx))
    group_value: dict[str, str] = {}
    for group, minimum in groups.items():
        if group not in known:
            raise ValidationError(f"“{group}”不在特殊人群标签字典中。", field="groups")
        if minimum:
            group_value[group] = _check(minimum, group, "groups")
    with ctx.write() as uow:
        store_setting(uow, TIER_KEY, tier_value, "分色走访频次设置")
        store_setting(uow, GROUP_KEY, group_value, "特殊人群走访频次设置")
