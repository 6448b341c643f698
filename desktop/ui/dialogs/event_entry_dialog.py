"""快速登记: a grid worker back from rounds enters an event by keyboard alone. The tab order is 来源 → 网格 →
地点 → 类别 → 子类 → 紧急程度 → 事件描述 → 上报人 (then phone and time); Enter saves and 受理s at once
(``create_event(accept=True)``); 保存并继续 keeps the dialog open with source, grid and category kept."""

from __future__ import annotations

import datetime as dt
import itertools

from desktop.services import events as ev
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line
from desktop.ui.qt import QtCore, QtWidgets


def _dt(value: QtCore.QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class EventEntryDialog(FormDialog):
    """``saved_ids`` lists the events saved (in order) while the dialog was open."""

    def __init__(
        self,
        ctx: ServiceContext,
        grid_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("快速登记事件"),
            note=self.tr("Tab 切换，回车保存并受理；“保存并继续”登记下一件。带 * 的必填。"),
            parent=parent,
            ctx=ctx,
            width=560,
        )
        self.saved_ids: list[int] = []
        self.dictionary = ev.event_dictionary(ctx)
        self.source_combo = QtWidgets.QComboBox()
        for s in self.dictionary.sources:
            self.source_combo.addItem(s, s)
        self.grid_combo = QtWidgets.QComboBox()
        for g in structure.list_grids(ctx):
            self.grid_combo.addItem(f"{g.code} {g.name}", g.id)
        if grid_id is not None:
            self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(grid_id), 0))
        self.place_edit = line("", self.tr("小区、楼栋、街路"), 200)
        self.category_combo = QtWidgets.QComboBox()
        for c in self.dictionary.categories:
            self.category_combo.addItem(c.code, c.code)
        self.sub_combo = QtWidgets.QComboBox()
        self.urgency_combo = QtWidgets.QComboBox()
        self.urgency_combo.addItem(self.tr("一般"), "NORMAL")
        self.urgency_combo.addItem(self.tr("紧急"), "URGENT")
        self.description_edit = line("", self.tr("发现了什么、涉及多少、有何影响"), 2000)
        self.reporter_edit = line(ctx.actor.user, "", 50)
        self.phone_edit = line("", "", 30)
        self.time_edit = QtWidgets.QDateTimeEdit()
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        now = ctx.now()
        qnow = QtCore.QDateTime(
            QtCore.QDate(now.year, now.month, now.day), QtCore.QTime(now.hour, now.minute)
        )
        self.time_edit.setDateTime(qnow)
        self.time_edit.setMaximumDateTime(qnow)
        self.limit_label = QtWidgets.QLabel()
        self.limit_label.setObjectName("figureDetail")
        self.saved_label = QtWidgets.QLabel()
        self.saved_label.setObjectName("figureDetail")

        self.add_row("source", self.tr("来源 *"), self.source_combo)
        self.add_row("grid_id", self.tr("网格 *"), self.grid_combo)
        self.add_row("place", self.tr("地点 *"), self.place_edit)
        self.add_row("category", self.tr("类别 *"), self.category_combo)
        self.add_row("subcategory", self.tr("子类"), self.sub_combo)
        self.add_row("urgency", self.tr("紧急程度 *"), self.urgency_combo)
        self.add_row("description", self.tr("事件描述 *"), self.description_edit)
        self.add_row("reporter_name", self.tr("上报人"), self.reporter_edit)
        self.add_row("reporter_phone", self.tr("联系电话"), self.phone_edit)
        self.add_row("received_at", self.tr("上报时间 *"), self.time_edit)
        self.form.addRow("", self.limit_label)
        self.extra.addWidget(self.saved_label)

        self.ok_button.setText(self.tr("保存"))
        self.ok_button.setDefault(True)
        self.continue_button = self.buttons.addButton(
            self.tr("保存并继续"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
        )
        self.continue_button.setAutoDefault(False)
        self.continue_button.clicked.connect(self.save_and_continue)
        order = [
            self.source_combo,
            self.grid_combo,
            self.place_edit,
            self.category_combo,
            self.sub_combo,
            self.urgency_combo,
            self.description_edit,
            self.reporter_edit,
            self.phone_edit,
            self.time_edit,
            self.ok_button,
            self.continue_button,
        ]
        for a, b in itertools.pairwise(order):
            QtWidgets.QWidget.setTabOrder(a, b)
        self.category_combo.currentIndexChanged.connect(self._fill_subcategories)
        self.sub_combo.currentIndexChanged.connect(self._show_limit)
        self.urgency_combo.currentIndexChanged.connect(self._show_limit)
        self._fill_subcategories()
        self.source_combo.setFocus()

    def _fill_subcategories(self, *_a: object) -> None:
        cat = self.dictionary.category(self.category_combo.currentData() or "")
        self.sub_combo.blockSignals(True)
        self.sub_combo.clear()
        self.sub_combo.addItem(self.tr("（不分子类）"), None)
        for s in cat.subcategories if cat else ():
            self.sub_combo.addItem(s.label, s.label)
        self.sub_combo.blockSignals(False)
        self._show_limit()

    def _show_limit(self, *_a: object) -> None:
        code = self.category_combo.currentData()
        if not code:
            self.limit_label.setText("")
            return
        r = self.dictionary.resolve(code, self.sub_combo.currentData(), self.urgency_combo.currentData())
        self.limit_label.setText(
            self.tr("办理时限 {0}；责任部门 {1}").format(str(r.limit), r.department or self.tr("（未设）"))
        )

    def event_input(self) -> ev.EventInput:
        return ev.EventInput(
            source=self.source_combo.currentData() or "",
            received_at=_dt(self.time_edit.dateTime()),
            grid_id=self.grid_combo.currentData(),
            place=self.place_edit.text(),
            category=self.category_combo.currentData() or "",
            subcategory=self.sub_combo.currentData(),
            urgency=self.urgency_combo.currentData(),
            description=self.description_edit.text(),
            reporter_name=self.reporter_edit.text() or None,
            reporter_phone=self.phone_edit.text() or None,
        )

    def submit(self) -> None:
        assert self.ctx is not None
        self.saved_ids.append(ev.create_event(self.ctx, self.event_input(), accept=True))

    def save_and_continue(self) -> bool:
        """Save, then clear what differs from one event to the next (place, description, phone)."""
        try:
            self.submit()
        except Exception as exc:
            self.report_error(exc)
            return False
        self.errors.clear()
        detail = ev.event_detail(self.ctx, self.saved_ids[-1]) if self.ctx is not None else None
        self.saved_label.setText(
            self.tr("已保存 {0} 件，最近一件：{1}").format(
                len(self.saved_ids), detail.event_no if detail else ""
            )
        )
        for edit in (self.place_edit, self.description_edit, self.phone_edit):
            edit.clear()
        self.urgency_combo.setCurrentIndex(0)
        self.place_edit.setFocus()
        return True
