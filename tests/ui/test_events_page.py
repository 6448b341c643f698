"""网格事件 page, card and quick entry, driven through real widgets (offscreen): the loop from quick entry to
评价 through the card's buttons, the list's lights and the light filter, a stale edit, 工作台's alerts, the
ledger and 督办 tabs, and a holiday change moving an event's time limit.

Chinese text is typed with setText()/insert() (qtbot.keyClicks() aborts on non-ASCII); keys with keyClick.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from desktop.services import events as ev
from desktop.services import judicial
from desktop.services import structure as st
from desktop.ui.dialogs.event_card_dialog import EventCardDialog
from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog
from desktop.ui.dialogs.event_step_dialog import EventStepDialog
from desktop.ui.models.event_list_model import EventListModel
from desktop.ui.pages.events.events_page import EventsPage
from desktop.ui.qt import Qt

T = dt.datetime
M = EventListModel


def new_event(ctx: Any, grid_id: int, received: dt.datetime, **kw: Any) -> int:
    data: dict[str, Any] = {
        "source": "网格员巡查",
        "received_at": received,
        "grid_id": grid_id,
        "place": "新华小区3号楼东侧",
        "category": "环境卫生",
        "subcategory": "垃圾堆放",
        "description": "楼东侧空地堆放建筑垃圾约两立方米。",
        "reporter_name": "李晓梅",
    }
    data.update(kw)
    return ev.create_event(ctx, ev.EventInput(**data), accept=True)


@pytest.fixture
def grids(street_ctx: Any) -> dict[str, int]:
    return {g.code: g.id for g in st.list_grids(street_ctx)}


@pytest.fixture
def lit(street_ctx: Any, grids: dict[str, int]) -> dict[str, int]:
    """Three events on Monday 2026-11-23 10:00: red (received 11-02, 5 working days long gone), yellow
    (received Tue 11-17: ends 24:00 Tue 11-24, the next working day), green (received this morning)."""
    g = grids["GC-01-001"]
    return {
        "red": new_event(street_ctx, g, T(2026, 11, 2, 9, 0), place="红灯地点"),
        "yellow": new_event(street_ctx, g, T(2026, 11, 17, 9, 0), place="黄灯地点"),
        "green": new_event(street_ctx, grids["GC-02-001"], T(2026, 11, 23, 8, 0), place="绿灯地点"),
    }


def wait_list(qtbot: Any, page: EventsPage) -> None:
    qtbot.waitUntil(lambda: not page.is_searching() and not page.search_timer.isActive(), timeout=5000)


def shown_home(qtbot: Any, ctx: Any) -> tuple[Any, list[str]]:
    """The 工作台 shown with its figures, and the lines of its 亮灯 list."""
    from desktop.ui.pages.home_page import HomePage

    home = HomePage(ctx)
    qtbot.addWidget(home)
    home.show()
    home.activate()
    qtbot.waitUntil(lambda: home.figures is not None, timeout=5000)
    return home, [home.alerts_list.item(i).text() for i in range(home.alerts_list.count())]


@pytest.fixture
def page(qtbot: Any, street_ctx: Any) -> EventsPage:
    p = EventsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1176, 700)
    p.show()
    p.activate()
    wait_list(qtbot, p)
    return p


def shown(page: EventsPage, column: int) -> list[str]:
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def step(qtbot: Any, card: EventCardDialog, kind: str, note: str = "", **choose: Any) -> EventStepDialog:
    """Click the card's button for ``kind``, fill the form, press OK; the card reloads."""
    assert kind in card.action_buttons, (kind, list(card.action_buttons))
    before = len(card.detail.steps) if card.detail else 0
    qtbot.mouseClick(card.action_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = card.step_dialog
    assert dialog is not None and dialog.kind == kind
    for name, value in choose.items():
        combo = getattr(dialog, name)
        combo.setCurrentIndex(combo.findData(value))
    if note and dialog.note_edit is not None:
        dialog.note_edit.setPlainText(note)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible(), dialog.error_label.text()
    assert card.detail is not None and len(card.detail.steps) == before + 1
    return dialog


def test_the_loop_from_quick_entry_to_rating_through_the_card(qtbot, page: EventsPage, grids) -> None:
    # quick entry: keyboard only, Enter saves and 受理s at once
    entry = page.open_entry()
    assert isinstance(entry, EventEntryDialog)
    qtbot.waitExposed(entry)
    assert entry.focusWidget() is entry.source_combo
    entry.grid_combo.setCurrentIndex(entry.grid_combo.findData(grids["GC-01-002"]))
    qtbot.keyClick(entry.source_combo, Qt.Key.Key_Tab)  # source → grid
    assert entry.focusWidget() is entry.grid_combo
    qtbot.keyClick(entry.grid_combo, Qt.Key.Key_Tab)  # grid → place
    assert entry.focusWidget() is entry.place_edit
    entry.place_edit.insert("新华商圈步行街北口")
    qtbot.keyClick(entry.place_edit, Qt.Key.Key_Tab)
    assert entry.focusWidget() is entry.category_combo
    entry.category_combo.setCurrentIndex(entry.category_combo.findData("消防安全"))
    entry.sub_combo.setCurrentIndex(entry.sub_combo.findData("消防通道堵塞"))
    assert "2个工作日" in entry.limit_label.text() and "消防救援站" in entry.limit_label.text()
    entry.description_edit.setFocus()
    entry.description_edit.insert("三辆电动车停放堵塞消防通道。")
    qtbot.keyClick(entry.description_edit, Qt.Key.Key_Return)
    assert entry.result() == EventEntryDialog.DialogCode.Accepted, entry.error_label.text()
    assert len(entry.saved_ids) == 1
    eid = entry.saved_ids[0]
    wait_list(qtbot, page)
    assert page.model.rowCount() == 1
    assert shown(page, M.LIGHT) == ["绿灯"] and shown(page, M.STATE) == ["已受理"]
    assert shown(page, M.DEPARTMENT) == ["消防救援站"]

    # the card, opened from the list
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    card = page.card
    assert isinstance(card, EventCardDialog) and card.detail is not None and card.detail.id == eid
    qtbot.waitExposed(card)
    assert [s.kind for s in card.detail.steps] == ["REPORT", "ACCEPT"]
    assert "ACCEPT" not in card.action_buttons and "WHISTLE" in card.action_buttons
    assert "SUPERVISE" not in card.action_buttons  # green: no 督办

    step(qtbot, card, "WHISTLE", "消防通道长期堵塞，需消防救援站联合处置。",
         whistle_combo="TOUGH", department_combo="消防救援站")  # fmt: skip
    assert "攻坚克难哨" in card.whistle_label.text() and "应报到" in card.whistle_label.text()
    step(qtbot, card, "DISPATCH", "请于今日内到场。", department_combo="消防救援站")
    step(qtbot, card, "SIGN")
    step(qtbot, card, "DISPOSE", "已清理电动车，张贴禁停告示。")
    step(qtbot, card, "VERIFY", "现场核查通道已畅通。", passed_combo=True)
    step(qtbot, card, "CLOSE")
    step(qtbot, card, "VISIT", "已告知上报人处理结果，表示满意。")
    step(qtbot, card, "RATE", rating_combo="SATISFIED")
    d = card.detail
    assert d is not None
    assert [s.kind for s in d.steps] == ["REPORT", "ACCEPT", "WHISTLE", "DISPATCH", "SIGN", "DISPOSE",
                                         "VERIFY", "CLOSE", "VISIT", "RATE"]  # fmt: skip
    labels = [card.timeline.item(r, 1).text() for r in range(card.timeline.rowCount())]
    assert labels[2] == "吹哨（攻坚克难哨）" and labels[-1] == "评价（满意）"
    assert card.timeline.item(5, 4).text() == "已清理电动车，张贴禁停告示。"
    assert card.timeline.item(2, 3).text() == "消防救援站"
    assert set(card.action_buttons) == {"VISIT"}  # closed and rated: only another 回访 is left
    assert card.light_label.text() == "已结案（不亮灯）"
    card.reject()
    wait_list(qtbot, page)
    assert shown(page, M.STATE) == ["已结案"] and shown(page, M.LIGHT) == ["—（已结案）"]


def test_save_and_continue_keeps_the_dialog_and_a_bad_entry_says_where(qtbot, page: EventsPage) -> None:
    entry = page.open_entry()
    qtbot.waitExposed(entry)
    entry.description_edit.insert("路灯不亮")
    qtbot.mouseClick(entry.continue_button, Qt.MouseButton.LeftButton)
    assert entry.isVisible() and entry.error_label.text() == "请填写事件地点。"
    assert entry.place_edit.property("invalid")
    entry.place_edit.insert("建设街12号")
    qtbot.mouseClick(entry.continue_button, Qt.MouseButton.LeftButton)
    assert entry.isVisible() and len(entry.saved_ids) == 1
    assert entry.place_edit.text() == "" and entry.description_edit.text() == ""
    assert entry.focusWidget() is entry.place_edit
    assert "已保存 1 件" in entry.saved_label.text()
    entry.place_edit.insert("建设街14号")
    entry.description_edit.insert("井盖缺失")
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    assert len(entry.saved_ids) == 2
    wait_list(qtbot, page)
    assert page.model.rowCount() == 2
    assert sorted(shown(page, M.STATE)) == ["已受理", "已受理"]


def test_lights_shown_in_words_counted_and_filtered(qtbot, street_ctx, lit, page: EventsPage) -> None:
    page.refresh()
    wait_list(qtbot, page)
    by_place = {page.model.row_at(r).place: page.model.index(r, M.LIGHT).data() for r in range(3)}
    assert by_place == {"红灯地点": "红灯", "黄灯地点": "黄灯", "绿灯地点": "绿灯"}
    assert page.model.index(0, M.LIGHT).data(Qt.ItemDataRole.DecorationRole) is not None
    assert [page.light_labels[k].text() for k in ("red", "yellow", "green")] == ["红灯 1", "黄灯 1", "绿灯 1"]
    page.light_combo.setCurrentIndex(page.light_combo.findData("red"))
    wait_list(qtbot, page)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [lit["red"]]
    assert page.count_label.text() == "共 1 件"
    page.light_combo.setCurrentIndex(page.light_combo.findData("yellow"))
    wait_list(qtbot, page)
    assert shown(page, M.LIGHT) == ["黄灯"]
    page.clear_filters()
    page.grid_combo.setCurrentIndex(page.grid_combo.findText("GC-02-001 朝阳一网格"))
    wait_list(qtbot, page)
    assert shown(page, M.LIGHT) == ["绿灯"]
    page.clear_filters()
    page.search_edit.setText("黄灯")
    wait_list(qtbot, page)
    assert page.model.rowCount() == 1


def test_the_list_pages_its_rows(qtbot, street_ctx, grids, page: EventsPage, monkeypatch) -> None:
    monkeypatch.setattr(EventListModel, "PAGE_SIZE", 3)
    for i in range(7):
        new_event(street_ctx, grids["GC-01-001"], T(2026, 11, 20, 8, i), place=f"地点{i}")
    page.hide()  # nothing painted: only what the test reads is fetched
    page.refresh()
    wait_list(qtbot, page)
    assert page.model.rowCount() == 7 and page.model.fetch_count == 0
    assert page.model.row_at(6).place == "地点0"  # newest first; the last page fetched on demand
    assert page.model.fetch_count == 1
    assert [page.model.row_at(r).place for r in range(7)] == [f"地点{6 - r}" for r in range(7)]
    # painting never waits: a page not read yet shows 载入中… and is read off the GUI thread
    page.refresh()
    wait_list(qtbot, page)
    index = page.model.index(4, M.EVENT_NO)
    assert index.data() == "载入中…" and page.model.index(4, M.LIGHT).data() is None
    qtbot.waitUntil(lambda: index.data() != "载入中…", timeout=5000)
    assert page.model.fetch_count == 1 and page.model.row_at(4).place == "地点2"
    assert page.model.index(4, M.LIGHT).data() == "绿灯"  # received Fri 11-20: ends 24:00 Fri 11-27


def test_a_stale_card_says_so_in_chinese_and_reloads(qtbot, street_ctx, lit, page, no_modal_boxes) -> None:
    card = page.open_card(lit["green"])
    qtbot.waitExposed(card)
    seen = card.detail.version
    ev.handle_on_site(street_ctx, lit["green"], seen, "网格员已现场清理。")  # another PC, meanwhile
    qtbot.mouseClick(card.action_buttons["WHISTLE"], Qt.MouseButton.LeftButton)
    dialog = card.step_dialog
    dialog.note_edit.setPlainText("需要部门处置")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert no_modal_boxes and "已被其他用户修改" in no_modal_boxes[-1][1]
    assert "已重新载入" in no_modal_boxes[-1][1]
    assert card.detail.version > seen and card.detail.state == "HANDLED"
    assert "WHISTLE" not in card.action_buttons and "VERIFY" in card.action_buttons
    assert [s.kind for s in card.detail.steps][-1] == "HANDLE"  # nothing of the stale whistle was written


def test_a_red_event_is_supervised_and_listed(qtbot, street_ctx, lit, page: EventsPage) -> None:
    card = page.open_card(lit["red"])
    assert card.light_label.text() == "红灯"
    step(qtbot, card, "SUPERVISE", "限两日内办结并书面说明逾期原因。")
    assert card.detail.supervisions[0].note == "限两日内办结并书面说明逾期原因。"
    card.reject()
    page.tabs.setCurrentWidget(page.supervision_tab)
    tab = page.supervision_tab
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    rows = tab.model.rows()
    assert [r.event.id for r in rows] == [lit["red"]] and rows[0].supervised == 1
    tab.table.doubleClicked.emit(tab.model.index(0, 0))
    assert page.card is not None and page.card.event_id == lit["red"]


def test_the_department_ledger_tab(qtbot, street_ctx, lit, page: EventsPage) -> None:
    ev.whistle(street_ctx, lit["red"], None, kind="PROGRESS", department="环卫所", note="请处置")
    ev.dispatch(street_ctx, lit["red"], None)
    page.tabs.setCurrentWidget(page.ledger_tab)
    tab = page.ledger_tab
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    line = next(r for r in tab.model.rows() if r.department == "环卫所")
    assert (line.received, line.open, line.overdue) == (1, 1, 1)
    row = next(i for i in range(tab.model.rowCount()) if tab.model.index(i, 0).data() == "环卫所")
    assert tab.model.index(row, 3).data() == "1" and tab.model.index(row, 7).data() == "—"


def test_home_shows_todays_red_and_yellow_events_and_opens_the_card(qtbot, street_ctx, lit) -> None:
    home, texts = shown_home(qtbot, street_ctx)
    assert len(texts) == 2 and texts[0].startswith("红灯") and texts[1].startswith("黄灯")
    assert "红灯地点" in texts[0]
    home.alerts_list.itemActivated.emit(home.alerts_list.item(0))
    assert home.card is not None and home.card.event_id == lit["red"]
    home.card.reject()
    # entered from 工作台: urgent (24 hours), found yesterday 14:00, so 4 hours are left: under a quarter, yellow
    entry = home.open_entry()
    entry.place_edit.insert("朝阳花园12栋")
    entry.description_edit.insert("燃气管道异味")
    entry.urgency_combo.setCurrentIndex(entry.urgency_combo.findData("URGENT"))
    entry.time_edit.setDateTime(entry.time_edit.dateTime().addSecs(-20 * 3600))  # found yesterday 14:00
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    assert not entry.error_label.isVisible(), entry.error_label.text()
    qtbot.waitUntil(lambda: home.alerts_list.count() == 3, timeout=5000)
    texts = [home.alerts_list.item(i).text() for i in range(3)]
    assert texts[0].startswith("红灯") and [t.startswith("黄灯") for t in texts[1:]] == [True, True]
    assert "朝阳花园12栋" in texts[1]  # the soonest end first: today 14:00, before the other's 24:00 tomorrow


def test_home_lists_the_most_urgent_and_opens_the_rest_in_the_event_list(
    qtbot, street_ctx, lit, page: EventsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A street with a thousand lit events: the 工作台 lists the first ALERTS_LISTED, the red first, and one
    line counts the rest; double-clicking it opens 网格事件 filtered by that light."""
    from desktop.services import dashboard

    monkeypatch.setattr(dashboard, "ALERTS_LISTED", 1)
    home, texts = shown_home(qtbot, street_ctx)
    assert len(texts) == 2 and texts[0].startswith("红灯") and "红灯地点" in texts[0]
    assert texts[1] == "另有 1 件（黄灯 1）未列出：双击打开“网格事件”的黄灯列表"
    assert home.alerts_title.text() == "今日亮灯事件（红灯 1 · 黄灯 1）"  # the title counts them all
    with qtbot.waitSignal(home.navigate) as followed:
        home.alerts_list.itemActivated.emit(home.alerts_list.item(1))
    assert followed.args == ["events/yellow"] and home.card is None

    page.tabs.setCurrentWidget(page.ledger_tab)
    page.search_edit.setText("红灯地点")  # filtered before: the link shows every yellow event all the same
    page.state_combo.setCurrentIndex(page.state_combo.count() - 1)
    page.start_step("yellow")
    wait_list(qtbot, page)
    assert page.tabs.currentIndex() == 0 and page.light_combo.currentData() == "yellow"
    assert page.search_edit.text() == "" and page.state_combo.currentIndex() == 0
    assert shown(page, 0) == [ev.event_detail(street_ctx, lit["yellow"]).event_no]
    page.start_step("red")
    wait_list(qtbot, page)
    assert shown(page, 0) == [ev.event_detail(street_ctx, lit["red"]).event_no]


def test_a_holiday_change_moves_open_events_limits(qtbot, street_ctx, lit) -> None:
    from desktop.ui.pages.judicial.holiday_tab import HolidayTab

    before = ev.event_detail(street_ctx, lit["green"]).deadline  # 5 working days from Mon 11-23: 24:00 11-30
    assert before == T(2026, 12, 1)
    tab = HolidayTab(street_ctx)
    qtbot.addWidget(tab)
    tab.reload()
    dialog = tab.open_day_dialog(None)
    dialog.fields["day"].set_value(dt.date(2026, 11, 25))
    dialog.fields["kind"].setCurrentIndex(dialog.fields["kind"].findData("HOLIDAY"))
    dialog.fields["name"].setText("测试假日")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible(), dialog.error_label.text()
    qtbot.waitUntil(lambda: ev.event_detail(street_ctx, lit["green"]).deadline != before, timeout=5000)
    assert ev.event_detail(street_ctx, lit["green"]).deadline == T(2026, 12, 2)
    assert judicial.list_days(street_ctx)


def test_a_dispute_turned_into_a_mediation_case_tells_the_mediation_page(
    qtbot, street_ctx, grids, page: EventsPage
) -> None:
    from desktop.services import mediation as med
    from desktop.services import residents as rs
    from desktop.ui.data_changes import DataChanges
    from tests.unit.test_mediation_helpers import setup_committee

    community = st.list_communities(street_ctx)[0].id
    home = rs.HouseholdInput(community, grids["GC-01-001"], estate="新华小区", building="3", room="301")
    wang = rs.save_resident(
        street_ctx,
        rs.ResidentInput(
            "王建国", community, gender="男", birth_date=dt.date(1960, 5, 12), new_household=home
        ),
    )
    committee, _m1, _m2 = setup_committee(street_ctx, community)
    eid = new_event(street_ctx, grids["GC-01-001"], T(2026, 11, 23, 9, 0), category="矛盾纠纷",
                    subcategory="邻里纠纷", resident_id=wang)  # fmt: skip
    card = page.open_card(eid)
    told: list[DataChanges] = []
    page.changed.connect(told.append)
    step(qtbot, card, "TO_MEDIATION", committee_combo=committee)
    assert card.detail is not None and card.detail.mediation_case_no
    assert med.get_case(street_ctx, card.detail.mediation_case_no).parties[0].name == "王建国"
    assert told and told[-1].changed_areas() == {"events", "mediation"}


def test_later_pages_are_read_by_keyset(qtbot, street_ctx, grids, page: EventsPage, monkeypatch) -> None:
    monkeypatch.setattr(EventListModel, "PAGE_SIZE", 3)
    for i in range(8):  # two events share each received minute: the id breaks the tie
        new_event(street_ctx, grids["GC-01-001"], T(2026, 11, 20, 8, i // 2), place=f"地点{i}")
    page.hide()
    page.refresh()
    wait_list(qtbot, page)
    asked: list[object] = []
    fetch = page.model._fetch
    monkeypatch.setattr(page.model, "_fetch", lambda o, n, after: asked.append(after) or fetch(o, n, after))
    places = [page.model.row_at(r).place for r in range(8)]
    assert places == [f"地点{7 - r}" for r in range(8)]
    first_page_last = page.model.row_at(2)
    # page 1 began after page 0's last row, page 2 after page 1's: no OFFSET
    assert asked[0] == (first_page_last.received_at, first_page_last.id)
    assert len(asked) == 2 and all(a is not None for a in asked)
