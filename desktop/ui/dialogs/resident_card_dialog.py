"""居民详情: one resident's card — fields, tags, tier, household members, status/tier history — and its actions."""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.domain import accounts as perm
from desktop.services import residents
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import SizedDialog, open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.resident_table_model import INACTIVE_COLOUR
from desktop.ui.permissions import guard, guard_all
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

REVEALED_STYLE = "color: #b3261e; font-weight: bold;"
CHIP_STYLE = (
    "QLabel { background: #eef4fb; color: #1d3557; border: 1px solid #c9d8ea; border-radius: 10px;"
    " padding: 1px 8px; }"
)


def _readonly_table(
    headers: list[str], stretch: int
) -> tuple[QtWidgets.QTableView, QtGui.QStandardItemModel]:
    model = QtGui.QStandardItemModel(0, len(headers))
    model.setHorizontalHeaderLabels(headers)
    view = QtWidgets.QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(stretch, QtWidgets.QHeaderView.ResizeMode.Stretch)
    view.horizontalHeader().setHighlightSections(False)
    model.setParent(view)
    return view, model


class ResidentCardDialog(SizedDialog):
    """``changed`` is True once anything was saved from here (the list then refreshes)."""

    def __init__(
        self, ctx: ServiceContext, resident_id: int, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.resident_id = resident_id
        self.card: residents.ResidentCard | None = None
        self.revealed: residents.RevealedIdentity | None = None
        self.changed = False
        self.setWindowTitle(self.tr("居民详情"))
        self.resize(860, 700)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 14)
        lay.setSpacing(10)

        title_row = QtWidgets.QHBoxLayout()
        self.name_label = QtWidgets.QLabel()
        self.name_label.setObjectName("pageTitle")
        self.tier_label = QtWidgets.QLabel()
        self.status_label = QtWidgets.QLabel()
        title_row.addWidget(self.name_label)
        title_row.addSpacing(12)
        title_row.addWidget(self.tier_label)
        title_row.addSpacing(8)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        self.reveal_button = QtWidgets.QPushButton(icon("info"), self.tr("查看完整信息"))
        self.reveal_button.setToolTip(self.tr("显示完整身份证号和电话，需填写事由，查看将留痕"))
        title_row.addWidget(self.reveal_button)
        lay.addLayout(title_row)

        info = QtWidgets.QGroupBox(self.tr("基本信息"))
        grid = QtWidgets.QGridLayout(info)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.values: dict[str, QtWidgets.QLabel] = {}
        fields = [
            ("gender", self.tr("性别")),
            ("ethnicity", self.tr("民族")),
            ("birth", self.tr("出生日期")),
            ("id_number", self.tr("身份证号")),
            ("phone", self.tr("联系电话")),
            ("kind", self.tr("户籍/流动")),
            ("community", self.tr("社区")),
            ("grid", self.tr("网格")),
            ("relation", self.tr("与户主关系")),
        ]
        for i, (key, label) in enumerate(fields):
            caption = QtWidgets.QLabel(label)
            caption.setObjectName("figureLabel")
            value = QtWidgets.QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            grid.addWidget(caption, i // 3, (i % 3) * 2)
            grid.addWidget(value, i // 3, (i % 3) * 2 + 1)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        row = 3
        caption = QtWidgets.QLabel(self.tr("住址"))
        caption.setObjectName("figureLabel")
        self.values["address"] = QtWidgets.QLabel()
        self.values["address"].setWordWrap(True)
        grid.addWidget(caption, row, 0)
        grid.addWidget(self.values["address"], row, 1, 1, 5)
        caption = QtWidgets.QLabel(self.tr("特殊人群"))
        caption.setObjectName("figureLabel")
        self.tags_row = QtWidgets.QHBoxLayout()
        self.tags_row.setSpacing(6)
        grid.addWidget(caption, row + 1, 0)
        grid.addLayout(self.tags_row, row + 1, 1, 1, 5)
        caption = QtWidgets.QLabel(self.tr("备注"))
        caption.setObjectName("figureLabel")
        self.values["notes"] = QtWidgets.QLabel()
        self.values["notes"].setWordWrap(True)
        grid.addWidget(caption, row + 2, 0)
        grid.addWidget(self.values["notes"], row + 2, 1, 1, 5)
        lay.addWidget(info)

        household = QtWidgets.QGroupBox(self.tr("同户成员"))
        hl = QtWidgets.QVBoxLayout(household)
        top = QtWidgets.QHBoxLayout()
        self.household_label = QtWidgets.QLabel()
        self.household_button = QtWidgets.QPushButton(icon("household"), self.tr("查看户信息"))
        top.addWidget(self.household_label, 1)
        top.addWidget(self.household_button)
        hl.addLayout(top)
        self.members_view, self.members_model = _readonly_table(
            [
                self.tr("姓名"),
                self.tr("与户主关系"),
                self.tr("性别"),
                self.tr("年龄"),
                self.tr("身份证号"),
                self.tr("状态"),
            ],
            4,
        )
        hl.addWidget(self.members_view)
        lay.addWidget(household, 3)

        history = QtWidgets.QGroupBox(self.tr("状态与等级变更记录"))
        hil = QtWidgets.QVBoxLayout(history)
        self.history_view, self.history_model = _readonly_table(
            [
                self.tr("日期"),
                self.tr("类型"),
                self.tr("变更"),
                self.tr("原因"),
                self.tr("审批人"),
                self.tr("经办人"),
            ],
            3,
        )
        hil.addWidget(self.history_view)
        lay.addWidget(history, 2)

        buttons = QtWidgets.QHBoxLayout()
        self.edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.status_button = QtWidgets.QPushButton(icon("retire"), self.tr("变更状态"))
        self.tier_button = QtWidgets.QPushButton(icon("warning"), self.tr("调整等级"))
        self.close_button = QtWidgets.QPushButton(self.tr("关闭"))
        for b in (self.edit_button, self.status_button, self.tier_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)

        guard_all(ctx, (self.edit_button, self.status_button, self.tier_button), perm.RESIDENTS_WRITE)
        guard(ctx, self.reveal_button, perm.RESIDENTS_UNMASK)
        self.reveal_button.clicked.connect(self._on_reveal_button_clicked)
        self.household_button.clicked.connect(self._on_household_button_clicked)
        self.members_view.activated.connect(self._on_members_view_activated)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.status_button.clicked.connect(self._on_status_button_clicked)
        self.tier_button.clicked.connect(self._on_tier_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self.load()

    # ---------------------------------------------------------------- filling

    def load(self) -> None:
        self.card = c = residents.get_resident(self.ctx, self.resident_id)
        self.setWindowTitle(self.tr("居民详情 - ") + c.name)
        self.name_label.setText(c.name)
        self.tier_label.setPixmap(QtGui.QPixmap())
        self.tier_label.setText(
            f'<span style="color:{c.care_tier.colour}; font-size:15pt;">●</span> '
            f'<span style="color:{c.care_tier.colour}; font-weight:bold;">{c.care_tier.label}</span>'
        )
        self.tier_label.setToolTip(self.tr("每 %1 天走访一次").replace("%1", str(c.care_tier.visit_days)))
        active = c.status == "ACTIVE"
        when = f" {c.status_changed_on:%Y-%m-%d}" if c.status_changed_on and not active else ""
        self.status_label.setText(c.status_label + when)
        self.status_label.setStyleSheet(
            "color: #2e7d32;" if active else f"color: {INACTIVE_COLOUR}; font-weight: bold;"
        )
        v = self.values
        v["gender"].setText(c.gender or "—")
        v["ethnicity"].setText(c.ethnicity or "—")
        v["birth"].setText(f"{c.birth_date:%Y-%m-%d}（{c.age} 岁）" if c.birth_date is not None else "—")
        v["kind"].setText(c.residence_kind_label)
        v["community"].setText(c.community_name)
        v["grid"].setText(c.grid_name or "—")
        v["relation"].setText(c.relation_to_head or "—")
        v["address"].setText(c.household.address if c.household else self.tr("（未关联住户）"))
        v["notes"].setText(c.notes or "—")
        self._show_identity()
        while self.tags_row.count():
            item = self.tags_row.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        for tag in c.tags or (self.tr("无"),):
            chip = QtWidgets.QLabel(tag)
            if c.tags:
                chip.setStyleSheet(CHIP_STYLE)
            self.tags_row.addWidget(chip)
        self.tags_row.addStretch(1)
        self._fill_household(c)
        self._fill_history(c)

    def _show_identity(self) -> None:
        c, r = self.card, self.revealed
        assert c is not None
        for key, masked, full in (
            ("id_number", c.id_number, r.id_number if r else None),
            ("phone", c.phone, r.phone if r else None),
        ):
            label = self.values[key]
            label.setText((full if r else masked) or "—")
            label.setStyleSheet(REVEALED_STYLE if r and full else "")
        self.reveal_button.setEnabled(r is None and bool(c.id_number or c.phone))
        if r is not None:
            self.reveal_button.setText(self.tr("已显示完整信息（已留痕）"))

    def _fill_household(self, c: residents.ResidentCard) -> None:
        self.members_model.removeRows(0, self.members_model.rowCount())
        hh = c.household
        self.household_button.setEnabled(hh is not None)
        if hh is None:
            self.household_label.setText(self.tr("未关联住户"))
            return
        head = hh.head
        self.household_label.setText(
            f"{hh.address} · {self.tr('户主')} {head.name if head else '—'} · {len(hh.members)} {self.tr('人')}"
        )
        for m in hh.members:
            cells = [
                m.name,
                m.relation_to_head or "",
                m.gender or "",
                "" if m.age is None else str(m.age),
                m.id_number,
                m.status_label,
            ]
            items = [QtGui.QStandardItem(t) for t in cells]
            items[0].setData(m.id, Qt.ItemDataRole.UserRole)
            for it in items:
                if m.id == c.id:
                    font = it.font()
                    font.setBold(True)
                    it.setFont(font)
                if m.status != "ACTIVE":
                    it.setForeground(QtGui.QColor(INACTIVE_COLOUR))
            self.members_model.appendRow(items)
        for col, width in ((0, 90), (1, 90), (2, 50), (3, 50), (5, 60)):
            self.members_view.setColumnWidth(col, width)

    def _fill_history(self, c: residents.ResidentCard) -> None:
        self.history_model.removeRows(0, self.history_model.rowCount())
        for e in reversed(c.history):
            cells = [
                f"{e.on_date:%Y-%m-%d}",
                e.kind_label,
                f"{e.from_label} → {e.to_label}",
                e.reason or "",
                e.approver or "",
                e.user,
            ]
            items = [QtGui.QStandardItem(t) for t in cells]
            items[3].setToolTip(e.reason or "")
            self.history_model.appendRow(items)
        if not c.history:
            empty = QtGui.QStandardItem(self.tr("暂无变更记录"))
            empty.setForeground(QtGui.QColor(INACTIVE_COLOUR))
            self.history_model.appendRow([empty])
        for col, width in ((0, 96), (1, 80), (2, 120), (4, 110), (5, 90)):
            self.history_view.setColumnWidth(col, width)

    # ---------------------------------------------------------------- actions

    def _after_save(self) -> None:
        self.changed = True
        try:
            self.load()
        except ShequError as exc:
            show_error(self, exc)

    def _on_reveal_button_clicked(self) -> None:
        from desktop.ui.dialogs.reveal_dialog import RevealDialog

        assert self.card is not None
        dialog = RevealDialog(self.ctx, self.resident_id, self.card.name, self)
        dialog.accepted.connect(lambda: self._on_reveal_dialog_accepted(dialog))
        open_dialog(dialog)

    def _on_reveal_dialog_accepted(self, dialog: QtWidgets.QDialog) -> None:
        revealed = getattr(dialog, "revealed", None)
        if revealed is not None:
            self.revealed = revealed
            self._show_identity()

    def _on_edit_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_dialog import ResidentDialog

        dialog = ResidentDialog(self.ctx, card=self.card, revealed=self.revealed, parent=self)
        dialog.accepted.connect(self._on_resident_dialog_accepted)
        open_dialog(dialog)

    def _on_resident_dialog_accepted(self) -> None:
        self.revealed = None  # show masked values again after an edit
        self._after_save()

    def _on_status_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_status_dialog import ResidentStatusDialog

        assert self.card is not None
        dialog = ResidentStatusDialog(self.ctx, self.card, self)
        dialog.accepted.connect(self._after_save)
        open_dialog(dialog)

    def _on_tier_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_tier_dialog import ResidentTierDialog

        assert self.card is not None
        dialog = ResidentTierDialog(self.ctx, self.card, self)
        dialog.accepted.connect(self._after_save)
        open_dialog(dialog)

    def _on_household_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_household_dialog import ResidentHouseholdDialog

        if self.card is None or self.card.household is None:
            return
        dialog = ResidentHouseholdDialog(self.ctx, self.card.household.id, self)
        dialog.finished.connect(lambda _r: dialog.changed and self._after_save())
        open_dialog(dialog)

    def _on_members_view_activated(self, index: QtCore.QModelIndex) -> None:
        member = self.members_model.item(index.row(), 0)
        rid = member.data(Qt.ItemDataRole.UserRole) if member is not None else None
        if rid is None or rid == self.resident_id:
            return
        dialog = ResidentCardDialog(self.ctx, rid, self)
        dialog.finished.connect(lambda _r: dialog.changed and self._after_save())
        open_dialog(dialog)
