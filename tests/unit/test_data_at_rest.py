"""Issue 13 §3: no full ID number or phone number on disk in plain text — not in the database file, its WAL or a
backup. A roster is imported (and partly re-imported with new phones), then the raw bytes are searched."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from sqlalchemy import select

from db.backup import create_backup
from db.schema.party import PartyMember
from db.schema.people import Resident
from desktop.services import events as ev
from desktop.services import party
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.residents.exchange import import_residents
from tests.unit.resident_rosters import make_id, person, write_xlsx

D = dt.date


def _disk_bytes(db_path: Path, backup: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in (db_path, Path(f"{db_path}-wal"), backup) if p.exists()}
    assert {db_path.name, backup.name} <= set(files)
    return files


def test_an_imported_roster_leaves_no_id_number_or_phone_on_disk(
    street_ctx, db_path: Path, tmp_path: Path
) -> None:
    ids = [make_id(born=f"19{50 + i % 40:02d}0{1 + i % 9}1{i % 9}", seq=f"{100 + i:03d}") for i in range(60)]
    phones = [f"139{i:04d}{7000 + i:04d}" for i in range(60)]
    rows = [
        person(
            "张王李赵刘陈杨黄"[i % 8] + "春夏秋冬梅兰竹菊"[i // 8 % 8] + "甲乙丙"[i % 3],
            ident,
            phone=phone,
            estate="新华小区",
            building=str(1 + i % 3),
            room=f"{101 + i}",
        )
        for i, (ident, phone) in enumerate(zip(ids, phones, strict=True))
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "roster.xlsx", rows))
    assert report.created == 60 and report.rejected == 0, report.describe()
    # an update by import (new phones for ten people) and one by the service
    new_phones = [f"137{i:04d}{8000 + i:04d}" for i in range(10)]
    for i, phone in enumerate(new_phones):
        rows[i][6] = phone
    report = import_residents(street_ctx, write_xlsx(tmp_path / "roster2.xlsx", rows))
    assert report.updated == 10, report.describe()
    with street_ctx.read() as s:
        rid = s.scalar(select(Resident.id).where(Resident.id_number_bidx == ids[20]))
    assert rid is not None
    with street_ctx.read() as s:
        r = s.get(Resident, rid)
        assert r is not None
        data = rs.ResidentInput(
            r.name,
            r.community_id,
            phone="13600001111",
            grid_id=r.grid_id,
            household_id=r.household_id,
            relation_to_head=r.relation_to_head,
            id=rid,
            version=r.version,
        )
    rs.save_resident(street_ctx, data)
    # the program still sees the plain values
    revealed = rs.reveal_resident(street_ctx, rid, "核对")
    assert (revealed.id_number, revealed.phone) == (ids[20], "13600001111")

    # a Party member (linked to the register by the blind index) and a grid event with a reporter's phone
    grid = {g.name: g.id for g in st.list_grids(street_ctx)}
    comm = {c.name: c.id for c in st.list_communities(street_ctx)}
    top = party.save_org(street_ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    committee = party.save_org(
        street_ctx,
        party.OrgInput(
            "新华社区党委",
            "COMMITTEE",
            parent_id=top,
            community_id=comm["新华社区"],
            term_start=D(2021, 11, 23),
        ),
    )
    branch = party.save_org(
        street_ctx,
        party.OrgInput(
            "新华一网格党支部",
            "BRANCH",
            parent_id=committee,
            grid_id=grid["新华一网格"],
            term_start=D(2023, 5, 1),
        ),
    )
    mid = party.save_member(
        street_ctx,
        party.MemberInput(
            name="党员甲",
            org_id=branch,
            id_number=ids[30],
            phone="13712340000",
            stage="FULL",
            joined_on=D(2000, 7, 1),
            confirmed_on=D(2001, 7, 1),
        ),
    )
    with street_ctx.read() as s:
        member = s.get(PartyMember, mid)
        assert (
            member is not None and member.resident_id is not None
        )  # found in the register by its blind index
    ev.create_event(
        street_ctx,
        ev.EventInput(
            source="网格员巡查",
            received_at=dt.datetime(2026, 11, 23, 9, 0),
            grid_id=grid["新华一网格"],
            place="新华小区3号楼东侧",
            category="环境卫生",
            subcategory="垃圾堆放",
            description="楼东侧空地堆放建筑垃圾。",
            reporter_name="李晓梅",
            reporter_phone="13512345678",
        ),
    )

    backup = create_backup(street_ctx.database, "manual", street_ctx.now()).path
    secrets = [
        *ids,
        *phones,
        *new_phones,
        "13600001111",
        "13809371234",
        "13919375678",
        "13712340000",
        "13512345678",
    ]  # + the staff's phones
    # an export made masked (the default), and whatever the log folder holds after all this
    from desktop.core.paths import log_dir
    from desktop.services.residents.exchange import export_residents

    masked = tmp_path / "居民.xlsx"
    assert export_residents(street_ctx, masked) >= 60
    with zipfile.ZipFile(masked) as z:
        exported = b"".join(z.read(n) for n in z.namelist())
    assert "新华小区".encode() in exported  # the export did write the register
    logs = {p.name: p.read_bytes() for p in log_dir().glob("*") if p.is_file()}
    files = {**_disk_bytes(db_path, backup), masked.name: exported, **logs}
    for name, data in files.items():
        found = [x for x in secrets if x.encode("ascii") in data]
        assert not found, f"{name} holds {found[:3]} in plain text"


def test_migration_0010_encrypts_an_existing_register_in_place(db_path: Path, clock) -> None:
    """A 0008 database with plain ID numbers and phones: after opening (backup, migration) the register reads
    as before, the searches work, and once the WAL is checkpointed the file holds neither."""
    import sqlite3

    from alembic import command

    from db import migrate
    from db.engine import Database, resolve_url
    from desktop.core.identity import Actor
    from desktop.services.bootstrap import open_database

    db_path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(resolve_url(db_path))
    with database.engine.connect() as conn:
        cfg = migrate.alembic_config(database)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.commit()
    database.dispose()
    ident, phone = make_id(born="19600512", seq="013"), "13809375555"
    raw = sqlite3.connect(db_path)
    raw.execute("INSERT INTO street (id, name, version) VALUES (1, '钢城街道', 1)")
    raw.execute("INSERT INTO community (id, street_id, name, version) VALUES (1, 1, '新华社区', 1)")
    raw.execute(
        "INSERT INTO resident (id, name, gender, id_number, birth_date, phone, phone_tail, residence_kind,"
        " community_id, care_tier, status, version) VALUES (1, '王建国', '男', ?, '1960-05-12', ?, '5555',"
        " 'REGISTERED', 1, 'GREEN', 'ACTIVE', 1)",
        (ident, phone),
    )
    raw.commit()
    raw.close()

    opened = open_database(db_path, actor=Actor("测试员", "pc"), clock=clock)
    ctx = opened.ctx
    assert opened.migration.backup_path is not None  # the verified pre-migration backup
    assert rs.reveal_resident(ctx, 1, "核对") == rs.RevealedIdentity(1, ident, phone)
    for word in (ident, "5555", phone, ident[:10]):
        assert rs.search_resident_ids(ctx, rs.ResidentFilter(text=word)) == [1], word
    with ctx.database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.database.dispose()
    data = db_path.read_bytes()
    assert ident.encode() not in data and phone.encode() not in data
