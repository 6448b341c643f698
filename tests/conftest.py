"""Shared fixtures. Every test runs with its own data folder, an in-memory keyring and a fixed clock.

The clock: every service context a test makes reads :data:`TODAY` (a Monday), never the system clock, so the
suite gives the same answers on any date (``python3 installer/dev.py test-dates`` proves it). A test that is
about a particular date moves the clock (``clock.set(...)``) or passes the date to the rule it tests.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop.core.clock import FixedClock
from desktop.core.identity import Actor

#: the date every test lives on unless it says otherwise: a Monday, 10:00 local time
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0)


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def file_keys(memory_keyring: MemoryKeyring) -> None:
    """Data keys in the owner-only key file under the test's config folder (``FileStore``), not the in-memory
    keyring: for tests whose child processes open the same database (they inherit SHEQU_HOME, and with no
    usable keyring they read the same key file). Ask for it before the database fixtures."""
    from keyring.backends import null

    keyring.set_keyring(null.Keyring())


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SHEQU_HOME points at a fresh folder: no test touches the real user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("SHEQU_HOME", str(home))
    monkeypatch.delenv("SHEQU_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture(autouse=True)
def _commands_without_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command-line tests of the areas run on databases without accounts; the rule that such a database
    runs only ``users add … --role 管理员`` and ``demo`` is tested in tests/unit/test_users_cli.py."""
    monkeypatch.setattr("desktop.cli.auth.ADMIN_FIRST", False)


@pytest.fixture
def clock() -> FixedClock:
    """The fixed clock of this test's service contexts; ``clock.set(date)`` moves it."""
    return FixedClock(NOW)


@pytest.fixture(autouse=True)
def _pinned_clock(clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Contexts made without an explicit clock (the app's main(), the CLI, a second PC) get the test's clock."""
    monkeypatch.setattr("desktop.services.context.clock_from_environment", lambda: clock)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "shequ.sqlite3"


@pytest.fixture
def ctx(db_path: Path, clock: FixedClock):
    """A service context on a fresh, migrated SQLite database, on the test's fixed clock."""
    from desktop.services.bootstrap import open_database

    opened = open_database(db_path, actor=Actor("测试员", "test-pc"), clock=clock)
    yield opened.ctx
    opened.ctx.database.dispose()


@pytest.fixture
def street_ctx(ctx):
    """A context whose database has a street, two communities and three grids with staff."""
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
    return ctx


@pytest.fixture
def shequ(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The command line in this process: ``shequ(*argv, stdin="密码\n")`` → (exit code, stdout, stderr)."""
    import io

    from desktop.app import main

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run
