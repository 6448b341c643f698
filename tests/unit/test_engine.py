"""The engine: SQLite pragmas, which database a URL means, where SQLite may live, one write = one transaction."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

import db.location
from db.engine import KEYRING_SERVICE, Database, keyring_user, resolve_url
from db.location import check_sqlite_location
from db.migrate import alembic_config
from db.schema.audit import AuditRecord
from db.schema.structure import Community, Grid, Street
from desktop.core.errors import DatabaseError, UnsafeLocationError
from desktop.services import audit
from desktop.services import structure as st
from desktop.services.bootstrap import open_database

# ---------------------------------------------------------------- pragmas on every connection


def _pragmas(conn: sa.Connection) -> dict[str, object]:
    return {
        name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete")
    }


def test_every_pooled_connection_has_the_pragmas(ctx) -> None:
    engine = ctx.database.engine
    # several connections open at once (so the pool has to create new ones), then again from the pool
    for _round in range(2):
        conns = [engine.connect() for _ in range(4)]
        try:
            assert len({id(c.connection.driver_connection) for c in conns}) == 4
            for conn in conns:
                p = _pragmas(conn)
                assert p["journal_mode"] == "wal"
                assert p["synchronous"] == 2  # FULL
                assert p["foreign_keys"] == 1
                assert int(p["busy_timeout"]) >= 5000
                assert p["secure_delete"] == 1
        finally:
            for conn in conns:
                conn.close()


def test_pragmas_hold_inside_service_sessions(ctx) -> None:
    with ctx.write() as uow:
        conn = uow.session.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    with ctx.read() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_foreign_keys_are_enforced(ctx) -> None:
    with pytest.raises(sa.exc.IntegrityError), ctx.write() as uow:
        uow.session.add(Grid(community_id=12345, code="X-1", name="无主网格"))
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(Grid)) == 0


# ---------------------------------------------------------------- resolve_url


def test_plain_path_means_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = resolve_url("数据/shequ.sqlite3")
    assert url.get_backend_name() == "sqlite" and url.drivername == "sqlite+pysqlite"
    assert url.database == str(tmp_path.resolve() / "数据" / "shequ.sqlite3")  # absolute
    assert resolve_url(tmp_path / "a.sqlite3").database == str(tmp_path.resolve() / "a.sqlite3")


def test_home_in_a_path_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert resolve_url("~/shequ.sqlite3").database == str(tmp_path.resolve() / "shequ.sqlite3")


def test_default_is_the_sqlite_file_in_the_data_folder(isolated_home: Path) -> None:
    url = resolve_url(None)
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database) == isolated_home / "shequ.sqlite3"


def test_shequ_db_environment_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHEQU_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url(None).database == str(tmp_path / "env.sqlite3")
    # an explicit --db wins over the environment
    assert resolve_url(tmp_path / "arg.sqlite3").database == str(tmp_path / "arg.sqlite3")
    monkeypatch.setenv("SHEQU_DB", "postgresql://shequ@db.example/shequ")
    url = resolve_url(None)
    assert url.get_backend_name() == "postgresql" and url.host == "db.example"
    monkeypatch.setenv("SHEQU_DB", "")  # empty = not set
    assert resolve_url(None).get_backend_name() == "sqlite"


def test_postgresql_gets_the_psycopg_driver() -> None:
    assert resolve_url("postgresql://shequ:pw@db.example:5433/shequ").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://shequ:pw@db.example/shequ").drivername == "postgresql+psycopg"


def test_postgresql_password_comes_from_the_keyring(memory_keyring) -> None:
    bare = make_url("postgresql+psycopg://shequ@db.example:5433/shequ")
    assert keyring_user(bare) == "shequ@db.example:5433/shequ"
    secret = "p@ss:w/rd%50 网格"
    keyring.set_password(KEYRING_SERVICE, keyring_user(bare), secret)

    url = resolve_url("postgresql://shequ@db.example:5433/shequ")
    assert url.password == secret
    assert url.drivername == "postgresql+psycopg"
    # the password survives the trip through Alembic's config (ConfigParser '%' interpolation)
    rendered = alembic_config(Database(url, engine=sa.create_engine("sqlite://"))).get_main_option(
        "sqlalchemy.url"
    )
    assert make_url(rendered).password == secret
    # and never shows in what the status bar prints
    assert secret not in Database(url, engine=sa.create_engine("sqlite://")).describe()


def test_keyring_default_port_and_host() -> None:
    keyring.set_password(KEYRING_SERVICE, "shequ@localhost:5432/shequ", "pw")
    assert resolve_url("postgresql://shequ@/shequ").password == "pw"


def test_a_password_in_the_url_is_kept(memory_keyring) -> None:
    keyring.set_password(KEYRING_SERVICE, "shequ@db.example:5432/shequ", "from-keyring")
    assert resolve_url("postgresql://shequ:given@db.example/shequ").password == "given"


def test_no_keyring_entry_or_no_keyring_means_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url("postgresql://shequ@db.example/shequ").password is None

    def broken(*_a: object) -> str:
        raise RuntimeError("no backend")

    monkeypatch.setattr(keyring, "get_password", broken)
    assert resolve_url("postgresql://shequ@db.example/shequ").password is None


@pytest.mark.parametrize(
    "text", ["mysql://root@localhost/shequ", "oracle://scott@db/orcl", "mssql+pyodbc://sa@srv/x"]
)
def test_unknown_backend_is_refused(text: str) -> None:
    with pytest.raises(DatabaseError, match="不支持的数据库类型"):
        resolve_url(text)


def test_unreadable_url_is_refused() -> None:
    with pytest.raises(DatabaseError, match="无法识别"):
        resolve_url("postgresql://shequ@db.example:notaport/shequ")


# ---------------------------------------------------------------- where SQLite may live


@pytest.fixture
def local_fs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db.location, "_mount_fstype", lambda _p: "ext4")


def test_local_folder_is_accepted(tmp_path: Path, local_fs: None) -> None:
    check_sqlite_location(tmp_path / "shequ.sqlite3")


def test_the_real_temp_folder_is_accepted(tmp_path: Path) -> None:
    check_sqlite_location(tmp_path / "shequ.sqlite3")


@pytest.mark.parametrize("unc", ["//server/share/shequ.sqlite3", "//192.168.1.10/数据/shequ.sqlite3"])
def test_unc_path_is_refused(unc: str, local_fs: None) -> None:
    with pytest.raises(UnsafeLocationError, match="网络共享") as info:
        check_sqlite_location(Path(unc))
    assert "PostgreSQL" in str(info.value)
    assert isinstance(info.value, DatabaseError)


@pytest.mark.skipif(sys.platform != "win32", reason="backslash UNC paths are Windows paths")
def test_backslash_unc_path_is_refused() -> None:  # pragma: no cover - Windows only
    with pytest.raises(UnsafeLocationError, match="网络共享"):
        check_sqlite_location(Path(r"\\server\share\shequ.sqlite3"))


@pytest.mark.parametrize(
    "folder", ["OneDrive", "OneDrive - 钢城街道", "坚果云", "Nutstore", "百度网盘", "Dropbox"]
)
def test_cloud_sync_folder_is_refused(tmp_path: Path, folder: str, local_fs: None) -> None:
    with pytest.raises(UnsafeLocationError, match="云同步文件夹"):
        check_sqlite_location(tmp_path / folder / "社区" / "shequ.sqlite3")


@pytest.mark.skipif(sys.platform == "win32", reason="mount table check is for Linux/macOS")
@pytest.mark.parametrize("fstype", ["cifs", "nfs4", "nfs", "smb3", "fuse.sshfs", "fuse.rclone"])
def test_network_filesystem_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fstype: str) -> None:
    monkeypatch.setattr(db.location, "_mount_fstype", lambda _p: fstype)
    with pytest.raises(UnsafeLocationError, match="网络文件系统") as info:
        check_sqlite_location(tmp_path / "shequ.sqlite3")
    assert fstype in str(info.value) and "PostgreSQL" in str(info.value)


@pytest.mark.skipif(sys.platform == "win32", reason="reads /proc/mounts")
def test_mount_table_longest_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    table = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "//nas/share /mnt/share cifs rw 0 0\n"
        "/dev/sdb1 /mnt/share/local ext4 rw 0 0\n"
        "nas:/x /mnt/my\\040docs nfs4 rw 0 0\n"
    )
    monkeypatch.setattr(db.location, "open", lambda *_a, **_k: io.StringIO(table), raising=False)
    fstype = db.location._mount_fstype
    assert fstype(Path("/home/user/shequ.sqlite3")) == "ext4"
    assert fstype(Path("/mnt/share/shequ.sqlite3")) == "cifs"
    assert fstype(Path("/mnt/share/local/shequ.sqlite3")) == "ext4"  # a local disk mounted inside
    assert fstype(Path("/mnt/shared/shequ.sqlite3")) == "ext4"  # "/mnt/share" is not a prefix of it
    assert fstype(Path("/mnt/my docs/shequ.sqlite3")) == "nfs4"


def test_open_database_refuses_an_unsafe_place_and_creates_nothing(tmp_path: Path, local_fs: None) -> None:
    target = tmp_path / "OneDrive" / "shequ.sqlite3"
    with pytest.raises(UnsafeLocationError):
        open_database(target)
    assert not target.parent.exists()


# ---------------------------------------------------------------- one write = one transaction


@pytest.fixture
def sql_log(ctx):
    """Every SQL statement SQLite itself runs on the context's connections, plus SQLAlchemy's commits."""
    engine = ctx.database.engine
    statements: list[str] = []
    commits: list[int] = []

    def on_checkout(dbapi_conn, _record, _proxy) -> None:
        dbapi_conn.set_trace_callback(statements.append)

    def on_checkin(dbapi_conn, _record) -> None:
        dbapi_conn.set_trace_callback(None)

    def on_commit(_conn) -> None:
        commits.append(1)

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    event.listen(engine, "commit", on_commit)
    yield statements, commits
    event.remove(engine, "checkout", on_checkout)
    event.remove(engine, "checkin", on_checkin)
    event.remove(engine, "commit", on_commit)


def _tx_statements(statements: list[str]) -> list[str]:
    return [
        s.split()[0].upper() for s in statements if s.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK")
    ]


def test_one_write_block_is_one_transaction(ctx, sql_log) -> None:
    statements, commits = sql_log
    with ctx.write() as uow:
        s = uow.session
        street = Street(name="钢城街道")
        s.add(street)
        s.flush()
        for name in ("新华社区", "朝阳社区", "胜利社区"):
            s.add(Community(street_id=street.id, name=name))
            s.flush()
        uow.audit("create", "street", street.id, summary="街道")
        uow.audit("create", "community", None, summary="三个社区")
    assert _tx_statements(statements) == ["BEGIN", "COMMIT"]
    # a write takes the write lock up front, so it waits for another writer instead of failing mid-way
    assert [s for s in statements if s.upper().startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    assert len(commits) == 1
    inserts = [s for s in statements if s.upper().startswith("INSERT")]
    assert len(inserts) == 6  # 1 street + 3 communities + 2 audit records, all between BEGIN and COMMIT
    begin = next(i for i, s in enumerate(statements) if s.upper().startswith("BEGIN"))
    commit = next(i for i, s in enumerate(statements) if s.upper().startswith("COMMIT"))
    assert all(begin < statements.index(s) < commit for s in inserts)


def test_a_service_call_is_one_transaction_and_one_audit_record(ctx, sql_log) -> None:
    st.save_street(ctx, "钢城街道")
    community = st.save_community(ctx, st.CommunityInput("新华社区"))
    statements, commits = sql_log
    statements.clear()
    commits.clear()
    with ctx.read() as s:
        audits_before = s.scalar(select(func.count()).select_from(AuditRecord))
    st.save_grid(ctx, st.GridInput(community, "GC-01", "一网格", households=10))
    tx = _tx_statements(statements)
    # the read above is its own (empty) transaction; the save is exactly one BEGIN … COMMIT
    assert tx.count("COMMIT") == 2 and tx[-2:] == ["BEGIN", "COMMIT"]
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == audits_before + 1


def test_a_read_does_not_take_the_write_lock(ctx, sql_log) -> None:
    statements, _commits = sql_log
    with ctx.read() as s:
        s.scalar(select(func.count()).select_from(Street))
    assert [s for s in statements if s.upper().startswith("BEGIN")] == ["BEGIN"]


def test_an_exception_inside_write_leaves_nothing(ctx, sql_log) -> None:
    statements, commits = sql_log
    with pytest.raises(RuntimeError, match="停电"), ctx.write() as uow:
        s = uow.session
        street = Street(name="钢城街道")
        s.add(street)
        s.flush()
        s.add(Community(street_id=street.id, name="新华社区"))
        s.flush()
        uow.audit("create", "street", street.id)
        raise RuntimeError("停电")
    assert _tx_statements(statements) == ["BEGIN", "ROLLBACK"]
    assert commits == []
    with ctx.read() as s:
        for model in (Street, Community, AuditRecord):
            assert s.scalar(select(func.count()).select_from(model)) == 0


def test_a_failing_service_call_leaves_nothing(ctx) -> None:
    st.save_street(ctx, "钢城街道")
    community = st.save_community(ctx, st.CommunityInput("新华社区"))
    st.save_grid(ctx, st.GridInput(community, "GC-01", "一网格"))
    with ctx.read() as s:
        before = [s.scalar(select(func.count()).select_from(m)) for m in (Grid, AuditRecord)]
    with pytest.raises(Exception):  # noqa: B017 - the duplicate code is refused one way or another
        st.save_grid(ctx, st.GridInput(community, "GC-01", "重复网格"))
    with ctx.read() as s:
        assert [s.scalar(select(func.count()).select_from(m)) for m in (Grid, AuditRecord)] == before


# ---------------------------------------------------------------- concurrent writers (one PC, several threads)


def test_concurrent_writers_wait_for_each_other(ctx) -> None:
    """A background task and the UI write at the same time: both succeed (one waits), none is lost."""
    st.save_street(ctx, "钢城街道")
    community = st.save_community(ctx, st.CommunityInput("新华社区"))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(k: int) -> None:
        start.wait()
        for i in range(15):
            try:
                st.save_grid(ctx, st.GridInput(community, f"T{k}-{i:02d}", f"网格{k}-{i}"))
            except BaseException as exc:  # collected and reported below
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(st.list_grids(ctx)) == 60
    with ctx.read() as s:
        assert audit.verify_chain(s) is None
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == 62
