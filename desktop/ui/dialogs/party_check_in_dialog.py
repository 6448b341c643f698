"""在职党员进社区报到 (双报到): the member's unit, the date, the post claimed, service hours, the yearly evaluation."""

from __future__ import annotations

import datetime as dt

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import CHECK_IN_EVALUATIONS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyCheckInDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        card: party.MemberCard,
        current: party.CheckInRow | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(
            self.tr("在职党员进社区报到"),
            card.name,
            self.tr("在职党员到居住地社区报到，认领服务岗位；社区每年至少评价一次。"),
            parent,
            ctx=ctx,
            today=today,
        )
        self.ctx, self.card, self.current = ctx, card, current
        c = current
        self.unit_edit = QtWidgets.QLineEdit(c.unit if c else card.work_unit or "")
        self.unit_org_edit = QtWidgets.QLineEdit(c.unit_org or "" if c else "")
        self.date_edit = DateField(c.checked_in_on if c else None, today=self.today, maximum=self.today)
        self.post_edit = QtWidgets.QLineEdit(c.claimed_post or "" if c else "")
        self.post_edit.setPlaceholderText(self.tr("如：政策宣传员、义务巡逻队员、楼栋长助理"))
        self.hours_spin = QtWidgets.QDoubleSpinBox()
        self.hours_spin.setRange(0, 9999)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSuffix(self.tr(" 小时"))
        self.hours_spin.setValue(c.service_hours if c else 0)
        self.evaluated_edit = DateField(
            c.last_evaluated_on if c else None, optional=True, today=self.today, maximum=self.today
        )
        self.evaluation_combo = combo(
            [("", None)] + [(e, e) for e in CHECK_IN_EVALUATIONS], c.evaluation if c else None
        )
        self.add_row("unit", self.tr("所在单位 *"), self.unit_edit)
        self.add_row("unit_org", self.tr("单位党组织"), self.unit_org_edit)
        self.add_row("checked_in_on", self.tr("报到日期 *"), self.date_edit)
        self.add_row("claimed_post", self.tr("认领岗位"), self.post_edit)
        self.add_row("service_hours", self.tr("累计服务"), self.hours_spin)
        self.add_row("last_evaluated_on", self.tr("最近评价日期"), self.evaluated_edit)
        self.add_row("evaluation", self.tr("评价等次"), self.evaluation_combo)

    def submit(self) -> None:
        party.save_check_in(
            self.ctx,
            party.CheckInInput(
                member_id=self.card.id,
                unit=self.unit_edit.text(),
                checked_in_on=self.date_edit.date().toPython(),
                unit_org=self.unit_org_edit.text() or None,
                claimed_post=self.post_edit.text() or None,
                service_hours=self.hours_spin.value(),
                last_evaluated_on=self.evaluated_edit.value(),
                evaluation=self.evaluation_combo.currentData(),
                id=self.current.id if self.current else None,
                version=self.current.version if self.current else None,
            ),
        )
