"""What the 党建 tabs share: follow the organisation picked in the tree, load in the background when shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.qt import QtGui, QtWidgets, Signal
from desktop.ui.tasks import run_in_background


class PartyTab(QtWidgets.QWidget):
    #: something was saved from this tab (the page refreshes the tree and the other tabs)
    changed = Signal()
    #: show this member's card
    member_requested = Signal(int)
    status_message = Signal(str)
    #: a load finished and is shown
    loaded = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.org_id: int | None = None
        self.loading = False
        self._stale = True
        self._generation = 0
        # results may arrive after the tab is gone (the window closed mid-load): then they are dropped
        self._alive = [True]
        alive = self._alive
        self.destroyed.connect(lambda *_a: alive.__setitem__(0, False))

    def set_org(self, org_id: int | None) -> None:
        self.org_id = org_id
        self.invalidate()

    def invalidate(self) -> None:
        """Mark the tab out of date; reload now if it is on screen."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self._generation += 1
        generation = self._generation
        self.loading = True
        work = self.fetch()

        alive = self._alive

        def done(result: Any) -> None:
            if not alive[0] or generation != self._generation:
                return
            self.loading = False
            self.show_result(result)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                show_error(self, exc)

        run_in_background(lambda _p: work(), done, failed, parent=self)

    # ---------------------------------------------------------------- for subclasses

    def fetch(self) -> Callable[[], Any]:
        """A function (run off the GUI thread) returning what :meth:`show_result` displays."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        raise NotImplementedError
