"""人民调解统计表 and 月报 both open on the last complete period (on 2026-12-03: November)."""

from __future__ import annotations

import datetime as dt

from desktop.ui.pages.reports.monthly_panel import MonthlyReportPanel
from desktop.ui.pages.reports.statistics_panel import MediationStatisticsPanel


def test_both_default_to_the_last_complete_period(qtbot, street_ctx, clock) -> None:
    clock.set(dt.date(2026, 12, 3))
    stats = MediationStatisticsPanel(street_ctx)
    monthly = MonthlyReportPanel(street_ctx)
    qtbot.addWidget(stats)
    qtbot.addWidget(monthly)
    assert stats.period_combo.currentData() == "2026-11" == monthly.month_combo.currentData()
    assert stats.period_combo.itemText(0) == "2026年12月（未结束）"
    stats.kind_combo.setCurrentIndex(stats.kind_combo.findData("quarter"))
    assert stats.period_combo.currentData() == "2026Q3"
    stats.kind_combo.setCurrentIndex(stats.kind_combo.findData("year"))
    assert stats.period_combo.currentData() == "2025"
