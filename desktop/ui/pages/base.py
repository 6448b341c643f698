"""The contract every page in the main window follows."""

from __future__ import annotations

from typing import ClassVar

from desktop.services.context import ServiceContext
from desktop.ui.data_changes import DataChanges
from desktop.ui.qt import QtWidgets, Signal


class Page(QtWidgets.QWidget):
    """A page of the main window.

    * ``activate()`` is called each time the page becomes visible: load or refresh lazily there,
      through services (and ``run_in_background`` when it could take more than ~50 ms); a page that
      loads only once reloads there when it is ``stale``.
    * emit ``changed`` with a :class:`DataChanges` after any successful write; the main window passes it
      to every other page's :meth:`apply_changes`.
    * ``depends_on`` names the areas of :class:`DataChanges` whose change makes this page out of date.
    * emit ``status_message`` with a short Chinese text for the status bar.
    """

    changed = Signal(object)  # DataChanges
    status_message = Signal(str)

    #: shown in the window title and the sidebar
    title: str = ""
    #: the areas (fields of DataChanges) this page shows
    depends_on: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: data changed elsewhere since the page last loaded: reload on the next ``activate()``
        self.stale = False

    def activate(self) -> None:
        """Called when the page is shown."""

    def apply_changes(self, changes: DataChanges) -> bool:
        """Another page (or the main window) changed data. If this page depends on it, it is marked
        stale and, when on screen, refreshed at once. Answers whether the page was interested."""
        if not changes.touches(self.depends_on):
            return False
        self.stale = True
        if self.isVisible():
            self.refresh()
        return True

    def refresh(self) -> None:
        """Reload what the page shows; pages override it (calling this to clear ``stale``)."""
        self.stale = False

    def emit_changes(self, *areas: str) -> None:
        """Tell the other pages which areas this page's write changed."""
        self.changed.emit(DataChanges.of(*areas))
