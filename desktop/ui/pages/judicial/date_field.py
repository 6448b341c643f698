"""A date that may be empty: a check box (“已填写”) and a QDateEdit."""

from __future__ import annotations

import datetime as dt

from desktop.ui.qt import QtCore, QtWidgets, Signal

EMPTY = QtCore.QDate(2000, 1, 1)


class OptionalDateEdit(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, *, today: dt.date) -> None:
        """``today`` (the context's clock) is the date offered when the box is ticked."""
        super().__init__(parent)
        self.today = today
        self.check = QtWidgets.QCheckBox()
        self.edit = QtWidgets.QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(EMPTY)
        self.edit.setSpecialValueText(self.tr("（未填）"))  # shown while the date is EMPTY
        self.edit.setDate(EMPTY)
        self.edit.setEnabled(False)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateChanged.connect(lambda *_a: self.changed.emit())

    def _on_check_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.date() == EMPTY:
            self.edit.setDate(QtCore.QDate(self.today))
        elif not on:
            self.edit.setDate(EMPTY)
        self.changed.emit()

    def value(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, day: dt.date | None) -> None:
        if day is not None:
            self.edit.setDate(QtCore.QDate(day.year, day.month, day.day))
        self.check.setChecked(day is not None)
        if day is None:
            self.edit.setDate(EMPTY)
