"""The one clock of the application.

Nothing else in ``desktop/`` reads the system clock: services ask the service context (``ctx.today()``,
``ctx.now()``), the UI asks the context its page holds, and every rule that depends on the date takes it as
a value. Tests hand the context a :class:`FixedClock`, so the suite gives the same answers on any date.

``SHEQU_TODAY=YYYY-MM-DD`` (or ``YYYY-MM-DDTHH:MM``) pins the clock of a running program, for demonstrations,
screenshots and comparing outputs across versions; it is never needed in normal use.
"""

from __future__ import annotations

import datetime as dt
import os

from desktop.core.errors import ValidationError

__all__ = ["Clock", "FixedClock", "SystemClock", "clock_from_environment"]


class Clock:
    """Local wall-clock time (naive, the PC's time zone) and UTC for stored timestamps."""

    def now(self) -> dt.datetime:
        raise NotImplementedError

    def utcnow(self) -> dt.datetime:
        """Naive UTC, the form timestamps are stored in."""
        raise NotImplementedError

    def today(self) -> dt.date:
        return self.now().date()


class SystemClock(Clock):
    def now(self) -> dt.datetime:
        return dt.datetime.now()

    def utcnow(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class FixedClock(Clock):
    """A clock that stands still at ``at`` (local time) until moved with :meth:`set` or :meth:`advance`."""

    def __init__(self, at: dt.datetime | dt.date, utc_offset: dt.timedelta = dt.timedelta(hours=8)) -> None:
        self._utc_offset = utc_offset
        self._at = self._as_datetime(at)

    @staticmethod
    def _as_datetime(at: dt.datetime | dt.date) -> dt.datetime:
        if isinstance(at, dt.datetime):
            return at.replace(tzinfo=None)
        return dt.datetime(at.year, at.month, at.day, 9, 0)

    def set(self, at: dt.datetime | dt.date) -> None:
        self._at = self._as_datetime(at)

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta

    def now(self) -> dt.datetime:
        return self._at

    def utcnow(self) -> dt.datetime:
        return self._at - self._utc_offset

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()})"


def clock_from_environment() -> Clock:
    """The system clock, or a fixed one when ``SHEQU_TODAY`` names a date."""
    pinned = os.environ.get("SHEQU_TODAY", "").strip()
    if not pinned:
        return SystemClock()
    try:
        at = dt.datetime.fromisoformat(pinned)
    except ValueError as exc:
        raise ValidationError(f"环境变量 SHEQU_TODAY 的值“{pinned}”不是日期（应为 YYYY-MM-DD）。") from exc
    # a bare date stands at 09:00, an office hour, not at midnight (a 调解记录 dated 00:00 reads wrong)
    return FixedClock(at if "T" in pinned or " " in pinned else at.date())
