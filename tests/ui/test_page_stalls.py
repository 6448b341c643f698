"""No page freezes the window: the event loop's longest stall while each area reloads its data, on the
community-scale demo data (1 community, 6 grids, ~2,000 residents, events, cases, Party members).

Measured with :class:`tests.ui.stall.StallMeter` (a 10 ms timer; the longest gap between two ticks). The
modules are imported once first (the program imports them at start-up), then each area is reloaded the
way 刷新/F5 does; the best of three runs is kept, since a loaded test machine only ever adds to a stall.
"""

from __future__ import annotations

from pathlib import Path

from desktop.ui.main_window import AREAS, MainWindow
from tests.ui.demo_data import demo_ctx  # noqa: F401  (fixture)
from tests.ui.stall import longest_stall

LIMIT_MS = 100


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
    slow = {k: round(v) for k, v in stalls.items() if v >= LIMIT_MS}
    assert not slow, f"页面载入时界面停顿超过 {LIMIT_MS} 毫秒：{slow}"
