"""One small form per step of the event loop (受理, 吹哨, 派单, …, 督办): its few inputs, one service call with
the version the card showed. A stale version is a :class:`ConflictError`: the dialog emits ``stale`` with the
message, and the card reloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.core.errors import ConflictError
from desktop.domain.events import RATING_LABELS, STEP_LABELS, WHISTLE_LABELS
from desktop.services import events as ev
from desktop.services.context import ServiceContext
from desktop.services.events import EventDetail
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line, text_box
from desktop.ui.qt import QtCore, QtWidgets, Signal

#: what a step's note is called, and whether it is required (None: the step takes no note field)
NOTE_LABELS: dict[str, tuple[str, bool]] = {
    "ACCEPT": ("受理意见", False),
    "HANDLE": ("处置情况", True),
    "WHISTLE": ("吹哨事由", True),
    "DISPATCH": ("派单要求", False),
    "SIGN": ("签收说明", False),
    "CONTACT": ("联系情况", False),
    "ARRIVE": ("报到情况", False),
    "DISPOSE": ("处置情况", True),
    "VERIFY": ("核查意见", False),
    "CLOSE": ("结案意见", False),
    "VISIT": ("回访情况", True),
    "RATE": ("评价说明", False),
    "EXT_REQUEST": ("延期理由", True),
    "EXT_APPROVE": ("审批意见", False),
    "EXT_REFUSE": ("驳回理由", True),
    "SUPERVISE": ("督办要求", True),
    "RETURN": ("退回理由", True),
}


def _combo(items: list[tuple[str, object]], current: object = None) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


class EventStepDialog(FormDialog):
    """The form of step ``kind`` on the event shown by ``detail``; ``version`` after saving is the new one."""

    #: the event changed meanwhile (another PC): the message; the card reloads
    stale = Signal(str)

    def __init__(
        self,
        ctx: ServiceContext,
        detail: EventDetail,
        kind: str,
        departments: tuple[str, ...] = (),
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        label = STEP_LABELS[kind]
        super().__init__(
            self.tr("{0} · 事件 {1}").format(label, detail.event_no),
            self.tr("{0}：{1}").format(label, detail.place),
            parent=parent,
            ctx=ctx,
            width=480,
        )
        self.detail, self.kind = detail, kind
        self.version: int | None = None
        self.department_combo: QtWidgets.QComboBox | None = None
        self.whistle_combo: QtWidgets.QComboBox | None = None
        self.passed_combo: QtWidgets.QComboBox | None = None
        self.rating_combo: QtWidgets.QComboBox | None = None
        self.days_spin: QtWidgets.QSpinBox | None = None
        self.committee_combo: QtWidgets.QComboBox | None = None
        if kind == "WHISTLE":
            self.whistle_combo = _combo([(v, k) for k, v in WHISTLE_LABELS.items()])
            self.add_row(
                "whistle_kind",
                self.tr("吹哨类型 *"),
                self.whistle_combo,
                self.tr("工作推进哨：3 个工作日内报到；攻坚克难哨：5 个工作日内报到"),
            )
        if kind in ("WHISTLE", "DISPATCH"):
            self.department_combo = _combo([(d, d) for d in departments], detail.department)
            self.add_row("department", self.tr("职能部门 *"), self.department_combo)
        if kind == "VERIFY":
            self.passed_combo = _combo([(self.tr("通过"), True), (self.tr("未通过（退回重办）"), False)])
            self.add_row("passed", self.tr("核查结果 *"), self.passed_combo)
        if kind == "RATE":
            self.rating_combo = _combo([(v, k) for k, v in RATING_LABELS.items()])
            self.add_row(
                "rating", self.tr("对{0}的评价 *").format(detail.department or ""), self.rating_combo
            )
        if kind in ("EXT_REQUEST", "EXT_APPROVE"):
            self.days_spin = QtWidgets.QSpinBox()
            self.days_spin.setRange(1, 30)
            self.days_spin.setSuffix(self.tr(" 个工作日"))
            requested = next(
                (s.extension_days for s in reversed(detail.steps) if s.kind == "EXT_REQUEST"), None
            )
            self.days_spin.setValue(requested if kind == "EXT_APPROVE" and requested else 3)
            self.add_row("days", self.tr("延期天数 *"), self.days_spin)
        if kind == "TO_MEDIATION":
            from desktop.services import mediation as med

            committees = [(c.name, c.id) for c in med.list_committees(ctx)]
            self.committee_combo = _combo(committees)
            self.add_row("committee_id", self.tr("人民调解委员会 *"), self.committee_combo)
            note = QtWidgets.QLabel(
                self.tr("关联居民作为申请人转入；没有关联居民的事件请先在人民调解中登记当事人。")
            )
            note.setWordWrap(True)
            note.setObjectName("figureDetail")
            self.form.addRow("", note)
        self.note_edit: QtWidgets.QPlainTextEdit | None = None
        if kind in NOTE_LABELS:
            text, required = NOTE_LABELS[kind]
            self.note_edit = text_box("", 90)
            self.add_row("note", self.tr(text) + (" *" if required else ""), self.note_edit)
        self.at_edit: QtWidgets.QDateTimeEdit | None = None
        if kind != "TO_MEDIATION":  # the case's own 受理日期 is today
            last = max((s.at for s in detail.steps), default=detail.received_at)
            self.at_edit = QtWidgets.QDateTimeEdit(
                QtCore.QDateTime(ctx.now().replace(second=0, microsecond=0))
            )
            self.at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            self.at_edit.setCalendarPopup(True)
            self.add_row(
                "at",
                self.tr("办理时间 *"),
                self.at_edit,
                self.tr("实际办理的时间：默认现在；不能晚于现在，不能早于上一环节（{0}）").format(
                    f"{last:%Y-%m-%d %H:%M}"
                ),
            )
        self.actor_edit = line("", self.tr("默认：当前用户 {0}").format(ctx.actor.user), 50)
        self.add_row("actor", self.tr("办理人"), self.actor_edit)

    # ---------------------------------------------------------------- saving

    def at(self) -> dt.datetime | None:
        """The 办理时间 entered (the services check it: not in the future, not before the last step)."""
        if self.at_edit is None:
            return None
        value = self.at_edit.dateTime().toPython()
        return value if isinstance(value, dt.datetime) else None

    def note(self) -> str:
        return self.note_edit.toPlainText() if self.note_edit is not None else ""

    def submit(self) -> None:
        ctx, eid, v, k = self.ctx, self.detail.id, self.detail.version, self.kind
        assert ctx is not None
        actor = self.actor_edit.text() or None
        note = self.note()
        common: dict[str, Any] = {"actor": actor, "at": self.at()}
        if k == "ACCEPT":
            self.version = ev.accept_event(ctx, eid, v, note=note, **common)
        elif k == "HANDLE":
            self.version = ev.handle_on_site(ctx, eid, v, note, **common)
        elif k == "WHISTLE":
            assert self.whistle_combo is not None and self.department_combo is not None
            self.version = ev.whistle(
                ctx,
                eid,
                v,
                kind=self.whistle_combo.currentData(),
                department=self.department_combo.currentData(),
                note=note,
                **common,
            )
        elif k == "DISPATCH":
            assert self.department_combo is not None
            self.version = ev.dispatch(
                ctx, eid, v, department=self.department_combo.currentData(), note=note, **common
            )
        elif k == "SIGN":
            self.version = ev.sign_for(ctx, eid, v, note=note, **common)
        elif k == "CONTACT":
            self.version = ev.contact_community(ctx, eid, v, note=note, **common)
        elif k == "ARRIVE":
            self.version = ev.report_in(ctx, eid, v, note=note, **common)
        elif k == "DISPOSE":
            self.version = ev.dispose(ctx, eid, v, note, **common)
        elif k == "VERIFY":
            assert self.passed_combo is not None
            self.version = ev.verify(
                ctx, eid, v, passed=bool(self.passed_combo.currentData()), note=note, **common
            )
        elif k == "CLOSE":
            self.version = ev.close_event(ctx, eid, v, note=note, **common)
        elif k == "VISIT":
            self.version = ev.record_visit(ctx, eid, v, note, **common)
        elif k == "RATE":
            assert self.rating_combo is not None
            self.version = ev.rate_department(
                ctx, eid, v, rating=self.rating_combo.currentData(), note=note, **common
            )
        elif k == "EXT_REQUEST":
            assert self.days_spin is not None
            self.version = ev.request_extension(
                ctx, eid, v, days=self.days_spin.value(), reason=note, **common
            )
        elif k == "EXT_APPROVE":
            assert self.days_spin is not None
            self.version = ev.approve_extension(ctx, eid, v, days=self.days_spin.value(), note=note, **common)
        elif k == "EXT_REFUSE":
            self.version = ev.refuse_extension(ctx, eid, v, note, **common)
        elif k == "SUPERVISE":
            self.version = ev.supervise(ctx, eid, v, note, **common)
        elif k == "RETURN":
            self.version = ev.return_order(ctx, eid, v, note, **common)
        elif k == "TO_MEDIATION":
            assert self.committee_combo is not None
            committee = self.committee_combo.currentData()
            if committee is None:
                from desktop.core.errors import ValidationError

                raise ValidationError("请先在人民调解中设置调解委员会。", field="committee_id")
            ev.to_mediation_case(ctx, eid, v, committee_id=committee, actor=actor)
        else:  # pragma: no cover - the card offers only the kinds above
            raise ValueError(k)

    def report_error(self, exc: Exception) -> None:
        if isinstance(exc, ConflictError):
            self.stale.emit(exc.message)
            self.reject()
            return
        super().report_error(exc)
