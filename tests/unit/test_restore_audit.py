"""Issue 13 §4: putting an older backup back is recorded in the restored trail (the backup, its time, the chain
position moved back, the account) and moves the head kept outside the database, so `shequ audit verify` exits 0;
the same truncation without such a record — a file copied over the database, newest records deleted — still
exits 6 naming it, even after later writes (a login, an edit) that would otherwise move the head on."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.services import backups
from desktop.services import structure as st
from desktop.services.bootstrap import open_database

ADMIN = "Admin#2026x"


def _last_ids(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT MAX(id) FROM audit_record").fetchone()[0])
    finally:
        conn.close()


def _last_record(db_path: Path) -> tuple[str, str, str]:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT action, user, summary FROM audit_record ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row[0], row[1], row[2]
    finally:
        conn.close()


def _older_backup_then_more_work(street_ctx, db_path: Path) -> tuple[Path, int, int]:
    """(backup, last record inside it, last record of the database when it is put back)."""
    info = backups.backup_now(street_ctx, "manual")
    inside = info.audit_max_id
    c = st.save_community(street_ctx, st.CommunityInput("光明社区", code="03"))
    st.save_grid(street_ctx, st.GridInput(c, "GC-03-001", "光明一网格", "BASIC"))
    street_ctx.database.dispose()
    return info.path, inside, _last_ids(db_path)


def test_a_restore_by_the_command_line_is_recorded_and_the_trail_verifies(
    street_ctx, db_path: Path, shequ
) -> None:
    backup, m, n = _older_backup_then_more_work(street_ctx, db_path)
    assert n > m + 1
    status, out, err = shequ("--db", str(db_path), "restore", str(backup))
    assert status == 0, err
    action, user, summary = _last_record(db_path)
    assert action == "restore"
    assert backup.name in summary and "备份时间 2026-11-23 10:00:00" in summary
    assert f"审计链位置由第 {n} 条退回到第 {m} 条" in summary and f"操作账号：{user}" in summary
    status, out, err = shequ("--db", str(db_path), "audit", "verify")
    assert status == 0, err
    assert "审计链完好" in out and "最近一次从备份恢复记录在第" in out and backup.name in out


def test_a_restore_names_the_signed_in_account(
    tmp_path: Path, shequ, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.cli.auth.ADMIN_FIRST", True)
    db = tmp_path / "cli.sqlite3"
    ctx = open_database(db).ctx
    st.save_street(ctx, "钢城街道")
    ctx.database.dispose()
    login = ["--db", str(db), "--user", "zhang", "--password-stdin"]
    assert shequ("--db", str(db), "users", "add", "zhang", "--role", "管理员", "--password-stdin",
                 stdin=ADMIN + "\n")[0] == 0  # fmt: skip
    status, out, err = shequ(*login, "backup", stdin=ADMIN + "\n")
    assert status == 0, err
    backup = Path(out.split("：", 1)[1].split("（")[0].strip())
    assert backup.is_file()
    ctx = open_database(db).ctx
    st.save_community(ctx, st.CommunityInput("新华社区"))
    ctx.database.dispose()
    status, _, err = shequ("--db", str(db), "restore", str(backup))
    assert status == 3 and "需要登录" in err  # the restore is done as somebody
    status, out, err = shequ(*login, "restore", str(backup), stdin=ADMIN + "\n")
    assert status == 0, err
    action, user, summary = _last_record(db)
    assert (action, user) == ("restore", "zhang") and "操作账号：zhang" in summary and "退回到第" in summary
    status, out, err = shequ(*login, "audit", "verify", stdin=ADMIN + "\n")
    assert status == 0, err


def test_a_backup_copied_over_the_database_is_reported_even_after_a_login(
    tmp_path: Path, shequ, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the app: the older file is simply copied into place. The login that `audit verify` needs writes
    an audit record; it must not move the head past the missing records."""
    monkeypatch.setattr("desktop.cli.auth.ADMIN_FIRST", True)
    db = tmp_path / "cli.sqlite3"
    ctx = open_database(db).ctx
    st.save_street(ctx, "钢城街道")
    ctx.database.dispose()
    login = ["--db", str(db), "--user", "zhang", "--password-stdin"]
    assert shequ("--db", str(db), "users", "add", "zhang", "--role", "管理员", "--password-stdin",
                 stdin=ADMIN + "\n")[0] == 0  # fmt: skip
    status, out, _ = shequ(*login, "backup", stdin=ADMIN + "\n")
    backup = Path(out.split("：", 1)[1].split("（")[0].strip())
    ctx = open_database(db).ctx
    for name in ("新华社区", "朝阳社区", "光明社区"):
        st.save_community(ctx, st.CommunityInput(name))
    ctx.database.dispose()
    n = _last_ids(db)
    shutil.copyfile(backup, db)
    for _ in range(2):  # every run signs in (an audit record each time)
        status, out, err = shequ(*login, "audit", "verify", stdin=ADMIN + "\n")
        assert status == 6, out
        assert f"第 {n} 条" in err and ("截断" in err or "被删除后又被替换" in err)


def test_deleting_the_newest_records_then_working_on_still_exits_6(street_ctx, db_path: Path, shequ) -> None:
    n = _last_ids(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM audit_record WHERE id > ?", (n - 3,))
    conn.commit()
    conn.close()
    st.save_street(street_ctx, "钢城街道（改）", district="长城区", city="嘉峪关市")  # one record, head stays
    status, _, err = shequ("--db", str(db_path), "audit", "verify")
    assert status == 6 and "审计记录被截断" in err and f"最后一条是第 {n} 条" in err
    for i in range(4):  # the trail grows past the old head: the record there is not the one the head names
        st.save_street(street_ctx, f"钢城街道{i}", district="长城区", city="嘉峪关市")
    status, _, err = shequ("--db", str(db_path), "audit", "verify")
    assert status == 6 and f"第 {n} 条" in err and "被删除后又被替换" in err


def test_only_an_account_with_the_settings_permission_sees_the_recovery_key(
    tmp_path: Path, shequ, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.cli.auth.ADMIN_FIRST", True)
    db = tmp_path / "cli.sqlite3"
    ctx = open_database(db).ctx
    st.save_street(ctx, "钢城街道")
    c = st.save_community(ctx, st.CommunityInput("新华社区"))
    st.save_grid(ctx, st.GridInput(c, "GC-01-001", "新华一网格", "BASIC"))
    ctx.database.dispose()
    admin = ["--db", str(db), "--user", "zhang", "--password-stdin"]
    assert shequ("--db", str(db), "users", "add", "zhang", "--role", "管理员", "--password-stdin",
                 stdin=ADMIN + "\n")[0] == 0  # fmt: skip
    status, out, err = shequ(*admin, "users", "add", "li", "--role", "审计管理员", "--password-stdin",
                             stdin=f"{ADMIN}\nAudit#2026x\n")  # fmt: skip
    assert status == 0, err
    auditor = ["--db", str(db), "--user", "li", "--password-stdin"]
    assert shequ(*auditor, "users", "passwd", stdin="Audit#2026x\nAudit#2027y\n")[0] == 0
    status, out, err = shequ(*auditor, "keys", "recovery", stdin="Audit#2027y\n")
    assert status == 4 and "没有权限" in err and "恢复密钥：" not in out
    status, out, err = shequ(*admin, "keys", "recovery", stdin=ADMIN + "\n")
    assert status == 0 and "恢复密钥：" in out, err
