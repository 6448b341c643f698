"""统计报表: the monthly report (月报) and the 人民调解统计表, both computed from the records.

Two tabs: 月报 (choose a month and the whole street or one community; generate in the background;
preview, print, save as PDF or workbook) and 人民调解统计表 (a month, quarter or year; the table; export).
The community lists are loaded in the background when the page is first shown.
"""

from __future__ import annotations

from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.pages.base import Page
from desktop.ui.pages.reports.monthly_panel import MonthlyReportPanel
from desktop.ui.pages.reports.statistics_panel import MediationStatisticsPanel
from desktop.ui.qt import QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.page_header import PageHeader


class ReportsPage(Page):
    title = "统计报表"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure"})
    #: the communities were loaded into the choosers
    loaded = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._loaded = False
        self.header = PageHeader(
            self.tr("统计报表"),
            self.tr("月报和人民调解统计表由业务记录自动计算，每项指标附计算公式，无需手工填写合计。"),
        )
        self.monthly = MonthlyReportPanel(ctx)
        self.statistics = MediationStatisticsPanel(ctx)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.monthly, self.tr("月报"))
        self.tabs.addTab(self.statistics, self.tr("人民调解统计表"))
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        outer.addWidget(self.header)
        outer.addWidget(self.tabs, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.monthly.status_message.connect(self.status_message)
        self.statistics.status_message.connect(self.status_message)

    def activate(self) -> None:
        if not self._loaded or self.stale:
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        ctx = self.ctx

        def done(rows: list[structure.CommunityRow]) -> None:
            self._loaded = True
            self.monthly.set_communities(rows)
            self.statistics.set_communities(rows)
            self.loaded.emit()

        run_in_background(lambda _p: structure.list_communities(ctx, include_retired=True), done, parent=self)
