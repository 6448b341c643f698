"""工作台: the street's figures at a glance and today's warnings."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from desktop.domain import accounts as perm
from desktop.services import dashboard
from desktop.services.context import ServiceContext
from desktop.ui.icons import icon
from desktop.ui.marks import light_dot, short_grid
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.pages.base import Page
from desktop.ui.permissions import guard
from desktop.ui.qt import QtCore, QtGui, QtWidgets
from desktop.ui.tasks import run_in_background, start_now
from desktop.ui.widgets.figure_card import FigureCard
from desktop.ui.widgets.page_header import PageHeader
from desktop.ui.widgets.setup_card import SetupCard

WEEKDAYS = "一二三四五六日"
NAVIGATE_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
LEVEL_COLOURS = {"red": "#b3261e", "orange": "#c46a00", "yellow": "#a68a00", "info": "#1f5fa8"}


def prefetch_figures(ctx: ServiceContext) -> Future[dashboard.StreetFigures]:
    """The figures, read at once (the main window starts this while it builds itself and this page)."""
    return start_now(lambda: dashboard.street_figures(ctx), "工作台数字")


class HomePage(Page):
    title = "工作台"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure", "grids", "residents", "mediation", "judicial", "settings", "events"})

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.figures: dashboard.StreetFigures | None = None
        self.card: QtWidgets.QDialog | None = None
        self._loading = False
        self._prefetched: Future[dashboard.StreetFigures] | None = None
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(14)
        self.header = PageHeader(self.tr("工作台"))
        self.entry_button = QtWidgets.QPushButton(icon("add"), self.tr("登记事件"))
        self.entry_button.setToolTip(self.tr("网格员巡查回来，用键盘快速登记事件"))
        guard(ctx, self.entry_button, perm.EVENTS, hide=True)  # a role without events: not offered
        self.entry_button.clicked.connect(lambda: self.open_entry())
        self.header.add_action(self.entry_button)
        refresh = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        refresh.clicked.connect(self.reload)
        self.header.add_action(refresh)
        outer.addWidget(self.header)

        # the first-run path, until the records say every step is done
        self.setup_card = SetupCard()
        self.setup_card.navigate.connect(self.navigate)
        self.setup_card.hide()
        outer.addWidget(self.setup_card)

        self.cards_box = QtWidgets.QWidget()
        cards = QtWidgets.QGridLayout(self.cards_box)
        cards.setContentsMargins(0, 0, 0, 0)
        cards.setSpacing(12)
        self.card_communities = FigureCard(self.tr("社区"), "community")
        self.card_grids = FigureCard(self.tr("网格"), "grid")
        self.card_staff = FigureCard(self.tr("网格工作力量"), "person")
        self.card_households = FigureCard(self.tr("实有户数"), "household")
        self.card_residents = FigureCard(self.tr("实有人口"), "residents")
        self.card_special = FigureCard(self.tr("特殊人群"), "warning")
        for i, card in enumerate(
            [
                self.card_communities,
                self.card_grids,
                self.card_staff,
                self.card_households,
                self.card_residents,
                self.card_special,
            ]
        ):
            cards.addWidget(card, i // 3, i % 3)
        outer.addWidget(self.cards_box)

        lower = QtWidgets.QHBoxLayout()
        lower.setSpacing(12)
        warn_box = QtWidgets.QFrame()
        warn_box.setObjectName("card")
        wl = QtWidgets.QVBoxLayout(warn_box)
        wl.setContentsMargins(16, 12, 16, 12)
        t = QtWidgets.QLabel(self.tr("今日提醒"))
        t.setObjectName("sectionTitle")
        wl.addWidget(t)
        self.warnings_list = QtWidgets.QListWidget()
        self.warnings_list.setObjectName("warningsList")
        self.warnings_list.setWordWrap(True)
        self.warnings_list.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.warnings_list.itemActivated.connect(self._on_warnings_list_item_activated)
        wl.addWidget(self.warnings_list)
        side = QtWidgets.QVBoxLayout()
        side.setSpacing(12)
        side.addWidget(warn_box, 1)

        alerts_box = QtWidgets.QFrame()
        alerts_box.setObjectName("card")
        al = QtWidgets.QVBoxLayout(alerts_box)
        al.setContentsMargins(16, 12, 16, 12)
        self.alerts_title = QtWidgets.QLabel(self.tr("今日亮灯事件"))
        self.alerts_title.setObjectName("sectionTitle")
        al.addWidget(self.alerts_title)
        self.alerts_list = QtWidgets.QListWidget()
        self.alerts_list.setObjectName("warningsList")
        self.alerts_list.setWordWrap(True)
        self.alerts_list.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.alerts_list.setIconSize(QtCore.QSize(12, 12))
        self.alerts_list.itemActivated.connect(self._on_alerts_list_item_activated)
        al.addWidget(self.alerts_list)
        lower.addWidget(alerts_box, 1)
        lower.addLayout(side, 1)

        comm_box = QtWidgets.QFrame()
        comm_box.setObjectName("card")
        cl = QtWidgets.QVBoxLayout(comm_box)
        cl.setContentsMargins(16, 12, 16, 12)
        t2 = QtWidgets.QLabel(self.tr("各社区概况"))
        t2.setObjectName("sectionTitle")
        cl.addWidget(t2)
        self.community_table = QtWidgets.QTableView()
        right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter

        def figure(header: str, value: Callable[[dashboard.CommunityFigures], int]) -> Column[Any]:
            return Column(header, value, lambda v: f"{v:,}", align=right)

        self.community_model: ColumnTableModel[dashboard.CommunityFigures] = ColumnTableModel(
            [
                Column(self.tr("社区"), lambda c: c.name),
                figure(self.tr("网格"), lambda c: c.grids),
                figure(self.tr("户数"), lambda c: c.households),
                figure(self.tr("人口"), lambda c: c.residents),
                figure(self.tr("网格人员"), lambda c: c.staff),
            ],
            self,
        )
        self.community_table.setModel(self.community_model)
        self.community_table.verticalHeader().hide()
        self.community_table.setAlternatingRowColors(True)
        self.community_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.community_table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.community_table.horizontalHeader().setSectionResizeMode(
            0, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        cl.addWidget(self.community_table)
        side.addWidget(comm_box, 1)
        outer.addLayout(lower, 1)

    def adopt_prefetch(self, loading: Future[Any]) -> None:
        self._prefetched = loading

    def activate(self) -> None:
        if self.figures is None or self.stale:
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        if self._loading:
            return
        self._loading = True
        pending, self._prefetched = self._prefetched, None
        # the figures the main window started reading before this page existed, else read them now
        work: Callable[[Any], dashboard.StreetFigures] = (
            (lambda _p: pending.result()) if pending is not None else (lambda _p: dashboard.street_figures(self.ctx))
        )
        run_in_background(work, self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        from desktop.ui.errors import show_error

        show_error(self, exc)

    def _show(self, f: dashboard.StreetFigures) -> None:
        self._loading = False
        self.figures = f
        d = f.today
        self.header.set_subtitle(
            f"{f.street_name or self.tr('（未设置街道）')} · {d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}"
        )
        k = f.grids_by_kind
        self.card_communities.set_value(f.communities, self.tr("城市社区"))
        self.card_grids.set_value(
            f.grids, f"基础 {k.get('BASIC', 0)} · 专属 {k.get('DEDICATED', 0)} · 微网格 {k.get('MICRO', 0)}"
        )
        r = f.staff_by_role
        self.card_staff.set_value(
            f.staff, f"网格长 {r.get('CHIEF', 0)} · 专职 {r.get('WORKER', 0)} · 兼职 {r.get('HELPER', 0)}"
        )
        avg = f"户均 {f.residents / f.households:.2f} 人" if f.households else ""
        self.card_households.set_value(f.households, avg)
        self.card_residents.set_value(f.residents, f"户籍 {f.registered:,} · 流动 {f.floating:,}")
        share = f"占实有人口 {f.special_group_residents * 100 / f.residents:.1f}%" if f.residents else ""
        self.card_special.set_value(f.special_group_residents, share)

        self.setup_card.set_steps(f.setup)
        self.setup_card.setVisible(not f.setup_done)
        # a new database's figures are all zeros: the path to fill them in takes their room until residents come
        self.cards_box.setVisible(f.setup_done or f.residents > 0)

        self.warnings_list.clear()
        if not f.warnings and not f.setup_done and f.next_step is not None:
            item = QtWidgets.QListWidgetItem(
                icon("info", LEVEL_COLOURS["info"]), self.tr("下一步：") + self.tr(f.next_step.hint)
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, f.next_step.target)
            item.setToolTip(self.tr("双击前往"))
            self.warnings_list.addItem(item)
        elif not f.warnings:
            item = QtWidgets.QListWidgetItem(icon("info", "#2e7d32"), self.tr("今天没有需要处理的提醒。"))
            self.warnings_list.addItem(item)
        for w in f.warnings:
            item = QtWidgets.QListWidgetItem(icon("warning", LEVEL_COLOURS.get(w.level, "#5f6b7a")), w.text)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, w.area)
            item.setToolTip(self.tr("双击打开相关页面"))
            self.warnings_list.addItem(item)

        self._show_alerts(f)
        self.community_model.set_rows(f.per_community)
        self.status_message.emit(self.tr("工作台数据已更新"))

    def _show_alerts(self, f: dashboard.StreetFigures) -> None:
        alerts = f.alerts
        self.alerts_list.clear()
        self.alerts_title.setText(
            self.tr("今日亮灯事件（红灯 %1 · 黄灯 %2）")
            .replace("%1", f"{alerts.red:,}")
            .replace("%2", f"{alerts.yellow:,}")
        )
        if not alerts.total:
            self.alerts_list.addItem(
                QtWidgets.QListWidgetItem(icon("info", "#2e7d32"), self.tr("今天没有红灯、黄灯事件。"))
            )
        for r in alerts.rows:
            text = (
                f"{r.light_label} {r.event_no} · {r.category} · {r.grid_label or short_grid(r.grid_name)} · {r.state_label}\n"
                f"{r.place} · 时限 {r.deadline_text}" + (f" · {r.department}" if r.department else "")
            )
            item = QtWidgets.QListWidgetItem(light_dot(r.light) or QtGui.QIcon(), text)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, r.id)
            item.setToolTip(self.tr("双击或按回车打开事件卡片"))
            self.alerts_list.addItem(item)
        rest = alerts.total - len(alerts.rows)
        if rest > 0:  # the most urgent are listed; the rest are a double-click away, not a long scroll
            rest_red = alerts.red - sum(1 for r in alerts.rows if r.light == "red")
            parts = [f"红灯 {rest_red:,}"] if rest_red else []
            parts += [f"黄灯 {rest - rest_red:,}"] if rest > rest_red else []
            light = "red" if rest_red else "yellow"
            item = QtWidgets.QListWidgetItem(
                icon("events"),
                self.tr("另有 %1 件（%2）未列出：双击打开“网格事件”的%3列表")
                .replace("%1", f"{rest:,}")
                .replace("%2", " · ".join(parts))
                .replace("%3", self.tr("红灯") if rest_red else self.tr("黄灯")),
            )
            item.setData(NAVIGATE_ROLE, f"events/{light}")
            self.alerts_list.addItem(item)

    def _on_alerts_list_item_activated(self, item: QtWidgets.QListWidgetItem) -> None:
        target = item.data(NAVIGATE_ROLE)
        if target:
            self.navigate.emit(str(target))
            return
        event_id = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if event_id is not None:
            self.open_card(int(event_id))

    def open_card(self, event_id: int) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.event_card_dialog import EventCardDialog
        from desktop.ui.dialogs.form_dialog import open_dialog

        dialog = EventCardDialog(self.ctx, event_id, self)
        dialog.saved.connect(lambda: self._on_card_saved(*dialog.extra_areas))
        self.card = dialog
        return open_dialog(dialog)

    def open_entry(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog
        from desktop.ui.dialogs.form_dialog import open_dialog

        dialog = EventEntryDialog(self.ctx, parent=self)
        dialog.finished.connect(lambda _r: dialog.saved_ids and self._on_card_saved())
        return open_dialog(dialog)

    def _on_card_saved(self, *extra_areas: str) -> None:
        self.emit_changes("events", *extra_areas)
        self.reload()

    def _on_warnings_list_item_activated(self, item: QtWidgets.QListWidgetItem) -> None:
        area = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if area:
            self.navigate.emit(area)
