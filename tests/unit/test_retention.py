"""Retention (个人信息保护法 第四十七条): people gone for more than N years are anonymised in one audited step,
after a verified backup, keeping what the reports count."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.people import Resident, ResidentEvent, ResidentTag
from desktop.app import main
from desktop.core.errors import ValidationError
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.residents import retention
from tests.unit.resident_rosters import make_id

D = dt.date


@pytest.fixture
def gone(street_ctx):
    """Three residents of 新华社区 (TODAY 2026-11-23, 3 years kept → changed on or before 2023-11-23)."""
    community = st.list_communities(street_ctx)[0].id
    home = rs.HouseholdInput(community, None, estate="新华小区", building="3", room="301")

    def person(name: str, seq: str, phone: str, tags: list[str] | None = None, gender: str = "男") -> int:
        return rs.save_resident(
            street_ctx,
            rs.ResidentInput(
                name, community, gender=gender, id_number=make_id(born="19600512", seq=seq),
                birth_date=D(1960, 5, 12), phone=phone, new_household=home, tags=tags, notes="腿脚不便",
            ),
        )  # fmt: skip

    ids = {
        "moved": person("王建国", "011", "13900001111", ["刑满释放人员"]),
        "recent": person("李桂芳", "022", "13900002222", gender="女"),
        "active": person("张明", "031", "13900003333"),
    }
    rs.change_status(street_ctx, ids["moved"], "MOVED", D(2023, 11, 23), "迁往兰州市城关区，投靠子女")
    rs.change_status(street_ctx, ids["recent"], "DECEASED", D(2023, 11, 24), "病故")
    return ids


def _row(ctx, rid: int) -> Resident:
    with ctx.read() as s:
        r = s.get(Resident, rid)
        assert r is not None
        s.expunge(r)
        return r


def test_the_gone_are_anonymised_and_the_counted_fields_kept(street_ctx, gone) -> None:
    dry = retention.anonymise_departed(street_ctx, dry_run=True)
    assert (dry.count, dry.before, dry.dry_run) == (1, D(2023, 11, 23), True)
    assert _row(street_ctx, gone["moved"]).name == "王建国"  # a dry run changes nothing

    done = retention.anonymise_departed(street_ctx)
    assert done.count == 1 and done.backup is not None  # a verified backup first

    moved = _row(street_ctx, gone["moved"])
    assert (moved.name, moved.name_initials, moved.id_number, moved.phone, moved.notes) == (
        "已匿名", None, None, None, None,
    )  # fmt: skip
    assert (moved.id_number_bidx, moved.phone_bidx, moved.phone_tail, moved.household_id) == (None,) * 4
    # what the reports count stays: status and its day, gender, region, the year of birth
    assert (moved.status, moved.status_changed_on, moved.gender) == ("MOVED", D(2023, 11, 23), "男")
    assert moved.birth_date == D(1960, 1, 1) and moved.id_region == "620201"
    with street_ctx.read() as s:
        assert s.scalar(select(func.count()).where(ResidentTag.resident_id == gone["moved"])) == 0
        kinds = s.execute(
            select(ResidentEvent.kind, ResidentEvent.on_date, ResidentEvent.reason).where(
                ResidentEvent.resident_id == gone["moved"]
            )
        ).all()
        assert [tuple(k) for k in kinds] == [("STATUS", D(2023, 11, 23), None)]  # the reason was a person's
        audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "anonymise")).one()
        assert "1 名" in audit.summary and "王建国" not in (audit.after or "")
    # one day short of the period, and the active resident: untouched
    assert _row(street_ctx, gone["recent"]).name == "李桂芳"
    assert _row(street_ctx, gone["active"]).phone == "13900003333"
    # the register no longer finds the anonymised person by name or ID
    assert rs.search_resident_ids(street_ctx, rs.ResidentFilter(text="王建国", status=None)) == []
    assert retention.anonymise_departed(street_ctx).count == 0  # done once


def test_the_retention_period_is_a_setting(street_ctx, gone) -> None:
    assert retention.retention_years(street_ctx) == 3
    with pytest.raises(ValidationError, match="1 到 100"):
        retention.save_retention_years(street_ctx, 0)
    retention.save_retention_years(street_ctx, 2)
    assert retention.anonymise_departed(street_ctx, dry_run=True).count == 2
    assert retention.anonymise_departed(street_ctx, years=4, dry_run=True).count == 0


def test_the_command_line(street_ctx, gone, db_path, capsys) -> None:
    street_ctx.database.dispose()
    assert main(["--db", str(db_path), "residents", "anonymise", "--dry-run"]) == 0
    assert "共 1 名，未做修改" in capsys.readouterr().out
    assert main(["--db", str(db_path), "residents", "anonymise"]) == 0
    out = capsys.readouterr().out
    assert "已先备份并校验" in out and "已匿名化" in out and " 1 名" in out
