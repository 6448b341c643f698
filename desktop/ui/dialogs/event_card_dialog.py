"""The event card (事件详情): the event's facts, its light and time limit, the 吹哨 due times and what the
department owes, the timeline of steps, the files, and one button per step the card's ``actions`` allow
(each opening :class:`EventStepDialog`)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from desktop.domain.events import STEP_LABELS, WHISTLE_LABELS, format_end
from desktop.services import events as ev
from desktop.services.context import ServiceContext
from desktop.services.events import EventDetail
from desktop.ui.dialogs.event_step_dialog import EventStepDialog
from desktop.ui.dialogs.form_dialog import SizedDialog, open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.marks import LIGHT_TEXT_COLOURS, light_dot
from desktop.ui.qt import QtCore, QtGui, QtWidgets, Signal

#: the order of the action buttons (the loop first, then extensions, 督办, 退回)
ACTION_ORDER = (
    "ACCEPT",
    "HANDLE",
    "WHISTLE",
    "DISPATCH",
    "SIGN",
    "CONTACT",
    "ARRIVE",
    "DISPOSE",
    "VERIFY",
    "CLOSE",
    "VISIT",
    "RATE",
    "EXT_REQUEST",
    "EXT_APPROVE",
    "EXT_REFUSE",
    "SUPERVISE",
    "RETURN",
    "TO_MEDIATION",
)
TIMELINE_HEADERS = ("时间", "环节", "办理人", "部门", "说明")


class EventCardDialog(SizedDialog):
    """``changed`` is True once a step or a file was saved through the card."""

    saved = Signal()

    def __init__(self, ctx: ServiceContext, event_id: int, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.event_id = ctx, event_id
        self.detail: EventDetail | None = None
        self.changed = False
        #: areas besides ``events`` a saved step touched (转人民调解 creates a mediation case)
        self.extra_areas: set[str] = set()
        self.departments: tuple[str, ...] = ()
        self.step_dialog: EventStepDialog | None = None
        self.setWindowTitle(self.tr("网格事件"))
        self.setMinimumSize(900, 560)

        self.title_label = QtWidgets.QLabel()
        self.title_label.setObjectName("pageTitle")
        self.light_label = QtWidgets.QLabel()
        self.light_icon = QtWidgets.QLabel()
        self.deadline_label = QtWidgets.QLabel()
        self.deadline_label.setObjectName("figureDetail")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(12)
        top.addWidget(self.light_icon)
        top.addWidget(self.light_label)
        top.addSpacing(12)
        top.addWidget(self.deadline_label, 1)

        self.facts = QtWidgets.QFormLayout()
        self.facts.setHorizontalSpacing(12)
        self.facts.setVerticalSpacing(6)
        self.whistle_label = QtWidgets.QLabel()
        self.whistle_label.setWordWrap(True)
        self.whistle_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        facts_box = QtWidgets.QWidget()
        facts_lay = QtWidgets.QVBoxLayout(facts_box)
        facts_lay.setContentsMargins(0, 0, 6, 0)
        facts_lay.addLayout(self.facts)
        facts_lay.addSpacing(6)
        facts_lay.addWidget(self.whistle_label)
        facts_lay.addStretch(1)
        facts_scroll = QtWidgets.QScrollArea()
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        facts_scroll.setWidget(facts_box)
        facts_scroll.setMinimumWidth(340)

        self.attachments = QtWidgets.QListWidget()
        self.attachments.setMaximumHeight(96)
        self.add_file_button = QtWidgets.QPushButton(icon("add"), self.tr("添加附件…"))
        self.open_file_button = QtWidgets.QPushButton(icon("folder"), self.tr("打开"))
        self.save_file_button = QtWidgets.QPushButton(icon("export"), self.tr("另存为…"))
        files_bar = QtWidgets.QHBoxLayout()
        for b in (self.add_file_button, self.open_file_button, self.save_file_button):
            files_bar.addWidget(b)
        files_bar.addStretch(1)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(facts_scroll, 1)
        files_title = QtWidgets.QLabel(self.tr("附件（照片、文件）"))
        files_title.setObjectName("sectionTitle")
        left.addWidget(files_title)
        left.addWidget(self.attachments)
        left.addLayout(files_bar)

        self.timeline = QtWidgets.QTableWidget(0, len(TIMELINE_HEADERS))
        self.timeline.setHorizontalHeaderLabels([self.tr(h) for h in TIMELINE_HEADERS])
        self.timeline.verticalHeader().hide()
        self.timeline.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setWordWrap(True)
        self.timeline.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
        for col, width in enumerate((124, 140, 96, 100)):
            self.timeline.setColumnWidth(col, width)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        right = QtWidgets.QVBoxLayout()
        timeline_title = QtWidgets.QLabel(self.tr("办理过程"))
        timeline_title.setObjectName("sectionTitle")
        right.addWidget(timeline_title)
        right.addWidget(self.timeline, 1)

        middle = QtWidgets.QHBoxLayout()
        middle.setSpacing(16)
        middle.addLayout(left, 4)
        middle.addLayout(right, 6)

        self.actions_bar = QtWidgets.QHBoxLayout()
        self.actions_bar.setSpacing(6)
        self.action_buttons: dict[str, QtWidgets.QPushButton] = {}
        self.close_button = QtWidgets.QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        bottom = QtWidgets.QHBoxLayout()
        bottom.addLayout(self.actions_bar)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.setSpacing(10)
        lay.addLayout(top)
        lay.addLayout(middle, 1)
        lay.addLayout(bottom)

        self.add_file_button.clicked.connect(self._on_add_file_button_clicked)
        self.open_file_button.clicked.connect(self._on_open_file_button_clicked)
        self.save_file_button.clicked.connect(self._on_save_file_button_clicked)
        self.attachments.itemActivated.connect(lambda *_a: self._on_open_file_button_clicked())
        self.reload()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1200, 680).boundedTo(super().sizeHint().expandedTo(QtCore.QSize(1160, 660)))

    # ---------------------------------------------------------------- showing

    def reload(self) -> None:
        try:
            self.detail = ev.event_detail(self.ctx, self.event_id)
            if not self.departments:
                self.departments = ev.event_dictionary(self.ctx).departments
        except Exception as exc:
            show_error(self, exc)
            return
        self._show(self.detail)

    def _show(self, d: EventDetail) -> None:
        self.setWindowTitle(self.tr("网格事件 {0}").format(d.event_no))
        self.title_label.setText(f"{d.event_no} · {d.state_label}")
        dot = light_dot(d.light, 16)
        self.light_icon.setPixmap(dot.pixmap(16, 16) if dot else QtGui.QPixmap())
        self.light_icon.setVisible(dot is not None)
        self.light_label.setText(d.light_label or self.tr("已结案（不亮灯）"))
        colour = LIGHT_TEXT_COLOURS.get(d.light or "", "#5f6b7a")
        self.light_label.setStyleSheet(f"color:{colour};font-weight:bold;")
        pending = self.tr("；延期申请待审批") if d.extension_pending else ""
        self.deadline_label.setText(self.tr("办理时限：") + d.deadline_text + pending)

        while self.facts.rowCount():
            self.facts.removeRow(0)
        link = "；".join(
            x
            for x in (
                d.resident_name and self.tr("居民 ") + d.resident_name,
                d.household_address and self.tr("户 ") + d.household_address,
                d.mediation_case_no and self.tr("调解案件 ") + d.mediation_case_no,
            )
            if x
        )
        reporter = " ".join(x for x in (d.reporter_name, d.reporter_phone) if x)
        rows = [
            ("来源", d.source),
            ("上报时间", f"{d.received_at:%Y-%m-%d %H:%M}"),
            ("网格", f"{d.grid_code} {d.grid_name}"),
            ("地点", d.place),
            ("类别", d.category + (f" / {d.subcategory}" if d.subcategory else "")),
            ("紧急程度", d.urgency_label),
            ("事件描述", d.description),
            ("上报人", reporter),
            ("关联", link),
            ("责任部门", d.department or ""),
            ("结案时间", f"{d.closed_at:%Y-%m-%d %H:%M}" if d.closed_at else ""),
            (
                "评价",
                {"SATISFIED": "满意", "BASIC": "基本满意", "UNSATISFIED": "不满意"}.get(d.rating or "", ""),
            ),
            ("督办", self.tr("{0} 次").format(len(d.supervisions)) if d.supervisions else ""),
        ]
        for label, value in rows:
            if not value:
                continue
            text = QtWidgets.QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(self.tr(label) + "：", text)

        self.whistle_label.setText(self._whistle_html(d))
        self.whistle_label.setVisible(d.whistle is not None)

        self.timeline.setRowCount(len(d.steps))
        for i, s in enumerate(d.steps):
            note = s.note or ""
            if s.new_deadline is not None:
                note = note or self.tr("期限至 ") + format_end(s.new_deadline)
            for col, value in enumerate(
                (f"{s.at:%Y-%m-%d %H:%M}", s.label, s.actor, s.department or "", note)
            ):
                item = QtWidgets.QTableWidgetItem(value)
                item.setToolTip(value)
                self.timeline.setItem(i, col, item)
        self.timeline.resizeRowsToContents()
        self.timeline.scrollToBottom()

        self.attachments.clear()
        for a in d.attachments:
            size = f"{a.size / 1024:.0f} KB" if a.size < 1024 * 1024 else f"{a.size / 1024 / 1024:.1f} MB"
            item = QtWidgets.QListWidgetItem(
                icon("mdi6.image-outline" if a.is_image else "mdi6.file-outline"), f"{a.file_name}（{size}）"
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, a.id)
            self.attachments.addItem(item)
        has_files = bool(d.attachments)
        self.open_file_button.setEnabled(has_files)
        self.save_file_button.setEnabled(has_files)
        if has_files:
            self.attachments.setCurrentRow(0)
        self._show_actions(d)

    def _whistle_html(self, d: EventDetail) -> str:
        w = d.whistle
        if w is None:
            return ""

        def answered(done: object, late: bool, what: str) -> str:
            if not isinstance(done, dt.datetime):
                return ""
            verdict = "<span style='color:#b3261e'>超时</span>" if late else "按时"
            return f"（{done:%m-%d %H:%M} {what}，{verdict}）"

        parts = [
            f"<b>{WHISTLE_LABELS[w.due.kind]}</b>（{w.due.at:%m-%d %H:%M} 吹哨，{w.department or ''}）",
            f"应签收（1 小时内）：{format_end(w.due.sign_by)}"
            + answered(w.signed_at, w.signed_late, "已签收"),
            f"应联系社区（24 小时内）：{format_end(w.due.contact_by)}"
            + answered(
                w.contacted_at, w.contacted_late, "报到，视为已联系" if w.contact_by_arrival else "已联系"
            ),
            f"应报到：{format_end(w.due.report_by)}" + answered(w.arrived_at, w.arrived_late, "已报到"),
        ]
        problems = w.problems(d.as_of)
        if problems:
            parts.append("<span style='color:#b3261e;font-weight:bold'>⚠ " + "；".join(problems) + "</span>")
        return "<br>".join(parts)

    def _show_actions(self, d: EventDetail) -> None:
        for b in self.action_buttons.values():
            self.actions_bar.removeWidget(b)
            b.deleteLater()
        self.action_buttons = {}
        for kind in (k for k in ACTION_ORDER if k in d.actions):
            button = QtWidgets.QPushButton(self.tr(STEP_LABELS[kind]))
            if kind in ("ACCEPT", "CLOSE", "VERIFY", "DISPOSE", "SIGN"):
                button.setObjectName("primaryButton")
            button.clicked.connect(lambda _c=False, k=kind: self.open_step(k))
            self.actions_bar.addWidget(button)
            self.action_buttons[kind] = button

    # ---------------------------------------------------------------- steps

    def open_step(self, kind: str) -> EventStepDialog:
        assert self.detail is not None
        dialog = EventStepDialog(self.ctx, self.detail, kind, self.departments, self)
        dialog.accepted.connect(lambda: self._after_write(kind))
        dialog.stale.connect(self._on_stale)
        self.step_dialog = dialog
        open_dialog(dialog)
        return dialog

    def _after_write(self, kind: str = "") -> None:
        if kind == "TO_MEDIATION":
            self.extra_areas.add("mediation")
        self.changed = True
        self.saved.emit()
        self.reload()

    def _on_stale(self, message: str) -> None:
        self.reload()
        QtWidgets.QMessageBox.warning(
            self, self.tr("事件已被修改"), message + self.tr("\n已重新载入最新内容。")
        )

    # ---------------------------------------------------------------- files

    def _selected_file(self) -> int | None:
        item = self.attachments.currentItem()
        return item.data(QtCore.Qt.ItemDataRole.UserRole) if item is not None else None

    def add_file(self, path: Path) -> bool:
        try:
            ev.add_attachment(self.ctx, self.event_id, path.name, path.read_bytes())
        except Exception as exc:
            show_error(self, exc, self.tr("附件未添加"))
            return False
        self._after_write()
        return True

    def _on_add_file_button_clicked(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self,
            self.tr("添加附件"),
            str(Path.home()),
            self.tr("照片和文件 (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xlsx);;所有文件 (*)"),
        )
        if path:
            self.add_file(Path(path))

    def save_file(self, attachment_id: int, path: Path) -> None:
        _info, content = ev.read_attachment(self.ctx, attachment_id)
        path.write_bytes(content)

    def _on_open_file_button_clicked(self) -> None:
        aid = self._selected_file()
        if aid is None:
            return
        try:
            info, content = ev.read_attachment(self.ctx, aid)
            folder = Path(tempfile.mkdtemp(prefix="shequ-event-"))
            target = folder / info.file_name
            target.write_bytes(content)
        except Exception as exc:
            show_error(self, exc)
            return
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(target)))

    def _on_save_file_button_clicked(self) -> None:
        aid = self._selected_file()
        item = self.attachments.currentItem()
        if aid is None or item is None:
            return
        name = next(
            (a.file_name for a in (self.detail.attachments if self.detail else []) if a.id == aid), ""
        )
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, self.tr("附件另存为"), str(Path.home() / name))
        if not path:
            return
        try:
            self.save_file(aid, Path(path))
        except Exception as exc:
            show_error(self, exc)
