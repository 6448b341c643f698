"""期限与纠纷类型: the locality's time limit, warning margins, follow-up schedule and the dispute-type dictionary."""

from __future__ import annotations

from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import text_box
from desktop.ui.qt import QtWidgets


def _days(value: int, minimum: int = 0) -> QtWidgets.QSpinBox:
    spin = QtWidgets.QSpinBox()
    spin.setRange(minimum, 366)
    spin.setSuffix(QtWidgets.QApplication.translate("MediationRulesDialog", " 天"))
    spin.setValue(value)
    return spin


class MediationRulesDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(self.tr("期限与纠纷类型"), parent=parent, ctx=ctx, width=620)
        r = med.rules(ctx)
        self.limit_spin = _days(r.time_limit_days, 1)
        self.warn_spin = _days(r.warn_days)
        self.after_spin = _days(r.follow_up_after_days)
        self.before_spin = _days(r.follow_up_before_days)
        self.follow_warn_spin = _days(r.follow_up_warn_days)
        self.types_edit = text_box(med.format_dispute_types(med.dispute_types(ctx)), 260)
        hint = QtWidgets.QLabel(
            self.tr(
                "每行一个纠纷类型，冒号后写子类，用“、”分隔。删去的类型不再出现在受理登记中，已有案件不受影响。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        for label, w in (
            (self.tr("调解期限"), self.limit_spin),
            (self.tr("提前提醒"), self.warn_spin),
            (self.tr("履行期限后回访"), self.after_spin),
            (self.tr("较远期限前回访"), self.before_spin),
            (self.tr("回访提前提醒"), self.follow_warn_spin),
            (self.tr("纠纷类型"), self.types_edit),
            ("", hint),
        ):
            self.form.addRow(label, w)
        self.fields = {"time_limit_days": self.limit_spin, "dispute_types": self.types_edit}
        self.finish_form()

    def submit(self) -> None:
        types = med.parse_dispute_types(self.types_edit.toPlainText())
        med.save_rules(
            self.ctx,
            med.MediationRules(
                self.limit_spin.value(),
                self.warn_spin.value(),
                self.after_spin.value(),
                self.before_spin.value(),
                self.follow_warn_spin.value(),
            ),
        )
        med.save_dispute_types(self.ctx, types)
