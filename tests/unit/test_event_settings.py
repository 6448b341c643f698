"""设置 → 网格事件 as one save: sources, departments, categories with their limits and departments,
whistlers and attachment limits checked as a whole and written in one audited transaction; a changed
limit applies to events received afterwards, open events keep theirs (and the save says how many)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.core.errors import ValidationError
from desktop.domain.events import TimeLimit, parse_limit
from desktop.services import events as ev
from desktop.services import structure as st
from tests.unit.test_event_services import new_event

T = dt.datetime


@pytest.fixture
def grid(street_ctx) -> int:
    return st.list_grids(street_ctx)[0].id


def test_limit_text_is_parsed_or_refused_with_what_to_write() -> None:
    assert parse_limit("5个工作日") == TimeLimit(5) and parse_limit(" 3 工作日 ") == TimeLimit(3)
    assert parse_limit("24小时") == TimeLimit(24, "HOUR") == parse_limit("24h")
    assert parse_limit("") is None
    for text, words in (
        ("0个工作日", "应为正数"),
        ("-2小时", "应为正数"),
        ("5天", "不明确"),
        ("5", "没有单位"),
        ("五个工作日", "无法识别"),
        ("61个工作日", "1–60"),
    ):
        with pytest.raises(ValidationError, match=words):
            parse_limit(text)


def test_save_everything_at_once_and_open_events_keep_their_limit(street_ctx, grid) -> None:
    ctx = street_ctx
    kept_event = new_event(ctx, grid, category="消防安全", subcategory="消防通道堵塞")  # 2 working days
    before = ev.event_detail(ctx, kept_event)
    now = ev.event_settings(ctx)
    fire = next(c for c in now.categories if c.code == "消防安全")
    fire = ev.with_rule(fire, "消防通道堵塞", normal=TimeLimit(1), department="街道应急办")
    dogs = ev.EventCategory("文明养犬", ev.CategoryRule("城管执法中队", TimeLimit(3), TimeLimit(12, "HOUR")))
    cats = (*(fire if c.code == "消防安全" else c for c in now.categories), dogs)
    changed = dataclasses.replace(
        now,
        sources=(*now.sources, "随手拍"),
        departments=now.departments,
        categories=cats,
        whistlers=("社区书记张丽",),
        attachments=ev.AttachmentLimits(5 * 1024, 20 * 1024),
    )
    assert ev.save_event_settings(ctx, changed) == 1  # the open 消防通道堵塞 event keeps 2 working days
    after = ev.event_detail(ctx, kept_event)
    assert (after.deadline, after.limit, after.department) == (before.deadline, TimeLimit(2), "消防救援站")
    fresh = new_event(ctx, grid, category="消防安全", subcategory="消防通道堵塞")
    card = ev.event_detail(ctx, fresh)
    assert (card.limit, card.department, card.deadline) == (TimeLimit(1), "街道应急办", T(2026, 11, 25))
    dog = ev.event_detail(ctx, new_event(ctx, grid, category="文明养犬", subcategory=None, urgency="紧急"))
    assert (dog.limit, dog.department) == (TimeLimit(12, "HOUR"), "城管执法中队")
    saved = ev.event_settings(ctx)
    assert saved.sources[-1] == "随手拍" and saved.whistlers == ("社区书记张丽",)
    assert saved.attachments == ev.AttachmentLimits(5 * 1024, 20 * 1024)
    with ctx.read() as s:
        summaries = list(s.scalars(select(AuditRecord.summary).order_by(AuditRecord.id)))
    assert "网格事件设置：来源、职能部门、事件类别" in summaries and "可以吹哨的人员" in summaries


def test_refusals_name_the_place_and_write_nothing(street_ctx) -> None:
    ctx = street_ctx
    now = ev.event_settings(ctx)
    fire = next(c for c in now.categories if c.code == "消防安全")

    def refused(match: str, **changes: Any) -> None:
        with pytest.raises(ValidationError, match=match):
            ev.save_event_settings(ctx, dataclasses.replace(now, **changes))
        assert ev.event_settings(ctx) == now

    refused("职能部门“派出所”重复", departments=(*now.departments, "派出所"))
    refused("事件来源“居民反映”重复", sources=(*now.sources, " 居民反映 "))
    refused("事件类别“其他”重复", categories=(*now.categories, ev.EventCategory("其他")))
    # a category whose department is not among the departments saved with it
    without_fire = tuple(d for d in now.departments if d != "消防救援站")
    refused("事件类别“消防安全”的责任部门“消防救援站”不在职能部门列表中", departments=without_fire)
    sub = ev.with_rule(fire, "电动车违规充电", department="物业公司")
    cats = tuple(sub if c.code == "消防安全" else c for c in now.categories)
    refused("“消防安全 / 电动车违规充电”的责任部门“物业公司”", categories=cats)
    refused("不能小于单个附件", attachments=ev.AttachmentLimits(10, 5))
    refused("至少要有一个职能部门", departments=())
    # the single-purpose save refuses to drop a department a category still names
    with pytest.raises(ValidationError, match="消防救援站"):
        ev.save_event_departments(ctx, list(without_fire))
