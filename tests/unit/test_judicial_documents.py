"""司法确认 documents, checked by text extraction and their fonts; the deadline block; the CLI."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.app import main
from desktop.core.errors import ValidationError
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial.documents import write_document
from tests.conftest import TODAY

from .test_judicial_services import COURT, agreement_on
from .test_mediation_documents import check_pdf
from .test_mediation_helpers import D, intake, person, setup_committee


@pytest.fixture
def case_no(street_ctx: ServiceContext) -> str:
    """A case with an organisation party with an agent, agreement effective 5 days ago (real today)."""
    jc.save_court_settings(street_ctx, jc.CourtSettings(COURT))
    cid, m1, _ = setup_committee(street_ctx)
    org = med.PartyInput(
        "嘉峪关市某物业服务有限公司", "RESPONDENT", "ORGANISATION", phone="0937-6200000", address="新华路1号",
        legal_rep="刘强", legal_rep_title="总经理", agent="赵敏，公司法务，电话13909370003",
    )  # fmt: skip
    no = intake(
        street_ctx,
        cid,
        m1,
        accepted_on=TODAY - dt.timedelta(days=20),
        parties=[person("张建华", id_number="620202196805040015"), org],
    )
    case = med.get_case(street_ctx, no)
    med.save_agreement(street_ctx, case.id, agreement_on(TODAY - dt.timedelta(days=5)), today=TODAY)
    return no


def test_application_text(street_ctx: ServiceContext, case_no: str, tmp_path: Path) -> None:
    tid = jc.start_confirmation(street_ctx, case_no, today=TODAY)
    out = write_document(street_ctx, "application", tmp_path / "a.pdf", track_id=tid, today=TODAY)
    text = check_pdf(out)
    flat = re.sub(r"\s+", "", text)
    assert flat.startswith("司法确认申请书")
    # both parties as joint applicants, with identity and 送达地址; no respondent
    assert flat.count("申请人：") >= 2 and "被申请人：" not in flat
    assert "公民身份号码620202196805040015" in flat
    assert "送达地址：嘉峪关市长城区新华小区3号楼2单元501室" in flat
    assert "法定代表人（负责人）刘强" in flat and "委托代理人：赵敏" in flat
    for words in ("请求事项", "事实和理由", "申请人声明", "此致", COURT, "附件"):
        assert words in flat, words
    assert f"人民调解协议（编号：{case_no}）有效" in flat
    assert "不涉及确认身份关系、收养关系、婚姻关系" in flat
    assert "授权委托书" in flat and "营业执照" in flat  # attachments: an agent, an organisation
    assert "双方当事人签名或按指印" not in flat  # the application is not its own attachment
    # printed on TODAY, not yet filed: the date line carries the print date
    assert "按指印" in flat and f"{TODAY.year}年{TODAY.month}月{TODAY.day}日附件" in flat


def test_package_and_forms(street_ctx: ServiceContext, case_no: str, tmp_path: Path) -> None:
    tid = jc.start_confirmation(street_ctx, case_no, today=TODAY)
    package = write_document(street_ctx, "package", tmp_path / "p.pdf", track_id=tid, today=TODAY)
    pages = [re.sub(r"\s+", "", pg.extract_text()) for pg in PdfReader(package).pages]
    firsts = [pg[:12] for pg in pages]
    assert firsts[0].startswith("司法确认申请书")
    assert any(f.startswith("人民调解协议书") for f in firsts)
    assert any(f.startswith("司法确认申请材料清单") for f in firsts)
    assert sum(f.startswith("送达地址确认书") for f in firsts) == 2  # one per applicant
    assert any(f.startswith("授权委托书") for f in firsts)  # an agent applies
    check_pdf(package)
    jc.set_material(street_ctx, tid, "AGREEMENT", True, copies=3, today=TODAY)
    checklist = write_document(street_ctx, "checklist", tmp_path / "c.pdf", track_id=tid, today=TODAY)
    flat = re.sub(r"\s+", "", check_pdf(checklist))
    assert "人民调解协议书（原件）是✓3" in flat and "尚缺材料" in flat


def test_no_application_after_the_deadline_without_a_reason(
    street_ctx: ServiceContext, case_no: str, tmp_path: Path
) -> None:
    tid = jc.start_confirmation(street_ctx, case_no, today=TODAY)
    late = TODAY + dt.timedelta(days=40)
    with pytest.raises(ValidationError, match="已超过司法确认申请期限"):
        write_document(street_ctx, "application", tmp_path / "a.pdf", track_id=tid, today=late)
    with pytest.raises(ValidationError, match="已超过"):
        write_document(street_ctx, "package", tmp_path / "p.pdf", case=case_no, today=late)
    assert not (tmp_path / "a.pdf").exists()
    # forms without the application are still allowed
    write_document(street_ctx, "service_address", tmp_path / "s.pdf", track_id=tid, today=late)
    t = jc.get_track(street_ctx, tid, late)
    jc.record_late_reason(street_ctx, tid, t.version, "当事人住院治疗，出院后申请")
    assert write_document(street_ctx, "application", tmp_path / "a.pdf", track_id=tid, today=late).exists()


def test_cli_prints_the_application(
    street_ctx: ServiceContext, case_no: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(street_ctx.database.url.database)
    out = tmp_path / "cli.pdf"
    # without a track: a draft from the rules, before the deadline
    assert main(["--db", db, "print", "confirmation-application", case_no, "--out", str(out)]) == 0
    assert "司法确认申请书" in capsys.readouterr().out
    assert "司法确认申请书" in check_pdf(out)
    assert main(["--db", db, "print", "confirmation-application", "（2026）新华社区人调字第404号", "--out",
                 str(tmp_path / "x.pdf")]) == 1  # fmt: skip
    assert "找不到案件" in capsys.readouterr().err
    assert main(["--db", db, "holidays", "list", "--year", "2026"]) == 0
    listed = capsys.readouterr().out
    assert (
        "2026 年：放假 33 天，调休上班 6 天" in listed and "2026-10-10  周六  上班  国庆节调休上班" in listed
    )
    assert main(["--db", db, "confirmations", "list", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    assert D(2026, 1, 1).year == 2026
