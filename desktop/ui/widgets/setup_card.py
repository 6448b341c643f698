"""开始使用: the first-run path on 工作台 — each step with its state (已完成 / 下一步 / 待完成) and a button
that takes the user where the step is done."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.services.dashboard import SetupStep
from desktop.ui.icons import icon
from desktop.ui.qt import Qt, QtWidgets, Signal

DONE, NEXT, LATER = "#2e7d32", "#1f5fa8", "#8a94a0"


class SetupCard(QtWidgets.QFrame):
    """Shows the steps given to :meth:`set_steps`; a click on a step's button emits its target."""

    navigate = Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(6)
        self.title = QtWidgets.QLabel(self.tr("开始使用"))
        self.title.setObjectName("sectionTitle")
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("figureDetail")
        self.summary.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        self.grid = QtWidgets.QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(2, 1)
        lay.addLayout(self.grid)
        #: per step key: (state label, step button)
        self.rows: dict[str, tuple[QtWidgets.QLabel, QtWidgets.QPushButton]] = {}

    def set_steps(self, steps: Sequence[SetupStep]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows.clear()
        done = sum(1 for s in steps if s.done)
        self.summary.setText(
            self.tr(
                "新数据库还缺少基础资料。请按顺序完成以下 {0} 步（已完成 {1} 步），每步点右侧的按钮即可前往。"
            ).format(len(steps), done)
        )
        next_key = next((s.key for s in steps if not s.done), None)
        for row, step in enumerate(steps):
            if step.done:
                state, colour = self.tr("✓ 已完成"), DONE
            elif step.key == next_key:
                state, colour = self.tr("→ 下一步"), NEXT
            else:
                state, colour = self.tr("待完成"), LATER
            state_label = QtWidgets.QLabel(state)
            state_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
            title = QtWidgets.QLabel(f"{row + 1}. {self.tr(step.title)}")
            title.setStyleSheet("font-weight: bold;")
            hint = QtWidgets.QLabel(self.tr(step.hint))
            hint.setWordWrap(True)
            hint.setObjectName("figureDetail")
            button = QtWidgets.QPushButton(icon("edit" if step.done else "add"), self._button_text(step))
            if step.key == next_key:
                button.setObjectName("primaryButton")
            button.clicked.connect(lambda _c=False, t=step.target: self.navigate.emit(t))
            self.grid.addWidget(state_label, row, 0)
            self.grid.addWidget(title, row, 1)
            self.grid.addWidget(hint, row, 2)
            self.grid.addWidget(button, row, 3)
            if step.key == "grids":
                sheet = QtWidgets.QPushButton(icon("import"), self.tr("导入网格表…"))
                sheet.clicked.connect(lambda: self.navigate.emit("file/import_grids"))
                self.grid.addWidget(sheet, row, 4)
            self.rows[step.key] = (state_label, button)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)

    def _button_text(self, step: SetupStep) -> str:
        if step.done:
            return self.tr("查看")
        return {
            "street": self.tr("填写街道"),
            "communities": self.tr("新增社区"),
            "grids": self.tr("新增网格"),
            "residents": self.tr("导入居民"),
            "committee": self.tr("设置调委会"),
        }.get(step.key, self.tr("前往"))
