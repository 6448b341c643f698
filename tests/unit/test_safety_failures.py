"""Issue 15, points 2 and 9: a full disk and a locked database are said as such, and no personal data
reaches the log."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

import db.engine
from desktop.app import main
from desktop.core.errors import DatabaseBusyError, DiskFullError, translate_failure
from desktop.core.logs import MaskingFormatter, mask_personal
from desktop.core.paths import log_file
from tests.unit.resident_rosters import make_id, person, write_xlsx


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂"


def name_of(k: int) -> str:
    return SURNAMES[k % 10] + GIVEN[k // 10 % 22] + GIVEN[k // 220 % 22]


def roster(tmp_path: Path, n: int) -> tuple[Path, list[str], list[str]]:
    ids = [
        make_id(born=f"19{60 + k % 40:02d}0{1 + k % 9}{10 + k % 18}", seq=f"{k % 1000:03d}") for k in range(n)
    ]
    phones = [f"139{k:08d}" for k in range(n)]
    rows = [
        person(name_of(k), ids[k], phone=phones[k], building=f"{k % 20 + 1}号楼", room=f"{k % 300 + 101}")
        for k in range(n)
    ]
    return write_xlsx(tmp_path / "居民.xlsx", rows), ids, phones


def test_a_full_disk_during_an_import_is_said_as_such_and_nothing_personal_is_logged(
    street_ctx, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path, ids, phones = roster(tmp_path, 1500)
    street_ctx.database.dispose()
    conn = sqlite3.connect(db_path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    before = table_counts(db_path)
    original = db.engine._sqlite_pragmas

    def small_disk(dbapi_conn, record) -> None:  # the disk fills up 40 pages (160 KB) from now
        original(dbapi_conn, record)
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 40}")

    monkeypatch.setattr(db.engine, "_sqlite_pragmas", small_disk)
    status = main(["--db", str(db_path), "import", "residents", str(path)])
    captured = capsys.readouterr()
    err = captured.err
    assert status == 1, captured.out[:2000]
    assert err.startswith("错误：磁盘空间不足") and err.count("\n") == 1 and "内部错误" not in err
    monkeypatch.setattr(db.engine, "_sqlite_pragmas", original)
    after = table_counts(db_path)
    assert {k: v for k, v in after.items() if k != "audit_record"} == {
        k: v for k, v in before.items() if k != "audit_record"
    }  # (the pre-import backup leaves its audit record)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    logged = log_file().read_text(encoding="utf-8")
    assert "磁盘空间不足" in logged and "database or disk is full" in logged  # logged, for support
    assert not any(i in logged for i in ids) and not any(p in logged for p in phones)
    assert not any(name_of(k) in logged for k in range(1500))


def test_the_log_masks_ids_and_phones_even_in_a_traceback(tmp_path: Path) -> None:
    idn = make_id()
    text = f"UNIQUE failed ('{idn}', '13912345678', '0937-6221234', 'x')"
    masked = mask_personal(text)
    assert idn not in masked and "13912345678" not in masked and "6221234" not in masked
    assert idn[:6] + "********" + idn[-4:] in masked and "139****5678" in masked
    try:
        raise ValueError(text)
    except ValueError as exc:
        record = logging.LogRecord(
            "shequ", logging.ERROR, __file__, 1, "失败", (), (type(exc), exc, exc.__traceback__)
        )
    out = MaskingFormatter("%(message)s").format(record)
    assert "Traceback" in out and idn not in out and "13912345678" not in out
    # an ordinary number (a count, a year, a time) is left as it is
    assert (
        mask_personal("共 132159 条，2026-11-23 10:00:00，用时 12.5 秒")
        == "共 132159 条，2026-11-23 10:00:00，用时 12.5 秒"
    )


def test_statement_parameters_are_hidden_in_database_errors(ctx) -> None:
    idn = make_id()
    with pytest.raises(sa.exc.IntegrityError) as failed, ctx.database.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value, version) VALUES (?, ?, 1)", ("k", idn))
        conn.exec_driver_sql("INSERT INTO setting (key, value, version) VALUES (?, ?, 1)", ("k", idn))
    assert idn not in str(failed.value) and "hidden" in str(failed.value)


def test_failures_of_the_machine_are_classified() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    assert isinstance(translate_failure(sa.exc.OperationalError("INSERT …", None, full)), DiskFullError)
    assert isinstance(translate_failure(OSError(28, "No space left on device")), DiskFullError)
    locked = sa.exc.OperationalError("UPDATE …", None, sqlite3.OperationalError("database is locked"))
    busy = translate_failure(locked, 10)
    assert isinstance(busy, DatabaseBusyError) and "另一个窗口或另一台电脑正在写入数据" in busy.message
    assert translate_failure(ValueError("x")) is None
    denied = translate_failure(PermissionError(13, "Permission denied", "/只读/月报.pdf"))
    assert denied is not None and "没有权限" in denied.message and "月报.pdf" in denied.message


def test_a_locked_database_is_said_as_such(
    street_ctx, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    street_ctx.database.dispose()
    monkeypatch.setattr(db.engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
    other = sqlite3.connect(db_path, isolation_level=None)  # another PC's long import holds the write lock
    try:
        other.execute("BEGIN IMMEDIATE")
        status = main(["--db", str(db_path), "backup"])
        other.execute("ROLLBACK")
    finally:
        other.close()
    err = capsys.readouterr().err
    assert status == 1 and "另一个窗口或另一台电脑正在写入数据，请稍后再试" in err and "内部错误" not in err
