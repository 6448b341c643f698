"""网格事件 services: intake and numbering, the loop through the services, refusals, extensions, 督办,
attachments, the list with lights, the card, the settings, and a dispute turned into a mediation case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.events import EventNumberCounter, EventStep, GridEvent
from desktop.core.clock import FixedClock
from desktop.core.errors import ConflictError, PermissionDenied, ValidationError
from desktop.domain.events import TimeLimit
from desktop.services import events as ev
from desktop.services import structure as st
from desktop.services.context import ServiceContext

T = dt.datetime


@pytest.fixture
def grids(street_ctx: ServiceContext) -> dict[str, int]:
    return {g.code: g.id for g in st.list_grids(street_ctx)}


def new_event(ctx: ServiceContext, grid_id: int, **kw: Any) -> int:
    fields: dict[str, Any] = {
        "source": "网格员巡查",
        "received_at": T(2026, 11, 23, 9, 0),
        "grid_id": grid_id,
        "place": "新华小区3号楼东侧",
        "category": "环境卫生",
        "subcategory": "垃圾堆放",
        "description": "楼东侧空地堆放建筑垃圾约两立方米，影响通行。",
        "reporter_name": "李晓梅",
        "reporter_phone": "13919375678",
    }
    fields.update(kw)
    return ev.create_event(ctx, ev.EventInput(**fields))


def _count(ctx: ServiceContext, table: Any) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


# ---------------------------------------------------------------- intake


def test_numbers_per_year_and_limits_from_the_category(street_ctx, grids) -> None:
    g = grids["GC-01-001"]
    a = new_event(street_ctx, g)
    b = new_event(street_ctx, g, category="消防安全", subcategory="消防通道堵塞")
    c = new_event(street_ctx, g, urgency="紧急", category="民生服务", subcategory="食品安全")
    d = new_event(street_ctx, g, received_at=T(2025, 12, 31, 16, 0))
    cards = [ev.event_detail(street_ctx, i) for i in (a, b, c, d)]
    assert [x.event_no for x in cards] == ["SJ2026-000001", "SJ2026-000002", "SJ2026-000003", "SJ2025-000001"]
    assert ev.parse_event_no("sj2026-000123") == (2026, 123)
    # 一般: 5 working days from Monday 11-23 → Monday 11-30 24:00; the category's department
    assert (cards[0].deadline, cards[0].department, str(cards[0].limit)) == (
        T(2026, 12, 1),
        "环卫所",
        "5个工作日",
    )
    assert cards[0].deadline_text == "2026-11-30 24:00（5个工作日）"
    # a sub-category with its own limit (2 working days)
    assert (cards[1].deadline, cards[1].department) == (T(2026, 11, 26), "消防救援站")
    # 紧急: 24 clock hours; a sub-category with its own department
    assert (cards[2].deadline, cards[2].department, cards[2].urgency) == (
        T(2026, 11, 24, 9, 0),
        "市场监管所",
        "URGENT",
    )
    # received on the last day of 2025: 元旦 2026-01-01…03 off, Sunday 01-04 调休上班
    assert cards[3].deadline == T(2026, 1, 9)  # 01-04 (调休 Sunday), 05, 06, 07, 08
    assert cards[0].steps[0].kind == "REPORT" and cards[0].steps[0].actor == "李晓梅"
    assert cards[0].state == "REPORTED" and cards[0].actions == ["ACCEPT"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"source": "微信群"}, "source", "事件来源“微信群”不在来源字典中"),
        ({"place": "  "}, "place", "请填写事件地点"),
        ({"received_at": T(2026, 11, 23, 10, 30)}, "received_at", "不能晚于现在"),
        ({"category": "天气"}, "category", "事件类别“天气”不在类别字典中"),
        ({"subcategory": "噪音扰民"}, "subcategory", "“噪音扰民”不是“环境卫生”的子类"),
        ({"urgency": "特急"}, "urgency", "紧急程度应为“一般”或“紧急”"),
        ({"reporter_phone": "12345"}, "reporter_phone", "上报人"),
        ({"description": ""}, "description", "请填写事件描述"),
        ({"resident_id": 999}, "resident_id", "关联居民（编号 999）不存在"),
    ],
)
def test_intake_refuses_bad_fields_and_writes_nothing(street_ctx, grids, change, field, words) -> None:
    with pytest.raises(ValidationError) as err:
        new_event(street_ctx, grids["GC-01-001"], **change)
    assert words in err.value.message
    assert err.value.field == field
    assert _count(street_ctx, GridEvent) == 0
    assert _count(street_ctx, EventNumberCounter) == 0


def test_a_retired_grid_takes_no_events(street_ctx, grids) -> None:
    g = st.list_grids(street_ctx)[-1]
    st.retire_grid(street_ctx, g.id, "撤并", version=g.version)
    with pytest.raises(ValidationError, match="已停用"):
        new_event(street_ctx, g.id)


# ---------------------------------------------------------------- the loop


def test_the_whistle_loop_through_the_services(street_ctx, grids, clock: FixedClock) -> None:
    ctx = street_ctx
    eid = new_event(ctx, grids["GC-01-001"], category="违章建筑", subcategory="违法搭建")
    v = ev.event_detail(ctx, eid).version
    v = ev.accept_event(ctx, eid, v, actor="王建国")
    v = ev.whistle(ctx, eid, v, kind="PROGRESS", department="城管执法中队", note="楼顶违建，需执法认定")
    v = ev.dispatch(ctx, eid, v, note="请 3 个工作日内到现场")
    clock.advance(dt.timedelta(minutes=40))
    v = ev.sign_for(ctx, eid, v, actor="城管执法中队 张队")
    clock.advance(dt.timedelta(days=1))
    v = ev.report_in(ctx, eid, v, actor="张队", note="到社区对接")
    v = ev.dispose(ctx, eid, v, "已下达限期拆除通知，当事人自行拆除。")
    v = ev.verify(ctx, eid, v, passed=True, actor="李晓梅", note="现场已恢复")
    v = ev.close_event(ctx, eid, v)
    v = ev.record_visit(ctx, eid, v, "电话告知上报人处理结果，表示满意。")
    v = ev.rate_department(ctx, eid, v, rating="满意")
    card = ev.event_detail(ctx, eid)
    assert card.version == v
    assert [s.label for s in card.steps] == [
        "上报", "受理", "吹哨（工作推进哨）", "派单", "签收", "报到", "处置", "核查", "结案", "回访", "评价（满意）",
    ]  # fmt: skip
    assert card.state == "CLOSED" and card.light is None and card.closed_at == T(2026, 11, 24, 10, 40)
    assert card.department == "城管执法中队" and card.rating == "SATISFIED"
    assert card.steps[1].actor == "王建国" and card.steps[3].department == "城管执法中队"
    w = card.whistle
    assert (
        w is not None and w.due.sign_by == T(2026, 11, 23, 11, 0) and w.signed_at == T(2026, 11, 23, 10, 40)
    )
    assert not w.signed_late and w.due.report_by == T(2026, 11, 27) and not w.arrived_late
    assert card.actions == ["VISIT"]  # rated once; 回访 may be repeated
    with pytest.raises(ValidationError, match="已评价为“满意”"):
        ev.rate_department(ctx, eid, v, rating="不满意")
    with ctx.read() as s:
        audited = s.scalar(
            select(func.count()).where(AuditRecord.entity == "grid_event", AuditRecord.entity_id == str(eid))
        )
    assert audited == 11  # the intake and each of the 10 steps
    ledger = {x.department: x for x in ev.department_ledger(ctx, dt.date(2026, 11, 1), dt.date(2026, 11, 30))}
    line = ledger["城管执法中队"]
    assert (line.received, line.open, line.overdue, line.ratings, line.satisfaction) == (
        1,
        0,
        0,
        {"SATISFIED": 1},
        1.0,
    )


def test_a_simple_event_is_closed_the_same_day(street_ctx, grids) -> None:
    data = ev.EventInput(
        "网格员巡查", T(2026, 11, 23, 8, 30), grids["GC-01-002"], "商圈北门", "市政设施", "井盖松动"
    )
    eid = ev.create_event(street_ctx, data, accept=True)
    v = ev.event_detail(street_ctx, eid).version
    v = ev.handle_on_site(street_ctx, eid, v, "联系物业当场固定井盖。")
    ev.close_event(street_ctx, eid, v)
    card = ev.event_detail(street_ctx, eid)
    assert [s.kind for s in card.steps] == ["REPORT", "ACCEPT", "HANDLE", "CLOSE"]
    assert card.state == "CLOSED" and card.department == "住建部门"
    with pytest.raises(ValidationError, match="没有派给职能部门"):
        ev.rate_department(street_ctx, eid, card.version, rating="满意")


def test_invalid_steps_are_refused_in_chinese_and_write_nothing(street_ctx, grids) -> None:
    eid = new_event(street_ctx, grids["GC-01-001"])
    before = ev.event_detail(street_ctx, eid)
    for call, words in (
        (lambda v: ev.sign_for(street_ctx, eid, v), "事件当前状态为“待受理”，不能签收"),
        (lambda v: ev.close_event(street_ctx, eid, v), "不能结案"),
        (
            lambda v: ev.handle_on_site(street_ctx, eid, v, ""),
            "不能就地处置",
        ),  # the state first, then the form
        (lambda v: ev.request_extension(street_ctx, eid, v, days=2, reason="需协调"), "不能申请延期"),
    ):
        with pytest.raises(ValidationError) as err:
            call(before.version)
        assert words in err.value.message
    v = ev.accept_event(street_ctx, eid, before.version)
    with pytest.raises(ValidationError, match="请填写处置情况"):
        ev.handle_on_site(street_ctx, eid, v, "  ")
    with pytest.raises(ValidationError, match="不在职能部门字典中"):
        ev.whistle(street_ctx, eid, v, kind="TOUGH", department="天文台", note="x")
    with pytest.raises(ValidationError, match="不能早于上一环节"):
        ev.dispatch(street_ctx, eid, v, at=T(2026, 11, 23, 8, 0))
    after = ev.event_detail(street_ctx, eid)
    assert [s.kind for s in after.steps] == ["REPORT", "ACCEPT"] and after.version == v


def test_a_stale_edit_is_refused(street_ctx, grids) -> None:
    eid = new_event(street_ctx, grids["GC-01-001"])
    seen = ev.event_detail(street_ctx, eid).version
    ev.accept_event(street_ctx, eid, seen)  # another PC accepts first
    with pytest.raises(ConflictError, match="已被其他用户修改"):
        ev.accept_event(street_ctx, eid, seen)
    with pytest.raises(ConflictError):
        ev.dispatch(street_ctx, eid, seen, department="环卫所")
    assert [s.kind for s in ev.event_detail(street_ctx, eid).steps] == ["REPORT", "ACCEPT"]


def test_failed_verification_and_a_returned_order(street_ctx, grids) -> None:
    ctx = street_ctx
    eid = new_event(ctx, grids["GC-01-001"])
    v = ev.accept_event(ctx, eid, None)
    v = ev.dispatch(ctx, eid, v, department="住建部门")
    v = ev.return_order(ctx, eid, v, "垃圾清运不属本部门职责")
    card = ev.event_detail(ctx, eid)
    assert (card.state, card.department, card.steps[-1].department) == ("ACCEPTED", None, "住建部门")
    with pytest.raises(ValidationError, match="请选择承办的职能部门"):
        ev.dispatch(ctx, eid, v)
    v = ev.dispatch(ctx, eid, v, department="环卫所")
    v = ev.sign_for(ctx, eid, v)
    v = ev.dispose(ctx, eid, v, "已清运")
    with pytest.raises(ValidationError, match="核查未通过的原因"):
        ev.verify(ctx, eid, v, passed=False)
    v = ev.verify(ctx, eid, v, passed=False, note="仍有残余垃圾")
    card = ev.event_detail(ctx, eid)
    assert card.state == "SIGNED" and card.steps[-1].label == "核查（未通过）"


def test_who_may_whistle_is_a_setting(street_ctx, grids) -> None:
    ev.save_whistlers(street_ctx, ["社区书记张丽", " 网格长王建国 "])
    assert ev.whistlers(street_ctx) == ("社区书记张丽", "网格长王建国")
    eid = new_event(street_ctx, grids["GC-01-001"])
    v = ev.accept_event(street_ctx, eid, None)
    with pytest.raises(PermissionDenied, match="“李晓梅”不在可以吹哨的人员名单中"):
        ev.whistle(street_ctx, eid, v, kind="PROGRESS", department="环卫所", note="清运", actor="李晓梅")
    v = ev.whistle(street_ctx, eid, v, kind="TOUGH", department="环卫所", note="清运", actor="网格长王建国")
    card = ev.event_detail(street_ctx, eid)
    assert card.state == "WHISTLED" and card.steps[-1].actor == "网格长王建国"


# ---------------------------------------------------------------- extensions and 督办


def test_an_approved_extension_moves_the_end(street_ctx, grids) -> None:
    ctx = street_ctx
    eid = new_event(ctx, grids["GC-01-001"], received_at=T(2026, 11, 23, 9, 0))  # ends 11-30 24:00
    v = ev.accept_event(ctx, eid, None)
    with pytest.raises(ValidationError, match="没有待审批的延期申请"):
        ev.approve_extension(ctx, eid, v)
    with pytest.raises(ValidationError, match="1–30 个工作日"):
        ev.request_extension(ctx, eid, v, days=0, reason="需协调")
    v = ev.request_extension(ctx, eid, v, days=3, reason="需协调产权单位")
    with pytest.raises(ValidationError, match="已有待审批的延期申请"):
        ev.request_extension(ctx, eid, v, days=2, reason="再延")
    assert ev.event_detail(ctx, eid).actions.count("EXT_APPROVE") == 1
    v = ev.approve_extension(ctx, eid, v, actor="街道综治中心 刘主任")
    card = ev.event_detail(ctx, eid)
    assert card.deadline == T(2026, 12, 4)  # 12-01, 12-02, 12-03 → 12-03 24:00
    assert card.extended_days == 3 and not card.extension_pending
    assert card.deadline_text == "2026-12-03 24:00（5个工作日，已延期 3 个工作日）"
    step = card.steps[-1]
    assert (step.kind, step.extension_days, step.new_deadline) == ("EXT_APPROVE", 3, T(2026, 12, 4))
    assert "2026-12-03 24:00" in (step.note or "")
    v = ev.request_extension(ctx, eid, v, days=5, reason="再次申请")
    v = ev.refuse_extension(ctx, eid, v, "理由不充分")
    card = ev.event_detail(ctx, eid)
    assert card.deadline == T(2026, 12, 4) and [s.kind for s in card.steps][-2:] == [
        "EXT_REQUEST",
        "EXT_REFUSE",
    ]
    assert [r.event_no for r in ev.list_events(ctx, ev.EventFilter(extended=True)).rows] == [card.event_no]


def test_supervision_only_for_red_events(street_ctx, grids, clock: FixedClock) -> None:
    ctx = street_ctx
    eid = new_event(ctx, grids["GC-01-001"])  # ends 11-30 24:00
    v = ev.accept_event(ctx, eid, None)
    v = ev.dispatch(ctx, eid, v)
    with pytest.raises(ValidationError, match="只有红灯事件才能督办"):
        ev.supervise(ctx, eid, v, "请立即处置")
    clock.set(T(2026, 12, 1, 9, 0))
    assert ev.event_detail(ctx, eid).light == "red"
    v = ev.supervise(ctx, eid, v, "限 12 月 2 日前清运完毕并回复", actor="街道办 赵主任")
    rows = ev.supervision_list(ctx)
    assert [(r.event.id, r.supervised, r.last_demand) for r in rows] == [
        (eid, 1, "限 12 月 2 日前清运完毕并回复")
    ]
    card = ev.event_detail(ctx, eid)
    assert [s.actor for s in card.supervisions] == ["街道办 赵主任"]
    assert card.state == "DISPATCHED"  # 督办 leaves the state as it was


# ---------------------------------------------------------------- attachments


def test_attachments_are_kept_in_the_database_within_the_limits(street_ctx, grids) -> None:
    eid = new_event(street_ctx, grids["GC-01-001"])
    ev.save_attachment_limits(street_ctx, ev.AttachmentLimits(file_kb=2, event_kb=3))
    photo = bytes(range(256)) * 6  # 1,536 bytes
    a = ev.add_attachment(street_ctx, eid, r"C:\照片\现场.jpg", photo, note="东侧")
    with pytest.raises(ValidationError) as err:
        ev.add_attachment(street_ctx, eid, "大图.png", b"x" * 2100)
    assert "附件“大图.png”有 2 KB，超过单个附件上限 2 KB" in err.value.message
    ev.add_attachment(street_ctx, eid, "记录.pdf", b"%PDF" + b"0" * 1500)
    with pytest.raises(ValidationError, match="将超过每个事件 3 KB 的上限"):
        ev.add_attachment(street_ctx, eid, "补充.jpg", b"y" * 100)
    with pytest.raises(ValidationError, match="空文件"):
        ev.add_attachment(street_ctx, eid, "空.txt", b"")
    files = ev.list_attachments(street_ctx, eid)
    assert [(f.file_name, f.mime, f.size) for f in files] == [
        ("现场.jpg", "image/jpeg", 1536),
        ("记录.pdf", "application/pdf", 1504),
    ]
    info, content = ev.read_attachment(street_ctx, a)
    assert content == photo and info.is_image and info.note == "东侧"
    assert [f.file_name for f in ev.event_detail(street_ctx, eid).attachments] == ["现场.jpg", "记录.pdf"]
    with pytest.raises(ValidationError, match="不能小于单个附件的上限"):
        ev.save_attachment_limits(street_ctx, ev.AttachmentLimits(file_kb=10, event_kb=5))


# ---------------------------------------------------------------- the list


def test_the_list_filters_and_lights(street_ctx, grids, clock: FixedClock) -> None:
    ctx = street_ctx
    g1, g2 = grids["GC-01-001"], grids["GC-02-001"]
    clock.set(T(2026, 11, 27, 10, 0))  # Friday
    old = new_event(ctx, g1, received_at=T(2026, 11, 16, 9, 0))  # ended 11-23 24:00: red
    due_monday = new_event(ctx, g1, received_at=T(2026, 11, 20, 9, 0), source="12345热线")  # ends 11-27 24:00
    fresh = new_event(ctx, g2, received_at=T(2026, 11, 27, 8, 0), category="治安隐患", subcategory="噪音扰民")
    urgent = new_event(ctx, g2, received_at=T(2026, 11, 26, 14, 0), urgency="URGENT")  # ends 11-27 14:00
    done = new_event(ctx, g1, received_at=T(2026, 11, 16, 9, 0))
    v = ev.accept_event(ctx, done, None)
    v = ev.handle_on_site(ctx, done, v, "已清理")
    ev.close_event(ctx, done, v)

    def nos(**kw: Any) -> set[int]:
        return {r.id for r in ev.list_events(ctx, ev.EventFilter(**kw)).rows}

    assert nos(light="red") == {old}
    assert nos(light="yellow") == {due_monday, urgent}
    assert nos(light="green") == {fresh}
    assert nos(light="none") == {done}
    assert nos(grid_id=g2) == {fresh, urgent}
    assert nos(source="12345热线") == {due_monday}
    assert nos(category="治安隐患") == {fresh}
    assert nos(department="派出所") == {fresh}
    assert nos(state="open") == {old, due_monday, fresh, urgent}
    assert nos(state="CLOSED") == {done}
    assert nos(text="SJ2026-000003") == {fresh}
    listed = ev.list_events(ctx, order="urgency", limit=2)
    assert listed.total == 5 and [r.id for r in listed.rows] == [old, urgent]
    assert listed.lights == {"red": 1, "yellow": 2, "green": 1}
    assert [r.id for r in ev.list_events(ctx, order="urgency", offset=3, limit=2).rows] == [fresh, done]
    newest = ev.list_events(ctx, offset=1, limit=3)
    assert [r.id for r in newest.rows] == [urgent, due_monday, done] and newest.total == 5
    assert [r.light for r in newest.rows] == ["yellow", "yellow", None]
    # as of Saturday morning (not a working day) the urgent one has run out; Monday's is still yellow
    later = ev.list_events(ctx, ev.EventFilter(state="open"), as_of=T(2026, 11, 28, 9, 0))
    assert {r.id: r.light for r in later.rows} == {
        old: "red",
        due_monday: "red",
        fresh: "green",
        urgent: "red",
    }
    alerts = ev.todays_alerts(ctx)
    assert [(r.id, r.light) for r in alerts.rows] == [(old, "red"), (urgent, "yellow"), (due_monday, "yellow")]
    assert (alerts.red, alerts.yellow, alerts.total) == (1, 2, 3)
    first = ev.todays_alerts(ctx, listed=2)  # the 工作台 lists the most urgent, and counts them all
    assert [r.id for r in first.rows] == [old, urgent] and (first.red, first.yellow) == (1, 2)
    assert first.rows == alerts.rows[:2]
    assert ev.todays_alerts(ctx, listed=0).rows == [] and ev.todays_alerts(ctx, listed=0).total == 3
    row = alerts.rows[1].to_json()
    assert row == {
        "event_no": "SJ2026-000004",
        "source": "网格员巡查",
        "category": "环境卫生",
        "subcategory": "垃圾堆放",
        "urgency": "URGENT",
        "urgency_label": "紧急",
        "grid_code": "GC-02-001",
        "received_at": "2026-11-26T14:00",
        "deadline": "2026-11-27T14:00",
        "light": "yellow",
        "state": "REPORTED",
        "state_label": "待受理",
        "department": "环卫所",
        "extended_days": 0,
        "closed_at": None,
    }


# ---------------------------------------------------------------- settings


def test_category_rules_and_dictionaries_are_settings(street_ctx, grids) -> None:
    ctx = street_ctx
    dic = ev.event_dictionary(ctx)
    assert len(dic.sources) == 8 and "两代表一委员" in dic.sources
    env = dic.category("环境卫生")
    assert env is not None and env.rule.department == "环卫所"
    cats = [ev.with_rule(c, normal=TimeLimit(3)) if c.code == "环境卫生" else c for c in dic.categories]
    cats = [
        ev.with_rule(c, "噪音扰民", urgent=TimeLimit(4, "HOUR")) if c.code == "治安隐患" else c for c in cats
    ]
    ev.save_event_categories(ctx, cats)
    a = new_event(ctx, grids["GC-01-001"])
    b = new_event(ctx, grids["GC-01-001"], category="治安隐患", subcategory="噪音扰民", urgency="紧急")
    assert ev.event_detail(ctx, a).deadline == T(2026, 11, 27)  # 3 working days
    assert ev.event_detail(ctx, b).deadline == T(2026, 11, 23, 13, 0)  # 4 hours
    ev.save_event_sources(ctx, ["网格员巡查", "居民反映"])
    with pytest.raises(ValidationError, match="不在来源字典中"):
        new_event(ctx, grids["GC-01-001"], source="12345热线")
    with pytest.raises(ValidationError, match="职能部门“派出所”重复"):
        ev.save_event_departments(ctx, ["派出所", "派出所"])
    assert ev.event_detail(ctx, a).category == "环境卫生"  # events keep their codes


def test_intake_facts_can_be_corrected_before_dispatch(street_ctx, grids) -> None:
    eid = new_event(street_ctx, grids["GC-01-001"])
    card = ev.event_detail(street_ctx, eid)
    data = ev.EventInput(
        "居民反映", card.received_at, card.grid_id, card.place, "环境卫生", card.description, "紧急"
    )
    ev.update_event(street_ctx, eid, card.version, data)
    fixed = ev.event_detail(street_ctx, eid)
    assert (fixed.source, fixed.urgency, fixed.deadline) == ("居民反映", "URGENT", T(2026, 11, 24, 9, 0))
    v = ev.accept_event(street_ctx, eid, fixed.version)
    v = ev.dispatch(street_ctx, eid, v)
    with pytest.raises(ValidationError, match="登记信息不能再修改"):
        ev.update_event(street_ctx, eid, v, data)


# ---------------------------------------------------------------- into a mediation case


def test_a_dispute_becomes_a_mediation_case_with_its_parties(street_ctx, grids) -> None:
    from desktop.services import mediation as med
    from desktop.services import residents as rs

    from .test_mediation_helpers import setup_committee

    ctx = street_ctx
    community = st.list_communities(ctx)[0].id  # 新华社区
    g = grids["GC-01-001"]
    home = rs.HouseholdInput(community, g, estate="新华小区", building="3", unit="2", room="301")
    upstairs = rs.HouseholdInput(community, g, estate="新华小区", building="3", unit="2", room="401")
    wang = rs.save_resident(
        ctx,
        rs.ResidentInput(
            "王建国", community, gender="男", birth_date=dt.date(1960, 5, 12), grid_id=g, new_household=home
        ),
    )
    zhao = rs.save_resident(
        ctx,
        rs.ResidentInput(
            "赵志刚",
            community,
            gender="男",
            birth_date=dt.date(1975, 3, 2),
            grid_id=g,
            new_household=upstairs,
        ),
    )
    committee, _m1, _m2 = setup_committee(ctx, community)
    eid = new_event(
        ctx,
        g,
        category="矛盾纠纷",
        subcategory="邻里纠纷",
        resident_id=wang,
        description="楼上卫生间漏水，双方争执。",
    )
    v = ev.event_detail(ctx, eid).version
    with pytest.raises(ValidationError, match="不能转人民调解"):
        ev.to_mediation_case(ctx, eid, v, committee_id=committee, respondent_ids=[zhao])
    v = ev.accept_event(ctx, eid, v)
    case_no = ev.to_mediation_case(ctx, eid, v, committee_id=committee, respondent_ids=[zhao])
    assert case_no == "（2026）新华社区人调字第001号"
    case = med.get_case(ctx, case_no)
    assert [(p.name, p.role, p.address) for p in case.parties] == [
        ("王建国", "APPLICANT", "新华小区3号楼2单元301室"),
        ("赵志刚", "RESPONDENT", "新华小区3号楼2单元401室"),
    ]
    assert case.dispute_type == "邻里" and case.summary == "楼上卫生间漏水，双方争执。"
    card = ev.event_detail(ctx, eid)
    assert card.mediation_case_no == case_no and card.state == "HANDLED"
    assert card.steps[-1].label == "转人民调解" and case_no in (card.steps[-1].note or "")
    with pytest.raises(ValidationError, match="不能转人民调解"):
        ev.to_mediation_case(ctx, eid, card.version, committee_id=committee)
    lonely = new_event(ctx, g, category="矛盾纠纷", subcategory="邻里纠纷")
    lv = ev.accept_event(ctx, lonely, None)
    with pytest.raises(ValidationError, match="没有关联居民"):
        ev.to_mediation_case(ctx, lonely, lv, committee_id=committee)
    with ctx.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(EventStep).where(EventStep.kind == "TO_MEDIATION")) == 1
        )


def test_to_mediation_is_one_transaction(street_ctx, grids, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case with its parties and the event's link and step are written together or not at all: a failure
    in the second half (linking the event) leaves no case, no party, no number taken; a stale version too."""
    from db.schema.mediation import CaseParty, MediationCase
    from desktop.services import mediation as med
    from desktop.services import residents as rs
    from desktop.services.events import to_mediation

    from .test_mediation_helpers import setup_committee

    ctx = street_ctx
    community = st.list_communities(ctx)[0].id
    home = rs.HouseholdInput(community, grids["GC-01-001"], estate="新华小区", building="5", room="102")
    wang = rs.save_resident(
        ctx,
        rs.ResidentInput(
            "王建国", community, gender="男", birth_date=dt.date(1960, 5, 12), new_household=home
        ),
    )
    committee, _m1, _m2 = setup_committee(ctx, community)
    eid = new_event(ctx, grids["GC-01-001"], category="矛盾纠纷", subcategory="邻里纠纷", resident_id=wang)
    v = ev.accept_event(ctx, eid, None)
    other = med.PartyInput(
        "赵志刚", "RESPONDENT", "PERSON", gender="男", age=50, address="新华小区5号楼202室"
    )
    real = to_mediation.link_case

    def failing(*args: Any) -> None:
        real(*args)
        raise ValidationError("模拟：关联事件时出错。")

    monkeypatch.setattr(to_mediation, "link_case", failing)
    with pytest.raises(ValidationError, match="模拟"):
        ev.to_mediation_case(ctx, eid, v, committee_id=committee, other_parties=[other])

    def nothing_written() -> None:
        card = ev.event_detail(ctx, eid)
        assert card.mediation_case_id is None and card.state == "ACCEPTED" and card.version == v
        assert [s.kind for s in card.steps] == ["REPORT", "ACCEPT"]
        with ctx.read() as s:
            assert s.scalar(select(func.count()).select_from(MediationCase)) == 0
            assert s.scalar(select(func.count()).select_from(CaseParty)) == 0

    nothing_written()
    monkeypatch.setattr(to_mediation, "link_case", real)
    # another PC changed the event after this card was read: refused before anything is written
    ev.request_extension(ctx, eid, None, days=2, reason="另一台电脑")
    with pytest.raises(ConflictError):
        ev.to_mediation_case(ctx, eid, v, committee_id=committee, other_parties=[other])
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(MediationCase)) == 0
    # and done properly: the first number of the year (the failed attempts took none)
    v = ev.event_detail(ctx, eid).version
    case_no = ev.to_mediation_case(ctx, eid, v, committee_id=committee, other_parties=[other])
    assert case_no == "（2026）新华社区人调字第001号"
    card = ev.event_detail(ctx, eid)
    assert card.mediation_case_no == case_no and card.steps[-1].kind == "TO_MEDIATION"
    assert [p.name for p in med.get_case(ctx, case_no).parties] == ["王建国", "赵志刚"]


