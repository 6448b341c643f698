"""Add or edit a Party organisation: its place in the tree, the grid it covers, its term and contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.services import party, structure
from desktop.services.context import ServiceContext
from desktop.services.party.common import ORG_KIND_LABELS
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.dialogs.party_member_dialog import org_items
from desktop.ui.qt import QtWidgets
from desktop.ui.widgets.date_field import DateField

CHILD_KIND = {
    None: "WORKING_COMMITTEE",
    "WORKING_COMMITTEE": "COMMITTEE",
    "COMMITTEE": "BRANCH",
    "GENERAL_BRANCH": "BRANCH",
    "BRANCH": "GROUP",
}


class PartyOrgDialog(FormDialog):
    """``node`` to edit, else a new organisation under ``parent_id``. ``saved_id`` once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        orgs: Sequence[party.OrgNode],
        node: party.OrgNode | None = None,
        parent_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        title = self.tr("编辑党组织") if node else self.tr("新增党组织")
        super().__init__(title, node.name if node else "", parent=parent, width=560, ctx=ctx, today=today)
        self.ctx, self.node = ctx, node
        self.saved_id: int | None = None
        parent_node = next((n for n in orgs if n.id == (node.parent_id if node else parent_id)), None)
        kind = node.kind if node else CHILD_KIND.get(parent_node.kind if parent_node else None, "BRANCH")
        self.name_edit = QtWidgets.QLineEdit(node.name if node else "")
        self.name_edit.setPlaceholderText(self.tr("如：新华社区第一网格党支部"))
        self.full_edit = QtWidgets.QLineEdit(node.full_name or "" if node else "")
        self.full_edit.setPlaceholderText(self.tr("印章上的全称，如：中共新华社区第一网格支部委员会"))
        self.kind_combo = combo([(label, k.value) for k, label in ORG_KIND_LABELS.items()], kind)
        parents = [
            (self.tr("（无，最高一级）"), None),
            *org_items(orgs, ("WORKING_COMMITTEE", "COMMITTEE", "GENERAL_BRANCH", "BRANCH")),
        ]
        self.parent_combo = combo(parents, parent_node.id if parent_node else None)
        communities = [(self.tr("（不限）"), None)] + [
            (c.name, c.id) for c in structure.list_communities(ctx)
        ]
        self.community_combo = combo(
            communities, node.community_id if node else (parent_node.community_id if parent_node else None)
        )
        self.grid_combo = QtWidgets.QComboBox()
        self.joint_check = QtWidgets.QCheckBox(self.tr("联合党支部（覆盖多个单位或网格）"))
        self.joint_check.setChecked(bool(node and node.is_joint))
        self.established_edit = DateField(
            node.established_on if node else None, optional=True, today=self.today, maximum=self.today
        )
        self.term_edit = DateField(
            node.term_start if node else None, optional=True, today=self.today, maximum=self.today
        )
        self.years_spin = QtWidgets.QSpinBox()
        self.years_spin.setRange(1, 10)
        self.years_spin.setValue(node.term_years if node else 5)
        self.years_spin.setSuffix(self.tr(" 年"))
        self.contact_edit = QtWidgets.QLineEdit(node.contact or "" if node else "")
        self.phone_edit = QtWidgets.QLineEdit(node.phone or "" if node else "")
        self.address_edit = QtWidgets.QLineEdit(node.address or "" if node else "")
        for key, label, widget, hint in (
            ("name", self.tr("名称 *"), self.name_edit, ""),
            ("full_name", self.tr("全称"), self.full_edit, ""),
            ("kind", self.tr("类别 *"), self.kind_combo, ""),
            ("parent_id", self.tr("上级党组织"), self.parent_combo, ""),
            ("community_id", self.tr("所在社区"), self.community_combo, ""),
            ("grid_id", self.tr("覆盖网格"), self.grid_combo, self.tr("网格党支部对应的网格")),
            ("is_joint", "", self.joint_check, ""),
            ("established_on", self.tr("成立日期"), self.established_edit, ""),
            (
                "term_start",
                self.tr("本届任期起始"),
                self.term_edit,
                self.tr("本届委员会（书记）选举产生之日"),
            ),
            ("term_years", self.tr("任期"), self.years_spin, self.tr("村、社区党组织每届 5 年，其他 3 年")),
            ("contact", self.tr("联系人"), self.contact_edit, ""),
            ("phone", self.tr("联系电话"), self.phone_edit, self.tr("带区号的固定电话或手机")),
            ("address", self.tr("活动场所"), self.address_edit, ""),
        ):
            self.add_row(key, label, widget, hint)
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_current_index_changed)
        self._fill_grids(node.grid_id if node else None)

    def _fill_grids(self, keep: int | None = None) -> None:
        community_id = self.community_combo.currentData()
        grids = structure.list_grids(self.ctx, community_id=community_id) if community_id else []
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（无）"), None)
        for g in grids:
            self.grid_combo.addItem(g.name, g.id)
        self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(keep), 0) if keep else 0)

    def _on_community_combo_current_index_changed(self, *_a: object) -> None:
        self._fill_grids()

    def submit(self) -> None:
        self.saved_id = party.save_org(
            self.ctx,
            party.OrgInput(
                name=self.name_edit.text(),
                kind=self.kind_combo.currentData(),
                parent_id=self.parent_combo.currentData(),
                full_name=self.full_edit.text(),
                community_id=self.community_combo.currentData(),
                grid_id=self.grid_combo.currentData(),
                is_joint=self.joint_check.isChecked(),
                established_on=self.established_edit.value(),
                term_start=self.term_edit.value(),
                term_years=self.years_spin.value(),
                contact=self.contact_edit.text(),
                phone=self.phone_edit.text(),
                address=self.address_edit.text(),
                notes=self.node.notes if self.node else None,
                id=self.node.id if self.node else None,
                version=self.node.version if self.node else None,
            ),
        )
