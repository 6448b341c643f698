"""Opening a database: create from empty, reopen, refuse what is not ours or too new, back up first."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

import db.backup
import db.schema
from db import migrate
from db.backup import verify_backup
from db.base import Base
from db.engine import Database, resolve_url
from db.schema.people import Resident, ResidentTag
from db.schema.structure import Community, Street
from desktop.core.errors import DatabaseError, SchemaTooNewError
from desktop.core.identity import Actor
from desktop.services.bootstrap import open_database

ACTOR = Actor("测试员", "test-pc")
db.schema.load_all()  # every table on Base.metadata
OUR_TABLES = set(Base.metadata.tables)

# The release we are (the real head), and a test-only revision on top of it for the "older schema" tests.
# It rebuilds ``resident`` (a table that others reference, with ON DELETE CASCADE from resident_tag) the
# way SQLite batch migrations do, so it also proves that foreign keys are really OFF during a migration.
CURRENT = migrate.head_revision()
NEXT = "9000_test_next"
REV_NEXT = '''
    """test-only: resident.nickname (batch rebuild)

    Revision ID: 9000_test_next
    Revises: {current}
    """

    import sqlalchemy as sa
    from alembic import op

    revision = "9000_test_next"
    down_revision = "{current}"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        with op.batch_alter_table("resident", recreate="always") as batch_op:
            batch_op.add_column(sa.Column("nickname", sa.String(length=30), nullable=True))


    def downgrade() -> None:
        with op.batch_alter_table("resident", recreate="always") as batch_op:
            batch_op.drop_column("nickname")
'''


# ---------------------------------------------------------------- helpers


def fingerprint(path: Path) -> tuple[str, int, int]:
    data = path.read_bytes()
    st = path.stat()
    return hashlib.sha256(data).hexdigest(), st.st_mtime_ns, st.st_size


def tables_of(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("sqlite_")
        }
    finally:
        conn.close()


def revision_of(path: Path) -> str | None:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        return rows[0][0] if rows else None
    finally:
        conn.close()


def columns_of(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def install_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Call it to "install" the next release: a copy of db/migrations plus a test-only revision on top
    of the current head, with db.migrate pointed at it (monkeypatch undoes it after the test)."""

    def install() -> Path:
        target = tmp_path / "migrations_next"
        shutil.copytree(migrate.MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
        (target / "versions" / "9000_test_next.py").write_text(
            textwrap.dedent(REV_NEXT).replace("{current}", CURRENT), encoding="utf-8"
        )
        monkeypatch.setattr(migrate, "MIGRATIONS_DIR", target)
        assert migrate.head_revision() == NEXT
        return target

    return install


def make_current_database_with_data(db_path: Path) -> None:
    """A database written by the current release, holding a resident with two tags."""
    assert migrate.head_revision() == CURRENT
    opened = open_database(db_path, actor=ACTOR)
    try:
        with opened.ctx.write() as uow:
            s = uow.session
            street = Street(name="钢城街道")
            s.add(street)
            s.flush()
            community = Community(street_id=street.id, name="新华社区")
            s.add(community)
            s.flush()
            resident = Resident(name="张三", community_id=community.id)
            resident.tags = [ResidentTag(tag="独居老人"), ResidentTag(tag="低保")]
            s.add(resident)
    finally:
        opened.ctx.database.dispose()


def alembic_with_connection(database: Database, fn, *args) -> None:
    """Run an Alembic command the way db.migrate does: on a connection of our engine."""
    with database.engine.connect() as conn:
        cfg = migrate.alembic_config(database)
        cfg.attributes["connection"] = conn
        fn(cfg, *args)
        conn.commit()


def alembic_by_url(database: Database, fn, *args) -> None:
    """Run an Alembic command the way the ``alembic`` CLI does: env.py makes its own engine from the URL."""
    fn(migrate.alembic_config(database), *args)


# ---------------------------------------------------------------- from empty, reopen


def test_empty_database_is_created_at_head(db_path: Path) -> None:
    assert not db_path.exists()
    opened = open_database(db_path, actor=ACTOR)
    try:
        outcome = opened.migration
        assert outcome.from_revision is None
        assert outcome.to_revision == migrate.head_revision() == CURRENT
        assert outcome.backup_path is None  # nothing to back up
        assert outcome.changed
    finally:
        opened.ctx.database.dispose()
    assert tables_of(db_path) == OUR_TABLES | {"alembic_version"}
    assert revision_of(db_path) == migrate.head_revision()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_second_open_changes_nothing(db_path: Path) -> None:
    from desktop.services import structure as st

    first = open_database(db_path, actor=ACTOR)
    st.save_street(first.ctx, "钢城街道")
    first.ctx.database.dispose()

    second = open_database(db_path, actor=ACTOR)
    try:
        assert second.migration.from_revision == second.migration.to_revision == migrate.head_revision()
        assert not second.migration.changed
        assert second.migration.backup_path is None
        assert st.get_street(second.ctx).name == "钢城街道"
    finally:
        second.ctx.database.dispose()
    backups = db_path.parent / "backups"
    assert not backups.exists() or not list(backups.glob("**/*.sqlite3"))


# ---------------------------------------------------------------- refusals leave the file untouched


def test_database_from_a_newer_version_is_refused_and_untouched(db_path: Path) -> None:
    opened = open_database(db_path, actor=ACTOR)
    opened.ctx.database.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = fingerprint(db_path)

    with pytest.raises(SchemaTooNewError) as info:
        open_database(db_path, actor=ACTOR)

    message = str(info.value)
    assert "更新版本" in message and "9999_future" in message and "未做任何修改" in message
    assert isinstance(info.value, DatabaseError)
    assert fingerprint(db_path) == before
    assert not (db_path.parent / "backups").exists()  # refused before any backup or migration


def test_newer_version_is_refused_by_check_compatible_too(db_path: Path) -> None:
    opened = open_database(db_path, actor=ACTOR)
    opened.ctx.database.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    database = Database(resolve_url(db_path))
    try:
        with pytest.raises(SchemaTooNewError):
            migrate.upgrade_to_head(database)
    finally:
        database.dispose()
    assert revision_of(db_path) == "9999_future"


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other-app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO books (title) VALUES ('红楼梦')")
    conn.commit()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    before = fingerprint(path)

    with pytest.raises(DatabaseError) as info:
        open_database(path, actor=ACTOR)

    assert not isinstance(info.value, SchemaTooNewError)
    assert "其他程序" in str(info.value) and "books" in str(info.value)
    # not even switched to WAL (that rewrites the header): byte for byte the same file
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other-app")) == ["other-app.db"]


def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "名册.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is an Excel file, not a database\n" * 200)
    before = fingerprint(path)

    with pytest.raises(DatabaseError) as info:
        open_database(path, actor=ACTOR)

    assert "不是 SQLite 数据库" in str(info.value)
    assert str(path) in str(info.value)
    assert fingerprint(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("名册")] == ["名册.sqlite3"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data.sqlite3"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="文件夹"):
        open_database(folder, actor=ACTOR)


# ---------------------------------------------------------------- an older schema: verified backup first


def test_older_schema_is_backed_up_then_migrated(db_path: Path, install_next) -> None:
    # write the database with the current release, then "install" the next one
    make_current_database_with_data(db_path)
    install_next()
    assert revision_of(db_path) == CURRENT

    opened = open_database(db_path, actor=ACTOR)
    try:
        outcome = opened.migration
        assert (outcome.from_revision, outcome.to_revision) == (CURRENT, NEXT)
        backup = outcome.backup_path
        assert backup is not None and backup.exists()
        assert backup.name.endswith("-migration.sqlite3")
        assert backup.parent.parent == db_path.parent / "backups"  # backups/<identity>/
        assert backup.with_suffix(".json").exists()
        # the backup is verified and holds the data as it was *before* the migration
        verify_backup(backup)
        assert revision_of(backup) == CURRENT
        assert "nickname" not in columns_of(backup, "resident")
        assert count(backup, "resident") == 1 and count(backup, "resident_tag") == 2
        # the live database was migrated and lost nothing: the rebuilt ``resident`` table kept its
        # rows, and the resident_tag rows (ON DELETE CASCADE) survived the DROP of the old table
        assert revision_of(db_path) == NEXT
        assert "nickname" in columns_of(db_path, "resident")
        assert count(db_path, "resident") == 1 and count(db_path, "resident_tag") == 2
        with opened.ctx.read() as s:
            assert s.execute(sa.text("PRAGMA foreign_key_check")).fetchall() == []
    finally:
        opened.ctx.database.dispose()


def test_foreign_keys_are_back_on_after_a_migration(db_path: Path, install_next) -> None:
    make_current_database_with_data(db_path)
    install_next()

    opened = open_database(db_path, actor=ACTOR)
    try:
        engine = opened.ctx.database.engine
        # the connection the migration used went back to the pool: it must enforce foreign keys again
        conns = [engine.connect() for _ in range(3)]
        try:
            for c in conns:
                assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            for c in conns:
                c.close()
        with pytest.raises(sa.exc.IntegrityError), opened.ctx.write() as uow:
            uow.session.add(Resident(name="李四", community_id=999))
    finally:
        opened.ctx.database.dispose()


def test_no_migration_when_the_backup_fails(
    db_path: Path,
    install_next,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_current_database_with_data(db_path)
    install_next()

    def failing_backup(*_args, **_kwargs):
        raise DatabaseError("备份失败：磁盘已满")

    monkeypatch.setattr(db.backup, "create_backup", failing_backup)
    with pytest.raises(DatabaseError, match="备份失败"):
        open_database(db_path, actor=ACTOR)
    assert revision_of(db_path) == CURRENT
    assert "nickname" not in columns_of(db_path, "resident")


# ---------------------------------------------------------------- upgrade → downgrade base → upgrade


@pytest.mark.parametrize("runner", [alembic_with_connection, alembic_by_url], ids=["connection", "url"])
@pytest.mark.parametrize("with_next", [False, True], ids=["current", "current+next"])
def test_upgrade_downgrade_upgrade(db_path: Path, install_next, runner, with_next) -> None:
    if with_next:
        install_next()
    head = migrate.head_revision()
    db_path.parent.mkdir(parents=True)
    database = Database(resolve_url(db_path))
    try:
        runner(database, command.upgrade, "head")
        assert revision_of(db_path) == head
        created = tables_of(db_path)
        assert {"alembic_version", "grid", "resident", "audit_record"} <= created

        runner(database, command.downgrade, "base")
        assert revision_of(db_path) is None
        conn = sqlite3.connect(db_path)
        try:
            leftovers = conn.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            ).fetchall()
        finally:
            conn.close()
        assert leftovers == []  # every table and index dropped

        runner(database, command.upgrade, "head")
        assert revision_of(db_path) == head
        assert tables_of(db_path) == created
        with database.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        database.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(db_path: Path, install_next) -> None:
    make_current_database_with_data(db_path)
    target = install_next()
    script = target / "versions" / "9000_test_next.py"
    script.write_text(
        script.read_text(encoding="utf-8").replace(
            '        batch_op.add_column(sa.Column("nickname", sa.String(length=30), nullable=True))\n',
            '        batch_op.add_column(sa.Column("nickname", sa.String(length=30), nullable=True))\n'
            '    op.execute("DELETE FROM resident_tag")\n'
            '    raise RuntimeError("migration bug")\n',
            1,
        ),
        encoding="utf-8",
    )
    assert "migration bug" in script.read_text(encoding="utf-8")
    with pytest.raises(RuntimeError, match="migration bug"):
        open_database(db_path, actor=ACTOR)
    # nothing half-applied: same revision, same columns, same rows; and the backup was taken first
    assert revision_of(db_path) == CURRENT
    assert "nickname" not in columns_of(db_path, "resident")
    assert count(db_path, "resident_tag") == 2
    assert len(list((db_path.parent / "backups").glob("*/*-migration.sqlite3"))) == 1


def test_migrations_match_the_models(db_path: Path) -> None:
    """The schema the migrations build is the schema the ORM expects (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    opened = open_database(db_path, actor=ACTOR)
    try:
        with opened.ctx.database.engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"render_as_batch": True})
            diff = compare_metadata(mc, Base.metadata)
    finally:
        opened.ctx.database.dispose()
    assert diff == [], f"模型与迁移脚本不一致，需要新的迁移：{diff}"
