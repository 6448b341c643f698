"""任职: a full member of the organisation takes a post (书记, 副书记, 组织/宣传/纪检委员, 党小组长)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party.common import POST_LABELS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField


class PartyPostDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        org: party.OrgNode,
        people: Sequence[tuple[int, str, str]],
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(self.tr("任职"), org.name, parent=parent, width=460, ctx=ctx, today=today)
        self.ctx, self.org = ctx, org
        self.saved_id: int | None = None
        posts = [
            (label, p.value)
            for p, label in POST_LABELS.items()
            if (p == "GROUP_LEADER") == (org.kind == "GROUP")
        ]
        held = {p.post for p in org.posts}
        free = next((value for _l, value in posts if value not in held), None)
        self.post_combo = combo(posts, free)
        self.member_combo = combo([(f"{n}（{o}）", i) for i, n, o in people])
        self.member_combo.setEditable(True)
        self.member_combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.date_edit = DateField(org.term_start, today=self.today, maximum=self.today)
        self.add_row("post", self.tr("职务 *"), self.post_combo)
        self.add_row(
            "member_id", self.tr("人员 *"), self.member_combo, self.tr("本组织的正式党员，可输入姓名查找")
        )
        self.add_row("from_date", self.tr("任职日期 *"), self.date_edit)

    def submit(self) -> None:
        self.saved_id = party.assign_post(
            self.ctx,
            party.PostInput(
                self.org.id,
                self.member_combo.currentData() or 0,
                self.post_combo.currentData(),
                self.date_edit.date().toPython(),
            ),
        )
