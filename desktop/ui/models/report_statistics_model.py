"""人民调解统计表 as a table: one row per dispute type and per source, each block closed by its 合计."""

from __future__ import annotations

import decimal

from desktop.domain.reports import STATISTICS_COLUMNS, MediationStatistics, StatisticsRow
from desktop.ui.qt import Qt, QtCore, QtGui

NO_PARENT = QtCore.QModelIndex()
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TOTAL_BACKGROUND = "#eef3fa"


class ReportStatisticsTableModel(QtCore.QAbstractTableModel):
    GROUP, LABEL, RECEIVED, SETTLED, PERFORMED, CONFIRMED, AMOUNT = range(7)
    FIELDS = ("received", "settled", "performed", "confirmed", "amount")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, StatisticsRow]] = []
        self._headers = [self.tr("类别"), self.tr("项目"), *(self.tr(h) for h in STATISTICS_COLUMNS)]
        self._groups = (self.tr("纠纷类型"), self.tr("案件来源"))
        self._bold = QtGui.QFont()
        self._bold.setBold(True)
        self._total_brush = QtGui.QBrush(QtGui.QColor(TOTAL_BACKGROUND))

    def set_statistics(self, stats: MediationStatistics | None) -> None:
        self.beginResetModel()
        self._rows = []
        if stats is not None:
            self._rows = [(self._groups[0], r) for r in stats.by_type] + [
                (self._groups[1], r) for r in stats.by_source
            ]
        self.endResetModel()

    def row_at(self, row: int) -> StatisticsRow | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return LEFT if section <= self.LABEL else RIGHT
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        group, row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.GROUP:
                return group
            if col == self.LABEL:
                return row.label
            value = getattr(row, self.FIELDS[col - self.RECEIVED])
            if value is None:
                return "—"
            if isinstance(value, decimal.Decimal):
                return f"{value:,.2f}"
            return f"{value:,}"
        if role == Qt.ItemDataRole.EditRole and col >= self.RECEIVED:
            value = getattr(row, self.FIELDS[col - self.RECEIVED])
            return float(value) if isinstance(value, decimal.Decimal) else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if col <= self.LABEL else RIGHT
        if role == Qt.ItemDataRole.FontRole and row.is_total:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.is_total:
            return self._total_brush
        return None