def test_event_numbers_under_concurrency_on_sqlite(street_ctx, grids) -> None:
    """Four threads with their own engines register events at once: 20 distinct numbers, no gap."""
    import threading

    from db.engine import Database

    errors: list[BaseException] = []
    ids: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        ctx = ServiceContext(Database(street_ctx.database.url), street_ctx.actor, street_ctx.clock)
        try:
            for _ in range(5):
                eid = new_event(ctx, grids["GC-01-001"])
                with lock:
                    ids.append(eid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            ctx.database.dispose()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(r.event_no for r in ev.list_events(street_ctx).rows)
    assert numbers == [ev.format_event_no(2026, i) for i in range(1, 21)]


def test_a_corrected_holiday_calendar_moves_open_events(street_ctx, grids) -> None:
    from desktop.services.judicial import holidays

    ctx = street_ctx
    open_id = new_event(ctx, grids["GC-01-001"])  # 11-24 … 11-30 → ends 11-30 24:00
    v = ev.accept_event(ctx, open_id, None)
    v = ev.request_extension(ctx, open_id, v, days=1, reason="协调")
    ev.approve_extension(ctx, open_id, v)  # → 12-01 24:00
    closed_id = new_event(ctx, grids["GC-01-001"])
    cv = ev.accept_event(ctx, closed_id, None)
    cv = ev.handle_on_site(ctx, closed_id, cv, "已处理")
    ev.close_event(ctx, closed_id, cv)
    holidays.save_day(ctx, holidays.HolidayInput(dt.date(2026, 11, 25), "HOLIDAY", "临时放假"))
    assert ev.recompute_event_deadlines(ctx) == 1
    assert ev.event_detail(ctx, open_id).deadline == T(2026, 12, 3)  # one day later, extension kept
    assert ev.event_detail(ctx, closed_id).deadline == T(2026, 12, 1)  # a closed event keeps its record


def test_the_card_says_what_a_whistled_department_owes(street_ctx, grids, clock: FixedClock) -> None:
    ctx = street_ctx
    eid = new_event(ctx, grids["GC-01-001"])
    v = ev.accept_event(ctx, eid, None)
    v = ev.whistle(ctx, eid, v, kind="TOUGH", department="环卫所", note="大量建筑垃圾需调车清运")
    card = ev.event_detail(ctx, eid, as_of=T(2026, 11, 23, 12, 0))
    assert card.whistle is not None
    assert card.whistle.problems(card.as_of) == ["逾期未签收（应于 2026-11-23 11:00 前签收）"]
    clock.set(T(2026, 11, 23, 12, 0))
    v = ev.dispatch(ctx, eid, v)
    v = ev.sign_for(ctx, eid, v)
    w = ev.event_detail(ctx, eid).whistle
    assert w is not None and w.signed_late
    assert w.problems(T(2026, 12, 1, 9, 0)) == [
        "签收超过 1 小时",
        "逾期未联系社区（应于 2026-11-24 10:00 前联系）",
        "逾期未报到（应于 2026-11-30 24:00 前报到）",
    ]
    clock.set(T(2026, 12, 1, 9, 0))
    ev.dispose(ctx, eid, v, "已清运")  # an older loop without 联系社区: coming in counts as the contact
    w = ev.event_detail(ctx, eid).whistle
    assert w is not None and w.contact_by_arrival and w.contacted_at == T(2026, 12, 1, 9, 0)
    assert w.problems(T(2026, 12, 1, 10, 0)) == [
        "签收超过 1 小时",
        "联系社区超过 24 小时",
        "报到超过5个工作日",
    ]


def test_contact_within_24_hours_and_the_duties_of_whistled_departments(
    street_ctx, grids, clock: FixedClock
) -> None:
    """签收 within 1 hour and 联系社区 within 24 hours of a whistle, from the step records; the 督办 list of
    departments late to sign or to contact (open events only, as of a moment)."""
    ctx = street_ctx
    g = grids["GC-01-001"]
    prompt = new_event(ctx, g, place="按时的")
    late = new_event(ctx, g, place="迟的")
    vp = ev.accept_event(ctx, prompt, None)
    vl = ev.accept_event(ctx, late, None)
    vp = ev.whistle(ctx, prompt, vp, kind="PROGRESS", department="环卫所", note="清运")
    vl = ev.whistle(ctx, late, vl, kind="PROGRESS", department="城管执法中队", note="拆除")
    with pytest.raises(ValidationError, match="不能联系社区"):
        ev.contact_community(ctx, prompt, vp)  # not signed yet
    vp = ev.dispatch(ctx, prompt, vp)
    vl = ev.dispatch(ctx, late, vl)
    vp = ev.sign_for(ctx, prompt, vp, at=T(2026, 11, 23, 10, 0))
    with pytest.raises(ValidationError, match="不能晚于现在"):
        ev.contact_community(ctx, prompt, vp, at=T(2026, 11, 23, 11, 0))
    with pytest.raises(ValidationError, match="不能早于上一环节"):
        ev.contact_community(ctx, prompt, vp, at=T(2026, 11, 23, 9, 30))
    vp = ev.contact_community(ctx, prompt, vp, note="电话联系社区书记，约定明早到场")
    card = ev.event_detail(ctx, prompt)
    assert card.state == "SIGNED" and card.steps[-1].label == "联系社区"
    assert "CONTACT" not in card.actions and "ARRIVE" in card.actions
    with pytest.raises(ValidationError, match="已于 2026-11-23 10:00 登记联系社区"):
        ev.contact_community(ctx, prompt, vp)
    assert (
        card.whistle is not None and not card.whistle.contacted_late and not card.whistle.contact_by_arrival
    )
    assert card.whistle.problems(T(2026, 11, 25, 9, 0)) == []
    # 11:00 the next day: 城管 has neither signed nor contacted
    duties = ev.whistle_duties(ctx, as_of=T(2026, 11, 24, 11, 0))
    assert [(d.event_no, d.department) for d in duties] == [
        (ev.event_detail(ctx, late).event_no, "城管执法中队")
    ]
    assert duties[0].problems == (
        "逾期未签收（应于 2026-11-23 11:00 前签收）",
        "逾期未联系社区（应于 2026-11-24 10:00 前联系）",
    )
    assert duties[0].sign_text == "应 11-23 11:00；未办"
    assert ev.whistle_duties(ctx, as_of=T(2026, 11, 23, 10, 30)) == []  # nothing due yet
    clock.set(T(2026, 11, 24, 12, 0))
    vl = ev.sign_for(ctx, late, vl)
    vl = ev.contact_community(ctx, late, vl)
    duties = ev.whistle_duties(ctx)
    assert duties[0].problems == ("签收超过 1 小时", "联系社区超过 24 小时")
    assert duties[0].contact_text == "应 11-24 10:00；12:00 超时"
    assert duties[0].sign_text == "应 11-23 11:00；11-24 12:00 超时"
    vl = ev.dispose(ctx, late, vl, "已拆除")
    vl = ev.verify(ctx, late, vl, passed=True)
    ev.close_event(ctx, late, vl)
    assert ev.whistle_duties(ctx) == []  # closed: off the list
