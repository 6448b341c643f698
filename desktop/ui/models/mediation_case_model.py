"""The case list (调解台账): ``MediationCaseTableModel`` holds the rows, coloured by their deadlines;
``MediationCaseFilterProxyModel`` sorts them (dates and numbers by value, Chinese by pinyin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.services.mediation import CaseRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_sort_proxy_model import ColumnSortProxyModel
from desktop.ui.models.column_table_model import DEFAULT_SORT_ROLE, ColumnTableModel
from desktop.ui.models.mediation_item_model import LEVEL_COLOURS
from desktop.ui.qt import Qt, QtCore, QtGui

SORT_ROLE = DEFAULT_SORT_ROLE
LEVEL_TEXT_COLOURS = {"red": "#b3261e", "orange": "#a15c00", "yellow": "#7a6400"}


class MediationCaseTableModel(ColumnTableModel[CaseRow]):
    NUMBER, ACCEPTED, TYPE, PARTIES, MEDIATOR, STAGE, RESULT, WARNING = range(8)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        def col(header: str, text: Callable[[CaseRow], str], **kw: Any) -> Column[CaseRow]:
            return Column(header, text, tooltip=lambda r: r.deadline_text or text(r), **kw)

        def warning_colour(r: CaseRow) -> QtGui.QBrush | None:
            colour = LEVEL_TEXT_COLOURS.get(r.level)
            return QtGui.QBrush(QtGui.QColor(colour)) if colour else None

        def level_background(r: CaseRow) -> QtGui.QBrush | None:
            colour = LEVEL_COLOURS.get(r.level)
            return QtGui.QBrush(QtGui.QColor(colour)) if colour else None

        tr = self.tr
        super().__init__(
            [
                col(tr("案件编号"), lambda r: r.case_no, priority=0, elide=Qt.TextElideMode.ElideMiddle),
                col(
                    tr("受理日期"),
                    lambda r: r.accepted_on.isoformat(),
                    sort_key=lambda r: r.accepted_on.toordinal(),
                    priority=2,
                ),
                col(tr("纠纷类型"), lambda r: r.dispute_label, priority=2),
                col(tr("当事人"), lambda r: r.parties, priority=0),
                col(tr("调解员"), lambda r: r.mediator or "", priority=4),
                col(tr("阶段"), lambda r: r.stage_label, priority=0),
                col(
                    tr("结果"),
                    lambda r: r.outcome_label + (f"（{r.agreement_form}协议）" if r.agreement_form else ""),
                    priority=3,
                ),
                col(tr("期限提醒"), lambda r: r.deadline_text, foreground=warning_colour, priority=3),
            ],
            parent,
            row_id=lambda r: r.id,
            row_background=level_background,
        )


#: the case list sorts through the one column sort proxy
MediationCaseFilterProxyModel = ColumnSortProxyModel
