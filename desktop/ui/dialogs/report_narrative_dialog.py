"""编写月报说明: the words around the 月报's computed tables — 工作开展情况, 存在问题, 下一步打算 — for one
month and scope (the street or one community). Saved with the version it was opened at: when someone
else saved in between, the message says so and nothing is overwritten."""

from __future__ import annotations

from desktop.domain.reports import NARRATIVE_PARTS, Narrative
from desktop.services.context import ServiceContext
from desktop.services.reports.narrative import load_narrative, narrative_title, save_narrative
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets

HINTS = {
    "work_done": "本月开展的主要工作、特色做法和成效，每段一行；印在月报各项统计表之前。",
    "problems": "工作中存在的问题和不足，每条一行；印在统计表之后。",
    "next_steps": "下一步工作打算和措施，每条一行；印在“存在问题”之后。",
}


class ReportNarrativeDialog(FormDialog):
    """The narrative of ``month`` ("YYYY-MM") for ``community`` (a name) or the street (None)."""

    def __init__(
        self,
        ctx: ServiceContext,
        month: str,
        community: str | None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("编写月报说明"),
            narrative_title(ctx, month, community),
            self.tr("统计表由业务记录自动计算；这里填写的文字印在月报中。未填写的部分不印。"),
            parent,
            ctx=ctx,
            width=640,
        )
        self.month, self.community = month, community
        self.loaded = load_narrative(ctx, month, community)
        self.saved_narrative: Narrative | None = None
        self.editors: dict[str, QtWidgets.QPlainTextEdit] = {}
        for key, label in NARRATIVE_PARTS:
            edit = QtWidgets.QPlainTextEdit()
            edit.setPlaceholderText(HINTS[key])
            edit.setPlainText(self.loaded.part(key))
            edit.setMinimumHeight(96)
            edit.setTabChangesFocus(True)
            self.editors[key] = edit
            self.add_row(key, label, edit)
        if self.loaded.version:
            by = f"（{self.loaded.updated_by}）" if self.loaded.updated_by else ""
            self.note_label.setText(self.note_label.text() + f"已保存第 {self.loaded.version} 版{by}。")

    def narrative(self) -> Narrative:
        texts = {key: self.editors[key].toPlainText() for key, _label in NARRATIVE_PARTS}
        return Narrative(**texts, version=self.loaded.version)

    def submit(self) -> None:
        assert self.ctx is not None
        self.saved_narrative = save_narrative(self.ctx, self.month, self.community, self.narrative())
