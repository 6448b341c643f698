"""送达地址确认书 (one per applicant), 授权委托书 (a form to fill in) and the materials checklist."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.documents import layout
from desktop.documents.mediation.common import (
    BLANK,
    BLANK_DATE,
    WIDTH,
    bold,
    cn_date,
    form_table,
    label,
    p,
    sign_off,
    title,
)
from desktop.domain.judicial import ConfirmationRecord
from desktop.domain.mediation import PartyRecord

SERVICE_NOTICE = (
    "1. 为便于当事人及时收到人民法院的法律文书，当事人应当如实提供确切的送达地址和联系方式；",
    "2. 确认的送达地址适用于本案司法确认及其后的执行程序；",
    "3. 送达地址需要变更时，应当及时书面告知人民法院变更后的送达地址；",
    "4. 提供的送达地址不确切，或者不及时告知变更后的地址，使法律文书未能被实际接收的，"
    "文书退回之日视为送达之日。",
)
BOX = "□"


def _matter(rec: ConfirmationRecord) -> str:
    a = rec.case.agreement
    no = f"（协议编号：{a.agreement_no}）" if a else ""
    return f"申请司法确认人民调解协议{no}"


def service_address(rec: ConfirmationRecord, party: PartyRecord) -> list[Flowable]:
    story: list[Flowable] = [*title("送达地址确认书")]
    if rec.court_case_no:
        story.append(layout.para(f"案号：{rec.court_case_no}", "right", fontSize=11))
    story.append(Spacer(1, 2 * mm))
    w = [WIDTH * 0.2, WIDTH * 0.3, WIDTH * 0.18, WIDTH * 0.32]
    notice = layout.para("\n".join(SERVICE_NOTICE), "cell")
    day = rec.filed_on or rec.printed_on or rec.effective_on
    if party.needs_guardian_on(day):
        signer = "受送达人的法定代理人（签名）"
    else:
        signer = "受送达人（签名或按指印）" if party.is_person else "受送达人（盖章）"
    confirm = layout.para(
        "我已阅读本确认书的告知事项，提供了上栏送达地址，并保证所提供的送达地址各项内容正确、有效。\n\n"
        f"{signer}：{BLANK}        {BLANK_DATE}",
        "cell",
    )
    if party.needs_guardian_on(day):  # a minor is served through the 法定代理人
        recipient = f"{party.guardian_name or ''}（法定代理人）"
        phone = party.guardian_phone or party.phone or ""
    else:
        recipient = party.name if party.is_person else (party.legal_rep or "")
        phone = party.phone or ""
    rows: list[list[object]] = [
        [label("事由"), p(_matter(rec)), "", ""],
        [label("受送达人"), p(party.name), label("身份"), p("申请人")],
        [label("送达地址"), p(party.address or ""), "", ""],
        [label("收件人"), p(recipient), label("联系电话"), p(phone)],
        [label("是否同意电子送达"), p(f"{BOX}同意    {BOX}不同意"), label("电子送达方式"),
         p("手机号码：\n电子邮箱：")],
        [label("告知事项"), notice, "", ""],
        [label("受送达人确认"), confirm, "", ""],
    ]  # fmt: skip
    spans = [((1, 0), (3, 0)), ((1, 2), (3, 2)), ((1, 5), (3, 5)), ((1, 6), (3, 6))]
    story.append(form_table(rows, w, spans, heights=[None, None, 36, None, 40, None, 90]))
    story.append(Spacer(1, 3 * mm))
    story.append(
        layout.para("注：送达地址默认填写当事人住址；如需送达到其他地址，请划去后在上栏另行填写。", "small")
    )
    return story


def agent_name(principal: PartyRecord | None) -> str:
    """The 受托人's name (an older record may hold "赵敏，公司法务，电话…" in the one field)."""
    if principal is None or not principal.agent:
        return ""
    return principal.agent.split("，")[0].split(",")[0].strip()


def _agent_text(principal: PartyRecord | None) -> str:
    """The 受托人 as the case records it; blanks for what it does not record."""
    if principal is None or not principal.agent:
        return (
            f"姓名{BLANK}，性别＿＿＿，公民身份号码{BLANK}＿＿＿＿，工作单位或住址{BLANK}＿＿＿＿，"
            f"联系电话{BLANK}，与委托人关系{BLANK}。"
        )
    name = agent_name(principal)
    extra = principal.agent[len(name) :].strip("，, ")
    return (
        f"姓名{name}"
        + (f"（{extra}）" if extra else "")
        + f"，公民身份号码{principal.agent_id_number or BLANK + '＿＿＿＿'}"
        + f"，联系电话{principal.agent_phone or BLANK}"
        + f"，与委托人关系{principal.agent_relation or BLANK}。"
    )


def _principal_text(principal: PartyRecord | None, day: dt.date) -> str:
    if principal is None:
        return f"{BLANK}（姓名或名称、公民身份号码或统一社会信用代码、住址、联系电话）"
    if principal.is_person:
        text = (
            f"{principal.name}，{principal.gender or ''}，公民身份号码{principal.id_number or BLANK}，"
            f"住{principal.address or BLANK}，联系电话{principal.phone or BLANK}。"
        )
        if principal.needs_guardian_on(day):
            text += (
                f"法定代理人：{principal.guardian_name or BLANK}"
                + (f"（{principal.guardian_relation}）" if principal.guardian_relation else "")
                + f"，公民身份号码{principal.guardian_id_number or BLANK}。"
            )
        return text
    return (
        f"{principal.name}，住所地{principal.address or BLANK}，法定代表人（负责人）"
        f"{principal.legal_rep or BLANK}"
        + (f"（{principal.legal_rep_title}）" if principal.legal_rep_title else "")
        + f"，联系电话{principal.phone or BLANK}。"
    )


