"""司法确认申请书: all parties as joint applicants, the request, facts and reasons, the declarations, the
court, signatures, date and the list of attachments. No official template was retrieved; the layout follows
common court templates (法释〔2011〕5号 §3; 民事诉讼法 §205, 人民调解法 §33: thirty days from the
agreement's effect). An application made after those thirty days says so, with the recorded reason."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop.documents import layout
from desktop.documents.mediation.agreement import term_lines
from desktop.documents.mediation.common import (
    BLANK,
    bold,
    cn_date,
    party_sign_rows,
    representatives,
    sides,
    sign_off,
    signature_table,
    title,
)
from desktop.domain.judicial import APPLICATION_CODE, ConfirmationRecord
from desktop.domain.mediation import PartyRecord

_DECLARATIONS = (
    "{sides}是出于解决纠纷的目的自愿达成调解协议，没有恶意串通、规避法律的行为；",
    "调解协议的内容是{sides}当事人的真实意思表示，不违反法律、行政法规的强制性规定，不损害国家利益、"
    "社会公共利益和他人合法权益，不违背公序良俗；",
    "调解协议不涉及确认身份关系、收养关系、婚姻关系，不涉及物权、知识产权确权；",
    "申请人提交的材料真实、合法，如有虚假陈述或者因恶意串通造成他人合法权益损害的，愿意承担相应的法律责任；",
    "申请人已知悉：人民法院裁定调解协议有效后，一方拒绝履行或者未全部履行的，{other}当事人可以向人民法院"
    "申请强制执行；裁定驳回申请的，当事人可以通过调解方式变更原调解协议或者达成新的调解协议，"
    "也可以向人民法院提起诉讼。",
)
LAWS = "《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条"


def declarations(n: int) -> list[str]:
    """The applicants' declarations, worded for ``n`` parties."""
    return [d.format(sides=sides(n), other="对方" if n <= 2 else "其他") for d in _DECLARATIONS]


def worded(text: str, n: int) -> str:
    """A stored label written for two parties ("双方当事人…"), said for ``n``."""
    return text.replace("双方", sides(n))


def application_day(rec: ConfirmationRecord) -> dt.date | None:
    """The date under the signatures: the filing date, else the day it is printed."""
    return rec.filed_on or rec.printed_on


def is_late(rec: ConfirmationRecord) -> bool:
    """Made after the thirty days (民事诉讼法 §205): the filing (or printing) day is past the deadline."""
    day = application_day(rec)
    return day is not None and day > rec.deadline


def reason_text(rec: ConfirmationRecord) -> str:
    """The last paragraph of 事实和理由: the legal basis, and for a late application the facts and the reason."""
    both = sides(len(rec.case.parties))
    if not is_late(rec):
        return (
            f"为保障调解协议的履行，根据{LAWS}及《最高人民法院关于人民调解协议司法确认程序的若干规定》，"
            f"{both}当事人在调解协议生效之日起三十日内共同向贵院申请司法确认。"
        )
    reason = (rec.late_reason or "").strip().rstrip("。；，")
    because = f"因{reason.removeprefix('因')}，" if reason else ""
    return (
        f"该调解协议于{cn_date(rec.effective_on)}生效。依照{LAWS}的规定，申请司法确认的三十日期间"
        f"已于{cn_date(rec.deadline)}届满。{because}申请人未能在上述期间内提出申请。"
        f"为保障调解协议的履行，{both}当事人现共同向贵院申请司法确认，请予审查。"
    )


