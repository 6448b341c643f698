"""Issue 15, point 9: an import keeps SQLite's write lock only for its short final phase, so a colleague's
save never waits long; the import stays all or nothing (the fault tests kill it with SIGKILL)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select, update

from db.schema.people import Household, Resident
from desktop.services import structure as st
from desktop.services.audit import iter_rows, verify_chain
from desktop.services.residents import import_stage
from desktop.services.residents.exchange import import_residents
from tests.bench.bench_import_lock import interactive_waits, roster_rows, start_import
from tests.unit.lock_timing import WriteLockTimer
from tests.unit.resident_rosters import write_csv


def _counts(ctx) -> tuple[int, int]:
    with ctx.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Resident)) or 0,
            s.scalar(select(func.count()).select_from(Household)) or 0,
        )


def test_others_write_while_an_import_plans_and_stages(street_ctx, tmp_path: Path, monkeypatch) -> None:
    roster = write_csv(tmp_path / "居民.csv", roster_rows(1500), encoding="utf-8-sig")
    other = street_ctx.with_actor(street_ctx.actor)  # the same database, another connection's transaction
    phases: list[str] = []
    waits: list[float] = []
    timer = WriteLockTimer(street_ctx.database.engine)
    before_publish: list[int] = []

    def colleague_saves(phase: str) -> None:
        phases.append(phase)
        # plan, stage: the import's read snapshot is open, its staging tables filling; publish: just before
        # its write transaction (the audit records it linked must then be linked again, under the lock)
        if phase in ("plan", "stage", "publish"):
            t0 = time.perf_counter()
            st.save_street(other, f"钢城街道{len(phases)}")
            waits.append(time.perf_counter() - t0)
        if phase == "publish":
            before_publish.append(len(timer.holds))

    monkeypatch.setattr(import_stage, "phase_hook", colleague_saves)
    t0 = time.perf_counter()
    report = import_residents(street_ctx, roster)
    total = time.perf_counter() - t0
    assert report.created == 1500
    assert phases == ["plan", "stage", "publish"]
    assert max(waits) < 1.0  # nobody held the write lock while the import planned and staged
    assert _counts(street_ctx) == (1500, 500)
    assert len(timer.holds) == before_publish[0] + 1  # the import's one write transaction: the publish
    import_hold = timer.holds[-1]
    assert import_hold < total / 4, (import_hold, total, timer.holds)
    with street_ctx.read() as s:
        # the colleague's audit records came after the import had linked its own: re-linked, chain intact
        assert verify_chain(s) is None
        assert len(list(iter_rows(s, entity="resident", action="create"))) == 1500  # in the import's blocks


def test_a_register_change_while_planning_plans_again(street_ctx, tmp_path: Path, monkeypatch) -> None:
    first = roster_rows(2)
    write_csv(tmp_path / "a.csv", first, encoding="utf-8-sig")
    import_residents(street_ctx, tmp_path / "a.csv")
    with street_ctx.read() as s:
        rid, version = s.execute(select(Resident.id, Resident.version).order_by(Resident.id)).first()
    rows = roster_rows(300)
    rows[0][18] = "导入的备注"  # 备注: the file changes the first resident too
    roster = write_csv(tmp_path / "b.csv", rows, encoding="utf-8-sig")
    phases: list[str] = []
    other = street_ctx.with_actor(street_ctx.actor)

    def colleague_edits(phase: str) -> None:
        phases.append(phase)
        if phase == "stage" and phases.count("stage") == 1:  # after the first plan read the register
            with other.write() as uow:  # what saving the resident's card does: a new version
                uow.session.execute(
                    update(Resident)
                    .where(Resident.id == rid, Resident.version == version)
                    .values(care_tier="BLUE", version=Resident.version + 1)
                )

    monkeypatch.setattr(import_stage, "phase_hook", colleague_edits)
    report = import_residents(street_ctx, roster)
    assert phases == ["plan", "stage", "publish", "plan", "stage", "publish"]  # refused once, planned again
    assert report.created == 298 and report.updated == 1
    with street_ctx.read() as s:
        notes, tier = s.execute(select(Resident.notes, Resident.care_tier).where(Resident.id == rid)).one()
        assert (notes, tier) == ("导入的备注", "BLUE")  # both changes kept, nothing overwritten
        assert verify_chain(s) is None
    assert _counts(street_ctx)[0] == 300


def test_a_colleague_saves_within_seconds_while_a_large_import_runs(
    file_keys, street_ctx, db_path: Path, tmp_path: Path
) -> None:
    roster = write_csv(tmp_path / "居民.csv", roster_rows(6000), encoding="utf-8-sig")
    street_ctx.database.dispose()
    proc = start_import(db_path, roster)
    waits, failed = interactive_waits(db_path, proc, pause=0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    holds = [float(line.split()[1]) for line in out.splitlines() if line.startswith("HOLD")]
    total = float(next(line.split()[1] for line in out.splitlines() if line.startswith("TOTAL")))
    assert "CREATED 6000" in out
    assert failed == 0 and len(waits) > 5
    assert max(waits) < 3.0, waits
    assert max(holds) < total / 4, (holds, total)  # the lock is held for the final phase only


def test_the_import_publishes_with_a_larger_page_cache_and_gives_it_back(street_ctx, tmp_path: Path) -> None:
    from sqlalchemy import event

    roster = write_csv(tmp_path / "居民.csv", roster_rows(300), encoding="utf-8-sig")
    engine = street_ctx.database.engine
    during: list[int] = []

    def spy(_conn, cursor, statement, *_args) -> None:
        if statement.startswith("INSERT INTO main.resident "):  # the publish of the staged residents
            during.append(cursor.connection.execute("PRAGMA main.cache_size").fetchone()[0])

    event.listen(engine, "before_cursor_execute", spy)
    try:
        assert import_residents(street_ctx, roster).created == 300
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert during == [-import_stage.IMPORT_CACHE_KIB]
    pooled = [engine.connect() for _ in range(max(engine.pool.checkedin(), 1))]  # every pooled connection
    try:
        assert {c.exec_driver_sql("PRAGMA main.cache_size").scalar() for c in pooled} == {-2000}
    finally:
        for c in pooled:
            c.close()
