"""A throwaway PostgreSQL cluster for the integration tests.

The session starts its own cluster (``initdb`` + ``pg_ctl``) in a temporary folder, on a free port on
127.0.0.1 and a private Unix socket folder, with ``fsync=off`` for speed, and removes it at the end.
Nothing touches a PostgreSQL server that may already run on the machine. Without the PostgreSQL
binaries (Debian: ``apt install postgresql``; or ``SHEQU_PG_BIN=/path/to/bin``) the tests are skipped.

``initdb`` refuses to run as root: under root the cluster is created and run by the ``postgres``
system user (``runuser``), which the Debian package creates.

Fixtures:
* ``pg_server`` (session): the running cluster;
* ``pg_session_url`` (session): one database for the whole session, as a ``postgresql+psycopg`` URL;
* ``pg_url``: a fresh, empty database (no tables) for one test;
* ``ctx``: overrides the SQLite ``ctx`` of ``tests/conftest.py`` with a migrated PostgreSQL database,
  emptied before each test, so fixtures built on it (``street_ctx``) run on PostgreSQL here;
* ``private_ctx``: like ``ctx``, on a database of its own (for tests that change the schema).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest
from sqlalchemy.engine import URL

from desktop.core.identity import Actor
from tests.conftest import MemoryKeyring

APP_ROLE = "shequ"
APP_PASSWORD = "网格-pw:%@/1"  # awkward on purpose: it must survive URLs and Alembic's config


def _find_bindir() -> Path | None:
    override = os.environ.get("SHEQU_PG_BIN")
    candidates = [Path(override)] if override else []

    def major(p: str) -> float:
        try:
            return float(Path(p).parent.name)
        except ValueError:
            return 0.0

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True)]
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    base: Path
    port: int
    run_as: list[str]
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> str:
        return str(self.base)

    def url(self, database: str, password: str | None = APP_PASSWORD) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=APP_ROLE,
            password=password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:
        """Run SQL as the cluster's superuser (over the private socket, autocommit)."""
        import psycopg

        with psycopg.connect(
            host=self.socket_dir, port=self.port, user="postgres", dbname=database, autocommit=True
        ) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_database(self, prefix: str = "t", template: str = "template0") -> URL:
        name = f"{prefix}_{next(self._names)}"
        self.admin(
            f'CREATE DATABASE "{name}" OWNER {APP_ROLE} TEMPLATE "{template}" ENCODING \'UTF8\' '
            "STRATEGY FILE_COPY"  # a plain copy of the template's files: fast with fsync off
        )
        return self.url(name)


