"""personal data at rest (issue 13 §3, §4): the database's identity and data key, the keyed audit chain

* ``database_identity``: a random identity naming the data key, which is kept outside the database (OS keyring
  or an owner-only key file in the config folder, ``desktop.core.keys``), and a key check value;
* the audit chain is re-sealed once with HMAC-SHA256 under the audit subkey, and says so in a record of its own;
* 身份证号 and phone numbers of residents, Party members, mediation parties (with agents and guardians),
  mediators, grid staff and event reporters are encrypted in place (AES-256-GCM, ``db.crypto.Encrypted``);
  residents and Party members get keyed blind indexes (HMAC-SHA256) for exact lookup and uniqueness, and the
  resident's ``phone_tail`` becomes the blind index of the last four digits.

The caller (``db.migrate.upgrade_to_head``) has made a verified backup of an existing SQLite database first.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from db.crypto import create_identity, holder

    op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=36), nullable=False),
        sa.Column("key_check", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_identity")),
    )
    conn = op.get_bind()
    create_identity(conn)
    _reseal_audit_chain(conn)
    _widen_columns()
    _encrypt_rows(conn, decrypt=False)
    # every row grew in place: a compacted file reads the register as fast as before (and keeps no free page)
    holder(conn.dialect).vacuum_after_migration = True


ENCRYPTED = {
    "resident": ("id_number", "phone"),
    "party_member": ("id_number", "phone"),
    "mediator": ("phone",),
    "case_party": ("phone", "id_number", "agent_id_number", "agent_phone", "guardian_id_number", "guardian_phone"),
    "grid_event": ("reporter_phone",),
    "grid_staff": ("phone",),
}
_OLD_LENGTH = {"id_number": 18, "agent_id_number": 18, "guardian_id_number": 18}


def _widen_columns() -> None:
    with op.batch_alter_table("resident", schema=None) as b:
        b.drop_constraint("uq_resident_id_number", type_="unique")
        b.alter_column("id_number", existing_type=sa.String(length=18), type_=sa.String(length=120))
        b.alter_column("phone", existing_type=sa.String(length=30), type_=sa.String(length=120))
        b.alter_column("phone_tail", existing_type=sa.String(length=4), type_=sa.String(length=32))
        b.add_column(sa.Column("id_number_bidx", sa.String(length=32), nullable=True))
        b.add_column(sa.Column("phone_bidx", sa.String(length=32), nullable=True))
        b.add_column(sa.Column("id_region", sa.String(length=6), nullable=True))
        b.create_unique_constraint(b.f("uq_resident_id_number_bidx"), ["id_number_bidx"])
        b.create_index(b.f("ix_resident_id_region"), ["id_region"], unique=False)
        b.create_index(b.f("ix_resident_phone_bidx"), ["phone_bidx"], unique=False)
    with op.batch_alter_table("party_member", schema=None) as b:
        b.drop_constraint("uq_party_member_id_number", type_="unique")
        b.alter_column("id_number", existing_type=sa.String(length=18), type_=sa.String(length=120))
        b.alter_column("phone", existing_type=sa.String(length=30), type_=sa.String(length=120))
        b.add_column(sa.Column("id_number_bidx", sa.String(length=32), nullable=True))
        b.create_unique_constraint(b.f("uq_party_member_id_number_bidx"), ["id_number_bidx"])
    for table in ("mediator", "case_party", "grid_event", "grid_staff"):
        with op.batch_alter_table(table, schema=None) as b:
            for col in ENCRYPTED[table]:
                b.alter_column(
                    col, existing_type=sa.String(length=_OLD_LENGTH.get(col, 30)), type_=sa.String(length=120)
                )


def _encrypt_rows(conn: sa.Connection, *, decrypt: bool) -> None:
    """Encrypt (or, downgrading, decrypt) every stored value in place, 5,000 rows per statement."""
    from db.crypto import holder, load_keys

    if holder(conn.dialect).keys is None:
        load_keys(conn)
    keys = holder(conn.dialect).require()
    for table, cols in ENCRYPTED.items():
        blind = table in ("resident", "party_member")
        rows = conn.execute(sa.text(f"SELECT id, {', '.join(cols)} FROM {table}")).all()
        params: list[dict[str, object]] = []
        for row in rows:
            p: dict[str, object] = {"row_id": row[0]}
            for col, value in zip(cols, row[1:], strict=True):
                column = f"{table}.{col}"
                if value is None:
                    p[col] = None
                elif decrypt:
                    p[col] = keys.decrypt(value, column)
                else:
                    p[col] = keys.encrypt(value, column)
            if blind and not decrypt:
                plain = dict(zip(cols, row[1:], strict=True))
                ident = plain["id_number"]
                p["id_number_bidx"] = None if ident is None else keys.blind("id_number", ident)
                if table == "resident":
                    p["id_region"] = None if ident is None else ident[:6]
                    phone = plain["phone"]
                    p["phone_bidx"] = None if phone is None else keys.blind("phone", phone)
                    p["phone_tail"] = None if not phone else keys.blind("phone_tail", phone[-4:])
            elif table == "resident" and decrypt:
                phone = p["phone"]
                p["phone_tail"] = phone[-4:] if isinstance(phone, str) and phone else None
            params.append(p)
        if not params:
            continue
        sets = ", ".join(f"{k} = :{k}" for k in params[0] if k != "row_id")
        stmt = sa.text(f"UPDATE {table} SET {sets} WHERE id = :row_id")
        for start in range(0, len(params), 5000):
            conn.execute(stmt, params[start : start + 5000])


def _reseal_audit_chain(conn: sa.Connection) -> None:
    """Re-seal the unkeyed SHA-256 chain with the keyed MAC, once, and say so in a record of its own.

    The old chain is checked first: if it was already broken, the record names where, so re-sealing never
    launders an earlier change."""
    import hashlib
    import socket

    from db.base import utcnow
    from db.crypto import holder
    from desktop.services.audit import _canonical_values, chain_mac

    h = holder(conn.dialect)
    cols = ["id", "at", "user", "host", "action", "entity", "entity_id", "summary", "before", "after", "prev_hash", "hash"]
    rows = conn.execute(sa.text(f"SELECT {', '.join(cols)} FROM audit_record ORDER BY id")).mappings().all()
    if not rows:  # a new database: nothing to re-seal
        return
    old_prev, new_prev, first_bad = "", "", None
    updates: list[dict[str, object]] = []
    for r in rows:
        values = dict(r)
        at = values["at"]
        if isinstance(at, str):
            import datetime as dt

            values["at"] = at = dt.datetime.fromisoformat(at)
        canonical = _canonical_values(values)
        if first_bad is None and (
            r["prev_hash"] != old_prev or r["hash"] != hashlib.sha256(old_prev.encode("ascii") + canonical).hexdigest()
        ):
            first_bad = r["id"]
        old_prev = r["hash"]
        mac = chain_mac(h, new_prev, canonical)
        updates.append({"i": r["id"], "p": new_prev, "h": mac})
        new_prev = mac
    for start in range(0, len(updates), 5000):
        conn.execute(sa.text("UPDATE audit_record SET prev_hash = :p, hash = :h WHERE id = :i"), updates[start : start + 5000])
    summary = f"审计链改用带密钥的 HMAC-SHA256 重新封存（{len(rows)} 条）"
    summary += f"；封存前核对原链：自第 {first_bad} 条起不一致" if first_bad is not None else "；封存前核对原链完好"
    values = {
        "at": utcnow().replace(microsecond=0),
        "user": "系统迁移",
        "host": (socket.gethostname() or "localhost")[:80],
        "action": "reseal",
        "entity": "audit_record",
        "entity_id": None,
        "summary": summary,
        "before": None,
        "after": None,
    }
    mac = chain_mac(h, new_prev, _canonical_values(values))
    conn.execute(
        sa.text(
            "INSERT INTO audit_record (at, user, host, action, entity, entity_id, summary, before, after, prev_hash, hash)"
            " VALUES (:at, :user, :host, :action, :entity, :entity_id, :summary, :before, :after, :prev_hash, :hash)"
        ),
        {**values, "prev_hash": new_prev, "hash": mac},
    )
    last = conn.execute(sa.text("SELECT MAX(id) FROM audit_record")).scalar_one()
    h.pending_head = (int(last), mac)


def downgrade() -> None:
    conn = op.get_bind()
    _encrypt_rows(conn, decrypt=True)
    for table in ("mediator", "case_party", "grid_event", "grid_staff"):
        with op.batch_alter_table(table, schema=None) as b:
            for col in ENCRYPTED[table]:
                b.alter_column(
                    col, existing_type=sa.String(length=120), type_=sa.String(length=_OLD_LENGTH.get(col, 30))
                )
    with op.batch_alter_table("party_member", schema=None) as b:
        b.drop_constraint("uq_party_member_id_number_bidx", type_="unique")
        b.drop_column("id_number_bidx")
        b.alter_column("id_number", existing_type=sa.String(length=120), type_=sa.String(length=18))
        b.alter_column("phone", existing_type=sa.String(length=120), type_=sa.String(length=30))
        b.create_unique_constraint("uq_party_member_id_number", ["id_number"])
    with op.batch_alter_table("resident", schema=None) as b:
        b.drop_index("ix_resident_phone_bidx")
        b.drop_index("ix_resident_id_region")
        b.drop_column("id_region")
        b.drop_constraint("uq_resident_id_number_bidx", type_="unique")
        b.drop_column("phone_bidx")
        b.drop_column("id_number_bidx")
        b.alter_column("id_number", existing_type=sa.String(length=120), type_=sa.String(length=18))
        b.alter_column("phone", existing_type=sa.String(length=120), type_=sa.String(length=30))
        b.alter_column("phone_tail", existing_type=sa.String(length=32), type_=sa.String(length=4))
        b.create_unique_constraint("uq_resident_id_number", ["id_number"])
    op.drop_table("database_identity")
