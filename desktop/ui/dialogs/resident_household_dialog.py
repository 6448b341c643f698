"""户信息: a household's address (editable) and its members with their relation to the head."""

from __future__ import annotations

from desktop.core.errors import ShequError, ValidationError
from desktop.services import residents, structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import SizedDialog, open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.marks import tier_dot
from desktop.ui.models.resident_table_model import INACTIVE_COLOUR
from desktop.ui.qt import Qt, QtGui, QtWidgets


class ResidentHouseholdDialog(SizedDialog):
    """``changed`` is True once the address or a member was saved from here."""

    def __init__(
        self, ctx: ServiceContext, household_id: int, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.household: residents.HouseholdCard | None = None
        self.changed = False
        self.resize(820, 600)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 14)
        self.title_label = QtWidgets.QLabel()
        self.title_label.setObjectName("pageTitle")
        lay.addWidget(self.title_label)

        box = QtWidgets.QGroupBox(self.tr("住址"))
        grid = QtWidgets.QGridLayout(box)
        grid.setHorizontalSpacing(10)
        self.community_combo = QtWidgets.QComboBox()
        self.grid_combo = QtWidgets.QComboBox()
        self.household_no_edit = QtWidgets.QLineEdit()
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        for key in ("estate", "building", "unit", "room"):
            self.edits[key] = QtWidgets.QLineEdit()
        self.notes_edit = QtWidgets.QLineEdit()
        cells = [
            (self.tr("社区"), self.community_combo),
            (self.tr("网格"), self.grid_combo),
            (self.tr("小区/街路"), self.edits["estate"]),
            (self.tr("楼栋"), self.edits["building"]),
            (self.tr("单元"), self.edits["unit"]),
            (self.tr("门牌"), self.edits["room"]),
            (self.tr("户号"), self.household_no_edit),
            (self.tr("备注"), self.notes_edit),
        ]
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(QtWidgets.QLabel(label), i // 2, (i % 2) * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.error_label = QtWidgets.QLabel("")
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.save_button = QtWidgets.QPushButton(icon("edit"), self.tr("保存住址"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.error_label, 3)
        row.addStretch(1)
        row.addWidget(self.save_button)
        grid.addLayout(row, 4, 0, 1, 4)
        lay.addWidget(box)

        members = QtWidgets.QGroupBox(self.tr("家庭成员"))
        ml = QtWidgets.QVBoxLayout(members)
        self.members_model = QtGui.QStandardItemModel(0, 7, self)
        self.members_model.setHorizontalHeaderLabels(
            [self.tr(h) for h in ("姓名", "与户主关系", "性别", "年龄", "身份证号", "等级", "状态")]
        )
        self.members_view = QtWidgets.QTableView()
        self.members_view.setModel(self.members_model)
        self.members_view.verticalHeader().hide()
        self.members_view.setAlternatingRowColors(True)
        self.members_view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.members_view.horizontalHeader().setSectionResizeMode(4, QtWidgets.QHeaderView.ResizeMode.Stretch)
        ml.addWidget(self.members_view)
        bar = QtWidgets.QHBoxLayout()
        self.add_member_button = QtWidgets.QPushButton(icon("add"), self.tr("添加家庭成员"))
        self.open_member_button = QtWidgets.QPushButton(icon("person"), self.tr("查看成员详情"))
        bar.addWidget(self.add_member_button)
        bar.addWidget(self.open_member_button)
        bar.addStretch(1)
        close = QtWidgets.QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        ml.addLayout(bar)
        lay.addWidget(members, 1)

        for c in structure.list_communities(ctx):
            self.community_combo.addItem(c.name, c.id)
        self.load()
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_current_index_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.add_member_button.clicked.connect(self._on_add_member_button_clicked)
        self.open_member_button.clicked.connect(self._on_open_member_button_clicked)
        self.members_view.activated.connect(self._on_open_member_button_clicked)

    def load(self) -> None:
        self.household = h = residents.get_household(self.ctx, self.household_id)
        self.setWindowTitle(self.tr("户信息 - ") + h.address)
        self.title_label.setText(h.address or self.tr("（未填写住址）"))
        self.community_combo.blockSignals(True)
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(h.community_id), 0))
        self.community_combo.blockSignals(False)
        self._fill_grids(h.grid_id)
        self.household_no_edit.setText(h.household_no or "")
        for key, edit in self.edits.items():
            edit.setText(getattr(h, key) or "")
        self.notes_edit.setText(h.notes or "")
        tiers = {t.code: t for t in residents.care_tiers(self.ctx)}
        self.members_model.removeRows(0, self.members_model.rowCount())
        for m in h.members:
            tier = tiers.get(m.care_tier)
            texts = [m.name, m.relation_to_head or "", m.gender or "", "" if m.age is None else str(m.age),
                     m.id_number, tier.label if tier else m.care_tier, m.status_label]  # fmt: skip
            items = [QtGui.QStandardItem(t) for t in texts]
            items[0].setData(m.id, Qt.ItemDataRole.UserRole)
            if tier is not None:
                items[5].setIcon(tier_dot(tier.colour))
            if m.status != "ACTIVE":
                for it in items:
                    it.setForeground(QtGui.QColor(INACTIVE_COLOUR))
            self.members_model.appendRow(items)
        for col, width in ((0, 100), (1, 90), (2, 50), (3, 50), (5, 80), (6, 70)):
            self.members_view.setColumnWidth(col, width)

    def _fill_grids(self, keep: int | None) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（未划入网格）"), None)
        for g in structure.list_grids(self.ctx, community_id=self.community_combo.currentData()):
            self.grid_combo.addItem(f"{g.name}（{g.code}）", g.id)
        self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(keep), 0))

    def _member_id(self) -> int | None:
        rows = self.members_view.selectionModel().selectedRows()
        item = self.members_model.item(rows[0].row(), 0) if rows else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _on_community_combo_current_index_changed(self, _index: int) -> None:
        self._fill_grids(None)

    def _on_save_button_clicked(self) -> None:
        h = self.household
        assert h is not None
        data = residents.HouseholdInput(
            community_id=self.community_combo.currentData(),
            grid_id=self.grid_combo.currentData(),
            household_no=self.household_no_edit.text(),
            notes=self.notes_edit.text(),
            id=h.id,
            version=h.version,
            **{k: e.text() for k, e in self.edits.items()},
        )
        try:
            residents.save_household(self.ctx, data)
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            self.edits.get(exc.field or "", self.edits["estate"]).setFocus()
            return
        except ShequError as exc:
            show_error(self, exc)
            return
        self.error_label.hide()
        self.changed = True
        self.load()

    def _on_add_member_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_dialog import ResidentDialog

        dialog = ResidentDialog(self.ctx, household=self.household, parent=self)
        dialog.accepted.connect(self._on_member_changed)
        open_dialog(dialog)

    def _on_member_changed(self) -> None:
        self.changed = True
        self.load()

    def _on_open_member_button_clicked(self, *_args: object) -> None:
        from desktop.ui.dialogs.resident_card_dialog import ResidentCardDialog

        rid = self._member_id()
        if rid is None:
            return
        dialog = ResidentCardDialog(self.ctx, rid, self)
        dialog.finished.connect(lambda _r: dialog.changed and self._on_member_changed())
        open_dialog(dialog)
