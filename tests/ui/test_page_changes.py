"""Pages tell each other what changed through one signal (``Page.changed`` carrying ``DataChanges``), routed
by the main window: exactly the pages that depend on the changed areas refresh (at once when on screen,
on their next visit otherwise), and the page that made the change is not told about it."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.ui.data_changes import DataChanges
from desktop.ui.main_window import AREAS, MainWindow


def test_changes_are_flags_that_combine() -> None:
    assert not DataChanges()
    both = DataChanges.of("grids") | DataChanges(residents=True)
    assert both == DataChanges(grids=True, residents=True)
    assert both.changed_areas() == {"grids", "residents"}
    assert both.touches({"residents", "party"}) and not both.touches({"party"})
    assert DataChanges.everything().changed_areas() == set(DataChanges.areas())
    with pytest.raises(TypeError):
        DataChanges.of("weather")


@pytest.fixture
def window(qtbot: Any, street_ctx: Any) -> MainWindow:
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    w.show()
    w.show_area("home")
    home = w.page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=5000)
    return w


def _record_refreshes(window: MainWindow) -> list[str]:
    """Build every page and replace its ``refresh`` by a recorder (so nothing loads in the background)."""
    refreshed: list[str] = []
    for area in AREAS:
        page = window.page(area.key)

        def refresh(key: str = area.key, page: Any = page) -> None:
            page.stale = False
            refreshed.append(key)

        page.refresh = refresh
    return refreshed


def _stale(window: MainWindow) -> set[str]:
    return {key for key, page in window.pages.items() if page.stale}


def test_a_residents_change_refreshes_exactly_the_interested_pages(window: MainWindow) -> None:
    refreshed = _record_refreshes(window)
    window.page("residents").emit_changes("residents")
    assert refreshed == ["home"]  # on screen and it counts residents: refreshed at once
    assert _stale(window) == {"grids", "visits"}  # 在册居民 column, 今日应走访: refreshed when next shown
    window.show_area("grids")
    assert refreshed == ["home", "grids"] and _stale(window) == {"visits"}


def test_a_structure_change_reaches_every_page_that_shows_communities(window: MainWindow, qtbot: Any) -> None:
    from desktop.services import structure

    refreshed = _record_refreshes(window)
    window.show_area("mediation")  # on screen, but it does not show communities
    assert refreshed == ["mediation"]  # its own activate
    refreshed.clear()
    street = structure.get_street(window.ctx)
    assert street is not None
    structure.save_street(window.ctx, "新名街道", street.district, street.city, street.address, street.phone,
                          version=street.version)  # fmt: skip
    window.page("settings").emit_changes("structure")
    assert refreshed == []  # the page on screen was not interested
    assert _stale(window) == {"home", "grids", "residents", "party", "reports"}  # not settings: the source
    assert window.street_label.text() == "新名街道"


def test_an_events_change_refreshes_home_and_the_event_list(window: MainWindow) -> None:
    refreshed = _record_refreshes(window)
    window.page("events").emit_changes("events")
    assert refreshed == ["home"]  # on screen: its red and yellow events
    assert _stale(window) == set()  # nothing else shows events; the source is not told
    window.page("court").emit_changes("judicial", "settings", "events")  # a holiday change
    assert "events" in _stale(window)


def test_the_main_window_routes_its_own_changes_to_all_pages(window: MainWindow) -> None:
    refreshed = _record_refreshes(window)
    interested = window.broadcast_changes(DataChanges.of("judicial", "settings"))
    assert set(interested) == {"home", "residents", "mediation", "court", "settings", "events", "visits"}
    assert refreshed == ["home"]
    assert not window.broadcast_changes(DataChanges())
