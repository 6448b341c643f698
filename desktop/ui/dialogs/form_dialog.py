"""The one form-dialog base: a heading, a form that scrolls, errors shown inline, OK/取消 always visible.

Subclasses fill the form with :meth:`add_row` (or ``self.form.addRow`` plus ``self.fields``) and implement
:meth:`submit` (one service call). A known error stays in the dialog with the field outlined; anything
else goes to the one error path. Every dialog:

* fits a 1366×768 screen less its taskbar (:data:`MAX_SIZE`) and its window frame: the form body is in a
  scroll area and the error label and the button box are outside it, so the buttons are always visible;
  long forms may use :meth:`FormDialog.second_column`;
* opens one way, non-blocking (``open()``), and remembers its size and place per dialog class and per
  screen (``ui.ini``, :mod:`desktop.ui.screen_fit`), pulled back inside the screen's available geometry;
* by keyboard: Tab goes down the form row by row (:func:`order_tabs`), Enter saves (OK is the only
  default button), Esc cancels;
* never reads the clock: ``today`` is given by the caller (the service context's clock).
"""

from __future__ import annotations

import datetime as dt
import itertools

from desktop.services.context import ServiceContext
from desktop.ui import screen_fit
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.inline_errors import InlineErrors

#: a 1366×768 screen less a taskbar
MAX_SIZE = QtCore.QSize(1366, 728)


def open_dialog(dialog: QtWidgets.QDialog) -> QtWidgets.QDialog:
    """The one way a dialog opens: window-modal and non-blocking (``open()``), deleted once closed.

    The caller connects ``accepted``/``finished`` before; the dialog is returned (tests drive it).
    """
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def new_form() -> QtWidgets.QFormLayout:
    form = QtWidgets.QFormLayout()
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(9)
    form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class FormScrollArea(QtWidgets.QScrollArea):
    """Asks for the whole form (QScrollArea's own hint stops at 24 lines), up to what fits on the screen."""

    def sizeHint(self) -> QtCore.QSize:
        widget = self.widget()
        if widget is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        hint = widget.sizeHint() + QtCore.QSize(frame, frame)
        bar = self.verticalScrollBar().sizeHint().width()
        return QtCore.QSize(hint.width() + bar, hint.height()).boundedTo(MAX_SIZE)

    def minimumSizeHint(self) -> QtCore.QSize:
        widget = self.widget()
        if widget is None:
            return super().minimumSizeHint()
        return QtCore.QSize(widget.minimumSizeHint().width(), min(widget.minimumSizeHint().height(), 160))


