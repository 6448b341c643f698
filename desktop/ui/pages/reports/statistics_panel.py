"""人民调解统计表: a month, quarter or year; cases by dispute type and by source; export to Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.services.context import ServiceContext
from desktop.services.reports import MediationStatistics, files, mediation_statistics
from desktop.services.structure import CommunityRow
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.report_statistics_model import ReportStatisticsTableModel
from desktop.ui.pages.reports.monthly_panel import recent_months
from desktop.ui.qt import QtWidgets, Signal
from desktop.ui.tasks import run_in_background

KINDS = (("month", "月度"), ("quarter", "季度"), ("year", "年度"))
QUARTERS = "一二三四"
COLUMN_WIDTHS = (90, 190, 90, 90, 90, 90, 130)


def period_choices(kind: str, today: dt.date) -> list[tuple[str, str]]:
    """(code, label) of the periods of ``kind`` up to ``today``, newest first."""
    if kind == "year":
        return [(str(y), f"{y}年") for y in range(today.year, today.year - 6, -1)]
    if kind == "quarter":
        index = today.year * 4 + (today.month - 1) // 3
        out = []
        for i in range(12):
            y, q = divmod(index - i, 4)
            out.append((f"{y}Q{q + 1}", f"{y}年第{QUARTERS[q]}季度"))
        return out
    return [(m, f"{m[:4]}年{int(m[5:])}月") for m in recent_months(today)]


class MediationStatisticsPanel(QtWidgets.QWidget):
    #: the table was computed and is shown
    computed = Signal()
    saved = Signal(str)
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stats: MediationStatistics | None = None
        self.busy = False
        self._generation = 0
        self._today = ctx.today()
        self.kind_combo = QtWidgets.QComboBox()
        for code, label in KINDS:
            self.kind_combo.addItem(self.tr(label), code)
        self.period_combo = QtWidgets.QComboBox()
        self.period_combo.setMinimumWidth(160)
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.setMinimumWidth(180)
        self.community_combo.addItem(self.tr("全街道"), None)
        self.compute_button = QtWidgets.QPushButton(icon("reports", "#ffffff"), self.tr("统计"))
        self.compute_button.setObjectName("primaryButton")
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出 Excel…"))
        self.info_label = QtWidgets.QLabel(self.tr("选择统计期间后点击“统计”。"))
        self.info_label.setObjectName("figureDetail")
        self.info_label.setWordWrap(True)
        bar = QtWidgets.QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(QtWidgets.QLabel(self.tr("期间")))
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.period_combo)
        bar.addSpacing(8)
        bar.addWidget(QtWidgets.QLabel(self.tr("范围")))
        bar.addWidget(self.community_combo)
        bar.addSpacing(8)
        bar.addWidget(self.compute_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.model = ReportStatisticsTableModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("statisticsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for col, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(col, width)
        for col in range(
            ReportStatisticsTableModel.RECEIVED, len(COLUMN_WIDTHS)
        ):  # the figures share the rest
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.notes_label = QtWidgets.QLabel()
        self.notes_label.setObjectName("figureDetail")
        self.notes_label.setWordWrap(True)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(8)
        lay.addLayout(bar)
        lay.addWidget(self.info_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.notes_label)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.compute_button.clicked.connect(self.compute)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._fill_periods()
        self._update_buttons()

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self._fill_periods()

    def set_communities(self, rows: list[CommunityRow]) -> None:
        keep = self.community_combo.currentData()
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("全街道"), None)
        for c in rows:
            self.community_combo.addItem(c.name + (self.tr("（已撤销）") if c.retired_on else ""), c.name)
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(keep), 0))

    def choose(self, period: str, community: str | None = None) -> None:
        kind = "quarter" if "Q" in period else ("month" if "-" in period else "year")
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.period_combo.setCurrentIndex(max(self.period_combo.findData(period), 0))
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(community), 0))

    def _fill_periods(self) -> None:
        self.period_combo.clear()
        for i, (code, label) in enumerate(period_choices(self.kind_combo.currentData() or "month", self._today)):
            self.period_combo.addItem(self.tr(label) + (self.tr("（未结束）") if i == 0 else ""), code)
        # the last complete period: the current one is still running (all zeros early in a month)
        self.period_combo.setCurrentIndex(min(1, self.period_combo.count() - 1))

    def _on_kind_combo_current_index_changed(self, *_a: object) -> None:
        self._fill_periods()

    # ---------------------------------------------------------------- computing

    def compute(self) -> None:
        period, community = self.period_combo.currentData(), self.community_combo.currentData()
        if not period:
            return
        self._generation += 1
        generation, ctx, today = self._generation, self.ctx, self._today
        self.busy = True
        self.info_label.setText(self.tr("正在统计…"))
        self._update_buttons()

        def done(stats: MediationStatistics) -> None:
            if generation != self._generation:
                return
            self.busy = False
            self.stats = stats
            self.model.set_statistics(stats)
            total = stats.by_type[-1]
            self.info_label.setText(
                self.tr(
                    "{0}：受理 {1} 件，调解成功 {2} 件，履行 {3} 件，司法确认 {4} 件，协议涉及金额 {5} 元。"
                ).format(
                    stats.title,
                    total.received,
                    total.settled,
                    total.performed,
                    total.confirmed,
                    f"{total.amount:,.2f}",
                )
            )
            self.notes_label.setText("\n".join(self.tr(n) for n in stats.notes))
            self._update_buttons()
            self.computed.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.busy = False
                self.info_label.setText(self.tr("统计未完成。"))
                self._update_buttons()
            show_error(self, exc, self.tr("统计未完成"))

        run_in_background(
            lambda _p: mediation_statistics(ctx, period, community, today=today), done, failed, parent=self
        )

    def _update_buttons(self) -> None:
        self.compute_button.setEnabled(not self.busy)
        self.export_button.setEnabled(self.stats is not None and not self.busy)

    def export_to(self, target: Path) -> None:
        stats = self.stats
        assert stats is not None

        def done(path: Path) -> None:
            self.status_message.emit(self.tr("已导出：{0}").format(path))
            self.saved.emit(str(path))

        run_in_background(
            lambda _p: files.save_statistics_workbook(stats, target),
            done,
            lambda exc: show_error(self, exc, self.tr("未能导出")),
            parent=self,
            title=self.tr("正在导出人民调解统计表"),
        )

    def _on_export_button_clicked(self) -> None:
        if self.stats is None:
            return
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("导出人民调解统计表"),
            str(Path.home() / f"{self.stats.title}.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if target:
            self.export_to(Path(target if target.lower().endswith(".xlsx") else target + ".xlsx"))
