"""PostgreSQL as a tested backend: migrations, the structure services, optimistic locking across PCs,
an audit chain that does not fork under concurrent writers, refusal of a newer schema."""

from __future__ import annotations

import shutil
import textwrap
import threading
import time
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.engine import URL

import db.schema
from db import migrate
from db.backup import backup_dir_for
from db.base import Base
from db.engine import KEYRING_SERVICE, Database, keyring_user
from db.schema.audit import AuditRecord
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, DatabaseError, SchemaTooNewError
from desktop.core.identity import Actor
from desktop.services import audit
from desktop.services import structure as st
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext

from .conftest import APP_PASSWORD, render

pytestmark = pytest.mark.postgres

db.schema.load_all()  # every table on Base.metadata
OUR_TABLES = set(Base.metadata.tables)


def tables(url: URL) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def scalar(url: URL, sql: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def execute(url: URL, sql: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def second_pc(ctx: ServiceContext, user: str = "李四", host: str = "pc-2") -> ServiceContext:
    """Another PC on the same server: its own engine and connections."""
    return ServiceContext(Database(ctx.database.url), Actor(user, host))


# ---------------------------------------------------------------- the fixture itself


def test_session_database_is_reachable(pg_session_url: URL) -> None:
    assert pg_session_url.drivername == "postgresql+psycopg"
    assert scalar(pg_session_url, "SELECT current_user") == "shequ"
    assert str(scalar(pg_session_url, "SHOW server_encoding")) == "UTF8"


# ---------------------------------------------------------------- migrations


def test_migrations_to_head(pg_url: URL) -> None:
    opened = open_database(render(pg_url))
    try:
        m = opened.migration
        assert (m.from_revision, m.to_revision) == (None, migrate.head_revision())
        assert m.backup_path is None  # the server backs itself up; no file backups here
        assert not opened.ctx.database.is_sqlite
        assert opened.ctx.database.describe().startswith("PostgreSQL：shequ@127.0.0.1/")
        assert APP_PASSWORD not in opened.ctx.database.describe()
    finally:
        opened.ctx.database.dispose()
    assert tables(pg_url) == OUR_TABLES | {"alembic_version"}
    assert scalar(pg_url, "SELECT version_num FROM alembic_version") == migrate.head_revision()

    again = open_database(render(pg_url))
    try:
        assert not again.migration.changed
    finally:
        again.ctx.database.dispose()


def test_migrations_match_the_models_on_postgres(ctx: ServiceContext) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with ctx.database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"模型与迁移脚本不一致：{diff}"


def test_upgrade_downgrade_upgrade(pg_url: URL) -> None:
    database = Database(pg_url)
    cfg = migrate.alembic_config(database)  # the way the alembic CLI runs: env.py makes its own engine
    try:
        command.upgrade(cfg, "head")
        created = tables(pg_url)
        assert {"alembic_version", "grid", "resident", "audit_record"} <= created
        command.downgrade(cfg, "base")
        assert tables(pg_url) == {"alembic_version"}
        assert scalar(pg_url, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'") == 1  # the pk
        command.upgrade(cfg, "head")
        assert tables(pg_url) == created
    finally:
        database.dispose()


NEXT_REVISION = '''
    """test-only: grid.color

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
        op.add_column("grid", sa.Column("color", sa.String(length=20), nullable=True))


    def downgrade() -> None:
        op.drop_column("grid", "color")
'''


def test_an_older_schema_is_upgraded_in_place(
    private_ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = private_ctx
    st.save_street(ctx, "钢城街道")
    url = render(ctx.database.url)
    ctx.database.dispose()
    current = migrate.head_revision()
    target = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "versions" / "9000_test_next.py").write_text(
        textwrap.dedent(NEXT_REVISION).replace("{current}", current), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", target)

    opened = open_database(url)
    try:
        assert (opened.migration.from_revision, opened.migration.to_revision) == (current, "9000_test_next")
        assert opened.migration.backup_path is None
        assert st.get_street(opened.ctx).name == "钢城街道"
        with opened.ctx.read() as s:
            assert "color" in {c["name"] for c in sa.inspect(s.connection()).get_columns("grid")}
    finally:
        opened.ctx.database.dispose()


def _fingerprint(url: URL) -> tuple[object, ...]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(sa.inspect(conn).get_table_names())
            content = tuple(
                conn.execute(
                    sa.text(
                        f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{n}\" t"
                    )
                ).scalar()
                for n in names
            )
            columns = tuple(tuple(c["name"] for c in sa.inspect(conn).get_columns(n)) for n in names)
            return tuple(names), content, columns
    finally:
        engine.dispose()


def test_a_newer_schema_is_refused_and_untouched(private_ctx: ServiceContext) -> None:
    st.save_street(private_ctx, "钢城街道")
    st.save_community(private_ctx, st.CommunityInput("新华社区"))
    url = private_ctx.database.url
    private_ctx.database.dispose()
    execute(url, "UPDATE alembic_version SET version_num = '9999_future'")
    before = _fingerprint(url)

    with pytest.raises(SchemaTooNewError) as info:
        open_database(render(url))

    assert "更新版本" in str(info.value) and "9999_future" in str(info.value)
    assert APP_PASSWORD not in str(info.value)
    assert _fingerprint(url) == before


def test_a_foreign_database_is_refused_and_untouched(pg_url: URL) -> None:
    execute(pg_url, "CREATE TABLE invoices (id serial PRIMARY KEY, amount numeric)")
    before = _fingerprint(pg_url)
    with pytest.raises(DatabaseError, match="其他程序") as info:
        open_database(render(pg_url))
    assert not isinstance(info.value, SchemaTooNewError)
    assert _fingerprint(pg_url) == before


# ---------------------------------------------------------------- connecting: keyring, wrong password


def test_password_from_the_keyring(pg_url: URL, memory_keyring) -> None:
    bare = pg_url.set(password=None).set(drivername="postgresql")
    keyring.set_password(KEYRING_SERVICE, keyring_user(bare), APP_PASSWORD)
    opened = open_database(bare.render_as_string(hide_password=False))
    try:
        assert opened.ctx.database.url.drivername == "postgresql+psycopg"
        st.save_street(opened.ctx, "钢城街道")
    finally:
        opened.ctx.database.dispose()


def test_wrong_password_is_a_clear_error(pg_url: URL) -> None:
    with pytest.raises(DatabaseError, match="无法") as info:
        open_database(pg_url.set(password="wrong-pw").render_as_string(hide_password=False))
    assert "wrong-pw" not in str(info.value)
    assert "PostgreSQL" in str(info.value)


def test_no_file_backups_for_postgres(ctx: ServiceContext) -> None:
    with pytest.raises(DatabaseError, match="服务器备份"):
        backup_dir_for(ctx.database)


# ---------------------------------------------------------------- the structure services, the same as on SQLite


def test_structure_services(street_ctx: ServiceContext) -> None:
    ctx = street_ctx
    rows = st.list_grids(ctx)
    assert [r.code for r in rows] == ["GC-01-001", "GC-01-002", "GC-02-001"]
    assert (rows[0].chiefs, rows[0].workers, rows[0].helper_count) == ("王建国", "李晓梅", 1)
    assert [(c.name, c.grid_count) for c in st.list_communities(ctx)] == [("新华社区", 2), ("朝阳社区", 1)]
    assert [r.code for r in st.list_grids(ctx, search="新华路")] == ["GC-01-001"]

    g2 = rows[1]
    st.save_grid(
        ctx, st.GridInput(g2.community_id, g2.code, "新华商圈网格", g2.kind, id=g2.id, version=g2.version)
    )
    with pytest.raises(ConflictError, match="已被网格“新华一网格”使用"):
        st.save_grid(ctx, st.GridInput(g2.community_id, "GC-01-001", "重复"))
    with pytest.raises(ConflictError, match="已有网格长王建国"):
        st.save_staff(ctx, st.StaffInput(rows[0].id, "CHIEF", "陈刚"))

    import datetime as dt

    st.retire_grid(ctx, g2.id, "撤并", on=dt.date(2026, 11, 1))
    assert [r.code for r in st.list_grids(ctx)] == ["GC-01-001", "GC-02-001"]
    assert len(st.list_grids(ctx, include_retired=True)) == 3
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(Grid)) == 3
        assert s.get(Grid, g2.id).retired_reason == "撤并"
    st.restore_grid(ctx, g2.id)
    helper = next(m for m in st.get_grid(ctx, rows[0].id).staff if m.role == "HELPER")
    st.retire_staff(ctx, helper.id, "搬走")
    assert st.get_grid(ctx, rows[0].id, include_retired_staff=True).staff[-1].retired_reason == "搬走"

    with ctx.read() as s:
        recs = audit.list_for(s, limit=1000)
        assert len(recs) == 9 + 4  # the fixture's nine, then update, retire, restore, retire staff
        assert [r.action for r in recs[:4]] == ["retire", "restore", "retire", "update"]
        assert {(r.user, r.host) for r in recs} == {("测试员", "test-pc")}
        assert audit.verify_chain(s) is None


# ---------------------------------------------------------------- optimistic locking across two PCs


def test_stale_version_from_another_pc_is_refused(street_ctx: ServiceContext) -> None:
    other = second_pc(street_ctx)
    try:
        gid = st.list_grids(street_ctx)[0].id
        mine = st.get_grid(street_ctx, gid).grid
        theirs = st.get_grid(other, gid).grid
        st.save_grid(other, st.GridInput(theirs.community_id, theirs.code, "他们改的名字", theirs.kind,
                                         id=gid, version=theirs.version))  # fmt: skip
        with pytest.raises(ConflictError, match="已被其他用户修改"):
            st.save_grid(street_ctx, st.GridInput(mine.community_id, mine.code, "我改的名字", mine.kind,
                                                  id=gid, version=mine.version))  # fmt: skip
        assert st.get_grid(street_ctx, gid).grid.name == "他们改的名字"
    finally:
        other.database.dispose()


def test_orm_version_check_across_connections(street_ctx: ServiceContext) -> None:
    """Both PCs hold the row in open transactions; the one that flushes second gets a ConflictError."""
    other = second_pc(street_ctx)
    try:
        gid = st.list_grids(street_ctx)[0].id
        with pytest.raises(ConflictError, match="记录已被其他用户修改"), street_ctx.write() as uow:
            mine = uow.session.get(Grid, gid)
            assert mine is not None and mine.version == 1
            # meanwhile, on the other PC (its own connection, committed)
            st.save_grid(other, st.GridInput(mine.community_id, mine.code, "他们改的名字", mine.kind, id=gid))
            mine.name = "我改的名字"
            uow.session.flush()  # UPDATE … WHERE id = :id AND version = 1 → 0 rows
        assert st.get_grid(street_ctx, gid).grid.name == "他们改的名字"
        assert st.get_grid(street_ctx, gid).grid.version == 2
    finally:
        other.database.dispose()


def test_simultaneous_saves_of_one_version_one_wins(street_ctx: ServiceContext) -> None:
    other = second_pc(street_ctx)
    try:
        row = st.list_grids(street_ctx)[0]
        start = threading.Barrier(2)
        results: dict[str, object] = {}

        def save(who: str, c: ServiceContext) -> None:
            start.wait()
            try:
                st.save_grid(c, st.GridInput(row.community_id, row.code, f"{who}的名字", row.kind,
                                             id=row.id, version=row.version))  # fmt: skip
                results[who] = "saved"
            except ConflictError as exc:
                results[who] = exc

        threads = [threading.Thread(target=save, args=a) for a in (("我", street_ctx), ("他", other))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(type(v).__name__ for v in results.values()) == ["ConflictError", "str"]
        winner = next(k for k, v in results.items() if v == "saved")
        now = st.get_grid(street_ctx, row.id).grid
        assert (now.name, now.version) == (f"{winner}的名字", row.version + 1)
    finally:
        other.database.dispose()


# ---------------------------------------------------------------- the audit chain under concurrent writers


def _interleaved_audits(ctx: ServiceContext) -> tuple[float, float]:
    """PC 1 writes an audit record and keeps its transaction open a moment; PC 2 writes one meanwhile.

    Returns (when PC 1 committed, when PC 2's record was written)."""
    pc1, pc2 = second_pc(ctx, "甲", "pc-1"), second_pc(ctx, "乙", "pc-2")
    first_written = threading.Event()
    times: dict[str, float] = {}
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with pc1.write() as uow:
                uow.audit("update", "grid", 1, summary="甲的修改")
                first_written.set()
                time.sleep(0.25)
            times["committed"] = time.monotonic()
        except BaseException as exc:
            errors.append(exc)
            first_written.set()

    def two() -> None:
        try:
            first_written.wait(10)
            with pc2.write() as uow:
                uow.audit("update", "grid", 2, summary="乙的修改")
                times["written"] = time.monotonic()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    pc1.database.dispose()
    pc2.database.dispose()
    assert errors == []
    return times["committed"], times["written"]


def test_second_writer_waits_for_the_chain_tail(street_ctx: ServiceContext) -> None:
    committed, written = _interleaved_audits(street_ctx)
    assert written >= committed  # PC 2 waited on pg_advisory_xact_lock until PC 1 committed
    with street_ctx.read() as s:
        assert audit.verify_chain(s) is None
        last_two = audit.list_for(s, limit=2)
        assert [r.summary for r in last_two] == ["乙的修改", "甲的修改"]


def test_without_the_lock_the_chain_would_fork(
    street_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control experiment: take pg_advisory_xact_lock out and the same interleaving breaks the chain."""

    class NoLock:
        @staticmethod
        def text(sql: str) -> sa.TextClause:
            return sa.text("SELECT 1" if "pg_advisory_xact_lock" in sql else sql)

    monkeypatch.setattr(audit, "sa", NoLock)
    committed, written = _interleaved_audits(street_ctx)
    assert written < committed
    with street_ctx.read() as s:
        broken = audit.verify_chain(s)
        assert broken is not None
        assert s.get(AuditRecord, broken).summary == "乙的修改"


def test_audit_chain_holds_with_two_busy_writers(street_ctx: ServiceContext) -> None:
    pcs = [second_pc(street_ctx, "甲", "pc-1"), second_pc(street_ctx, "乙", "pc-2")]
    community = st.list_communities(street_ctx)[0].id
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(k: int) -> None:
        start.wait()
        for i in range(15):
            try:
                st.save_grid(pcs[k], st.GridInput(community, f"P{k}-{i:02d}", f"网格{k}-{i}"))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for pc in pcs:
        pc.database.dispose()
    assert errors == []
    with street_ctx.read() as s:
        assert audit.verify_chain(s) is None
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == 9 + 30
        users = [
            u
            for (u,) in s.execute(select(AuditRecord.user).where(AuditRecord.id > 9).order_by(AuditRecord.id))
        ]
        assert sorted(set(users)) == ["乙", "甲"]
