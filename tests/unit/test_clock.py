"""The one clock: fixed clocks for tests and SHEQU_TODAY, the system clock otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core import clock as clock_module
from desktop.core.clock import FixedClock, SystemClock, clock_from_environment
from desktop.core.errors import ValidationError


def test_a_fixed_clock_stands_still_until_moved() -> None:
    c = FixedClock(dt.date(2028, 2, 29))
    assert (c.today(), c.now()) == (dt.date(2028, 2, 29), dt.datetime(2028, 2, 29, 9, 0))
    assert c.utcnow() == dt.datetime(2028, 2, 29, 1, 0)  # UTC+8
    c.advance(dt.timedelta(hours=15))
    assert c.today() == dt.date(2028, 3, 1)
    c.set(dt.datetime(2026, 12, 31, 23, 59))
    assert c.today() == dt.date(2026, 12, 31)


def test_shequ_today_pins_the_program_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_TODAY", "2027-10-04")
    pinned = clock_from_environment()
    assert isinstance(pinned, FixedClock) and pinned.now() == dt.datetime(2027, 10, 4, 9, 0)
    monkeypatch.setenv("SHEQU_TODAY", "2027-10-04T16:30")
    assert clock_from_environment().now() == dt.datetime(2027, 10, 4, 16, 30)
    monkeypatch.setenv("SHEQU_TODAY", "明天")
    with pytest.raises(ValidationError, match="SHEQU_TODAY"):
        clock_from_environment()
    monkeypatch.delenv("SHEQU_TODAY")
    assert isinstance(clock_from_environment(), SystemClock)


def test_the_system_clock_agrees_with_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """SystemClock reads datetime.now (replaced here by a stand-in, so no test reads the real clock)."""

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            base = cls(2027, 1, 4, 8, 30)
            return base if tz is None else (base - dt.timedelta(hours=8)).replace(tzinfo=tz)

    monkeypatch.setattr(clock_module.dt, "datetime", Frozen)
    c = SystemClock()
    assert (c.today(), c.now(), c.utcnow()) == (
        dt.date(2027, 1, 4),
        dt.datetime(2027, 1, 4, 8, 30),
        dt.datetime(2027, 1, 4, 0, 30),
    )
