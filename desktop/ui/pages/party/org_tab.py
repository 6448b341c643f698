"""组织 tab: the organisation picked in the tree — its facts, term, warnings and posts — with edit, add a
sub-organisation, appoint and relieve posts, and retire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desktop.services import party
from desktop.ui.dialogs.retire_dialog import RetireDialog
from desktop.ui.icons import icon
from desktop.ui.models import party_columns as cols
from desktop.ui.models.party_rows_model import rows_view
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import Qt, QtWidgets


class OrgTab(PartyTab):
    def __init__(self, ctx: Any, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.node: party.OrgNode | None = None
        self.orgs: list[party.OrgNode] = []
        self.title_label = QtWidgets.QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.child_button = QtWidgets.QPushButton(icon("add"), self.tr("新增下级组织"))
        self.retire_button = QtWidgets.QPushButton(icon("retire"), self.tr("撤销"))
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title_label, 1)
        for b in (self.edit_button, self.child_button, self.retire_button):
            top.addWidget(b)
        self.facts = QtWidgets.QFormLayout()
        self.facts.setHorizontalSpacing(16)
        self.facts.setVerticalSpacing(6)
        facts_card = QtWidgets.QFrame()
        facts_card.setObjectName("card")
        facts_card.setLayout(self.facts)
        self.facts.setContentsMargins(14, 10, 14, 10)
        self.warnings_label = QtWidgets.QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        posts_title = QtWidgets.QLabel(self.tr("班子成员（现任）"))
        posts_title.setObjectName("sectionTitle")
        self.appoint_button = QtWidgets.QPushButton(icon("person_add"), self.tr("任职…"))
        self.relieve_button = QtWidgets.QPushButton(self.tr("免职"))
        self.relieve_button.setEnabled(False)
        posts_bar = QtWidgets.QHBoxLayout()
        posts_bar.addWidget(posts_title, 1)
        posts_bar.addWidget(self.appoint_button)
        posts_bar.addWidget(self.relieve_button)
        self.posts_table, self.posts_model = rows_view(cols.post_columns(), self)
        self.posts_table.setObjectName("partyPostTable")
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(top)
        lay.addWidget(facts_card)
        lay.addWidget(self.warnings_label)
        lay.addLayout(posts_bar)
        lay.addWidget(self.posts_table, 1)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.child_button.clicked.connect(self.open_child_dialog)
        self.retire_button.clicked.connect(self.open_retire_dialog)
        self.appoint_button.clicked.connect(self.open_post_dialog)
        self.relieve_button.clicked.connect(self.open_relieve_dialog)
        self.posts_table.selectionModel().selectionChanged.connect(self._on_posts_selection_changed)

    def fetch(self):
        ctx = self.ctx
        return lambda: party.list_org_tree(ctx)

    def show_result(self, nodes: list[party.OrgNode]) -> None:
        self.orgs = nodes
        self.node = next(
            (n for n in nodes if n.id == self.org_id), nodes[0] if nodes and self.org_id is None else None
        )
        n = self.node
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for b in (self.edit_button, self.child_button, self.retire_button, self.appoint_button):
            b.setEnabled(n is not None)
        self.child_button.setEnabled(n is not None and n.kind != "GROUP")
        if n is None:
            self.title_label.setText(self.tr("还没有党组织，请先新增党工委或社区党组织。"))
            self.child_button.setEnabled(True)
            self.warnings_label.clear()
            self.posts_model.set_rows([])
            return
        self.title_label.setText(f"{n.kind_label} · {n.name}")
        members = self.tr("正式党员 {0} 名、预备党员 {1} 名；发展中 {2} 人").format(
            n.full_members, n.probationary, n.recruits
        )
        if n.kind in ("WORKING_COMMITTEE", "COMMITTEE", "GENERAL_BRANCH"):
            members = self.tr("所属党员共 {0} 名").format(n.subtree_members) + (
                self.tr("；直属 {0} 名").format(n.members) if n.members else ""
            )
        term = ""
        if n.term_start:
            term = self.tr("{0} 起，{1} 年，至 {2}").format(n.term_start, n.term_years, n.term_end)
        for label, value in (
            (self.tr("全称"), n.full_name),
            (self.tr("党员"), members),
            (
                self.tr("书记") if n.kind != "GROUP" else self.tr("党小组长"),
                n.secretary or self.tr("（未配备）"),
            ),
            (
                self.tr("社区、网格"),
                "，".join(x for x in (n.community_name, n.grid_name) if x)
                + (self.tr("（联合党支部）") if n.is_joint else ""),
            ),
            (self.tr("成立日期"), n.established_on),
            (self.tr("本届任期"), term),
            (self.tr("联系人、电话"), " ".join(x for x in (n.contact, n.phone) if x)),
        ):
            if value:
                v = QtWidgets.QLabel(str(value))
                v.setWordWrap(True)
                self.facts.addRow(label, v)
        if n.warnings:
            items = "".join(
                f"<li style='color:{'#b3261e' if w.serious else '#5f6b7a'}'>{w.text}</li>" for w in n.warnings
            )
            self.warnings_label.setText(
                f"<b>{self.tr('提醒')}</b><ul style='margin:2px 0 0 -20px'>{items}</ul>"
            )
        else:
            self.warnings_label.setText(f"<span style='color:#2e7d32'>{self.tr('组织设置符合要求。')}</span>")
        self.posts_model.set_rows(n.posts)
        self._on_posts_selection_changed()

    def _after(self, dialog: QtWidgets.QDialog, message: str) -> QtWidgets.QDialog:
        def done() -> None:
            self.status_message.emit(message)
            self.changed.emit()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def open_edit_dialog(self) -> QtWidgets.QDialog | None:
        from desktop.ui.dialogs.party_org_dialog import PartyOrgDialog

        if self.node is None:
            return None
        return self._after(
            PartyOrgDialog(self.ctx, self.orgs, self.node, parent=self), self.tr("已保存党组织")
        )

    def open_child_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_org_dialog import PartyOrgDialog

        parent_id = self.node.id if self.node else None
        return self._after(
            PartyOrgDialog(self.ctx, self.orgs, None, parent_id, self), self.tr("已新增党组织")
        )

    def open_post_dialog(self) -> QtWidgets.QDialog | None:
        from desktop.ui.dialogs.party_post_dialog import PartyPostDialog

        if self.node is None:
            return None
        people = party.sponsor_candidates(self.ctx, self.node.id)
        return self._after(PartyPostDialog(self.ctx, self.node, people, self), self.tr("已任职"))

    def selected_post(self) -> party.PostRow | None:
        rows = self.posts_table.selectionModel().selectedRows()
        return self.posts_model.row(rows[0].row()) if rows else None

    def _on_posts_selection_changed(self, *_a: object) -> None:
        self.relieve_button.setEnabled(self.selected_post() is not None)

    def open_relieve_dialog(self) -> QtWidgets.QDialog | None:
        post = self.selected_post()
        if post is None:
            return None

        def submit(day: dt.date, _reason: str) -> None:
            party.end_post(self.ctx, post.id, day, post.version)

        dialog = RetireDialog(
            self.tr("免职"),
            self.tr("{0} 不再担任{1}").format(post.member_name, post.post_label),
            submit,
            date_label=self.tr("免职日期 *"),
            reason_label=self.tr("原因 *"),
            reason_hint=self.tr("如：换届、工作调动"),
            parent=self,
            today=self.ctx.today(),
        )
        return self._after(dialog, self.tr("已免职"))

    def open_retire_dialog(self) -> QtWidgets.QDialog | None:
        node = self.node
        if node is None:
            return None

        def submit(day: dt.date, reason: str) -> None:
            party.retire_org(self.ctx, node.id, day, reason, node.version)

        dialog = RetireDialog(
            self.tr("撤销党组织"),
            node.name,
            submit,
            note=self.tr("须先调整其党员和下级组织；撤销后记录保留。"),
            parent=self,
            today=self.ctx.today(),
        )
        return self._after(dialog, self.tr("已撤销党组织"))
