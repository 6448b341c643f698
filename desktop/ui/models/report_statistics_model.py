"""人民调解统计表 as a table: one row per dispute type and per source, each block closed by its 合计."""

from __future__ import annotations

import decimal

from desktop.domain.reports import STATISTICS_COLUMNS, MediationStatistics, StatisticsRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TOTAL_BACKGROUND = "#eef3fa"


def _figure(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, decimal.Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def _edit(value: object) -> object:
    return float(value) if isinstance(value, decimal.Decimal) else value


GroupedRow = tuple[str, StatisticsRow]


class ReportStatisticsTableModel(ColumnTableModel[GroupedRow]):
    GROUP, LABEL, RECEIVED, SETTLED, PERFORMED, CONFIRMED, AMOUNT = range(7)
    FIELDS = ("received", "settled", "performed", "confirmed", "amount")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        self._groups = (self.tr("纠纷类型"), self.tr("案件来源"))
        bold = QtGui.QFont()
        bold.setBold(True)
        total_brush = QtGui.QBrush(QtGui.QColor(TOTAL_BACKGROUND))

        def figure(header: str, field: str) -> Column[GroupedRow]:
            def value(r: GroupedRow) -> object:
                return getattr(r[1], field)

            return Column(
                header,
                value,
                _figure,
                align=RIGHT,
                header_align=RIGHT,
                edit_value=lambda r: _edit(value(r)),
            )

        columns = [
            Column(self.tr("类别"), lambda r: r[0], align=LEFT, header_align=LEFT),
            Column(self.tr("项目"), lambda r: r[1].label, align=LEFT, header_align=LEFT),
        ]
        columns += [figure(self.tr(h), f) for h, f in zip(STATISTICS_COLUMNS, self.FIELDS, strict=True)]
        super().__init__(
            columns,
            parent,
            row_background=lambda r: total_brush if r[1].is_total else None,
        )
        self._bold = bold

    def set_statistics(self, stats: MediationStatistics | None) -> None:
        rows: list[GroupedRow] = []
        if stats is not None:
            rows = [(self._groups[0], r) for r in stats.by_type] + [
                (self._groups[1], r) for r in stats.by_source
            ]
        self.set_rows(rows)

    def cell_data(self, row: GroupedRow, col: Column[GroupedRow], role: int) -> object:
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if row[1].is_total else None
        return super().cell_data(row, col, role)
