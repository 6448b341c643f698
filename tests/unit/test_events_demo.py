"""Events demo data: a year of grid events whose steps, states, limits and numbers are what the services make."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from db.schema.events import EventNumberCounter, EventStep, GridEvent
from desktop.core.identity import Actor
from desktop.domain import events as rules
from desktop.domain.calendar import HolidayCalendar
from desktop.services import demo
from desktop.services import events as ev
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext
from desktop.services.events.config import load_event_dictionary
from desktop.services.judicial.common import load_calendar

MOMENT = dt.datetime.combine(demo.DEMO_DATE, dt.time(9, 0))


@dataclass
class Demo:
    ctx: ServiceContext
    events: list[GridEvent]
    steps: dict[int, list[EventStep]]
    cal: HolidayCalendar
    counters: dict[int, int]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One small demo, its events and steps read back once."""
    opened = open_database(
        tmp_path_factory.mktemp("edemo") / "small.sqlite3", actor=Actor("测试员", "test-pc")
    )
    summary = demo.generate(opened.ctx, "small")
    assert summary.events > 0 and f"网格事件 {summary.events:,} 件" in summary.describe()
    with opened.ctx.read() as s:
        events = list(s.scalars(select(GridEvent).order_by(GridEvent.id)))
        steps: dict[int, list[EventStep]] = collections.defaultdict(list)
        for step in s.scalars(select(EventStep).order_by(EventStep.id)):
            steps[step.event_id].append(step)
        cal = load_calendar(s)
        counters = {c.year: c.last_seq for c in s.scalars(select(EventNumberCounter))}
        s.expunge_all()
    yield Demo(opened.ctx, events, dict(steps), cal, counters)
    opened.ctx.database.dispose()


def test_a_year_of_events_for_the_small_street(made: Demo) -> None:
    n = len(made.events)
    assert 6 * 8 * 12 * 0.9 <= n <= 6 * 8 * 12 * 1.1  # 8 a grid a month, 6 grids
    first = min(e.received_at for e in made.events)
    assert first.date() >= demo.DEMO_DATE - dt.timedelta(days=366)
    assert max(e.received_at for e in made.events) <= MOMENT


def test_steps_follow_the_state_machine(made: Demo) -> None:
    for e in made.events:
        steps = made.steps[e.id]
        assert steps[0].kind == "REPORT" and steps[0].state_after == "REPORTED", e.event_no
        assert steps[0].at == e.received_at
        state = "REPORTED"
        for prev, step in itertools.pairwise(steps):
            assert step.at >= prev.at, e.event_no
            state = rules.next_state(state, step.kind, passed=step.passed is not False)
            assert step.state_after == state, (e.event_no, step.kind)
            if step.kind == "SUPERVISE":  # only a red event is supervised
                assert step.at >= e.deadline or any(
                    x.kind == "EXT_APPROVE" and x.at > step.at for x in steps
                ), e.event_no
        assert e.state == steps[-1].state_after == state
        assert e.step_count == len(steps)
        closing = [x for x in steps if x.kind == "CLOSE"]
        assert e.closed_at == (closing[0].at if closing else None)
        assert (e.state == "CLOSED") == bool(closing)
        rated = [x.rating for x in steps if x.kind == "RATE"]
        assert e.rating == (rated[0] if rated else None)
        if rated:
            assert any(x.kind in ("WHISTLE", "DISPATCH") for x in steps) and e.department
        requests = sum(x.kind == "EXT_REQUEST" for x in steps)
        decisions = sum(x.kind in ("EXT_APPROVE", "EXT_REFUSE") for x in steps)
        assert e.extension_pending == (requests > decisions and e.closed_at is None)


def test_limits_are_the_domains(made: Demo) -> None:
    dic = load_event_dictionary_of(made)
    for e in made.events:
        resolved = dic.resolve(e.category, e.subcategory, e.urgency)
        assert (e.limit_amount, e.limit_unit) == (resolved.limit.amount, resolved.limit.unit), e.event_no
        end = rules.deadline(e.received_at, resolved.limit, made.cal)
        granted = 0
        for step in made.steps[e.id]:
            if step.kind == "EXT_APPROVE":
                assert step.extension_days
                end = rules.extended_deadline(end, step.extension_days, made.cal)
                assert step.new_deadline == end
                granted += step.extension_days
        assert e.deadline == end, e.event_no
        assert e.extended_days == granted


def load_event_dictionary_of(made: Demo) -> ev.EventDictionary:
    with made.ctx.read() as s:
        return load_event_dictionary(s)


