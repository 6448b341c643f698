"""Mediation documents: every mandated section and field is printed, fonts are embedded, 禁则 holds,
rare characters print, long texts flow, the case file's contents list gives the right pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.errors import ValidationError
from desktop.documents import mediation as docs
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.mediation.printing import print_document

from .test_mediation_helpers import D, agreement_input, full_case, intake, person, setup_committee

FORBIDDEN_LINE_STARTS = "，。、；：！？）》」"
T = D(2026, 11, 23)


def pages(path: Path) -> list[str]:
    return [pg.extract_text() for pg in PdfReader(path).pages]


def text(path: Path) -> str:
    return "\n".join(pages(path))


def check_pdf(path: Path) -> str:
    """Fonts embedded, no line starting with a forbidden mark; returns the text."""
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows
        for row in rows:
            assert re.search(r"\byes\s+yes\s+yes\b", row), f"{path.name}: font not embedded: {row}"
    extracted = text(path)
    for line in extracted.splitlines():
        assert line.strip()[:1] not in FORBIDDEN_LINE_STARTS or not line.strip(), f"{path.name}: {line}"
    if shutil.which("pdftotext"):
        layout_text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
        ).stdout
        for line in layout_text.splitlines():
            for cell in re.split(r"\s{2,}", line.strip()):
                assert not cell or cell[0] not in FORBIDDEN_LINE_STARTS, f"{path.name}: {line}"
    return extracted


@pytest.fixture
def record(street_ctx: ServiceContext):
    cid, m1, _ = setup_committee(street_ctx)
    no = full_case(street_ctx, cid, m1)
    case = med.get_case(street_ctx, no)
    med.set_file_item(street_ctx, case.id, "ID_PROOF", True, pages=2)
    case = med.get_case(street_ctx, no)
    med.archive_case(street_ctx, case.id, case.version, D(2026, 5, 9), "李晓梅", today=T)
    return med.get_case(street_ctx, no)


def test_agreement_has_every_mandated_part(record, tmp_path: Path) -> None:
    out = docs.write(record, "agreement", tmp_path / "a.pdf")
    t = check_pdf(out)
    flat = t.replace("\n", "").replace(" ", "")
    for needed in (
        "人民调解协议书",
        "编号：（2026）新华社区人调字第001号",
        "当事人基本情况",
        "张建华",
        "李桂芳",
        "男",
        "女",
        "汉族",
        "57岁",
        "50岁",
        "退休工人",
        "个体经营",
        "13809371111",
        "13919372222",
        "新华小区3号楼2单元501室",
        "新华小区3号楼2单元601室",
        "纠纷主要事实、争议事项",
        "争议事项：漏水原因",
        "双方责任",
        "负主要责任",
        "经新华社区人民调解委员会主持调解，当事人自愿达成如下协议",
        "1.被申请人于2026年4月10日前自费修复卫生间防水层",
        "2.被申请人赔偿",
        "3.双方就此纠纷再无其他争议",
        "履行方式：现金或银行转账一次性支付",
        "履行地点：新华社区人民调解委员会调解室",
        "履行期限：2026年4月30日前履行完毕",
        "本协议一式三份",
        "当事人各执一份",
        "留存一份",
        "人民调解员：",
        "王秀兰",
        "记录人：",
        "李晓梅",
        "（人民调解委员会印）",
        "嘉峪关市长城区新华社区人民调解委员会",
        "2026年3月20日",
    ):
        assert needed.replace(" ", "") in flat, needed
    assert flat.count("签名：") == 4  # two parties, the mediator, the note-taker
    assert flat.count("按指印：") == 2  # every party
    assert PdfReader(out).metadata.title == "人民调解协议书 （2026）新华社区人调字第001号"


def test_copies_and_signature_lines_follow_the_parties(street_ctx: ServiceContext, tmp_path: Path) -> None:
    cid, m1, _ = setup_committee(street_ctx)
    org = med.PartyInput(
        "嘉峪关市某物业服务有限公司",
        "RESPONDENT",
        "ORGANISATION",
        phone="0937-6200000",
        address="嘉峪关市新华路1号",
        legal_rep="刘强",
        legal_rep_title="总经理",
        agent="赵敏，公司法务，13900000000",
    )
    no = intake(street_ctx, cid, m1, parties=[person("张䶮"), person("吉𠮷祥", gender="女"), org])
    case = med.get_case(street_ctx, no)
    med.save_agreement(street_ctx, case.id, agreement_input(), today=T)
    out = docs.write(med.get_case(street_ctx, no), "agreement", tmp_path / "a.pdf")
    flat = check_pdf(out).replace("\n", "").replace(" ", "")
    assert "本协议一式四份" in flat
    assert flat.count("按指印：") == 2  # the two persons; a company gives no fingerprint
    assert flat.count("（单位盖章）") == 1  # the organisation seals
    # its 法定代表人 signs for it, with no 按指印 on that line
    assert "法定代表人：刘强（总经理）法定代表人（签名）：＿＿＿＿人民调解员" in flat
    # three parties: 各方 wherever the document speaks (a term's own words are the parties')
    assert "各方当事人签名" in flat and "双方" not in flat.replace("双方就此纠纷再无其他争议", "")
    for needed in (
        "张䶮",
        "吉𠮷祥",
        "嘉峪关市某物业服务有限公司（单位盖章）",
        "刘强（总经理）",
        "委托代理人",
        "赵敏，公司法务",
    ):
        assert needed in flat, needed
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        assert "HanaMin" in listing  # the rare characters come from the fallback font, embedded


def test_every_document_prints_its_fields(record, tmp_path: Path) -> None:
    expected = {
        "application": (
            "人民调解申请书",
            "申请人",
            "被申请人",
            "纠纷简要情况",
            "申请事项",
            "自愿申请",
            "按指印",
            "2026年3月2日",
        ),
        "intake": (
            "人民调解受理登记表",
            "纠纷类型",
            "邻里纠纷",
            "案件来源",
            "■当事人申请",
            "受理日期",
            "纠纷简要情况",
            "经当事人同意，调解张建华、李桂芳之间的邻里纠纷",
            "登记人",
            "（人民调解委员会印）",
        ),
        "notice": (
            "当事人权利义务告知书",
            "张建华：",
            "受理你与李桂芳之间的邻里纠纷",
            "李桂芳：",
            "受理你与张建华之间的邻里纠纷",
            "人民调解委员会的性质",
            "人民调解的原则",
            "调解协议的效力",
            "当事人享有的权利",
            "当事人承担的义务",
            "三十日内共同向人民法院申请司法确认",
            "签收日期：2026年3月2日",
        ),
        "investigation": (
            "人民调解调查记录",
            "调查人",
            "被调查人",
            "物业维修工",
            "记录人",
            "调查内容",
            "防水层破损",
        ),
        "minutes": (
            "人民调解记录",
            "时间",
            "2026年3月20日9时30分",
            "地点",
            "事由",
            "张建华与李桂芳邻里纠纷",
            "当事人",
            "参加人",
            "物业公司刘经理",
            "调解过程",
            "调解结果",
            "双方自愿达成协议",
            "已向当事人宣读",
        ),
        "follow_up": (
            "人民调解回访记录",
            "调解协议编号：（2026）新华社区人调字第001号",
            "回访事由",
            "回访情况",
            "协议已履行完毕",
            "回访人",
            "王秀兰",
            "回访时间",
            "2026年5月6日",
        ),
        "closing": (
            "人民调解结案报告表",
            "卷号：（2026）新华社区人调字第001号",
            "承办单位",
            "填表时间",
            "2026年5月9日",
            "承办人",
            "受案时间",
            "2026年3月2日",
            "结案时间",
            "2026年5月8日",
            "当事人",
            "住址",
            "联系电话",
            "案件来源",
            "申请调解",
            "纠纷简要事实",
            "调解结果",
            "调解成功",
            "履行情况",
            "已履行",
        ),
        "cover": (
            "人民调解卷宗",
            "新华社区人民调解委员会",
            "卷名",
            "张建华与李桂芳邻里纠纷",
            "卷号",
            "人民调解员",
            "调解日期",
            "自2026年3月2日至2026年5月8日",
            "立卷人",
            "李晓梅",
            "立卷日期",
            "2026年5月9日",
            "保管期限",
            "长期",
            "备注",
            "卷内目录",
            "序号",
            "文书名称",
            "页号",
        ),
    }
    assert set(expected) | {"agreement", "case_file"} == set(docs.available(record))
    for key, needed in expected.items():
        flat = check_pdf(docs.write(record, key, tmp_path / f"{key}.pdf")).replace("\n", "").replace(" ", "")
        for item in needed:
            assert item.replace(" ", "") in flat, f"{key}: {item}"


def test_oral_agreement_register(street_ctx: ServiceContext, tmp_path: Path) -> None:
    cid, m1, _ = setup_committee(street_ctx)
    no = intake(street_ctx, cid, m1)
    case = med.get_case(street_ctx, no)
    med.save_agreement(street_ctx, case.id, agreement_input(oral=True), today=T)
    rec = med.get_case(street_ctx, no)
    assert "oral" in docs.available(rec) and "agreement" not in docs.available(rec)
    flat = check_pdf(docs.write(rec, "agreement", tmp_path / "o.pdf")).replace("\n", "").replace(" ", "")
    for item in (
        "人民调解口头协议登记表",
        "口头协议内容",
        "履行方式、地点、期限",
        "协议达成日期",
        "口头协议自双方当事人达成协议之日起生效",
    ):
        assert item in flat, item


def test_long_texts_flow_onto_further_pages(street_ctx: ServiceContext, tmp_path: Path) -> None:
    cid, m1, _ = setup_committee(street_ctx)
    long = "".join(
        f"第{i}段：申请人称被申请人长期在楼道堆放杂物，影响通行和消防安全，多次协商未果。"
        for i in range(1, 161)
    )
    no = intake(street_ctx, cid, m1, summary=long + "【完】")
    case = med.get_case(street_ctx, no)
    med.save_session(
        street_ctx,
        case.id,
        med.SessionInput(dt.datetime(2026, 3, 3, 9), "调解室", long + "【记录完】"),
        today=T,
    )
    rec = med.get_case(street_ctx, no)
    out = docs.write(rec, "minutes", tmp_path / "m.pdf")
    ps = pages(out)
    assert len(ps) >= 3
    assert "【记录完】" in ps[-1].replace("\n", "") or "【记录完】" in "".join(ps[-2:]).replace("\n", "")
    assert all(f"第 {n} 页 共 {len(ps)} 页" in pg for n, pg in enumerate(ps, 1))
    check_pdf(out)
    assert "【完】" in text(docs.write(rec, "intake", tmp_path / "i.pdf")).replace("\n", "")


def test_case_file_contents_point_at_the_right_pages(record, tmp_path: Path) -> None:
    out = docs.write(record, "case_file", tmp_path / "file.pdf")
    check_pdf(out)
    ps = [pg.replace("\n", "").replace(" ", "") for pg in pages(out)]
    assert "人民调解卷宗" in ps[0] and "卷内目录" in ps[1]
    toc = pages(out)[1]
    found = 0
    for title, first in re.findall(
        r"(人民调解\S+?|当事人权利义务告知书|卷内备考表)(?:（[^）]*）)?\s*(\d+)(?:–\d+)?", toc
    ):
        assert title[:6] in ps[int(first) - 1], (title, first)
        found += 1
    assert found >= 9
    assert "当事人身份证明" in toc and "另附" in toc
    assert "卷内备考表" in ps[-1] and f"共{len(ps)}页" in ps[-1]


def test_one_answer_to_which_documents_a_case_has(street_ctx: ServiceContext, tmp_path: Path) -> None:
    """available() decides; resolve(), write() and shequ print's service all ask it."""
    cid, m1, _ = setup_committee(street_ctx)
    no = intake(street_ctx, cid, m1)
    rec = med.get_case(street_ctx, no)
    for key in ("agreement", "oral", "follow_up", "closing", "minutes"):
        assert key not in docs.available(rec) and docs.resolve(rec, key) is None, key
        with pytest.raises(ValueError):
            docs.write(rec, key, tmp_path / f"{key}.pdf")
    with pytest.raises(ValidationError, match="还没有调解协议"):
        print_document(street_ctx, no, "follow_up", tmp_path / "f.pdf")
    with pytest.raises(ValidationError, match="还没有相应的记录"):
        print_document(street_ctx, no, "closing", tmp_path / "c.pdf")
    med.save_agreement(street_ctx, rec.id, agreement_input(oral=True), today=T)
    rec = med.get_case(street_ctx, no)
    assert docs.resolve(rec, "agreement") == "oral" and docs.resolve(rec, "follow_up") == "follow_up"
    assert docs.resolve(rec, "intake") == "intake"
