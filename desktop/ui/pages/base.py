"""The contract every page in the main window follows."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, ClassVar

from desktop.services.context import ServiceContext
from desktop.ui.data_changes import DataChanges
from desktop.ui.qt import Qt, QtWidgets, Signal


class Page(QtWidgets.QWidget):
    """A page of the main window.

    * ``activate()`` is called each time the page becomes visible: load or refresh lazily there,
      through services (and ``run_in_background`` when it could take more than ~50 ms); a page that
      loads only once reloads there when it is ``stale``.
    * emit ``changed`` with a :class:`DataChanges` after any successful write; the main window passes it
      to every other page's :meth:`apply_changes`.
    * ``depends_on`` names the areas of :class:`DataChanges` whose change makes this page out of date.
    * emit ``status_message`` with a short Chinese text for the status bar.
    * the keyboard (the main window's 编辑 and 视图 menus): Ctrl+F calls :meth:`focus_search`, Ctrl+N
      :meth:`trigger_new`, F5 :meth:`refresh`. By default the search box is the page's ``search_edit`` and
      the "new" button the first of :attr:`new_button_names` the page has; a page overrides
      :meth:`search_field` / :meth:`new_button_widget` when its are elsewhere (in a tab).
    """

    changed = Signal(object)  # DataChanges
    status_message = Signal(str)
    #: send the user elsewhere: an area key, or "area/step" (the main window shows the area and calls its
    #: page's :meth:`start_step`), e.g. "settings/community" from a hint "请先新增社区"
    navigate = Signal(str)

    #: shown in the window title and the sidebar
    title: str = ""
    #: the areas (fields of DataChanges) this page shows
    depends_on: ClassVar[frozenset[str]] = frozenset()
    #: the attributes holding the page's "new" button (Ctrl+N), the first present wins
    new_button_names: ClassVar[tuple[str, ...]] = ("new_button", "add_button", "start_button", "entry_button")

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: data changed elsewhere since the page last loaded: reload on the next ``activate()``
        self.stale = False

    def activate(self) -> None:
        """Called when the page is shown."""

    def adopt_prefetch(self, loading: Future[Any]) -> None:
        """Its first load, started before the page was built (``Area.prefetch``): a page that has one uses
        it on its first ``activate()`` instead of starting the same load again."""

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

    # ---------------------------------------------------------------- keyboard

    def search_field(self) -> QtWidgets.QWidget | None:
        """The page's search box, or None."""
        widget = getattr(self, "search_edit", None)
        return widget if isinstance(widget, QtWidgets.QWidget) else None

    def new_button_widget(self) -> QtWidgets.QAbstractButton | None:
        """The button that starts the page's main "new" action, or None."""
        for name in self.new_button_names:
            widget = getattr(self, name, None)
            if isinstance(widget, QtWidgets.QAbstractButton):
                return widget
        return None

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the search box, its text selected. Answers whether there was one."""
        field = self.search_field()
        if field is None or not field.isEnabled():
            return False
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(field, QtWidgets.QLineEdit):
            field.selectAll()
        return True

    def start_step(self, step: str) -> None:
        """Begin ``step`` here (the user followed a link "area/step"): pages add their own steps; by
        default "new" is :meth:`trigger_new` and "search" :meth:`focus_search`."""
        if step == "new":
            self.trigger_new()
        elif step == "search":
            self.focus_search()

    def trigger_new(self) -> bool:
        """Ctrl+N: click the page's "new" button when it is enabled. Answers whether it was clicked."""
        button = self.new_button_widget()
        if button is None or not button.isEnabled():
            return False
        button.click()
        return True
