"""The audit trail: one record per change, with who/where/what/before/after, and a chain that shows tampering."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, ValidationError
from desktop.services import audit
from desktop.services import structure as st
from desktop.services.context import ServiceContext


def records(ctx: ServiceContext) -> list[AuditRecord]:
    with ctx.read() as s:
        return list(s.scalars(select(AuditRecord).order_by(AuditRecord.id)))


def grid_id(ctx: ServiceContext, code: str) -> int:
    return next(g.id for g in st.list_grids(ctx, include_retired=True) if g.code == code)


def staff_of(ctx: ServiceContext, code: str, role: str) -> st.StaffRow:
    return next(m for m in st.get_grid(ctx, grid_id(ctx, code)).staff if m.role == role)


def _cid(ctx: ServiceContext) -> int:
    return st.list_communities(ctx)[0].id


# each: (what the user does, action, entity, key in "after" that shows the change, its new value)
OPERATIONS: dict[str, tuple[Callable[[ServiceContext], object], str, str, str, object]] = {
    "update street": (
        lambda c: st.save_street(c, "钢城街道办事处"),
        "update",
        "street",
        "name",
        "钢城街道办事处",
    ),
    "create community": (
        lambda c: st.save_community(c, st.CommunityInput("胜利社区", code="03")),
        "create",
        "community",
        "name",
        "胜利社区",
    ),
    "update community": (
        lambda c: st.save_community(c, st.CommunityInput("新华社区", code="001", id=_cid(c))),
        "update",
        "community",
        "code",
        "001",
    ),
    "create grid": (
        lambda c: st.save_grid(c, st.GridInput(_cid(c), "GC-01-003", "新华三网格", "MICRO", None, 5, 9)),
        "create",
        "grid",
        "code",
        "GC-01-003",
    ),
    "update grid": (
        lambda c: st.save_grid(
            c, st.GridInput(_cid(c), "GC-01-002", "新华商圈网格", "DEDICATED", id=grid_id(c, "GC-01-002"))
        ),
        "update",
        "grid",
        "name",
        "新华商圈网格",
    ),
    "retire grid": (
        lambda c: st.retire_grid(c, grid_id(c, "GC-02-001"), "撤并", on=dt.date(2026, 11, 1)),
        "retire",
        "grid",
        "retired_on",
        "2026-11-01",
    ),
    "create staff": (
        lambda c: st.save_staff(
            c, st.StaffInput(grid_id(c, "GC-01-002"), "WORKER", "周强", phone="13909370001")
        ),
        "create",
        "grid_staff",
        "phone",
        "139****0001",  # encrypted at rest, so masked in the trail
    ),
    "update staff": (
        lambda c: st.save_staff(
            c,
            st.StaffInput(
                grid_id(c, "GC-01-001"),
                "CHIEF",
                "王建国",
                phone="13809379999",
                id=staff_of(c, "GC-01-001", "CHIEF").id,
            ),
        ),
        "update",
        "grid_staff",
        "phone",
        "138****9999",
    ),
    "retire staff": (
        lambda c: st.retire_staff(c, staff_of(c, "GC-01-001", "HELPER").id, "搬走", on=dt.date(2026, 10, 8)),
        "retire",
        "grid_staff",
        "retired_reason",
        "搬走",
    ),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_write_leaves_exactly_one_audit_record(street_ctx, name: str) -> None:
    do, action, entity, key, value = OPERATIONS[name]
    before_ids = {r.id for r in records(street_ctx)}
    do(street_ctx)
    new = [r for r in records(street_ctx) if r.id not in before_ids]
    assert len(new) == 1
    [rec] = new
    assert (rec.user, rec.host) == ("测试员", "test-pc")
    assert (rec.action, rec.entity) == (action, entity)
    assert rec.summary  # a line a person can read
    assert rec.at == street_ctx.utcnow().replace(microsecond=0)  # stamped by the context's clock
    after = json.loads(rec.after)
    assert after[key] == value
    assert rec.entity_id == str(after["id"])
    assert "created_at" not in after and "updated_at" not in after
    if action == "create":
        assert rec.before is None
        assert after["version"] == 1
    else:
        before = json.loads(rec.before)
        assert before["id"] == after["id"]
        assert before[key] != value
        assert after["version"] == before["version"] + 1
    with street_ctx.read() as s:
        assert audit.verify_chain(s) is None


def test_restore_is_recorded_with_before_and_after(street_ctx) -> None:
    gid = grid_id(street_ctx, "GC-01-002")
    st.retire_grid(street_ctx, gid, "撤并", on=dt.date(2026, 11, 1))
    st.restore_grid(street_ctx, gid)
    rec = records(street_ctx)[-1]
    assert (rec.action, rec.entity, rec.entity_id) == ("restore", "grid", str(gid))
    assert json.loads(rec.before)["retired_reason"] == "撤并"
    assert json.loads(rec.after)["retired_reason"] is None


def test_refused_writes_leave_no_audit_record(street_ctx) -> None:
    n = len(records(street_ctx))
    cid = _cid(street_ctx)
    with pytest.raises(ValidationError):
        st.save_grid(street_ctx, st.GridInput(cid, "", "无编号"))
    with pytest.raises(ConflictError):
        st.save_grid(street_ctx, st.GridInput(cid, "GC-01-001", "重复"))
    with pytest.raises(ConflictError):
        st.save_staff(street_ctx, st.StaffInput(grid_id(street_ctx, "GC-01-001"), "CHIEF", "第二个网格长"))
    with pytest.raises(ValidationError):
        st.save_staff(
            street_ctx, st.StaffInput(grid_id(street_ctx, "GC-01-001"), "WORKER", "周强", phone="12345")
        )
    assert len(records(street_ctx)) == n


def test_the_fixture_history_is_complete(street_ctx) -> None:
    """street + 2 communities + 3 grids + 3 staff = 9 changes = 9 records, oldest first, one chain."""
    recs = records(street_ctx)
    assert [(r.action, r.entity) for r in recs] == [("create", "street")] + [("create", "community")] * 2 + [
        ("create", "grid")
    ] * 3 + [("create", "grid_staff")] * 3
    assert recs[0].prev_hash == ""
    for prev, rec in itertools.pairwise(recs):
        assert rec.prev_hash == prev.hash and len(rec.hash) == 64


def test_audit_text_is_readable_json(street_ctx) -> None:
    rec = next(r for r in records(street_ctx) if r.entity == "grid")
    assert "新华一网格" in rec.after  # Chinese kept as is, not \\u escapes
    keys = list(json.loads(rec.after))
    assert keys == sorted(keys)


def test_list_for_filters_and_decodes(street_ctx) -> None:
    gid = grid_id(street_ctx, "GC-01-001")
    st.save_grid(street_ctx, st.GridInput(_cid(street_ctx), "GC-01-001", "新华一网格（改）", id=gid))
    with street_ctx.read() as s:
        rows = audit.list_for(s, "grid", gid)
        assert [r.action for r in rows] == ["update", "create"]  # newest first
        assert rows[0].before["name"] == "新华一网格" and rows[0].after["name"] == "新华一网格（改）"
        assert len(audit.list_for(s, "grid")) == 4
        assert len(audit.list_for(s, limit=2)) == 2
        assert {r.entity for r in audit.list_for(s)} == {"street", "community", "grid", "grid_staff"}


def test_snapshot_is_json_ready(street_ctx) -> None:
    gid = grid_id(street_ctx, "GC-01-001")
    st.retire_grid(street_ctx, gid, "撤并", on=dt.date(2026, 11, 1))
    with street_ctx.read() as s:
        snap = audit.snapshot(s.get(Grid, gid))
    json.dumps(snap)
    assert snap["retired_on"] == "2026-11-01" and snap["kind"] == "BASIC"
    assert "created_at" not in snap and "updated_at" not in snap


# ---------------------------------------------------------------- the chain shows tampering


def tamper(ctx: ServiceContext, sql: str, **params: object) -> None:
    """What someone with a SQLite browser could do: change the table behind the app's back."""
    with ctx.database.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def chain_break(ctx: ServiceContext) -> int | None:
    with ctx.read() as s:
        return audit.verify_chain(s)


