"""党员 tab: the members of the organisation picked in the tree (and below it), searched and filtered.

All rows of the selection come back in one background query (4,000 members in ~0.2 s); the view draws
only what is on screen. Search waits for a pause in typing.
"""

from __future__ import annotations

from typing import Any

from desktop.services import party
from desktop.services.party.common import STAGE_LABELS
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.column_fit import fit_columns

SEARCH_DELAY_MS = 200
ORG_COLUMN = 4
STATUS_COLUMN = 11


class MembersTab(PartyTab):
    def __init__(self, ctx: Any, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("姓名、拼音首字母、身份证号或手机尾号"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)  # never squeezed to "…" by the filters beside it
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        self.stage_combo = QtWidgets.QComboBox()
        self.stage_combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stage_combo.setMinimumContentsLength(9)
        for text, value in ((self.tr("党员（正式和预备）"), party.STAGE_MEMBERS), (self.tr("发展中（申请人至发展对象）"), party.STAGE_RECRUITS),
                            (self.tr("全部人员"), None)):  # fmt: skip
            self.stage_combo.addItem(text, value)
        for stage, label in STAGE_LABELS.items():
            self.stage_combo.addItem(self.tr(label), stage.value)
        self.flag_combo = QtWidgets.QComboBox()
        self.flag_combo.addItem(self.tr("不限"), None)
        for key, label in party.FLAGS.items():
            self.flag_combo.addItem(self.tr(label), key)
        self.inactive_check = QtWidgets.QCheckBox(self.tr("含已转出、去世"))
        self.count_label = QtWidgets.QLabel()
        self.count_label.setObjectName("sectionTitle")
        self.open_button = QtWidgets.QPushButton(icon("person"), self.tr("查看详情"))
        self.open_button.setEnabled(False)
        tools = QtWidgets.QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.stage_combo)
        tools.addWidget(self.flag_combo)
        tools.addWidget(self.inactive_check)
        tools.addWidget(self.count_label)
        tools.addWidget(self.open_button)
        self.table, self.model = rows_view(cols.member_columns(), self, sortable=True)
        self.table.setObjectName("partyMemberTable")
        self.columns = fit_columns(self.table, "party/members")
        self.model.set_muted(lambda r: r.status != "ACTIVE")
        hint = QtWidgets.QLabel(
            self.tr("双击查看党员详情；橙色为流动党员，红色为失联党员，绿色为已到社区报到的在职党员。")
        )
        hint.setObjectName("figureDetail")
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(tools)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(self.timer.start)
        self.search_edit.returnPressed.connect(self.reload)
        self.stage_combo.currentIndexChanged.connect(self.invalidate)
        self.flag_combo.currentIndexChanged.connect(self.invalidate)
        self.inactive_check.toggled.connect(self.invalidate)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)

    def current_filter(self) -> party.MemberFilter:
        return party.MemberFilter(
            text=self.search_edit.text(),
            org_id=self.org_id,
            stage=self.stage_combo.currentData(),
            flag=self.flag_combo.currentData(),
            status=None if self.inactive_check.isChecked() else "ACTIVE",
        )

    def fetch(self):
        ctx, flt = self.ctx, self.current_filter()
        return lambda: party.list_members(ctx, flt)

    def show_result(self, rows: list[party.MemberRow]) -> None:
        selected = self.selected_id()
        header = self.table.horizontalHeader()
        self.table.setSortingEnabled(False)
        self.model.set_rows(rows)
        if header.sortIndicatorSection() >= 0:  # keep the user's sort over a reload
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.setSortingEnabled(True)
        # one branch's members: the 所在党组织 column would repeat the tree's selection on every row
        one_org = len({r.org_id for r in rows}) == 1
        self.columns.set_content_hidden(
            {
                i
                for i, hide in ((ORG_COLUMN, one_org), (STATUS_COLUMN, not self.inactive_check.isChecked()))
                if hide
            }
        )
        self.count_label.setText(self.tr("共 {0} 人").format(f"{len(rows):,}"))
        if selected is not None:
            for i, r in enumerate(self.model.rows()):
                if r.id == selected:
                    self.table.selectRow(i)
                    break
        self._on_selection_changed()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row(rows[0].row()) if rows else None
        return row.id if row else None

    def _on_selection_changed(self, *_a: object) -> None:
        self.open_button.setEnabled(self.selected_id() is not None)

    def _on_table_activated(self, index: QtCore.QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None:
            self.member_requested.emit(row.id)

    def _on_open_button_clicked(self) -> None:
        if (mid := self.selected_id()) is not None:
            self.member_requested.emit(mid)
