"""Read-only tables of the 司法确认 area: tracks, referrals, holidays. One model class, its columns given
as (header, text function, sort function); rows are coloured by their warning level."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.services.judicial.holidays import HolidayRow
from desktop.services.judicial.queries import TrackRow
from desktop.services.judicial.referrals import ReferralRow
from desktop.ui.qt import Qt, QtCore, QtGui

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARENT = QtCore.QModelIndex()
LEVEL_BACKGROUNDS = {"red": "#fde2e1", "orange": "#fdebd3", "yellow": "#fdf6d3"}
LEVEL_TEXT = {"red": "#b3261e", "orange": "#a15c00", "yellow": "#7a6400"}


@dataclass(frozen=True)
class ColumnDef:
    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], object] | None = None
    warning: bool = False  # the column that shows the warning text (coloured)


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _ord(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


class JudicialRowsModel(QtCore.QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[ColumnDef],
        level: Callable[[Any], str] | None = None,
        tooltip: Callable[[Any], str] | None = None,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._level = level
        self._tooltip = tooltip
        self._rows: list[Any] = []
        self._by_id: dict[int, int] = {}

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_id = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_for(self, row_id: int) -> Any:
        i = self._by_id.get(row_id)
        return None if i is None else self._rows[i]

    def index_for(self, row_id: int) -> QtCore.QModelIndex:
        i = self._by_id.get(row_id)
        return QtCore.QModelIndex() if i is None else self.index(i, 0)

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return None

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (self._tooltip(r) if self._tooltip else "") or col.text(r)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == SORT_ROLE:
            return col.sort(r) if col.sort else col.text(r)
        level = self._level(r) if self._level else ""
        if role == Qt.ItemDataRole.BackgroundRole and level in LEVEL_BACKGROUNDS:
            return QtGui.QBrush(QtGui.QColor(LEVEL_BACKGROUNDS[level]))
        if role == Qt.ItemDataRole.ForegroundRole and col.warning and level in LEVEL_TEXT:
            return QtGui.QBrush(QtGui.QColor(LEVEL_TEXT[level]))
        return None


class JudicialSortProxyModel(QtCore.QSortFilterProxyModel):
    """Sorts numbers (dates as ordinals) by value and text by pinyin."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._collator = QtCore.QCollator(
            QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
        )
        self._collator.setNumericMode(True)

    def lessThan(
        self,
        left: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        right: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return self._collator.compare(str(a or ""), str(b or "")) < 0


def track_model(parent: QtCore.QObject | None = None) -> JudicialRowsModel:
    tr = QtCore.QCoreApplication.translate
    cols = [
        ColumnDef(tr("JudicialPage", "案件编号"), lambda r: r.case_no),
        ColumnDef(tr("JudicialPage", "当事人"), lambda r: r.parties),
        ColumnDef(
            tr("JudicialPage", "协议生效"), lambda r: _d(r.effective_on), lambda r: _ord(r.effective_on)
        ),
        ColumnDef(
            tr("JudicialPage", "申请期限"),
            lambda r: _d(r.deadline) + ("" if r.deadline_checked else "*"),
            lambda r: _ord(r.deadline),
        ),
        ColumnDef(tr("JudicialPage", "状态"), lambda r: r.state_label),
        ColumnDef(tr("JudicialPage", "法院"), lambda r: r.court or ""),
        ColumnDef(tr("JudicialPage", "受理案号"), lambda r: r.court_case_no or ""),
        ColumnDef(tr("JudicialPage", "期限提醒"), lambda r: r.alert_text, warning=True),
    ]

    def tip(r: TrackRow) -> str:
        note = "" if r.deadline_checked else "\n*该年度节假日安排待核对"
        return (r.alert_text or r.state_label) + note

    return JudicialRowsModel(cols, lambda r: r.level, tip, parent)


def referral_model(parent: QtCore.QObject | None = None) -> JudicialRowsModel:
    tr = QtCore.QCoreApplication.translate
    cols = [
        ColumnDef(tr("JudicialPage", "委派编号"), lambda r: r.referral_no),
        ColumnDef(tr("JudicialPage", "委派法院"), lambda r: r.court),
        ColumnDef(tr("JudicialPage", "当事人"), lambda r: r.parties or ""),
        ColumnDef(tr("JudicialPage", "接收日期"), lambda r: _d(r.received_on), lambda r: _ord(r.received_on)),
        ColumnDef(
            tr("JudicialPage", "调解期限"),
            lambda r: _d(r.deadline) + (f"（延长{r.extension_days}日）" if r.extension_days else ""),
            lambda r: _ord(r.deadline),
        ),
        ColumnDef(tr("JudicialPage", "状态"), lambda r: r.state_label),
        ColumnDef(tr("JudicialPage", "调解案件"), lambda r: r.case_no or ""),
        ColumnDef(tr("JudicialPage", "期限提醒"), lambda r: r.alert_text, warning=True),
    ]

    def tip(r: ReferralRow) -> str:
        return r.alert_text or r.state_label

    return JudicialRowsModel(cols, lambda r: r.level, tip, parent)


def holiday_model(parent: QtCore.QObject | None = None) -> JudicialRowsModel:
    tr = QtCore.QCoreApplication.translate
    cols = [
        ColumnDef(tr("JudicialPage", "日期"), lambda r: _d(r.day), lambda r: _ord(r.day)),
        ColumnDef(tr("JudicialPage", "星期"), lambda r: r.weekday_label, lambda r: r.day.weekday()),
        ColumnDef(tr("JudicialPage", "安排"), lambda r: r.kind_label),
        ColumnDef(tr("JudicialPage", "名称"), lambda r: r.name),
        ColumnDef(tr("JudicialPage", "核对"), lambda r: "待官方公布后核对" if r.provisional else "已核对"),
        ColumnDef(tr("JudicialPage", "来源"), lambda r: r.source or ""),
    ]

    def level(r: HolidayRow) -> str:
        return "yellow" if r.provisional else ""

    return JudicialRowsModel(cols, level, None, parent)