def test_an_intact_chain_verifies(street_ctx) -> None:
    assert chain_break(street_ctx) is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", "什么也没发生"),
        ("user", "别人"),
        ("host", "other-pc"),
        ("action", "update"),
        ("entity_id", "999"),
        ("before", '{"name": "x"}'),
        ("after", '{"name": "x"}'),
        ("at", "2020-01-01 00:00:00.000000"),
        ("hash", "0" * 64),
    ],
)
def test_an_edited_record_is_found(street_ctx, column: str, value: str) -> None:
    ids = [r.id for r in records(street_ctx)]
    victim = ids[4]
    tamper(street_ctx, f'UPDATE audit_record SET "{column}" = :v WHERE id = :id', v=value, id=victim)
    found = chain_break(street_ctx)
    assert found == victim  # the first record that does not hash to what it says


def test_a_deleted_record_is_found(street_ctx) -> None:
    ids = [r.id for r in records(street_ctx)]
    tamper(street_ctx, "DELETE FROM audit_record WHERE id = :id", id=ids[3])
    assert chain_break(street_ctx) == ids[4]  # the first record whose predecessor is gone


def test_deleting_the_first_record_is_found(street_ctx) -> None:
    ids = [r.id for r in records(street_ctx)]
    tamper(street_ctx, "DELETE FROM audit_record WHERE id = :id", id=ids[0])
    assert chain_break(street_ctx) == ids[1]


def test_new_records_after_tampering_do_not_hide_it(street_ctx) -> None:
    ids = [r.id for r in records(street_ctx)]
    tamper(street_ctx, "UPDATE audit_record SET summary = '改过' WHERE id = :id", id=ids[2])
    st.save_grid(street_ctx, st.GridInput(_cid(street_ctx), "GC-01-009", "新网格"))
    assert chain_break(street_ctx) == ids[2]


def test_audit_count_matches_changes_in_one_transaction(ctx) -> None:
    with ctx.write() as uow:
        uow.audit("export", "resident", None, summary="导出花名册 10 人")
        uow.audit("reveal", "resident", 7, summary="查看身份证号")
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == 2
        assert audit.verify_chain(s) is None
        assert [r.entity_id for r in audit.list_for(s)] == ["7", None]
