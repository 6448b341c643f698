"""The numbered terms of an agreement being edited: 条款内容, 金额（元）, 履行期限 (editable in place)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass

from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore


@dataclass
class TermRow:
    text: str = ""
    amount: decimal.Decimal | None = None
    due_on: dt.date | None = None


def _amount(value: object) -> str:
    return "" if value is None else f"{value:,.2f}"


def _set_text(row: TermRow, value: object) -> bool:
    row.text = value
    return True


def _set_amount(row: TermRow, value: object) -> bool:
    text = str(value)
    try:
        row.amount = decimal.Decimal(text.replace(",", "").replace("元", "")) if text else None
    except decimal.InvalidOperation:
        return False
    return True


def _set_due(row: TermRow, value: object) -> bool:
    text = str(value)
    if not text:
        row.due_on = None
        return True
    d = QtCore.QDate.fromString(text.replace("/", "-").replace(".", "-"), "yyyy-M-d")
    if not d.isValid():
        return False
    row.due_on = d.toPython()
    return True


def _stripped(setter: Callable[[TermRow, object], bool]) -> Callable[[TermRow, object], bool]:
    return lambda row, value: setter(row, "" if value is None else str(value).strip())


class MediationTermTableModel(ColumnTableModel[TermRow]):
    TEXT, AMOUNT, DUE = range(3)

    def __init__(self, rows: list[TermRow] | None = None, parent: QtCore.QObject | None = None) -> None:
        centre = int(Qt.AlignmentFlag.AlignCenter)
        super().__init__(
            [
                Column(
                    self.tr("条款内容"),
                    lambda r: r.text,
                    edit_value=lambda r: r.text,
                    tooltip=lambda r: r.text or None,  # a long clause whole on hover
                    set_value=_stripped(_set_text),
                ),
                Column(
                    self.tr("金额（元）"),
                    lambda r: r.amount,
                    _amount,
                    align=centre,
                    edit_value=lambda r: "" if r.amount is None else str(r.amount),
                    set_value=_stripped(_set_amount),
                ),
                Column(
                    self.tr("履行期限"),
                    lambda r: r.due_on.isoformat() if r.due_on else "",
                    align=centre,
                    edit_value=lambda r: r.due_on.isoformat() if r.due_on else "",
                    tooltip=lambda r: self.tr("格式：2026-04-30"),
                    set_value=_stripped(_set_due),
                ),
            ],
            parent,
            numbered_rows=True,
        )
        self.set_rows(rows or [])

    def rows(self) -> list[TermRow]:
        """The terms that have a text (blank rows are dropped)."""
        return [r for r in super().rows() if r.text.strip()]

    def add_row(self) -> int:
        return self.insert_row(TermRow())
