"""Intake and process documents: 申请书, 受理登记表, 权利义务告知书, 调查记录, 调解记录."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from desktop.documents import layout
from desktop.documents.mediation.agreement import term_lines
from desktop.documents.mediation.common import (
    WIDTH,
    Fields,
    bold,
    cn_date,
    cn_datetime,
    money,
    number_line,
    others_of,
    parties_table,
    party_sign_rows,
    seal_block,
    sides,
    sign_off,
    signature_table,
    text_block,
    title,
)
from desktop.domain.mediation import (
    SOURCE_LABELS,
    CaseRecord,
    InvestigationRecord,
    PartyRecord,
    SessionRecord,
)


def application(rec: CaseRecord) -> list[Flowable]:
    """人民调解申请书: the applicants' request in their words, signed by them."""
    applicants = [x for x in rec.parties if x.role == "APPLICANT"] or list(rec.parties[:1])
    respondents = [x for x in rec.parties if x not in applicants]
    story: list[Flowable] = [*title("人民调解申请书"), number_line("编号", rec.case_no), Spacer(1, 2 * mm)]
    story.append(parties_table(applicants, rec.accepted_on, "申请人"))
    if respondents:
        story.append(parties_table(respondents, rec.accepted_on, "被申请人"))
    story.append(Spacer(1, 4 * mm))
    story += text_block("纠纷简要情况：", rec.summary, min_lines=4)
    story.append(Spacer(1, 2 * mm))
    story += text_block("申请事项：", rec.requests, min_lines=3)
    story.append(Spacer(1, 3 * mm))
    story.append(
        layout.para(
            f"{rec.committee.name}已将人民调解的性质、原则、效力和当事人的权利义务告知本人，"
            f"本人自愿申请{rec.committee.name}调解上述纠纷。",
            "body",
        )
    )
    roles = [
        f"申请人{'（' + str(i) + '）' if len(applicants) > 1 else ''}" for i in range(1, len(applicants) + 1)
    ]
    sign = party_sign_rows(applicants, rec.accepted_on, roles)
    sign_off(
        story,
        [
            Spacer(1, 6 * mm),
            signature_table(sign, fingerprint=True),
            layout.para(cn_date(rec.accepted_on), "right"),
        ],
    )
    return story


def _source_text(rec: CaseRecord) -> str:
    marks = []
    for code, text in (
        ("APPLICATION", "当事人申请"),
        ("OWN_INITIATIVE", "调委会主动调解"),
        ("REFERRAL", "委托移送"),
    ):
        marks.append(("■" if rec.source == code else "□") + text)
    text = "　".join(marks)
    if rec.source == "REFERRAL" and rec.referred_by:
        text += f"（{rec.referred_by}）"
    return text


def intake_register(rec: CaseRecord) -> list[Flowable]:
    """人民调解受理登记表."""
    w = WIDTH
    story: list[Flowable] = [
        *title("人民调解受理登记表"),
        number_line("编号", rec.case_no),
        Spacer(1, 2 * mm),
    ]
    story.append(parties_table(rec.parties, rec.accepted_on, None))
    amount = money(rec.amount_involved) or "—"
    f = Fields([w * 0.16, w * 0.42, w * 0.14, w * 0.28])
    f.pair("纠纷类型", rec.dispute_label, "受理日期", cn_date(rec.accepted_on))
    f.wide("案件来源", _source_text(rec))
    f.pair("所属社区", rec.community or "", "所属网格", rec.grid or "")
    f.wide("纠纷简要情况", rec.summary)
    f.pair("涉及金额", amount, "调解员", rec.mediators_text)
    f.wide("受理意见", f"经当事人同意，调解{rec.party_names}之间的{rec.dispute_type_label}。")
    story.append(f.table())
    sign = [*party_sign_rows(rec.parties, rec.accepted_on), ("登记人", rec.registrar or "")]
    sign_off(
        story,
        [
            Spacer(1, 5 * mm),
            bold("当事人及登记人签名："),
            signature_table(sign),
            *seal_block(rec, rec.accepted_on),
        ],
    )
    return story


