"""登记交纳党费: months from–to (the months owed are proposed), the date, the receipt; the amount comes from
the bands unless typed (a reduced or changed amount)."""

from __future__ import annotations

import datetime as dt

from desktop.core.errors import ValidationError
from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import month_of, months_between, parse_yuan, shift_month, yuan
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyPaymentDialog(FormDialog):
    """``paid`` holds the months recorded once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        status: party.DuesStatus,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        amount = yuan(status.monthly_fen) if status.monthly_fen is not None else self.tr("无法计算")
        note = self.tr("{0}：{1}，每月 {2}（{3}）；交至 {4}").format(
            status.category_label,
            status.org_name,
            amount,
            status.explanation,
            status.paid_through or self.tr("（无记录）"),
        )
        super().__init__(self.tr("登记交纳党费"), status.name, note, parent, width=500, ctx=ctx, today=today)
        self.ctx, self.status = ctx, status
        self.paid: list[str] = []
        today = self.today
        first = (
            status.owed[0]
            if status.owed
            else shift_month(status.paid_through, 1)
            if status.paid_through
            else month_of(today)
        )
        last = status.owed[-1] if status.owed else first
        choices = months_between(
            shift_month(min(first, month_of(today)), -12), shift_month(month_of(today), 12)
        )
        self.from_combo = combo([(m, m) for m in choices], first)
        self.to_combo = combo([(m, m) for m in choices], last)
        months = QtWidgets.QHBoxLayout()
        months.setContentsMargins(0, 0, 0, 0)
        months.addWidget(self.from_combo)
        months.addWidget(QtWidgets.QLabel(self.tr("至")))
        months.addWidget(self.to_combo)
        months.addStretch(1)
        self.months_row = QtWidgets.QWidget()
        self.months_row.setLayout(months)
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.amount_edit = QtWidgets.QLineEdit()
        self.amount_edit.setPlaceholderText(self.tr("按标准 {0}").format(amount))
        self.receipt_edit = QtWidgets.QLineEdit()
        self.notes_edit = QtWidgets.QLineEdit()
        self.total_label = QtWidgets.QLabel()
        self.total_label.setObjectName("figureDetail")
        self.add_row("months", self.tr("交纳月份 *"), self.months_row)
        self.add_row("paid_on", self.tr("交纳日期 *"), self.date_edit)
        self.add_row("amount", self.tr("每月金额（元）"), self.amount_edit)
        self.add_row("receipt_no", self.tr("收据号"), self.receipt_edit)
        self.add_row("notes", self.tr("说明"), self.notes_edit)
        self.form.addRow("", self.total_label)
        for w in (self.from_combo, self.to_combo):
            w.currentIndexChanged.connect(self._on_months_changed)
        self.amount_edit.textChanged.connect(self._on_months_changed)
        self._on_months_changed()

    def months(self) -> list[str]:
        return months_between(self.from_combo.currentData(), self.to_combo.currentData())

    def _on_months_changed(self, *_a: object) -> None:
        months = self.months()
        try:
            each = parse_yuan(self.amount_edit.text(), field="amount")
        except Exception:
            each = None
        each = each if each is not None else self.status.monthly_fen
        total = yuan(each * len(months)) if each is not None else "—"
        self.total_label.setText(self.tr("共 {0} 个月，合计 {1}").format(len(months), total))

    def submit(self) -> None:
        months = self.months()
        if not months:
            raise ValidationError(self.tr("结束月份不能早于开始月份。"), field="months")
        amount = parse_yuan(self.amount_edit.text(), field="amount")
        party.record_payments(
            self.ctx,
            self.status.member_id,
            months,
            self.date_edit.date().toPython(),
            amount_fen=amount,
            receipt_no=self.receipt_edit.text() or None,
            notes=self.notes_edit.text() or None,
        )
        self.paid = months
