"""The case list (调解台账): ``MediationCaseTableModel`` holds the rows, coloured by their deadlines;
``MediationCaseFilterProxyModel`` sorts them (dates and numbers by value, Chinese by pinyin)."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.services.mediation import CaseRow
from desktop.ui.models.mediation_item_model import LEVEL_COLOURS
from desktop.ui.qt import Qt, QtCore, QtGui

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARENT = QtCore.QModelIndex()
LEVEL_TEXT_COLOURS = {"red": "#b3261e", "orange": "#a15c00", "yellow": "#7a6400"}


class MediationCaseTableModel(QtCore.QAbstractTableModel):
    NUMBER, ACCEPTED, TYPE, PARTIES, MEDIATOR, STAGE, RESULT, WARNING = range(8)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._by_id: dict[int, int] = {}
        self._headers = [
            self.tr("案件编号"),
            self.tr("受理日期"),
            self.tr("纠纷类型"),
            self.tr("当事人"),
            self.tr("调解员"),
            self.tr("阶段"),
            self.tr("结果"),
            self.tr("期限提醒"),
        ]

    def set_rows(self, rows: Iterable[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_id = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_for(self, case_id: int) -> CaseRow | None:
        i = self._by_id.get(case_id)
        return None if i is None else self._rows[i]

    def index_for(self, case_id: int) -> QtCore.QModelIndex:
        i = self._by_id.get(case_id)
        return QtCore.QModelIndex() if i is None else self.index(i, 0)

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def _text(self, r: CaseRow, col: int) -> str:
        return [
            r.case_no,
            r.accepted_on.isoformat(),
            r.dispute_label,
            r.parties,
            r.mediator or "",
            r.stage_label,
            r.outcome_label + (f"（{r.agreement_form}协议）" if r.agreement_form else ""),
            r.deadline_text,
        ][col]

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.deadline_text or self._text(r, col)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == SORT_ROLE:
            return r.accepted_on.toordinal() if col == self.ACCEPTED else self._text(r, col)
        if role == Qt.ItemDataRole.BackgroundRole and r.level in LEVEL_COLOURS:
            return QtGui.QBrush(QtGui.QColor(LEVEL_COLOURS[r.level]))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.WARNING and r.level in LEVEL_TEXT_COLOURS:
            return QtGui.QBrush(QtGui.QColor(LEVEL_TEXT_COLOURS[r.level]))
        return None


class MediationCaseFilterProxyModel(QtCore.QSortFilterProxyModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        collator = QtCore.QCollator(
            QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
        )
        collator.setNumericMode(True)
        self._collator = collator

    def lessThan(
        self,
        left: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        right: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return self._collator.compare(str(a or ""), str(b or "")) < 0
