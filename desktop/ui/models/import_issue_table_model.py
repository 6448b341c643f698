"""The problems an import found (行号, 字段, 值, 原因), errors in red, warnings in amber."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.exchange.issues import ImportIssue, value_text
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui

#: True for an error (the row is rejected), False for a warning (imported, to be checked)
IS_ERROR_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#9a5b00"


class ImportIssueTableModel(ColumnTableModel[ImportIssue]):
    ROW, FIELD, VALUE, REASON = range(4)
    sort_role = Qt.ItemDataRole.UserRole + 2
    row_role = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        tr = self.tr
        error_brush = QtGui.QBrush(QtGui.QColor(ERROR_COLOUR))
        warning_brush = QtGui.QBrush(QtGui.QColor(WARNING_COLOUR))
        warning_prefix, whole_row = tr("提示："), tr("（整行）")
        error_icon = icon("mdi6.close-circle-outline", ERROR_COLOUR)
        warning_icon = icon("warning", WARNING_COLOUR)
        super().__init__(
            [
                Column(
                    tr("行号"),
                    lambda i: i.row,
                    align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    decoration=lambda i: error_icon if i.is_error else warning_icon,
                ),
                Column(tr("字段"), lambda i: i.field or whole_row),
                Column(tr("值"), lambda i: value_text(i.value), tooltip=lambda i: value_text(i.value)),
                Column(
                    tr("原因"),
                    lambda i: ("" if i.is_error else warning_prefix) + i.reason,
                    tooltip=lambda i: i.reason,
                    foreground=lambda i: error_brush if i.is_error else warning_brush,
                ),
            ],
            parent,
        )

    def set_issues(self, issues: Iterable[ImportIssue]) -> None:
        self.set_rows(issues)

    def issues(self) -> list[ImportIssue]:
        return self.rows()

    def cell_data(self, row: ImportIssue, col: Column[ImportIssue], role: int) -> object:
        if role == IS_ERROR_ROLE:
            return row.is_error
        return super().cell_data(row, col, role)
