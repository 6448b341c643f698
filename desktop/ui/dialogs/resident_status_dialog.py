"""变更状态: 迁出 / 离开 / 死亡 (or back to 在册), with the date and the reason. The record is never deleted."""

from __future__ import annotations

import datetime as dt

from desktop.core.errors import ShequError, ValidationError
from desktop.services import dictionaries, residents
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.qt import QtCore, QtWidgets

STATUS_HINTS = {
    "ACTIVE": "恢复为在册居民",
    "MOVED": "户籍或居住地迁出本街道",
    "LEFT": "流动人口已离开本地",
    "DECEASED": "居民死亡（记录保留，不会删除）",
}


class ResidentStatusDialog(QtWidgets.QDialog):
    def __init__(
        self, ctx: ServiceContext, card: residents.ResidentCard, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.card = ctx, card
        self.setWindowTitle(self.tr("变更状态 - ") + card.name)
        self.setMinimumWidth(460)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(QtWidgets.QLabel(self.tr("当前状态：") + card.status_label))
        form = QtWidgets.QFormLayout()
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
        self.date_edit = QtWidgets.QDateEdit(QtCore.QDate(ctx.today()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QtCore.QDate(ctx.today()))
        form.addRow(self.tr("变更日期"), self.date_edit)
        self.reason_edit = QtWidgets.QLineEdit()
        self.reason_edit.setPlaceholderText(
            self.tr("更正死亡登记须填写原因")
            if card.status == "DECEASED"
            else self.tr("如：迁往兰州市城关区；病故")
        )
        form.addRow(self.tr("原因") + (" *" if card.status == "DECEASED" else ""), self.reason_edit)
        lay.addLayout(form)
        self.error_label = QtWidgets.QLabel("")
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        lay.addWidget(self.error_label)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen_status(self) -> str:
        return next(code for code, radio in self.radios.items() if radio.isChecked())

    def choose(self, status: str) -> None:
        self.radios[status].setChecked(True)

    def _on_buttons_accepted(self) -> None:
        d = self.date_edit.date()
        try:
            residents.change_status(
                self.ctx,
                self.card.id,
                self.chosen_status(),
                dt.date(d.year(), d.month(), d.day()),
                self.reason_edit.text(),
                version=self.card.version,
            )
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            (self.reason_edit if exc.field == "reason" else self.date_edit).setFocus()
            return
        except ShequError as exc:
            show_error(self, exc)
            return
        self.accept()
