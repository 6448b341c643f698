"""No page freezes the window: the event loop's longest stall while each area reloads its data, on the
community-scale demo data (1 community, 6 grids, ~2,000 residents, events, cases, Party members), and
while each area is first built in a fresh window.

Measured with :class:`tests.ui.stall.StallMeter` (a 10 ms timer; the longest gap between two ticks). The
modules are imported once first (the program imports them at start-up), then each area is reloaded the
way 刷新/F5 does; the best of three runs is kept, since a loaded test machine only ever adds to a stall.
"""

from __future__ import annotations

import gc
import importlib
import re
from inspect import getsource
from pathlib import Path

import pytest

from desktop.ui import screen_fit
from desktop.ui.main_window import AREAS, MainWindow
from desktop.ui.qt import QtCore
from desktop.ui.ui_settings import ui_settings
from tests.ui.demo_data import demo_ctx  # noqa: F401  (fixture)
from tests.ui.stall import longest_stall


@pytest.fixture(autouse=True)
def wide_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1920×1080 screen: the window is not maximised onto the offscreen platform's 800×600 one, so the
    sizes the tests give it are the sizes it has."""
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget: QtCore.QRect(0, 0, 1920, 1040))


#: the goal (issue 14: no freeze over 100 ms), met on an unloaded 2-core machine (the table each run prints)
LIMIT_MS = 100
#: what the suite asserts: a page loading its data or building all its tabs in the GUI thread (250–600 ms
#: before they were fixed) fails; the goal above is not asserted, because CI shares two cores between two
#: test workers and a timed assertion at the goal itself would fail with the machine's load, not the code
SUITE_LIMIT_MS = 250
#: fresh windows tried per area for its first build, at most
TRIES = 10


def test_the_meter_sees_a_freeze(qtbot) -> None:
    import time

    assert longest_stall(lambda: time.sleep(0.25)) >= 240
    assert longest_stall(lambda: None) < LIMIT_MS


def test_no_area_freezes_the_window_while_it_loads(qtbot, demo_ctx, tmp_path: Path) -> None:  # noqa: F811
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    for area in AREAS:  # every page built once, its modules imported
        longest_stall(lambda k=area.key: window.show_area(k))
    stalls = {}
    for area in AREAS:
        window.show_area(area.key)
        page = window.page(area.key)
        stalls[area.key] = min(longest_stall(page.refresh) for _ in range(3))
    print(f"重新载入的最长停顿（毫秒，目标 {LIMIT_MS}）：", {k: round(v) for k, v in stalls.items()})
    slow = {k: round(v) for k, v in stalls.items() if v >= SUITE_LIMIT_MS}
    assert not slow, f"页面载入时界面停顿超过 {SUITE_LIMIT_MS} 毫秒：{slow}"


def test_no_area_freezes_the_window_when_it_is_first_opened(qtbot, demo_ctx) -> None:  # noqa: F811
    """A fresh window per try, opening on 工作台; the area is then built from nothing (its widgets made,
    styled and laid out, its data loaded). Up to ten tries until one stays under the limit: the test
    machine is shared and a loaded CPU only ever adds to a stall. The page's modules are imported first:
    importing is a one-time cost of the program, not of building the page."""
    for area in AREAS:  # the page's modules imported (each factory imports its page's module)
        importlib.import_module(re.findall(r"from (desktop\.ui\.pages\.[\w.]+) import", getsource(area.factory))[0])
    stalls: dict[str, float] = {}
    for area in AREAS[1:]:
        best = float("inf")
        for _ in range(TRIES):
            if best < LIMIT_MS:
                break
            ui_settings().setValue("main/area", "home")
            window = MainWindow(demo_ctx)
            window.backup_timer.stop()
            window.resize(1366, 728)
            window.show()
            longest_stall(lambda: None)
            assert area.key not in window.pages
            gc.collect()  # the windows before this one are gone, not collected in the middle of this one
            best = min(best, longest_stall(lambda w=window, k=area.key: w.show_area(k)))
            window.close()
            window.deleteLater()
            QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        stalls[area.key] = best
    print(f"首次打开的最长停顿（毫秒，目标 {LIMIT_MS}）：", {k: round(v) for k, v in stalls.items()})
    slow = {k: round(v) for k, v in stalls.items() if v >= SUITE_LIMIT_MS}
    assert not slow, f"首次打开页面时界面停顿过长：{slow}（全部：{ {k: round(v) for k, v in stalls.items()} }）"
