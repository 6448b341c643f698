"""Issue 16: an import's audit is a few compressed, chained blocks instead of one record per row, and still
holds every row's change: each imported resident's and household's values are rebuilt from the blocks alone
and match the database field by field; a changed byte or index row is found by ``shequ audit verify``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditEntryIndex, AuditRecord
from db.schema.events import GridEvent
from db.schema.people import Household, Resident, ResidentTag
from desktop.cli import parse_args, run
from desktop.services.accounts.audit_log import AuditQuery, audit_choices, search_audit
from desktop.services.audit import collected, list_for, record_block, snapshot, verify_audit_chain
from desktop.services.audit_detail import BLOCK_ACTION, AuditEntry, pack, unpack
from desktop.services.residents.exchange import import_residents
from tests.unit.resident_rosters import make_id, person, write_csv

TIERS = ("绿色", "蓝色", "橙色", "红色")
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "建国秀兰志强丽娟海燕明华春梅"


def roster_rows(n: int, *, changed: bool = False) -> list[list[object]]:
    """``n`` residents, 3 to a household, with phones, tags, tiers and notes; ``changed``: the same people
    with a new phone, tier and note for every fifth and a new address for every seventh household."""
    rows = []
    for k in range(n):
        moved = changed and (k // 3) % 7 == 0
        edited = changed and k % 5 == 0
        rows.append(
            person(
                SURNAMES[k % 10] + GIVEN[k // 10 % 14] + GIVEN[k // 140 % 14],
                make_id(
                    born=f"19{60 + k // 300 % 30:02d}0{1 + k // 28 % 9}{1 + k % 28:02d}",
                    seq=f"{k % 1000:03d}",
                ),
                phone=f"13{9 - edited}{k:08d}",
                estate="新华小区",
                building=f"{k // 60 + 1}号楼",
                unit="1",
                room=f"{k // 3 % 20 + 101 + (100 if moved else 0)}",
                household=f"H{k // 3:05d}",
                relation="户主" if k % 3 == 0 else "子女",
                tags="残疾人" if k % 4 == 0 else ("低保户、独居老人" if k % 9 == 0 else None),
                tier=TIERS[(k + edited) % 4],
                notes=f"第{k}号{'，已更正' if edited else ''}",
            )
        )
    return rows


def rebuild(ctx: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record's latest values, from the audit blocks alone: the raw compressed bytes, oldest first."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    with ctx.read() as s:
        details = s.scalars(
            select(AuditRecord.detail).where(AuditRecord.detail.is_not(None)).order_by(AuditRecord.id)
        ).all()
    for detail in details:
        for b in unpack(detail):
            e = b.entry
            key = (e.entity, str(e.entity_id))
            if e.action == "create":
                assert key not in state and e.before is None
            else:
                assert (
                    e.action == "update" and e.before == state[key]
                )  # each change starts where the last ended
            state[key] = e.after or {}
    return state


def register(ctx: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The database's residents and households as an audit snapshot gives them (ID numbers, phones masked)."""
    with ctx.read() as s:
        tags: dict[int, list[str]] = {}
        for rid, tag in s.execute(select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.id)):
            tags.setdefault(rid, []).append(tag)
        out = {
            ("resident", str(r.id)): snapshot(r) | {"tags": tags.get(r.id, [])}
            for r in s.scalars(select(Resident))
        }
        out |= {("household", str(h.id)): snapshot(h) for h in s.scalars(select(Household))}
    return out


@pytest.fixture
def imported(street_ctx, tmp_path: Path):
    first = import_residents(
        street_ctx, write_csv(tmp_path / "a.csv", roster_rows(300), encoding="utf-8-sig")
    )
    assert first.created == 300 and first.rejected == 0
    again = import_residents(
        street_ctx, write_csv(tmp_path / "b.csv", roster_rows(300, changed=True), encoding="utf-8-sig")
    )
    assert again.updated == 60 and again.households_updated == 15 and again.rejected == 0
    return street_ctx


def test_every_imported_row_is_rebuilt_from_the_blocks_field_by_field(imported) -> None:
    rebuilt = rebuild(imported)
    db = register(imported)
    assert set(rebuilt) == set(db)  # every resident and household, nothing extra
    assert len([k for k in db if k[0] == "resident"]) == 300
    for key, values in db.items():
        got = dict(rebuilt[key])
        if key[0] == "resident":  # the import also keeps the phone's last four digits (a blind index here)
            assert got.pop("phone_tail") == (values["phone"][-4:] if values["phone"] else None)
        assert set(got) == set(values), key
        for field, value in values.items():
            assert got[field] == value, (key, field)
    updated = [v for k, v in rebuilt.items() if k[0] == "resident" and v["version"] == 2]
    assert len(updated) == 60 and all(v["phone"].startswith("138") for v in updated)


