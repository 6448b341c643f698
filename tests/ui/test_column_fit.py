"""Lists choose their columns for the width: the least important hidden first, key columns always shown,
the user's own choice (header menu) kept in the settings; long names elided in the middle."""

from __future__ import annotations

import pytest

from desktop.ui import screen_fit
from desktop.ui.main_window import MainWindow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtWidgets
from desktop.ui.widgets.column_fit import ElideDelegate, fit_columns
from tests.ui.demo_data import demo_ctx  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def wide_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1920×1080 screen: the window is not maximised onto the offscreen platform's 800×600 one, so the
    sizes the tests give it are the sizes it has."""
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget: QtCore.QRect(0, 0, 1920, 1040))


COLUMNS = [
    Column("编号", lambda r: r[0], width=120, priority=0, elide=Qt.TextElideMode.ElideMiddle),
    Column("日期", lambda r: r[1], width=100, priority=2),
    Column("备注", lambda r: r[2], width=200, priority=3),
    Column("状态", lambda r: r[3], width=80, priority=0),
]


def _view(qtbot, width: int) -> tuple[QtWidgets.QTableView, ColumnTableModel]:
    model: ColumnTableModel = ColumnTableModel(COLUMNS)
    model.set_rows([("（2026）新华社区人调字第001号", "2026-11-01", "备注", "调解中")])
    view = QtWidgets.QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    for i, c in enumerate(COLUMNS):
        view.setColumnWidth(i, c.width)
    view.resize(width, 200)
    view.show()
    return view, model


def _shown(view: QtWidgets.QTableView) -> list[str]:
    return [COLUMNS[i].header for i in range(len(COLUMNS)) if not view.isColumnHidden(i)]


def test_narrow_hides_the_least_important_first(qtbot) -> None:
    view, _ = _view(qtbot, 700)
    fitter = fit_columns(view, "test/list")
    assert _shown(view) == ["编号", "日期", "备注", "状态"]
    view.resize(400, 200)
    qtbot.waitUntil(lambda: _shown(view) == ["编号", "日期", "状态"], timeout=2000)
    view.resize(260, 200)
    qtbot.waitUntil(lambda: _shown(view) == ["编号", "状态"], timeout=2000)
    view.resize(120, 200)  # too narrow even for the key columns: they stay (the view scrolls)
    qtbot.waitUntil(lambda: view.viewport().width() < 130, timeout=2000)
    assert _shown(view) == ["编号", "状态"]
    view.resize(800, 200)
    qtbot.waitUntil(lambda: _shown(view) == ["编号", "日期", "备注", "状态"], timeout=2000)
    assert isinstance(view.itemDelegateForColumn(0), ElideDelegate)
    assert fitter.visible_headers() == _shown(view)


def test_the_users_choice_wins_and_is_remembered(qtbot) -> None:
    view, _ = _view(qtbot, 700)
    fitter = fit_columns(view, "test/list")
    menu = fitter.header_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert not actions["状态"].isEnabled()  # a key column cannot be hidden
    actions["日期"].setChecked(False)  # hidden by hand
    assert _shown(view) == ["编号", "备注", "状态"]
    view.resize(360, 200)
    fitter.set_user_choice("备注", True)  # wanted although narrow
    qtbot.waitUntil(lambda: _shown(view) == ["编号", "备注", "状态"], timeout=2000)

    again, _ = _view(qtbot, 700)
    fit_columns(again, "test/list")  # another view of the same list, later
    assert _shown(again) == ["编号", "备注", "状态"]
    fitter.reset_user_choice()
    view.resize(700, 200)
    qtbot.waitUntil(lambda: _shown(view) == ["编号", "日期", "备注", "状态"], timeout=2000)


def test_key_columns_are_visible_at_1366(qtbot, demo_ctx) -> None:  # noqa: F811
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()

    def visible(table: QtWidgets.QTableView) -> list[str]:
        model = table.model()
        return [
            model.headerData(i, Qt.Orientation.Horizontal)
            for i in range(model.columnCount())
            if not table.isColumnHidden(i)
            and table.columnViewportPosition(i) + 20 <= table.viewport().width()
        ]

    window.show_area("court")
    court = window.page("court")
    qtbot.waitUntil(lambda: court.track_model.rowCount() > 0, timeout=10000)
    assert {"案件编号", "当事人", "申请期限", "状态"} <= set(visible(court.track_table))
    assert court.legend.isVisible() and "红" in court.legend.text()

    window.show_area("mediation")
    mediation = window.page("mediation")
    qtbot.waitUntil(lambda: mediation.model.rowCount() > 0, timeout=10000)
    assert {"案件编号", "当事人", "阶段"} <= set(visible(mediation.table))
    assert len(visible(mediation.table)) >= 4

    window.show_area("party")
    party = window.page("party")
    members = party.members_tab
    qtbot.waitUntil(lambda: bool(party.tree_model.nodes()), timeout=10000)
    party.select_org(party.tree_model.nodes()[0].id)  # the street: members of several branches
    qtbot.waitUntil(lambda: members.model.rowCount() > 0, timeout=10000)
    assert {"姓名", "所在党组织"} <= set(visible(members.table))
    assert members.search_edit.width() >= 180

    window.resize(1280, 760)  # the narrower office screen: the events list keeps its key columns
    window.show_area("events")
    events = window.page("events")
    qtbot.waitUntil(lambda: events.model.rowCount() > 0, timeout=10000)
    qtbot.waitUntil(lambda: {"事件编号", "灯", "状态", "时限"} <= set(visible(events.table)), timeout=3000)


def test_nothing_is_cut_at_1280(qtbot, demo_ctx) -> None:  # noqa: F811
    """At 1280 wide every page fits its width, and no button, box or field is squeezed below its text."""
    from desktop.ui.main_window import AREAS
    from tests.ui.stall import longest_stall

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    cut: dict[str, list[str]] = {}
    for area in AREAS:
        if area.key not in window.visible_areas():  # 账号与角色, 审计日志: only with accounts
            continue
        longest_stall(lambda k=area.key: window.show_area(k))
        page = window.page(area.key)
        assert page.minimumSizeHint().width() <= page.width(), area.key
        for w in page.findChildren(QtWidgets.QPushButton) + page.findChildren(QtWidgets.QComboBox):
            if w.isVisible() and w.width() < w.minimumSizeHint().width():
                cut.setdefault(area.key, []).append(
                    w.text() if isinstance(w, QtWidgets.QPushButton) else "combo"
                )
        for edit in page.findChildren(QtWidgets.QLineEdit):  # a search box, not shrunk to "…"
            hint = edit.placeholderText()
            room = min(150, edit.fontMetrics().horizontalAdvance(hint) + 40)
            if (
                edit.isVisible()
                and hint
                and not isinstance(edit.parent(), QtWidgets.QComboBox)
                and edit.width() < room
            ):
                cut.setdefault(area.key, []).append(hint)
    assert not cut


def test_room_left_over_goes_to_cut_columns_before_the_last_stretches(qtbot) -> None:
    view, _model = _view(qtbot, 1200)
    view.horizontalHeader().setStretchLastSection(True)
    fitter = fit_columns(view, "test/room")
    number = view.fontMetrics().horizontalAdvance("（2026）新华社区人调字第001号")
    assert number > COLUMNS[0].width  # the case number needs more than its column's width
    qtbot.waitUntil(lambda: view.columnWidth(0) >= number, timeout=2000)  # shown whole at 1920-like widths
    assert view.columnWidth(1) == COLUMNS[1].width  # a column whose text fits keeps its width
    view.resize(330, 200)  # narrow again: only the room there is is shared, nothing runs off the view
    qtbot.waitUntil(lambda: view.columnWidth(0) < number, timeout=2000)
    shown = [i for i in range(len(COLUMNS)) if not view.isColumnHidden(i)]
    assert sum(view.columnWidth(i) for i in shown[:-1]) + COLUMNS[shown[-1]].width <= view.viewport().width()
    assert "编号" in fitter.visible_headers()


def test_events_list_at_1920_gives_the_grid_its_room(qtbot, demo_ctx) -> None:  # noqa: F811
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1900, 1000)
    window.show()
    window.show_area("events")
    events = window.page("events")
    qtbot.waitUntil(lambda: events.model.rowCount() > 0, timeout=10000)
    table = events.table
    grid = events.model.GRID
    qtbot.waitUntil(lambda: table.columnWidth(grid) >= events.columns.text_width(grid) > 0, timeout=5000)
    window.show_area("mediation")
    mediation = window.page("mediation")
    qtbot.waitUntil(lambda: mediation.model.rowCount() > 0, timeout=10000)
    numbers = [mediation.model.index(r, 0).data() for r in range(mediation.model.rowCount())]
    widest = max(mediation.table.fontMetrics().horizontalAdvance(n) for n in numbers)
    qtbot.waitUntil(lambda: mediation.table.columnWidth(0) > widest, timeout=5000)  # case numbers whole