def test_a_realistic_mix(made: Demo) -> None:
    events = made.events
    sources = collections.Counter(e.source for e in events)
    assert len(sources) >= 6 and sources.most_common(1)[0][0] == "网格员巡查"
    urgency = collections.Counter(e.urgency for e in events)
    assert urgency["NORMAL"] > 5 * urgency["URGENT"] > 0
    assert len({e.category for e in events}) >= 8 and len({e.subcategory for e in events}) >= 20
    kinds = collections.Counter(s.kind for steps in made.steps.values() for s in steps)
    for kind in ("HANDLE", "WHISTLE", "DISPATCH", "ARRIVE", "EXT_REQUEST", "EXT_APPROVE", "VISIT", "RATE"):
        assert kinds[kind] > 0, kind
    whistles = [s for steps in made.steps.values() for s in steps if s.kind == "WHISTLE"]
    assert {s.whistle_kind for s in whistles} == {"PROGRESS", "TOUGH"}
    assert len(whistles) < 0.25 * len(events)
    dic = load_event_dictionary_of(made)
    for e in events:  # a whistle calls the category's department
        for s in made.steps[e.id]:
            if s.kind == "WHISTLE":
                assert s.department == dic.resolve(e.category, e.subcategory, e.urgency).department
    ratings = collections.Counter(e.rating for e in events if e.rating)
    assert ratings.most_common(1)[0][0] == "SATISFIED"
    late_closed = [e for e in events if e.closed_at and e.closed_at > e.deadline]
    assert late_closed and len(late_closed) < 0.2 * len(events)
    assert all(len({x.description for x in events if x.subcategory == sub}) >= 2 for sub in ("垃圾堆放",))


def test_lights_at_the_demos_moment(made: Demo) -> None:
    listed = ev.list_events(made.ctx, as_of=MOMENT)
    ids = {e.id for e in made.events}  # (another test adds an event after the demo)
    assert {r.id for r in listed.rows} >= ids
    rows = [r for r in listed.rows if r.id in ids]
    lights = collections.Counter(r.light for r in rows)
    assert lights["red"] and lights["yellow"] and lights["green"], lights
    assert listed.lights.get("red") == lights["red"]
    closed = sum(r.closed_at is not None for r in rows)
    assert closed > 0.85 * len(rows)  # older ones mostly closed
    recent = [r for r in rows if r.received_at >= MOMENT - dt.timedelta(days=2)]
    assert recent and any(r.closed_at is None for r in recent)
    red = [e for e in made.events if e.closed_at is None and e.deadline <= MOMENT]
    assert any(any(s.kind == "SUPERVISE" for s in made.steps[e.id]) for e in red)


def test_numbers_and_the_counter(made: Demo, tmp_path: Path) -> None:
    by_year: dict[int, list[int]] = collections.defaultdict(list)
    for e in sorted(made.events, key=lambda x: (x.received_at, x.id)):
        parsed = ev.parse_event_no(e.event_no)
        assert parsed and parsed[0] == e.received_at.year
        by_year[parsed[0]].append(parsed[1])
    for year, seqs in by_year.items():
        assert seqs == list(range(1, len(seqs) + 1))  # in order of receipt, none skipped
        assert made.counters[year] == len(seqs)
    grid = made.events[-1].grid_id
    new_id = ev.create_event(
        made.ctx,
        ev.EventInput(
            source="居民反映",
            received_at=dt.datetime(2026, 11, 23, 9, 30),
            grid_id=grid,
            place="测试地点",
            category="环境卫生",
            description="测试事件",
        ),
    )
    with made.ctx.read() as s:
        new = s.get(GridEvent, new_id)
        assert new is not None
        assert new.event_no == ev.format_event_no(2026, len(by_year[2026]) + 1)


def test_the_same_seed_gives_the_same_events(made: Demo, tmp_path: Path) -> None:
    again = open_database(tmp_path / "again.sqlite3", actor=Actor("测试员", "test-pc"))
    demo.generate(again.ctx, "small")
    with again.ctx.read() as s:
        rows = [
            (e.event_no, e.received_at, e.place, e.description, e.state, e.deadline, e.step_count)
            for e in s.scalars(select(GridEvent).order_by(GridEvent.id))
        ]
    again.ctx.database.dispose()
    assert rows == [
        (e.event_no, e.received_at, e.place, e.description, e.state, e.deadline, e.step_count)
        for e in made.events
    ]
