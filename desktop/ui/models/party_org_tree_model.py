"""The Party organisation tree (党工委 → 党委/党总支 → 党支部 → 党小组) as a two-column tree model.

Column 0 shows the name with a warning mark when a rule is broken (the tooltip lists the warnings);
column 1 the number of 党员 (正式 + 预备) in the organisation and below it.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.services.party import OrgNode
from desktop.ui.icons import icon
from desktop.ui.qt import Qt, QtCore, QtGui

ID_ROLE = Qt.ItemDataRole.UserRole
WARNING_COLOUR = "#b3261e"
_NO_INDEX = QtCore.QModelIndex()


class PartyOrgTreeModel(QtCore.QAbstractItemModel):
    NAME, MEMBERS = range(2)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[OrgNode] = []
        self._children: dict[int | None, list[int]] = {None: []}  # parent id → positions in _nodes
        self._pos: dict[int, int] = {}  # org id → position
        self._headers = [self.tr("党组织"), self.tr("党员")]

    # ---------------------------------------------------------------- data in / out

    def set_nodes(self, nodes: Sequence[OrgNode]) -> None:
        self.beginResetModel()
        self._nodes = list(nodes)
        self._pos = {n.id: i for i, n in enumerate(self._nodes)}
        self._children = {None: []}
        for i, n in enumerate(self._nodes):
            parent = n.parent_id if n.parent_id in self._pos else None
            self._children.setdefault(parent, []).append(i)
        self.endResetModel()

    def node(self, index: QtCore.QModelIndex) -> OrgNode | None:
        if not index.isValid():
            return None
        pos = index.internalId() - 1
        return self._nodes[pos] if 0 <= pos < len(self._nodes) else None

    def node_by_id(self, org_id: int) -> OrgNode | None:
        pos = self._pos.get(org_id)
        return None if pos is None else self._nodes[pos]

    def nodes(self) -> list[OrgNode]:
        return list(self._nodes)

    def index_of(self, org_id: int, column: int = 0) -> QtCore.QModelIndex:
        pos = self._pos.get(org_id)
        if pos is None:
            return QtCore.QModelIndex()
        n = self._nodes[pos]
        parent = n.parent_id if n.parent_id in self._pos else None
        return self.createIndex(self._children[parent].index(pos), column, pos + 1)

    # ---------------------------------------------------------------- the model

    def index(self, row: int, column: int, parent: QtCore.QModelIndex = _NO_INDEX) -> QtCore.QModelIndex:
        if column < 0 or column >= len(self._headers):
            return QtCore.QModelIndex()
        parent_node = self.node(parent) if parent.isValid() else None
        if parent.isValid() and (parent_node is None or parent.column() != 0):
            return QtCore.QModelIndex()
        kids = self._children.get(parent_node.id if parent_node else None, [])
        if not 0 <= row < len(kids):
            return QtCore.QModelIndex()
        return self.createIndex(row, column, kids[row] + 1)

    def parent(self, index: QtCore.QModelIndex = _NO_INDEX) -> QtCore.QModelIndex:
        node = self.node(index)
        if node is None or node.parent_id not in self._pos:
            return QtCore.QModelIndex()
        return self.index_of(node.parent_id)

    def rowCount(self, parent: QtCore.QModelIndex = _NO_INDEX) -> int:
        if not parent.isValid():
            return len(self._children.get(None, []))
        if parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(self._children.get(node.id, [])) if node else 0

    def columnCount(self, parent: QtCore.QModelIndex = _NO_INDEX) -> int:
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        serious = node.serious_warnings
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NAME:
                return self.short_name(node)
            return str(node.subtree_members) if node.subtree_members or node.kind != "GROUP" else ""
        if role == ID_ROLE:
            return node.id
        if role == Qt.ItemDataRole.DecorationRole and col == self.NAME:
            if serious:
                return icon("warning", WARNING_COLOUR)
            return icon(
                "party" if node.kind != "GROUP" else "person", "#b3261e" if node.depth == 0 else "#5f6b7a"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{node.kind_label}：{node.full_name or node.name}"]
            if node.secretary:
                lines.append(("党小组长：" if node.kind == "GROUP" else "书记：") + node.secretary)
            lines += [f"⚠ {w.text}" if w.serious else f"· {w.text}" for w in node.warnings]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and serious and col == self.NAME:
            return QtGui.QColor(WARNING_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.MEMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def short_name(self, node: OrgNode) -> str:
        """新华社区第二网格党支部 → 第二网格党支部 under 新华社区党委 (the tooltip has the full name)."""
        parent = self.node_by_id(node.parent_id) if node.parent_id is not None else None
        prefix = ""
        if parent is not None and parent.depth > 0:
            prefix = parent.community_name or parent.name.removesuffix(parent.kind_label)
        rest = node.name.removeprefix(prefix) if prefix else node.name
        return rest if rest and rest != node.name else node.name

    def flags(self, index: QtCore.QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
