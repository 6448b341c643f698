"""The street-wide 今日应走访 and visit rate (grouped reads, period keys) against the rules applied one resident
at a time (``rules.spans`` + ``rules.due_state`` / ``rules.month_count`` over all of a resident's visits), on a
seeded random register: tier changes (also before registration and after today), residents registered today,
after the look-back start, leavers, special groups stricter than the tier, visits before
registration."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any, cast

import pytest
import sqlalchemy as sa

from db.schema.people import Resident, ResidentEvent, ResidentTag
from db.schema.structure import Grid
from db.schema.visits import Visit, VisitMember
from desktop.domain import visits as rules
from desktop.services import visits as vs
from tests.conftest import NOW, TODAY

TIERS = ("GREEN", "BLUE", "ORANGE", "RED")
GROUPS = ("社区矫正对象", "刑满释放人员", "吸毒人员")


def _t(model: Any) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _fill(ctx: Any, seed: int) -> dict[int, dict[str, Any]]:
    rng = random.Random(seed)
    with ctx.read() as s:
        grids = [*s.scalars(sa.select(Grid.id)), None]
    people, tags, changes, visits, members = [], [], [], [], []
    register: dict[int, dict[str, Any]] = {}
    for rid in range(1, 241):
        created = TODAY - dt.timedelta(days=rng.choice([rng.randrange(400), rng.randrange(60), 0]))
        active = rng.random() < 0.85
        changed_on = None if active else TODAY - dt.timedelta(days=rng.randrange(1, 120))
        who = {
            "grid": rng.choice(grids), "tier": rng.choice(TIERS), "created": created,
            "status": "ACTIVE" if active else rng.choice(["LEFT", "MOVED"]), "until": changed_on,
            "groups": [rng.choice(GROUPS)] if rng.random() < 0.15 else [], "changes": [], "visits": [],
        }  # fmt: skip
        register[rid] = who
        people.append(
            {"id": rid, "name": f"居民{rid}", "community_id": 1, "grid_id": who["grid"], "care_tier": who["tier"],
             "residence_kind": "REGISTERED", "status": who["status"], "status_changed_on": changed_on,
             "created_at": dt.datetime.combine(created, dt.time(9, 30)), "updated_at": NOW, "version": 1}
        )  # fmt: skip
        tags += [{"resident_id": rid, "tag": g} for g in who["groups"]]
        if rng.random() < 0.3:
            for _ in range(rng.randrange(1, 3)):
                on = created + dt.timedelta(days=rng.randrange(-30, max(1, (TODAY - created).days + 4)))
                frm, to = rng.choice(TIERS), rng.choice(TIERS)
                who["changes"].append((on, len(changes), to, frm))
                changes.append(
                    {"resident_id": rid, "kind": "CARE_TIER", "on_date": on, "from_value": frm, "to_value": to,
                     "user": "test", "recorded_at": NOW}
                )  # fmt: skip
        for _ in range(rng.choice([0, rng.randrange(12), rng.randrange(80)])):
            day = TODAY - dt.timedelta(days=rng.randrange(200))
            who["visits"].append(day)
            vid = len(visits) + 1
            visits.append({"id": vid, "visited_on": day, "visitor": "网格员", "way": "HOME", "findings": "正常",
                           "grid_id": who["grid"], "recorded_by": "test", "recorded_at": NOW})  # fmt: skip
            members.append({"visit_id": vid, "resident_id": rid, "visited_on": day})
    with ctx.write() as uow:
        for model, rows in ((Resident, people), (ResidentTag, tags), (ResidentEvent, changes),
                            (Visit, visits), (VisitMember, members)):  # fmt: skip
            if rows:
                uow.session.execute(sa.insert(_t(model)), rows)
    return register


def _spans(freqs: vs.Frequencies, who: dict[str, Any]) -> list[rules.TierSpan]:
    freq_of = {t: freqs.for_resident(t, who["groups"]) for t in TIERS}
    ordered = sorted(who["changes"])
    initial = (ordered[0][3] or ordered[0][2]) if ordered else who["tier"]
    return rules.spans(who["created"], initial, [(on, to) for on, _, to, _ in ordered], freq_of)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_due_list_and_rates_match_the_rules_one_resident_at_a_time(street_ctx, seed) -> None:
    ctx = street_ctx
    vs.save_frequencies(
        ctx,
        {"GREEN": "MONTH", "BLUE": "HALF_MONTH", "ORANGE": "WEEK", "RED": "DAY"},
        {"社区矫正对象": "WEEK", "吸毒人员": "HALF_MONTH"},
    )
    register = _fill(ctx, seed)
    freqs = vs.frequencies(ctx)
    for today in (TODAY, TODAY - dt.timedelta(days=17), dt.date(2026, 10, 1)):
        got = vs.due_list(ctx, today, include_done=True)
        since = today - dt.timedelta(days=vs.LOOKBACK_DAYS)
        active = {rid: who for rid, who in register.items() if who["status"] == "ACTIVE"}
        assert {r.resident_id for r in got.rows} == set(active)
        done = 0
        for row in got.rows:
            who = active[row.resident_id]
            if who["created"] > today:  # registered after the (past) day asked: the old paths differ there
                continue
            seen = [d for d in who["visits"] if d <= today]  # as it stood on the day asked
            state = rules.due_state(_spans(freqs, who), seen, today, since)
            last = max(seen, default=None)
            expected = (state.freq, state.period.start, state.period.end, state.done, last, state.missed)
            assert (row.frequency, row.period_start, row.period_end, row.done, row.last_visit_on,
                    row.missed_periods) == expected, (today, row.resident_id, who)  # fmt: skip
            done += state.done
        assert (got.residents, got.done) == (len(active), sum(r.done for r in got.rows))
        assert done > 0
        due_only = vs.due_list(ctx, today)
        assert [r.resident_id for r in due_only.rows] == [
            r.resident_id for r in got.rows if not r.done or r.missed_periods
        ]
    months = [(2026, 11), (2026, 10), (2026, 9), (2026, 6)]
    together = vs.month_rates(ctx, months)  # one read for several months (a quarter's ranking)
    assert together == [vs.visit_rates(ctx, y, m) for y, m in months]
    for year, month in months:
        bounds = rules.month_bounds(year, month)
        as_of = min(bounds.end, TODAY - dt.timedelta(days=1))
        expected_rates: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
        for who in register.values():
            if (who["status"] != "ACTIVE" and who["until"] < bounds.start) or who["created"] > as_of:
                continue
            c = rules.month_count(_spans(freqs, who), who["visits"], year, month, as_of, who["until"])
            expected_rates[who["grid"]][0] += c.due
            expected_rates[who["grid"]][1] += c.done
        rates = vs.visit_rates(ctx, year, month)
        assert {r.grid_id: [r.due, r.done] for r in rates} == dict(expected_rates), (year, month)
        assert sum(r.due for r in rates) > 0
