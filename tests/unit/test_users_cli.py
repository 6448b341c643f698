"""The command line with accounts: the administrator first, --user/--password-stdin on every command, exit 3
without a login, exit 4 without the permission, and `shequ users add|list|disable|reset-password|passwd`."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services import structure as st
from desktop.services.bootstrap import open_database

ADMIN = "Admin#2026x"


@pytest.fixture(autouse=True)
def admin_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("desktop.cli.auth.ADMIN_FIRST", True)  # the rule as shipped


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.sqlite3"
    ctx = open_database(path).ctx
    st.save_street(ctx, "钢城街道")
    c = st.save_community(ctx, st.CommunityInput("新华社区"))
    st.save_grid(ctx, st.GridInput(c, "GC-01-001", "新华一网格", "BASIC"))
    ctx.database.dispose()
    return str(path)


@pytest.fixture
def with_admin(db, shequ) -> str:
    assert (
        shequ(
            "--db", db, "users", "add", "zhang", "--role", "管理员", "--password-stdin", stdin=ADMIN + "\n"
        )[0]
        == 0
    )
    return db


def as_admin(db: str) -> list[str]:
    return ["--db", db, "--user", "zhang", "--password-stdin"]


def test_a_database_without_accounts_runs_only_the_first_administrator(db, shequ):
    status, _, err = shequ("--db", db, "export", "grids", "--out", "g.xlsx")
    assert status == 3 and "请先创建管理员账号：shequ users add" in err
    status, _, err = shequ(
        "--db", db, "users", "add", "li", "--role", "网格员", "--password-stdin", stdin=ADMIN
    )
    assert status == 3 and "请先创建管理员账号" in err
    status, _, err = shequ(
        "--db", db, "users", "add", "zhang", "--role", "管理员", "--password-stdin", stdin="short\n"
    )
    assert status != 0 and "密码太短" in err
    status, out, _ = shequ(
        "--db", db, "users", "add", "zhang", "--role", "管理员", "--password-stdin", stdin=ADMIN + "\n"
    )
    assert status == 0 and "已新建账号 zhang（管理员）" in out
    # setting up: the recovery key printed once, and it is this database's (it imports back on "another PC")
    key = out.split("数据库恢复密钥", 1)[1].splitlines()[1].strip()
    assert key and "锁好保管" in out
    from desktop.services import keys

    assert keys.import_key(db, key)
    status, out, _ = shequ(*as_admin(db), "users", "add", "wang", "--role", "网格员", "--password-stdin",
                           stdin=ADMIN + "\n" + ADMIN + "\n")  # fmt: skip
    assert "恢复密钥" not in out  # only at setup


def test_every_command_needs_a_login_once_there_are_accounts(with_admin, shequ, tmp_path):
    out_file = tmp_path / "网格.xlsx"
    status, _, err = shequ("--db", with_admin, "export", "grids", "--out", str(out_file))
    assert status == 3 and "需要登录" in err and not out_file.exists()
    status, _, err = shequ(*as_admin(with_admin), "export", "grids", "--out", str(out_file), stdin="wrong\n")
    assert status == 3 and "登录名或密码错误" in err
    status, _, _ = shequ(*as_admin(with_admin), "export", "grids", "--out", str(out_file), stdin=ADMIN + "\n")
    assert status == 0 and out_file.exists()


def test_a_role_without_the_permission_exits_4(with_admin, shequ, tmp_path):
    base = as_admin(with_admin)
    status, out, err = shequ(
        *base,
        "users",
        "add",
        "shen",
        "--role",
        "审计管理员",
        "--password-stdin",
        stdin=f"{ADMIN}\nAudit#2026x\n",
    )
    assert status == 0, (out, err)
    # first login: only `users passwd` runs until the password is changed
    auditor = ["--db", with_admin, "--user", "shen", "--password-stdin"]
    status, _, err = shequ(*auditor, "users", "list", stdin="Audit#2026x\n")
    assert status == 3 and "首次登录" in err and "users passwd" in err
    assert shequ(*auditor, "users", "passwd", stdin="Audit#2026x\nAudit#2027y\n")[0] == 0
    status, _, err = shequ(*auditor, "users", "list", stdin="Audit#2027y\n")
    assert status == 4 and "没有权限：账号管理（账号 shen，角色 审计管理员）" in err
    status, _, err = shequ(
        *auditor, "export", "residents", "--out", str(tmp_path / "r.xlsx"), stdin="Audit#2027y\n"
    )
    assert status == 4 and "导出居民" in err
    # the administrator may not read citizens' data either
    status, _, err = shequ(
        *base, "export", "residents", "--out", str(tmp_path / "r.xlsx"), stdin=ADMIN + "\n"
    )
    assert status == 4 and "没有权限" in err


def test_users_list_disable_and_reset_password(with_admin, shequ):
    base = as_admin(with_admin)
    add = (
        "users",
        "add",
        "li",
        "--role",
        "网格员",
        "--grid",
        "GC-01-001",
        "--name",
        "李晓梅",
        "--password-stdin",
    )
    assert shequ(*base, *add, stdin=f"{ADMIN}\nGrid#2026x\n")[0] == 0
    status, out, _ = shequ(*base, "users", "list", stdin=ADMIN + "\n")
    assert status == 0
    lines = dict(line.split("\t", 1) for line in out.strip().splitlines())
    assert lines["li"] == "李晓梅\t网格员\t新华一网格\t待修改密码" and lines["zhang"].endswith("正常")
    assert shequ(*base, "users", "disable", "li", stdin=ADMIN + "\n")[0] == 0
    status, _, err = shequ(
        "--db",
        with_admin,
        "--user",
        "li",
        "--password-stdin",
        "users",
        "passwd",
        stdin="Grid#2026x\nNew#2026xx\n",
    )
    assert status == 3 and "已停用" in err
    assert "已停用" in shequ(*base, "users", "list", stdin=ADMIN + "\n")[1]
    assert shequ(*base, "users", "enable", "li", stdin=ADMIN + "\n")[0] == 0
    assert (
        shequ(*base, "users", "reset-password", "li", "--password-stdin", stdin=f"{ADMIN}\nReset#2026x\n")[0]
        == 0
    )
    status, _, err = shequ(
        "--db", with_admin, "--user", "li", "--password-stdin", "visits", "due", stdin="Reset#2026x\n"
    )
    assert status == 3 and "首次登录" in err
    status, _, err = shequ(
        *base, "users", "add", "li", "--role", "党务", "--password-stdin", stdin=f"{ADMIN}\nParty#2026x\n"
    )
    assert status != 0 and "已被使用" in err


def test_demo_creates_one_account_per_role(db, shequ, tmp_path):
    path = str(tmp_path / "demo.sqlite3")
    status, out, _ = shequ("--db", path, "demo")
    assert status == 0
    for login, role in [
        ("admin", "系统管理员"),
        ("auditor", "审计管理员"),
        ("street", "街道管理员/统计员"),
        ("secretary", "社区书记/主任"),
        ("mediator", "调解员"),
        ("gridworker", "网格员"),
        ("party", "党务"),
    ]:
        assert any(line.split()[:2] == [login, role] and "Demo@2026" in line for line in out.splitlines()), (
            login
        )
    grid = ["--db", path, "--user", "gridworker", "--password-stdin"]
    status, _, err = shequ(
        *grid, "export", "residents", "--out", str(tmp_path / "r.xlsx"), stdin="Demo@2026\n"
    )
    assert status == 4 and "导出居民" in err
    out_file = tmp_path / "s.xlsx"
    status, out, err = shequ(
        "--db",
        path,
        "--user",
        "street",
        "--password-stdin",
        "export",
        "residents",
        "--out",
        str(out_file),
        stdin="Demo@2026\n",
    )
    assert status == 0 and out_file.exists(), err
