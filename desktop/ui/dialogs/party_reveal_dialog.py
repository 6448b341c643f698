"""查看完整信息: ask why, then show a member's full 身份证号 and phone (the viewing is audited)."""

from __future__ import annotations

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.party_form import combo
from desktop.ui.qt import QtWidgets

REASONS = ("核对党员身份信息", "办理组织关系转接", "报送上级党组织", "联系本人", "核对并更正登记信息")


class PartyRevealDialog(FormDialog):
    """On success ``revealed`` holds (身份证号, 电话); the audit record names the operator and the reason."""

    def __init__(
        self, ctx: ServiceContext, member_id: int, name: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(
            self.tr("查看完整信息"),
            self.tr("将显示{0}的完整身份证号和联系电话").format(name),
            self.tr("身份证号属于敏感个人信息，查看将记录操作人、时间和事由。"),
            parent,
            ctx=ctx,
            width=460,
        )
        self.ctx, self.member_id = ctx, member_id
        self.revealed: tuple[str | None, str | None] | None = None
        self.reason_combo = combo([(r, r) for r in REASONS], editable=True)
        self.add_row("reason", self.tr("事由 *"), self.reason_combo)

    def submit(self) -> None:
        self.revealed = party.reveal_member(self.ctx, self.member_id, self.reason_combo.currentText())
