"""The problems an import found (行号, 字段, 值, 原因), errors in red, warnings in amber, with a filter proxy."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.exchange.issues import ImportIssue, value_text
from desktop.ui.icons import icon
from desktop.ui.qt import Qt, QtCore, QtGui

NO_PARENT = QtCore.QModelIndex()
#: True for an error (the row is rejected), False for a warning (imported, to be checked)
IS_ERROR_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#9a5b00"


class ImportIssueTableModel(QtCore.QAbstractTableModel):
    ROW, FIELD, VALUE, REASON = range(4)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._issues: list[ImportIssue] = []
        self._headers = [self.tr("行号"), self.tr("字段"), self.tr("值"), self.tr("原因")]
        self._error_brush = QtGui.QBrush(QtGui.QColor(ERROR_COLOUR))
        self._warning_brush = QtGui.QBrush(QtGui.QColor(WARNING_COLOUR))
        self._warning_prefix = self.tr("提示：")
        self._whole_row = self.tr("（整行）")
        self._error_icon = icon("mdi6.close-circle-outline", ERROR_COLOUR)
        self._warning_icon = icon("warning", WARNING_COLOUR)

    def set_issues(self, issues: Iterable[ImportIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def issues(self) -> list[ImportIssue]:
        return list(self._issues)

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers)
        return self._headers[section] if horizontal and role == Qt.ItemDataRole.DisplayRole else None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._issues):
            return None
        issue, col = self._issues[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.ROW:
                return "" if issue.row is None else str(issue.row)
            if col == self.FIELD:
                return issue.field or self._whole_row
            if col == self.VALUE:
                return value_text(issue.value)
            return ("" if issue.is_error else self._warning_prefix) + issue.reason
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.VALUE, self.REASON):
            return value_text(issue.value) if col == self.VALUE else issue.reason
        if role == Qt.ItemDataRole.DecorationRole and col == self.ROW:
            return self._error_icon if issue.is_error else self._warning_icon
        if role == Qt.ItemDataRole.ForegroundRole and col == self.REASON:
            return self._error_brush if issue.is_error else self._warning_brush
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.ROW:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == IS_ERROR_ROLE:
            return issue.is_error
        return None


class ImportIssueFilterProxyModel(QtCore.QSortFilterProxyModel):
    """All issues, only errors (rejected rows) or only warnings."""

    ALL, ERRORS, WARNINGS = range(3)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = self.ALL

    def set_mode(self, mode: int) -> None:
        self.beginFilterChange()
        self._mode = mode
        self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
    ) -> bool:
        if self._mode == self.ALL:
            return True
        model = self.sourceModel()
        is_error = model.data(model.index(source_row, 0, source_parent), IS_ERROR_ROLE)
        return bool(is_error) == (self._mode == self.ERRORS)
