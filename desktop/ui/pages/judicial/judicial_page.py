"""司法确认: confirmation tracks with deadline colours and filters, each track's detail panel; court-referred
(委派) cases; the holiday calendar and the court setting. Lists load in the background; dialogs open
with ``open()`` and are returned by the ``open_*`` methods."""

from __future__ import annotations

import datetime as dt

from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.queries import FILTERS, TrackRow
from desktop.services.judicial.referrals import ReferralRow
from desktop.ui.dialogs.judicial_preview_dialog import ConfirmationPreviewDialog
from desktop.ui.dialogs.judicial_reason_dialog import ReasonDialog
from desktop.ui.dialogs.judicial_referral_dialog import ReferralDialog
from desktop.ui.dialogs.judicial_start_dialog import StartConfirmationDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.judicial_rows_model import JudicialSortProxyModel, referral_model, track_model
from desktop.ui.pages.base import Page
from desktop.ui.pages.judicial.holiday_tab import HolidayTab
from desktop.ui.pages.judicial.track_panel import TrackPanel
from desktop.ui.qt import Qt, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.column_fit import fit_columns
from desktop.ui.widgets.lazy_tabs import LazyTabWidget
from desktop.ui.widgets.legend import ORANGE, RED, YELLOW, colour_legend
from desktop.ui.widgets.page_header import PageHeader

REFERRAL_FILTERS = {
    "ALL": "全部",
    "ATTENTION": "需要处理",
    "OPEN": "调解中",
    "NEAR": "临近期限",
    "OVERDUE": "已逾期",
    "DONE": "已有结果",
}


def _table(model: QtWidgets.QAbstractItemView | None = None) -> QtWidgets.QTableView:
    t = QtWidgets.QTableView()
    t.setSortingEnabled(True)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(28)
    t.setShowGrid(False)
    t.setWordWrap(False)
    t.setAlternatingRowColors(False)
    t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    return t


