"""组织关系转出: the member leaves the roll on a date, for a named organisation, with the letter's number.
The record stays (已转出) with the event in its history; posts end that day."""

from __future__ import annotations

import datetime as dt

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyTransferDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: party.MemberCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("组织关系转出"),
            self.tr("{0}（{1}，{2}）").format(card.name, card.stage_label, card.org_name),
            self.tr("转出后该党员不再列入本组织名册，记录和历史保留；所任职务同日结束。"),
            parent,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.card = ctx, card
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.target_edit = QtWidgets.QLineEdit()
        self.target_edit.setPlaceholderText(self.tr("转往的党组织，如：中共兰州市城关区某街道工作委员会"))
        self.letter_edit = QtWidgets.QLineEdit()
        self.reason_edit = QtWidgets.QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("如：工作调动、迁居外地"))
        self.add_row("on_date", self.tr("转出日期 *"), self.date_edit)
        self.add_row("counterpart", self.tr("转往党组织 *"), self.target_edit)
        self.add_row("letter_no", self.tr("介绍信编号"), self.letter_edit)
        self.add_row("reason", self.tr("原因"), self.reason_edit)

    def submit(self) -> None:
        party.transfer_out(
            self.ctx,
            self.card.id,
            self.date_edit.date().toPython(),
            self.target_edit.text(),
            self.letter_edit.text() or None,
            self.reason_edit.text() or None,
            version=self.card.version,
        )