def _start(bindir: Path) -> PgServer:
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            import pwd  # POSIX only: imported here so Windows can still collect the suite

            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres system user: initdb refuses to run as root")
        run_as = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="shequ-pg-"))
    if run_as:
        os.chown(base, pw.pw_uid, pw.pw_gid)
    data = base / "data"
    pwfile = base / "pw"
    pwfile.write_text("postgres-admin\n", encoding="utf-8")
    if run_as:
        os.chown(pwfile, pw.pw_uid, pw.pw_gid)

    def run(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, text=True, timeout=120)

    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            f"--pwfile={pwfile}",
            "--auth-local=trust",  # the fixture's admin connection, over the private socket
            "--auth-host=scram-sha-256",  # the app connects over TCP with a password, like a real server
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        for _attempt in range(3):
            port = _free_port()
            options = (
                f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
            )
            try:
                run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "30",
                    "-o", options, "start")  # fmt: skip
                break
            except subprocess.CalledProcessError:
                continue
        else:
            log = (base / "server.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"PostgreSQL did not start:\n{log[-2000:]}")
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    server = PgServer(bindir, base, port, run_as)
    try:
        server.admin(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}'")
    except BaseException:
        _stop(server)
        raise
    return server


def _stop(server: PgServer) -> None:
    with contextlib.suppress(Exception):
        subprocess.run(
            [*server.run_as, str(server.bindir / "pg_ctl"), "-D", str(server.base / "data"), "-m", "immediate",
             "-w", "stop"],
            capture_output=True,
            timeout=60,
        )  # fmt: skip
    shutil.rmtree(server.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql or set SHEQU_PG_BIN")
    server = _start(bindir)
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def pg_session_url(pg_server: PgServer) -> URL:
    """One database for the whole session (``postgresql+psycopg://shequ:…@127.0.0.1:port/shequ_1``)."""
    return pg_server.create_database("shequ")


@pytest.fixture
def pg_url(pg_server: PgServer) -> URL:
    """A fresh, empty database for one test."""
    return pg_server.create_database()


def render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_keyring() -> MemoryKeyring:
    """One in-memory keyring for the session: the databases copied from the migrated template share its
    identity, so they need its data key in every test."""
    return MemoryKeyring()


@pytest.fixture(autouse=True)
def memory_keyring(pg_keyring: MemoryKeyring) -> Iterator[MemoryKeyring]:
    old = keyring.get_keyring()
    keyring.set_keyring(pg_keyring)
    yield pg_keyring
    keyring.set_keyring(old)


@pytest.fixture(scope="session")
def pg_migrated_template(pg_server: PgServer, pg_keyring: MemoryKeyring) -> str:
    """A database migrated to head once per session; ``ctx`` copies it instead of migrating again."""
    from desktop.services.bootstrap import open_database

    url = pg_server.create_database("template_head")
    old = keyring.get_keyring()
    keyring.set_keyring(pg_keyring)  # its data key (migration 0010) goes where every test finds it
    try:
        opened = open_database(render(url))
    finally:
        keyring.set_keyring(old)
    opened.ctx.database.dispose()  # CREATE DATABASE … TEMPLATE needs it without connections
    assert url.database is not None
    return url.database


@dataclass
class SharedDatabase:
    """A migrated database that ``ctx`` empties before each test (much faster than a new database)."""

    server: PgServer
    url: URL
    reset_sql: str

    def empty(self) -> None:
        """Delete every row (children first), restart the ids, put back the head revision: one round trip."""
        assert self.url.database is not None
        self.server.admin(self.reset_sql, database=self.url.database)


@pytest.fixture(scope="session")
def pg_shared(pg_server: PgServer, pg_migrated_template: str) -> SharedDatabase:
    import db.schema
    from db.base import Base
    from db.migrate import head_revision

    db.schema.load_all()  # every table on Base.metadata: all of them are emptied between tests
    url = pg_server.create_database("shared", template=pg_migrated_template)
    assert url.database is not None
    present = {
        name
        for (name,) in pg_server.admin(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database=url.database
        )
    }
    sequences = [
        name
        for (name,) in pg_server.admin(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'", database=url.database
        )
    ]
    statements = ["BEGIN", "SET LOCAL lock_timeout = '5s'"]  # a leaked transaction fails loudly
    statements += [
        f'DELETE FROM "{t.name}"'
        for t in reversed(Base.metadata.sorted_tables)
        if t.name in present and t.name != "database_identity"  # the database keeps its data key
    ]
    statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
    statements += [f"UPDATE alembic_version SET version_num = '{head_revision()}'", "COMMIT"]
    return SharedDatabase(pg_server, url, ";\n".join(statements))


@pytest.fixture
def ctx(pg_shared: SharedDatabase, memory_keyring: MemoryKeyring):
    """A service context on an empty, migrated PostgreSQL database (overrides the SQLite one).

    Tests that change the schema or must keep their database use ``private_ctx`` or ``pg_url``."""
    from desktop.core.keys import HEAD_SERVICE
    from desktop.services.bootstrap import open_database

    pg_shared.empty()
    # emptying the audit trail is a truncation: the head kept outside the database goes with it (the keyed
    # chain only moves its head on while the trail still holds it, desktop.services.audit)
    for key in [k for k in memory_keyring.store if k[0] == HEAD_SERVICE]:
        del memory_keyring.store[key]
    opened = open_database(render(pg_shared.url), actor=Actor("测试员", "test-pc"))
    assert not opened.migration.changed
    yield opened.ctx
    opened.ctx.database.dispose()


@pytest.fixture
def private_ctx(pg_server: PgServer, pg_migrated_template: str):
    """A service context on a migrated database of its own (a copy of the migrated template)."""
    from desktop.services.bootstrap import open_database

    url = pg_server.create_database("private", template=pg_migrated_template)
    opened = open_database(render(url), actor=Actor("测试员", "test-pc"))
    yield opened.ctx
    opened.ctx.database.dispose()
