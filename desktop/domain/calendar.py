"""The holiday calendar (节假日安排): which days are working days.

Saturdays and Sundays are rest days, statutory holidays (《全国年节及纪念日放假办法》) are rest days, and the
weekend days the State Council's yearly notice makes working days (调休上班) are working days. The data
(one row per 放假/上班 day, kept in 设置 → 节假日) is loaded by the services; the rules here are pure, so the
司法确认 periods and the 网格事件 time limits count days the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HolidayCalendar:
    """放假 and 调休上班 days; ``years`` have data, ``provisional`` ones are still to be checked."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()
    provisional: frozenset[int] = frozenset()
    names: dict[dt.date, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls,
        days: Iterable[tuple[dt.date, str, str, int, bool]],
    ) -> HolidayCalendar:
        """From (day, kind HOLIDAY|WORKDAY, name, year, provisional) rows."""
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        years: set[int] = set()
        provisional: set[int] = set()
        names: dict[dt.date, str] = {}
        for day, kind, name, year, prov in days:
            (workdays if kind == "WORKDAY" else holidays).add(day)
            years.add(year)
            if prov:
                provisional.add(year)
            names[day] = name
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years), frozenset(provisional), names)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def is_checked(self, day: dt.date) -> bool:
        """True when the holiday data of ``day``'s year is present and official."""
        return day.year in self.years and day.year not in self.provisional

    def day_name(self, day: dt.date) -> str:
        if day in self.names:
            return self.names[day]
        return "周六" if day.weekday() == 5 else "周日" if day.weekday() == 6 else ""
