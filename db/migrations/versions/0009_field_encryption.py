"""personal data at rest (issue 13 §3, §4): the database's identity and data key, the keyed audit chain

* ``database_identity``: a random identity naming the data key, which is kept outside the database (OS keyring
  or an owner-only key file in the config folder, ``desktop.core.keys``), and a key check value;
* the audit chain is re-sealed once with HMAC-SHA256 under the audit subkey, and says so in a record of its own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from db.crypto import create_identity

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
    op.drop_table("database_identity")
