"""诉前委派调解: register or edit a court-referred case (30 days, an approved extension of up to 30)."""

from __future__ import annotations

from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.common import REFERRAL_RESULT_LABELS
from desktop.services.judicial.referrals import ReferralRow
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField, to_date


class ReferralDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        row: ReferralRow | None = None,
        default_court: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("编辑委派调解") if row else self.tr("登记委派调解"), parent=parent, ctx=ctx, width=520
        )
        self.row = row
        self.referral_id: int | None = row.id if row else None
        today = ctx.today()
        self.court_edit = QtWidgets.QLineEdit(row.court if row else default_court)
        self.number_edit = QtWidgets.QLineEdit(row.referral_no if row else "")
        self.number_edit.setPlaceholderText(self.tr("如（2026）甘0202民诉前调1088号"))
        self.referred_edit = DateField(row.referred_on if row else today, today=today)
        self.received_edit = DateField(row.received_on if row else today, today=today)
        self.judge_edit = QtWidgets.QLineEdit(row.judge or "" if row else "")
        self.phone_edit = QtWidgets.QLineEdit(row.judge_phone or "" if row else "")
        self.parties_edit = QtWidgets.QLineEdit(row.parties or "" if row else "")
        self.matter_edit = QtWidgets.QLineEdit(row.matter or "" if row else "")
        self.case_edit = QtWidgets.QLineEdit(row.case_no or "" if row else "")
        self.case_edit.setPlaceholderText(self.tr("受理后的调解案件编号（可稍后填写）"))
        self.extension_spin = QtWidgets.QSpinBox()
        self.extension_spin.setRange(0, 30)
        self.extension_spin.setSuffix(self.tr(" 日"))
        self.extension_spin.setValue(row.extension_days if row else 0)
        self.approved_edit = self._optional_date()
        self.approved_edit.set_value(row.extension_approved_on if row else None)
        self.extension_note = QtWidgets.QLineEdit(row.extension_note or "" if row else "")
        self.extension_note.setPlaceholderText(self.tr("如：经双方当事人申请，承办法官批准"))
        self.result_combo = QtWidgets.QComboBox()
        self.result_combo.addItem(self.tr("（调解中）"), None)
        for key, label in REFERRAL_RESULT_LABELS.items():
            self.result_combo.addItem(self.tr(label), key)
        self.result_combo.setCurrentIndex(max(self.result_combo.findData(row.result if row else None), 0))
        self.result_edit = self._optional_date()
        self.result_edit.set_value(row.result_on if row else None)
        self.reported_edit = self._optional_date()
        self.reported_edit.set_value(row.reported_back_on if row else None)
        self.notes_edit = QtWidgets.QLineEdit(row.notes or "" if row else "")
        rows = [
            ("court", self.tr("委派法院 *"), self.court_edit),
            ("referral_no", self.tr("委派编号 *"), self.number_edit),
            ("referred_on", self.tr("委派日期 *"), self.referred_edit),
            ("received_on", self.tr("接收日期 *"), self.received_edit),
            ("judge", self.tr("承办法官/联系人"), self.judge_edit),
            ("judge_phone", self.tr("联系电话"), self.phone_edit),
            ("parties", self.tr("当事人"), self.parties_edit),
            ("matter", self.tr("案由"), self.matter_edit),
            ("case_no", self.tr("调解案件"), self.case_edit),
            ("extension_days", self.tr("延长期限"), self.extension_spin),
            ("extension_approved_on", self.tr("批准延长日期"), self.approved_edit),
            ("extension_note", self.tr("延长说明"), self.extension_note),
            ("result", self.tr("调解结果"), self.result_combo),
            ("result_on", self.tr("结果日期"), self.result_edit),
            ("reported_back_on", self.tr("反馈法院日期"), self.reported_edit),
            ("notes", self.tr("备注"), self.notes_edit),
        ]
        for key, label, widget in rows:
            self.add_row(key, label, widget)
        note = QtWidgets.QLabel(self.tr("调解期限自接收之日起 30 日（期间的第一日不计算，末日遇节假日顺延）；"
                                        "经双方申请、法院批准可延长，最多 30 日。"))  # fmt: skip
        note.setWordWrap(True)
        note.setObjectName("figureDetail")
        self.extra.addWidget(note)
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def form_input(self) -> judicial.ReferralInput:
        return judicial.ReferralInput(
            court=self.court_edit.text(),
            referral_no=self.number_edit.text(),
            referred_on=to_date(self.referred_edit.date()),
            received_on=to_date(self.received_edit.date()),
            judge=self.judge_edit.text(),
            judge_phone=self.phone_edit.text(),
            parties=self.parties_edit.text(),
            matter=self.matter_edit.text(),
            case_no=self.case_edit.text(),
            extension_days=self.extension_spin.value(),
            extension_approved_on=self.approved_edit.value(),
            extension_note=self.extension_note.text(),
            result=self.result_combo.currentData(),
            result_on=self.result_edit.value(),
            reported_back_on=self.reported_edit.value(),
            notes=self.notes_edit.text(),
        )

    def submit(self) -> None:
        self.referral_id = judicial.save_referral(
            self.ctx, self.form_input(), self.referral_id, self.row.version if self.row else None
        )

    def report_error(self, exc: Exception) -> None:
        show_error(self, exc, self.tr("未保存"))

    def _optional_date(self) -> DateField:
        """An optional date (“（未填）” while empty) whose calendar opens on today's month."""
        return DateField(optional=True, empty_text=self.tr("（未填）"), today=self.today)
