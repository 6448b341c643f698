"""The grid table (网格列表): ``GridTableModel`` holds the street's grids (``GridFilterProxyModel`` filters
and sorts them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from desktop.services.structure import GridRow
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import DEFAULT_ROW_ROLE, DEFAULT_SORT_ROLE, ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

#: raw value for sorting: ``str`` for text columns, ``int`` for figures
SORT_ROLE = DEFAULT_SORT_ROLE
#: the row's ``GridRow``
ROW_ROLE = DEFAULT_ROW_ROLE

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
WARNING_COLOUR = "#b3261e"


def muted_brush() -> QtGui.QBrush:
    """The palette's placeholder grey, copied (the palette ``QApplication.palette()`` returns is a temporary)."""
    palette = QtWidgets.QApplication.palette()
    colour = palette.color(QtGui.QPalette.ColorGroup.Active, QtGui.QPalette.ColorRole.PlaceholderText)
    return QtGui.QBrush(QtGui.QColor(colour))


class GridTableModel(ColumnTableModel[GridRow]):
    """One row per grid; ``UserRole`` gives the grid's id."""

    CODE, NAME, COMMUNITY, KIND, CHIEF, WORKER, HELPERS, HOUSEHOLDS, POPULATION, REGISTERED = range(10)
    NUMERIC = frozenset({HELPERS, HOUSEHOLDS, POPULATION, REGISTERED})

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        tr = self.tr
        retired_suffix, missing = tr("（已撤销）"), tr("未配备")
        muted, warning = muted_brush(), QtGui.QBrush(QtGui.QColor(WARNING_COLOUR))

        def text(header: str, value: Callable[[GridRow], str], **kw: Any) -> Column[GridRow]:
            return Column(header, value, align=LEFT, header_align=LEFT, **kw)

        def staff(header: str, names: Callable[[GridRow], str]) -> Column[GridRow]:
            return text(
                header,
                lambda r: names(r) or ("" if r.retired_on else missing),
                sort_key=names,
                foreground=lambda r: warning if r.retired_on is None and not names(r) else None,
            )

        def number(header: str, value: Callable[[GridRow], int | None]) -> Column[GridRow]:
            return Column(
                header,
                value,
                lambda v: "—" if v is None else f"{v:,}",
                align=RIGHT,
                header_align=RIGHT,
                sort_key=lambda r: -1 if (v := value(r)) is None else v,
            )

        def tooltip(row: GridRow) -> str:
            lines = [tr("四至：") + (row.boundary or tr("未填写"))]
            if row.retired_on is not None:
                lines.append(tr("已于 {0} 撤销").format(row.retired_on.isoformat()))
            return "\n".join(lines)

        super().__init__(
            [
                text(tr("网格编号"), lambda r: r.code),
                text(
                    tr("网格名称"),
                    lambda r: r.name + (retired_suffix if r.retired_on else ""),
                    sort_key=lambda r: r.name,
                ),
                text(tr("社区"), lambda r: r.community_name),
                text(tr("类型"), lambda r: r.kind_label),
                staff(tr("网格长"), lambda r: r.chiefs),
                staff(tr("专职网格员"), lambda r: r.workers),
                number(tr("兼职人数"), lambda r: r.helper_count),
                number(tr("户数"), lambda r: r.households),
                number(tr("人数"), lambda r: r.population),
                number(tr("在册居民"), lambda r: r.registered_residents),
            ],
            parent,
            row_id=lambda r: r.id,
            row_foreground=lambda r: muted if r.retired_on is not None else None,
            row_tooltip=tooltip,
        )

    def row_id(self, index: QtCore.QModelIndex) -> int | None:
        """The grid id of ``index`` (an index of this model)."""
        return self.id_at(index.row()) if index.isValid() else None

    def rows_for(self, ids: Iterable[int]) -> list[GridRow]:
        return [r for gid in ids if (r := self.row_for(gid)) is not None]
