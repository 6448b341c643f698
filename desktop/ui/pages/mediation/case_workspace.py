"""One case's workspace: 概况 (intake, parties), 调查与调解, 结果与协议, 履行与回访, 卷宗, 文书.

Every action opens a dialog with ``open()`` and returns it (tests drive them); a saved dialog makes the
workspace reload the case and emit ``changed``.
"""

from __future__ import annotations

from html import escape

from desktop.domain import accounts as perm
from desktop.domain.mediation import CaseRecord
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.mediation_agreement_dialog import MediationAgreementDialog
from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog
from desktop.ui.dialogs.mediation_closing_dialog import MediationClosingDialog
from desktop.ui.dialogs.mediation_follow_up_dialog import MediationFollowUpDialog
from desktop.ui.dialogs.mediation_investigation_dialog import MediationInvestigationDialog
from desktop.ui.dialogs.mediation_outcome_dialog import MediationOutcomeDialog
from desktop.ui.dialogs.mediation_party_dialog import MediationPartyDialog
from desktop.ui.dialogs.mediation_performance_dialog import MediationPerformanceDialog
from desktop.ui.dialogs.mediation_session_dialog import MediationSessionDialog
from desktop.ui.dialogs.retire_dialog import RetireDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.mediation_item_model import MediationItemTableModel
from desktop.ui.pages.mediation.document_preview import DocumentPreview
from desktop.ui.permissions import guard_all
from desktop.ui.qt import QtWidgets, Signal
from desktop.ui.widgets.lazy_tabs import LazyTabWidget


def _d(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value))


def _table(model: MediationItemTableModel, stretch: int = -1) -> QtWidgets.QTableView:
    view = QtWidgets.QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setMaximumSectionSize(320)
    header.setStretchLastSection(stretch == -1)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QtWidgets.QHeaderView.ResizeMode.Stretch)
    return view


