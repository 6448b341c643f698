"""统计报表: the monthly report (月报) and the 人民调解统计表, computed from the records — nobody types a total.

* :func:`monthly_report` — the 月报 for one month, one community or the street (README, 统计报表):
  party building, population and special groups, mediation (环比, 同比), judicial confirmation, grids;
  every indicator carries the formula it was computed with;
* :func:`mediation_statistics` — cases by dispute type (every type of the dictionary) and by source for
  a month, quarter or year, with 受理 / 调解成功 / 履行 / 司法确认 / 协议涉及金额 (the agreement terms) and 合计 rows;
* :mod:`desktop.services.reports.files` — the PDF and the workbooks.

The queries read the schemas directly (people, structure, party, mediation, judicial); they are Qt-free.
"""

from desktop.domain.reports import (
    Indicator,
    MediationStatistics,
    MonthlyReport,
    ReportSection,
    ReportTable,
    StatisticsRow,
    TrendPoint,
)
from desktop.services.reports.monthly import mediation_statistics, monthly_report
from desktop.services.reports.periods import Period, parse_month, parse_period

__all__ = [
    "Indicator",
    "MediationStatistics",
    "MonthlyReport",
    "Period",
    "ReportSection",
    "ReportTable",
    "StatisticsRow",
    "TrendPoint",
    "mediation_statistics",
    "monthly_report",
    "parse_month",
    "parse_period",
]