def test_an_import_writes_a_few_blocks_not_a_record_per_row(imported) -> None:
    with imported.read() as s:
        blocks = s.execute(select(AuditRecord.after).where(AuditRecord.action == BLOCK_ACTION)).all()
        per_row = s.scalar(
            select(func.count()).where(
                AuditRecord.entity.in_(["resident", "household"]), AuditRecord.detail.is_(None)
            )
        )
        indexed = s.scalar(select(func.count()).select_from(AuditEntryIndex))
    assert len(blocks) == 2 and per_row == 2  # one block and one batch record per import
    assert sum(json.loads(a)["entries"] for (a,) in blocks) == 300 + 100 + 60 + 15
    assert indexed == 300 + 100 + 60 + 15  # a resident or household once per block holding its change


def test_no_full_id_number_or_phone_is_kept_in_a_block(imported) -> None:
    with imported.read() as s:
        text = "\n".join(
            json.dumps([b.entry.before, b.entry.after], ensure_ascii=False)
            for d in s.scalars(select(AuditRecord.detail).where(AuditRecord.detail.is_not(None)))
            for b in unpack(d)
        )
    sample = roster_rows(300)[7]
    assert str(sample[4]) not in text and str(sample[6]) not in text
    assert str(sample[4])[:6] + "********" in text and "****" in text  # masked like an ordinary record


def test_the_history_of_one_resident_shows_each_change(imported) -> None:
    with imported.read() as s:
        rid = s.scalar(select(Resident.id).where(Resident.version == 2).order_by(Resident.id))
        rows = list_for(s, "resident", rid)
    assert [r.action for r in rows] == ["update", "create"] and all(r.seq is not None for r in rows)
    assert rows[0].before == rows[1].after and rows[0].after is not None and rows[0].after["version"] == 2
    lines = search_audit(imported, AuditQuery(entity="resident", entity_id=str(rid)))  # the 审计日志 page
    assert [(x.action, x.entity) for x in lines] == [("update", "resident"), ("create", "resident")]
    assert lines[1].summary.startswith("导入居民")
    updates = search_audit(imported, AuditQuery(entity="resident", action="update"))
    assert len(updates) == 60 and len({(x.id, x.seq) for x in updates}) == 60
    _users, entities, actions = audit_choices(imported)
    assert {"resident", "household"} <= set(entities) and BLOCK_ACTION not in actions and "update" in actions


def _verify_cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(parse_args(["--db", str(db_path), "audit", "verify"]))
    out = capsys.readouterr()
    return code, out.out + out.err


def _first_block(db_path: Path) -> tuple[int, bytes]:
    conn = sqlite3.connect(db_path)
    try:
        rid, detail = conn.execute(
            "SELECT id, detail FROM audit_record WHERE detail IS NOT NULL ORDER BY id"
        ).fetchone()
    finally:
        conn.close()
    return rid, detail


