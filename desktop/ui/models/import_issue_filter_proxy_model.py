"""Shows all the problems of an import, only the errors (rejected rows) or only the warnings."""

from __future__ import annotations

from desktop.ui.models.import_issue_table_model import IS_ERROR_ROLE
from desktop.ui.qt import QtCore


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
