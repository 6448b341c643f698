"""Issue 13 §6 on PostgreSQL: the data key and the audit key never go into the database (whatever the app's
database role can read holds neither, in any encoding), and a second PC opens the shared database only after
importing the recovery key into its own key store; both PCs then write one chain that each verifies."""

from __future__ import annotations

import base64
import hashlib

import keyring
import pytest
from sqlalchemy import select

from db.crypto import holder, keys_of
from db.engine import Database
from db.schema.audit import AuditRecord
from desktop.core.identity import Actor
from desktop.core.keys import HEAD_SERVICE, KEY_SERVICE, KeyMissingError
from desktop.services import keys as key_service
from desktop.services import structure as st
from desktop.services.audit import verify_audit_chain
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext
from tests.conftest import MemoryKeyring
from tests.integration.conftest import render

pytestmark = pytest.mark.postgres


def _spellings(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        secret.hex().upper().encode(),
        base64.b64encode(secret),
        base64.b32encode(secret).rstrip(b"="),
        base64.urlsafe_b64encode(secret).rstrip(b"="),
    ]


def _everything_the_app_role_reads(ctx: ServiceContext) -> bytes:
    """Every row of every table and view the app's own database role can select, as text."""
    out: list[bytes] = []
    with ctx.database.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            " AND has_table_privilege(quote_ident(table_schema) || '.' || quote_ident(table_name), 'SELECT')"
        ).all()
        assert any(n == "audit_record" for _s, n in names)
        for schema, name in names:
            rows = conn.exec_driver_sql(f'SELECT t::text FROM "{schema}"."{name}" t').all()
            out += [r[0].encode("utf-8") for r in rows]
        # settings, comments and the role's own options: nothing the app could have parked a key in
        out += [str(r).encode() for r in conn.exec_driver_sql("SELECT name, setting FROM pg_settings").all()]
        out += [
            str(r).encode()
            for r in conn.exec_driver_sql(
                "SELECT rolname, rolconfig FROM pg_roles WHERE rolname = current_user"
            ).all()
        ]
        out += [
            str(r).encode()
            for r in conn.exec_driver_sql("SELECT objoid, description FROM pg_description").all()
        ]
    return b"\n".join(out)


def test_no_key_is_in_the_database(street_ctx: ServiceContext, memory_keyring: MemoryKeyring) -> None:
    key_service.recovery_key(street_ctx)  # shown (and audited): the record names the showing, not the key
    keys = keys_of(street_ctx.database)
    secrets = [
        *_spellings(keys.master),
        *_spellings(keys._audit),
        *_spellings(keys._blind),
        *_spellings(keys._derive(b"field-encryption")),
        *_spellings(keys._derive(b"backup-file")),
        keys.recovery_key().encode(),
        keys.recovery_key().replace("-", "").encode(),
    ]
    dumped = _everything_the_app_role_reads(street_ctx)
    assert keys.identity.encode() in dumped  # the dump did read the database (its identity is there)
    found = [s[:8] for s in secrets if s in dumped]
    assert not found, f"key material in the database: {found}"
    # the key is in this PC's key store, the head beside it; the database has only a one-way check value
    assert memory_keyring.store[(KEY_SERVICE, keys.identity)] == base64.b64encode(keys.master).decode()
    assert (HEAD_SERVICE, keys.identity) in memory_keyring.store
    assert hashlib.sha256(keys.master).hexdigest().encode() not in dumped


def test_a_second_pc_imports_the_recovery_key_and_both_keep_one_chain(
    street_ctx: ServiceContext, memory_keyring: MemoryKeyring
) -> None:
    recovery = keys_of(street_ctx.database).recovery_key()
    url = render(street_ctx.database.url)
    other_pc = MemoryKeyring()
    keyring.set_keyring(other_pc)
    try:
        with pytest.raises(KeyMissingError, match="shequ keys import") as refused:
            open_database(url, actor=Actor("李晓梅", "pc-2"))
        assert refused.value.exit_status == 5 and "数据库未做任何修改" in str(refused.value)
        assert key_service.import_key(url, recovery)  # its own key store, not the database
        assert other_pc.store[(KEY_SERVICE, keys_of(street_ctx.database).identity)]
        pc2 = ServiceContext(Database(street_ctx.database.url), Actor("李晓梅", "pc-2"), street_ctx.clock)
        st.save_community(pc2, st.CommunityInput("光明社区", code="03"))
        assert verify_audit_chain(pc2).intact
        pc2_head = holder(pc2.database.engine.dialect).load_head()
        pc2.database.dispose()
    finally:
        keyring.set_keyring(memory_keyring)
    # PC 1 writes after PC 2: its own head (older) is still in the trail, so it moves on; both verify
    st.save_community(street_ctx, st.CommunityInput("阳光社区", code="04"))
    verdict = verify_audit_chain(street_ctx)
    assert verdict.intact, verdict.message
    with street_ctx.read() as s:
        hosts = [h for (h,) in s.execute(select(AuditRecord.host).order_by(AuditRecord.id.desc()).limit(2))]
    assert hosts == ["test-pc", "pc-2"]
    assert pc2_head is not None and pc2_head[0] < holder(street_ctx.database.engine.dialect).load_head()[0]
