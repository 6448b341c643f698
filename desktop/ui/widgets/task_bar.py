"""An inline progress row (what is happening, a progress bar, 取消) for slow work inside a dialog.

``run(label, work, on_done, on_error)`` starts ``work(report)`` with :func:`desktop.ui.tasks.run_in_background`;
``report(done, total, text)`` moves the bar (through a queued signal, from the worker thread) and raises
CancelledError once 取消 was clicked, so the service stops and rolls back. The row hides itself when
the work ends; ``busy_changed`` tells the dialog to enable or disable its buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.qt import QtCore, QtWidgets, Signal
from desktop.ui.tasks import Progress, run_in_background

Report = Callable[[int, int, str], None]


class _Relay(QtCore.QObject):
    """Carries a worker's progress to the GUI thread (queued)."""

    changed = Signal(int, int, str)


class TaskBar(QtWidgets.QWidget):
    busy_changed = Signal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._task: Progress | None = None
        self._relay = _Relay(self)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QtWidgets.QLabel("")
        self.label.setObjectName("figureDetail")
        self.bar = QtWidgets.QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel_button = QtWidgets.QPushButton(self.tr("取消"))
        lay.addWidget(self.label, 2)
        lay.addWidget(self.bar, 3)
        lay.addWidget(self.cancel_button)
        self.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self._relay.changed.connect(self._on_relay_changed)

    def is_busy(self) -> bool:
        return self._task is not None

    def run(
        self,
        label: str,
        work: Callable[[Report], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = self._relay

        def fn(progress: Progress) -> Any:
            def report(done: int, total: int, text: str = "") -> None:
                progress(done, total, text)  # raises CancelledError once 取消 was clicked
                relay.changed.emit(done, total, text)

            return work(report)

        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self.show()
        self._task = run_in_background(
            fn, lambda result: self._end(on_done, result), lambda exc: self._end(on_error, exc), parent=self
        )
        self.busy_changed.emit(True)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("正在取消…"))

    def _end(self, callback: Callable[[Any], None], value: Any) -> None:
        self._task = None
        self.hide()
        self.busy_changed.emit(False)
        callback(value)

    def _on_relay_changed(self, done: int, total: int, text: str) -> None:
        if self._task is None:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        if text and self.cancel_button.isEnabled():
            self.label.setText(text)
