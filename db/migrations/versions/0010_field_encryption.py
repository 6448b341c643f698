"""personal data at rest (issue 13 §3, §4): the database's identity and data key, the keyed audit chain

* ``database_identity``: a random identity naming the data key, which is kept outside the database (OS keyring
  or an owner-only key file in the config folder, ``desktop.core.keys``), and a key check value;
* the audit chain is re-sealed once with HMAC-SHA256 under the audit subkey, and says so in a record of its own;
  full ID numbers and phones that older before/after snapshots kept in clear are masked first (PIPL Art. 51:
  encryption and de-identification), the re-seal record counting them;
* 身份证号 and phone numbers of residents, Party members, mediation parties (with agents and guardians),
  mediators, grid staff and event reporters are encrypted in place (AES-256-GCM, ``db.crypto.Encrypted``);
  residents and Party members get keyed blind indexes (HMAC-SHA256) for exact lookup and uniqueness, and the
  resident's ``phone_tail`` becomes the blind index of the last four digits.

The caller (``db.migrate.upgrade_to_head``) has made a verified backup of an existing SQLite database first, and
afterwards compacts the file (``VACUUM``, ``secure_delete`` is on) and empties its WAL, so no free page and no old
WAL frame keeps a plain value (``tests/unit/test_migration_residue.py``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:50:00
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

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
    old_prev, new_prev, first_bad, scrubbed = "", "", None, 0
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
        masked = {k: _masked_text(values[k], k != "summary") for k in ("summary", "before", "after")}
        if any(masked[k] != values[k] for k in masked):
            scrubbed += 1
            values.update(masked)
            canonical = _canonical_values(values)
        mac = chain_mac(h, new_prev, canonical)
        updates.append({"i": r["id"], "p": new_prev, "h": mac, **{k: values[k] for k in masked}})
        new_prev = mac
    for start in range(0, len(updates), 5000):
        conn.execute(
            sa.text(
                "UPDATE audit_record SET prev_hash = :p, hash = :h, summary = :summary, before = :before,"
                " after = :after WHERE id = :i"
            ),
            updates[start : start + 5000],
        )
    summary = f"审计链改用带密钥的 HMAC-SHA256 重新封存（{len(rows)} 条）"
    summary += f"；封存前核对原链：自第 {first_bad} 条起不一致" if first_bad is not None else "；封存前核对原链完好"
    if scrubbed:
        summary += f"；其中 {scrubbed} 条记录所含完整身份证号、电话已改为脱敏显示（个人信息保护法第五十一条）"
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


_SENSITIVE_KEYS = {c for cols in ENCRYPTED.values() for c in cols}
_ID_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _mask_in(text: str) -> str:
    """Every GB 11643 ID number (check character verified) and mobile number inside ``text``, masked."""
    from desktop.domain.identity import is_valid_id_number, mask_id_number, mask_phone

    def ident(m: re.Match[str]) -> str:
        return mask_id_number(m.group(0)) if is_valid_id_number(m.group(0).upper()) else m.group(0)

    return _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), _ID_RE.sub(ident, text))


def _masked_text(text: str | None, is_json: bool) -> str | None:
    """Before 0010 an audit snapshot kept the encrypted columns in clear (a mediation party's ID number, an event
    reporter's phone): mask them, by key and by shape, so no full value outlives the migration in the trail."""
    if not text:
        return text
    if not is_json:
        return _mask_in(text)
    try:
        data = json.loads(text)
    except ValueError:
        return _mask_in(text)
    from desktop.domain.identity import mask_id_number, mask_phone

    def walk(v: Any, key: str = "") -> Any:
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str) and v and "*" not in v and key in _SENSITIVE_KEYS:
            return mask_id_number(v) if "id_number" in key else mask_phone(v)
        return _mask_in(v) if isinstance(v, str) else v

    masked = walk(data)
    if masked == data:
        return text
    return json.dumps(masked, ensure_ascii=False, sort_keys=True)


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