def _buttons(*buttons: QtWidgets.QPushButton) -> QtWidgets.QHBoxLayout:
    row = QtWidgets.QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class CaseWorkspace(QtWidgets.QWidget):
    #: the case was changed through one of the dialogs
    changed = Signal()
    status_message = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseRecord | None = None
        self.title_label = QtWidgets.QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.title_label.setWordWrap(True)
        self.deadline_label = QtWidgets.QLabel()
        self.deadline_label.setWordWrap(True)
        self.tabs = LazyTabWidget()  # a tab's page is styled and laid out when first shown

        # 概况
        self.info_label = QtWidgets.QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(self.info_label.textFormat().RichText)
        self.parties_model = MediationItemTableModel(
            [
                self.tr("序号"),
                self.tr("身份"),
                self.tr("姓名/名称"),
                self.tr("性别"),
                self.tr("年龄"),
                self.tr("联系电话"),
                self.tr("住址"),
            ],
            self,
        )
        self.parties_view = _table(self.parties_model)
        # narrow columns for the short values, so the seven fit the panel at 1366 wide (住址 takes the rest)
        for column, width in enumerate((40, 60, 108, 40, 44, 104)):
            self.parties_view.setColumnWidth(column, width)
        self.edit_case_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑受理信息"))
        self.add_party_button = QtWidgets.QPushButton(icon("person_add"), self.tr("添加当事人"))
        self.edit_party_button = QtWidgets.QPushButton(icon("person"), self.tr("编辑当事人"))
        self.notice_button = QtWidgets.QPushButton(self.tr("告知书已签收"))
        self.retire_button = QtWidgets.QPushButton(icon("retire"), self.tr("撤销案件"))
        overview = QtWidgets.QWidget()
        ol = QtWidgets.QVBoxLayout(overview)
        ol.addWidget(self.info_label)
        ol.addWidget(self.parties_view, 1)
        ol.addLayout(
            _buttons(self.edit_case_button, self.add_party_button, self.edit_party_button, self.notice_button)
        )
        self.tabs.add_tab(overview, self.tr("概况"))

        # 调查与调解
        self.investigations_model = MediationItemTableModel(
            [self.tr("日期"), self.tr("调查人"), self.tr("被调查人"), self.tr("内容")], self
        )
        self.sessions_model = MediationItemTableModel(
            [self.tr("时间"), self.tr("地点"), self.tr("参加人"), self.tr("结果")], self
        )
        self.investigations_view = _table(self.investigations_model)
        self.sessions_view = _table(self.sessions_model)
        self.add_investigation_button = QtWidgets.QPushButton(icon("add"), self.tr("添加调查记录"))
        self.add_session_button = QtWidgets.QPushButton(icon("add"), self.tr("添加调解记录"))
        process = QtWidgets.QWidget()
        pl = QtWidgets.QVBoxLayout(process)
        pl.addWidget(QtWidgets.QLabel(self.tr("调查记录（双击编辑）")))
        pl.addWidget(self.investigations_view, 1)
        pl.addWidget(QtWidgets.QLabel(self.tr("调解记录（双击编辑）")))
        pl.addWidget(self.sessions_view, 2)
        pl.addLayout(_buttons(self.add_investigation_button, self.add_session_button))
        self.tabs.add_tab(process, self.tr("调查与调解"))

        # 结果与协议
        self.outcome_label = QtWidgets.QLabel()
        self.outcome_label.setWordWrap(True)
        self.terms_model = MediationItemTableModel(
            [self.tr("序号"), self.tr("条款内容"), self.tr("金额（元）"), self.tr("履行期限")], self
        )
        self.terms_view = _table(self.terms_model, stretch=1)
        # a clause can run to several lines: wrap it, each row as tall as its text (and whole on hover)
        self.terms_view.setWordWrap(True)
        self.terms_view.verticalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.agreement_button = QtWidgets.QPushButton(icon("edit"), self.tr("录入调解协议"))
        self.failure_button = QtWidgets.QPushButton(self.tr("调解不成功 / 终止调解"))
        outcome = QtWidgets.QWidget()
        rl = QtWidgets.QVBoxLayout(outcome)
        rl.addWidget(self.outcome_label)
        rl.addWidget(self.terms_view, 1)
        rl.addLayout(_buttons(self.agreement_button, self.failure_button))
        self.tabs.add_tab(outcome, self.tr("结果与协议"))

        # 履行与回访
        self.performance_model = MediationItemTableModel(
            [self.tr("日期"), self.tr("履行情况"), self.tr("说明")], self
        )
        self.follow_up_model = MediationItemTableModel(
            [self.tr("计划日期"), self.tr("回访日期"), self.tr("回访人"), self.tr("回访情况")], self
        )
        self.performance_view = _table(self.performance_model)
        self.follow_up_view = _table(self.follow_up_model)
        self.performance_button = QtWidgets.QPushButton(icon("add"), self.tr("记录履行情况"))
        self.follow_up_button = QtWidgets.QPushButton(icon("add"), self.tr("记录回访"))
        perf = QtWidgets.QWidget()
        fl = QtWidgets.QVBoxLayout(perf)
        fl.addWidget(QtWidgets.QLabel(self.tr("履行情况")))
        fl.addWidget(self.performance_view, 1)
        fl.addWidget(QtWidgets.QLabel(self.tr("回访（按履行期限排定；选中计划后点“记录回访”）")))
        fl.addWidget(self.follow_up_view, 2)
        fl.addLayout(_buttons(self.performance_button, self.follow_up_button))
        self.tabs.add_tab(perf, self.tr("履行与回访"))

        # 卷宗
        self.file_model = MediationItemTableModel(
            [self.tr("序号"), self.tr("卷宗材料"), self.tr("必须/按需"), self.tr("情况")], self
        )
        self.file_view = _table(self.file_model, stretch=1)
        self.paper_button = QtWidgets.QPushButton(self.tr("纸质材料已归入 / 取消"))
        self.close_button = QtWidgets.QPushButton(self.tr("结案"))
        self.archive_button = QtWidgets.QPushButton(icon("retire"), self.tr("归档"))
        casefile = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(casefile)
        cl.addWidget(QtWidgets.QLabel(self.tr("卷宗材料（红色为缺少的必备材料，缺少时不能归档）")))
        cl.addWidget(self.file_view, 1)
        cl.addLayout(_buttons(self.paper_button, self.close_button, self.archive_button))
        self.tabs.add_tab(casefile, self.tr("卷宗"))

        # 文书
        self.preview = DocumentPreview(ctx)
        self.tabs.add_tab(self.preview, self.tr("文书"))

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title_label)
        lay.addWidget(self.deadline_label)
        lay.addWidget(self.tabs, 1)
        self._connect_signals()
        self.show_case(None)

    def _connect_signals(self) -> None:
        writes = (
            self.edit_case_button,
            self.add_party_button,
            self.edit_party_button,
            self.notice_button,
            self.retire_button,
            self.add_investigation_button,
            self.add_session_button,
            self.agreement_button,
            self.failure_button,
            self.performance_button,
            self.follow_up_button,
            self.paper_button,
            self.close_button,
            self.archive_button,
        )
        # a role that reads mediation only (街道管理员/统计员) sees the case and changes nothing
        self.may_write = guard_all(self.ctx, writes, perm.MEDIATION_WRITE)
        self.edit_case_button.clicked.connect(self.open_case_dialog)
        self.add_party_button.clicked.connect(lambda: self.open_party_dialog(None))
        self.edit_party_button.clicked.connect(self._on_edit_party_button_clicked)
        self.notice_button.clicked.connect(self._on_notice_button_clicked)
        self.retire_button.clicked.connect(self.open_retire_dialog)
        self.add_investigation_button.clicked.connect(lambda: self.open_investigation_dialog(None))
        self.add_session_button.clicked.connect(lambda: self.open_session_dialog(None))
        self.agreement_button.clicked.connect(self.open_agreement_dialog)
        self.failure_button.clicked.connect(self.open_outcome_dialog)
        self.performance_button.clicked.connect(self.open_performance_dialog)
        self.follow_up_button.clicked.connect(self._on_follow_up_button_clicked)
        if self.may_write:  # double-click edits
            self.parties_view.doubleClicked.connect(self._on_edit_party_button_clicked)
            self.investigations_view.doubleClicked.connect(
                lambda i: self.open_investigation_dialog(self.investigations_model.row_id(i.row()))
            )
            self.sessions_view.doubleClicked.connect(
                lambda i: self.open_session_dialog(self.sessions_model.row_id(i.row()))
            )
            self.follow_up_view.doubleClicked.connect(self._on_follow_up_button_clicked)
        self.paper_button.clicked.connect(self._on_paper_button_clicked)
        self.close_button.clicked.connect(lambda: self.open_closing_dialog(False))
        self.archive_button.clicked.connect(lambda: self.open_closing_dialog(True))
        self.preview.status_message.connect(self.status_message)

    # ---------------------------------------------------------------- showing

    def load(self, case_id: int | None) -> None:
        self.show_case(med.get_case(self.ctx, case_id) if case_id is not None else None)

    def reload(self) -> None:
        if self.case is not None:
            self.load(self.case.id)

    def show_case(self, case: CaseRecord | None, deadlines: str = "") -> None:
        self.case = case
        for w in (self.tabs, self.edit_case_button):
            w.setEnabled(case is not None)
        if case is None:
            self.title_label.setText(self.tr("请在左侧选择一个案件，或点击“受理登记”。"))
            self.deadline_label.clear()
            for m in (
                self.parties_model,
                self.investigations_model,
                self.sessions_model,
                self.terms_model,
                self.performance_model,
                self.follow_up_model,
                self.file_model,
            ):
                m.set_rows([])
            self.info_label.clear()
            self.preview.show_case(None)
            return
        stage = case.stage_label + (f"　{case.outcome_label}" if case.outcome else "")
        self.title_label.setText(f"{case.case_no}　{case.title}　〔{stage}〕")
        self.set_deadlines(deadlines)
        info = [
            ("受理日期", _d(case.accepted_on)),
            ("案件来源", case.source_label + (f"（{case.referred_by}）" if case.referred_by else "")),
            ("纠纷类型", case.dispute_label),
            ("调解员", case.mediators_text),
            ("记录人", case.recorder or ""),
            ("所属社区/网格", "／".join(x for x in (case.community, case.grid) if x)),
            ("告知书签收", _d(case.rights_notified_on) or "未签收"),
            ("纠纷简要情况", case.summary),
        ]
        self.info_label.setText(
            "<table cellspacing=3>"
            + "".join(
                f"<tr><td style='color:#5f6b7a;padding-right:8px'>{k}</td><td>{escape(v)}</td></tr>"
                for k, v in info
            )
            + "</table>"
        )
        self.parties_model.set_rows(
            [
                (
                    p.id,
                    [
                        p.seq,
                        p.role_label,
                        p.name,
                        p.gender or "",
                        p.age_on(case.accepted_on) or "",
                        p.phone or "",
                        p.address or "",
                    ],
                    "",
                )
                for p in case.parties
            ]
        )
        self.investigations_model.set_rows(
            [
                (i.id, [_d(i.held_on), i.investigator, i.interviewee, i.content], "")
                for i in case.investigations
            ]
        )
        self.sessions_model.set_rows(
            [
                (s.id, [s.held_at.strftime("%Y-%m-%d %H:%M"), s.place, s.attendees or "", s.result or ""], "")
                for s in case.sessions
            ]
        )
        a = case.agreement
        if a:
            eff = f"，{_d(a.effective_on)} 生效" if a.effective_on else "，尚未签名盖章生效"
            text = f"调解成功：{a.form_label}协议 {a.agreement_no}（{_d(a.made_on)}{eff}）。履行：{a.performance_manner or ''}，{a.performance_place or ''}，{_d(a.performance_deadline)} 前。"
        elif case.outcome:
            text = f"{case.outcome_label}（{_d(case.outcome_on)}）：{case.outcome_note or ''}" + (
                f"已告知当事人可以{case.routes_open}。" if case.routes_open else ""
            )
        else:
            text = self.tr("尚无调解结果。")
        self.outcome_label.setText(text)
        self.terms_model.set_rows(
            [
                (t.seq, [t.seq, t.text, f"{t.amount:,.2f}" if t.amount is not None else "", _d(t.due_on)], "")
                for t in (a.terms if a else ())
            ]
        )
        self.agreement_button.setText(self.tr("修改调解协议") if a else self.tr("录入调解协议"))
        self.performance_model.set_rows(
            [(p.id, [_d(p.on_date), p.status_label, p.note or ""], "") for p in case.performances]
        )
        self.follow_up_model.set_rows(
            [
                (
                    f.id,
                    [
                        _d(f.due_on),
                        _d(f.visited_on) or ("已取消" if f.cancelled else "待回访"),
                        f.visitor or "",
                        f.notes or "",
                    ],
                    "" if f.done or f.cancelled else "yellow",
                )
                for f in case.follow_ups
            ]
        )
        self.file_model.set_rows(
            [
                (
                    i.code,
                    [
                        i.no,
                        i.title,
                        "必须" if i.required else "按需",
                        ("已归入" if i.present else "缺少" if i.required else "无")
                        + (f"（{i.pages} 页）" if i.pages else "")
                        + ("" if i.generated else "　纸质")
                        + (f"　{i.note}" if i.note else ""),
                    ],
                    "red" if i.required and not i.present else "",
                )
                for i in case.file_items
            ]
        )
        open_case = case.is_open
        for b in (
            self.add_party_button,
            self.edit_party_button,
            self.notice_button,
            self.add_investigation_button,
            self.add_session_button,
            self.agreement_button,
            self.failure_button,
            self.edit_case_button,
        ):
            b.setEnabled(open_case)
        self.retire_button.setEnabled(case.can_retire)
        self.performance_button.setEnabled(open_case and a is not None)
        self.close_button.setEnabled(open_case)
        self.archive_button.setEnabled(case.can_archive)
        for view in (
            self.parties_view,
            self.investigations_view,
            self.sessions_view,
            self.performance_view,
            self.follow_up_view,
        ):
            view.resizeColumnsToContents()
        self.preview.show_case(case)

    def set_deadlines(self, text: str) -> None:
        self.deadline_label.setText(f"<span style='color:#b3261e'>⚠ {escape(text)}</span>" if text else "")

    # ---------------------------------------------------------------- actions (each returns its dialog)

    def _opened(self, dialog: QtWidgets.QDialog) -> QtWidgets.QDialog:
        dialog.accepted.connect(self._on_dialog_accepted)
        dialog.open()
        return dialog

    def _on_dialog_accepted(self) -> None:
        self.reload()
        self.changed.emit()

    def open_case_dialog(self) -> QtWidgets.QDialog:
        return self._opened(MediationCaseDialog(self.ctx, self.case, self))

    def open_party_dialog(self, party_id: int | None) -> QtWidgets.QDialog:
        assert self.case is not None
        party = next((p for p in self.case.parties if p.id == party_id), None)
        return self._opened(MediationPartyDialog(self.ctx, self.case.id, party, self))

    def open_investigation_dialog(self, inv_id: int | None) -> QtWidgets.QDialog:
        assert self.case is not None
        inv = next((i for i in self.case.investigations if i.id == inv_id), None)
        return self._opened(MediationInvestigationDialog(self.ctx, self.case, inv, self))

    def open_session_dialog(self, session_id: int | None) -> QtWidgets.QDialog:
        assert self.case is not None
        session = next((s for s in self.case.sessions if s.id == session_id), None)
        return self._opened(MediationSessionDialog(self.ctx, self.case, session, self))

    def open_agreement_dialog(self) -> QtWidgets.QDialog:
        assert self.case is not None
        return self._opened(MediationAgreementDialog(self.ctx, self.case, self))

    def open_outcome_dialog(self) -> QtWidgets.QDialog:
        assert self.case is not None
        return self._opened(MediationOutcomeDialog(self.ctx, self.case, self))

    def open_performance_dialog(self) -> QtWidgets.QDialog:
        assert self.case is not None
        return self._opened(MediationPerformanceDialog(self.ctx, self.case, self))

    def open_follow_up_dialog(self, follow_up_id: int | None) -> QtWidgets.QDialog:
        assert self.case is not None
        visit = next((f for f in self.case.follow_ups if f.id == follow_up_id), None)
        return self._opened(MediationFollowUpDialog(self.ctx, self.case, visit, self))

    def open_closing_dialog(self, archive: bool) -> QtWidgets.QDialog:
        assert self.case is not None
        return self._opened(MediationClosingDialog(self.ctx, self.case, archive, self))

    def open_retire_dialog(self) -> QtWidgets.QDialog:
        """撤销 a case entered by mistake: it keeps its number (never reused) and leaves lists and statistics."""
        case = self.case
        assert case is not None
        dialog = RetireDialog(
            self.tr("撤销案件"),
            f"{case.case_no}　{case.title}",
            lambda on, reason: med.retire_case(self.ctx, case.id, case.version, reason, on),
            date_label=self.tr("撤销日期"),
            reason_label=self.tr("撤销原因"),
            ok_text=self.tr("撤销案件"),
            note=self.tr("仅用于误登记、重复登记的案件。撤销后案件编号不再使用，案件不计入台账和统计。"),
            parent=self,
            today=self.ctx.today(),
        )
        return self._opened(dialog)

    def _on_edit_party_button_clicked(self, *_a: object) -> None:
        row = self.parties_view.currentIndex().row()
        if row >= 0:
            self.open_party_dialog(self.parties_model.row_id(row))

    def _on_follow_up_button_clicked(self, *_a: object) -> None:
        row = self.follow_up_view.currentIndex().row()
        self.open_follow_up_dialog(self.follow_up_model.row_id(row) if row >= 0 else None)

    def _on_notice_button_clicked(self) -> None:
        assert self.case is not None
        try:
            med.set_rights_notified(
                self.ctx, self.case.id, self.case.rights_notified_on or self.case.accepted_on
            )
        except Exception as exc:
            show_error(self, exc)
            return
        self._on_dialog_accepted()

    def _on_paper_button_clicked(self) -> None:
        assert self.case is not None
        row = self.file_view.currentIndex().row()
        code = self.file_model.row_id(row) if row >= 0 else None
        item = next((i for i in self.case.file_items if i.code == code), None)
        if item is None or item.generated:
            self.status_message.emit(self.tr("请选择一项纸质材料（身份证明、证据材料、履行凭证等）。"))
            return
        try:
            med.set_file_item(self.ctx, self.case.id, item.code, not item.present, item.pages, item.note)
        except Exception as exc:
            show_error(self, exc)
            return
        self._on_dialog_accepted()
