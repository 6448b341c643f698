"""Issue 16: the import reads and checks the roster row by row, writes in bulk at DBAPI speed, and a plan
made again (the register changed meanwhile) starts from the rows as checked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, update

from db.schema.people import Resident
from desktop.services import structure as st
from desktop.services.audit import verify_chain
from desktop.services.residents import import_stage
from desktop.services.residents.exchange import import_residents
from tests.unit.resident_rosters import make_id, person, write_xlsx

GIVEN = "伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂"


def _one_community(ctx) -> int:
    st.save_street(ctx, "钢城街道")
    return st.save_community(ctx, st.CommunityInput("新华社区", code="01"))


def test_rows_without_a_community_keep_the_only_one_when_planned_again(ctx, tmp_path: Path, monkeypatch):
    cid = _one_community(ctx)
    write_xlsx(tmp_path / "a.xlsx", [person("张三", make_id(seq="001"), community=None, grid=None)])
    import_residents(ctx, tmp_path / "a.xlsx")
    rows = [
        person(
            "李" + GIVEN[k % 20] + GIVEN[k // 20],
            make_id(born=f"1980{k % 12 + 1:02d}15", seq=f"{k:03d}"),
            community=None,
            grid=None,
        )
        for k in range(2, 40)
    ]
    rows += [
        person("王五", make_id(seq="999"), community="新华社区", grid=None, household="H1", relation="户主")
    ]
    roster = write_xlsx(tmp_path / "b.xlsx", rows)
    phases: list[str] = []
    other = ctx.with_actor(ctx.actor)

    def colleague_edits(phase: str) -> None:
        phases.append(phase)
        if phase == "stage" and phases.count("stage") == 1:  # the register changes after the first plan
            with other.write() as uow:
                uow.session.execute(update(Resident).values(notes="同事刚改过", version=Resident.version + 1))

    monkeypatch.setattr(import_stage, "phase_hook", colleague_edits)
    report = import_residents(ctx, roster)
    assert phases == ["plan", "stage", "publish", "plan", "stage", "publish"]
    assert report.created == 39 and report.rejected == 0 and report.rows_read == 39, report.describe()[:3000]
    assert report.skipped == [(44, "合计行"), (45, "表尾说明")]  # title rows 1-3, header 4, data 5-43
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(Resident).where(Resident.community_id == cid)) == 40
        # encrypted and blind-indexed through the bulk path: found by ID number, read back in plain text
        found = s.execute(
            select(Resident.name, Resident.id_number, Resident.phone_tail).where(
                Resident.id_number_bidx == make_id(seq="999")
            )
        ).one()
        assert found == ("王五", make_id(seq="999"), None)
        assert verify_chain(s) is None


def test_an_error_row_far_down_a_streamed_sheet_is_named_with_its_excel_row(ctx, tmp_path: Path):
    _one_community(ctx)
    rows = [
        person("赵" + GIVEN[k % 20] + GIVEN[k // 20], make_id(born="19900101", seq=f"{k:03d}"), grid=None)
        for k in range(300)
    ]
    rows[250][4] = rows[250][4][:-1] + ("0" if rows[250][4][-1] != "0" else "1")  # a wrong check character
    report = import_residents(ctx, write_xlsx(tmp_path / "c.xlsx", rows, blank_every=100))
    assert (report.rows_read, report.created, report.rejected) == (300, 299, 1)
    (error,) = report.errors
    # title 1-3, header 4, data from row 5, a blank row after every 100: row 251 of the data is Excel row 257
    assert error.row == 257 and "校验位错误" in error.reason
