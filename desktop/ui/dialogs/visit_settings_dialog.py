"""设置 → 分色走访频次 (per colour tier, and the minimum of each special group) and 一季一排名 的计分权重."""

from __future__ import annotations

from desktop.domain.bulletin import RankingWeights
from desktop.domain.visits import FREQUENCY_LABELS
from desktop.services import residents, visits
from desktop.services.context import ServiceContext
from desktop.services.reports.grid_bulletin import ranking_weights, save_ranking_weights
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtGui, QtWidgets


def _frequency_combo(current: str | None, none_label: str = "") -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    if none_label:
        combo.addItem(none_label, None)
    for code, label in FREQUENCY_LABELS.items():
        combo.addItem(label, code)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def _hint(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setObjectName("figureDetail")
    label.setWordWrap(True)
    return label


class VisitSettingsDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            self.tr("分色走访频次"),
            note=self.tr(
                "每位居民在其等级的每个周期内应走访一次（每月：自然月；每半月：1–15 日、16 日–月末；"
                "每周：周一至周日；每日）。特殊人群另有最低要求时，按等级和人群中较严的频次走访。"
            ),
            parent=parent,
            ctx=ctx,
            width=760,
        )
        f = visits.frequencies(ctx)
        self.tier_combos: dict[str, QtWidgets.QComboBox] = {}
        tiers_box = QtWidgets.QGroupBox(self.tr("按分色等级"))
        tiers_form = QtWidgets.QFormLayout(tiers_box)
        for tier in residents.care_tiers(ctx):
            combo = _frequency_combo(f.tiers.get(tier.code))
            label = QtWidgets.QLabel(tier.label)
            label.setStyleSheet(f"color:{QtGui.QColor(tier.colour).name()};font-weight:bold;")
            tiers_form.addRow(label, combo)
            self.tier_combos[tier.code] = combo
        self.group_combos: dict[str, QtWidgets.QComboBox] = {}
        groups_box = QtWidgets.QGroupBox(self.tr("特殊人群的最低频次"))
        groups_grid = QtWidgets.QGridLayout(groups_box)  # two columns: a dozen groups fit without scrolling
        groups_grid.setHorizontalSpacing(12)
        groups = residents.special_groups(ctx)
        half = (len(groups) + 1) // 2
        for i, group in enumerate(groups):
            combo = _frequency_combo(f.groups.get(group), self.tr("不单独要求"))
            row, col = i % half, (i // half) * 2
            groups_grid.addWidget(QtWidgets.QLabel(group), row, col)
            groups_grid.addWidget(combo, row, col + 1)
            self.group_combos[group] = combo
        groups_grid.setColumnStretch(1, 1)
        groups_grid.setColumnStretch(3, 1)
        self.extra.addWidget(tiers_box)
        self.extra.addWidget(groups_box)
        self.extra.addWidget(_hint(self.tr("修改后“今日应走访”从今天起按新频次计算，已登记的走访不受影响。")))
        self.fields = {"tiers": tiers_box, "groups": groups_box}
        self.finish_form()

    def submit(self) -> None:
        assert self.ctx is not None
        visits.save_frequencies(
            self.ctx,
            {code: combo.currentData() for code, combo in self.tier_combos.items()},
            {group: combo.currentData() for group, combo in self.group_combos.items()},
        )


def _points(value: float, maximum: float = 100) -> QtWidgets.QDoubleSpinBox:
    spin = QtWidgets.QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(1)
    spin.setSuffix(" 分")
    spin.setValue(value)
    return spin


class RankingWeightsDialog(FormDialog):
    """一季一排名: the points of the three rates, the deduction per overdue open event and its cap."""

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            self.tr("网格排名计分"),
            note=self.tr("一季一排名按下列分值计分；通报和月报第六部分显示同一公式。"),
            parent=parent,
            ctx=ctx,
            width=560,
        )
        w = ranking_weights(ctx)
        self.closed_spin = _points(w.closed_in_time)
        self.satisfaction_spin = _points(w.satisfaction)
        self.visits_spin = _points(w.visits)
        self.penalty_spin = _points(w.overdue_penalty)
        self.cap_spin = _points(w.penalty_cap)
        self.add_row("closed_in_time", self.tr("按期办结率"), self.closed_spin)
        self.add_row("satisfaction", self.tr("满意率"), self.satisfaction_spin)
        self.add_row("visits", self.tr("走访完成率"), self.visits_spin)
        self.add_row("overdue_penalty", self.tr("每件超期未办结扣"), self.penalty_spin)
        self.add_row("penalty_cap", self.tr("扣分最多"), self.cap_spin)
        self.formula_label = _hint("")
        self.form.addRow(self.tr("计分公式"), self.formula_label)
        for spin in (self.closed_spin, self.satisfaction_spin, self.visits_spin, self.penalty_spin,
                     self.cap_spin):  # fmt: skip
            spin.valueChanged.connect(lambda *_a: self._show_formula())
        self._show_formula()

    def weights(self) -> RankingWeights:
        return RankingWeights(
            self.closed_spin.value(),
            self.satisfaction_spin.value(),
            self.visits_spin.value(),
            self.penalty_spin.value(),
            self.cap_spin.value(),
        )

    def _show_formula(self) -> None:
        self.formula_label.setText(self.weights().formula())

    def submit(self) -> None:
        assert self.ctx is not None
        save_ranking_weights(self.ctx, self.weights())
