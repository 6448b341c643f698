"""设置 → 网格事件: categories with sub-categories, each with its time limits (一般/紧急, working days or hours)
and its responsible department; the sources and departments; who may whistle; the attachment limits. All
saved at once (``events.save_event_settings``: one audited transaction, checked as a whole).

A changed limit or department applies to events received afterwards: an event's limit and department are
fixed when it is received (only an approved extension, or a corrected holiday calendar, moves its end) —
the dialog says so, and after saving how many open events keep a limit that differs from the new rules.
"""

from __future__ import annotations

from desktop.core.errors import ValidationError
from desktop.domain.events import DEFAULT_NORMAL_LIMIT, DEFAULT_URGENT_LIMIT, TimeLimit, parse_limit
from desktop.services import events as ev
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import text_box
from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtGui, QtWidgets

ROLE = QtCore.Qt.ItemDataRole.UserRole
NAME, DEPARTMENT, NORMAL, URGENT = range(4)
HEADERS = ("类别 / 子类", "责任部门", "一般事件时限", "紧急事件时限")
INHERITED = QtGui.QColor("#7a8594")
BAD = QtGui.QColor("#b3261e")
KEEP_NOTE = (
    "修改时限或责任部门只对此后登记的事件生效：已登记的事件保持登记时确定的办理时限和责任部门"
    "（批准延期或节假日安排更正时才重算期限）。"
)


def _limit_text(limit: TimeLimit | None) -> str:
    return str(limit) if limit else ""


def _mb(kb: int) -> QtWidgets.QSpinBox:
    spin = QtWidgets.QSpinBox()
    spin.setRange(1, 2048)
    spin.setSuffix(" MB")
    spin.setValue(max(1, round(kb / 1024)))
    return spin


class _Delegate(QtWidgets.QStyledItemDelegate):
    """The department column edits with a combo of the departments; the others with a line."""

    def __init__(self, dialog: EventSettingsDialog) -> None:
        super().__init__(dialog.tree)
        self.dialog = dialog

    def createEditor(
        self, parent: QtWidgets.QWidget, option: object, index: QtCore.QModelIndex
    ) -> QtWidgets.QWidget:
        if index.column() == DEPARTMENT:
            combo = QtWidgets.QComboBox(parent)
            combo.addItem(self.dialog.tr("（沿用）"), "")
            for name in self.dialog.department_names():
                combo.addItem(name, name)
            return combo
        edit = QtWidgets.QLineEdit(parent)
        if index.column() != NAME:
            edit.setPlaceholderText(self.dialog.tr("如 5个工作日、24小时；空白沿用"))
        return edit

    def setEditorData(self, editor: QtWidgets.QWidget, index: QtCore.QModelIndex) -> None:
        value = str(index.data(ROLE) or "")
        if isinstance(editor, QtWidgets.QComboBox):
            if value and editor.findData(value) < 0:
                editor.addItem(value, value)
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QtWidgets.QLineEdit):
            editor.setText(value)

    def setModelData(
        self, editor: QtWidgets.QWidget, model: QtCore.QAbstractItemModel, index: QtCore.QModelIndex
    ) -> None:
        item = self.dialog.tree.itemFromIndex(index)
        if isinstance(editor, QtWidgets.QComboBox):
            self.dialog.set_value(item, index.column(), str(editor.currentData() or ""))
        elif isinstance(editor, QtWidgets.QLineEdit):
            self.dialog.set_value(item, index.column(), editor.text())


class EventSettingsDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            self.tr("网格事件设置"),
            note=self.tr("事件类别与时限、来源与职能部门、吹哨人员与附件大小。保存时一并检查、一并生效。"),
            parent=parent,
            ctx=ctx,
            width=920,
        )
        self.settings = ev.event_settings(ctx)
        #: after saving: open events that keep a limit other than the new rules give
        self.kept = 0
        #: the cell a refused limit is in (shown once the error is)
        self.error_item: tuple[QtWidgets.QTreeWidgetItem, int] | None = None
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self._categories_tab(), self.tr("事件类别与时限"))
        self.tabs.addTab(self._dictionaries_tab(), self.tr("来源与职能部门"))
        self.tabs.addTab(self._whistle_tab(), self.tr("吹哨与附件"))
        self.extra.addWidget(self.tabs)
        self.fields = {
            "categories": self.tree,
            "subcategories": self.tree,
            "amount": self.tree,
            "unit": self.tree,
            "sources": self.sources_edit,
            "departments": self.departments_edit,
            "whistlers": self.whistlers_edit,
            "file_kb": self.file_spin,
            "event_kb": self.event_spin,
        }
        self.finish_form()
        self._fill(self.settings.categories)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(980, 660).boundedTo(super().sizeHint().expandedTo(QtCore.QSize(980, 660)))

    # ---------------------------------------------------------------- tabs

    def _categories_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(page)
        bar = QtWidgets.QHBoxLayout()
        self.add_category_button = QtWidgets.QPushButton(icon("add"), self.tr("新增类别"))
        self.add_sub_button = QtWidgets.QPushButton(icon("add"), self.tr("新增子类"))
        self.remove_button = QtWidgets.QPushButton(icon("mdi6.delete-outline"), self.tr("删除"))
        self.up_button = QtWidgets.QPushButton(self.tr("上移"))
        self.down_button = QtWidgets.QPushButton(self.tr("下移"))
        for b in (self.add_category_button, self.add_sub_button, self.remove_button, self.up_button,
                  self.down_button):  # fmt: skip
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setColumnCount(len(HEADERS))
        self.tree.setHeaderLabels([self.tr(h) for h in HEADERS])
        self.tree.setItemDelegate(_Delegate(self))
        self.tree.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(300)
        for col, width in enumerate((230, 200, 190)):
            self.tree.setColumnWidth(col, width)
        lay.addWidget(self.tree, 1)
        hint = QtWidgets.QLabel(
            self.tr(
                "双击单元格修改。时限写作“5个工作日”或“24小时”；空白表示沿用（子类沿用所属类别，类别沿用默认："
                "一般 5个工作日，紧急 24小时）。删除的类别不再出现在登记表中，已有事件保留原类别。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        keep = QtWidgets.QLabel("ⓘ " + self.tr(KEEP_NOTE))
        keep.setWordWrap(True)
        keep.setStyleSheet("color:#8a5300;")
        lay.addWidget(keep)
        self.add_category_button.clicked.connect(self.add_category)
        self.add_sub_button.clicked.connect(self.add_subcategory)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        return page

    def _dictionaries_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(page)
        self.sources_edit = text_box("\n".join(self.settings.sources), 240)
        self.departments_edit = text_box("\n".join(self.settings.departments), 240)
        grid.addWidget(QtWidgets.QLabel(self.tr("事件来源（每行一个）")), 0, 0)
        grid.addWidget(QtWidgets.QLabel(self.tr("职能部门（每行一个）")), 0, 1)
        grid.addWidget(self.sources_edit, 1, 0)
        grid.addWidget(self.departments_edit, 1, 1)
        hint = QtWidgets.QLabel(
            self.tr(
                "删去的来源或部门不再出现在登记表和派单中，已有事件不受影响。"
                "事件类别的责任部门必须在职能部门之中。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        grid.addWidget(hint, 2, 0, 1, 2)
        return page

    def _whistle_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(page)
        self.whistlers_edit = text_box("\n".join(self.settings.whistlers), 160)
        self.whistlers_edit.setPlaceholderText(self.tr("留空表示不限制"))
        form.addRow(self.tr("可以吹哨的人员"), self.whistlers_edit)
        hint = QtWidgets.QLabel(
            self.tr(
                "每行一个姓名或职务（如“社区书记张丽”）。填写后只有名单中的人员能吹哨，防止“乱吹哨”；"
                "吹哨时填写的办理人或当前登录用户须在名单中。"
            )
        )
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        form.addRow("", hint)
        limits = self.settings.attachments
        self.file_spin = _mb(limits.file_kb)
        self.event_spin = _mb(limits.event_kb)
        form.addRow(self.tr("单个附件不超过"), self.file_spin)
        form.addRow(self.tr("每个事件附件合计不超过"), self.event_spin)
        return page

    # ---------------------------------------------------------------- the category tree

    def department_names(self) -> list[str]:
        return [x.strip() for x in self.departments_edit.toPlainText().splitlines() if x.strip()]

    def _new_item(self, name: str, rule: ev.CategoryRule) -> QtWidgets.QTreeWidgetItem:
        item = QtWidgets.QTreeWidgetItem()
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable)
        for col, value in ((NAME, name), (DEPARTMENT, rule.department or ""),
                           (NORMAL, _limit_text(rule.normal)), (URGENT, _limit_text(rule.urgent))):  # fmt: skip
            item.setData(col, ROLE, value)
        return item

    def _fill(self, categories: tuple[ev.EventCategory, ...]) -> None:
        self.tree.clear()
        for cat in categories:
            top = self._new_item(cat.code, cat.rule)
            self.tree.addTopLevelItem(top)
            for sub in cat.subcategories:
                top.addChild(self._new_item(sub.label, sub.rule))
        self.tree.expandAll()
        self.refresh_display()

    def refresh_display(self) -> None:
        """Show each cell: its own value, or in grey what it inherits; a limit that does not parse in red."""
        defaults = {NORMAL: DEFAULT_NORMAL_LIMIT, URGENT: DEFAULT_URGENT_LIMIT}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            own = self._show(
                top, self.tr("（未指定）"), {c: self.tr("默认 ") + str(defaults[c]) for c in defaults}
            )
            for j in range(top.childCount()):
                self._show(top.child(j), self.tr("同类别：") + own[DEPARTMENT], {
                    c: self.tr("同类别：") + own[c] for c in defaults
                })  # fmt: skip

    def _show(self, item: QtWidgets.QTreeWidgetItem, no_dept: str, inherit: dict[int, str]) -> dict[int, str]:
        """Paint ``item``; returns what its children inherit from it (department, limits as text)."""
        item.setText(NAME, str(item.data(NAME, ROLE) or ""))
        effective: dict[int, str] = {}
        dept = str(item.data(DEPARTMENT, ROLE) or "")
        item.setText(DEPARTMENT, dept or no_dept)
        item.setForeground(DEPARTMENT, QtGui.QBrush() if dept else QtGui.QBrush(INHERITED))
        effective[DEPARTMENT] = dept or no_dept.split("：")[-1]
        for col, inherited in inherit.items():
            text = str(item.data(col, ROLE) or "")
            try:
                limit = parse_limit(text)
            except ValidationError as exc:
                item.setText(col, text)
                item.setForeground(col, QtGui.QBrush(BAD))
                item.setToolTip(col, exc.message)
                effective[col] = text
                continue
            item.setToolTip(col, "")
            item.setText(col, str(limit) if limit else inherited)
            item.setForeground(col, QtGui.QBrush() if limit else QtGui.QBrush(INHERITED))
            effective[col] = str(limit) if limit else inherited.split("：")[-1].removeprefix(self.tr("默认 "))
        return effective

    def set_value(self, item: QtWidgets.QTreeWidgetItem, column: int, text: str) -> None:
        """A cell edited (the delegate, or a test): a well-formed limit is written the standard way."""
        text = text.strip()
        if column in (NORMAL, URGENT):
            try:
                limit = parse_limit(text)
            except ValidationError:
                limit = None
            else:
                text = _limit_text(limit)
        item.setData(column, ROLE, text)
        self.refresh_display()

    def _top(self) -> QtWidgets.QTreeWidgetItem | None:
        item = self.tree.currentItem()
        return item.parent() or item if item is not None else None

    def add_category(self) -> QtWidgets.QTreeWidgetItem:
        item = self._new_item(self.tr("新类别"), ev.CategoryRule())
        self.tree.addTopLevelItem(item)
        self.refresh_display()
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, NAME)
        return item

    def add_subcategory(self) -> QtWidgets.QTreeWidgetItem | None:
        top = self._top()
        if top is None:
            self.errors.show_message(self.tr("请先选中一个类别，再新增子类。"), "categories")
            return None
        item = self._new_item(self.tr("新子类"), ev.CategoryRule())
        top.addChild(item)
        top.setExpanded(True)
        self.refresh_display()
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, NAME)
        return item

    def remove_current(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent()
        if parent is not None:
            parent.removeChild(item)
        else:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self.refresh_display()

    def move_current(self, step: int) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent()
        if parent is not None:
            i = parent.indexOfChild(item)
            if 0 <= i + step < parent.childCount():
                parent.insertChild(i + step, parent.takeChild(i))
        else:
            i = self.tree.indexOfTopLevelItem(item)
            if 0 <= i + step < self.tree.topLevelItemCount():
                expanded = item.isExpanded()
                self.tree.insertTopLevelItem(i + step, self.tree.takeTopLevelItem(i))
                item.setExpanded(expanded)
        self.tree.setCurrentItem(item)

    def _rule(self, item: QtWidgets.QTreeWidgetItem, where: str) -> ev.CategoryRule:
        limits: dict[int, TimeLimit | None] = {}
        for col, label in ((NORMAL, "一般事件时限"), (URGENT, "紧急事件时限")):
            try:
                limits[col] = parse_limit(str(item.data(col, ROLE) or ""))
            except ValidationError as exc:
                self.error_item = (item, col)
                raise ValidationError(f"“{where}”的{label}：{exc.message}", field="categories") from exc
        return ev.CategoryRule(str(item.data(DEPARTMENT, ROLE) or "") or None, limits[NORMAL], limits[URGENT])

    def categories(self) -> tuple[ev.EventCategory, ...]:
        self.error_item = None
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            code = str(top.data(NAME, ROLE) or "")
            subs = []
            for j in range(top.childCount()):
                child = top.child(j)
                label = str(child.data(NAME, ROLE) or "")
                subs.append(ev.EventSubcategory(label, self._rule(child, f"{code} / {label}")))
            out.append(ev.EventCategory(code, self._rule(top, code), tuple(subs)))
        return tuple(out)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """Enter in a cell of the tree ends that cell's edit, never the dialog (the delegate commits the cell
        after the key has gone on to the dialog's default button)."""
        keys = (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
        focus = QtWidgets.QApplication.focusWidget()
        if (
            event.key() in keys
            and focus is not None
            and (focus is self.tree or self.tree.isAncestorOf(focus))
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    # ---------------------------------------------------------------- saving

    def submit(self) -> None:
        assert self.ctx is not None

        def lines(box: QtWidgets.QPlainTextEdit) -> tuple[str, ...]:
            return tuple(x for x in box.toPlainText().splitlines() if x.strip())

        settings = ev.EventSettings(
            sources=lines(self.sources_edit),
            departments=lines(self.departments_edit),
            categories=self.categories(),
            whistlers=lines(self.whistlers_edit),
            attachments=ev.AttachmentLimits(self.file_spin.value() * 1024, self.event_spin.value() * 1024),
        )
        self.kept = ev.save_event_settings(self.ctx, settings)

    def report_error(self, exc: Exception) -> None:
        """The tab holding the field in error comes to the front first."""
        if isinstance(exc, ValidationError):
            widget = self.fields.get(exc.field or "")
            for i in range(self.tabs.count()):
                page = self.tabs.widget(i)
                if widget is not None and page.isAncestorOf(widget):
                    self.tabs.setCurrentIndex(i)
        super().report_error(exc)
        if self.error_item is not None:
            item, col = self.error_item
            self.tree.setCurrentItem(item, col)
            QtCore.QTimer.singleShot(
                0,
                lambda: self.tree.scrollToItem(item, QtWidgets.QAbstractItemView.ScrollHint.PositionAtCenter),
            )
