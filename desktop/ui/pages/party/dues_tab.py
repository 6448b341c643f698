"""党费 tab: who owes dues and since when (most months first), with the amount by the bands; record payments."""

from __future__ import annotations

from typing import Any

from desktop.services import party
from desktop.services.party.common import month_of, months_between, yuan
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import QtCore, QtWidgets


class DuesTab(PartyTab):
    def __init__(self, ctx: Any, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary_label = QtWidgets.QLabel()
        self.summary_label.setObjectName("sectionTitle")
        self.all_check = QtWidgets.QCheckBox(self.tr("显示全部党员"))
        self.book_combo = QtWidgets.QComboBox()
        self.book_combo.setToolTip(self.tr("党费台账从哪个月开始记：此前的月份不计欠交"))
        today = ctx.today()
        for month in reversed(months_between(f"{today.year - 5}-01", month_of(today))):
            self.book_combo.addItem(self.tr("台账自 {0} 起").format(month), month)
        self.pay_button = QtWidgets.QPushButton(icon("add"), self.tr("登记交纳…"))
        self.pay_button.setEnabled(False)
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(self.summary_label, 1)
        tools.addWidget(self.book_combo)
        tools.addWidget(self.all_check)
        tools.addWidget(self.pay_button)
        self.table, self.model = rows_view(cols.arrears_columns(), self, sortable=True)
        self.table.setObjectName("partyDuesTable")
        self.book_label = QtWidgets.QLabel()
        self.book_label.setObjectName("figureDetail")
        self.book_label.setWordWrap(True)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(tools)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.book_label)
        self.all_check.toggled.connect(self.invalidate)
        self.book_combo.activated.connect(self._on_book_combo_activated)
        self.pay_button.clicked.connect(self.open_payment_dialog)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def fetch(self):
        ctx, org_id, arrears_only = self.ctx, self.org_id, not self.all_check.isChecked()
        return lambda: (
            party.dues_overview(ctx, org_id, arrears_only=arrears_only),
            party.tracking_start(ctx),
        )

    def show_result(self, result: tuple[list[party.DuesStatus], str]) -> None:
        rows, book = result
        self.model.set_rows(rows)
        self.table.setColumnHidden(1, len({r.org_id for r in rows}) == 1)  # one branch: no 所在党组织 column
        self.book_combo.blockSignals(True)
        self.book_combo.setCurrentIndex(max(self.book_combo.findData(book), 0))
        self.book_combo.blockSignals(False)
        owing = [r for r in rows if r.owed]
        total = sum(r.owed_fen or 0 for r in owing)
        lapsed = sum(1 for r in owing if r.lapse_months >= 6)
        text = self.tr("欠交党费 {0} 人，合计 {1}").format(len(owing), yuan(total))
        if lapsed:
            text += self.tr("；连续 6 个月以上未交 {0} 人").format(lapsed)
        self.summary_label.setText(text)
        self.book_label.setText(
            self.tr(
                "欠交计至上月（{0} 以前不计）。按月税后固定收入计：3000 元（含）以下 0.5%，3000–5000 元 1%，"
                "5000–10000 元 1.5%，10000 元以上 2%（全额按档计）；离退休 5000 元（含）以下 0.5%，以上 1%；"
                "学生、下岗失业、低保等每月 0.2 元。"
            ).format(book)
        )
        self._on_selection_changed()

    def _on_book_combo_activated(self, *_a: object) -> None:
        month = self.book_combo.currentData()
        try:
            party.set_tracking_start(self.ctx, month)
        except Exception as exc:
            show_error(self, exc)
            return
        self.status_message.emit(self.tr("党费台账起始月份：{0}").format(month))
        self.changed.emit()

    def selected(self) -> party.DuesStatus | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _on_selection_changed(self, *_a: object) -> None:
        self.pay_button.setEnabled(self.selected() is not None)

    def _on_table_activated(self, index: QtCore.QModelIndex) -> None:
        row = self.model.row(index.row())
        if row is not None:
            self.member_requested.emit(row.member_id)

    def open_payment_dialog(self) -> QtWidgets.QDialog | None:
        from desktop.ui.dialogs.party_payment_dialog import PartyPaymentDialog

        row = self.selected()
        if row is None:
            return None
        dialog = PartyPaymentDialog(self.ctx, row, self)

        def done() -> None:
            self.status_message.emit(
                self.tr("已登记 {0} 的党费：{1} 个月").format(row.name, len(dialog.paid))
            )
            self.changed.emit()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