def _raw(db_path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_verify_checks_the_blocks(imported, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _verify_cli(db_path, capsys)
    assert code == 0 and "审计链完好" in text


@pytest.mark.parametrize("offset", [0, 100, -1])
def test_one_changed_byte_of_a_block_is_found_and_named(
    imported, db_path: Path, capsys: pytest.CaptureFixture[str], offset: int
) -> None:
    rid, detail = _first_block(db_path)
    damaged = bytearray(detail)
    damaged[offset] ^= 0x01
    _raw(db_path, "UPDATE audit_record SET detail = ? WHERE id = ?", bytes(damaged), rid)
    code, text = _verify_cli(db_path, capsys)
    assert code == 6 and f"第 {rid} 条记录（批量变更明细块）" in text
    assert verify_audit_chain(imported).first_broken_id == rid


def test_a_removed_index_row_is_found(imported, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rid, _detail = _first_block(db_path)
    _raw(
        db_path,
        "DELETE FROM audit_entry WHERE record_id = ? AND entity_id = (SELECT min(entity_id) FROM audit_entry)",
        rid,
    )
    code, text = _verify_cli(db_path, capsys)
    assert code == 6 and f"第 {rid} 条" in text and "明细索引" in text


def test_a_block_keeps_every_value_and_finds_one_record_without_parsing_the_rest() -> None:
    entries = [
        AuditEntry(
            "create", "resident", 7, "导入居民 王\t建国", None, {"name": "王\t建国", "notes": "一\n二"}
        ),
        AuditEntry("update", "household", 3, "导入时更新住户", {"room": "101"}, {"room": "201"}),
        AuditEntry("import", "resident", None, "批次", None, {"rows": 2}),
    ]
    block = pack(entries)
    assert block.count == 3 and block.keys == [("resident", "7"), ("household", "3")]
    back = [b.entry for b in unpack(block.detail)]
    assert back[0].after == {"name": "王\t建国", "notes": "一\n二"} and back[1].before == {"room": "101"}
    assert back[2].entity_id is None and back[2].after == {"rows": 2}
    [only] = unpack(block.detail, entity="household", entity_id="3")
    assert only.seq == 1 and only.entry.after == {"room": "201"}
    assert [b.seq for b in unpack(block.detail, newest_first=True)] == [2, 1, 0]


# ---------------------------------------------------------------- other imports: audit.collected


def test_collected_changes_become_one_block_without_those_of_a_rolled_back_savepoint(street_ctx) -> None:
    with (
        street_ctx.write() as uow,
        collected(uow.session, uow.actor, at=uow.clock.utcnow(), entity="grid_event"),
    ):
        uow.audit("create", "grid_event", 1, summary="甲", after={"place": "新华小区"})
        refused = uow.session.begin_nested()
        uow.audit("create", "grid_event", 2, summary="乙（被拒绝的行）")
        refused.rollback()
        kept = uow.session.begin_nested()
        uow.audit(
            "update",
            "grid_event",
            1,
            summary="丙",
            before={"place": "新华小区"},
            after={"place": "朝阳路"},
        )
        kept.commit()
    with street_ctx.read() as s:
        rows = list_for(s, "grid_event")
        blocks = s.scalar(select(func.count()).where(AuditRecord.detail.is_not(None)))
        assert list_for(s, "grid_event", 2) == []
    assert [r.summary for r in rows] == ["丙", "甲"] and blocks == 1
    assert rows[0].before == rows[1].after == {"place": "新华小区"}
    assert verify_audit_chain(street_ctx).intact


def test_an_events_import_audits_its_rows_in_a_block(street_ctx, tmp_path: Path) -> None:
    import openpyxl

    from desktop.services.events import exchange

    headers = ["来源", "上报时间", "所属网格", "地点", "事件类别", "紧急程度", "事件描述", "上报人"]
    good = [
        "网格员巡查",
        "2026-11-23 09:00",
        "新华一网格",
        "新华小区3号楼东侧",
        "环境卫生",
        "一般",
        "堆放建筑垃圾。",
        "李晓梅",
    ]
    bad = [*good[:2], "没有这个网格", *good[3:]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事件"
    for row in (headers, good, bad, [*good[:3], "朝阳路", *good[4:]]):
        ws.append(row)
    wb.save(tmp_path / "e.xlsx")
    report = exchange.import_events(street_ctx, tmp_path / "e.xlsx")
    assert (report.created, report.rejected) == (2, 1)
    with street_ctx.read() as s:
        per_row = s.scalar(
            select(func.count()).where(AuditRecord.entity == "grid_event", AuditRecord.detail.is_(None))
        )
        changes = [r for r in list_for(s, "grid_event") if r.seq is not None]
        ids = {str(i) for i in s.scalars(select(GridEvent.id))}
    assert per_row == 1  # the batch record; each event's creation is in the block
    assert len(ids) == 2 and {r.entity_id for r in changes if r.action == "create"} == ids
    assert verify_audit_chain(street_ctx).intact


def test_a_block_of_changes_without_record_ids_needs_no_index(street_ctx) -> None:
    with street_ctx.write() as uow:
        [rid] = record_block(
            uow.session,
            uow.actor,
            [AuditEntry("import", "holiday_calendar", None, "导入节假日")],
            at=uow.clock.utcnow(),
            entity="holiday_calendar",
        )
    with street_ctx.read() as s:
        assert [(r.id, r.summary) for r in list_for(s, "holiday_calendar")] == [(rid, "导入节假日")]
    assert verify_audit_chain(street_ctx).intact
