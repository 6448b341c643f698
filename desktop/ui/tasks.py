"""Run slow work off the GUI thread: ``run_in_background(fn, on_done, on_error, …)``.

``fn`` receives a :class:`Progress` it can report to and poll for cancellation. Workers never touch
widgets; results and errors come back through queued signals on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6

from desktop.core.errors import CancelledError
from desktop.ui.qt import QtCore, QtWidgets, Signal


class Progress:
    """Handed to the worker: ``progress(done, total, text)`` and ``progress.cancelled``."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise CancelledError()
        self._signals.progress.emit(int(done), int(total), text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QtCore.QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _Task(QtCore.QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self.fn = fn
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # delivered to on_error on the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[_Task] = set()
T = TypeVar("T")


def run_in_background(
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    parent: QtWidgets.QWidget | None = None,
    title: str = "",
    cancellable: bool = True,
    pool: QtCore.QThreadPool | None = None,
) -> Progress:
    """Start ``fn(progress)`` on the thread pool. With ``title`` a progress dialog is shown."""
    task = _Task(fn)
    _running.add(task)
    dialog: QtWidgets.QProgressDialog | None = None
    if title:
        # a long task the user started (an import, the demo) may compute names' initials: pypinyin, which
        # the services import lazily, is imported here in the GUI thread, never first on the worker
        import pypinyin  # noqa: F401

        dialog = QtWidgets.QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setMinimumWidth(420)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(task.progress.cancel)

        def _on_progress(done: int, total: int, text: str) -> None:
            assert dialog is not None
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if text:
                dialog.setLabelText(text)

        task.signals.progress.connect(_on_progress)

    def _finish() -> None:
        _running.discard(task)
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reset()
            dialog.deleteLater()

    def _receiver_gone() -> bool:
        # the page that asked may have been closed while the work ran: deliver nothing to a dead widget
        return parent is not None and not shiboken6.isValid(parent)

    def _done(result: Any) -> None:
        _finish()
        if not _receiver_gone():
            on_done(result)

    def _failed(exc: BaseException) -> None:
        _finish()
        if _receiver_gone():
            if not isinstance(exc, CancelledError):
                from desktop.core.logs import log_exception

                log_exception(exc, "后台任务（窗口已关闭）")
            return
        if on_error is not None:
            on_error(exc)
        else:
            from desktop.ui.errors import show_error

            show_error(parent, exc)

    task.signals.done.connect(_done)
    task.signals.failed.connect(_failed)
    (pool or QtCore.QThreadPool.globalInstance()).start(task)
    return task.progress


def running_tasks() -> int:
    """How many background tasks have not delivered their result yet (tests wait for 0)."""
    return len(_running)


def start_now(fn: Callable[[], T], name: str) -> Future[T]:
    """Run ``fn`` at once on a thread of its own, for a result a page will want the moment it exists (the
    工作台's figures, computed while the main window is still being built: their queries run outside the
    GIL). The page hands the future to :func:`run_in_background` (``lambda _p: future.result()``), so the
    result still reaches it on the GUI thread, through the same queued signals. What ``fn`` uses must be
    imported before (the same rule as for ``run_in_background``)."""
    future: Future[T] = Future()

    def work() -> None:
        try:
            future.set_result(fn())
        except BaseException as exc:  # given to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=work, name=name, daemon=True).start()
    return future
