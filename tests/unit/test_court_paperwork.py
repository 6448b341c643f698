"""Paperwork a court accepts (issue 11): wording by the number of parties, a late application that states the
facts, guardians and company representatives in party blocks and signatures, amounts in capitals, the
授权委托书's agent, line breaking, the running case number, blank dates, Chinese dates in the 卷内目录."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from desktop.documents import judicial as jdocs
from desktop.documents import mediation as docs
from desktop.domain.judicial import ConfirmationRecord, MaterialLine
from desktop.domain.mediation import CaseRecord, PartyRecord
from desktop.services import judicial as jc
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial import rules
from desktop.services.judicial.documents import write_document
from tests.conftest import TODAY

from .test_judicial_documents import case_no  # noqa: F401  (a fixture: a case with an organisation)
from .test_mediation_documents import check_pdf
from .test_mediation_helpers import D, full_case, setup_committee

OPENING = "（《“‘【"
CLOSING = "）》”’】，。、；：！？"
LATE_REASON = "当事人外出务工，返回后方能共同申请"


def flat(path: Path) -> str:
    return re.sub(r"\s+", "", "\n".join(pg.extract_text() for pg in PdfReader(path).pages))


def top_of_page(path: Path, n: int) -> str:
    """The text printed in the top 20 mm of page ``n`` (0-based): the running header."""
    found: list[str] = []
    top = A4[1] - 20 * 72 / 25.4

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        if tm[5] > top and text.strip():
            found.append(text)

    PdfReader(path).pages[n].extract_text(visitor_text=visit)
    return "".join(found)


# ------------------------------------------------------------------------------------------ records


@pytest.fixture
def two(street_ctx: ServiceContext) -> CaseRecord:
    """A closed two-party case (张建华 v 李桂芳) with notice, investigation, session, agreement, visit."""
    cid, m1, _ = setup_committee(street_ctx)
    return med.get_case(street_ctx, full_case(street_ctx, cid, m1))


def _words(text: str | None) -> str | None:
    """What the users typed in the fixture, said for three parties (the program's own words are tested)."""
    return None if text is None else text.replace("双方", "各方")


def three_parties(rec: CaseRecord) -> CaseRecord:
    """``rec`` with a third party: a company respondent with its 法定代表人 and an agent."""
    company = PartyRecord(
        id=999, seq=3, role="RESPONDENT", kind="ORGANISATION", name="嘉峪关市某物业服务有限公司",
        phone="0937-6200000", address="嘉峪关市新华路1号", legal_rep="刘强", legal_rep_title="总经理",
        agent="赵敏", agent_relation="公司员工", agent_id_number="620202199001010021", agent_phone="13909370003",
    )  # fmt: skip
    a = rec.agreement
    assert a is not None
    agreement = dataclasses.replace(
        a,
        facts=_words(a.facts) or "",
        disputes=_words(a.disputes),
        responsibilities=_words(a.responsibilities),
        terms=tuple(dataclasses.replace(t, text=_words(t.text) or "") for t in a.terms),
        copies=4,
    )
    return dataclasses.replace(
        rec,
        summary=_words(rec.summary) or "",
        parties=(*rec.parties, company),
        agreement=agreement,
        sessions=tuple(
            dataclasses.replace(s, minutes=_words(s.minutes) or "", result=_words(s.result))
            for s in rec.sessions
        ),
        follow_ups=tuple(dataclasses.replace(v, notes=_words(v.notes)) for v in rec.follow_ups),
    )


def with_minor(rec: CaseRecord) -> CaseRecord:
    """``rec`` with the respondent aged 16 when the agreement is made, acting through her father."""
    minor = dataclasses.replace(
        rec.parties[1],
        birth_date=D(2009, 6, 1),
        guardian_name="李建国",
        guardian_relation="父亲",
        guardian_id_number="620202197001010012",
        guardian_phone="13909371234",
    )
    return dataclasses.replace(rec, parties=(rec.parties[0], minor, *rec.parties[2:]))


def confirmation(rec: CaseRecord, **kw: object) -> ConfirmationRecord:
    a = rec.agreement
    assert a is not None
    briefs = [rules.PartyBrief(p.seq, p.name, p.is_person, bool(p.agent)) for p in rec.parties]
    materials = tuple(
        MaterialLine(m.label, m.required, False, code=m.code)
        for m in rules.materials_for(briefs, False, False)
    )
    base = ConfirmationRecord(
        case=rec,
        court="嘉峪关市城区人民法院",
        effective_on=a.made_on,
        deadline=a.made_on + dt.timedelta(days=31),
        printed_on=a.made_on + dt.timedelta(days=3),
        materials=materials,
    )
    return dataclasses.replace(base, **kw)


def mediation_documents(rec: CaseRecord, tmp_path: Path, tag: str) -> dict[str, Path]:
    return {key: docs.write(rec, key, tmp_path / f"{tag}-{key}.pdf") for key in docs.available(rec)}


def court_documents(rec: ConfirmationRecord, tmp_path: Path, tag: str) -> dict[str, Path]:
    return {key: jdocs.write(rec, key, tmp_path / f"{tag}-j-{key}.pdf") for key in jdocs.DOCUMENTS}


# ------------------------------------------------------------------------------------------ 双方 / 各方


def test_three_parties_are_各方_and_two_are_双方(two: CaseRecord, tmp_path: Path) -> None:
    three = three_parties(two)
    for key, path in {
        **mediation_documents(three, tmp_path, "3"),
        **court_documents(confirmation(three), tmp_path, "3"),
    }.items():
        text = flat(path)
        assert "双方" not in text, (key, text[text.find("双方") - 30 : text.find("双方") + 30])
    app = flat(jdocs.write(confirmation(three), "application", tmp_path / "a3.pdf"))
    assert "经调解，各方于2026年3月20日自愿达成" in app and "各方当事人的真实意思表示" in app
    assert "其他当事人可以向人民法院申请强制执行" in app
    assert "送达地址确认书（各方当事人的送达地址和联系电话）" in app  # the attachments list
    notice = flat(docs.write(three, "notice", tmp_path / "n3.pdf"))
    assert "受理你与李桂芳、嘉峪关市某物业服务有限公司之间的邻里纠纷" in notice
    assert "受理你单位与张建华、李桂芳之间的邻里纠纷" in notice
    assert "你（单位）之间" not in notice and "尊重其他当事人行使权利" in notice
    agreement = flat(docs.write(three, "agreement", tmp_path / "g3.pdf"))
    assert "各方责任：" in agreement and "本协议自各方当事人签名" in agreement

    app2 = flat(jdocs.write(confirmation(two), "application", tmp_path / "a2.pdf"))
    assert "经调解，双方于2026年3月20日" in app2 and "对方当事人可以向人民法院申请强制执行" in app2
    assert "受理你与李桂芳之间的邻里纠纷" in flat(docs.write(two, "notice", tmp_path / "n2.pdf"))
    assert "本协议自双方当事人签名" in flat(docs.write(two, "agreement", tmp_path / "g2.pdf"))


# ------------------------------------------------------------------------------------------ late application


def test_a_late_application_states_the_deadline_and_the_reason(two: CaseRecord, tmp_path: Path) -> None:
    late = confirmation(
        two, deadline=D(2026, 4, 20), late_reason=LATE_REASON, printed_on=D(2026, 5, 12), filed_on=None
    )
    text = flat(jdocs.write(late, "application", tmp_path / "late.pdf"))
    assert "三十日内共同" not in text
    assert "该调解协议于2026年3月20日生效" in text
    assert "第三十三条" in text and "第二百零五条" in text
    assert "三十日期间已于2026年4月20日届满" in text
    assert f"因{LATE_REASON}，申请人未能在上述期间内提出申请" in text
    assert "2026年5月12日附件" in text  # the date line: the print date until it is filed
    filed = flat(
        jdocs.write(dataclasses.replace(late, filed_on=D(2026, 5, 15)), "application", tmp_path / "f.pdf")
    )
    assert "2026年5月15日附件" in filed and "2026年5月12日" not in filed

    timely = flat(jdocs.write(confirmation(two), "application", tmp_path / "ok.pdf"))
    assert "在调解协议生效之日起三十日内共同向贵院申请司法确认" in timely and "届满" not in timely


def test_the_service_passes_the_recorded_reason_to_the_application(
    street_ctx: ServiceContext,
    case_no: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    tid = jc.start_confirmation(street_ctx, case_no, today=TODAY)
    late = TODAY + dt.timedelta(days=40)
    t = jc.get_track(street_ctx, tid, late)
    jc.record_late_reason(street_ctx, tid, t.version, LATE_REASON)
    text = flat(write_document(street_ctx, "application", tmp_path / "a.pdf", track_id=tid, today=late))
    deadline = jc.get_track(street_ctx, tid, late).deadline
    day = getattr(deadline, "day", deadline)
    assert f"已于{day.year}年{day.month}月{day.day}日届满" in text
    assert LATE_REASON in text and "三十日内共同" not in text
    assert f"{late.year}年{late.month}月{late.day}日附件" in text


# ------------------------------------------------------------------------------------------ who signs


def test_a_minor_acts_and_signs_through_the_guardian(two: CaseRecord, tmp_path: Path) -> None:
    rec = with_minor(two)
    assert rec.parties[1].needs_guardian_on(D(2026, 3, 20))
    agreement = flat(docs.write(rec, "agreement", tmp_path / "g.pdf"))
    assert "法定代理人李建国关系父亲联系方式13909371234身份证号码620202197001010012" in agreement
    assert (
        "被申请人：李桂芳签名：＿＿＿＿＿＿＿按指印：＿＿＿法定代理人：李建国（父亲）法定代理人（签名）"
        in agreement
    )
    app = flat(jdocs.write(confirmation(rec), "application", tmp_path / "a.pdf"))
    assert "法定代理人：李建国（父亲），公民身份号码620202197001010012，联系电话13909371234。" in app
    assert "法定代理人（签名）" in app
    served = flat(jdocs.write(confirmation(rec), "service_address", tmp_path / "s.pdf"))
    assert "收件人李建国（法定代理人）联系电话13909371234" in served
    assert "受送达人的法定代理人（签名）" in served
    closing = flat(
        docs.write(
            with_minor(dataclasses.replace(two, closed_on=D(2026, 5, 8))), "closing", tmp_path / "c.pdf"
        )
    )
    assert "被申请人：李桂芳；住址：" in closing and "法定代理人：李建国（父亲）" in closing
    # an adult party has no guardian line
    assert "法定代理人" not in flat(docs.write(two, "agreement", tmp_path / "adult.pdf"))


def test_a_company_seals_and_its_representative_signs_without_a_fingerprint(
    two: CaseRecord, tmp_path: Path
) -> None:
    three = three_parties(two)
    for path in (
        jdocs.write(confirmation(three), "application", tmp_path / "a.pdf"),
        docs.write(three, "agreement", tmp_path / "g.pdf"),
    ):
        text = flat(path)
        company = text.index("嘉峪关市某物业服务有限公司（单位盖章）")
        sign = text[company : text.index("＿＿＿＿", company) + 4]
        assert sign.endswith("法定代表人：刘强（总经理）法定代表人（签名）：＿＿＿＿"), sign
        after = text[company : company + 80]
        assert "按指印" not in after, after
    app = flat(jdocs.write(confirmation(three), "application", tmp_path / "a.pdf"))
    assert "法定代表人（负责人）刘强，总经理" in app


def test_the_power_of_attorney_names_the_recorded_agent(two: CaseRecord, tmp_path: Path) -> None:
    three = three_parties(two)
    text = flat(jdocs.write(confirmation(three), "power_of_attorney", tmp_path / "p.pdf"))
    assert "委托人：嘉峪关市某物业服务有限公司" in text
    assert (
        "受托人：姓名赵敏，公民身份号码620202199001010021，联系电话13909370003，与委托人关系公司员工。"
        in text
    )
    assert "受托人（签名）：赵敏" in text
    assert "法定代表人（签名）：刘强" in text and "（单位盖章）" in text
    # nobody recorded: a form with blanks to fill in
    blank = flat(jdocs.write(confirmation(two), "power_of_attorney", tmp_path / "b.pdf"))
    assert "受托人：姓名＿＿＿＿＿＿＿，性别＿＿＿" in blank


# ------------------------------------------------------------------------------------------ amounts, words


def test_amounts_print_in_capitals_and_figures(two: CaseRecord, tmp_path: Path) -> None:
    amount = "人民币贰仟伍佰元整（￥2,500.00）"
    for key in ("agreement", "closing"):
        assert amount in flat(docs.write(two, key, tmp_path / f"{key}.pdf")), key
    oral = dataclasses.replace(two, agreement=dataclasses.replace(two.agreement, oral=True))
    assert amount in flat(docs.write(oral, "oral", tmp_path / "oral.pdf"))
    app = flat(jdocs.write(confirmation(two), "application", tmp_path / "a.pdf"))
    assert amount in app and "贰仟伍佰元（" not in app  # the typed capitals are not doubled
    closing = flat(docs.write(two, "closing", tmp_path / "c.pdf"))
    assert "涉及金额人民币贰仟伍佰元整（￥2,500.00）" in closing


def test_the_last_minutes_before_the_agreement_record_the_terms(two: CaseRecord, tmp_path: Path) -> None:
    text = flat(docs.write(two, "minutes", tmp_path / "m.pdf"))
    assert "达成协议内容：1.被申请人于2026年4月10日前自费修复卫生间防水层" in text
    assert "人民币贰仟伍佰元整（￥2,500.00）" in text
    assert "双方自愿达成协议。" in text  # the recorded result stays


def test_no_doubled_纠纷_and_the_agreement_prints_the_responsibilities(
    two: CaseRecord, tmp_path: Path
) -> None:
    three = three_parties(two)
    documents = {
        **mediation_documents(two, tmp_path, "2"),
        **court_documents(confirmation(two), tmp_path, "2"),
    }
    documents |= court_documents(confirmation(three), tmp_path, "3")
    for key, path in documents.items():
        text = flat(path)
        assert not re.search(r"纠纷(（[^）]*）)?发生纠纷", text), key
    app = flat(jdocs.write(confirmation(two), "application", tmp_path / "a.pdf"))
    assert "申请人张建华、李桂芳之间发生邻里纠纷。" in app
    assert "双方责任：被申请人对漏水负主要责任" in flat(documents["agreement"])


# ------------------------------------------------------------------------------------------ layout


def _every_document(two: CaseRecord, tmp_path: Path) -> dict[str, Path]:
    three = with_minor(three_parties(two))
    oral = dataclasses.replace(two, agreement=dataclasses.replace(two.agreement, oral=True))
    late = confirmation(three, deadline=D(2026, 4, 20), late_reason=LATE_REASON, printed_on=D(2026, 5, 12))
    out: dict[str, Path] = {}
    for tag, rec in (("two", two), ("three", three), ("oral", oral)):
        out |= {f"{tag}:{k}": v for k, v in mediation_documents(rec, tmp_path, tag).items()}
        out |= {f"{tag}:court:{k}": v for k, v in court_documents(confirmation(rec), tmp_path, tag).items()}
    out |= {f"late:{k}": v for k, v in court_documents(late, tmp_path, "late").items()}
    return out


def test_no_line_ends_with_an_opening_mark_or_starts_with_a_closing_one(
    two: CaseRecord, tmp_path: Path
) -> None:
    for key, path in _every_document(two, tmp_path).items():
        raw = "\n".join(pg.extract_text() for pg in PdfReader(path).pages)
        for line in raw.splitlines():
            s = line.strip()
            if not s:
                continue
            assert s[-1] not in OPENING, f"{key}: a line ends with {s[-1]}: {s}"
            assert s[0] not in CLOSING, f"{key}: a line starts with {s[0]}: {s}"
        for word in ("联系方式", "法定代理人", "法定代表人"):
            assert raw.count(word[:-1]) == raw.count(word), f"{key}: {word} broken across lines"
        check_pdf(path)


def test_continuation_pages_carry_the_case_number(two: CaseRecord, tmp_path: Path) -> None:
    three = with_minor(three_parties(two))
    case_file = docs.write(three, "case_file", tmp_path / "file.pdf")
    pages = len(PdfReader(case_file).pages)
    assert pages > 5
    assert two.case_no not in top_of_page(case_file, 0)  # the cover has none
    for n in range(1, pages):
        assert two.case_no in top_of_page(case_file, n), n
    app = jdocs.write(confirmation(three), "application", tmp_path / "a.pdf")
    assert len(PdfReader(app).pages) >= 2
    assert two.case_no in top_of_page(app, 1) and two.case_no not in top_of_page(app, 0)


def test_blank_dates_are_wide_enough_and_contents_dates_are_chinese(two: CaseRecord, tmp_path: Path) -> None:
    unvisited = dataclasses.replace(two, follow_ups=())
    for key in ("follow_up",):
        text = flat(docs.write(unvisited, key, tmp_path / f"{key}.pdf"))
        assert "回访时间＿＿＿＿年＿＿月＿＿日" in text
    for path in _every_document(two, tmp_path).values():
        raw = "\n".join(pg.extract_text() for pg in PdfReader(path).pages)
        assert not re.search(r"年\s{2,}月\s{2,}日", raw), path.name
    text = flat(docs.write(two, "case_file", tmp_path / "file.pdf"))
    contents = text[text.index("卷内目录") : text.index("卷内备考表（封底）")]
    assert "人民调解记录（2026年3月20日）" in contents
    assert "人民调解调查记录（2026年3月5日）" in contents
    assert "人民调解回访记录（2026年5月6日）" in contents
    assert not re.search(r"\d{4}-\d{1,2}-\d{1,2}", text)


def test_a_person_keeps_name_and_fingerprint_lines(two: CaseRecord, tmp_path: Path) -> None:
    text = flat(docs.write(two, "agreement", tmp_path / "g.pdf"))
    assert "申请人：张建华签名：＿＿＿＿＿＿＿按指印：＿＿＿" in text
    assert text.count("按指印：") == 2
