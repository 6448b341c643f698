"""网格事件: the event list with lights and filters, the card, quick entry; the department ledger and the 督办
list on their own tabs.

The list reads one page (200 rows) with the total and the light counts off the GUI thread whenever a filter
changes (~150 ms after the last keystroke in the search box); later pages are fetched as the user scrolls
(``list_events`` with ``limit``/``offset``). A result that is no longer the latest is dropped.
"""

from __future__ import annotations

import datetime as dt

from desktop.core.errors import ShequError
from desktop.domain.events import LIGHT_LABELS, STATE_LABELS
from desktop.services import events as ev
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.marks import LIGHT_TEXT_COLOURS, light_dot
from desktop.ui.models.event_list_model import EventListModel
from desktop.ui.pages.base import Page
from desktop.ui.pages.events.oversight_tabs import LedgerTab, SupervisionTab
from desktop.ui.qt import Qt, QtCore, QtWidgets
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.column_fit import fit_columns
from desktop.ui.widgets.combos import refill_filter_combo
from desktop.ui.widgets.lazy_tabs import LazyTabWidget
from desktop.ui.widgets.page_header import PageHeader

SEARCH_DELAY_MS = 150


class EventsPage(Page):
    title = "网格事件"
    depends_on = frozenset({"events", "grids", "settings"})

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._seq = 0
        self._shown_seq = 0
        self._loaded = False
        self._filling = False
        self.last_result: ev.EventList | None = None
        self.card = None

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(8)
        self.header = PageHeader(
            self.tr("网格事件"), self.tr("上报 → 受理 → 吹哨/派单 → 处置 → 核查 → 结案 → 回访评价")
        )
        self.entry_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("快速登记"))
        self.entry_button.setObjectName("primaryButton")
        self.entry_button.setToolTip(self.tr("快速登记一件事件（Ctrl+N）"))
        self.open_button = QtWidgets.QPushButton(icon("events"), self.tr("查看详情"))
        self.open_button.setEnabled(False)
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        for b in (self.open_button, self.entry_button, self.refresh_button):
            self.header.add_action(b)
        outer.addWidget(self.header)

        # ---- the list tab
        list_tab = QtWidgets.QWidget()
        lt = QtWidgets.QVBoxLayout(list_tab)
        lt.setContentsMargins(8, 8, 8, 8)
        lt.setSpacing(8)
        row1 = QtWidgets.QHBoxLayout()
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("事件编号、地点、描述或上报人"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        row1.addWidget(self.search_edit, 1)
        self.light_labels: dict[str, QtWidgets.QLabel] = {}
        for light in ("red", "yellow", "green"):
            dot = QtWidgets.QLabel()
            icon_ = light_dot(light, 14)
            if icon_ is not None:
                dot.setPixmap(icon_.pixmap(14, 14))
            label = QtWidgets.QLabel()
            label.setStyleSheet(f"color:{LIGHT_TEXT_COLOURS[light]};font-weight:bold;")
            row1.addSpacing(8)
            row1.addWidget(dot)
            row1.addWidget(label)
            self.light_labels[light] = label
        row1.addSpacing(12)
        self.count_label = QtWidgets.QLabel()
        self.count_label.setObjectName("sectionTitle")
        row1.addWidget(self.count_label)
        lt.addLayout(row1)

        row2 = QtWidgets.QHBoxLayout()
        row2.setSpacing(6)
        self.light_combo = self._combo(92)
        self.light_combo.addItem(self.tr("全部灯"), None)
        for code, label in LIGHT_LABELS.items():
            self.light_combo.addItem(light_dot(code), label, code)
        self.light_combo.addItem(self.tr("已结案（不亮灯）"), "none")
        self.state_combo = self._combo(92)
        self.state_combo.addItem(self.tr("全部状态"), None)
        self.state_combo.addItem(self.tr("未结案"), "open")
        self.state_combo.addItem(self.tr("已结案"), "closed")
        for code, label in STATE_LABELS.items():
            if code != "CLOSED":
                self.state_combo.addItem(label, code)
        self.grid_combo = self._combo(120)
        self.source_combo = self._combo(100)
        self.category_combo = self._combo(96)
        self.department_combo = self._combo(116)
        self.clear_button = QtWidgets.QPushButton(self.tr("清除筛选"))
        for w in (
            self.light_combo,
            self.state_combo,
            self.grid_combo,
            self.source_combo,
            self.category_combo,
            self.department_combo,
        ):
            row2.addWidget(w)
        row2.addStretch(1)
        row2.addWidget(self.clear_button)
        lt.addLayout(row2)

        self.model = EventListModel(self._fetch_page, self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("eventTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setIconSize(QtCore.QSize(12, 12))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for i, col in enumerate(self.model.columns):
            header.resizeSection(i, col.width)
        header.setStretchLastSection(True)
        self.columns = fit_columns(self.table, "events/list")
        lt.addWidget(self.table, 1)
        self.empty_label = QtWidgets.QLabel()
        self.empty_label.setObjectName("figureDetail")
        lt.addWidget(self.empty_label)
        hint = QtWidgets.QLabel(
            self.tr("双击或按回车打开事件卡片；红灯：已超过办理时限；黄灯：今天或下一个工作日到期。")
        )
        hint.setObjectName("figureDetail")
        lt.addWidget(hint)

        self.ledger_tab = LedgerTab(ctx)
        self.supervision_tab = SupervisionTab(ctx)
        self.tabs = LazyTabWidget()  # a tab's page is styled and laid out when first shown
        self.tabs.add_tab(list_tab, self.tr("事件列表"), icon("events"))
        self.tabs.add_tab(self.ledger_tab, self.tr("部门台账"), icon("community"))
        self.tabs.add_tab(self.supervision_tab, self.tr("督办"), icon("warning"))
        outer.addWidget(self.tabs, 1)

        self.search_timer = QtCore.QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect_signals()

    def _combo(self, width: int) -> QtWidgets.QComboBox:
        combo = QtWidgets.QComboBox()
        combo.setMinimumWidth(width)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        return combo

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda *_a: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.search_now)
        self.search_timer.timeout.connect(self.search_now)
        for combo in (
            self.light_combo,
            self.state_combo,
            self.grid_combo,
            self.source_combo,
            self.category_combo,
            self.department_combo,
        ):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.clear_button.clicked.connect(lambda: self.clear_filters())
        self.refresh_button.clicked.connect(self.refresh)
        self.entry_button.clicked.connect(lambda: self.open_entry())
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.tabs.currentChanged.connect(lambda *_a: self._load_tab())
        self.supervision_tab.open_requested.connect(self.open_card)

    def start_step(self, step: str) -> None:
        """"red" or "yellow" (the 工作台's 亮灯 list followed past its first rows): every event of that light,
        whatever the list was filtered by before."""
        if step not in ("red", "yellow"):
            super().start_step(step)
            return
        self.tabs.setCurrentIndex(0)
        self.clear_filters(light=step)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        if not self._loaded or self.stale:
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self._loaded = True
        try:
            self._fill_filters()
        except ShequError as exc:
            show_error(self, exc)
            return
        self.search_now()
        self._load_tab()

    def _load_tab(self) -> None:
        if self.tabs.currentWidget() is self.ledger_tab:
            self.ledger_tab.reload()
        elif self.tabs.currentWidget() is self.supervision_tab:
            self.supervision_tab.reload()

    def _fill_filters(self) -> None:
        dic = ev.event_dictionary(self.ctx)
        self._filling = True
        try:
            grids = [(f"{g.code} {g.name}", g.id) for g in structure.list_grids(self.ctx)]
            refill_filter_combo(self.grid_combo, self.tr("全部网格"), grids)
            refill_filter_combo(self.source_combo, self.tr("全部来源"), [(s, s) for s in dic.sources])
            refill_filter_combo(
                self.category_combo, self.tr("全部类别"), [(c.code, c.code) for c in dic.categories]
            )
            refill_filter_combo(self.department_combo, self.tr("全部部门"), [(d, d) for d in dic.departments])
        finally:
            self._filling = False

    def current_filter(self) -> ev.EventFilter:
        return ev.EventFilter(
            grid_id=self.grid_combo.currentData(),
            source=self.source_combo.currentData(),
            category=self.category_combo.currentData(),
            department=self.department_combo.currentData(),
            light=self.light_combo.currentData(),
            state=self.state_combo.currentData(),
            text=self.search_edit.text() or None,
        )

    def _fetch_page(
        self, offset: int, limit: int, after: tuple[dt.datetime, int] | None = None
    ) -> ev.EventList:
        """A later page of the current result, at the moment the first page was read (same lights); by
        keyset after ``after`` when the model knows where the page begins. The total is known already."""
        as_of = self.last_result.as_of if self.last_result is not None else None
        return ev.list_events(
            self.ctx, self._shown_filter, as_of=as_of, limit=limit, offset=offset, after=after, totals=False
        )

    _shown_filter = ev.EventFilter()

    def search_now(self) -> None:
        self.search_timer.stop()
        self._seq += 1
        seq, flt, ctx, size = self._seq, self.current_filter(), self.ctx, self.model.PAGE_SIZE
        run_in_background(
            lambda _p: ev.list_events(ctx, flt, limit=size, offset=0),
            lambda result: self._on_search_done(seq, flt, result),
            lambda exc: self._on_search_failed(seq, exc),
            parent=self,
        )

    def is_searching(self) -> bool:
        return self._shown_seq != self._seq

    def _on_search_done(self, seq: int, flt: ev.EventFilter, result: ev.EventList) -> None:
        if seq != self._seq:
            return
        self._shown_seq = seq
        selected = self.selected_id()
        self._shown_filter = flt
        self.last_result = result
        self.model.set_result(result)
        self.count_label.setText(self.tr("共 %1 件").replace("%1", f"{result.total:,}"))
        for light, label in self.light_labels.items():
            label.setText(f"{LIGHT_LABELS[light]} {result.lights.get(light, 0):,}")
        self.empty_label.setText(self.tr("没有符合条件的事件。") if not result.total else "")
        self.empty_label.setVisible(not result.total)
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            self.table.selectRow(row)
        self._on_selection_changed()

    def _on_search_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self._shown_seq = seq
            show_error(self, exc, self.tr("查询事件失败"))

    def _on_filter_changed(self, *_a: object) -> None:
        if not self._filling:
            self.search_now()

    def clear_filters(self, *, light: str | None = None) -> None:
        """Every filter back to 全部 (``light``: but that one light), then one search."""
        self._filling = True
        for combo in (
            self.light_combo,
            self.state_combo,
            self.grid_combo,
            self.source_combo,
            self.category_combo,
            self.department_combo,
        ):
            combo.setCurrentIndex(0)
        if light is not None:
            self.light_combo.setCurrentIndex(max(self.light_combo.findData(light), 0))
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._filling = False
        self.search_now()

    # ---------------------------------------------------------------- selection and dialogs

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def _on_selection_changed(self, *_a: object) -> None:
        self.open_button.setEnabled(self.selected_id() is not None)

    def _on_table_activated(self, index: QtCore.QModelIndex) -> None:
        eid = self.model.row_id(index.row())
        if eid is not None:
            self.open_card(eid)

    def _on_open_button_clicked(self) -> None:
        eid = self.selected_id()
        if eid is not None:
            self.open_card(eid)

    def open_card(self, event_id: int) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.event_card_dialog import EventCardDialog

        dialog = EventCardDialog(self.ctx, event_id, self)
        dialog.saved.connect(lambda: self._after_change(*dialog.extra_areas))
        self.card = dialog
        return open_dialog(dialog)

    def open_entry(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.event_entry_dialog import EventEntryDialog

        dialog = EventEntryDialog(self.ctx, self.grid_combo.currentData(), self)
        dialog.finished.connect(lambda _r: dialog.saved_ids and self._after_entry(len(dialog.saved_ids)))
        return open_dialog(dialog)

    def _after_entry(self, count: int) -> None:
        self.status_message.emit(self.tr("已登记 %1 件事件").replace("%1", str(count)))
        self._after_change()

    def _after_change(self, *extra_areas: str) -> None:
        self.search_now()
        self._load_tab()
        self.emit_changes("events", *extra_areas)