def applicant_line(party: PartyRecord, on: dt.date) -> str:
    """Full identity, 送达地址 and phone of one applicant (a person or an organisation)."""
    if party.is_person:
        bits = [party.name, party.gender or "", party.ethnicity or ""]
        if party.birth_date:
            bits.append(f"{cn_date(party.birth_date)}出生")
        elif party.age is not None:
            bits.append(f"{party.age}岁")
        if party.id_number:
            bits.append(f"公民身份号码{party.id_number}")
        if party.occupation:
            bits.append(party.occupation)
        bits.append(f"住{party.address}" if party.address else "住址：" + BLANK)
    else:
        bits = [party.name, f"住所地{party.address}" if party.address else "住所地：" + BLANK]
        if party.legal_rep:
            bits.append(
                f"法定代表人（负责人）{party.legal_rep}"
                + (f"，{party.legal_rep_title}" if party.legal_rep_title else "")
            )
    bits.append(f"送达地址：{party.address}" if party.address else "送达地址：" + BLANK)
    bits.append(f"联系电话：{party.phone}" if party.phone else "联系电话：" + BLANK)
    text = "，".join(b for b in bits if b) + "。"
    return text + representatives(party, on)


def attachments(rec: ConfirmationRecord) -> list[str]:
    """The 附件 lines: every required material and whatever else was received (not the application itself)."""
    out = []
    for m in rec.materials:
        if m.code == APPLICATION_CODE:
            continue
        if m.required or m.received:
            out.append(worded(m.label, len(rec.case.parties)) + (f" {m.copies}份" if m.copies else ""))
    return out


def application(rec: ConfirmationRecord) -> list[Flowable]:
    case = rec.case
    a = case.agreement
    if a is None:
        raise ValueError("case has no agreement")
    n = len(case.parties)
    both = sides(n)
    day = application_day(rec)
    on = day or a.made_on
    story: list[Flowable] = [*title("司法确认申请书"), Spacer(1, 2 * mm)]
    for party in case.parties:
        story.append(bold("申请人：", applicant_line(party, on), style="body_flush"))
        story.append(Spacer(1, 1.5 * mm))
    story.append(Spacer(1, 2 * mm))
    story.append(bold("请求事项："))
    story.append(
        layout.para(
            f"请求确认申请人{rec.applicant_names}于{cn_date(a.made_on)}经{case.committee.name}主持调解达成的"
            f"人民调解协议（编号：{a.agreement_no}）有效。",
            "body",
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(bold("事实和理由："))
    facts = (
        f"申请人{rec.applicant_names}之间发生{case.dispute_type_label}。{case.summary.rstrip('。')}。"
        f"{cn_date(case.accepted_on)}，{case.committee.name}受理该纠纷"
        + (f"（系{rec.referral_court}委派调解，委派编号{rec.referral_no}）" if rec.referral_court else "")
        + f"。经调解，{both}于{cn_date(a.made_on)}自愿达成人民调解协议（编号：{a.agreement_no}），"
        f"该协议经{both}当事人签名、人民调解员签名并加盖{case.committee.name}印章，于{cn_date(rec.effective_on)}生效。"
    )
    story.append(layout.para(facts, "body"))
    if a.terms:
        story.append(layout.para("协议主要内容为：", "body"))
        story += [layout.para(line, "body") for line in term_lines(a)]
    story.append(layout.para(reason_text(rec), "body"))
    story.append(Spacer(1, 2 * mm))
    story.append(bold("申请人声明："))
    story += [layout.para(f"{i}. {text}", "body") for i, text in enumerate(declarations(n), 1)]
    story.append(Spacer(1, 3 * mm))
    court = rec.court or "＿＿＿＿＿＿＿＿＿＿人民法院"
    sign_rows = party_sign_rows(case.parties, on, ["申请人"] * n)
    sign_off(
        story,
        [
            layout.para("此致", "body"),
            layout.para(court, "body_flush"),
            Spacer(1, 4 * mm),
            bold("申请人（签名或按指印；单位加盖公章）："),
            signature_table(sign_rows, fingerprint=True),
            Spacer(1, 3 * mm),
            layout.para(cn_date(day), "right"),
        ],
    )
    lines = attachments(rec)
    if lines:
        story.append(Spacer(1, 4 * mm))
        story.append(
            KeepTogether(
                [
                    bold("附件："),
                    *[layout.para(f"{i}. {line}", "body_flush") for i, line in enumerate(lines, 1)],
                ]
            )
        )
    return story
