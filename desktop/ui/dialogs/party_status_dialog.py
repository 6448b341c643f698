"""党籍状态: 去世, 停止党籍, 注销 — or back to 正常 — dated and with the reason (the decision)."""

from __future__ import annotations

import datetime as dt

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import STATUS_LABELS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyStatusDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: party.MemberCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("党籍状态变更"),
            self.tr("{0}（现为：{1}）").format(card.name, card.status_label),
            self.tr("组织关系转出请用“转出”办理。"),
            parent,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.card = ctx, card
        choices = [
            (label, s.value)
            for s, label in STATUS_LABELS.items()
            if s not in (card.status, "TRANSFERRED_OUT")
        ]
        self.status_combo = combo(choices)
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.reason_edit = QtWidgets.QPlainTextEdit()
        self.reason_edit.setFixedHeight(70)
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("必填：如病故；或党组织的决定及文号"))
        self.add_row("status", self.tr("变更为 *"), self.status_combo)
        self.add_row("on_date", self.tr("日期 *"), self.date_edit)
        self.add_row("reason", self.tr("原因 *"), self.reason_edit)

    def submit(self) -> None:
        party.change_status(
            self.ctx,
            self.card.id,
            self.status_combo.currentData(),
            self.date_edit.date().toPython(),
            self.reason_edit.toPlainText(),
            version=self.card.version,
        )
