"""党员详情: who the member is, where they stand (stage, branch, 流动/失联/报到, dues) and their history, with
the actions a secretary takes from here. Sub-dialogs open window-modal (``open()``) and the card reloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import yuan
from desktop.ui.dialogs.form_dialog import SizedDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.qt import Qt, QtWidgets

MUTED = "#5f6b7a"


class PartyMemberCardDialog(SizedDialog):
    """``changed`` is true once anything was saved from here (the page then refreshes)."""

    def __init__(
        self,
        ctx: ServiceContext,
        member_id: int,
        orgs: Sequence[party.OrgNode],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.member_id, self.orgs = ctx, member_id, list(orgs)
        self.changed = False
        self.card: party.MemberCard | None = None
        self._revealed: tuple[str | None, str | None] | None = None
        self._shown_once = False
        self.setWindowTitle(self.tr("党员详情"))
        self.resize(980, 700)

        self.name_label = QtWidgets.QLabel()
        self.name_label.setObjectName("pageTitle")
        self.badge_label = QtWidgets.QLabel()
        self.badge_label.setObjectName("pageSubtitle")
        self.facts = QtWidgets.QGridLayout()
        self.facts.setHorizontalSpacing(18)
        self.facts.setVerticalSpacing(7)
        facts_card = QtWidgets.QFrame()
        facts_card.setObjectName("card")
        facts_card.setLayout(self.facts)
        self.facts.setContentsMargins(14, 12, 14, 12)

        self.edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.step_button = QtWidgets.QPushButton(icon("party"), self.tr("记录发展步骤"))
        self.pay_button = QtWidgets.QPushButton(self.tr("登记党费"))
        self.mobile_button = QtWidgets.QPushButton(self.tr("流动党员"))
        self.lost_button = QtWidgets.QPushButton(self.tr("认定失联"))
        self.check_in_button = QtWidgets.QPushButton(self.tr("进社区报到"))
        self.transfer_button = QtWidgets.QPushButton(icon("person_move"), self.tr("转出"))
        self.status_button = QtWidgets.QPushButton(self.tr("党籍状态"))
        self.reveal_button = QtWidgets.QPushButton(icon("warning", "#c46a00"), self.tr("查看完整信息"))
        actions = QtWidgets.QHBoxLayout()
        actions.setSpacing(6)
        for b in (self.edit_button, self.step_button, self.pay_button, self.mobile_button, self.lost_button,
                  self.check_in_button, self.transfer_button, self.status_button):  # fmt: skip
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.reveal_button)

        self.due_label = QtWidgets.QLabel()
        self.due_label.setObjectName("figureDetail")
        self.due_label.setWordWrap(True)
        self.steps_view, self.steps_model = rows_view(cols.step_columns(), self)
        self.payments_view, self.payments_model = rows_view(cols.payment_columns(), self)
        self.events_view, self.events_model = rows_view(cols.event_columns(), self)
        self.posts_view, self.posts_model = rows_view(cols.post_columns(), self)
        self.dues_label = QtWidgets.QLabel()
        self.dues_label.setObjectName("figureDetail")
        self.dues_label.setWordWrap(True)
        steps_page = QtWidgets.QWidget()
        sl = QtWidgets.QVBoxLayout(steps_page)
        sl.addWidget(self.due_label)
        sl.addWidget(self.steps_view, 1)
        dues_page = QtWidgets.QWidget()
        dl = QtWidgets.QVBoxLayout(dues_page)
        dl.addWidget(self.dues_label)
        dl.addWidget(self.payments_view, 1)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(steps_page, self.tr("发展历程"))
        self.tabs.addTab(dues_page, self.tr("党费"))
        self.tabs.addTab(self.events_view, self.tr("组织关系与变动"))
        self.tabs.addTab(self.posts_view, self.tr("职务"))

        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 12)
        lay.setSpacing(10)
        head = QtWidgets.QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.name_label)
        head.addWidget(self.badge_label)
        lay.addLayout(head)
        lay.addWidget(facts_card)
        lay.addLayout(actions)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(close)
        self._connect_signals()
        self.load()

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.step_button.clicked.connect(self.open_step_dialog)
        self.pay_button.clicked.connect(self.open_payment_dialog)
        self.mobile_button.clicked.connect(self._on_mobile_button_clicked)
        self.lost_button.clicked.connect(self._on_lost_button_clicked)
        self.check_in_button.clicked.connect(self.open_check_in_dialog)
        self.transfer_button.clicked.connect(self.open_transfer_dialog)
        self.status_button.clicked.connect(self.open_status_dialog)
        self.reveal_button.clicked.connect(self.open_reveal_dialog)

    # ---------------------------------------------------------------- showing

    def load(self) -> None:
        try:
            c = self.card = party.get_member(self.ctx, self.member_id)
        except Exception as exc:
            show_error(self, exc)
            return
        self.setWindowTitle(self.tr("党员详情 · {0}").format(c.name))
        self.name_label.setText(c.name)
        badges = [c.stage_label, c.org_name + (f" · {c.group_name}" if c.group_name else "")]
        if c.status != "ACTIVE":
            badges.append(f"{c.status_label}（{c.status_changed_on or ''}）")
        badges += [t for flag, t in ((c.is_mobile, self.tr("流动党员")), (c.is_lost_contact, self.tr("失联党员")),
                                     (c.active_check_in is not None, self.tr("在职党员已报到"))) if flag]  # fmt: skip
        self.badge_label.setText("　·　".join(badges))
        self._fill_facts(c)
        active = c.status == "ACTIVE"
        member = c.stage in ("FULL", "PROBATIONARY")
        self.step_button.setEnabled(active and bool(c.due))
        self.pay_button.setEnabled(active and member)
        self.mobile_button.setText(self.tr("结束流动") if c.is_mobile else self.tr("流动党员"))
        self.lost_button.setText(self.tr("恢复联系") if c.is_lost_contact else self.tr("认定失联"))
        self.mobile_button.setEnabled(active and member)
        self.lost_button.setEnabled(active and member)
        self.check_in_button.setEnabled(active and member)
        self.transfer_button.setEnabled(active and member)
        self.edit_button.setEnabled(active)
        due = "；".join(f"{d.label}：{d.when}" for d in c.due)
        self.due_label.setText(self.tr("下一步：") + due if due else self.tr("没有待办的发展步骤。"))
        self.steps_model.set_rows(c.steps)
        if not self._shown_once:
            self._shown_once = True
            self.tabs.setCurrentIndex(0 if c.steps or c.due else 1)
        self.payments_model.set_rows(c.payments)
        self.events_model.set_rows(list(reversed(c.events)))
        self.posts_model.set_rows(c.posts)
        if c.dues is not None and member:
            d = c.dues
            self.dues_label.setText(
                self.tr("{0}，每月 {1}（{2}）；交至 {3}；{4}").format(
                    d.category_label,
                    yuan(d.monthly_fen) or "—",
                    d.explanation,
                    d.paid_through or self.tr("无记录"),
                    self.tr("欠交 {0}").format(d.owed_text) if d.owed else self.tr("无欠交"),
                )
            )
        else:
            self.dues_label.setText(self.tr("尚未成为党员，不交纳党费。"))

    def _fill_facts(self, c: party.MemberCard) -> None:
        while self.facts.count():
            item = self.facts.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        ident, phone = self._revealed or (c.id_number, c.phone)
        mobile = ""
        if c.is_mobile:
            mobile = f"{c.mobile_direction_label}：{c.mobile_destination or ''}" + (
                f"（{c.mobile_since} 起，最后联系 {c.mobile_last_contact or '—'}）"
            )
        lost = f"{c.lost_since} 起，{c.lost_reason_label}" if c.is_lost_contact else ""
        check = c.active_check_in
        check_text = (
            f"{check.unit}，{check.checked_in_on} 报到，{check.claimed_post or '未认领岗位'}，服务 {check.service_hours:g} 小时"
            if check
            else ""
        )
        pairs = [
            (self.tr("性别"), c.gender),
            (self.tr("出生日期"), f"{c.birth_date}（{c.age} 岁）" if c.birth_date else ""),
            (self.tr("民族"), c.ethnicity),
            (self.tr("公民身份号码"), ident),
            (self.tr("联系电话"), phone),
            (self.tr("学历"), c.education),
            (self.tr("入党日期"), c.joined_on),
            (self.tr("转正日期"), c.confirmed_on),
            (
                self.tr("党龄"),
                f"{c.party_years} 年" if c.party_years is not None and c.stage == "FULL" else "",
            ),
            (self.tr("工作单位"), c.work_unit or c.occupation),
            (self.tr("所属网格"), c.grid_name),
            (self.tr("居民档案"), c.resident_name or self.tr("未匹配（身份证号不在居民登记中）")),
            (self.tr("家庭住址"), c.address),
            (self.tr("流动党员"), mobile),
            (self.tr("失联党员"), lost),
            (self.tr("进社区报到"), check_text),
        ]
        pairs = [(k, v) for k, v in pairs if v not in (None, "") or k in (self.tr("家庭住址"),)]
        per_row = 3
        for i, (key, value) in enumerate(pairs):
            r, col = divmod(i, per_row)
            k = QtWidgets.QLabel(key)
            k.setStyleSheet(f"color: {MUTED};")
            v = QtWidgets.QLabel(str(value) if value not in (None, "") else "—")
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            v.setWordWrap(True)
            self.facts.addWidget(k, r, col * 2)
            self.facts.addWidget(v, r, col * 2 + 1)
        for col in range(per_row):
            self.facts.setColumnStretch(col * 2 + 1, 1)

    # ---------------------------------------------------------------- actions

    def _open(self, dialog: QtWidgets.QDialog, after: Callable[[], None] | None = None) -> QtWidgets.QDialog:
        def done() -> None:
            self.changed = True
            if after is not None:
                after()
            self.load()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def open_edit_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_member_dialog import PartyMemberDialog

        assert self.card is not None
        c = self.card
        return self._open(
            PartyMemberDialog(self.ctx, self.orgs, "edit", c.edit, (c.id_number, c.phone), parent=self)
        )

    def open_step_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_step_dialog import PartyStepDialog

        assert self.card is not None
        people = party.sponsor_candidates(self.ctx, self.card.org_id)
        dialog = PartyStepDialog(self.ctx, self.card.id, self.card.name, self.card.due, people, self)
        return self._open(dialog, lambda: self._warn(dialog.result.warnings if dialog.result else ()))

    def open_payment_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_payment_dialog import PartyPaymentDialog

        assert self.card is not None and self.card.dues is not None
        return self._open(PartyPaymentDialog(self.ctx, self.card.dues, self))

    def open_check_in_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_check_in_dialog import PartyCheckInDialog

        assert self.card is not None
        return self._open(PartyCheckInDialog(self.ctx, self.card, self.card.active_check_in, self))

    def open_transfer_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_transfer_dialog import PartyTransferDialog

        assert self.card is not None
        return self._open(PartyTransferDialog(self.ctx, self.card, self))

    def open_status_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_status_dialog import PartyStatusDialog

        assert self.card is not None
        return self._open(PartyStatusDialog(self.ctx, self.card, self))

    def open_mobile_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_mobile_dialog import PartyMobileDialog

        assert self.card is not None
        return self._open(PartyMobileDialog(self.ctx, self.card, self))

    def open_lost_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_lost_dialog import PartyLostDialog

        assert self.card is not None
        return self._open(PartyLostDialog(self.ctx, self.card, self))

    def open_reveal_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_reveal_dialog import PartyRevealDialog

        assert self.card is not None
        dialog = PartyRevealDialog(self.ctx, self.card.id, self.card.name, self)

        def show() -> None:
            self._revealed = dialog.revealed
            if self.card is not None:
                self._fill_facts(self.card)

        dialog.accepted.connect(show)
        dialog.open()
        return dialog

    def _on_mobile_button_clicked(self) -> None:
        if self.card is not None and self.card.is_mobile:
            self._simple(lambda c: party.set_mobile(self.ctx, c.id, None, version=c.version))
        else:
            self.open_mobile_dialog()

    def _on_lost_button_clicked(self) -> None:
        if self.card is not None and self.card.is_lost_contact:
            self._simple(
                lambda c: party.set_lost_contact(self.ctx, c.id, None, notes="已恢复联系", version=c.version)
            )
        else:
            self.open_lost_dialog()

    def _simple(self, action: Callable[[party.MemberCard], object]) -> None:
        assert self.card is not None
        try:
            action(self.card)
        except Exception as exc:
            show_error(self, exc)
            return
        self.changed = True
        self.load()

    def _warn(self, warnings: Sequence[str]) -> None:
        if warnings:
            QtWidgets.QMessageBox.information(self, self.tr("已记录，请注意"), "\n".join(warnings))
