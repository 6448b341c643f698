"""Read-only tables of the 司法确认 area: tracks, referrals, holidays, as :class:`ColumnTableModel` instances
whose rows are coloured by their warning level; ``JudicialSortProxyModel`` sorts them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from desktop.services.judicial.holidays import HolidayRow
from desktop.services.judicial.queries import TrackRow
from desktop.services.judicial.referrals import ReferralRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_sort_proxy_model import ColumnSortProxyModel
from desktop.ui.models.column_table_model import DEFAULT_SORT_ROLE, ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui

SORT_ROLE = DEFAULT_SORT_ROLE
LEVEL_BACKGROUNDS = {"red": "#fde2e1", "orange": "#fdebd3", "yellow": "#fdf6d3"}
LEVEL_TEXT = {"red": "#b3261e", "orange": "#a15c00", "yellow": "#7a6400"}


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _ord(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


def _column(
    header: str,
    text: Callable[[Any], str],
    sort: Callable[[Any], object] | None = None,
    *,
    level: Callable[[Any], str],
    tooltip: Callable[[Any], str] | None = None,
    warning: bool = False,
    priority: int = 1,
    elide: Qt.TextElideMode | None = None,
) -> Column[Any]:
    """A column coloured by the row's warning level; ``warning``: the column that shows the warning text."""

    def tip(r: Any) -> str:
        return (tooltip(r) if tooltip else "") or text(r)

    def foreground(r: Any) -> QtGui.QBrush | None:
        colour = LEVEL_TEXT.get(level(r))
        return QtGui.QBrush(QtGui.QColor(colour)) if colour else None

    return Column(
        header,
        text,
        tooltip=tip,
        sort_key=sort,
        foreground=foreground if warning else None,
        priority=priority,
        elide=elide,
    )


def _model(
    columns: Sequence[Column[Any]], level: Callable[[Any], str], parent: QtCore.QObject | None
) -> ColumnTableModel[Any]:
    def background(r: Any) -> QtGui.QBrush | None:
        colour = LEVEL_BACKGROUNDS.get(level(r))
        return QtGui.QBrush(QtGui.QColor(colour)) if colour else None

    model: ColumnTableModel[Any] = ColumnTableModel(
        columns, parent, row_id=lambda r: r.id, row_background=background
    )
    return model


#: the judicial lists sort through the one column sort proxy
JudicialSortProxyModel = ColumnSortProxyModel


def track_model(parent: QtCore.QObject | None = None) -> ColumnTableModel[Any]:
    tr = QtCore.QCoreApplication.translate

    def tip(r: TrackRow) -> str:
        note = "" if r.deadline_checked else "\n*该年度节假日安排待核对"
        return (r.alert_text or r.state_label) + note

    def column(*args: Any, warning: bool = False, priority: int = 1, elide: bool = False) -> Column[Any]:
        mode = Qt.TextElideMode.ElideMiddle if elide else None
        return _column(
            *args, level=lambda r: r.level, tooltip=tip, warning=warning, priority=priority, elide=mode
        )

    cols = [
        column(tr("JudicialPage", "案件编号"), lambda r: r.case_no, priority=0, elide=True),
        column(tr("JudicialPage", "当事人"), lambda r: r.parties, priority=0),
        column(
            tr("JudicialPage", "协议生效"),
            lambda r: _d(r.effective_on),
            lambda r: _ord(r.effective_on),
            priority=3,
        ),
        column(
            tr("JudicialPage", "申请期限"),
            lambda r: _d(r.deadline) + ("" if r.deadline_checked else "*"),
            lambda r: _ord(r.deadline),
        ),
        column(tr("JudicialPage", "状态"), lambda r: r.state_label, priority=0),
        column(tr("JudicialPage", "法院"), lambda r: r.court or "", priority=4),
        column(tr("JudicialPage", "受理案号"), lambda r: r.court_case_no or "", priority=4),
        column(tr("JudicialPage", "期限提醒"), lambda r: r.alert_text, warning=True, priority=2),
    ]
    return _model(cols, lambda r: r.level, parent)


def referral_model(parent: QtCore.QObject | None = None) -> ColumnTableModel[Any]:
    tr = QtCore.QCoreApplication.translate

    def tip(r: ReferralRow) -> str:
        return r.alert_text or r.state_label

    def column(*args: Any, warning: bool = False, priority: int = 1, elide: bool = False) -> Column[Any]:
        mode = Qt.TextElideMode.ElideMiddle if elide else None
        return _column(
            *args, level=lambda r: r.level, tooltip=tip, warning=warning, priority=priority, elide=mode
        )

    cols = [
        column(tr("JudicialPage", "委派编号"), lambda r: r.referral_no, priority=0, elide=True),
        column(tr("JudicialPage", "委派法院"), lambda r: r.court, priority=3),
        column(tr("JudicialPage", "当事人"), lambda r: r.parties or "", priority=0),
        column(
            tr("JudicialPage", "接收日期"),
            lambda r: _d(r.received_on),
            lambda r: _ord(r.received_on),
            priority=2,
        ),
        column(
            tr("JudicialPage", "调解期限"),
            lambda r: _d(r.deadline) + (f"（延长{r.extension_days}日）" if r.extension_days else ""),
            lambda r: _ord(r.deadline),
        ),
        column(tr("JudicialPage", "状态"), lambda r: r.state_label, priority=0),
        column(tr("JudicialPage", "调解案件"), lambda r: r.case_no or "", priority=3),
        column(tr("JudicialPage", "期限提醒"), lambda r: r.alert_text, warning=True),
    ]
    return _model(cols, lambda r: r.level, parent)


def holiday_model(parent: QtCore.QObject | None = None) -> ColumnTableModel[Any]:
    tr = QtCore.QCoreApplication.translate

    def level(r: HolidayRow) -> str:
        return "yellow" if r.provisional else ""

    def column(*args: Any) -> Column[Any]:
        return _column(*args, level=level)

    cols = [
        column(tr("JudicialPage", "日期"), lambda r: _d(r.day), lambda r: _ord(r.day)),
        column(tr("JudicialPage", "星期"), lambda r: r.weekday_label, lambda r: r.day.weekday()),
        column(tr("JudicialPage", "安排"), lambda r: r.kind_label),
        column(tr("JudicialPage", "名称"), lambda r: r.name),
        column(tr("JudicialPage", "核对"), lambda r: "待官方公布后核对" if r.provisional else "已核对"),
        column(tr("JudicialPage", "来源"), lambda r: r.source or ""),
    ]
    return _model(cols, level, parent)
