"""变更状态: 迁出 / 离开 / 死亡 (or back to 在册), with the date and the reason. The record is never deleted."""

from __future__ import annotations

import datetime as dt

from desktop.services import dictionaries, residents
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField

STATUS_HINTS = {
    "ACTIVE": "恢复为在册居民",
    "MOVED": "户籍或居住地迁出本街道",
    "LEFT": "流动人口已离开本地",
    "DECEASED": "居民死亡（记录保留，不会删除）",
}


class ResidentStatusDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: residents.ResidentCard,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(self.tr("变更状态 - ") + card.name, parent=parent, ctx=ctx, width=460, today=today)
        self.card = card
        self.body.insertWidget(0, QtWidgets.QLabel(self.tr("当前状态：") + card.status_label))
        form = self.form
        self.status_group = QtWidgets.QButtonGroup(self)
        box = QtWidgets.QVBoxLayout()
        self.radios: dict[str, QtWidgets.QRadioButton] = {}
        for code, label in dictionaries.RESIDENT_STATUS_LABELS.items():
            if code == card.status:
                continue
            radio = QtWidgets.QRadioButton(f"{label}　{self.tr(STATUS_HINTS[code])}")
            self.radios[code] = radio
            self.status_group.addButton(radio)
            box.addWidget(radio)
        next(iter(self.radios.values())).setChecked(True)
        form.addRow(self.tr("变更为"), box)
        self.date_edit = DateField(today=self.today, maximum=self.today)
        form.addRow(self.tr("变更日期"), self.date_edit)
        self.reason_edit = QtWidgets.QLineEdit()
        self.reason_edit.setPlaceholderText(
            self.tr("更正死亡登记须填写原因")
            if card.status == "DECEASED"
            else self.tr("如：迁往兰州市城关区；病故")
        )
        form.addRow(self.tr("原因") + (" *" if card.status == "DECEASED" else ""), self.reason_edit)
        self.fields = {
            "status": self.status_group.buttons()[0],
            "on_date": self.date_edit,
            "reason": self.reason_edit,
        }
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def chosen_status(self) -> str:
        return next(code for code, radio in self.radios.items() if radio.isChecked())

    def choose(self, status: str) -> None:
        self.radios[status].setChecked(True)

    def submit(self) -> None:
        d = self.date_edit.date()
        residents.change_status(
            self.ctx,
            self.card.id,
            self.chosen_status(),
            dt.date(d.year(), d.month(), d.day()),
            self.reason_edit.text(),
            version=self.card.version,
        )
