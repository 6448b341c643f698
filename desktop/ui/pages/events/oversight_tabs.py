"""The 网格事件 page's other tabs: 部门台账 (per department: orders received in a period, open and overdue now,
the community's ratings) and 督办 (red events with their 督办 records so far, and whistled departments late to
sign or to contact the community; double-click opens the card)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.services import events as ev
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.marks import LIGHT_TEXT_COLOURS, light_dot, short_grid
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtGui, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.row_table import row_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _table(model: ColumnTableModel[Any]) -> QtWidgets.QTableView:
    table = row_table(model)
    table.setAlternatingRowColors(True)
    for i, col in enumerate(model.columns):
        table.setColumnWidth(i, col.width)
    return table


def period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """本月 / 本季度 / 本年 around ``today``: the first and the last day."""
    if kind == "year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    first_month = (today.month - 1) // 3 * 3 + 1 if kind == "quarter" else today.month
    months = 3 if kind == "quarter" else 1
    start = dt.date(today.year, first_month, 1)
    nxt = first_month + months
    end = dt.date(today.year + (nxt > 12), (nxt - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


class LedgerTab(QtWidgets.QWidget):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        self.period_combo = QtWidgets.QComboBox()
        for text, code in (
            (self.tr("本月"), "month"),
            (self.tr("本季度"), "quarter"),
            (self.tr("本年"), "year"),
        ):
            self.period_combo.addItem(text, code)
        self.range_label = QtWidgets.QLabel()
        self.range_label.setObjectName("figureDetail")
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(self.tr("统计期间")))
        bar.addWidget(self.period_combo)
        bar.addWidget(self.range_label, 1)

        def n(header: str, value: Any, tip: str = "") -> Column[ev.DepartmentLine]:
            return Column(header, value, align=RIGHT, width=86, header_tooltip=tip or None)

        def rate(line: ev.DepartmentLine) -> str:
            s = line.satisfaction
            return "—" if s is None else f"{s * 100:.1f}%"

        self.model: ColumnTableModel[ev.DepartmentLine] = ColumnTableModel(
            [
                Column(self.tr("职能部门"), lambda d: d.department, width=180),
                n(self.tr("本期派单"), lambda d: d.received, self.tr("本期吹哨或派给该部门的事件")),
                n(self.tr("在办"), lambda d: d.open, self.tr("现在由该部门办理、尚未处置完毕的事件")),
                Column(
                    self.tr("逾期（红灯）"),
                    lambda d: d.overdue,
                    align=RIGHT,
                    width=96,
                    foreground=lambda d: QtGui.QColor(LIGHT_TEXT_COLOURS["red"]) if d.overdue else None,
                ),
                n(self.tr("满意"), lambda d: d.ratings.get("SATISFIED", 0)),
                n(self.tr("基本满意"), lambda d: d.ratings.get("BASIC", 0)),
                n(self.tr("不满意"), lambda d: d.ratings.get("UNSATISFIED", 0)),
                Column(
                    self.tr("满意率"),
                    rate,
                    align=RIGHT,
                    width=86,
                    header_tooltip=self.tr("（满意 + 基本满意）÷ 已评价，本期结案的事件"),
                ),
            ],
            self,
        )
        self.table = _table(self.model)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.period_combo.currentIndexChanged.connect(lambda *_a: self.reload())

    def reload(self) -> None:
        start, end = period(self.period_combo.currentData(), self.ctx.today())
        self.range_label.setText(f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")
        ctx = self.ctx
        run_in_background(
            lambda _p: ev.department_ledger(ctx, start, end),
            self._show,
            lambda e: show_error(self, e),
            parent=self,
        )

    def _show(self, lines: list[ev.DepartmentLine]) -> None:
        self.model.set_rows(lines)
        self.loaded = True


class SupervisionTab(QtWidgets.QWidget):
    #: an event's card is wanted (its id)
    open_requested = Signal(int)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        note = QtWidgets.QLabel(
            self.tr("已超过办理时限（红灯）的事件，最早到期的在前。双击打开事件卡片，可在卡片中“督办”。")
        )
        note.setObjectName("figureDetail")
        self.model: ColumnTableModel[ev.SupervisionRow] = ColumnTableModel(
            [
                Column(self.tr("事件编号"), lambda r: r.event.event_no, width=118),
                Column(
                    self.tr("灯"),
                    lambda r: r.event.light_label,
                    width=70,
                    decoration=lambda r: light_dot(r.event.light),
                ),
                Column(self.tr("状态"), lambda r: r.event.state_label, width=80),
                Column(
                    self.tr("网格"),
                    lambda r: r.event.grid_label or short_grid(r.event.grid_name),
                    width=132,
                    tooltip=lambda r: r.event.grid_name,
                ),
                Column(self.tr("类别"), lambda r: r.event.category, width=84),
                Column(self.tr("责任部门"), lambda r: r.event.department or "", width=110),
                Column(self.tr("时限"), lambda r: r.event.deadline_text, width=140),
                Column(self.tr("已督办"), lambda r: f"{r.supervised} 次", align=RIGHT, width=64),
                Column(
                    self.tr("最近督办"),
                    lambda r: f"{r.last_at:%Y-%m-%d %H:%M}" if r.last_at else "",
                    width=120,
                ),
                Column(self.tr("督办要求"), lambda r: r.last_demand or "", tooltip=lambda r: r.last_demand),
            ],
            self,
            row_id=lambda r: r.event.id,
        )
        self.table = _table(self.model)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        duty_title = QtWidgets.QLabel(self.tr("吹哨响应超时（签收 1 小时内、联系社区 24 小时内）"))
        duty_title.setObjectName("sectionTitle")
        red = QtGui.QColor(LIGHT_TEXT_COLOURS["red"])
        self.duty_model: ColumnTableModel[ev.DutyRow] = ColumnTableModel(
            [
                Column(self.tr("事件编号"), lambda r: r.event_no, width=118),
                Column(
                    self.tr("网格"),
                    lambda r: short_grid(r.grid_name),
                    width=96,
                    tooltip=lambda r: r.grid_name,
                ),
                Column(self.tr("类别"), lambda r: r.category, width=84),
                Column(self.tr("责任部门"), lambda r: r.department or "", width=110),
                Column(self.tr("吹哨时间"), lambda r: f"{r.status.due.at:%m-%d %H:%M}", width=86),
                Column(
                    self.tr("签收"),
                    lambda r: r.sign_text,
                    width=190,
                    foreground=lambda r: red if r.status.signed_late or r.status.signed_at is None else None,
                ),
                Column(
                    self.tr("联系社区"),
                    lambda r: r.contact_text,
                    width=190,
                    foreground=lambda r: (
                        red if r.status.contacted_late or r.status.contacted_at is None else None
                    ),
                ),
                Column(
                    self.tr("问题"), lambda r: "；".join(r.problems), tooltip=lambda r: "；".join(r.problems)
                ),
            ],
            self,
            row_id=lambda r: r.event_id,
        )
        self.duty_table = _table(self.duty_model)
        self.duty_table.doubleClicked.connect(self._on_duty_table_double_clicked)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(note)
        lay.addWidget(self.table, 3)
        lay.addWidget(duty_title)
        lay.addWidget(self.duty_table, 2)

    def reload(self) -> None:
        ctx = self.ctx
        run_in_background(
            lambda _p: (ev.supervision_list(ctx), ev.whistle_duties(ctx)),
            self._show,
            lambda e: show_error(self, e),
            parent=self,
        )

    def _show(self, result: tuple[list[ev.SupervisionRow], list[ev.DutyRow]]) -> None:
        rows, duties = result
        self.model.set_rows(rows)
        self.duty_model.set_rows(duties)
        self.loaded = True

    def _on_table_double_clicked(self, index: Any) -> None:
        eid = self.model.id_at(index.row())
        if eid is not None:
            self.open_requested.emit(eid)

    def _on_duty_table_double_clicked(self, index: Any) -> None:
        eid = self.duty_model.id_at(index.row())
        if eid is not None:
            self.open_requested.emit(eid)
