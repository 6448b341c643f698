"""分色走访 page: 今日应走访 for a grid and a worker, the filters, and recording a household visit (members
ticked) and a one-resident visit raising an event, through the real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.schema.events import GridEvent
from db.schema.visits import Visit
from desktop.services import visits as vs
from desktop.ui.data_changes import DataChanges
from desktop.ui.dialogs.visit_dialog import VisitDialog
from desktop.ui.pages.events.events_page import EventsPage
from desktop.ui.pages.home_page import HomePage
from desktop.ui.pages.visits_page import VisitsPage
from desktop.ui.qt import Qt, QtWidgets
from tests.unit.visit_street import VisitStreet, build


@pytest.fixture
def street(street_ctx) -> VisitStreet:
    return build(street_ctx, since=dt.date(2026, 11, 2))


@pytest.fixture
def page(qtbot, street):
    p = VisitsPage(street.ctx)
    qtbot.addWidget(p)
    p.resize(1366, 720)
    p.show()
    p.activate()
    qtbot.waitUntil(lambda: p._loaded_once and not p.loading, timeout=8000)
    return p


def _names(page: VisitsPage) -> list[str]:
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def _select(page: VisitsPage, name: str) -> None:
    row = _names(page).index(name)
    page.table.setCurrentIndex(page.model.index(row, 0))


def _reload(qtbot, page: VisitsPage, action) -> None:
    before = page._generation
    action()
    qtbot.waitUntil(lambda: page._generation > before and not page.loading, timeout=8000)


def test_due_list_for_a_grid_and_a_household_visit(qtbot, page, street) -> None:
    assert page.grid_combo.currentData() == "GC-01-001"
    assert sorted(_names(page)) == sorted(["张桂兰", "张建军", "刘晓燕", "马东"])
    assert "应走访 4 人" in page.summary_label.text()
    md = _names(page).index("马东")
    assert page.model.index(md, 5).data() == "每月" and page.model.index(md, 6).data() == "11-30 前"
    assert page.model.index(md, 7).data() == "从未走访"
    assert "*" in page.model.index(md, 2).data()
    # the whole street adds 周明 (another grid)
    _reload(qtbot, page, lambda: page.grid_combo.setCurrentIndex(0))
    assert "周明" in _names(page)
    _reload(qtbot, page, lambda: page.grid_combo.setCurrentIndex(1))
    # record a household visit: 张桂兰's household, 刘晓燕 ticked too
    _select(page, "张桂兰")
    dialog = page.open_visit_dialog()
    assert isinstance(dialog, VisitDialog)
    assert set(c.text().split("（")[0] for c in dialog.member_checks.values()) == {
        "张桂兰",
        "张建军",
        "刘晓燕",
    }
    assert dialog.visitor_edit.text() == "李晓梅"  # the grid's worker
    dialog.member_checks[street.ids["刘晓燕"]].setChecked(True)
    dialog.way_combo.setCurrentIndex(dialog.way_combo.findText("入户"))
    # no findings: refused inline, nothing written
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "情况记录" in dialog.error_label.text()
    dialog.findings_edit.setPlainText("老人身体尚可，女儿每周探望。")
    before = page._generation
    told: list[DataChanges] = []
    page.changed.connect(told.append)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._generation > before and not page.loading, timeout=8000)
    assert [c.changed_areas() for c in told] == [{"visits"}]  # no event raised: the events page stays
    with street.ctx.read() as s:
        v = s.scalars(select(Visit)).one()
        assert v.household_id == street.household and v.way == "HOME"
        assert sorted(m.resident_id for m in v.members) == sorted(
            [street.ids["张桂兰"], street.ids["刘晓燕"]]
        )
    assert sorted(_names(page)) == sorted(["张建军", "马东"])  # the two seen are done this month
    page.show_combo.setCurrentIndex(page.show_combo.findData("all"))
    assert len(_names(page)) == 4


def test_one_resident_visit_raising_an_event(qtbot, page, street) -> None:
    _select(page, "马东")
    dialog = page.open_visit_dialog()
    assert isinstance(dialog, VisitDialog)
    assert [c.isEnabled() for c in dialog.member_checks.values()] == [False]  # one resident, no household
    dialog.way_combo.setCurrentIndex(dialog.way_combo.findText("电话"))
    dialog.findings_edit.setPlainText("反映楼道消防通道被杂物堵塞。")
    dialog.event_check.setChecked(True)
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findText("消防安全 / 消防通道堵塞"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "事件地点" in dialog.error_label.text()  # a place is needed for the event
    dialog.place_edit.setText("新华小区5号楼")
    before = page._generation
    told: list[DataChanges] = []
    page.changed.connect(told.append)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._generation > before and not page.loading, timeout=8000)
    # 工作台 (today's lights) and 网格事件 depend on "events": they refresh
    assert [c.changed_areas() for c in told] == [{"visits", "events"}]
    assert HomePage.depends_on & told[0].changed_areas() and EventsPage.depends_on & told[0].changed_areas()
    with street.ctx.read() as s:
        v = s.scalars(select(Visit)).one()
        e = s.get(GridEvent, v.event_id)
        assert e is not None and e.resident_id == street.ids["马东"] and e.subcategory == "消防通道堵塞"
        assert e.description == "反映楼道消防通道被杂物堵塞。"
    assert "马东" not in _names(page)
    assert vs.due_list(street.ctx, grid="GC-01-001", include_done=True).done == 1


def test_no_selection_says_so(qtbot, page, no_modal_boxes) -> None:
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
    assert page.open_visit_dialog() is None
    assert no_modal_boxes and "选择" in no_modal_boxes[0][1]
    assert isinstance(page.table, QtWidgets.QTableView)
