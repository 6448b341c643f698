"""Screenshots of the 网格 page (not a test): ``.venv/bin/python -m tests.ui.shots OUTDIR``.

Builds a throw-away database (the ``small`` demo data when ``desktop.services.demo`` exists, else the
test fixture's street), shows the page at 1280×800 with a grid selected, and saves PNGs of the page
alone, the page inside the main window, and each dialog.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def _fill(ctx) -> None:
    try:
        from desktop.services import demo
    except ImportError:
        demo = None
    if demo is not None:
        demo.generate(ctx, "small")
        return
    from desktop.services import structure as st

    st.save_street(ctx, "钢城街道", district="长城区", city="嘉峪关市")
    c1 = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    c2 = st.save_community(ctx, st.CommunityInput("朝阳社区", code="02"))
    g1 = st.save_grid(
        ctx, st.GridInput(c1, "GC-01-001", "新华一网格", "BASIC", "东至新华路，西至建设街", 420, 1010)
    )
    st.save_grid(ctx, st.GridInput(c1, "GC-01-002", "新华二网格", "DEDICATED", "新华商圈", 120, 300))
    st.save_grid(ctx, st.GridInput(c2, "GC-02-001", "朝阳一网格", "MICRO", None, 80, 210))
    st.save_staff(ctx, st.StaffInput(g1, "CHIEF", "王建国", phone="13809371234"))
    st.save_staff(ctx, st.StaffInput(g1, "WORKER", "李晓梅", phone="13919375678"))
    st.save_staff(ctx, st.StaffInput(g1, "HELPER", "赵志刚", helper_kind="楼栋长"))


def _settle(app, ms: int = 400) -> None:
    from desktop.ui.qt import QtCore

    # (not QDeadlineTimer: PySide6 6.12 crashes on it with a refcount error)
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _wait_loaded(app, page) -> None:
    for _ in range(200):
        _settle(app, 25)
        if not page.loading:
            return
    raise RuntimeError("网格页面没有载入完成")


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="shequ-shots-"))
    os.environ["SHEQU_HOME"] = str(home)
    from desktop.core.identity import Actor
    from desktop.services import structure
    from desktop.services.bootstrap import open_database
    from desktop.ui.application import create_application
    from desktop.ui.pages.grids.grids_page import GridsPage

    app = create_application()
    ctx = open_database(home / "shots.sqlite3", actor=Actor("截图", "shots")).ctx
    _fill(ctx)
    grids = structure.list_grids(ctx)
    # one retired grid, so the greyed row can be seen with 显示已撤销
    structure.retire_grid(ctx, grids[-1].id, "网格调整，并入相邻网格")
    saved: list[Path] = []

    def save(widget, name: str) -> None:
        _settle(app, 150)
        path = out / name
        widget.grab().save(str(path))
        saved.append(path)

    page = GridsPage(ctx)
    page.resize(1280, 800)
    page.show()
    page.activate()
    _wait_loaded(app, page)
    page.select_grid(grids[1].id)
    save(page, "grids_page.png")

    page.show_retired_check.setChecked(True)
    page.select_grid(grids[-1].id)
    save(page, "grids_page_retired_selected.png")
    page.select_grid(grids[0].id)
    save(page, "grids_page_retired_shown.png")
    page.show_retired_check.setChecked(False)

    page.search_edit.setText("不存在的网格")
    save(page, "grids_page_empty_search.png")
    page.search_edit.clear()

    page.select_grid(grids[0].id)
    dialog = page.open_edit_grid_dialog()
    assert dialog is not None
    save(dialog, "grid_dialog_edit.png")
    dialog.reject()
    dialog = page.open_new_grid_dialog()
    assert dialog is not None
    dialog.code_edit.setText(grids[0].code)
    dialog.name_edit.setText("新网格")
    dialog.ok_button.click()
    save(dialog, "grid_dialog_duplicate_code.png")
    dialog.reject()
    staff = page.open_new_staff_dialog()
    assert staff is not None
    save(staff, "staff_dialog.png")
    staff.reject()
    retire = page.open_retire_grid_dialog()
    assert retire is not None
    save(retire, "retire_dialog.png")
    retire.reject()
    page.close()

    from desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    window.show_area("grids")
    in_window = window.page("grids")
    _wait_loaded(app, in_window)
    in_window.select_grid(grids[1].id)
    save(window, "main_window_grids.png")
    window.close()
    ctx.database.dispose()
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    for p in main(target):
        print(p)
