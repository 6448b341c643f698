"""登记走访: a visit to a household (the members seen ticked) or to one resident; optionally a grid event
raised from what was found, in the same step."""

from __future__ import annotations

import datetime as dt

from desktop.domain.visits import WAY_LABELS
from desktop.services import events, residents, visits
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class VisitDialog(FormDialog):
    """For ``resident_id``: its household's members when it has one (that resident ticked), else the one
    resident. ``visitor``: the grid worker's name to start with."""

    def __init__(
        self,
        ctx: ServiceContext,
        resident_id: int,
        visitor: str = "",
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        card = residents.get_resident(ctx, resident_id, today)
        self.household = card.household
        title = self.tr("登记走访 - ") + (self.household.address if self.household else card.name)
        super().__init__(title, parent=parent, ctx=ctx, width=560, today=today)
        self.card = card
        self.date_edit = DateField(today=self.today, maximum=self.today)
        self.add_row("visited_on", self.tr("走访日期 *"), self.date_edit)
        self.visitor_edit = QtWidgets.QLineEdit(visitor)
        self.visitor_edit.setPlaceholderText(self.tr("走访的网格员"))
        self.add_row("visitor", self.tr("走访人 *"), self.visitor_edit)
        self.way_combo = QtWidgets.QComboBox()
        for code, label in WAY_LABELS.items():
            self.way_combo.addItem(label, code)
        self.add_row("way", self.tr("走访方式 *"), self.way_combo)
        box = QtWidgets.QWidget()
        bl = QtWidgets.QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        self.member_checks: dict[int, QtWidgets.QCheckBox] = {}
        members = (
            [
                (m.id, f"{m.name}（{m.relation_to_head or '成员'}）")
                for m in self.household.members
                if m.status == "ACTIVE"
            ]
            if self.household
            else [(card.id, card.name)]
        )
        for rid, text in members:
            check = QtWidgets.QCheckBox(text)
            check.setChecked(rid == card.id)
            check.setEnabled(self.household is not None)
            bl.addWidget(check)
            self.member_checks[rid] = check
        self.add_row("resident_ids", self.tr("见到的成员 *") if self.household else self.tr("走访对象"), box)
        self.findings_edit = QtWidgets.QPlainTextEdit()
        self.findings_edit.setPlaceholderText(self.tr("如：老人身体尚可，子女每周探望；反映楼道灯不亮"))
        self.findings_edit.setFixedHeight(90)
        self.add_row("findings", self.tr("情况记录 *"), self.findings_edit)
        # an event raised from the visit
        self.event_check = QtWidgets.QCheckBox(self.tr("同时上报网格事件"))
        self.form.addRow("", self.event_check)
        self.category_combo = QtWidgets.QComboBox()
        for cat in events.event_dictionary(ctx).categories:
            for sub in cat.subcategories or ():
                self.category_combo.addItem(f"{cat.code} / {sub.label}", (cat.code, sub.label))
            if not cat.subcategories:
                self.category_combo.addItem(cat.code, (cat.code, None))
        self.add_row("category", self.tr("事件类别"), self.category_combo)
        self.place_edit = QtWidgets.QLineEdit(self.household.address if self.household else "")
        self.add_row("place", self.tr("事件地点"), self.place_edit)
        #: set once saved: whether the visit raised a grid event
        self.raised_event = False
        self.event_check.toggled.connect(self._event_toggled)
        self._event_toggled(False)

    def _event_toggled(self, on: bool) -> None:
        self.category_combo.setEnabled(on)
        self.place_edit.setEnabled(on)

    def submit(self) -> None:
        day = self.date_edit.value() or self.today
        assert day is not None
        findings = self.findings_edit.toPlainText()
        data = visits.VisitInput(
            day,
            self.visitor_edit.text(),
            self.way_combo.currentData(),
            findings,
            self.household.id if self.household else None,
            [rid for rid, check in self.member_checks.items() if check.isChecked()],
        )
        raised = None
        if self.event_check.isChecked():
            assert self.ctx is not None
            category, sub = self.category_combo.currentData()
            now = self.ctx.now()
            received = now if day == now.date() else dt.datetime.combine(day, dt.time(9, 0))
            raised = events.EventInput(
                source="网格员巡查",
                received_at=received,
                grid_id=self.card.grid_id or 0,
                place=self.place_edit.text(),
                category=category,
                subcategory=sub,
                description=findings,
                reporter_name=self.visitor_edit.text() or None,
            )
        assert self.ctx is not None
        self.visit_id = visits.record_visit(self.ctx, data, raised)
        self.raised_event = raised is not None