def focus_chain(widget: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """The widgets Tab should visit, in the order they are laid out: rows top to bottom, each row left to
    right (a form's rows, a grid's cells, a box's items, a tab widget's pages, a scroll area's body)."""
    found: list[QtWidgets.QWidget] = []

    def visit_widget(w: QtWidgets.QWidget) -> None:
        if isinstance(w, QtWidgets.QTabWidget):
            found.append(w.tabBar())
            for i in range(w.count()):
                visit_widget(w.widget(i))
        elif isinstance(w, QtWidgets.QScrollArea):
            inner = w.widget()
            if inner is not None:
                visit_widget(inner)
        elif w.layout() is not None and not isinstance(w, (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)):
            visit_layout(w.layout())
        elif w.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus:
            found.append(w)

    def visit_item(item: QtWidgets.QLayoutItem | None) -> None:
        if item is None:
            return
        if (w := item.widget()) is not None:
            visit_widget(w)
        elif (inner := item.layout()) is not None:
            visit_layout(inner)

    def visit_layout(layout: QtWidgets.QLayout) -> None:
        if isinstance(layout, QtWidgets.QFormLayout):
            roles = (
                QtWidgets.QFormLayout.ItemRole.LabelRole,
                QtWidgets.QFormLayout.ItemRole.FieldRole,
                QtWidgets.QFormLayout.ItemRole.SpanningRole,
            )
            for row in range(layout.rowCount()):
                for role in roles:
                    visit_item(layout.itemAt(row, role))
        elif isinstance(layout, QtWidgets.QGridLayout):
            cells = []
            for i in range(layout.count()):
                r, c, _rs, _cs = layout.getItemPosition(i)
                cells.append((r, c, i))
            for _r, _c, i in sorted(cells):
                visit_item(layout.itemAt(i))
        else:
            for i in range(layout.count()):
                visit_item(layout.itemAt(i))

    visit_widget(widget)
    return found


def order_tabs(widget: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """Set the Tab chain of ``widget``'s children to :func:`focus_chain`'s order; answers the chain."""
    chain = focus_chain(widget)
    for a, b in itertools.pairwise(chain):
        QtWidgets.QWidget.setTabOrder(a, b)
    return chain


class SizedDialog(QtWidgets.QDialog):
    """A dialog that fits its screen and remembers its size and place, per screen (``ui.ini``).

    Never larger than :data:`MAX_SIZE` nor than the screen's available geometry less the window frame;
    a remembered place on another screen, or beyond this one's edge, is pulled back in. The base of every
    form (:class:`FormDialog`), of the cards and of the previews.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._size_restored = False

    def sizeHint(self) -> QtCore.QSize:
        return super().sizeHint().boundedTo(MAX_SIZE)

    def settings_key(self) -> str:
        return f"dialogs/{type(self).__name__}/geometry"

    def setVisible(self, visible: bool) -> None:
        # sized here, before QWidget.setVisible's own adjustSize(): that one would use a stale size hint and
        # cap a window at 2/3 of the screen (a form 100 px high, an intake form cut at 480 px on a 768 screen)
        first = visible and not self._size_restored
        if first:
            self._size_restored = True
            self.prepare()
            saved = screen_fit.saved_rect(self.settings_key(), self)
            self.resize(self.initial_size(saved))
            if saved is not None:
                self.move(saved.topLeft())  # the frame's corner, as saved; pulled in below if off screen
        super().setVisible(visible)
        if first:
            screen_fit.keep_on_screen(self)  # centred on a parent near the edge: pulled back in

    def prepare(self) -> None:
        """A hook run once, just before the dialog first shows (the form orders its Tab chain there)."""

    def measure(self) -> None:
        """Bring the size hint up to date with what was added since the layout last measured (a hook)."""

    def initial_size(self, saved: QtCore.QRect | None = None) -> QtCore.QSize:
        """The remembered size, else the size hint; never more than the screen (less a taskbar) allows."""
        self.measure()
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()
        wanted = saved.size() if saved is not None else self.sizeHint()
        return wanted.expandedTo(self.minimumSizeHint()).boundedTo(self.size_limit())

    def size_limit(self) -> QtCore.QSize:
        """:data:`MAX_SIZE`, or less on a smaller screen: its available geometry less the window frame."""
        return MAX_SIZE.boundedTo(screen_fit.client_limit(self))

    def done(self, result: int) -> None:
        if self._size_restored:
            screen_fit.save_rect(self.settings_key(), self, QtCore.QRect(self.pos(), self.size()))
        super().done(result)


class FormDialog(SizedDialog):
    """``self.fields`` maps the service's field names to widgets (errors outline them)."""

    def __init__(
        self,
        title: str,
        heading: str = "",
        note: str = "",
        parent: QtWidgets.QWidget | None = None,
        *,
        ctx: ServiceContext | None = None,
        width: int = 520,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: the day the dialog counts from (defaults, latest dates): given, or the context's clock
        self.today: dt.date | None = today if today is not None else ctx.today() if ctx is not None else None
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.fields: dict[str, QtWidgets.QWidget] = {}
        self.warnings: list[str] = []
        self._errors: InlineErrors | None = None
        self.heading_label = QtWidgets.QLabel(heading)
        self.heading_label.setObjectName("sectionTitle")
        self.heading_label.setWordWrap(True)
        self.heading_label.setVisible(bool(heading))
        self.note_label = QtWidgets.QLabel(note)
        self.note_label.setObjectName("figureDetail")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        self.form = new_form()
        self.error_label = QtWidgets.QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        # the body scrolls; the error label and the buttons stay below it
        self.body_widget = QtWidgets.QWidget()
        self.body = QtWidgets.QVBoxLayout(self.body_widget)
        self.body.setContentsMargins(20, 18, 20, 4)
        self.body.setSpacing(10)
        self.body.addWidget(self.heading_label)
        self.body.addWidget(self.note_label)
        self.columns = QtWidgets.QHBoxLayout()
        self.columns.setSpacing(24)
        self.columns.addLayout(self.form, 1)
        self.body.addLayout(self.columns)
        self.extra = QtWidgets.QVBoxLayout()
        self.body.addLayout(self.extra)
        self.scroll = FormScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setWidget(self.body_widget)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 14)
        lay.setSpacing(10)
        lay.addWidget(self.scroll, 1)
        below = QtWidgets.QVBoxLayout()
        below.setContentsMargins(20, 0, 20, 0)
        below.setSpacing(10)
        below.addWidget(self.error_label)
        below.addWidget(self.buttons)
        lay.addLayout(below)

    def prepare(self) -> None:
        """Tab goes top to bottom; Enter saves (OK is the one default button), Esc cancels (QDialog)."""
        self.order_tabs()
        for button in self.findChildren(QtWidgets.QPushButton):
            button.setAutoDefault(False)  # else Enter would press the last button that had the focus
        self.ok_button.setDefault(True)

    def order_tabs(self) -> list[QtWidgets.QWidget]:
        """Lay the Tab chain along the form (call again after adding fields to a shown form)."""
        return order_tabs(self)

    def measure(self) -> None:
        # rows added after the body's layout first measured itself (subclasses add them after this base's
        # __init__) wait for a posted LayoutRequest; and a scroll area does not pass its widget's growth on
        self.body.activate()
        self.scroll.updateGeometry()

    # ---------------------------------------------------------------- the form

    @property
    def errors(self) -> InlineErrors:
        if self._errors is None:
            self._errors = InlineErrors(self.error_label, self.fields)
        return self._errors

    def finish_form(self) -> None:
        """Call once ``fields`` is replaced wholesale (errors wire to the fields on first use)."""
        self._errors = None

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)

    def second_column(self) -> QtWidgets.QFormLayout:
        """A second form beside the first (long forms); ``add_row(..., form=this)``."""
        form = new_form()
        self.columns.addLayout(form, 1)
        return form

    def add_row(
        self,
        key: str,
        label: str,
        widget: QtWidgets.QWidget,
        hint: str = "",
        form: QtWidgets.QFormLayout | None = None,
    ) -> QtWidgets.QWidget:
        """A labelled field; ``key`` is the service's field name (errors outline it)."""
        self.fields[key] = widget
        self._errors = None
        if hint:
            widget.setToolTip(hint)
        (form or self.form).addRow(label, widget)
        return widget

    def submit(self) -> None:  # pragma: no cover - every dialog has its own
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        try:
            self.submit()
        except Exception as exc:
            self.report_error(exc)
            return
        self.accept()

    def report_error(self, exc: Exception) -> None:
        """A failed :meth:`submit`: known errors inline, bugs to the one error path."""
        self.errors.handle(self, exc)
        self.grow_to_fit()  # the error line takes room: the form keeps its height if the screen has it

    def grow_to_fit(self) -> None:
        """Grow (never shrink) the shown dialog to its size hint, as far as the screen allows."""
        if not self.isVisible():
            return
        self.measure()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.sizeHint().boundedTo(self.size_limit())
        if wanted.height() > self.height():
            self.resize(self.width(), wanted.height())
            screen_fit.keep_on_screen(self)
