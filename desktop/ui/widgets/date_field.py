"""The one date field: a calendar popup, yyyy-MM-dd, an optional mode (may be empty, with a clear button).

It never reads the clock: where "today" matters (the default of a required date, the latest allowed
date, the month the calendar opens on while empty) the caller passes it (``today=``, :meth:`set_today`).

* required: ``DateField(value, today=today)`` is ``value``, else ``today``.
* optional: ``DateField(value, optional=True)`` may be empty (shown as “未填写” or ``empty_text``); the
  ✕ in the field empties it; :meth:`value` is ``None`` then.
* ``maximum``/``minimum`` bound the date (``maximum=today``: no future dates).
"""

from __future__ import annotations

import datetime as dt

from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtGui, QtWidgets, Signal

#: the stored date that means "empty" in optional mode (shown as the special value text)
EMPTY = QtCore.QDate(1900, 1, 1)
#: the earliest date a required field accepts unless told otherwise
EARLIEST = QtCore.QDate(1900, 1, 2)


def to_date(value: QtCore.QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DateField(QtWidgets.QDateEdit):
    #: the value changed (a date was picked or typed, or the field was emptied)
    changed = Signal()

    def __init__(
        self,
        value: dt.date | None = None,
        *,
        optional: bool = False,
        today: dt.date | None = None,
        minimum: dt.date | None = None,
        maximum: dt.date | None = None,
        empty_text: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.today: dt.date | None = today
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMinimumWidth(150 if optional else 130)  # optional: room for the ✕ beside the date
        self._minimum = QtCore.QDate(minimum) if minimum else EARLIEST
        self.setMinimumDate(EMPTY if optional else self._minimum)
        if maximum is not None:
            self.setMaximumDate(QtCore.QDate(maximum))
        self.clear_action: QtGui.QAction | None = None
        if optional:
            self.setSpecialValueText(empty_text or self.tr("未填写"))
            self.clear_action = self.lineEdit().addAction(
                icon("clear"), QtWidgets.QLineEdit.ActionPosition.TrailingPosition
            )
            self.clear_action.setToolTip(self.tr("清空"))
            self.clear_action.triggered.connect(self._on_clear_action_triggered)
        self.dateChanged.connect(self._on_date_changed)
        # the calendar popup is made when it is first needed (a mouse press or key on the field): making
        # one per field up front cost a page of date fields a noticeable pause when it was first shown
        self._calendar_watched = False
        self.set_value(value)

    # ---------------------------------------------------------------- value

    def value(self) -> dt.date | None:
        if self.is_empty():
            return None
        return to_date(self.date())

    def set_value(self, value: dt.date | None) -> None:
        if value is not None:
            self.setDate(QtCore.QDate(value))
        elif self.optional:
            self.setDate(EMPTY)
        elif self.today is not None:
            self.setDate(QtCore.QDate(self.today))
        self._update_clear_action()

    def is_empty(self) -> bool:
        return self.optional and self.date() == EMPTY

    def set_today(self, today: dt.date) -> None:
        """The day a required field starts on when it has no value; the month an empty calendar opens on."""
        self.today = today
        if not self.optional and self.date() <= self._minimum:
            self.setDate(QtCore.QDate(today))

    def _update_clear_action(self) -> None:
        if self.clear_action is not None:
            self.clear_action.setVisible(not self.is_empty() and self.isEnabled())

    def _on_clear_action_triggered(self) -> None:
        self.set_value(None)

    def _on_date_changed(self, *_a: object) -> None:
        self._update_clear_action()
        self.changed.emit()

    def calendarWidget(self) -> QtWidgets.QCalendarWidget:
        calendar = super().calendarWidget()
        if not self._calendar_watched:
            self._calendar_watched = True
            calendar.installEventFilter(self)
        return calendar

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.calendarWidget()  # before the popup opens
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        self.calendarWidget()
        super().keyPressEvent(event)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # an empty field's calendar opens on today's month (given), not on January 1900
        if event.type() == QtCore.QEvent.Type.Show and self.is_empty() and self.today is not None:
            self.calendarWidget().setCurrentPage(self.today.year, self.today.month)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.EnabledChange:
            self._update_clear_action()
