"""A column of a :class:`~desktop.ui.models.column_table_model.ColumnTableModel`: what a row shows in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desktop.ui.qt import Qt

R = TypeVar("R")


def plain_text(value: object) -> str:
    """The default display formatter: ``None`` shows as blank, anything else as ``str(value)``."""
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a table of rows of type ``R``.

    ``value`` reads the raw value of a row, ``display`` formats it (default :func:`plain_text`);
    the other callables are optional and answer one item role each. ``sort_key`` is the value the
    model gives for its ``SORT_ROLE`` (default: the displayed text) and sorts by when it sorts itself.
    ``set_value`` makes the column editable (or, with ``checked``, checkable): it receives the row and
    the new value (a ``bool`` for a check box) and answers whether the value was taken.

    ``priority`` orders the columns for a narrow window (see :mod:`desktop.ui.widgets.column_fit`): 0 is
    a key column, never hidden for want of room; the higher the number the sooner the column is hidden.
    ``elide`` the side long texts are shortened on (``Qt.TextElideMode.ElideMiddle`` keeps both the start
    and the end of a long name, where names that share a beginning differ).
    """

    header: str
    value: Callable[[R], object]
    display: Callable[[object], str] = plain_text
    align: Qt.AlignmentFlag | int | None = None
    tooltip: Callable[[R], object] | None = None
    foreground: Callable[[R], object] | None = None
    background: Callable[[R], object] | None = None
    decoration: Callable[[R], object] | None = None
    font: Callable[[R], object] | None = None
    sort_key: Callable[[R], Any] | None = None
    edit_value: Callable[[R], object] | None = None
    checked: Callable[[R], bool] | None = None
    set_value: Callable[[R, object], bool] | None = None
    header_tooltip: str | None = None
    header_align: Qt.AlignmentFlag | int | None = None
    width: int = 90
    priority: int = 1
    elide: Qt.TextElideMode | None = None

    def text(self, row: R) -> str:
        return self.display(self.value(row))
