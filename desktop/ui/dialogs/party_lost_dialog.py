"""认定失联党员: no contact for 6 months or more, with the 情形代码 (外出务工经商 … 其他)."""

from __future__ import annotations

import datetime as dt

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import LOST_REASONS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtCore, QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyLostDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: party.MemberCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("认定失联党员"),
            card.name,
            self.tr("与党组织失去联系满 6 个月的，认定为失联党员；恢复联系后在党员详情中取消。"),
            parent,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.card = ctx, card
        self.since_edit = DateField(
            card.mobile_last_contact or QtCore.QDate(self.today).addMonths(-6).toPython(),
            today=self.today,
            maximum=self.today,
        )
        self.reason_combo = combo([(f"{code} {label}", code) for code, label in LOST_REASONS.items()])
        self.notes_edit = QtWidgets.QPlainTextEdit()
        self.notes_edit.setFixedHeight(60)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText(self.tr("如：多次电话联系未果，家属不知去向"))
        self.add_row("lost_since", self.tr("失去联系日期 *"), self.since_edit)
        self.add_row("lost_reason", self.tr("失联情形 *"), self.reason_combo)
        self.add_row("notes", self.tr("情况说明"), self.notes_edit)

    def submit(self) -> None:
        party.set_lost_contact(
            self.ctx,
            self.card.id,
            self.since_edit.date().toPython(),
            self.reason_combo.currentData(),
            self.notes_edit.toPlainText(),
            version=self.card.version,
        )
