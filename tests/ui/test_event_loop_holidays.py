"""The loop through the UI on explicit holiday dates (the 2026 calendar seeded from 国务院办公厅's notice):
上报 on the eve of 国庆 (Wed 2026-09-30) → 受理 → 吹哨 → 派单 → 签收 (办理时间 entered, refused in the
future or before the last step) → 联系社区 late, on a holiday → 延期 approved → 报到 → 延期 refused →
处置 → 核查 → 结案 → 回访 → 评价, and events around the 调休 Saturday 2026-10-10, with the deadline and the
light read from the list and the card at each moment.

Chinese text is typed with setText()/insert() (qtbot.keyClicks() aborts on non-ASCII)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from desktop.core.clock import FixedClock
from desktop.services import structure as st
from desktop.services.judicial.common import load_calendar
from desktop.ui.dialogs.event_card_dialog import EventCardDialog
from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog
from desktop.ui.dialogs.event_step_dialog import EventStepDialog
from desktop.ui.models.event_list_model import EventListModel
from desktop.ui.pages.events.events_page import EventsPage
from desktop.ui.qt import Qt, QtCore
from tests.ui.test_events_page import new_event, wait_list

T = dt.datetime
M = EventListModel


@pytest.fixture
def grids(street_ctx: Any) -> dict[str, int]:
    return {g.code: g.id for g in st.list_grids(street_ctx)}


@pytest.fixture
def page(qtbot: Any, street_ctx: Any, clock: FixedClock) -> EventsPage:
    clock.set(T(2026, 9, 30, 9, 30))
    p = EventsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    p.activate()
    wait_list(qtbot, p)
    return p


def test_the_2026_calendar_has_the_days_these_tests_rely_on(street_ctx: Any) -> None:
    with street_ctx.read() as s:
        cal = load_calendar(s)
    assert all(not cal.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))  # 国庆节
    assert cal.is_working_day(dt.date(2026, 10, 10)) and dt.date(2026, 10, 10).weekday() == 5  # 调休 Saturday
    assert cal.is_working_day(dt.date(2026, 9, 30)) and not cal.is_working_day(dt.date(2026, 10, 11))


def row_of(page: EventsPage, event_id: int) -> int:
    return next(r for r in range(page.model.rowCount()) if page.model.row_at(r).id == event_id)


def listed(qtbot: Any, page: EventsPage, event_id: int) -> tuple[str, str, str]:
    """(light, state, deadline) of the event as the list shows them now."""
    page.refresh()
    wait_list(qtbot, page)
    r = row_of(page, event_id)
    light, state, deadline = (str(page.model.index(r, c).data()) for c in (M.LIGHT, M.STATE, M.DEADLINE))
    return light, state, deadline


def do(
    qtbot: Any, card: EventCardDialog, kind: str, note: str = "", at: dt.datetime | None = None, **choose: Any
) -> EventStepDialog:
    """The card's button for ``kind``, the form filled (办理时间 when given), OK; the step is recorded."""
    assert kind in card.action_buttons, (kind, list(card.action_buttons))
    before = len(card.detail.steps) if card.detail else 0
    qtbot.mouseClick(card.action_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = card.step_dialog
    assert dialog is not None and dialog.kind == kind
    for name, value in choose.items():
        widget = getattr(dialog, name)
        if name == "days_spin":
            widget.setValue(value)
        else:
            widget.setCurrentIndex(widget.findData(value))
    if note and dialog.note_edit is not None:
        dialog.note_edit.setPlainText(note)
    if at is not None:
        assert dialog.at_edit is not None
        dialog.at_edit.setDateTime(QtCore.QDateTime(at))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible(), dialog.error_label.text()
    assert card.detail is not None and len(card.detail.steps) == before + 1
    return dialog


def test_the_loop_on_the_eve_of_national_day(qtbot, street_ctx, grids, clock: FixedClock, page) -> None:
    # 上报 + 受理 from quick entry at 09:30 on Wed 09-30: 5 working days skip 10-01…10-07 and count the
    # 调休 Saturday 10-10: 10-08, 10-09, 10-10, 10-12, 10-13 → 2026-10-13 24:00
    entry = page.open_entry()
    assert isinstance(entry, EventEntryDialog)
    entry.grid_combo.setCurrentIndex(entry.grid_combo.findData(grids["GC-01-001"]))
    entry.place_edit.insert("新华小区3号楼东侧")
    entry.category_combo.setCurrentIndex(entry.category_combo.findData("环境卫生"))
    entry.sub_combo.setCurrentIndex(entry.sub_combo.findData("垃圾堆放"))
    entry.description_edit.insert("节前装修垃圾堆放在消防通道旁。")
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    assert entry.saved_ids, entry.error_label.text()
    eid = entry.saved_ids[0]
    assert listed(qtbot, page, eid) == ("绿灯", "已受理", "2026-10-13 24:00")
    card = page.open_card(eid)
    assert isinstance(card, EventCardDialog)
    qtbot.waitExposed(card)
    assert card.light_label.text() == "绿灯"
    assert card.deadline_label.text() == "办理时限：2026-10-13 24:00（5个工作日）"

    # 吹哨 at 10:00 (工作推进哨): sign by 11:00, contact by 10-01 10:00 (clock hours: the holiday counts),
    # report in within 3 working days: 10-08, 10-09, 10-10 (调休) → 2026-10-10 24:00
    clock.set(T(2026, 9, 30, 10, 0))
    do(
        qtbot,
        card,
        "WHISTLE",
        "装修垃圾量大，需环卫所调车。",
        whistle_combo="PROGRESS",
        department_combo="环卫所",
    )
    text = card.whistle_label.text()
    assert "应签收（1 小时内）：2026-09-30 11:00" in text
    assert "应联系社区（24 小时内）：2026-10-01 10:00" in text and "应报到：2026-10-10 24:00" in text
    clock.set(T(2026, 9, 30, 10, 5))
    do(qtbot, card, "DISPATCH", "请于节前清运。")

    # 签收 entered at 10:45 for 10:30: a time in the future or before the 派单 is refused inline
    clock.set(T(2026, 9, 30, 10, 45))
    qtbot.mouseClick(card.action_buttons["SIGN"], Qt.MouseButton.LeftButton)
    sign = card.step_dialog
    assert sign is not None and sign.at_edit is not None
    assert sign.at_edit.dateTime().toPython() == T(2026, 9, 30, 10, 45)  # default: now
    sign.at_edit.setDateTime(QtCore.QDateTime(T(2026, 9, 30, 11, 0)))
    qtbot.mouseClick(sign.ok_button, Qt.MouseButton.LeftButton)
    assert sign.isVisible() and "办理时间（2026-09-30 11:00）不能晚于现在" in sign.error_label.text()
    sign.at_edit.setDateTime(QtCore.QDateTime(T(2026, 9, 30, 10, 2)))
    qtbot.mouseClick(sign.ok_button, Qt.MouseButton.LeftButton)
    assert "不能早于上一环节（2026-09-30 10:05）" in sign.error_label.text()
    sign.at_edit.setDateTime(QtCore.QDateTime(T(2026, 9, 30, 10, 30)))
    qtbot.mouseClick(sign.ok_button, Qt.MouseButton.LeftButton)
    assert not sign.isVisible()
    assert card.timeline.item(card.timeline.rowCount() - 1, 0).text() == "2026-09-30 10:30"
    assert "（09-30 10:30 已签收，按时）" in card.whistle_label.text()

    # 国庆 day, noon: the department has not contacted the community; the light stays green (the next
    # working day is 10-08), the 督办 tab lists the missed contact
    clock.set(T(2026, 10, 1, 12, 0))
    card.reload()
    assert "逾期未联系社区（应于 2026-10-01 10:00 前联系）" in card.whistle_label.text()
    assert card.light_label.text() == "绿灯"
    page.tabs.setCurrentWidget(page.supervision_tab)
    tab = page.supervision_tab
    tab.loaded = False
    tab.reload()
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    assert [r.event_id for r in tab.duty_model.rows()] == [eid]
    assert tab.duty_model.index(0, 6).data() == "应 10-01 10:00；未办"
    do(qtbot, card, "CONTACT", "电话联系社区，约定节后到场。")
    assert "（10-01 12:00 已联系，" in card.whistle_label.text() and "超时" in card.whistle_label.text()

    # 延期 3 working days, approved: 10-14, 10-15, 10-16 after the 10-13 end
    do(qtbot, card, "EXT_REQUEST", "节日期间清运车辆不足。", days_spin=3)
    assert "延期申请待审批" in card.deadline_label.text()
    do(qtbot, card, "EXT_APPROVE", days_spin=3)
    assert card.deadline_label.text() == "办理时限：2026-10-16 24:00（5个工作日，已延期 3 个工作日）"
    assert listed(qtbot, page, eid) == ("绿灯", "已签收", "2026-10-16 24:00（已延期）")

    # 报到 on the first working day after the holiday, in time; a second extension refused
    clock.set(T(2026, 10, 8, 9, 0))
    card.reload()
    do(qtbot, card, "ARRIVE", "环卫所到场查看。")
    assert "（10-08 09:00 已报到，按时）" in card.whistle_label.text()
    do(qtbot, card, "EXT_REQUEST", "再需两日。", days_spin=2)
    do(qtbot, card, "EXT_REFUSE", "垃圾量不大，应按期完成。")
    assert card.deadline_label.text() == "办理时限：2026-10-16 24:00（5个工作日，已延期 3 个工作日）"
    labels = [card.timeline.item(r, 1).text() for r in range(card.timeline.rowCount())]
    assert labels[-4:] == ["批准延期", "报到", "申请延期", "驳回延期"]

    # Thu 10-15: the end (10-16 24:00) falls on the next working day: yellow, in the list and on the card
    clock.set(T(2026, 10, 15, 10, 0))
    card.reload()
    assert card.light_label.text() == "黄灯"
    assert listed(qtbot, page, eid)[0] == "黄灯"
    do(qtbot, card, "DISPOSE", "已清运完毕。")
    do(qtbot, card, "VERIFY", "现场核查已清理。", passed_combo=True)
    do(qtbot, card, "CLOSE")
    do(qtbot, card, "VISIT", "已告知上报人，表示满意。")
    do(qtbot, card, "RATE", rating_combo="BASIC")
    d = card.detail
    assert d is not None and d.state == "CLOSED" and d.rating == "BASIC"
    assert [s.kind for s in d.steps] == [
        "REPORT", "ACCEPT", "WHISTLE", "DISPATCH", "SIGN", "CONTACT", "EXT_REQUEST", "EXT_APPROVE", "ARRIVE",
        "EXT_REQUEST", "EXT_REFUSE", "DISPOSE", "VERIFY", "CLOSE", "VISIT", "RATE",
    ]  # fmt: skip
    assert card.light_label.text() == "已结案（不亮灯）"
    card.reject()
    assert listed(qtbot, page, eid)[:2] == ("—（已结案）", "已结案")


def test_lights_around_the_adjusted_saturday(qtbot, street_ctx, grids, clock: FixedClock, page) -> None:
    g = grids["GC-01-001"]
    clock.set(T(2026, 10, 9, 9, 0))
    # Fri 10-09, 消防通道堵塞 (2 working days): Sat 10-10 (调休) and Mon 10-12 → 2026-10-12 24:00
    blocked = new_event(street_ctx, g, T(2026, 10, 9, 9, 0), category="消防安全", subcategory="消防通道堵塞",
                        place="消防通道")  # fmt: skip
    # Thu 10-08, 5 working days: 10-09, 10-10, 10-12, 10-13, 10-14 → 2026-10-14 24:00
    normal = new_event(street_ctx, g, T(2026, 10, 8, 9, 0), place="一般事件")
    assert listed(qtbot, page, blocked) == ("绿灯", "已受理", "2026-10-12 24:00")
    # the 调休 Saturday, a working day: the next working day is Monday, when the 消防 event ends → yellow
    clock.set(T(2026, 10, 10, 9, 0))
    assert listed(qtbot, page, blocked) == ("黄灯", "已受理", "2026-10-12 24:00")
    assert listed(qtbot, page, normal) == ("绿灯", "已受理", "2026-10-14 24:00")
    # an urgent event entered on the Saturday: 24 clock hours → Sun 10-11 09:00
    entry = page.open_entry()
    entry.place_edit.insert("朝阳花园12栋")
    entry.description_edit.insert("燃气管道异味")
    entry.urgency_combo.setCurrentIndex(entry.urgency_combo.findData("URGENT"))
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    assert entry.saved_ids, entry.error_label.text()
    urgent = entry.saved_ids[0]
    assert listed(qtbot, page, urgent) == ("绿灯", "已受理", "2026-10-11 09:00")
    # a whistle on the Saturday: 报到 within 3 working days → 10-12, 10-13, 10-14
    card = page.open_card(blocked)
    do(
        qtbot,
        card,
        "WHISTLE",
        "通道堵塞需消防救援站处置。",
        whistle_combo="PROGRESS",
        department_combo="消防救援站",
    )
    assert "应报到：2026-10-14 24:00" in card.whistle_label.text()
    assert card.light_label.text() == "黄灯"
    card.reject()
    # Sun 04:00: 5 of the urgent event's 24 hours left, under a quarter → yellow; 09:00 → red
    clock.set(T(2026, 10, 11, 4, 0))
    assert listed(qtbot, page, urgent)[0] == "黄灯"
    clock.set(T(2026, 10, 11, 9, 0))
    assert listed(qtbot, page, urgent)[0] == "红灯"
    # Mon 10-12 23:59 still yellow; Tue 00:00 the 消防 event is red, on the card too, and can be 督办
    clock.set(T(2026, 10, 12, 23, 59))
    assert listed(qtbot, page, blocked)[0] == "黄灯"
    clock.set(T(2026, 10, 13, 0, 0))
    assert listed(qtbot, page, blocked)[0] == "红灯"
    card = page.open_card(blocked)
    assert card.light_label.text() == "红灯" and "SUPERVISE" in card.action_buttons
    assert card.deadline_label.text() == "办理时限：2026-10-12 24:00（2个工作日）"
    do(qtbot, card, "SUPERVISE", "限今日内清理通道。")
