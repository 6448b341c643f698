"""设置 → 网格事件与走访: what each setting is now, in a line, and a button to change it (事件设置, 走访频次,
排名计分). A saved change is told to the other pages (``settings``): the events and visits pages refresh."""

from __future__ import annotations

from desktop.domain.visits import FREQUENCY_LABELS
from desktop.services import events as ev
from desktop.services import residents, visits
from desktop.services.context import ServiceContext
from desktop.services.reports.grid_bulletin import ranking_weights
from desktop.ui.dialogs.event_settings_dialog import EventSettingsDialog
from desktop.ui.dialogs.form_dialog import FormDialog, open_dialog
from desktop.ui.dialogs.visit_settings_dialog import RankingWeightsDialog, VisitSettingsDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtWidgets, Signal


class EventSettingsSection(QtWidgets.QGroupBox):
    #: a setting was saved: the status-bar message
    saved = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(self.tr("网格事件与走访"), parent)
        self.ctx = ctx
        self.dialog: FormDialog | None = None
        grid = QtWidgets.QGridLayout(self)
        grid.setHorizontalSpacing(14)
        grid.setColumnStretch(1, 1)
        self.events_label = self._summary()
        self.visits_label = self._summary()
        self.ranking_label = self._summary()
        self.events_button = QtWidgets.QPushButton(icon("edit"), self.tr("事件设置…"))
        self.visits_button = QtWidgets.QPushButton(icon("edit"), self.tr("走访频次…"))
        self.ranking_button = QtWidgets.QPushButton(icon("edit"), self.tr("排名计分…"))
        for row, (title, label, button) in enumerate(
            (
                (self.tr("网格事件"), self.events_label, self.events_button),
                (self.tr("分色走访"), self.visits_label, self.visits_button),
                (self.tr("一季一排名"), self.ranking_label, self.ranking_button),
            )
        ):
            head = QtWidgets.QLabel(title)
            head.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(head, row, 0)
            grid.addWidget(label, row, 1)
            grid.addWidget(button, row, 2, QtCore.Qt.AlignmentFlag.AlignTop)
        self.events_button.clicked.connect(self.open_event_settings)
        self.visits_button.clicked.connect(self.open_visit_settings)
        self.ranking_button.clicked.connect(self.open_ranking)

    @staticmethod
    def _summary() -> QtWidgets.QLabel:
        label = QtWidgets.QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def reload(self) -> None:
        try:
            s = ev.event_settings(self.ctx)
            f = visits.frequencies(self.ctx)
            tiers = residents.care_tiers(self.ctx)
            w = ranking_weights(self.ctx)
        except Exception as exc:
            show_error(self, exc)
            return
        subs = sum(len(c.subcategories) for c in s.categories)
        own = sum(1 for c in s.categories for r in (c.rule, *(x.rule for x in c.subcategories))
                  if r.normal or r.urgent)  # fmt: skip
        who = "、".join(s.whistlers) if s.whistlers else self.tr("不限")
        self.events_label.setText(
            self.tr("{0} 个来源，{1} 个类别（{2} 个子类，{3} 项自定时限），{4} 个职能部门；可吹哨：{5}；附件每个 ≤ {6} MB，每事件合计 ≤ {7} MB").format(
                len(s.sources), len(s.categories), subs, own, len(s.departments), who,
                round(s.attachments.file_kb / 1024), round(s.attachments.event_kb / 1024),
            )
        )  # fmt: skip
        tier_text = "，".join(
            f"{t.label} {FREQUENCY_LABELS.get(f.tiers.get(t.code, ''), '—')}" for t in tiers
        )
        groups = "、".join(f"{g} {FREQUENCY_LABELS[v]}" for g, v in f.groups.items()) or self.tr("无")
        self.visits_label.setText(self.tr("{0}；特殊人群最低：{1}").format(tier_text, groups))
        self.ranking_label.setText(
            self.tr("按期办结率 {0:g} + 满意率 {1:g} + 走访完成率 {2:g}，超期未办结每件扣 {3:g} 分（最多 {4:g} 分）").format(
                w.closed_in_time, w.satisfaction, w.visits, w.overdue_penalty, w.penalty_cap
            )
        )  # fmt: skip

    # ---------------------------------------------------------------- dialogs

    def _open(self, dialog: FormDialog, message: object) -> FormDialog:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._after_save(message() if callable(message) else str(message)))
        open_dialog(dialog)
        return dialog

    def _after_save(self, message: str) -> None:
        self.reload()
        self.saved.emit(message)

    def open_event_settings(self) -> FormDialog:
        dialog = EventSettingsDialog(self.ctx, self)

        def message() -> str:
            kept = dialog.kept
            text = self.tr("网格事件设置已保存，新的时限和责任部门用于此后登记的事件")
            if kept:
                text += self.tr("；{0} 个在办事件仍按登记时的时限办理").format(kept)
            return text

        return self._open(dialog, message)

    def open_visit_settings(self) -> FormDialog:
        return self._open(VisitSettingsDialog(self.ctx, self), self.tr("走访频次已保存"))

    def open_ranking(self) -> FormDialog:
        return self._open(RankingWeightsDialog(self.ctx, self), self.tr("排名计分已保存"))
