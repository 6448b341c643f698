"""A holiday-calendar change imported from the command line moves the ends of open grid events too (the
desktop's 节假日 tab does the same, tested in tests/ui/test_events_page.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.app import main
from desktop.services import events as ev
from desktop.services import structure as st


def test_holidays_import_recomputes_open_events(street_ctx, db_path: Path, tmp_path: Path, capsys) -> None:
    grid = st.list_grids(street_ctx)[0].id
    data = ev.EventInput(
        "网格员巡查", dt.datetime(2026, 11, 23, 8, 0), grid, "新华小区3号楼", "环境卫生", "垃圾堆放"
    )
    eid = ev.create_event(street_ctx, data, accept=True)
    closed = ev.create_event(street_ctx, data)
    ev.accept_event(street_ctx, closed, None)
    ev.handle_on_site(street_ctx, closed, None, "已清理")
    ev.close_event(street_ctx, closed, None)
    assert ev.event_detail(street_ctx, eid).deadline == dt.datetime(2026, 12, 1)  # 5 working days: 11-30
    f = tmp_path / "2026.csv"
    f.write_text("日期,类型,名称\n2026-11-25,放假,测试假日\n", encoding="utf-8")
    assert main(["--db", str(db_path), "holidays", "import", str(f), "--dry-run"]) == 0
    assert ev.event_detail(street_ctx, eid).deadline == dt.datetime(2026, 12, 1)  # a dry run moves nothing
    capsys.readouterr()
    assert main(["--db", str(db_path), "holidays", "import", str(f)]) == 0
    assert "重算了 1 件网格事件的办理时限" in capsys.readouterr().out  # the closed one keeps its end
    assert ev.event_detail(street_ctx, eid).deadline == dt.datetime(2026, 12, 2)
    assert ev.event_detail(street_ctx, closed).deadline == dt.datetime(2026, 12, 1)