def _principal_signs(principal: PartyRecord | None, day: dt.date) -> list[Flowable]:
    """The principal's signature lines: a person (and its 法定代理人), or a company's seal and 法定代表人."""
    if principal is None:
        return [layout.para(f"委托人（签名或盖章）：{BLANK}", "sign")]
    if not principal.is_person:
        return [
            layout.para(f"委托人：{principal.name}（单位盖章）", "sign"),
            layout.para(f"法定代表人（签名）：{principal.legal_rep or ''}    {BLANK}", "sign"),
        ]
    lines = [layout.para(f"委托人（签名）：{principal.name}    {BLANK}", "sign")]
    if principal.needs_guardian_on(day):
        lines.append(layout.para(f"法定代理人（签名）：{principal.guardian_name or ''}    {BLANK}", "sign"))
    return lines


def power_of_attorney(rec: ConfirmationRecord, principal: PartyRecord | None = None) -> list[Flowable]:
    """A 授权委托书: the principal and the 受托人 as the case records them, blanks for what it does not."""
    a = rec.case.agreement
    day = rec.filed_on or rec.printed_on or (a.made_on if a else rec.effective_on)
    story: list[Flowable] = [*title("授权委托书"), Spacer(1, 2 * mm)]
    story.append(bold("委托人：", _principal_text(principal, day)))
    story.append(Spacer(1, 2 * mm))
    story.append(bold("受托人："))
    story.append(layout.para(_agent_text(principal), "body"))
    story.append(Spacer(1, 2 * mm))
    matter = (
        f"申请人{rec.applicant_names}申请确认人民调解协议（编号：{a.agreement_no}）"
        if a
        else "申请确认人民调解协议"
    )
    court = rec.court or "＿＿＿＿＿＿人民法院"
    story.append(
        layout.para(f"现委托上列受托人在{matter}一案中，作为委托人的代理人，向{court}申请司法确认。", "body")
    )
    story.append(bold("代理权限："))
    story.append(layout.para(f"{BOX}一般代理：代为提交、签收材料，代为陈述事实。", "body"))
    story.append(
        layout.para(
            f"{BOX}特别授权：除一般代理事项外，代为申请司法确认、撤回申请，代为签收裁定书等法律文书。", "body"
        )
    )
    story.append(layout.para("委托期限：自本委托书签署之日起至本案终结之日止。", "body"))
    story.append(Spacer(1, 6 * mm))
    sign_off(
        story,
        [
            *_principal_signs(principal, day),
            layout.para(
                f"受托人（签名）：{agent_name(principal)}    {BLANK}",
                "sign",
            ),
            Spacer(1, 3 * mm),
            layout.para(BLANK_DATE, "right"),
            Spacer(1, 3 * mm),
            layout.para("注：委托书应由委托人签名或盖章；受托人应同时提交本人身份证明。", "small"),
        ],
    )
    return story


def checklist(rec: ConfirmationRecord) -> list[Flowable]:
    case = rec.case
    story: list[Flowable] = [*title("司法确认申请材料清单"), Spacer(1, 1 * mm)]
    w = [WIDTH * 0.16, WIDTH * 0.34, WIDTH * 0.16, WIDTH * 0.34]
    a = case.agreement
    info = [
        [label("案件编号"), p(case.case_no), label("协议编号"), p(a.agreement_no if a else "")],
        [label("申请人"), p(rec.applicant_names), label("纠纷类型"), p(case.dispute_label)],
        [
            label("协议生效日期"),
            p(cn_date(rec.effective_on)),
            label("申请期限届满"),
            p(cn_date(rec.deadline)),
        ],
        [label("受理法院"), p(rec.court or ""), label("调委会"), p(case.committee.name)],
    ]
    if rec.court_case_no or rec.referral_no:
        info.append(
            [label("受理案号"), p(rec.court_case_no or ""), label("委派编号"), p(rec.referral_no or "")]
        )
    story.append(form_table(info, w))
    story.append(Spacer(1, 4 * mm))
    rows: list[list[object]] = [["序号", "材料名称", "必需", "已收到", "份数", "备注"]]
    for i, m in enumerate(rec.materials, 1):
        rows.append(
            [
                str(i),
                m.label,
                "是" if m.required else "按需",
                "✓" if m.received else "",
                "" if m.copies is None else str(m.copies),
                m.note or "",
            ]
        )
    widths = [WIDTH * f for f in (0.07, 0.56, 0.09, 0.09, 0.07, 0.12)]
    story.append(
        layout.data_table(rows, widths, align=["center", "left", "center", "center", "center", "left"])
    )
    missing = [m.label for m in rec.materials if m.required and not m.received]
    story.append(Spacer(1, 3 * mm))
    story.append(
        layout.para(
            ("尚缺材料：" + "；".join(missing) + "。") if missing else "必需材料已齐全。",
            "body_flush",
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(layout.para(f"经办人（签名）：{BLANK}        核对日期：{BLANK_DATE}", "sign"))
    return story
