"""The selected grid at a glance: a card with its facts and figures, and its staff (1+1+N).

The panel only shows things and asks for actions through signals; the page opens the dialogs.
"""

from __future__ import annotations

from collections import Counter

from desktop.services import structure
from desktop.ui.icons import icon
from desktop.ui.models.staff_table_model import StaffTableModel
from desktop.ui.qt import Qt, QtCore, QtWidgets, Signal

PANEL_QSS = """
QLabel#gridTitle { font-size: 14pt; font-weight: bold; }
QLabel#gridFigureValue { font-size: 15pt; font-weight: bold; }
QLabel#gridChip { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 9px; }
QLabel#emptyState { color: palette(placeholder-text); font-size: 11pt; }
"""


#: staff table column widths; the last column (单位/职务) takes the rest, at least ORG_MIN
STAFF_WIDTHS = (92, 66, 80, 46, 112, 112)
ORG_MIN = 120


def _label(text: str = "", name: str = "", wrap: bool = False) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class GridDetailPanel(QtWidgets.QWidget):
    add_staff_requested = Signal()
    edit_staff_requested = Signal(int)
    retire_staff_requested = Signal(int)
    #: the 显示已调离 box changed: the page reloads the detail with or without moved-away staff
    show_moved_toggled = Signal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: structure.GridDetail | None = None
        self.setStyleSheet(PANEL_QSS)
        self.stack = QtWidgets.QStackedWidget()
        self.empty_label = _label(self.tr("选择一个网格，查看它的基本情况和网格人员。"), "emptyState", True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty_label)
        content = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self._build_info_card(), 2)
        row.addWidget(self._build_staff_card(), 3)
        self.stack.addWidget(content)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.show_detail(None)

    # ---------------------------------------------------------------- building

    def _build_info_card(self) -> QtWidgets.QFrame:
        card = QtWidgets.QFrame()
        card.setObjectName("card")
        lay = QtWidgets.QVBoxLayout(card)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        self.title_label = _label("", "gridTitle", True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.title_label)
        chips = QtWidgets.QHBoxLayout()
        chips.setSpacing(6)
        self.kind_chip = _label("", "gridChip")
        self.community_chip = _label("", "gridChip")
        chips.addWidget(self.kind_chip)
        chips.addWidget(self.community_chip)
        chips.addStretch(1)
        lay.addLayout(chips)
        self.retired_label = _label("", "errorText", True)
        lay.addWidget(self.retired_label)

        figures = QtWidgets.QHBoxLayout()
        figures.setSpacing(18)
        self.households_value = self._figure(figures, self.tr("户数"))
        self.population_value = self._figure(figures, self.tr("人数"))
        self.registered_value = self._figure(figures, self.tr("在册居民"))
        figures.addStretch(1)
        lay.addLayout(figures)

        form = QtWidgets.QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.DontWrapRows)
        self.boundary_label = _label("", "", True)
        self.boundary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = _label("", "", True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_label(self.tr("四至"), "figureLabel"), self.boundary_label)
        form.addRow(_label(self.tr("备注"), "figureLabel"), self.notes_label)
        lay.addLayout(form)
        lay.addStretch(1)
        return card

    def _figure(self, row: QtWidgets.QHBoxLayout, caption: str) -> QtWidgets.QLabel:
        box = QtWidgets.QVBoxLayout()
        box.setSpacing(0)
        value = _label("—", "gridFigureValue")
        box.addWidget(value)
        box.addWidget(_label(caption, "figureLabel"))
        row.addLayout(box)
        return value

    def _build_staff_card(self) -> QtWidgets.QFrame:
        card = QtWidgets.QFrame()
        card.setObjectName("card")
        lay = QtWidgets.QVBoxLayout(card)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(_label(self.tr("网格人员（1+1+N）"), "sectionTitle"))
        top.addStretch(1)
        self.add_staff_button = QtWidgets.QPushButton(icon("person_add"), self.tr("添加人员"))
        self.edit_staff_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.retire_staff_button = QtWidgets.QPushButton(icon("person_move"), self.tr("调离"))
        for button in (self.add_staff_button, self.edit_staff_button, self.retire_staff_button):
            top.addWidget(button)
        lay.addLayout(top)
        summary_row = QtWidgets.QHBoxLayout()
        self.staff_summary = _label("", "figureDetail", True)
        self.show_moved_check = QtWidgets.QCheckBox(self.tr("显示已调离"))
        summary_row.addWidget(self.staff_summary, 1)
        summary_row.addWidget(self.show_moved_check)
        lay.addLayout(summary_row)

        self.staff_model = StaffTableModel(self)
        self.staff_table = QtWidgets.QTableView()
        self.staff_table.setObjectName("staffTable")
        self.staff_table.setModel(self.staff_model)
        self.staff_table.verticalHeader().hide()
        self.staff_table.setAlternatingRowColors(True)
        self.staff_table.setShowGrid(False)
        self.staff_table.setWordWrap(False)
        self.staff_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.staff_table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.staff_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.staff_table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        for col, width in enumerate(STAFF_WIDTHS):
            header.resizeSection(col, width)
        self.staff_table.installEventFilter(self)
        self.staff_table.verticalHeader().setDefaultSectionSize(30)
        self.staff_empty = _label(self.tr("该网格还没有配备人员，点击“添加人员”添加。"), "emptyState", True)
        self.staff_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_stack = QtWidgets.QStackedWidget()
        self.staff_stack.addWidget(self.staff_table)
        self.staff_stack.addWidget(self.staff_empty)
        lay.addWidget(self.staff_stack, 1)

        self.add_staff_button.clicked.connect(self.add_staff_requested)
        self.edit_staff_button.clicked.connect(self._on_edit_staff_button_clicked)
        self.retire_staff_button.clicked.connect(self._on_retire_staff_button_clicked)
        self.staff_table.doubleClicked.connect(self._on_edit_staff_button_clicked)
        self.staff_table.selectionModel().selectionChanged.connect(self._update_staff_buttons)
        self.show_moved_check.toggled.connect(self.show_moved_toggled)
        return card

    # ---------------------------------------------------------------- showing

    def show_detail(self, detail: structure.GridDetail | None, empty_text: str = "") -> None:
        keep = self.selected_staff_id()
        self.detail = detail
        if detail is None:
            if empty_text:
                self.empty_label.setText(empty_text)
            self.stack.setCurrentIndex(0)
            self.staff_model.set_rows([])
            self._update_staff_buttons()
            return
        g = detail.grid
        self.title_label.setText(f"{g.code}　{g.name}")
        self.kind_chip.setText(g.kind_label)
        self.community_chip.setText(g.community_name)
        self.retired_label.setVisible(g.retired_on is not None)
        if g.retired_on is not None:
            reason = f"：{detail.retired_reason}" if detail.retired_reason else ""
            self.retired_label.setText(
                self.tr("该网格已于 {0} 撤销{1}").format(g.retired_on.isoformat(), reason)
            )
        self.households_value.setText("—" if g.households is None else f"{g.households:,}")
        self.population_value.setText("—" if g.population is None else f"{g.population:,}")
        self.registered_value.setText(f"{g.registered_residents:,}")
        self.boundary_label.setText(g.boundary or self.tr("未填写"))
        self.notes_label.setText(detail.notes or self.tr("无"))
        self.staff_model.set_rows(detail.staff)
        self.staff_summary.setText(self._summary(detail))
        self.staff_stack.setCurrentIndex(0 if detail.staff else 1)
        self.stack.setCurrentIndex(1)
        if keep is not None:
            self.select_staff(keep)
        self._update_staff_buttons()

    def _summary(self, detail: structure.GridDetail) -> str:
        active = [m for m in detail.staff if m.retired_on is None]
        chiefs = [m.name for m in active if m.role == "CHIEF"]
        workers = [m.name for m in active if m.role == "WORKER"]
        helpers = Counter(m.helper_kind or self.tr("其他") for m in active if m.role == "HELPER")
        parts = [
            self.tr("网格长 {0}").format("、".join(chiefs)) if chiefs else self.tr("尚未配备网格长"),
            self.tr("专职网格员 {0}").format("、".join(workers))
            if workers
            else self.tr("尚未配备专职网格员"),
        ]
        if helpers:
            kinds = "、".join(f"{k} {n}" for k, n in helpers.most_common())
            parts.append(self.tr("兼职 {0} 名（{1}）").format(sum(helpers.values()), kinds))
        else:
            parts.append(self.tr("暂无兼职网格员"))
        return " · ".join(parts)

    # ---------------------------------------------------------------- staff selection

    def selected_staff(self) -> structure.StaffRow | None:
        rows = self.staff_table.selectionModel().selectedRows()
        return self.staff_model.row_at(rows[0].row()) if rows else None

    def selected_staff_id(self) -> int | None:
        member = self.selected_staff()
        return member.id if member else None

    def select_staff(self, staff_id: int) -> bool:
        row = self.staff_model.row_of(staff_id)
        if row < 0:
            return False
        self.staff_table.selectRow(row)
        return True

    def _update_staff_buttons(self, *_args: object) -> None:
        grid_active = self.detail is not None and self.detail.grid.retired_on is None
        member = self.selected_staff()
        self.add_staff_button.setEnabled(grid_active)
        self.edit_staff_button.setEnabled(grid_active and member is not None and member.retired_on is None)
        self.retire_staff_button.setEnabled(grid_active and member is not None and member.retired_on is None)
        tip = "" if grid_active or self.detail is None else self.tr("网格已撤销，不能再调整人员。")
        self.add_staff_button.setToolTip(tip)

    def _on_edit_staff_button_clicked(self, *_args: object) -> None:
        member = self.selected_staff()
        if member is not None and member.retired_on is None and self.edit_staff_button.isEnabled():
            self.edit_staff_requested.emit(member.id)

    def _on_retire_staff_button_clicked(self) -> None:
        member = self.selected_staff()
        if member is not None:
            self.retire_staff_requested.emit(member.id)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.staff_table and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_staff_columns()
        return super().eventFilter(watched, event)

    def _fit_staff_columns(self) -> None:
        """Narrow panel: drop 办公电话, then 性别 (both stay in the row's tooltip) rather than scroll sideways."""
        available = self.staff_table.width() - self.staff_table.verticalScrollBar().sizeHint().width() - 4
        needed = sum(STAFF_WIDTHS) + ORG_MIN
        for col in (StaffTableModel.OFFICE_PHONE, StaffTableModel.GENDER):
            hide = available < needed
            self.staff_table.setColumnHidden(col, hide)
            if hide:
                needed -= STAFF_WIDTHS[col]

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(900, 300)
