"""Resident import/export as a whole: one transaction, cancel, dry run, backup, audit, remembered column
mappings, the wizard's preview, masked and full exports, round trips, and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import enum
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import event, func, select

from db.schema.audit import AuditRecord
from db.schema.people import Household, Resident
from db.schema.settings import Setting
from desktop.app import main
from desktop.core.errors import CancelledError, NotFoundError, ValidationError
from desktop.exchange.reading import read_sheet
from desktop.services import audit, backups, demo
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.audit import AuditEntry, record_many, verify_chain
from desktop.services.bootstrap import open_database
from desktop.services.residents.exchange import (
    MAPPING_SETTING,
    export_residents,
    import_residents,
    load_mappings,
    preview_residents,
    save_mappings,
)
from desktop.services.structure.exchange import export_grids, import_grids
from tests.unit.resident_rosters import make_id, person, rounded_id_pair, write_csv, write_xlsx

WANG = make_id(born="19600512", seq="011")
LI = make_id(born="19620303", seq="022")
ZHANG = make_id("410102", "19850101", "033")


def roster(tmp_path: Path, name: str = "r.xlsx", n: int = 12) -> Path:
    """``n`` valid people in households of three (户号 H00k, the first of each the head)."""
    rows = [
        person(
            "王李张刘陈杨赵黄周吴徐孙"[i % 12] + "建国秀兰伟芳"[i % 6],
            make_id(born=f"1970{(i % 12) + 1:02d}{(i % 27) + 1:02d}", seq=f"{i:03d}"),
            phone=f"1380937{i:04d}",
            household=f"H{i // 3:03d}",
            relation="户主" if i % 3 == 0 else "子",
            estate="新华小区",
            building=str(i // 3 + 1),
            unit="1",
            room="101",
            tags="残疾人" if i % 4 == 0 else None,
        )
        for i in range(n)
    ]
    return write_xlsx(tmp_path / name, rows)


def audit_rows(ctx, **where):
    with ctx.read() as s:
        q = select(AuditRecord).order_by(AuditRecord.id)
        for k, v in where.items():
            q = q.where(getattr(AuditRecord, k) == v)
        return list(s.scalars(q))


def changes(ctx, **where):
    """The audit trail as the viewer reads it (an import's blocks expanded), oldest first."""
    from desktop.services.audit import iter_rows

    with ctx.read() as s:
        return list(reversed(list(iter_rows(s, **where))))


def count(ctx, model) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def no_backup(monkeypatch):
    from desktop.services.residents import exchange as resident_exchange

    monkeypatch.setattr(resident_exchange.backups, "backup_if_changed", lambda ctx, reason: None)


# ---------------------------------------------------------------- the audit helper


def test_record_many_continues_the_hash_chain_exactly_like_record(ctx):
    class Colour(enum.Enum):
        RED = "red"

    payload = {"d": dt.date(2026, 1, 2), "t": dt.datetime(2026, 1, 2, 3, 4, 5), "n": decimal.Decimal("1.50"),
               "e": Colour.RED, "s": "王", "i": 3, "b": True, "none": None}  # fmt: skip
    assert audit._dump_fast(payload) == audit._dump(payload)
    with ctx.write() as uow:
        uow.audit("create", "x", 1, summary="前")
        written = record_many(
            uow.session,
            uow.actor,
            [AuditEntry("create", "resident", i, f"居民{i}", None, payload) for i in range(12)],
            at=uow.clock.utcnow(),
            chunk=5,
        )
        uow.audit("import", "resident", None, summary="后")
    assert written == 12
    with ctx.read() as s:
        assert verify_chain(s) is None
    rows = audit_rows(ctx, entity="resident")
    assert [r.entity_id for r in rows] == [*(str(i) for i in range(12)), None]
    assert json.loads(rows[0].after)["d"] == "2026-01-02"


# ---------------------------------------------------------------- transaction, cancel, dry run, backup


def test_one_import_is_one_commit_and_a_failure_commits_nothing(street_ctx, tmp_path, no_backup, monkeypatch):
    writes: list[int] = []  # per commit: how many INSERT/UPDATE/DELETE statements on the database it committed
    pending = [0]
    engine = street_ctx.database.engine

    def on_execute(conn, cursor, statement, *args):
        # the import's staging tables (TEMP, private to its connection) are not the database
        staging = statement.lstrip().upper().startswith(("INSERT INTO IMPORT_STAGE_", "UPDATE IMPORT_STAGE_"))
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and not staging:
            pending[0] += 1

    def on_commit(conn):
        writes.append(pending[0])
        pending[0] = 0

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        report = import_residents(street_ctx, roster(tmp_path))
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
    assert report.created == 12
    assert len([n for n in writes if n]) == 1  # every row, household, tag and audit record: one commit

    before = (count(street_ctx, Resident), count(street_ctx, Household), len(audit_rows(street_ctx)))
    from desktop.services.residents import exchange as resident_exchange

    def failing(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(resident_exchange, "record_many", failing)  # after every row is written
    rows = [person("新人甲", make_id(seq="901"), household="N1", relation="户主"), person("王建国", WANG)]
    with pytest.raises(RuntimeError):
        import_residents(street_ctx, write_xlsx(tmp_path / "more.xlsx", rows))
    assert (count(street_ctx, Resident), count(street_ctx, Household), len(audit_rows(street_ctx))) == before


@pytest.mark.parametrize("stage", ["正在检查", "正在写入居民", "正在写入操作日志", "正在提交"])
def test_cancel_at_any_stage_commits_nothing(street_ctx, tmp_path, stage):
    seen: list[str] = []

    def progress(done: int, total: int, text: str) -> None:
        assert 0 <= done <= total
        seen.append(text)
        if text.startswith(stage):
            raise CancelledError()

    path = roster(tmp_path)
    records = len(audit_rows(street_ctx, entity="resident"))
    with pytest.raises(CancelledError):
        import_residents(street_ctx, path, progress=progress)
    assert count(street_ctx, Resident) == 0 and count(street_ctx, Household) == 0
    assert len(audit_rows(street_ctx, entity="resident")) == records
    assert seen[0].startswith("正在读取")


def test_dry_run_counts_but_writes_nothing(street_ctx, tmp_path):
    path = roster(tmp_path)
    report = import_residents(street_ctx, path, dry_run=True)
    assert (report.created, report.households_created, report.exit_status) == (12, 4, 0)
    text = report.describe()
    assert "仅检查，未写入数据库" in text and "将新建 12 名居民" in text and "将新建 4 户" in text
    assert count(street_ctx, Resident) == 0 and audit_rows(street_ctx, entity="resident") == []
    assert backups.last_backup(street_ctx) is None


def test_a_backup_is_taken_before_a_real_import(street_ctx, tmp_path):
    assert backups.last_backup(street_ctx) is None
    import_residents(street_ctx, roster(tmp_path))
    info = backups.last_backup(street_ctx)
    assert info is not None and info.reason == "import"
    with street_ctx.read() as s:  # the backup holds the state before the import
        assert s.scalar(select(func.count()).select_from(Resident)) == 12
    import sqlite3

    con = sqlite3.connect(info.path)
    try:
        assert con.execute("SELECT count(*) FROM resident").fetchone()[0] == 0
    finally:
        con.close()


def test_a_header_only_file_reads_nothing(street_ctx, tmp_path):
    report = import_residents(street_ctx, write_xlsx(tmp_path / "h.xlsx", [], totals=False))
    assert report.rows_read == 0 and report.exit_status == 1 and "没有数据行" in report.describe()


# ---------------------------------------------------------------- audit


def test_every_created_or_updated_resident_is_audited_masked_plus_one_batch_record(street_ctx, tmp_path):
    path = roster(tmp_path, n=6)
    import_residents(street_ctx, path)
    creates = changes(street_ctx, entity="resident", action="create")
    assert len(creates) == 6
    assert len(changes(street_ctx, entity="household", action="create")) == 2
    first = creates[0].after
    assert first["id_number"].count("*") == 8 and first["phone"].count("*") == 4
    assert "tags" in first and creates[0].summary.startswith("导入居民")
    [batch] = audit_rows(street_ctx, entity="resident", action="import")
    after = json.loads(batch.after)
    assert after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (after["rows"], after["created"], after["rejected"]) == (6, 6, 0)
    assert after["columns"]["id_number"] == "身份证号"
    # update one person: one update record with before and after
    rows = [
        person(
            "王建国",
            make_id(born="19700101", seq="000"),
            phone="13900000000",
            household="H000",
            relation="户主",
        )
    ]
    assert import_residents(street_ctx, write_xlsx(tmp_path / "u.xlsx", rows)).rejected == 1  # another name
    with street_ctx.read() as s:
        someone = s.scalars(select(Resident).order_by(Resident.id)).first()
        assert someone is not None
        name, idn = someone.name, someone.id_number
    rows = [person(name, idn, phone="13900000000")]
    assert import_residents(street_ctx, write_xlsx(tmp_path / "v.xlsx", rows)).updated == 1
    [update] = changes(street_ctx, entity="resident", action="update")
    assert (
        update.before["phone"] == "138****0000"
        and update.after["phone"] == "139****0000"
    )
    with street_ctx.read() as s:
        assert verify_chain(s) is None
        text = " ".join(
            (r.before or "") + (r.after or "") + r.summary for r in s.scalars(select(AuditRecord))
        )
    text += " ".join(json.dumps([r.before, r.after, r.summary], ensure_ascii=False) for r in changes(street_ctx))
    assert idn not in text and "13900000000" not in text  # never a full ID or phone in the trail


# ---------------------------------------------------------------- column mappings and the preview


def _odd_headers(tmp_path: Path) -> Path:
    rows = [
        ["王建国", WANG, "新华小区3号楼2单元301室", "一网格的楼长", "新华社区"],
        ["李秀兰", LI, "新华小区3-2-301", "", "新华社区"],
    ]
    header = ["居民名字", "证件号", "住在哪", "备注", "社区"]
    return write_xlsx(tmp_path / "odd.xlsx", rows, header=header, totals=False)


def test_a_confirmed_mapping_is_used_and_remembered(street_ctx, tmp_path):
    path = _odd_headers(tmp_path)
    with pytest.raises(ValidationError, match="缺少：姓名"):
        import_residents(street_ctx, path)
    preview = preview_residents(street_ctx, path)
    assert preview.problem is not None and preview.header_row == 4
    assert [(c.letter, c.header, c.field) for c in preview.columns] == [
        ("A", "居民名字", None),
        ("B", "证件号", None),
        ("C", "住在哪", None),
        ("D", "备注", "notes"),
        ("E", "社区", "community"),
    ]
    assert preview.missing_required() == ["姓名", "公民身份号码"]
    mapping = {"居民名字": "name", "证件号": "id_number", "住在哪": "address", "备注": ""}
    report = import_residents(street_ctx, path, mapping=mapping)
    assert report.created == 2 and report.households_created == 1 and report.ignored_headers == ["备注"]
    assert load_mappings(street_ctx) == {
        "居民名字": "name",
        "证件号": "id_number",
        "住在哪": "address",
        "备注": "",
    }
    with street_ctx.read() as s:
        assert s.get(Setting, MAPPING_SETTING) is not None
        assert s.scalar(select(Resident.notes).where(Resident.id_number == WANG)) is None
    # next time the same headers need no mapping
    again = preview_residents(street_ctx, path)
    assert again.problem is None and [c.field for c in again.columns] == [
        "name",
        "id_number",
        "address",
        None,
        "community",
    ]
    assert import_residents(street_ctx, path).unchanged == 2
    # mapping a header back to what it says by itself forgets the remembered choice
    save_mappings(street_ctx, {"备注": "notes"})
    assert "备注" not in load_mappings(street_ctx)
    assert len(audit_rows(street_ctx, entity="setting")) == 2


def test_a_dry_run_does_not_remember_a_mapping(street_ctx, tmp_path):
    path = _odd_headers(tmp_path)
    import_residents(street_ctx, path, dry_run=True, mapping={"居民名字": "name", "证件号": "id_number"})
    assert load_mappings(street_ctx) == {}


def test_preview_of_a_messy_roster(street_ctx, tmp_path):
    _true, rounded = rounded_id_pair()
    rows = [person("王建国", WANG, birth=dt.datetime(1960, 5, 12)), person("钱学文", float(rounded))]
    preview = preview_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert preview.problem is None and preview.header_row == 4 and preview.sheet == "实有人口"
    fields = {c.header: c.field for c in preview.columns}
    assert fields["身份证号"] == "id_number" and fields["网格"] == "grid" and fields["序号"] is None
    assert [n for n, _cells in preview.rows][:2] == [5, 6]
    first, second = preview.rows[0][1], preview.rows[1][1]
    assert first[4] == WANG and first[5] == "1960-05-12"
    assert second[4].endswith("E+17")  # shown as Excel shows a number-stored ID
    assert preview.missing_required() == []


def test_preview_picks_the_sheet_that_has_the_roster(street_ctx, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [person("王建国", WANG)])
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("填表说明", 0)
    notes.append(["请按表头填写"])
    wb.save(path)
    preview = preview_residents(street_ctx, path)
    assert preview.sheets == ["填表说明", "实有人口"] and preview.sheet == "实有人口"


# ---------------------------------------------------------------- export


@pytest.fixture
def people(street_ctx):
    """王建国 (户主, 新华一网格, two tags, phone), 李秀兰 (same household), "=HYPERLINK" 张伟 in 朝阳社区."""
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    grids = {g.name: g.id for g in st.list_grids(ctx)}
    x = comms["新华社区"]
    wang = rs.save_resident(
        ctx,
        rs.ResidentInput("王建国", x, grid_id=grids["新华一网格"], id_number=WANG, phone="13809378000",
                         relation_to_head="户主", tags=["空巢老人", "残疾人"],
                         new_household=rs.HouseholdInput(x, household_no="H1", estate="新华小区", building="3",
                                                         unit="2", room="301")),
    )  # fmt: skip
    hh = rs.get_resident(ctx, wang).household
    assert hh is not None
    rs.save_resident(
        ctx, rs.ResidentInput("李秀兰", x, id_number=LI, household_id=hh.id, relation_to_head="配偶")
    )
    rs.save_resident(
        ctx,
        rs.ResidentInput('=HYPERLINK("http://x","张伟")', comms["朝阳社区"], grid_id=grids["朝阳一网格"],
                         id_number=ZHANG, notes="@SUM(1+1)"),
    )  # fmt: skip
    return ctx


def test_export_is_masked_by_default_and_keeps_ids_as_text(people, tmp_path):
    out = tmp_path / "居民.xlsx"
    assert export_residents(people, out) == 3
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["姓名", "性别", "民族", "公民身份号码", "出生日期", "联系电话"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    wang = rows["王建国"]
    assert wang[3].value == WANG[:6] + "********" + WANG[-4:] and wang[3].data_type == "s"
    assert wang[5].value == "138****8000"
    assert [wang[i].value for i in range(8, 17)] == [
        "新华一网格", "新华小区", "3", "2", "301", "新华小区3号楼2单元301室", "H1", "户主", "空巢老人、残疾人",
    ]  # fmt: skip
    assert wang[17].value == "绿色" and isinstance(wang[4].value, dt.datetime)
    [export] = audit_rows(people, action="export")
    after = json.loads(export.after)
    assert after["full"] is False and after["rows"] == 3
    assert after["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_formula_like_cells_are_written_as_text_in_xlsx_and_csv(people, tmp_path):
    xlsx, csvfile = tmp_path / "r.xlsx", tmp_path / "r.csv"
    export_residents(people, xlsx)
    export_residents(people, csvfile)
    ws = openpyxl.load_workbook(xlsx).active
    cell = next(r[0] for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    raw = csvfile.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert '\'=HYPERLINK("http://x","张伟")' in [r[0] for r in rows]
    assert "'@SUM(1+1)" in [r[-1] for r in rows]


def test_full_export_needs_a_reason_which_is_audited(people, tmp_path):
    out = tmp_path / "full.xlsx"
    with pytest.raises(ValidationError, match="需要填写原因"):
        export_residents(people, out, full=True, reason="  ")
    assert not out.exists() and audit_rows(people, action="export") == []
    assert export_residents(people, out, full=True, reason="民政局核对低保名单") == 3
    ws = openpyxl.load_workbook(out).active
    wang = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "王建国")
    assert wang[3].value == WANG and wang[3].data_type == "s" and wang[5].value == "13809378000"
    [export] = audit_rows(people, action="export")
    after = json.loads(export.after)
    assert (after["full"], after["reason"], after["rows"]) == (True, "民政局核对低保名单", 3)
    assert after["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "原因：民政局核对低保名单" in export.summary


def test_export_filters_by_community_and_grid(people, tmp_path):
    assert export_residents(people, tmp_path / "a.csv", community="新华社区") == 2
    assert export_residents(people, tmp_path / "b.csv", grid="GC-01-001") == 2  # 李秀兰: her household's grid
    assert export_residents(people, tmp_path / "c.csv", community="朝阳社区", grid="GC-02-001") == 1
    with pytest.raises(NotFoundError, match="没有名为“幸福社区”的社区"):
        export_residents(people, tmp_path / "d.csv", community="幸福社区")
    with pytest.raises(NotFoundError, match="GC-09-009"):
        export_residents(people, tmp_path / "d.csv", grid="GC-09-009")
    with pytest.raises(ValidationError, match="不属于新华社区"):
        export_residents(people, tmp_path / "d.csv", community="新华社区", grid="GC-02-001")
    with pytest.raises(ValidationError, match="不支持导出"):
        export_residents(people, tmp_path / "d.pdf")


def test_a_cancelled_export_leaves_no_file_and_no_audit(ctx, tmp_path):
    demo.generate(ctx, "small")

    def progress(done: int, total: int, text: str) -> None:
        if done >= 1000:
            raise CancelledError()

    with pytest.raises(CancelledError):
        export_residents(ctx, tmp_path / "x.xlsx", progress=progress)
    assert not (tmp_path / "x.xlsx").exists() and list(tmp_path.glob("*.tmp")) == []
    assert audit_rows(ctx, action="export") == []


def test_a_masked_export_cannot_be_imported_back_by_mistake(people, tmp_path):
    out = tmp_path / "m.xlsx"
    export_residents(people, out)
    report = import_residents(people, out)
    assert report.rejected == 3 and report.updated == 0
    assert all("脱敏" in i.reason for i in report.errors if i.field == "公民身份号码")


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_full_export_imports_back_unchanged_and_into_a_fresh_database_identically(ctx, tmp_path, suffix):
    demo.generate(ctx, "small")
    first = tmp_path / f"a{suffix}"
    n = export_residents(ctx, first, full=True, reason="迁移到新电脑")
    again = import_residents(ctx, first)
    assert (again.unchanged, again.created, again.updated, again.rejected) == (n, 0, 0, 0)
    fresh = open_database(tmp_path / "fresh" / "db.sqlite3").ctx
    try:
        export_grids(ctx, tmp_path / "grids.xlsx")  # the same communities and grids, no people
        assert import_grids(fresh, tmp_path / "grids.xlsx").rejected == 0
        report = import_residents(fresh, first)
        assert (report.created, report.rejected) == (n, 0)
        assert report.households_created == count(ctx, Household) - _empty_households(ctx)
        second = tmp_path / f"b{suffix}"
        export_residents(fresh, second, full=True, reason="核对")
        assert [r.values for r in read_sheet(second).rows] == [r.values for r in read_sheet(first).rows]
    finally:
        fresh.database.dispose()


def _empty_households(ctx) -> int:
    """Households with no resident in the register (only moved-out members): not in an export."""
    with ctx.read() as s:
        active = select(Resident.household_id).where(Resident.status == "ACTIVE")
        return int(
            s.scalar(select(func.count()).select_from(Household).where(Household.id.not_in(active))) or 0
        )


# ---------------------------------------------------------------- command line


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_chinese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误：") and "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


@pytest.fixture
def cli_db(tmp_path) -> str:
    db = tmp_path / "cli.sqlite3"
    ctx = open_database(db).ctx
    st.save_street(ctx, "钢城街道")
    c = st.save_community(ctx, st.CommunityInput("新华社区"))
    st.save_grid(ctx, st.GridInput(c, "GC-01-001", "新华一网格", "BASIC"))
    ctx.database.dispose()
    return str(db)


def test_cli_import_exit_statuses_and_the_errors_workbook(capsys, tmp_path, cli_db):
    good = write_csv(tmp_path / "good.csv", [person("王建国", WANG)], encoding="gbk")
    status, out, err = run_cli(capsys, "--db", cli_db, "import", "residents", str(good), "--dry-run")
    assert status == 0 and "将新建 1 名居民" in out and err == ""
    status, out, _ = run_cli(capsys, "--db", cli_db, "import", "residents", str(good))
    assert status == 0 and "新建 1 名居民" in out
    bad = write_xlsx(
        tmp_path / "bad.xlsx", [person("李秀兰", LI, gender="男"), person("张伟", "410102198501010330")]
    )
    errors = tmp_path / "问题.xlsx"
    status, out, _ = run_cli(capsys, "--db", cli_db, "import", "residents", str(bad), "--errors", str(errors))
    assert status == 2 and "第 6 行 · 公民身份号码：身份证号码校验位错误" in out and "问题清单（2 条）" in out
    rows = [r.values for r in read_sheet(errors).rows]
    assert rows[0] == ("行号", "字段", "值", "原因")
    assert rows[1][:3] == (5, "性别", "男") and str(rows[1][3]).startswith("提示：")
    assert rows[2][:3] == (6, "公民身份号码", "410102198501010330")  # the value stays text
    header_only = write_xlsx(tmp_path / "empty.xlsx", [], totals=False)
    status, out, _ = run_cli(capsys, "--db", cli_db, "import", "residents", str(header_only))
    assert status == 1 and "没有数据行" in out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing.xlsx", "找不到文件"),
        (lambda p: _write(p / "cars.csv", "车牌号,品牌\n甘B12345,红旗\n"), "找不到所需的列"),
        (lambda p: _write(p / "notes.xlsx", "这不是表格"), "不是 Excel 文件"),
    ],
)
def test_cli_import_failures_are_one_chinese_line(capsys, tmp_path, cli_db, make, expected):
    path = make(tmp_path)
    status, out, err = run_cli(capsys, "--db", cli_db, "import", "residents", str(path))
    assert status == 1 and out == ""
    assert_one_chinese_line(err)
    assert expected in err


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_export(capsys, tmp_path, cli_db):
    good = write_csv(
        tmp_path / "good.csv", [person("王建国", WANG, phone="13809378000")], encoding="utf-8-sig"
    )
    run_cli(capsys, "--db", cli_db, "import", "residents", str(good))
    out_file = tmp_path / "e.csv"
    status, out, err = run_cli(capsys, "--db", cli_db, "export", "residents", "--out", str(out_file))
    assert status == 0 and "已导出 1 名居民" in out and "脱敏" in out and err == ""
    assert WANG not in out_file.read_text(encoding="utf-8-sig")
    status, out, err = run_cli(
        capsys, "--db", cli_db, "export", "residents", "--out", str(out_file), "--full"
    )
    assert status == 1 and out == ""
    assert_one_chinese_line(err)
    assert "需要填写原因" in err
    status, out, _ = run_cli(
        capsys, "--db", cli_db, "export", "residents", "--out", str(tmp_path / "f.xlsx"),
        "--full", "--reason", "街道核对", "--community", "新华社区", "--grid", "GC-01-001",
    )  # fmt: skip
    assert status == 0 and "含完整身份证号码" in out
    assert openpyxl.load_workbook(tmp_path / "f.xlsx").active["D2"].value == WANG
    status, _, err = run_cli(
        capsys, "--db", cli_db, "export", "residents", "--out", str(out_file), "--community", "幸福社区"
    )
    assert status == 1
    assert_one_chinese_line(err)
    status, _, err = run_cli(
        capsys, "--db", cli_db, "export", "residents", "--out", str(out_file), "--reason", "x"
    )
    assert status == 1 and "--full" in err
