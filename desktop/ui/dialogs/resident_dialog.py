"""新增/编辑居民: the form. Errors from the service are shown under the field they concern; input is kept.

Full 身份证号 and phone are never pre-filled from the database: the form shows the masked value as a
hint and keeps the stored value unless a new one is typed — unless the user has just revealed them
(audited) on the card, in which case they are filled in.
"""

from __future__ import annotations

from desktop.core.errors import ConflictError, ShequError, ValidationError
from desktop.domain.identity import (
    birth_date_from_id,
    gender_from_id,
    is_valid_id_number,
    normalize_id_number,
)
from desktop.services import dictionaries, residents, structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets
from desktop.ui.widgets.date_field import DateField

HOUSEHOLD_FIELDS = ("estate", "building", "unit", "room")


class ResidentDialog(FormDialog):
    """``saved_id``/``saved_name`` are set once the resident is saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        card: residents.ResidentCard | None = None,
        revealed: residents.RevealedIdentity | None = None,
        community_id: int | None = None,
        household: residents.HouseholdCard | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            (self.tr("编辑居民 - ") + card.name) if card else self.tr("新增居民"), parent=parent, ctx=ctx
        )
        self.ctx, self.card, self.revealed = ctx, card, revealed
        self.saved_id: int | None = None
        self.saved_name = ""
        self._household_id: int | None = None
        self._household_text = ""
        self.resize(920, 480)
        #: errors are shown under the field they concern (``field_errors``), general ones above the buttons
        self.widgets: dict[str, QtWidgets.QWidget] = {}
        self.field_errors: dict[str, QtWidgets.QLabel] = {}

        personal = QtWidgets.QGroupBox(self.tr("个人信息"))
        pf = self._form(personal)
        self.name_edit = QtWidgets.QLineEdit()
        self.name_edit.setMaxLength(50)
        self.gender_combo = QtWidgets.QComboBox()
        for text, value in ((self.tr("（按身份证号）"), None), (self.tr("男"), "男"), (self.tr("女"), "女")):
            self.gender_combo.addItem(text, value)
        self.ethnicity_combo = QtWidgets.QComboBox()
        self.ethnicity_combo.setEditable(True)
        self.ethnicity_combo.addItems(dictionaries.ETHNICITIES)
        self.id_edit = QtWidgets.QLineEdit()
        self.id_edit.setMaxLength(24)
        self.birth_edit = DateField(
            optional=True, empty_text=self.tr("（按身份证号）"), today=self.today, maximum=self.today
        )
        self.phone_edit = QtWidgets.QLineEdit()
        self.kind_combo = QtWidgets.QComboBox()
        for value, label in dictionaries.RESIDENCE_KIND_LABELS.items():
            self.kind_combo.addItem(label + self.tr("人口"), value)
        self.notes_edit = QtWidgets.QPlainTextEdit()
        self.notes_edit.setFixedHeight(64)
        for key, label, widget in (
            ("name", self.tr("姓名 *"), self.name_edit),
            ("gender", self.tr("性别"), self.gender_combo),
            ("ethnicity", self.tr("民族"), self.ethnicity_combo),
            ("id_number", self.tr("身份证号"), self.id_edit),
            ("birth_date", self.tr("出生日期"), self.birth_edit),
            ("phone", self.tr("联系电话"), self.phone_edit),
            ("residence_kind", self.tr("户籍/流动"), self.kind_combo),
            ("notes", self.tr("备注"), self.notes_edit),
        ):
            self._add_field(pf, key, label, widget)

        place = QtWidgets.QGroupBox(self.tr("居住与标签"))
        rf = self._form(place)
        self.community_combo = QtWidgets.QComboBox()
        self.grid_combo = QtWidgets.QComboBox()
        mode_box = QtWidgets.QWidget()
        ml = QtWidgets.QVBoxLayout(mode_box)
        ml.setContentsMargins(0, 0, 0, 0)
        radios = QtWidgets.QHBoxLayout()
        self.existing_radio = QtWidgets.QRadioButton(self.tr("已有住户"))
        self.new_radio = QtWidgets.QRadioButton(self.tr("新建住户"))
        radios.addWidget(self.existing_radio)
        radios.addWidget(self.new_radio)
        radios.addStretch(1)
        ml.addLayout(radios)
        self.household_edit = QtWidgets.QLineEdit()
        self.household_edit.setPlaceholderText(self.tr("输入住址查找，如“新华小区3号楼”"))
        self.household_model = QtGui.QStandardItemModel(self)
        self.completer = QtWidgets.QCompleter(self.household_model, self)
        self.completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.household_edit.setCompleter(self.completer)
        ml.addWidget(self.household_edit)
        self.new_household = QtWidgets.QWidget()
        nl = QtWidgets.QHBoxLayout(self.new_household)
        nl.setContentsMargins(0, 0, 0, 0)
        nl.setSpacing(4)
        self.address_edits: dict[str, QtWidgets.QLineEdit] = {}
        for key, hint, stretch in (
            ("estate", self.tr("小区/街路"), 3),
            ("building", self.tr("楼栋"), 1),
            ("unit", self.tr("单元"), 1),
            ("room", self.tr("门牌"), 1),
        ):
            edit = QtWidgets.QLineEdit()
            edit.setPlaceholderText(hint)
            self.address_edits[key] = edit
            nl.addWidget(edit, stretch)
        ml.addWidget(self.new_household)
        self.relation_combo = QtWidgets.QComboBox()
        self.relation_combo.setEditable(True)
        self.relation_combo.addItems(["", *dictionaries.RELATIONS_TO_HEAD])
        self.tags_box = QtWidgets.QWidget()
        tl = QtWidgets.QGridLayout(self.tags_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setVerticalSpacing(2)
        self.tag_checks: dict[str, QtWidgets.QCheckBox] = {}
        wanted = set(card.tags) if card else set()
        for i, tag in enumerate(list(dict.fromkeys([*residents.special_groups(ctx), *wanted]))):
            check = QtWidgets.QCheckBox(tag)
            check.setChecked(tag in wanted)
            self.tag_checks[tag] = check
            tl.addWidget(check, i // 2, i % 2)
        tl.setRowStretch(tl.rowCount(), 1)
        self.tags_box.setObjectName("tagsBox")
        self.tags_box.setStyleSheet("QWidget#tagsBox { background: transparent; }")
        tags_scroll = QtWidgets.QScrollArea()
        tags_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tags_scroll.viewport().setAutoFillBackground(False)
        tags_scroll.setWidget(self.tags_box)
        tags_scroll.setWidgetResizable(True)
        tags_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        tags_scroll.setMinimumHeight(200)
        for key, label, widget in (
            ("community_id", self.tr("社区 *"), self.community_combo),
            ("grid_id", self.tr("网格"), self.grid_combo),
            ("household_id", self.tr("住户"), mode_box),
            ("relation_to_head", self.tr("与户主关系"), self.relation_combo),
            ("tags", self.tr("特殊人群"), tags_scroll),
        ):
            self._add_field(rf, key, label, widget)
        for key in HOUSEHOLD_FIELDS:  # errors about the new household's address show under 住户
            self.widgets[key] = self.address_edits[key]
            self.field_errors[key] = self.field_errors["household_id"]

        self.general_error = self.error_label
        self.buttons.setStandardButtons(
            QtWidgets.QDialogButtonBox.StandardButton.Save | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        columns = QtWidgets.QHBoxLayout()
        columns.addWidget(personal, 1)
        columns.addWidget(place, 1)
        self.extra.addLayout(columns, 1)

        self._fill(community_id, household)
        self.id_edit.textChanged.connect(self._on_id_edit_text_changed)
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_current_index_changed)
        self.existing_radio.toggled.connect(self._on_mode_toggled)
        self.household_edit.textEdited.connect(self._on_household_edit_text_edited)
        self.completer.activated[QtCore.QModelIndex].connect(self._on_completer_activated)
        self._on_mode_toggled()

    # ---------------------------------------------------------------- building

    @staticmethod
    def _form(box: QtWidgets.QGroupBox) -> QtWidgets.QFormLayout:
        outer = QtWidgets.QVBoxLayout(box)
        form = QtWidgets.QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(6)
        outer.addLayout(form)
        outer.addStretch(1)
        return form

    def _add_field(
        self, form: QtWidgets.QFormLayout, key: str, label: str, widget: QtWidgets.QWidget
    ) -> None:
        holder = QtWidgets.QWidget()
        vl = QtWidgets.QVBoxLayout(holder)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(2)
        vl.addWidget(widget)
        error = QtWidgets.QLabel("")
        error.setObjectName("errorText")
        error.setWordWrap(True)
        error.hide()
        vl.addWidget(error)
        form.addRow(label, holder)
        self.widgets[key], self.field_errors[key] = widget, error

    def _fill(self, community_id: int | None, household: residents.HouseholdCard | None) -> None:
        c = self.card
        for row in structure.list_communities(self.ctx):
            self.community_combo.addItem(row.name, row.id)
        target = c.community_id if c else (household.community_id if household else community_id)
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(target), 0))
        self._fill_grids(c.grid_id if c else (household.grid_id if household else None))
        if c is None:
            self.ethnicity_combo.setCurrentText("汉族")
            self.id_edit.setPlaceholderText(self.tr("18 位公民身份号码"))
            self.phone_edit.setPlaceholderText(self.tr("手机号或带区号的固定电话"))
            self.birth_edit.set_value(None)
            hh = household
            self.relation_combo.setCurrentText("" if hh else "户主")
        else:
            self.name_edit.setText(c.name)
            self.gender_combo.setCurrentIndex(max(self.gender_combo.findData(c.gender), 0))
            self.ethnicity_combo.setCurrentText(c.ethnicity or "")
            r = self.revealed
            self.id_edit.setText((r.id_number or "") if r else "")
            self.phone_edit.setText((r.phone or "") if r else "")
            if not r:
                self.id_edit.setPlaceholderText(
                    self.tr("已登记 %1，不修改请留空").replace("%1", c.id_number) if c.id_number else ""
                )
                self.phone_edit.setPlaceholderText(
                    self.tr("已登记 %1，不修改请留空").replace("%1", c.phone) if c.phone else ""
                )
            self.birth_edit.set_value(c.birth_date)
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(c.residence_kind), 0))
            self.notes_edit.setPlainText(c.notes or "")
            self.relation_combo.setCurrentText(c.relation_to_head or "")
            hh = c.household
        if hh is not None:
            self._choose_household(hh.id, hh.address)
        self.existing_radio.setChecked(hh is not None)
        self.new_radio.setChecked(hh is None)

    def _fill_grids(self, keep: int | None) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（未划入网格）"), None)
        community_id = self.community_combo.currentData()
        if community_id is not None:
            for g in structure.list_grids(self.ctx, community_id=community_id):
                self.grid_combo.addItem(f"{g.name}（{g.code}）", g.id)
        self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(keep), 0))

    def _choose_household(self, household_id: int | None, text: str) -> None:
        self._household_id, self._household_text = household_id, text
        self.household_edit.setText(text)

    # ---------------------------------------------------------------- errors

    def clear_errors(self) -> None:
        for key, widget in self.widgets.items():
            self.field_errors[key].hide()
            if widget.property("invalid"):
                widget.setProperty("invalid", False)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self.general_error.hide()

    def show_field_error(self, field: str | None, message: str) -> None:
        """Show ``message`` under ``field``'s widget (or at the bottom), mark the widget, focus it."""
        self.clear_errors()
        widget = self.widgets.get(field or "")
        if widget is None:
            self.general_error.setText(message)
            self.general_error.show()
            return
        self.field_errors[field or ""].setText(message)
        self.field_errors[field or ""].show()
        widget.setProperty("invalid", True)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.setFocus()

    def error_text(self, field: str) -> str:
        label = self.field_errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    # ---------------------------------------------------------------- saving

    def input(self) -> residents.ResidentInput:
        c, r = self.card, self.revealed
        id_text, phone_text = self.id_edit.text().strip(), self.phone_edit.text().strip()
        new = self.new_radio.isChecked()
        return residents.ResidentInput(
            name=self.name_edit.text(),
            community_id=self.community_combo.currentData(),
            gender=self.gender_combo.currentData(),
            ethnicity=self.ethnicity_combo.currentText(),
            id_number=id_text or None,
            birth_date=self.birth_edit.value(),
            # empty keeps the stored phone, unless the full phone was shown here and then deleted
            phone=phone_text if phone_text or (r is not None and r.phone) else None,
            residence_kind=self.kind_combo.currentData(),
            grid_id=self.grid_combo.currentData(),
            household_id=None if new else self._household_id,
            new_household=residents.HouseholdInput(
                self.community_combo.currentData(),
                self.grid_combo.currentData(),
                **{k: self.address_edits[k].text() for k in HOUSEHOLD_FIELDS},
            )
            if new
            else None,
            relation_to_head=self.relation_combo.currentText(),
            notes=self.notes_edit.toPlainText(),
            tags=[t for t, check in self.tag_checks.items() if check.isChecked()],
            id=c.id if c else None,
            version=c.version if c else None,
        )

    @property
    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        if self.existing_radio.isChecked() and self._household_id is None:
            raise ValidationError(self.tr("请从查找结果中选择住户，或改为“新建住户”。"), field="household_id")
        data = self.input()
        self.saved_id = residents.save_resident(self.ctx, data)
        self.saved_name = data.name.strip()

    def report_error(self, exc: Exception) -> None:
        """Known errors under the field they concern (or above the buttons); others to the one error path."""
        if isinstance(exc, ValidationError):
            self.show_field_error(exc.field, exc.message)
        elif isinstance(exc, ConflictError):
            self.show_field_error(exc.detail if exc.detail in self.widgets else None, exc.message)
        else:
            show_error(self, exc)

    # ---------------------------------------------------------------- slots

    def _on_id_edit_text_changed(self, text: str) -> None:
        """A complete, valid number fills in the birth date and sex (the two must agree with it)."""
        value = normalize_id_number(text)
        if len(value) == 18 and is_valid_id_number(value):
            born = birth_date_from_id(value)
            if born is not None:
                self.birth_edit.set_value(born)
            self.gender_combo.setCurrentIndex(max(self.gender_combo.findData(gender_from_id(value)), 0))

    def _on_community_combo_current_index_changed(self, _index: int) -> None:
        self._fill_grids(self.grid_combo.currentData())
        self._choose_household(None, "")

    def _on_mode_toggled(self, *_args: object) -> None:
        existing = self.existing_radio.isChecked()
        self.household_edit.setVisible(existing)
        self.new_household.setVisible(not existing)

    def _on_household_edit_text_edited(self, text: str) -> None:
        if text != self._household_text:
            self._household_id = None
        if len(text.strip()) < 2:
            return
        try:
            rows = residents.search_households(self.ctx, self.community_combo.currentData(), text, 30)
        except ShequError as exc:
            show_error(self, exc)
            return
        self.household_model.clear()
        for row in rows:
            label = f"{row.address} — {row.head_name or self.tr('无户主')}（{row.members} 人）"
            item = QtGui.QStandardItem(label)
            item.setData(row.id, Qt.ItemDataRole.UserRole)
            item.setData(row.address, Qt.ItemDataRole.UserRole + 1)
            item.setData(row.grid_id, Qt.ItemDataRole.UserRole + 2)
            self.household_model.appendRow(item)
        self.completer.complete()

    def _on_completer_activated(self, index: QtCore.QModelIndex) -> None:
        hid = index.data(Qt.ItemDataRole.UserRole)
        address = index.data(Qt.ItemDataRole.UserRole + 1) or ""
        grid_id = index.data(Qt.ItemDataRole.UserRole + 2)
        # after the completer has written the item's text into the line edit, replace it by the address
        QtCore.QTimer.singleShot(0, lambda: self._choose_household(hid, address))
        if grid_id is not None and self.grid_combo.currentData() is None:
            self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(grid_id), 0))
