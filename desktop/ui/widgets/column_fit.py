"""Lists choose their columns for the width they have.

:func:`fit_columns` watches a table view: when its viewport is narrower than the columns need, the least
important columns (highest :attr:`Column.priority`, the right-most first among equals) are hidden until the
rest fit; key columns (priority 0) always stay. Columns with an ``elide`` mode shorten long texts on that
side (the middle for long organisation names). A right click on the header lists the columns to show or
hide by hand; that choice wins over the automatic one and is kept in the UI settings (``columns/<key>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtWidgets
from desktop.ui.ui_settings import ui_settings

#: what a cell adds to its text's width (the item's padding and the style's margins)
TEXT_MARGIN = 16


class ElideDelegate(QtWidgets.QStyledItemDelegate):
    """Draws a cell's text elided on the given side (the view's elide mode is one for all columns)."""

    def __init__(self, mode: Qt.TextElideMode, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(
        self, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


def source_columns(model: QtCore.QAbstractItemModel | None) -> list[Column[Any]]:
    """The columns of the :class:`ColumnTableModel` under ``model`` (through any proxies)."""
    while isinstance(model, QtCore.QAbstractProxyModel):
        model = model.sourceModel()
    return list(model.columns) if isinstance(model, ColumnTableModel) else []


class ColumnFitter(QtCore.QObject):
    """Keeps the columns of ``view`` fitting its width; see the module doc."""

    def __init__(
        self, view: QtWidgets.QTableView, key: str, columns: Sequence[Column[Any]] | None = None
    ) -> None:
        super().__init__(view)
        self.view = view
        self.key = key
        self.columns = list(columns) if columns is not None else source_columns(view.model())
        header = view.horizontalHeader()
        #: the width each column wants (as the page set it up)
        self.widths = [header.sectionSize(i) or c.width for i, c in enumerate(self.columns)]
        if header.stretchLastSection() and self.columns:  # the last may be stretched already: its own width
            self.widths[-1] = min(self.widths[-1], self.columns[-1].width)
        settings = ui_settings()
        self.user_hidden: set[str] = set(_strings(settings.value(f"columns/{key}/hidden")))
        self.user_shown: set[str] = set(_strings(settings.value(f"columns/{key}/shown")))
        #: columns the page hides for what it shows (one organisation: no 所在党组织), whatever the width
        self.content_hidden: set[int] = set()
        for i, c in enumerate(self.columns):
            if c.elide is not None:
                view.setItemDelegateForColumn(i, ElideDelegate(c.elide, view))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        #: columns the user resized by hand: their width is theirs (the room left over is not shared with them)
        self.user_sized: set[int] = set()
        self._sizing = False
        header.sectionResized.connect(self._on_section_resized)
        model = view.model()
        if model is not None:  # new rows may need more room: share it again once they are shown
            model.modelReset.connect(self._fit_later)
            model.layoutChanged.connect(self._fit_later)
            model.rowsInserted.connect(self._fit_later)
        view.viewport().installEventFilter(self)
        self.fit()

    # ------------------------------------------------------------------ fitting

    def hidden_by_width(self, available: int) -> set[int]:
        """The columns to hide so that the others fit in ``available`` pixels."""
        shown = [
            i
            for i, c in enumerate(self.columns)
            if c.header not in self.user_hidden and i not in self.content_hidden
        ]
        need = sum(self.widths[i] for i in shown)
        candidates = sorted(
            (
                i
                for i in shown
                if self.columns[i].priority > 0 and self.columns[i].header not in self.user_shown
            ),
            key=lambda i: (-self.columns[i].priority, -i),
        )
        hidden: set[int] = set()
        for i in candidates:
            if need <= available:
                break
            hidden.add(i)
            need -= self.widths[i]
        # a wide column hidden may have left room for a narrower, less important one: take it back
        for i in sorted(hidden, key=lambda i: (self.columns[i].priority, i)):
            if need + self.widths[i] <= available:
                hidden.discard(i)
                need += self.widths[i]
        return hidden

    def fit(self) -> None:
        available = self.view.viewport().width()
        if available <= 0:
            return
        auto = self.hidden_by_width(available)
        self._sizing = True
        try:
            self._apply(auto)
        finally:
            self._sizing = False
        self.share_room(available)

    def _apply(self, auto: set[int]) -> None:
        for i, c in enumerate(self.columns):
            hide = c.header in self.user_hidden or i in auto or i in self.content_hidden
            if self.view.isColumnHidden(i) != hide:
                self.view.setColumnHidden(i, hide)
                if not hide and self.view.columnWidth(i) <= 0:
                    self.view.setColumnWidth(i, self.widths[i])

    def share_room(self, available: int) -> None:
        """Width left over once the shown columns have theirs goes first to the columns whose text on
        screen is cut (a case number, a grid's name), up to what they need, left to right; only then does
        the last column stretch over the rest."""
        if not self.view.isVisible():  # measured when shown (and a hidden list is not made to read its rows)
            return
        header = self.view.horizontalHeader()
        shown = [i for i in range(len(self.columns)) if not self.view.isColumnHidden(i)]
        stretch_last = header.stretchLastSection() and bool(shown)
        growable = shown[:-1] if stretch_last else shown
        room = available - sum(
            self.view.columnWidth(i) if i in self.user_sized else self.widths[i] for i in growable
        )
        if stretch_last:  # the stretching column keeps its own width, or what its text needs when more
            last = shown[-1]
            room -= max(min(self.widths[last], self.columns[last].width), self.text_width(last))
        self._sizing = True
        try:
            for i in growable:
                if i in self.user_sized or header.sectionResizeMode(i) != QtWidgets.QHeaderView.ResizeMode.Interactive:
                    continue
                want = max(self.text_width(i), header.sectionSizeHint(i)) if room > 0 else 0
                extra = max(0, min(want - self.widths[i], room))
                room -= extra
                if self.view.columnWidth(i) != self.widths[i] + extra:
                    self.view.setColumnWidth(i, self.widths[i] + extra)
        finally:
            self._sizing = False

    def text_width(self, column: int) -> int:
        """The width the texts of ``column`` on screen need (cheap: only the rows in view are measured, and a
        list that reads its rows in pages is not made to read more)."""
        view, model = self.view, self.view.model()
        if model is None or model.rowCount() == 0:
            return 0
        top = max(view.rowAt(0), 0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if bottom < 0:
            bottom = min(model.rowCount() - 1, top + 60)
        metrics = view.fontMetrics()
        widest = 0
        for row in range(top, bottom + 1):
            index = model.index(row, column)
            text = index.data()
            if text:
                extra = 20 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
                widest = max(widest, metrics.horizontalAdvance(str(text)) + extra)
        return widest + TEXT_MARGIN if widest else 0

    def _fit_later(self, *_args: object) -> None:
        QtCore.QTimer.singleShot(0, self, self.fit)

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        dragging = bool(QtWidgets.QApplication.mouseButtons() & Qt.MouseButton.LeftButton)
        if dragging and not self._sizing and self.view.horizontalHeader().underMouse():
            self.user_sized.add(index)  # the user dragged its edge: that width is theirs

    def set_content_hidden(self, columns: set[int]) -> None:
        """Hide ``columns`` for what the list shows (and show again the ones no longer in it)."""
        self.content_hidden = set(columns)
        self.fit()

    def visible_headers(self) -> list[str]:
        return [c.header for i, c in enumerate(self.columns) if not self.view.isColumnHidden(i)]

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.Show):
            self.fit()
        return False

    # ------------------------------------------------------------------ the user's choice

    def set_user_choice(self, header: str, shown: bool) -> None:
        """Show or hide a column by hand (kept in the settings)."""
        self.user_hidden.discard(header)
        self.user_shown.discard(header)
        (self.user_shown if shown else self.user_hidden).add(header)
        self._save()
        self.fit()

    def reset_user_choice(self) -> None:
        self.user_hidden.clear()
        self.user_shown.clear()
        self._save()
        self.fit()

    def _save(self) -> None:
        settings = ui_settings()
        settings.setValue(f"columns/{self.key}/hidden", sorted(self.user_hidden))
        settings.setValue(f"columns/{self.key}/shown", sorted(self.user_shown))
        settings.sync()

    def header_menu(self) -> QtWidgets.QMenu:
        menu = QtWidgets.QMenu(self.view)
        for i, c in enumerate(self.columns):
            action = menu.addAction(c.header)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(i))
            if c.priority == 0:
                action.setEnabled(False)  # a key column stays
            action.toggled.connect(lambda on, h=c.header: self.set_user_choice(h, on))
        menu.addSeparator()
        menu.addAction(self.tr("恢复默认列"), self.reset_user_choice)
        return menu

    def _on_header_menu_requested(self, pos: QtCore.QPoint) -> None:
        menu = self.header_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.horizontalHeader().mapToGlobal(pos))


def _strings(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def fit_columns(
    view: QtWidgets.QTableView, key: str, columns: Sequence[Column[Any]] | None = None
) -> ColumnFitter:
    """Make ``view`` choose its columns for its width (``key`` names it in the settings)."""
    return ColumnFitter(view, key, columns)


__all__ = ["ColumnFitter", "ElideDelegate", "fit_columns", "source_columns"]
