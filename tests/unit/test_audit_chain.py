"""The keyed audit chain: HMAC under a key outside the database, the chain head kept outside too, so an edited,
re-hashed or truncated trail is found (``shequ audit verify``, ``verify_audit_chain``); an old unkeyed chain is
re-sealed once by migration 0010 and says so."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from db import migrate
from db.engine import Database, resolve_url
from desktop.cli import parse_args, run
from desktop.core.identity import Actor
from desktop.services import structure as st
from desktop.services.audit import _canonical_values, list_for, verify_audit_chain
from desktop.services.bootstrap import open_database


def _verify_cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(parse_args(["--db", str(db_path), "audit", "verify"]))
    out = capsys.readouterr()
    return code, out.out + out.err


def _raw(db_path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _ids(db_path: Path) -> list[int]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM audit_record ORDER BY id")]
    finally:
        conn.close()


def test_intact_chain_verifies(street_ctx, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    verdict = verify_audit_chain(street_ctx)
    assert verdict.intact and verdict.checked == 9 and "与库外链头一致" in verdict.message
    code, text = _verify_cli(db_path, capsys)
    assert code == 0 and "审计链完好：共 9 条" in text


def test_an_edited_payload_names_that_record(
    street_ctx, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = _ids(db_path)[4]
    _raw(db_path, "UPDATE audit_record SET summary = summary || '（改）' WHERE id = ?", victim)
    verdict = verify_audit_chain(street_ctx)
    assert not verdict.intact and verdict.first_broken_id == victim
    code, text = _verify_cli(db_path, capsys)
    assert code != 0 and f"第 {victim} 条" in text


def test_an_edit_rehashed_without_the_key_is_still_found(street_ctx, db_path: Path) -> None:
    """Whoever edits the file can recompute plain SHA-256 (the old chain), but not the keyed MAC."""
    ids = _ids(db_path)
    victim = ids[2]
    _raw(db_path, "UPDATE audit_record SET user = '别人' WHERE id = ?", victim)
    conn = sqlite3.connect(db_path, detect_types=sqlite3.PARSE_DECLTYPES)
    cols = ["at", "user", "host", "action", "entity", "entity_id", "summary", "before", "after"]
    prev = ""
    for (rid,) in conn.execute("SELECT id FROM audit_record ORDER BY id").fetchall():
        row = dict(
            zip(
                cols,
                conn.execute(f"SELECT {', '.join(cols)} FROM audit_record WHERE id=?", (rid,)).fetchone(),
                strict=True,
            )
        )
        row["at"] = dt.datetime.fromisoformat(str(row["at"]))
        new = hashlib.sha256(prev.encode() + _canonical_values(row)).hexdigest()
        conn.execute("UPDATE audit_record SET prev_hash=?, hash=? WHERE id=?", (prev, new, rid))
        prev = new
    conn.commit()
    conn.close()
    verdict = verify_audit_chain(street_ctx)
    assert not verdict.intact and verdict.first_broken_id == ids[0]  # the very first MAC is already wrong


@pytest.mark.parametrize("n", [1, 3])
def test_deleting_the_newest_records_is_detected(
    street_ctx, db_path: Path, capsys: pytest.CaptureFixture[str], n: int
) -> None:
    ids = _ids(db_path)
    _raw(db_path, "DELETE FROM audit_record WHERE id > ?", ids[-1 - n])
    verdict = verify_audit_chain(street_ctx)
    assert not verdict.intact and verdict.truncated
    assert f"最后一条是第 {ids[-1]} 条" in verdict.message and f"只到第 {ids[-1 - n]} 条" in verdict.message
    code, text = _verify_cli(db_path, capsys)
    assert code != 0 and "审计记录被截断" in text


def test_a_rolled_back_write_does_not_move_the_head(street_ctx) -> None:
    with pytest.raises(RuntimeError), street_ctx.write() as uow:
        uow.audit("create", "x", 1, summary="会回滚")
        raise RuntimeError("boom")
    assert verify_audit_chain(street_ctx).intact
    st.save_street(street_ctx, "钢城街道（改）", district="长城区", city="嘉峪关市")
    assert verify_audit_chain(street_ctx).intact


def _old_database(db_path: Path, entries: int) -> None:
    """A 0008 database with an unkeyed (plain SHA-256) chain, as older versions wrote it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(resolve_url(db_path))
    with database.engine.connect() as conn:
        cfg = migrate.alembic_config(database)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.commit()
    database.dispose()
    conn = sqlite3.connect(db_path)
    prev = ""
    for i in range(entries):
        values = {
            "at": dt.datetime(2026, 1, 1, 8, i),
            "user": "老王",
            "host": "pc",
            "action": "create",
            "entity": "street",
            "entity_id": str(i),
            "summary": f"第{i}次",
            "before": None,
            "after": None,
        }
        h = hashlib.sha256(prev.encode() + _canonical_values(values)).hexdigest()
        conn.execute(
            "INSERT INTO audit_record (at, user, host, action, entity, entity_id, summary, before, after, prev_hash, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                values["at"].isoformat(sep=" "),
                *(
                    values[k]
                    for k in ("user", "host", "action", "entity", "entity_id", "summary", "before", "after")
                ),
                prev,
                h,
            ),
        )
        prev = h
    conn.commit()
    conn.close()


def test_migration_reseals_an_old_chain_and_records_it(db_path: Path, clock) -> None:
    _old_database(db_path, 5)
    opened = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock)
    ctx = opened.ctx
    assert opened.migration.backup_path is not None  # behind the verified pre-migration backup
    verdict = verify_audit_chain(ctx)
    assert verdict.intact and verdict.checked == 6
    with ctx.read() as s:
        (reseal,) = [r for r in list_for(s) if r.action == "reseal"]
    assert "重新封存（5 条）" in reseal.summary and "原链完好" in reseal.summary
    ctx.database.dispose()


def test_migration_of_a_tampered_old_chain_says_where_it_was_broken(db_path: Path, clock) -> None:
    _old_database(db_path, 5)
    _raw(db_path, "UPDATE audit_record SET summary = '改过' WHERE id = 3")
    opened = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock)
    with opened.ctx.read() as s:
        (reseal,) = [r for r in list_for(s) if r.action == "reseal"]
    assert "自第 3 条起不一致" in reseal.summary
    opened.ctx.database.dispose()
