"""分色走访: 今日应走访 per grid and grid worker — who is due, by when, the last visit, the periods missed —
with 登记走访 (a household with the members seen, or one resident) and the month's visit rate per grid.

Visits are records of work done: no check-ins, points or online-time counters here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from desktop.domain.text import grid_label
from desktop.domain.visits import FREQUENCY_LABELS
from desktop.services import residents, structure, visits
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import open_dialog
from desktop.ui.dialogs.visit_dialog import VisitDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.pages.base import Page
from desktop.ui.qt import QtCore, QtGui, QtWidgets
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.column_fit import fit_columns
from desktop.ui.widgets.page_header import PageHeader

_CENTER = QtCore.Qt.AlignmentFlag.AlignCenter


def _day(value: object) -> str:
    return (
        value.strftime("%m-%d") if isinstance(value, dt.date) else "从未走访" if value is None else str(value)
    )


def _due_columns(
    tiers: dict[str, tuple[str, str]], many_communities: Callable[[], bool]
) -> list[Column[visits.DueRow]]:
    def tier_colour(r: visits.DueRow) -> object:
        return QtGui.QColor(tiers.get(r.tier, ("", "#666666"))[1])

    def grid(r: visits.DueRow) -> str:
        if not r.grid_name:
            return r.grid_code
        return grid_label(r.grid_name, r.community_name if many_communities() else "")

    return [
        Column("网格", grid, tooltip=lambda r: f"{r.grid_code} {r.community_name}{r.grid_name}", width=140),
        Column("姓名", lambda r: r.name, width=80, priority=0),
        Column("身份证号码", lambda r: r.id_number, width=150),
        Column(
            "等级",
            lambda r: tiers.get(r.tier, (r.tier, ""))[0],
            foreground=tier_colour,
            align=_CENTER,
            width=56,
        ),
        Column(
            "特殊人群",
            lambda r: "、".join(r.special_groups),
            tooltip=lambda r: "、".join(r.special_groups) or None,
            width=150,
        ),
        Column("频次", lambda r: FREQUENCY_LABELS.get(r.frequency, r.frequency), align=_CENTER, width=56),
        Column(
            "应走访截止",
            lambda r: "本周期已走访" if r.done else f"{r.period_end:%m-%d} 前",
            sort_key=lambda r: (r.done, r.period_end),
            width=96,
        ),
        Column(
            "上次走访",
            lambda r: r.last_visit_on,
            display=_day,
            sort_key=lambda r: r.last_visit_on or dt.date.min,
            width=80,
        ),
        Column(
            "漏访周期",
            lambda r: r.missed_periods,
            display=lambda v: str(v) if v else "",
            foreground=lambda r: QtGui.QColor("#c0392b") if r.missed_periods else None,
            align=_CENTER,
            width=70,
        ),
        Column("网格员", lambda r: "、".join(r.workers), width=110),
    ]


class VisitsPage(Page):
    title = "分色走访"
    depends_on = frozenset({"residents", "grids", "settings", "visits"})
    new_button_names = ("record_button",)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._alive = [True]
        self.destroyed.connect(lambda *_a: self._alive.__setitem__(0, False))
        self.header = PageHeader(
            self.tr("分色走访"), self.tr("今日应走访：本周期还没走访的居民和以往周期漏访的居民")
        )
        self.record_button = QtWidgets.QPushButton(icon("add"), self.tr("登记走访…"))
        self.header.add_action(self.record_button)
        self.grid_combo = QtWidgets.QComboBox()
        self.grid_combo.setMinimumWidth(180)
        self.worker_combo = QtWidgets.QComboBox()
        self.worker_combo.setMinimumWidth(110)
        self.show_combo = QtWidgets.QComboBox()
        self.show_combo.addItem(self.tr("本周期未走访"), "pending")
        self.show_combo.addItem(self.tr("有漏访"), "missed")
        self.show_combo.addItem(self.tr("未走访或有漏访"), "due")
        self.show_combo.addItem(self.tr("全部居民"), "all")
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("姓名"))
        self.search_edit.setClearButtonEnabled(True)
        bar = QtWidgets.QHBoxLayout()
        for label, w in ((self.tr("网格"), self.grid_combo), (self.tr("网格员"), self.worker_combo),
                         (self.tr("显示"), self.show_combo)):  # fmt: skip
            bar.addWidget(QtWidgets.QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.search_edit)
        bar.addStretch(1)
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("figureDetail")
        self.tiers = {t.code: (t.label, t.colour) for t in residents.care_tiers(ctx)}
        self.model: ColumnTableModel[visits.DueRow] = ColumnTableModel(
            _due_columns(self.tiers, lambda: self.many_communities),
            self,
            row_id=lambda r: r.resident_id,
            sorts_rows=True,
        )
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(6, QtCore.Qt.SortOrder.AscendingOrder)  # the soonest deadline first
        for i, col in enumerate(self.model.columns):
            self.table.setColumnWidth(i, col.width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.columns = fit_columns(self.table, "visits/due")  # cut texts (特殊人群) get the spare width
        self.rate_label = QtWidgets.QLabel()
        self.rate_label.setWordWrap(True)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)  # as every other page
        lay.addWidget(self.header)
        lay.addLayout(bar)
        lay.addWidget(self.summary_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.rate_label)
        self.rows: list[visits.DueRow] = []
        self.many_communities = False  # the list spans communities: grids shown as 社区·网格
        self._with_done = False  # the rows loaded include those visited this period
        self.loading = False
        self._loaded_once = False
        self._fill_filters()
        self.grid_combo.currentIndexChanged.connect(lambda *_a: self.reload())
        self.worker_combo.currentIndexChanged.connect(lambda *_a: self.reload())
        self.show_combo.currentIndexChanged.connect(lambda *_a: self._on_show_changed())
        self.search_edit.textChanged.connect(lambda *_a: self._show())
        self.record_button.clicked.connect(self.open_visit_dialog)
        self.table.doubleClicked.connect(lambda *_a: self.open_visit_dialog())

    def _fill_filters(self) -> None:
        grids = structure.list_grids(self.ctx)
        self.grid_combo.blockSignals(True)
        self.worker_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("全部网格"), None)
        for g in grids:
            self.grid_combo.addItem(f"{g.name}（{g.code}）", g.code)
        self.worker_combo.clear()
        self.worker_combo.addItem(self.tr("全部"), None)
        names = sorted({n for g in grids for n in (g.workers.split("、") + g.chiefs.split("、")) if n})
        for n in names:
            self.worker_combo.addItem(n, n)
        if len(grids) > 1:
            self.grid_combo.setCurrentIndex(1)  # a grid at a time: the whole street is a click away
        self.grid_combo.blockSignals(False)
        self.worker_combo.blockSignals(False)

    def activate(self) -> None:
        if self.stale or (not self._loaded_once and not self.loading):
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, ctx, alive = self._generation, self.ctx, self._alive
        grid, worker = self.grid_combo.currentData(), self.worker_combo.currentData()
        today = ctx.today()
        # for the whole street, those visited this period only when asked for: a hundred thousand of them
        with_done = self._with_done = bool(grid or worker) or self.show_combo.currentData() == "all"
        self.loading = True

        def load(_progress: object) -> tuple[visits.DueList, list[visits.GridRate]]:
            due = visits.due_list(ctx, today, grid=grid, worker=worker, include_done=with_done)
            rates = visits.visit_rates(ctx, today.year, today.month, grid=grid) if grid else []
            return due, rates

        def done(result: tuple[visits.DueList, list[visits.GridRate]]) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                self._loaded(*result)

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                show_error(self, exc)

        run_in_background(load, done, failed, parent=self)

    def _loaded(self, due: visits.DueList, rates: list[visits.GridRate]) -> None:
        self.due = due
        self.rows = due.rows
        self.many_communities = len({r.community_name for r in due.rows}) > 1
        self._loaded_once = True
        pending = sum(1 for r in due.rows if not r.done)
        missed = sum(1 for r in due.rows if r.missed_periods)
        self.summary_label.setText(
            self.tr("%1：应走访 %2 人，本周期已走访 %3 / %4 人，%5 人有漏访（统计自 %6 起）")
            .replace("%1", f"{due.today:%Y-%m-%d}")
            .replace("%2", str(pending))
            .replace("%3", str(due.done))
            .replace("%4", str(due.residents))
            .replace("%5", str(missed))
            .replace("%6", f"{due.since:%Y-%m-%d}")
        )
        total = visits.total_rate(rates)
        self.rate_label.setText(
            self.tr("本月走访率（已结束的周期中按时走访的比例）：%1").replace(
                "%1", f"{total.done}/{total.due} = {total.rate:.0%}" if total.rate is not None else "—"
            )
            if rates
            else ""
        )
        self._show()  # the summary is on the page; the status bar is kept for what was just done

    def _on_show_changed(self) -> None:
        if self.show_combo.currentData() == "all" and not self._with_done:
            self.reload()
        else:
            self._show()

    def _show(self) -> None:
        mode = self.show_combo.currentData()
        text = self.search_edit.text().strip()
        rows = [
            r for r in self.rows
            if (mode == "all" or (mode == "pending" and not r.done) or (mode == "missed" and r.missed_periods)
                or (mode == "due" and (not r.done or r.missed_periods)))
            and (not text or text in r.name)
        ]  # fmt: skip
        self.model.set_rows(rows)

    def selected_row(self) -> visits.DueRow | None:
        idx = self.table.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def open_visit_dialog(self) -> VisitDialog | None:
        row = self.selected_row()
        if row is None:
            QtWidgets.QMessageBox.information(
                self, self.tr("登记走访"), self.tr("请先在列表中选择一位居民。")
            )
            return None
        worker = self.worker_combo.currentData() or (row.workers[0] if row.workers else "")
        try:
            dialog = VisitDialog(self.ctx, row.resident_id, worker, parent=self, today=self.ctx.today())
        except Exception as exc:
            show_error(self, exc)
            return None
        dialog.accepted.connect(lambda: self._after_visit(dialog.raised_event))
        open_dialog(dialog)
        return dialog

    def _after_visit(self, raised_event: bool) -> None:
        """Reload, and tell the other pages: 工作台 and 网格事件 refresh when the visit raised an event."""
        self.reload()
        self.emit_changes("visits", *(("events",) if raised_event else ()))
        self.status_message.emit(
            self.tr("走访已登记，并已上报网格事件") if raised_event else self.tr("走访已登记")
        )
