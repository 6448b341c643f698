"""The event loop's longest stall: how long the GUI stopped answering while something ran.

``StallMeter`` ticks a QTimer every 10 ms and keeps the longest gap between two ticks; a gap of 10 ms is
a free loop, anything longer is time the GUI thread spent elsewhere (building a page, a query run in the
GUI thread, a long paint). Use it around work started *from* the loop (``QTimer.singleShot``), so that
the work itself is inside the measured time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.tasks import running_tasks

TICK_MS = 10


class StallMeter(QtCore.QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        #: the longest gap between two ticks, in milliseconds
        self.longest_ms = 0.0

    def start(self) -> None:
        self.longest_ms = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self.last) * 1000)
        self.last = now


def longest_stall(
    start: Callable[[], None],
    done: Callable[[], bool] | None = None,
    timeout_s: float = 20.0,
    settle_ms: int = 300,
) -> float:
    """Run ``start`` from the event loop and answer the loop's longest stall (ms) until ``done()`` is true
    and no background task is left (then ``settle_ms`` more, for the results to be shown)."""
    app = QtWidgets.QApplication.instance()
    assert app is not None
    meter = StallMeter()
    meter.start()
    QtCore.QTimer.singleShot(0, start)
    deadline = time.perf_counter() + timeout_s
    finished_at: float | None = None
    while time.perf_counter() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        idle = running_tasks() == 0 and (done is None or done())
        if idle and finished_at is None:
            finished_at = time.perf_counter()
        elif not idle:
            finished_at = None
        if finished_at is not None and (time.perf_counter() - finished_at) * 1000 >= settle_ms:
            return meter.stop()
        time.sleep(0.001)
    meter.stop()
    raise TimeoutError("页面在规定时间内没有载入完成")
