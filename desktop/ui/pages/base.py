"""The contract every page in the main window follows."""

from __future__ import annotations

from desktop.services.context import ServiceContext
from desktop.ui.qt import QtWidgets, Signal


class Page(QtWidgets.QWidget):
    """A page of the main window.

    * ``activate()`` is called each time the page becomes visible: load or refresh lazily there,
      through services (and ``run_in_background`` when it could take more than ~50 ms).
    * emit ``data_changed`` after any successful write, so other pages (工作台's figures) refresh.
    * emit ``status_message`` with a short Chinese text for the status bar.
    """

    data_changed = Signal()
    status_message = Signal(str)

    #: shown in the window title and the sidebar
    title: str = ""

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def activate(self) -> None:
        """Called when the page is shown."""
