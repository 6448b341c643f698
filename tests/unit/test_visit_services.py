"""分色走访 services: recording visits (household with members seen, one resident, an event raised in the
same step), refusals that write nothing, 今日应走访 per grid and worker, and the visit rate per grid."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.events import GridEvent
from db.schema.visits import Visit, VisitMember
from desktop.core.errors import ValidationError
from desktop.domain.identity import mask_id_number
from desktop.services import events as ev
from desktop.services import residents as rs
from desktop.services import visits as vs
from tests.unit.visit_street import VisitStreet, build

D = dt.date


@pytest.fixture
def street(street_ctx) -> VisitStreet:
    return build(street_ctx)


def _count(ctx, model) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def visit(st: VisitStreet, day: D, *names: str, household: bool = False, way: str = "入户") -> int:
    return vs.record_visit(
        st.ctx,
        vs.VisitInput(
            day, "李晓梅", way, "了解近况，身体尚可。", st.household if household else None,
            [st.ids[n] for n in names],
        ),
    )  # fmt: skip


def test_household_visit_with_the_members_seen(street) -> None:
    vid = visit(street, D(2026, 11, 20), "张桂兰", "刘晓燕", household=True)
    with street.ctx.read() as s:
        v = s.get(Visit, vid)
        assert v is not None
        assert (v.household_id, v.grid_id, v.way, v.visitor) == (
            street.household, street.grids["GC-01-001"], "HOME", "李晓梅",
        )  # fmt: skip
        assert sorted(m.resident_id for m in v.members) == sorted(
            [street.ids["张桂兰"], street.ids["刘晓燕"]]
        )
        assert {m.visited_on for m in v.members} == {D(2026, 11, 20)}
        audit = s.scalars(select(AuditRecord).where(AuditRecord.entity == "visit")).one()
        assert "张桂兰" in audit.summary and "入户" in audit.summary
    rows = vs.visits_of(street.ctx, street.ids["刘晓燕"])
    assert [(r.visited_on, r.way_label, r.names) for r in rows] == [
        (D(2026, 11, 20), "入户", ("张桂兰", "刘晓燕"))
    ]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"visited_on": D(2026, 11, 24)}, "visited_on", "不能晚于今天"),
        ({"visitor": " "}, "visitor", "走访人"),
        ({"way": "微信打卡"}, "way", "走访方式"),
        ({"findings": ""}, "findings", "情况记录"),
        ({"resident_ids": []}, "resident_ids", "勾选"),
        ({"resident_ids": ["马东"]}, "resident_ids", "不是该户成员"),
    ],
)
def test_bad_visits_are_refused_and_nothing_is_written(street, change, field, words) -> None:
    data = vs.VisitInput(
        D(2026, 11, 20), "李晓梅", "入户", "情况正常。", street.household, [street.ids["张建军"]]
    )
    for k, value in change.items():
        setattr(data, k, [street.ids[n] for n in value] if k == "resident_ids" else value)
    with pytest.raises(ValidationError) as exc:
        vs.record_visit(street.ctx, data)
    assert exc.value.field == field and words in exc.value.message
    assert _count(street.ctx, Visit) == 0 and _count(street.ctx, VisitMember) == 0


def test_a_resident_who_left_cannot_be_visited(street) -> None:
    rs.change_status(street.ctx, street.ids["周明"], "MOVED", D(2026, 11, 1), "迁往外市")
    with pytest.raises(ValidationError, match="已不在册"):
        visit(street, D(2026, 11, 20), "周明")


def test_a_visit_raises_an_event_in_one_step(street) -> None:
    g = street.grids["GC-01-001"]
    event = ev.EventInput(
        source="网格员巡查", received_at=dt.datetime(2026, 11, 23, 9, 30), grid_id=g, place="新华小区3号楼",
        category="民生服务", subcategory="养老服务", description="独居老人家中燃气灶老化，需更换。",
    )  # fmt: skip
    vid = vs.record_visit(
        street.ctx,
        vs.VisitInput(D(2026, 11, 23), "李晓梅", "入户", "燃气灶老化。", None, [street.ids["马东"]]),
        event,
    )
    with street.ctx.read() as s:
        v = s.get(Visit, vid)
        assert v is not None and v.event_id is not None
        e = s.get(GridEvent, v.event_id)
        assert e is not None
        assert (e.resident_id, e.state, e.category) == (street.ids["马东"], "ACCEPTED", "民生服务")
    # a refused event leaves neither the event nor the visit
    bad = ev.EventInput(source="网格员巡查", received_at=dt.datetime(2026, 11, 23, 9, 0), grid_id=g,
                        place="", category="民生服务", description="x")  # fmt: skip
    with pytest.raises(ValidationError, match="事件地点"):
        vs.record_visit(
            street.ctx,
            vs.VisitInput(D(2026, 11, 23), "李晓梅", "电话", "无。", None, [street.ids["周明"]]),
            bad,
        )
    assert _count(street.ctx, Visit) == 1 and _count(street.ctx, GridEvent) == 1


def test_a_visit_and_its_event_are_one_transaction(street, monkeypatch: pytest.MonkeyPatch) -> None:
    """The visit half fails after the event was written in the same transaction: neither is saved, and the
    year's event number is not used up."""
    from desktop.services.visits import record

    g = street.grids["GC-01-001"]
    event = ev.EventInput(
        source="网格员巡查", received_at=dt.datetime(2026, 11, 23, 9, 30), grid_id=g, place="新华小区3号楼",
        category="市政设施", subcategory="路灯损坏", description="楼道灯不亮。",
    )  # fmt: skip
    data = vs.VisitInput(D(2026, 11, 23), "李晓梅", "入户", "楼道灯不亮。", None, [street.ids["马东"]])

    def broken(**_kw: object) -> VisitMember:
        raise ValidationError("模拟：写入走访成员时出错。")

    monkeypatch.setattr(record, "VisitMember", broken)
    with pytest.raises(ValidationError, match="模拟"):
        vs.record_visit(street.ctx, data, event)
    assert _count(street.ctx, GridEvent) == 0 and _count(street.ctx, Visit) == 0
    monkeypatch.undo()
    vid = vs.record_visit(street.ctx, data, event)
    with street.ctx.read() as s:
        v = s.get(Visit, vid)
        assert v is not None and v.event_id is not None
        e = s.get(GridEvent, v.event_id)
        assert e is not None and e.event_no == "SJ2026-000001" and e.state == "ACCEPTED"