class JudicialPage(Page):
    title = "司法确认"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"mediation", "judicial", "settings"})
    #: the lists were (re)loaded and are shown
    loaded = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loading = False
        self._generation = 0
        self._select_after_load: int | None = None
        self._alive = [True]
        alive = self._alive
        self.destroyed.connect(lambda *_a: alive.__setitem__(0, False))

        self.header = PageHeader(self.tr("司法确认"), self.tr("正在载入…"))
        self.start_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("登记司法确认"))
        self.start_button.setObjectName("primaryButton")
        self.referral_button = QtWidgets.QPushButton(icon("add"), self.tr("登记委派调解"))
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        for b in (self.refresh_button, self.referral_button, self.start_button):
            self.header.add_action(b)

        # --- tracks
        self.filter_combo = QtWidgets.QComboBox()
        for key, label in FILTERS.items():
            self.filter_combo.addItem(self.tr(label), key)
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索案件编号、当事人、法院或受理案号"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(QtWidgets.QLabel(self.tr("筛选")))
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.search_edit, 1)
        self.track_model = track_model(self)
        self.track_proxy = JudicialSortProxyModel(self)
        self.track_proxy.setSourceModel(self.track_model)
        self.track_table = _table()
        self.track_table.setModel(self.track_proxy)
        self.track_table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        for col, w in enumerate((196, 112, 88, 96, 96, 150, 170, 240)):
            self.track_table.setColumnWidth(col, w)
        self.track_table.horizontalHeader().setStretchLastSection(True)
        self.track_columns = fit_columns(self.track_table, "judicial/tracks")
        self.empty_label = QtWidgets.QLabel()
        self.empty_label.setObjectName("figureDetail")
        self.legend = colour_legend(
            [
                (RED, self.tr("红"), self.tr("期限已过或 3 天内到期")),
                (ORANGE, self.tr("橙"), self.tr("法院逾期未受理或未裁定、驳回待处理、结果待反馈")),
                (YELLOW, self.tr("黄"), self.tr("10 天内到期")),
            ],
            self.tr("日期后的 * ：该年度节假日安排待核对"),
        )
        left = QtWidgets.QWidget()
        ll = QtWidgets.QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 8)
        ll.addLayout(tools)
        ll.addWidget(self.track_table, 1)
        ll.addWidget(self.empty_label)
        ll.addWidget(self.legend)
        self.panel = TrackPanel(ctx)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 540])

        # --- referrals
        self.referral_filter = QtWidgets.QComboBox()
        for key, label in REFERRAL_FILTERS.items():
            self.referral_filter.addItem(self.tr(label), key)
        self.referral_edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        rtools = QtWidgets.QHBoxLayout()
        rtools.addWidget(QtWidgets.QLabel(self.tr("筛选")))
        rtools.addWidget(self.referral_filter)
        rtools.addStretch(1)
        rtools.addWidget(self.referral_edit_button)
        self.referral_model = referral_model(self)
        self.referral_proxy = JudicialSortProxyModel(self)
        self.referral_proxy.setSourceModel(self.referral_model)
        self.referral_table = _table()
        self.referral_table.setModel(self.referral_proxy)
        self.referral_table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        for col, w in enumerate((215, 150, 170, 90, 120, 120, 200, 240)):
            self.referral_table.setColumnWidth(col, w)
        self.referral_table.horizontalHeader().setStretchLastSection(True)
        self.referral_columns = fit_columns(self.referral_table, "judicial/referrals")
        referral_tab = QtWidgets.QWidget()
        rl = QtWidgets.QVBoxLayout(referral_tab)
        rl.setContentsMargins(8, 8, 8, 8)
        rl.addLayout(rtools)
        rl.addWidget(self.referral_table, 1)
        rl.addWidget(
            colour_legend(
                [
                    (RED, self.tr("红"), self.tr("委派调解期限已过或 3 天内到期")),
                    (ORANGE, self.tr("橙"), self.tr("调解结果尚未反馈委派法院")),
                    (YELLOW, self.tr("黄"), self.tr("10 天内到期")),
                ]
            )
        )

        self.holiday_tab = HolidayTab(ctx)
        self.tabs = LazyTabWidget()  # a tab's page is styled and laid out when first shown
        self.tabs.add_tab(self.splitter, self.tr("司法确认"), icon("court"))
        self.tabs.add_tab(referral_tab, self.tr("诉前委派调解"), icon("mediation"))
        self.tabs.add_tab(self.holiday_tab, self.tr("节假日与法院设置"), icon("settings"))

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        outer.addWidget(self.header)
        outer.addWidget(self.tabs, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.start_button.clicked.connect(lambda: self.open_start_dialog())
        self.referral_button.clicked.connect(lambda: self.open_referral_dialog(None))
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.filter_combo.currentIndexChanged.connect(lambda *_a: self.reload())
        self.search_edit.textChanged.connect(lambda *_a: self.reload())
        self.referral_filter.currentIndexChanged.connect(lambda *_a: self.reload())
        self.track_table.selectionModel().selectionChanged.connect(self._on_track_table_selection_changed)
        self.referral_table.doubleClicked.connect(
            lambda *_a: self.open_referral_dialog(self.selected_referral())
        )
        self.referral_edit_button.clicked.connect(lambda: self.open_referral_dialog(self.selected_referral()))
        self.panel.saved.connect(self._on_panel_saved)
        self.panel.preview_requested.connect(lambda tid: self.open_preview_dialog(tid))
        self.panel.late_reason_requested.connect(lambda tid: self.open_late_reason_dialog(tid))
        self.panel.close_requested.connect(lambda tid: self.open_close_dialog(tid))
        self.panel.status_message.connect(self.status_message)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.holiday_tab.changed.connect(self._on_holiday_tab_changed)
        self.holiday_tab.status_message.connect(self.status_message)
        self.holiday_tab.events_recomputed.connect(lambda n: n and self.emit_changes("events"))

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()
        self.holiday_tab.refresh_when_shown()

    def reload(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self._select_after_load = select_id
        self._generation += 1
        generation, ctx, alive = self._generation, self.ctx, self._alive
        flt, text = self.filter_combo.currentData(), self.search_edit.text()
        rflt = self.referral_filter.currentData()
        self.loading = True

        def load(_p: object) -> tuple[list[TrackRow], list[ReferralRow], list[TrackRow]]:
            return (
                judicial.list_tracks(ctx, flt, text),
                judicial.list_referrals(ctx, rflt),
                judicial.list_tracks(ctx, "ATTENTION"),
            )

        def done(result: tuple[list[TrackRow], list[ReferralRow], list[TrackRow]]) -> None:
            if alive[0] and generation == self._generation:
                self._show(*result)

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                show_error(self, exc)

        run_in_background(load, done, failed, parent=self)

    def _show(self, tracks: list[TrackRow], referrals: list[ReferralRow], attention: list[TrackRow]) -> None:
        keep = self._select_after_load or self.selected_track_id()
        self._select_after_load = None
        self.track_model.set_rows(tracks)
        self.referral_model.set_rows(referrals)
        overdue = sum(1 for r in attention if r.overdue)
        self.header.set_subtitle(
            self.tr("共 {0} 件 · 需要处理 {1} 件（其中逾期 {2} 件） · 委派调解 {3} 件").format(
                len(tracks), len(attention), overdue, len(referrals)
            )
        )
        self.empty_label.setText(self.tr("没有符合条件的司法确认记录。") if not tracks else "")
        self.empty_label.setVisible(not tracks)
        if keep is None or not self.select_track(keep):
            if self.track_proxy.rowCount():
                self.track_table.selectRow(0)
            else:
                self.panel.show_track(None)
        self.loading = False
        self.loaded.emit()

    # ---------------------------------------------------------------- selection

    def selected_track_id(self) -> int | None:
        rows = self.track_table.selectionModel().selectedRows()
        return self.track_proxy.mapToSource(rows[0]).data(Qt.ItemDataRole.UserRole) if rows else None

    def select_track(self, track_id: int) -> bool:
        index = self.track_proxy.mapFromSource(self.track_model.index_for(track_id))
        if not index.isValid():
            return False
        self.track_table.selectRow(index.row())
        self.track_table.scrollTo(index)
        self.refresh_detail()
        return True

    def selected_referral(self) -> ReferralRow | None:
        rows = self.referral_table.selectionModel().selectedRows()
        return self.referral_model.row_at(self.referral_proxy.mapToSource(rows[0]).row()) if rows else None

    def _on_track_table_selection_changed(self, *_a: object) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        tid = self.selected_track_id()
        if tid is None:
            self.panel.show_track(None)
            return
        try:
            self.panel.show_track(judicial.get_track(self.ctx, tid))
        except Exception as exc:
            self.panel.show_track(None)
            show_error(self, exc)

    def _on_panel_saved(self, track_id: int) -> None:
        self._after_write(track_id)

    def _after_write(self, select_id: int | None = None) -> None:
        self.reload(select_id if isinstance(select_id, int) else None)
        self.emit_changes("judicial")

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.holiday_tab:
            self.holiday_tab.reload_if_stale()

    def _on_holiday_tab_changed(self) -> None:
        """The holiday calendar moves deadlines of both areas."""
        self.reload()
        self.emit_changes("judicial", "settings")

    # ---------------------------------------------------------------- dialogs

    def open_start_dialog(self) -> StartConfirmationDialog:
        try:
            candidates = judicial.list_candidates(self.ctx)
        except Exception as exc:
            show_error(self, exc)
            candidates = []
        dialog = StartConfirmationDialog(self.ctx, candidates, self)
        dialog.accepted.connect(lambda: self._after_write(dialog.track_id))
        dialog.open()
        return dialog

    def open_referral_dialog(self, row: ReferralRow | None) -> ReferralDialog:
        court = judicial.court_settings(self.ctx).default_court
        dialog = ReferralDialog(self.ctx, row, court, self)
        dialog.accepted.connect(lambda: self._after_write())
        dialog.open()
        return dialog

    def open_preview_dialog(self, track_id: int) -> ConfirmationPreviewDialog:
        row = self.track_model.row_for(track_id)
        dialog = ConfirmationPreviewDialog(self.ctx, track_id, row.case_no if row else "", self)
        dialog.open()
        dialog.render()
        return dialog

    def open_late_reason_dialog(self, track_id: int) -> ReasonDialog:
        def apply(_choice: str | None, text: str) -> None:
            t = judicial.get_track(self.ctx, track_id)
            judicial.record_late_reason(self.ctx, track_id, t.version, text)

        t = self.panel.track
        due = t.deadline_text if t and t.id == track_id else ""
        dialog = ReasonDialog(
            self.tr("记录逾期申请的理由"),
            self.tr(
                "申请期限：{0}。已超过期限仍需申请的，请写明理由（记入操作日志），之后方可生成申请书。"
            ).format(due),
            apply,
            parent=self,
        )
        dialog.accepted.connect(lambda: self._after_write(track_id))
        dialog.open()
        return dialog

    def open_close_dialog(self, track_id: int) -> ReasonDialog:
        def apply(choice: str | None, text: str) -> None:
            t = judicial.get_track(self.ctx, track_id)
            judicial.close_track(self.ctx, track_id, t.version, choice or "WITHDRAWN", text)

        dialog = ReasonDialog(
            self.tr("撤回或不予受理"),
            self.tr("请选择情况并写明原因："),
            apply,
            [
                ("WITHDRAWN", self.tr("撤回申请 / 当事人决定不申请")),
                ("NOT_ACCEPTED", self.tr("法院不予受理")),
            ],
            parent=self,
        )
        dialog.accepted.connect(lambda: self._after_write(track_id))
        dialog.open()
        return dialog

    def today(self) -> dt.date:
        return self.ctx.today()
