"""A grid's staff (1+1+N): 网格长, 专职网格员 and the 兼职 helpers, one row each."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.services.structure import StaffRow
from desktop.ui.models.grid_table_model import muted_brush
from desktop.ui.qt import Qt, QtCore

ROW_ROLE = Qt.ItemDataRole.UserRole + 2
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


NO_PARENT = QtCore.QModelIndex()


class StaffTableModel(QtCore.QAbstractTableModel):
    """One row per staff member, in the order the service gives (网格长, 专职, 兼职; moved-away last)."""

    ROLE, NAME, HELPER_KIND, GENDER, PHONE, OFFICE_PHONE, ORGANISATION = range(7)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._muted = muted_brush()
        self._rows: list[StaffRow] = []
        self._headers = [
            self.tr("岗位"),
            self.tr("姓名"),
            self.tr("兼职类别"),
            self.tr("性别"),
            self.tr("手机号码"),
            self.tr("办公电话"),
            self.tr("单位/职务"),
        ]
        self._moved_suffix = self.tr("（已调离）")

    def set_rows(self, rows: Iterable[StaffRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[StaffRow]:
        return list(self._rows)

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()].id

    def row_at(self, row: int) -> StaffRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, staff_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == staff_id), -1)

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(
        self,
        parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = NO_PARENT,
    ) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return LEFT
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
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT
        if role == Qt.ItemDataRole.ForegroundRole and row.retired_on is not None:
            return self._muted
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def _display(self, row: StaffRow, col: int) -> str:
        if col == self.ROLE:
            return row.role_label
        if col == self.NAME:
            return row.name + (self._moved_suffix if row.retired_on else "")
        value = {
            self.HELPER_KIND: row.helper_kind,
            self.GENDER: row.gender,
            self.PHONE: row.phone,
            self.OFFICE_PHONE: row.office_phone,
            self.ORGANISATION: row.organisation,
        }[col]
        return value or ""

    def _tooltip(self, row: StaffRow) -> str:
        lines = [f"{row.role_label} {row.name}" + (f"（{row.gender}）" if row.gender else "")]
        if row.phone:
            lines.append(self.tr("手机：") + row.phone)
        if row.office_phone:
            lines.append(self.tr("办公电话：") + row.office_phone)
        if row.organisation:
            lines.append(self.tr("单位/职务：") + row.organisation)
        if row.notes:
            lines.append(self.tr("备注：") + row.notes)
        if row.retired_on is not None:
            lines.append(
                self.tr("{0} 调离：{1}").format(row.retired_on.isoformat(), row.retired_reason or "")
            )
        return "\n".join(lines)