def test_todays_due_list_per_grid_and_worker(street, clock) -> None:
    ctx, ids = street.ctx, street.ids
    rs.set_care_tier(ctx, ids["张建军"], "ORANGE", "家庭矛盾需关注", on_date=D(2026, 11, 18))
    visit(street, D(2026, 11, 3), "张桂兰", "张建军", "刘晓燕", household=True)
    visit(street, D(2026, 11, 18), "张建军", household=True)
    visit(street, D(2026, 10, 9), "马东")
    due = vs.due_list(ctx, grid="GC-01-001", lookback_days=60)
    by_name = {r.name: r for r in due.rows}
    # 张桂兰 / 刘晓燕 (green): visited on the 3rd — November done; September missed (since 2026-09-24 → the
    # September period ended on the 30th), October missed
    assert "张桂兰" in by_name and by_name["张桂兰"].done and by_name["张桂兰"].missed_periods == 2
    # 张建军: orange from Wednesday the 18th; that week visited (on the 18th); this week due by Sunday 29th
    zj = by_name["张建军"]
    assert (zj.tier, zj.frequency, zj.period_start, zj.period_end, zj.done) == (
        "ORANGE", "WEEK", D(2026, 11, 23), D(2026, 11, 29), False,
    )  # fmt: skip
    # under green (until the 17th) September and October had no visit; the cut November period is not due
    assert zj.missed_periods == 2 and zj.last_visit_on == D(2026, 11, 18)
    # 马东 (社区矫正对象, monthly): visited in October, not in September, not yet in November
    md = by_name["马东"]
    assert (md.period_end, md.done, md.special_groups, md.missed_periods) == (
        D(2026, 11, 30),
        False,
        ("社区矫正对象",),
        1,
    )
    assert md.id_number.count("*") == 8 and md.workers == ("李晓梅", "王建国")  # 网格员 first, then 网格长
    # the register is read past the result layer: the number shown is the resident's, masked (not ciphertext)
    full = rs.reveal_resident(street.ctx, street.ids["马东"], "核对走访名单").id_number
    assert full and md.id_number == mask_id_number(full)
    assert "周明" not in by_name  # another grid
    assert due.residents == 4 and due.done == 2  # 张桂兰 and 刘晓燕
    # soonest deadline first: this week's orange visit before the month's
    assert [r.name for r in due.rows if not r.done][:1] == ["张建军"]
    # a worker's grids; a worker unknown is refused; the whole street includes 周明 (never visited)
    assert {r.name for r in vs.due_list(ctx, worker="李晓梅").rows} == set(by_name)
    with pytest.raises(ValidationError, match="网格员"):
        vs.due_list(ctx, worker="不存在")
    with pytest.raises(ValidationError, match="网格“GC-99”不存在"):
        vs.due_list(ctx, grid="GC-99")
    zm = next(r for r in vs.due_list(ctx).rows if r.name == "周明")
    assert (zm.grid_code, zm.last_visit_on, zm.done) == ("GC-02-001", None, False)
    # a visit today: 马东 is done for November but stays listed for the missed September;
    # with a window from October he is off the list. include_done lists everyone
    visit(street, D(2026, 11, 23), "马东", way="电话")
    md2 = next(r for r in vs.due_list(ctx, grid="GC-01-001", lookback_days=60).rows if r.name == "马东")
    assert (md2.done, md2.missed_periods, md2.last_visit_on) == (True, 1, D(2026, 11, 23))
    assert "马东" not in {r.name for r in vs.due_list(ctx, grid="GC-01-001", lookback_days=40).rows}
    assert len(vs.due_list(ctx, include_done=True).rows) == 5
    # last visit older than the window is still found
    clock.set(dt.datetime(2027, 5, 4, 9, 0))
    zj_later = next(r for r in vs.due_list(ctx, grid="GC-01-001").rows if r.name == "马东")
    assert zj_later.last_visit_on == D(2026, 11, 23)


