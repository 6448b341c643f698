"""A grid's staff (1+1+N): 网格长, 专职网格员 and the 兼职 helpers, one row each."""

from __future__ import annotations

from collections.abc import Callable

from desktop.services.structure import StaffRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import DEFAULT_ROW_ROLE, ColumnTableModel
from desktop.ui.models.grid_table_model import muted_brush
from desktop.ui.qt import Qt, QtCore

ROW_ROLE = DEFAULT_ROW_ROLE
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class StaffTableModel(ColumnTableModel[StaffRow]):
    """One row per staff member, in the order the service gives (网格长, 专职, 兼职; moved-away last)."""

    ROLE, NAME, HELPER_KIND, GENDER, PHONE, OFFICE_PHONE, ORGANISATION = range(7)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        tr = self.tr
        muted = muted_brush()
        moved_suffix = tr("（已调离）")

        def col(header: str, value: Callable[[StaffRow], str | None]) -> Column[StaffRow]:
            return Column(header, lambda r: value(r) or "", align=LEFT, header_align=LEFT)

        def tooltip(row: StaffRow) -> str:
            lines = [f"{row.role_label} {row.name}" + (f"（{row.gender}）" if row.gender else "")]
            if row.phone:
                lines.append(tr("手机：") + row.phone)
            if row.office_phone:
                lines.append(tr("办公电话：") + row.office_phone)
            if row.organisation:
                lines.append(tr("单位/职务：") + row.organisation)
            if row.notes:
                lines.append(tr("备注：") + row.notes)
            if row.retired_on is not None:
                lines.append(tr("{0} 调离：{1}").format(row.retired_on.isoformat(), row.retired_reason or ""))
            return "\n".join(lines)

        super().__init__(
            [
                col(tr("岗位"), lambda r: r.role_label),
                col(tr("姓名"), lambda r: r.name + (moved_suffix if r.retired_on else "")),
                col(tr("兼职类别"), lambda r: r.helper_kind),
                col(tr("性别"), lambda r: r.gender),
                col(tr("手机号码"), lambda r: r.phone),
                col(tr("办公电话"), lambda r: r.office_phone),
                col(tr("单位/职务"), lambda r: r.organisation),
            ],
            parent,
            row_id=lambda r: r.id,
            row_foreground=lambda r: muted if r.retired_on is not None else None,
            row_tooltip=tooltip,
        )

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        return self.id_at(index.row()) if index.isValid() else None

    def row_of(self, staff_id: int) -> int:
        index = self.index_for(staff_id)
        return index.row() if index.isValid() else -1
