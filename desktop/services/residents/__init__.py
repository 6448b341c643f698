"""The resident register (实有人口): search, cards, edits, tags, care tiers, status changes, households.

Sensitive values (公民身份号码, 联系电话) leave this package masked (``110105********002X``,
``138****8000``). The full values come only from :func:`reveal_resident`, which needs a reason and
writes an audit record. Audit snapshots store them masked too.

The list is built for 130,000+ residents: :func:`search_resident_ids` returns the ordered ids (one
indexed query), :func:`fetch_resident_rows` the rows of one page of them (the UI caches pages).

Modules: ``common`` (dataclasses, pure helpers), ``search`` (the list), ``register`` (one resident),
``households``, ``config`` (tier colours and intervals, special-group tags: locality data), and the
spreadsheet import/export: ``exchange`` (read, preview, import, export), ``import_rows`` (each row on its
own), ``import_check`` (against the register), ``import_write`` (the writes) and ``import_stage`` (staging them
outside SQLite's write lock, then one short write transaction).
"""

from desktop.services.residents.common import (
    CARE_TIER_SETTING,
    DEFAULT_CARE_TIER_COLOURS,
    SORT_KEYS,
    SPECIAL_GROUP_KIND,
    TIER_ORDER,
    CareTierInfo,
    HouseholdCard,
    HouseholdInput,
    HouseholdMember,
    HouseholdRow,
    ResidentCard,
    ResidentEventRow,
    ResidentFilter,
    ResidentInput,
    ResidentRow,
    RevealedIdentity,
    clean_free_text,
    format_address,
    name_initials,
    phone_tail,
    residence_kind_label,
    status_label,
)
from desktop.services.residents.config import care_tier_info, care_tiers, set_care_tiers, special_groups
from desktop.services.residents.households import get_household, save_household, search_households
from desktop.services.residents.register import (
    change_status,
    get_resident,
    list_events,
    reveal_resident,
    save_resident,
    set_care_tier,
    set_tags,
)
from desktop.services.residents.search import count_residents, fetch_resident_rows, search_resident_ids

__all__ = [
    "CARE_TIER_SETTING",
    "DEFAULT_CARE_TIER_COLOURS",
    "SORT_KEYS",
    "SPECIAL_GROUP_KIND",
    "TIER_ORDER",
    "CareTierInfo",
    "HouseholdCard",
    "HouseholdInput",
    "HouseholdMember",
    "HouseholdRow",
    "ResidentCard",
    "ResidentEventRow",
    "ResidentFilter",
    "ResidentInput",
    "ResidentRow",
    "RevealedIdentity",
    "care_tier_info",
    "care_tiers",
    "change_status",
    "clean_free_text",
    "count_residents",
    "fetch_resident_rows",
    "format_address",
    "get_household",
    "get_resident",
    "list_events",
    "name_initials",
    "phone_tail",
    "residence_kind_label",
    "reveal_resident",
    "save_household",
    "save_resident",
    "search_households",
    "search_resident_ids",
    "set_care_tier",
    "set_care_tiers",
    "set_tags",
    "special_groups",
    "status_label",
]
