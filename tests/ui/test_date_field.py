"""The one date field: required and optional modes, the clear button, bounds, and no clock of its own."""

from __future__ import annotations

import datetime as dt

from desktop.core.errors import ValidationError
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.date_field import DateField
from desktop.ui.widgets.inline_errors import InlineErrors

TODAY = dt.date(2027, 2, 10)  # not the machine's date: the field must take it from its caller


def test_a_required_field_starts_on_the_given_today_and_respects_its_bounds(qtbot) -> None:
    field = DateField(today=TODAY, maximum=TODAY, minimum=dt.date(2020, 1, 1))
    qtbot.addWidget(field)
    assert field.value() == TODAY and field.calendarPopup() and field.displayFormat() == "yyyy-MM-dd"
    field.setDate(QtCore.QDate(2030, 1, 1))  # later than the maximum: clamped
    assert field.value() == TODAY
    field.setDate(QtCore.QDate(2001, 1, 1))
    assert field.value() == dt.date(2020, 1, 1)
    assert field.clear_action is None  # a required date cannot be emptied
    with_value = DateField(dt.date(2026, 3, 2), today=TODAY)
    qtbot.addWidget(with_value)
    assert with_value.value() == dt.date(2026, 3, 2)


def test_an_optional_field_may_be_empty_and_the_clear_button_empties_it(qtbot) -> None:
    field = DateField(optional=True, today=TODAY, empty_text="（未填）")
    qtbot.addWidget(field)
    field.show()
    assert field.value() is None and field.is_empty() and field.text() == "（未填）"
    assert field.clear_action is not None and not field.clear_action.isVisible()
    changes: list[int] = []
    field.changed.connect(lambda: changes.append(1))
    field.set_value(dt.date(1965, 7, 1))  # an old date (a birth date) is allowed
    assert field.value() == dt.date(1965, 7, 1) and field.clear_action.isVisible()
    field.clear_action.trigger()
    assert field.value() is None and field.text() == "（未填）" and len(changes) == 2
    # an empty field's calendar opens on today's month, not on January 1900
    cal = field.calendarWidget()
    popup = cal.window()  # the popup that holds the calendar
    popup.show()
    assert (cal.yearShown(), cal.monthShown()) == (TODAY.year, TODAY.month)
    popup.hide()


def test_inline_errors_outline_a_date_field_and_editing_clears_it(qtbot) -> None:
    label = QtWidgets.QLabel()
    field = DateField(today=TODAY)
    qtbot.addWidget(label)
    qtbot.addWidget(field)
    errors = InlineErrors(label, {"on_date": field})
    errors.handle(field, ValidationError("日期不能晚于今天。", field="on_date"))
    assert label.text() == "日期不能晚于今天。" and field.property("invalid") is True
    field.set_value(dt.date(2027, 1, 4))
    assert field.property("invalid") is False
