"""The grid page's actions: each opens a dialog with ``open()`` (window-modal, so tests can drive it),
returns it, and on success reloads the page, emits ``changed`` (grids) and a status message."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.services import structure
from desktop.ui.dialogs.grid_dialog import GridDialog
from desktop.ui.dialogs.retire_dialog import RetireDialog
from desktop.ui.dialogs.staff_dialog import StaffDialog
from desktop.ui.errors import show_error
from desktop.ui.qt import QtWidgets

if TYPE_CHECKING:
    from desktop.ui.pages.grids.grids_page import GridsPage

    _Base = GridsPage
else:
    _Base = object

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


class GridActionsMixin(_Base):
    # ---------------------------------------------------------------- grids

    def open_new_grid_dialog(self) -> GridDialog | None:
        if not any(c.retired_on is None for c in self.communities):
            QtWidgets.QMessageBox.information(
                self, self.tr("新增网格"), self.tr("还没有社区。请先在“设置”中添加社区，再新增网格。")
            )
            return None
        selected = self.selected_grid()
        community_id = self.proxy.community_id or (selected.community_id if selected else None)
        dialog = GridDialog(self.ctx, self.communities, None, community_id, self.suggest_code, self)
        dialog.accepted.connect(lambda: self._on_grid_dialog_accepted(dialog, created=True))
        self._open(dialog)
        return dialog

    def open_edit_grid_dialog(self, grid_id: int | None = None) -> GridDialog | None:
        grid_id = grid_id or self.selected_grid_id()
        if grid_id is None:
            return None
        try:  # read it afresh: the dialog saves against the version it shows
            detail = structure.get_grid(self.ctx, grid_id)
        except Exception as exc:
            show_error(self, exc)
            return None
        dialog = GridDialog(self.ctx, self.communities, detail, parent=self)
        dialog.accepted.connect(lambda: self._on_grid_dialog_accepted(dialog, created=False))
        self._open(dialog)
        return dialog

    def _on_grid_dialog_accepted(self, dialog: GridDialog, created: bool) -> None:
        data = dialog.grid_input()
        self.reload(select_id=dialog.saved_id)
        self.emit_changes("grids")
        self.status_message.emit(
            (self.tr("已新增网格 {0} {1}") if created else self.tr("已保存网格 {0} {1}")).format(
                data.code.strip(), data.name.strip()
            )
        )

    def suggest_code(self, community_id: int) -> str:
        """The next number after the community's highest grid code (GC-01-006 → GC-01-007), or ""."""
        codes = [
            g.code for g in self.grid_model.rows() if community_id is None or g.community_id == community_id
        ]
        best: tuple[int, str, int] | None = None
        for code in codes:
            m = _NUMBERED.match(code)
            if m and (best is None or int(m.group(2)) > best[0]):
                best = (int(m.group(2)), m.group(1), len(m.group(2)))
        if best is None:
            return ""
        number, prefix, width = best
        taken = {g.code for g in self.grid_model.rows()}
        while (candidate := f"{prefix}{str(number + 1).zfill(width)}") in taken:
            number += 1
        return candidate

    def open_retire_grid_dialog(self, grid_id: int | None = None) -> RetireDialog | None:
        grid = self.grid_model.row_for(grid_id or self.selected_grid_id() or 0)
        if grid is None or grid.retired_on is not None:
            return None
        note = self.tr("撤销后，该网格不再出现在网格列表和统计中；记录全部保留，可随时恢复。")
        staff = len([n for n in (grid.chiefs + "、" + grid.workers).split("、") if n]) + grid.helper_count
        if staff or grid.registered_residents:
            note += self.tr("\n该网格现有在岗人员 {0} 名、在册居民 {1} 人，撤销后请另行调整。").format(
                staff, f"{grid.registered_residents:,}"
            )

        def submit(on: object, reason: str) -> None:
            structure.retire_grid(self.ctx, grid.id, reason, on, grid.version)

        dialog = RetireDialog(
            self.tr("撤销网格"),
            self.tr("网格 {0} {1}（{2}）").format(grid.code, grid.name, grid.community_name),
            submit,
            date_label=self.tr("撤销日期 *"),
            reason_label=self.tr("撤销原因 *"),
            ok_text=self.tr("撤销网格"),
            note=note,
            reason_hint=self.tr("例如：网格调整，并入相邻网格"),
            parent=self,
            today=self.ctx.today(),
        )

        def accepted() -> None:
            self.reload()
            self.emit_changes("grids")
            self.status_message.emit(self.tr("已撤销网格 {0} {1}").format(grid.code, grid.name))

        dialog.accepted.connect(accepted)
        self._open(dialog)
        return dialog

    def restore_grid(self, grid_id: int | None = None) -> bool:
        grid = self.grid_model.row_for(grid_id or self.selected_grid_id() or 0)
        if grid is None or grid.retired_on is None:
            return False
        try:
            structure.restore_grid(self.ctx, grid.id)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.reload(select_id=grid.id)
        self.emit_changes("grids")
        self.status_message.emit(self.tr("已恢复网格 {0} {1}").format(grid.code, grid.name))
        return True

    # ---------------------------------------------------------------- staff

    def open_new_staff_dialog(self) -> StaffDialog | None:
        detail = self.detail_panel.detail
        if detail is None or detail.grid.retired_on is not None:
            return None
        roles = {m.role for m in detail.staff if m.retired_on is None}
        role = "CHIEF" if "CHIEF" not in roles else "WORKER" if "WORKER" not in roles else "HELPER"
        dialog = StaffDialog(self.ctx, detail.grid, None, role, self)
        dialog.accepted.connect(
            lambda: self._on_staff_changed(
                dialog.saved_id, self.tr("已添加 {0}").format(dialog.name_edit.text().strip())
            )
        )
        self._open(dialog)
        return dialog

    def open_edit_staff_dialog(self, staff_id: int | None = None) -> StaffDialog | None:
        member = self._staff(staff_id)
        detail = self.detail_panel.detail
        if member is None or detail is None:
            return None
        dialog = StaffDialog(self.ctx, detail.grid, member, parent=self)
        dialog.accepted.connect(
            lambda: self._on_staff_changed(
                dialog.saved_id, self.tr("已保存 {0}").format(dialog.name_edit.text().strip())
            )
        )
        self._open(dialog)
        return dialog

    def open_retire_staff_dialog(self, staff_id: int | None = None) -> RetireDialog | None:
        member = self._staff(staff_id)
        detail = self.detail_panel.detail
        if member is None or detail is None or member.retired_on is not None:
            return None

        def submit(on: object, reason: str) -> None:
            structure.retire_staff(self.ctx, member.id, reason, on, member.version)

        dialog = RetireDialog(
            self.tr("人员调离"),
            self.tr("{0} {1}（网格 {2} {3}）").format(
                member.role_label, member.name, detail.grid.code, detail.grid.name
            ),
            submit,
            date_label=self.tr("调离日期 *"),
            reason_label=self.tr("调离原因 *"),
            ok_text=self.tr("调离"),
            note=self.tr("调离后保留其任职记录，勾选“显示已调离”可以查看。"),
            reason_hint=self.tr("例如：工作调动、辞职、退休"),
            parent=self,
            today=self.ctx.today(),
        )
        dialog.accepted.connect(
            lambda: self._on_staff_changed(None, self.tr("{0} 已调离").format(member.name))
        )
        self._open(dialog)
        return dialog

    def _staff(self, staff_id: int | None) -> structure.StaffRow | None:
        detail = self.detail_panel.detail
        if detail is None:
            return None
        if staff_id is None:
            return self.detail_panel.selected_staff()
        return next((m for m in detail.staff if m.id == staff_id), None)

    def _on_staff_changed(self, staff_id: int | None, message: str) -> None:
        self.refresh_detail(force=True)
        if staff_id is not None:
            self.detail_panel.select_staff(staff_id)
        self.reload()  # the table's 网格长/专职/兼职 columns
        self.emit_changes("grids")
        self.status_message.emit(message)

    # ---------------------------------------------------------------- helpers

    def _open(self, dialog: QtWidgets.QDialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
