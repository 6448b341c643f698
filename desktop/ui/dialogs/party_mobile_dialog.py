"""登记流动党员: 流出 (or 流入), since when, where to, the 流动党员活动证 and how to reach the member."""

from __future__ import annotations

import datetime as dt

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import MOBILE_DIRECTIONS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyMobileDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: party.MemberCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("流动党员"),
            card.name,
            self.tr(
                "外出不满 6 个月或无法转移组织关系的，发放《流动党员活动证》；每年至少向党支部汇报一次。"
            ),
            parent,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.card = ctx, card
        self.direction_combo = combo([(label, key) for key, label in MOBILE_DIRECTIONS.items()])
        self.since_edit = DateField(card.mobile_since, today=self.today, maximum=self.today)
        self.destination_edit = QtWidgets.QLineEdit(card.mobile_destination or "")
        self.destination_edit.setPlaceholderText(self.tr("外出流向（省、市、单位），流入党员填来自何处"))
        self.card_edit = QtWidgets.QLineEdit(card.mobile_card_no or "")
        self.contact_edit = QtWidgets.QLineEdit(card.mobile_contact or "")
        self.last_edit = DateField(
            card.mobile_last_contact, optional=True, today=self.today, maximum=self.today
        )
        self.add_row("mobile_direction", self.tr("流向 *"), self.direction_combo)
        self.add_row("mobile_since", self.tr("外出日期 *"), self.since_edit)
        self.add_row("mobile_destination", self.tr("外出流向 *"), self.destination_edit)
        self.add_row("mobile_card_no", self.tr("活动证号"), self.card_edit)
        self.add_row("mobile_contact", self.tr("联系方式"), self.contact_edit)
        self.add_row("mobile_last_contact", self.tr("最后联系日期"), self.last_edit)

    def submit(self) -> None:
        party.set_mobile(
            self.ctx,
            self.card.id,
            party.MobileInput(
                self.direction_combo.currentData(),
                self.since_edit.date().toPython(),
                self.destination_edit.text(),
                self.card_edit.text() or None,
                self.contact_edit.text() or None,
                self.last_edit.value(),
            ),
            version=self.card.version,
        )