def notice_sections(n: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The notice's sections, worded for ``n`` parties (双方 / 各方; 对方 / 其他当事人)."""
    both, other = sides(n), ("对方" if n <= 2 else "其他")
    return tuple(
        (head, tuple(line.format(sides=both, other=other) for line in lines)) for head, lines in _NOTICE
    )


_NOTICE = (
    (
        "人民调解委员会的性质",
        (
            "人民调解委员会是依法设立的调解民间纠纷的群众性组织，在基层人民政府和基层人民法院的指导下开展工作。"
            "人民调解不收取任何费用。",
        ),
    ),
    (
        "人民调解的原则",
        (
            "（一）在当事人自愿、平等的基础上进行调解；",
            "（二）不违背法律、法规和国家政策；",
            "（三）尊重当事人的权利，不得因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利。",
        ),
    ),
    (
        "调解协议的效力",
        (
            "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
            "经调解达成调解协议后，{sides}当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。",
        ),
    ),
    (
        "当事人享有的权利",
        (
            "（一）选择或者接受人民调解员；",
            "（二）接受调解、拒绝调解或者要求终止调解；",
            "（三）要求调解公开进行或者不公开进行；",
            "（四）自主表达意愿、自愿达成调解协议。",
        ),
    ),
    (
        "当事人承担的义务",
        (
            "（一）如实陈述纠纷事实，不得提供虚假证明材料；",
            "（二）遵守调解现场秩序，尊重人民调解员；",
            "（三）尊重{other}当事人行使权利；",
            "（四）自觉履行依法达成的调解协议。",
        ),
    ),
)


def rights_notice(rec: CaseRecord) -> list[Flowable]:
    """当事人权利义务告知书 (人民调解法 §17, §23, §24, §31, §33): one per party, each signs its own."""
    out: list[Flowable] = []
    for i, party in enumerate(rec.parties):
        if i:
            out.append(PageBreak())
        out += _notice_to(rec, party)
    return out


def _notice_to(rec: CaseRecord, party: PartyRecord) -> list[Flowable]:
    story: list[Flowable] = [
        *title("当事人权利义务告知书"),
        number_line("编号", rec.case_no),
        Spacer(1, 3 * mm),
    ]
    you = "你" if party.is_person else "你单位"
    others = others_of(rec, party)
    between = f"{you}与{others}之间的" if others else f"{you}的"
    story.append(layout.para(f"{party.name}：", "body_flush"))
    story.append(
        layout.para(
            f"根据《中华人民共和国人民调解法》的规定，{rec.committee.name}受理{between}{rec.dispute_type_label}，"
            "在调解开始前，现将有关事项告知如下：",
            "body",
        )
    )
    for i, (heading, lines) in enumerate(notice_sections(len(rec.parties)), start=1):
        story.append(layout.para(f"{'一二三四五六'[i - 1]}、{heading}", "heading", fontSize=12, leading=20))
        story += [layout.para(line, "body") for line in lines]
    day = rec.rights_notified_on or rec.accepted_on
    sign = party_sign_rows([party], day)
    sign_off(
        story,
        [
            Spacer(1, 4 * mm),
            layout.para("以上内容我已阅读（已听人民调解员宣读）并理解。", "body"),
            signature_table(sign, fingerprint=True),
            layout.para("签收日期：" + cn_date(rec.rights_notified_on), "right"),
            *seal_block(rec, day),
        ],
    )
    return story


def investigation(rec: CaseRecord, inv: InvestigationRecord) -> list[Flowable]:
    """人民调解调查记录."""
    w = WIDTH
    story: list[Flowable] = [*title("人民调解调查记录"), number_line("编号", rec.case_no), Spacer(1, 2 * mm)]
    f = Fields([w * 0.14, w * 0.36, w * 0.14, w * 0.36])
    f.pair("时间", cn_date(inv.held_on), "地点", inv.place or "")
    f.pair("调查人", inv.investigator, "记录人", inv.recorder or rec.recorder or "")
    f.wide("被调查人", inv.interviewee)
    f.wide("事由", f"{rec.title}（{rec.case_no}）")
    story.append(f.table())
    story.append(Spacer(1, 3 * mm))
    story += text_block("调查内容：", inv.content, min_lines=6)
    sign_off(
        story,
        [
            Spacer(1, 3 * mm),
            layout.para("以上记录已经被调查人阅看（或向其宣读），确认无误。", "body"),
            signature_table(
                [
                    ("被调查人", inv.interviewee),
                    ("调查人", inv.investigator),
                    ("记录人", inv.recorder or rec.recorder or ""),
                ]
            ),
        ],
    )
    return story


def minutes(rec: CaseRecord, session: SessionRecord, n: int | None = None) -> list[Flowable]:
    """人民调解记录 of one sitting: 时间, 地点, 事由, 参加人, 当事人; the course; the result; signatures."""
    w = WIDTH
    head = "人民调解记录" + (f"（第{n}次）" if n else "")
    story: list[Flowable] = [*title(head), number_line("编号", rec.case_no), Spacer(1, 2 * mm)]
    f = Fields([w * 0.14, w * 0.42, w * 0.14, w * 0.30])
    f.pair("时间", cn_datetime(session.held_at), "地点", session.place)
    f.wide("事由", rec.title)
    f.wide("当事人", session.parties_present or rec.party_names)
    f.wide("参加人", session.attendees or "无")
    f.pair(
        "调解员", session.mediators or rec.mediators_text, "记录人", session.recorder or rec.recorder or ""
    )
    story.append(f.table())
    story.append(Spacer(1, 3 * mm))
    story += text_block("调解过程：", session.minutes, min_lines=8)
    story.append(Spacer(1, 2 * mm))
    result = session.result
    if not result and rec.outcome in ("FAILED", "TERMINATED") and session == rec.sessions[-1]:
        result = f"{rec.outcome_label}。{rec.outcome_note or ''}"
        if rec.routes_open:
            result += f"已告知当事人可以{rec.routes_open}。"
    terms = agreed_terms(rec, session)
    if terms:
        result = "\n".join(x for x in (result, "达成协议内容：", *terms) if x)
    story += text_block("调解结果：", result, min_lines=2)
    sign = party_sign_rows(rec.parties, session.held_at.date())
    sign += [("调解员", session.mediators or rec.mediators_text)]
    if session.attendees:
        sign.append(("参加人", session.attendees))
    sign.append(("记录人", session.recorder or rec.recorder or ""))
    story.append(CondPageBreak(40 * mm))
    sign_off(
        story,
        [
            Spacer(1, 3 * mm),
            layout.para("以上记录已向当事人宣读（或经当事人阅读），确认无误。", "body"),
            signature_table(sign),
        ],
    )
    return story


def agreed_terms(rec: CaseRecord, session: SessionRecord) -> list[str]:
    """The agreement's terms for the 调解记录 of the last sitting before the agreement, when the record of
    that sitting does not already state them (a successful mediation records what was agreed)."""
    a = rec.agreement
    if a is None or not a.terms:
        return []
    before = [s for s in rec.sessions if s.held_at.date() <= a.made_on] or list(rec.sessions)
    if session != before[-1]:
        return []
    written = (session.minutes or "") + (session.result or "")
    if all(t.text[:12] in written for t in a.terms):
        return []
    return term_lines(a)


def source_label(code: str) -> str:
    return SOURCE_LABELS.get(code, code)
