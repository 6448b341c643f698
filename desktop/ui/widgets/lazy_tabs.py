"""A tab widget that puts a tab's page into the window only when the tab is first shown.

With the application's style sheet, every widget put into a window is styled again with all its
children, so a page of five tabs paid for five tab pages before the first one showed (the 党建 and
司法确认 pages froze the window for a quarter of a second). Here the first tab goes in at once; every
other tab holds an empty slot until it is first shown, then its page moves in. The page object exists from
the start (signals connect, data loads into its models), it just is not styled or laid out yet.

``indexOf``, ``widget``, ``currentWidget`` and ``setCurrentWidget`` answer the tab's page, not the slot.
"""

from __future__ import annotations

from desktop.ui.qt import QtGui, QtWidgets


class _Slot(QtWidgets.QWidget):
    def __init__(self, content: QtWidgets.QWidget) -> None:
        super().__init__()
        self.content = content
        self.filled = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def fill(self) -> None:
        if not self.filled:
            self.filled = True
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.content)
            if self.isVisible():
                self.content.show()  # at once (a layout would show it on the next pass of the event loop)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        self.fill()
        super().showEvent(event)


class LazyTabWidget(QtWidgets.QTabWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        #: every tab page kept alive here until its slot takes it (a parentless widget is Python's to keep)
        self._slots: list[_Slot] = []

    def add_tab(self, page: QtWidgets.QWidget, text: str, tab_icon: QtGui.QIcon | None = None) -> int:
        """Add ``page`` as a tab: at once if it is the first, else when the tab is first shown."""
        shown: QtWidgets.QWidget = page
        if self.count() > 0:
            slot = _Slot(page)
            self._slots.append(slot)
            shown = slot
        if tab_icon is None:
            return self.addTab(shown, text)
        return self.addTab(shown, tab_icon, text)

    def is_built(self, page: QtWidgets.QWidget) -> bool:
        """Whether ``page`` is in the window yet (its tab has been shown)."""
        return all(slot.content is not page or slot.filled for slot in self._slots)

    def _slot_of(self, page: QtWidgets.QWidget | None) -> QtWidgets.QWidget | None:
        for slot in self._slots:
            if slot.content is page:
                return slot
        return page

    def indexOf(self, page: QtWidgets.QWidget) -> int:
        return super().indexOf(self._slot_of(page))

    def setCurrentWidget(self, page: QtWidgets.QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)

    def widget(self, index: int) -> QtWidgets.QWidget:
        shown = super().widget(index)
        return shown.content if isinstance(shown, _Slot) else shown

    def currentWidget(self) -> QtWidgets.QWidget:
        return self.widget(self.currentIndex())
