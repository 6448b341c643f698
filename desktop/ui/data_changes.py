"""What a write changed, told to every page (the idea of Anki's ``OpChanges``).

A page that changed data emits ``Page.changed`` with a :class:`DataChanges`; the main window routes it to
every other page, and each page decides from the areas it depends on whether it must refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class DataChanges:
    """One flag per area of data; a write sets the flags of what it touched."""

    structure: bool = False  # the street and its communities
    grids: bool = False  # grids and their staff (1+1+N)
    residents: bool = False  # residents, households, tags, care tiers given to residents
    party: bool = False  # Party organisations, members, dues, meetings
    mediation: bool = False  # mediation cases and everything filed in them
    judicial: bool = False  # judicial confirmation tracks and court referrals
    events: bool = False  # grid events (网格事件): intake, the loop's steps, attachments
    visits: bool = False  # 分色走访 records (a visit that raises an event also sets ``events``)
    settings: bool = False  # locality settings: tiers, rules, committee, holiday calendar
    backup: bool = False  # a backup was made (every import backs up first): the status bar's 最近备份
    accounts: bool = False  # accounts and roles: the signed-in account's own may have changed

    @classmethod
    def areas(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, *areas: str) -> DataChanges:
        """``DataChanges.of("grids", "structure")``; an unknown area name is a bug and raises."""
        return replace(cls(), **dict.fromkeys(areas, True))

    @classmethod
    def everything(cls) -> DataChanges:
        return cls.of(*cls.areas())

    def changed_areas(self) -> frozenset[str]:
        return frozenset(name for name in self.areas() if getattr(self, name))

    def touches(self, areas: Iterable[str]) -> bool:
        """Whether any of ``areas`` changed."""
        return not self.changed_areas().isdisjoint(areas)

    def __or__(self, other: DataChanges) -> DataChanges:
        return DataChanges.of(*(self.changed_areas() | other.changed_areas()))

    def __bool__(self) -> bool:
        return bool(self.changed_areas())
