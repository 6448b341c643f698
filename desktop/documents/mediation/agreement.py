"""人民调解协议书 (人民调解法 §29; 人民调解工作若干规定 §35) and 人民调解口头协议登记表 (人民调解法 §28)."""

from __future__ import annotations

import decimal
import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.documents import layout
from desktop.documents.mediation.common import (
    WIDTH,
    Fields,
    bold,
    cn_date,
    cn_number,
    money,
    number_line,
    parties_table,
    party_sign_rows,
    seal_block,
    sides,
    sign_off,
    signature_table,
    text_block,
    title,
)
from desktop.domain.amounts import amount_words
from desktop.domain.mediation import AgreementRecord, CaseRecord


def _figures(amount: decimal.Decimal) -> str:
    """A regex for the amount in figures as people type it: "12,000", "12000", "12000.00"."""
    whole, cents = divmod(amount.quantize(decimal.Decimal("0.01")), 1)
    forms = {f"{int(whole):,}", str(int(whole))}
    fraction = f"\\.{int(cents * 100):02d}" if cents else "(?:\\.0{1,2})?"
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return f"(?<![\\d,.])(?:{body}){fraction}(?![\\d,.]\\d)"


def with_amount(text: str, amount: decimal.Decimal | None) -> tuple[str, bool]:
    """The term's text with its typed amount written out from the number ("人民币壹万贰仟元整（￥12,000.00）");
    False when the text does not contain the amount (the caller prints it after the text).

    Found, in this order: the capitals the user typed (with or without 整, with figures in brackets after
    them or not), or the figures with 元 or a ￥ sign."""
    if amount is None:
        return text, True
    amount = decimal.Decimal(amount)
    num = _figures(amount)
    stem = re.escape(amount_words(amount).removesuffix("整"))
    capitals = re.compile(f"(?:人民币)?{stem}整?(?:\\s*[（(]\\s*(?:人民币)?[￥¥]?\\s*{num}\\s*元?\\s*[）)])?")
    figures = re.compile(f"(?:人民币)?(?:[￥¥]\\s*{num}(?:\\s*元整?)?|{num}\\s*元整?)")
    found = capitals.search(text) or figures.search(text)
    if found is None:
        return text, False
    return text[: found.start()] + money(amount) + text[found.end() :], True


def term_lines(a: AgreementRecord) -> list[str]:
    """ "1. 被申请人于…前支付…人民币贰仟伍佰元整（￥2,500.00）。（履行期限：2026年4月30日前）" """
    out = []
    for t in a.terms:
        extra = []
        text, placed = with_amount(t.text, t.amount)
        if not placed:
            extra.append(f"金额：{money(t.amount)}")
        if t.due_on is not None and f"{t.due_on.year}年{t.due_on.month}月{t.due_on.day}日" not in t.text:
            extra.append(f"履行期限：{cn_date(t.due_on)}前")
        out.append(f"{t.seq}. {text}" + (f"（{'；'.join(extra)}）" if extra else ""))
    return out


def performance_text(a: AgreementRecord) -> str:
    parts = []
    if a.performance_manner:
        parts.append(f"履行方式：{a.performance_manner}")
    if a.performance_place:
        parts.append(f"履行地点：{a.performance_place}")
    if a.performance_deadline:
        parts.append(f"履行期限：{cn_date(a.performance_deadline)}前履行完毕")
    return "；".join(parts) + "。" if parts else ""


def agreement(rec: CaseRecord) -> list[Flowable]:
    """The written agreement: parties, facts and disputes, terms, performance, copies, signatures, seal, date."""
    a = rec.agreement
    if a is None:
        raise ValueError("case has no agreement")
    story: list[Flowable] = [*title("人民调解协议书"), number_line("编号", a.agreement_no), Spacer(1, 2 * mm)]
    story.append(bold("当事人基本情况："))
    story.append(Spacer(1, 1 * mm))
    story.append(parties_table(rec.parties, a.made_on))
    story.append(Spacer(1, 4 * mm))
    story += text_block("纠纷主要事实、争议事项：", a.facts)
    if a.disputes:
        story.append(layout.para(f"争议事项：{a.disputes}", "body"))
    if a.responsibilities:
        story += text_block(f"{sides(rec.parties)}责任：", a.responsibilities)
    story.append(Spacer(1, 2 * mm))
    story.append(bold(f"经{rec.committee.name}主持调解，当事人自愿达成如下协议："))
    story += [layout.para(line, "body") for line in term_lines(a)]
    story.append(Spacer(1, 2 * mm))
    story += text_block("履行方式、地点、期限：", performance_text(a))
    story.append(Spacer(1, 2 * mm))
    copies = layout.para(
        f"本协议一式{cn_number(a.copies)}份，当事人各执一份，{rec.committee.name}留存一份。"
        f"本协议自{sides(rec.parties)}当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。",
        "body",
    )
    sign = party_sign_rows(rec.parties, a.made_on)
    sign_off(
        story,
        [
            copies,
            Spacer(1, 4 * mm),
            bold("当事人（签名盖章或按指印）："),
            signature_table(sign, fingerprint=True),
            signature_table([("人民调解员", rec.mediators_text), ("记录人", rec.recorder or "")]),
            *seal_block(rec, a.made_on),
        ],
    )
    return story


def oral_register(rec: CaseRecord) -> list[Flowable]:
    """人民调解口头协议登记表: filled like the agreement; the mediator records what the parties agreed orally."""
    a = rec.agreement
    if a is None:
        raise ValueError("case has no agreement")
    w = WIDTH
    story: list[Flowable] = [
        *title("人民调解口头协议登记表"),
        number_line("编号", a.agreement_no),
        Spacer(1, 2 * mm),
    ]
    story.append(parties_table(rec.parties, a.made_on))
    f = Fields([w * 0.18, w * 0.36, w * 0.16, w * 0.30])
    f.pair("纠纷类型", rec.dispute_label, "协议达成日期", cn_date(a.made_on))
    f.wide("纠纷主要事实、争议事项", "\n".join(x for x in (a.facts, a.disputes) if x))
    f.wide("口头协议内容", "\n".join(term_lines(a)))
    f.wide("履行方式、地点、期限", performance_text(a))
    f.pair("调解员", rec.mediators_text, "记录人", rec.recorder or "")
    story.append(f.table())
    sign_off(
        story,
        [
            Spacer(1, 3 * mm),
            layout.para(
                "以上口头协议内容已向当事人宣读，当事人确认无误。"
                f"口头协议自{sides(rec.parties)}当事人达成协议之日起生效。",
                "body",
            ),
            signature_table(party_sign_rows(rec.parties, a.made_on), fingerprint=True),
            signature_table(
                [("人民调解员", rec.mediators_text), ("登记人", rec.registrar or rec.recorder or "")]
            ),
            *seal_block(rec, a.made_on),
        ],
    )
    return story
