"""The 调解台账 exchange: export → import into an empty database → export gives the same cells; import
validation and exit statuses; the CLI (export/import, print agreement/case-file, mediation list --json)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path

import openpyxl
import pytest

from desktop.app import main
from desktop.core.identity import Actor
from desktop.exchange import mediation as cols
from desktop.services import mediation as med
from desktop.services.bootstrap import open_database
from desktop.services.context import ServiceContext
from desktop.services.mediation import exchange

from .test_mediation_helpers import D, agreement_input, full_case, intake, person, setup_committee

T = D(2026, 11, 23)


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def build_ledger(ctx: ServiceContext) -> None:
    """Cases of every kind: archived success, failure, oral agreement, organisation party, in progress."""
    from desktop.services import structure as st

    communities = {c.name: c.id for c in st.list_communities(ctx)}
    cid, m1, m2 = setup_committee(ctx, communities["新华社区"])
    no = full_case(ctx, cid, m1)
    case = med.get_case(ctx, no)
    med.save_party(
        ctx,
        case.id,
        person("王五", "RESPONDENT", id_number="11010519491231002X", birth_date=None, gender=None),
    )
    failed = intake(
        ctx, cid, m2, dispute_type="物业纠纷", source="OWN_INITIATIVE", grid_id=_grid(ctx, "GC-01-001")
    )
    c = med.get_case(ctx, failed)
    med.save_session(
        ctx, c.id, med.SessionInput(dt.datetime(2026, 3, 9, 9), "调解室", "双方分歧较大"), today=T
    )
    c = med.get_case(ctx, failed)
    med.record_failure(ctx, c.id, c.version, "FAILED", D(2026, 3, 9), "分歧过大", ["向人民法院起诉"], today=T)
    oral = intake(
        ctx,
        cid,
        m1,
        dispute_type="婚姻家庭",
        dispute_subtype="赡养",
        amount_involved=decimal.Decimal("1200.5"),
    )
    c = med.get_case(ctx, oral)
    med.save_agreement(ctx, c.id, agreement_input(oral=True), today=T)
    med.record_performance(ctx, c.id, D(2026, 4, 1), "PARTIAL", today=T)
    org = med.PartyInput(
        "嘉峪关市某物业服务有限公司",
        "RESPONDENT",
        "ORGANISATION",
        phone="0937-6200000",
        address="新华路1号",
        legal_rep="刘强",
        legal_rep_title="总经理",
        agent="赵敏",
        agent_relation="单位工作人员",
        agent_phone="13909370003",
    )
    intake(ctx, cid, m1, source="REFERRAL", referred_by="新华派出所", parties=[person("张䶮"), org])


def _grid(ctx: ServiceContext, code: str) -> int:
    from desktop.services import structure as st

    return next(g.id for g in st.list_grids(ctx) if g.code == code)


def test_round_trip_into_an_empty_database(street_ctx: ServiceContext, tmp_path: Path) -> None:
    build_ledger(street_ctx)
    first = tmp_path / "first.xlsx"
    counts = exchange.export_cases(street_ctx, first, full=True, reason="迁移到新电脑")
    assert counts == {"案件": 4, "当事人": 9, "协议条款": 6, "回访": 1, "司法确认": 0}
    book = cells(first)
    assert list(book) == ["案件", "当事人", "协议条款", "回访", "司法确认"]
    assert book["案件"][0] == tuple(c.header for c in cols.CASE_COLUMNS)
    assert book["当事人"][0] == tuple(c.header for c in cols.PARTY_COLUMNS)
    assert book["协议条款"][0] == ("案件编号", "序号", "条款内容", "金额（元）", "履行期限")
    assert book["回访"][0] == ("案件编号", "回访日期", "回访人", "回访情况")
    assert book["司法确认"] == [("案件编号", "申请日期", "法院", "受理案号", "裁定日期", "裁定结果")]

    empty = open_database(tmp_path / "empty.sqlite3", actor=Actor("测试员", "pc-2")).ctx
    try:
        report = exchange.import_cases(empty, first)
        assert report.exit_status == 0, report.describe()
        assert (report.created, report.rejected) == (4, 0)
        second = tmp_path / "second.xlsx"
        exchange.export_cases(empty, second, full=True, reason="核对")
        assert cells(second) == book
        # importing the same file again changes nothing
        again = exchange.import_cases(empty, first)
        assert (again.created, again.unchanged, again.exit_status) == (0, 4, 0)
        rec = med.get_case(empty, "（2026）新华社区人调字第001号")
        assert rec.agreement is not None and rec.agreement.effective_on == D(2026, 3, 20)
        assert rec.stage == "CLOSED" and rec.mediator == "王秀兰"
    finally:
        empty.database.dispose()


def test_export_masks_ids_and_phones_by_default(street_ctx: ServiceContext, tmp_path: Path) -> None:
    build_ledger(street_ctx)
    with pytest.raises(Exception, match="原因"):
        exchange.export_cases(street_ctx, tmp_path / "x.xlsx", full=True)
    out = tmp_path / "masked.xlsx"
    exchange.export_cases(street_ctx, out)
    parties = cells(out)["当事人"]
    assert ("110105********002X" in {r[7] for r in parties}) and ("138****1111" in {r[9] for r in parties})
    empty = open_database(tmp_path / "e.sqlite3").ctx
    try:
        report = exchange.import_cases(empty, out)
        assert report.created == 4 and report.exit_status == 0
        assert any(i.code == "masked" and not i.is_error for i in report.issues)
    finally:
        empty.database.dispose()


def _write(
    path: Path, cases: list[list[object]], parties: list[list[object]], terms: list[list[object]] = ()
) -> Path:
    cols.write_workbook(
        path,
        [
            ("案件", cols.CASE_COLUMNS.columns, cases),
            ("当事人", cols.PARTY_COLUMNS.columns, parties),
            ("协议条款", cols.TERM_COLUMNS.columns, list(terms)),
        ],
    )
    return path


def _case(no: str, **kw: object) -> list[object]:
    row: dict[str, object] = {
        "case_no": no,
        "accepted_on": D(2025, 5, 6),
        "source": "申请",
        "dispute_type": "邻里",
        "summary": "楼道堆物纠纷",
        "mediators": "王秀兰、陈志强",
    }
    row.update(kw)
    return [row.get(c.key) for c in cols.CASE_COLUMNS]


def _party(no: str, name: str, **kw: object) -> list[object]:
    row: dict[str, object] = {"case_no": no, "kind": "自然人", "name": name, "gender": "男"}
    row.update(kw)
    return [row.get(c.key) for c in cols.PARTY_COLUMNS]


def test_import_checks_rows_and_keeps_or_assigns_numbers(street_ctx: ServiceContext, tmp_path: Path) -> None:
    cid, _m1, _m2 = setup_committee(street_ctx)
    path = _write(
        tmp_path / "old.xlsx",
        [
            _case("(2025)新华社区人调字第12号", dispute_type="道路交通事故纠纷"),  # row 2: kept, normalised
            _case("", dispute_type="物业"),  # row 3: number assigned
            _case("X-1", dispute_type="吵架"),  # row 4: unknown type
            _case("X-2", accepted_on="2025-13-01"),  # row 5: bad date
            _case(
                "X-3", form="书面", made_on=D(2025, 5, 8), result="调解成功"
            ),  # row 6: party error → rejected
            _case("X-4"),  # row 7: duplicate number
            _case("X-4"),  # row 8
        ],
        [
            _party("（2025）新华社区人调字第012号", "张三"),
            _party("(2025)新华社区人调字第12号", "李四", gender="女"),
            _party("X-3", "王五", id_number="110105194912310021"),  # bad check digit
            _party("X-9", "赵六"),  # no such case
        ],
    )
    report = exchange.import_cases(street_ctx, path)
    assert report.exit_status == 2
    assert report.created == 2 and report.numbers_assigned == 1
    by = {(i.row, i.field): i for i in report.issues}
    assert "不在纠纷类型字典中" in by[(4, "纠纷类型")].reason
    assert "不是有效日期" in by[(5, "受理日期")].reason
    assert "重复" in by[(7, "案件编号")].reason and "重复" in by[(8, "案件编号")].reason
    assert "整件未导入" in by[(6, None)].reason
    assert "校验位" in by[(4, "当事人·公民身份号码")].reason
    assert "找不到" in by[(5, "当事人·案件编号")].reason
    assert not by[(3, "案件编号")].is_error and "已按受理年度编号" in by[(3, "案件编号")].reason
    rec = med.get_case(street_ctx, "（2025）新华社区人调字第012号")
    assert rec.dispute_type_label == "道路交通事故纠纷" and [p.name for p in rec.parties] == ["张三", "李四"]
    assert (
        rec.parties[0].role == "APPLICANT"
        and rec.mediator == "王秀兰"
        and rec.assistant_mediators == "陈志强"
    )
    # the counter moved past the kept number
    assert intake(street_ctx, cid, None, accepted_on=D(2025, 6, 1)) == "（2025）新华社区人调字第014号"
    assert med.get_case(street_ctx, "（2025）新华社区人调字第013号").dispute_type_label == "物业纠纷"
    errors = tmp_path / "errors.xlsx"
    assert (
        main(
            [
                "--db",
                str(street_ctx.database.url.database),
                "import",
                "mediation-cases",
                str(path),
                "--errors",
                str(errors),
            ]
        )
        == 2
    )
    assert cells(errors)["导入问题"][0] == ("行号", "字段", "值", "原因")


def test_a_file_without_rows_exits_1(street_ctx: ServiceContext, tmp_path: Path) -> None:
    report = exchange.import_cases(street_ctx, _write(tmp_path / "e.xlsx", [], []))
    assert report.exit_status == 1


def test_cli_print_list_and_export(
    street_ctx: ServiceContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cid, m1, _ = setup_committee(street_ctx)
    no = full_case(street_ctx, cid, m1)
    intake(street_ctx, cid, m1)
    db = str(street_ctx.database.url.database)
    assert main(["--db", db, "print", "agreement", no, "--out", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert (
        main(
            [
                "--db",
                db,
                "print",
                "case-file",
                no.replace("（", "(").replace("）", ")"),
                "--out",
                str(tmp_path / "f.pdf"),
            ]
        )
        == 0
    )
    assert "页）" in capsys.readouterr().out
    assert (
        main(
            [
                "--db",
                db,
                "print",
                "agreement",
                "（2026）新华社区人调字第002号",
                "--out",
                str(tmp_path / "b.pdf"),
            ]
        )
        == 1
    )
    assert "还没有调解协议" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                db,
                "print",
                "agreement",
                "（2026）新华社区人调字第999号",
                "--out",
                str(tmp_path / "c.pdf"),
            ]
        )
        == 1
    )
    assert "找不到案件" in capsys.readouterr().err
    assert main(["--db", db, "mediation", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "case_no",
        "accepted_on",
        "dispute_type",
        "source",
        "result",
        "agreement_no",
        "agreement_form",
        "agreement_effective_on",
    } <= set(data[0])
    done = next(d for d in data if d["case_no"] == no)
    assert (done["accepted_on"], done["agreement_effective_on"], done["agreement_form"]) == (
        "2026-03-02",
        "2026-03-20",
        "书面",
    )
    assert (done["source"], done["result"], done["dispute_type"]) == ("申请调解", "调解成功", "邻里纠纷")
    other = next(d for d in data if d["case_no"] != no)
    assert (
        other["agreement_no"] is None and other["agreement_effective_on"] is None and other["result"] is None
    )
    assert main(["--db", db, "mediation", "list"]) == 0
    assert "共 2 件" in capsys.readouterr().out
    out = tmp_path / "ledger.xlsx"
    assert main(["--db", db, "export", "mediation-cases", "--out", str(out)]) == 0
    assert "已脱敏" in capsys.readouterr().out and cells(out)["案件"][1][0] == no