def test_group_minimum_and_frequency_settings(street) -> None:
    ctx, ids = street.ctx, street.ids
    vs.save_frequencies(ctx, dict(vs.frequencies(ctx).tiers), {"社区矫正对象": "每周", "残疾人": None})
    f = vs.frequencies(ctx)
    assert f.groups == {"社区矫正对象": "WEEK"} and f.tiers["BLUE"] == "HALF_MONTH"
    row = next(r for r in vs.due_list(ctx).rows if r.name == "马东")
    assert (row.frequency, row.period_start, row.period_end) == ("WEEK", D(2026, 11, 23), D(2026, 11, 29))
    with pytest.raises(ValidationError, match="走访频次"):
        vs.save_frequencies(ctx, {"GREEN": "每年", "BLUE": "每半月", "ORANGE": "每周", "RED": "每日"}, {})
    with pytest.raises(ValidationError, match="特殊人群标签字典"):
        vs.save_frequencies(ctx, dict(f.tiers), {"不存在的人群": "每月"})
    assert ids


def test_visit_rate_per_grid_and_month(street) -> None:
    ctx, ids = street.ctx, street.ids
    rs.set_care_tier(ctx, ids["张建军"], "ORANGE", "家庭矛盾需关注", on_date=D(2026, 10, 26))
    visit(street, D(2026, 10, 3), "张桂兰", "张建军", household=True)
    visit(street, D(2026, 10, 27), "张建军", household=True)
    visit(street, D(2026, 11, 5), "张建军", household=True)
    visit(street, D(2026, 10, 20), "马东")
    rates = {r.grid_code: r for r in vs.visit_rates(ctx, 2026, 10)}
    g1 = rates["GC-01-001"]
    # October: 张桂兰 ✓, 刘晓燕 ✗, 马东 ✓ (months); 张建军 green cut on the 26th (not due), orange week
    # Oct 26–Nov 1 belongs to November → 3 due, 2 done
    assert (g1.due, g1.done) == (3, 2)
    assert rates["GC-02-001"].due == 1 and rates["GC-02-001"].done == 0
    # November (today the 23rd, so up to the 22nd): 张建军's weeks ending Nov 1, 8, 15, 22 → 2 done (Oct 27, Nov 5)
    nov = {r.grid_code: r for r in vs.visit_rates(ctx, 2026, 11, grid="GC-01-001")}
    assert (nov["GC-01-001"].due, nov["GC-01-001"].done) == (4, 2)
    total = vs.total_rate(rates.values())
    assert (total.due, total.done) == (4, 2)
    with pytest.raises(ValidationError, match="还没有开始"):
        vs.visit_rates(ctx, 2026, 12)
