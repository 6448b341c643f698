"""调整等级: a dated 分色等级 change with its reason and approver, kept in the resident's history."""

from __future__ import annotations

import datetime as dt

from desktop.services import residents
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.marks import tier_dot
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class ResidentTierDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: residents.ResidentCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(self.tr("调整等级 - ") + card.name, parent=parent, ctx=ctx, width=460, today=today)
        self.card = card
        form = self.form
        current = QtWidgets.QLabel(
            f"{card.care_tier.label}（{self.tr('每 %1 天走访').replace('%1', str(card.care_tier.visit_days))}）"
        )
        form.addRow(self.tr("当前等级"), current)
        self.tier_combo = QtWidgets.QComboBox()
        for t in residents.care_tiers(ctx):
            text = f"{t.label}（{self.tr('每 %1 天走访').replace('%1', str(t.visit_days))}）"
            self.tier_combo.addItem(tier_dot(t.colour), text, t.code)
        order = [self.tier_combo.itemData(i) for i in range(self.tier_combo.count())]
        here = order.index(card.care_tier.code) if card.care_tier.code in order else 0
        self.tier_combo.setCurrentIndex(
            here + 1 if here < len(order) - 1 else here - 1
        )  # one step up by default
        form.addRow(self.tr("调整为"), self.tier_combo)
        self.date_edit = DateField(today=self.today, maximum=self.today)
        form.addRow(self.tr("调整日期"), self.date_edit)
        self.reason_edit = QtWidgets.QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("如：独居且近期住院，需加密走访"))
        form.addRow(self.tr("原因 *"), self.reason_edit)
        self.approver_edit = QtWidgets.QLineEdit()
        self.approver_edit.setPlaceholderText(self.tr("如：社区党委书记 张某"))
        form.addRow(self.tr("审批人"), self.approver_edit)
        self.fields = {
            "care_tier": self.tier_combo,
            "on_date": self.date_edit,
            "reason": self.reason_edit,
            "approver": self.approver_edit,
        }
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        d = self.date_edit.date()
        residents.set_care_tier(
            self.ctx,
            self.card.id,
            self.tier_combo.currentData(),
            self.reason_edit.text(),
            on_date=dt.date(d.year(), d.month(), d.day()),
            approver=self.approver_edit.text(),
            version=self.card.version,
        )
