"""Issue 11, done means: the held-out 台账 (a minor with her 法定代理人, a duplicate party, an organisation
applicant, blank case amounts with terms that carry them, a three-party case) imports, prints and reports
right — read back from the PDFs' text and the 月报's figures, not from the records."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.clock import FixedClock
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services import structure as st
from desktop.services.context import ServiceContext
from desktop.services.judicial.documents import write_document
from desktop.services.mediation import exchange
from desktop.services.mediation.printing import print_document
from desktop.services.reports.monthly import monthly_report

from .mediation_ledgers import HELD_OUT, case_no, write_held_out_ledger
from .test_mediation_helpers import setup_committee

THREE = case_no(21)  # 马秀英 and her minor daughter 马小雨 v a 物业公司
COMPANY = case_no(25)  # a 商贸公司 v 孙大海 (限制民事行为能力, through his daughter 孙丽)


def flat(path: Path) -> str:
    return re.sub(r"\s+", "", "\n".join(pg.extract_text() for pg in PdfReader(path).pages))


@pytest.fixture
def held_out(street_ctx: ServiceContext, tmp_path: Path) -> ServiceContext:
    communities = {c.name: c.id for c in st.list_communities(street_ctx)}
    setup_committee(street_ctx, communities["新华社区"])
    report = exchange.import_cases(street_ctx, write_held_out_ledger(tmp_path / "台账.xlsx"))
    assert report.created == len(HELD_OUT.imported)
    return street_ctx


def test_the_three_party_agreement_prints_true_of_its_case(held_out: ServiceContext, tmp_path: Path) -> None:
    path, _ = print_document(held_out, THREE, "agreement", tmp_path / "协议.pdf")
    text = flat(path)
    assert "各方" in text and "双方" not in text  # three parties
    assert "一式四份" in text  # three parties + the committee
    # the minor signs with her 法定代理人, the company through its 法定代表人 and seal, not a fingerprint
    assert "马建军" in text and "法定代理人（签名）" in text
    assert "刘强" in text and "法定代表人（签名）" in text and "单位盖章" in text
    assert "马秀英" in text and "马小雨" in text
    # the ledger typed the agreement's number as "(2026)…第21号": it prints as the case's own number
    assert f"编号：{THREE}" in text
    # amounts from the terms' numbers, in capitals and figures
    assert "人民币捌仟元整（￥8,000.00）" in text
    assert "人民币肆仟伍佰元整（￥4,500.00）" in text


def test_the_closing_report_totals_the_terms(held_out: ServiceContext, tmp_path: Path) -> None:
    path, _ = print_document(held_out, THREE, "closing", tmp_path / "结案.pdf")
    text = flat(path)
    total = HELD_OUT.term_totals[THREE]
    assert total == decimal.Decimal("12500.00")
    assert "协议涉及金额" in text and "人民币壹万贰仟伍佰元整（￥12,500.00）" in text


def test_the_three_party_court_application(held_out: ServiceContext, clock: FixedClock, tmp_path: Path) -> None:
    clock.set(dt.date(2026, 10, 20))  # four days after the agreement took effect: in time
    path = write_document(held_out, "application", tmp_path / "申请书.pdf", case=THREE)
    text = flat(path)
    assert "各方" in text and "双方" not in text
    assert "马小雨" in text and "马建军" in text  # the minor applies through her 法定代理人
    assert "刘强" in text and "总经理" in text
    assert text.count("马秀英") >= 2  # in the party block and on her signature line
    # the ID number of each applicant appears once per place it is printed, never a second party
    rec = med.get_case(held_out, THREE)
    assert len({p.id_number for p in rec.parties if p.id_number}) == len([p for p in rec.parties if p.id_number])


def test_the_company_case_prints_the_guardian_of_the_party_without_capacity(
    held_out: ServiceContext, tmp_path: Path
) -> None:
    path, _ = print_document(held_out, COMPANY, "agreement", tmp_path / "协议25.pdf")
    text = flat(path)
    assert "双方" in text and "各方" not in text  # two parties
    assert "孙大海" in text and "孙丽" in text and "法定代理人（签名）" in text
    assert "陈鑫" in text and "执行董事" in text
    assert "人民币叁仟陆佰元整（￥3,600.00）" in text


def test_the_monthly_report_takes_the_amounts_from_the_terms(held_out: ServiceContext) -> None:
    report = monthly_report(held_out, "2026-10", community="新华社区")
    counted = report.indicator("mediation.settled").value
    amount = report.indicator("mediation.amount").value
    # both cases settled in October with blank 涉及金额; the figure is what their terms carry
    assert counted == 2
    assert amount == sum(HELD_OUT.term_totals.values())


def test_the_late_application_of_the_company_case_states_the_facts(
    held_out: ServiceContext, clock: FixedClock, tmp_path: Path
) -> None:
    # the agreement of 2026-10-22 took effect that day; its 30 days ended on 2026-11-23 (11-21 a Saturday)
    clock.set(dt.date(2026, 12, 1))
    tid = jc.start_confirmation(held_out, COMPANY)
    t = jc.get_track(held_out, tid)
    jc.record_late_reason(held_out, tid, t.version, "被申请人住院治疗，其法定代理人无法到场")
    text = flat(write_document(held_out, "application", tmp_path / "逾期.pdf", track_id=tid))
    deadline = jc.get_track(held_out, tid).deadline
    day = getattr(deadline, "day", deadline)
    assert f"{day.year}年{day.month}月{day.day}日" in text and "届满" in text
    assert "被申请人住院治疗，其法定代理人无法到场" in text
    assert "三十日内共同" not in text
    assert "2026年12月1日" in text  # the date line is filled
    assert "孙丽" in text and "陈鑫" in text
