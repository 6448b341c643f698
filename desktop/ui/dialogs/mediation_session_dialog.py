"""人民调解记录: add or edit one mediation session (时间, 地点, 参加人, 当事人, 过程, 结果)."""

from __future__ import annotations

from desktop.domain.mediation import CaseRecord, SessionRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line, text_box
from desktop.ui.qt import QtCore, QtWidgets

MINUTES_HINT = "告知当事人权利义务和调解原则；各方陈述；核实事实；风险提示；达成的意见或未达成的原因"


class MediationSessionDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        case: CaseRecord,
        session: SessionRecord | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("调解记录") + f" {case.case_no}", parent=parent, ctx=ctx, width=660)
        self.case, self.session = case, session
        when = session.held_at if session else ctx.now().replace(second=0, microsecond=0)
        self.time_edit = QtWidgets.QDateTimeEdit(QtCore.QDateTime(when))
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        default_place = f"{case.committee.name}调解室"
        self.place_edit = line(session.place if session else default_place, "", 100)
        self.mediators_edit = line(session.mediators if session else case.mediators_text, "", 200)
        self.parties_edit = line(session.parties_present if session else case.party_names, "", 300)
        self.attendees_edit = line(
            session.attendees if session else "",
            self.tr("邀请参加调解的人（不含调解员、当事人、记录人）"),
            300,
        )
        self.recorder_edit = line(session.recorder if session else case.recorder, "", 50)
        self.minutes_edit = text_box(session.minutes if session else "", 170, self.tr(MINUTES_HINT))
        self.result_edit = text_box(
            session.result if session else "", 50, self.tr("本次调解达成的意见，或未达成的原因")
        )
        for label, w in (
            (self.tr("时间 *"), self.time_edit),
            (self.tr("地点 *"), self.place_edit),
            (self.tr("调解员"), self.mediators_edit),
            (self.tr("当事人"), self.parties_edit),
            (self.tr("参加人"), self.attendees_edit),
            (self.tr("记录人"), self.recorder_edit),
            (self.tr("调解过程 *"), self.minutes_edit),
            (self.tr("调解结果"), self.result_edit),
        ):
            self.form.addRow(label, w)
        self.fields = {"held_at": self.time_edit, "place": self.place_edit, "minutes": self.minutes_edit}
        self.finish_form()

    def submit(self) -> None:
        data = med.SessionInput(
            self.time_edit.dateTime().toPython(),
            self.place_edit.text(),
            self.minutes_edit.toPlainText(),
            self.mediators_edit.text(),
            self.attendees_edit.text(),
            self.parties_edit.text(),
            self.recorder_edit.text(),
            self.result_edit.toPlainText(),
        )
        s = self.session
        med.save_session(self.ctx, self.case.id, data, s.id if s else None, s.version if s else None)
