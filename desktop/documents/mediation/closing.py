"""After the agreement: 回访记录, 结案报告表; the 卷宗's 封面, 卷内目录 and 封底 (备考表)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desktop.documents import layout
from desktop.documents.fonts import BODY
from desktop.documents.mediation.agreement import term_lines
from desktop.documents.mediation.common import (
    WIDTH,
    Fields,
    cn_date,
    form_table,
    label,
    money,
    number_line,
    p,
    seal_block,
    sign_off,
    signature_table,
    title,
)
from desktop.domain.mediation import CaseRecord, FollowUpRecord


def follow_up(rec: CaseRecord, visit: FollowUpRecord | None, n: int | None = None) -> list[Flowable]:
    """人民调解回访记录 (same number as the agreement); an empty form when ``visit`` is None or not done."""
    w = WIDTH
    number = rec.agreement.agreement_no if rec.agreement else rec.case_no
    done = visit is not None and visit.done
    story: list[Flowable] = [
        *title("人民调解回访记录" + (f"（第{n}次）" if n else "")),
        number_line("调解协议编号", number),
        Spacer(1, 2 * mm),
    ]
    f = Fields([w * 0.14, w * 0.40, w * 0.14, w * 0.32])
    f.wide("当事人", visit.visited_party if done and visit and visit.visited_party else rec.party_names)
    f.wide("回访事由", f"{rec.title}调解协议履行情况")
    f.pair(
        "回访人",
        visit.visitor if done and visit else "",
        "回访时间",
        cn_date(visit.visited_on if visit else None),
    )
    f.wide("回访情况", visit.notes if done and visit else "", height=None if done else 90 * mm)
    story.append(f.table())
    story.append(Spacer(1, 2 * mm))
    story.append(
        layout.para(
            "回访情况包括：协议履行情况，当事人满意程度，有无因履行引起的诉讼及结果，有无调解不当、"
            "矛盾激化或遗留隐患，采取的措施。",
            "small",
        )
    )
    sign_off(
        story,
        [
            Spacer(1, 4 * mm),
            signature_table([("回访人", (visit.visitor if done and visit else "") or "")]),
        ],
    )
    return story


def closing_report(rec: CaseRecord, filled_on: dt.date | None = None) -> list[Flowable]:
    """人民调解结案报告表: 卷号 = the cover's; 填表时间 = 立卷日期; 结案时间 = closing date."""
    w = WIDTH
    story: list[Flowable] = [
        *title("人民调解结案报告表"),
        number_line("卷号", rec.case_no),
        Spacer(1, 2 * mm),
    ]
    day = rec.closed_on or rec.outcome_on or rec.accepted_on
    party_text = "\n".join(
        f"{x.role_label}：{x.name}；住址：{x.address or ''}；联系电话：{x.phone or ''}"
        + (
            f"；法定代理人：{x.guardian_name or ''}"
            + (f"（{x.guardian_relation}）" if x.guardian_relation else "")
            if x.needs_guardian_on(day)
            else ""
        )
        + (f"；法定代表人：{x.legal_rep}" if not x.is_person and x.legal_rep else "")
        for x in rec.parties
    )
    if rec.outcome == "SUCCESS" and rec.agreement:
        a = rec.agreement
        result = f"调解成功，达成{a.form_label}协议（{a.agreement_no}）：\n" + "\n".join(term_lines(a))
    elif rec.outcome:
        result = f"{rec.outcome_label}。{rec.outcome_note or ''}" + (
            f"已告知当事人可以{rec.routes_open}。" if rec.routes_open else ""
        )
    else:
        result = "尚未调解终结"
    visits = [v for v in rec.follow_ups if v.done]
    visit_text = (
        "\n".join(f"{cn_date(v.visited_on)}，{v.visitor or ''}：{v.notes or ''}" for v in visits) or "无"
    )
    source = rec.source_label + (f"（{rec.referred_by}）" if rec.referred_by else "")
    f = Fields([w * 0.15, w * 0.38, w * 0.14, w * 0.33])
    f.pair("承办单位", rec.committee.name, "填表时间", cn_date(filled_on or rec.archived_on or rec.closed_on))
    f.pair("承办人", rec.mediators_text, "案件来源", source)
    f.pair("受案时间", cn_date(rec.accepted_on), "结案时间", cn_date(rec.closed_on))
    agreed = rec.agreement.total_amount if rec.agreement else None  # the terms, not the intake claim
    f.pair("纠纷类型", rec.dispute_label, "协议涉及金额", money(agreed) or "—")
    f.wide("当事人", party_text)
    f.wide("纠纷简要事实", rec.summary)
    f.wide("调解结果", result)
    f.wide("履行情况", rec.performance_label or ("—" if rec.outcome != "SUCCESS" else ""))
    f.wide("回访情况", visit_text)
    story.append(f.table())
    sign_off(
        story,
        [
            Spacer(1, 4 * mm),
            signature_table([("承办人", rec.mediators_text)]),
            *seal_block(rec, filled_on or rec.archived_on or rec.closed_on),
        ],
    )
    return story


def cover(rec: CaseRecord) -> list[Flowable]:
    """卷宗封面: committee, 卷名, 卷号, mediators, mediation dates, filer, filing date, retention."""
    w = WIDTH
    end = rec.closed_on or rec.outcome_on
    rows: list[list[object]] = [
        [label("卷　　名"), p(rec.title, "cell", fontSize=12, leading=18)],
        [label("卷　　号"), p(rec.case_no, "cell", fontSize=12, leading=18)],
        [label("人民调解员"), p(rec.mediators_text, "cell", fontSize=12, leading=18)],
        [
            label("调解日期"),
            p(f"自{cn_date(rec.accepted_on)}至{cn_date(end)}", "cell", fontSize=12, leading=18),
        ],
        [label("立 卷 人"), p(rec.filed_by or "", "cell", fontSize=12, leading=18)],
        [label("立卷日期"), p(cn_date(rec.archived_on), "cell", fontSize=12, leading=18)],
        [label("保管期限"), p(rec.retention or "", "cell", fontSize=12, leading=18)],
        [label("备　　注"), p(rec.notes or "", "cell", fontSize=12, leading=18)],
    ]
    return [
        Spacer(1, 18 * mm),
        layout.para(rec.committee.name, "subtitle", fontSize=16, leading=24),
        Spacer(1, 10 * mm),
        layout.para("人民调解卷宗", "title", fontSize=36, leading=48),
        Spacer(1, 24 * mm),
        form_table(rows, [w * 0.22, w * 0.78], heights=[16 * mm] * len(rows)),
    ]


def contents(entries: Sequence[tuple[str, str, str]]) -> list[Flowable]:
    """卷内目录: (文书名称, 页号, 备注) rows, numbered."""
    rows: list[list[object]] = [["序号", "文书名称", "页号", "备注"]]
    rows += [[str(i), name, pages, note] for i, (name, pages, note) in enumerate(entries, start=1)]
    table = layout.data_table(
        rows,
        [WIDTH * 0.1, WIDTH * 0.5, WIDTH * 0.15, WIDTH * 0.25],
        align=["center", "left", "center", "left"],
        zebra=False,
    )
    return [*title("卷内目录"), table]


def back_cover(
    rec: CaseRecord, documents: int, pages: int, paper: Sequence[tuple[str, int | None]]
) -> list[Flowable]:
    """封底 (卷内备考表): what the file holds, who filed and checked it."""
    paper_text = "、".join(f"{name}{f' {n} 页' if n else ''}" for name, n in paper)
    note = (
        f"本卷共有打印文书 {documents} 件 {pages} 页"
        + (f"，另附纸质材料：{paper_text}" if paper else "")
        + "。"
    )
    t = Table(
        [[p("本卷情况说明：\n" + note, "cell", fontSize=12, leading=20)]],
        colWidths=[WIDTH],
        rowHeights=[150 * mm],
    )
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, 10),
                ("BOX", (0, 0), (-1, -1), 0.8, "black"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [
        *title("卷内备考表"),
        number_line("卷号", rec.case_no),
        Spacer(1, 2 * mm),
        t,
        Spacer(1, 6 * mm),
        signature_table([("立卷人", rec.filed_by or ""), ("检查人", "")]),
        layout.para("立卷时间：" + cn_date(rec.archived_on), "right"),
        *seal_block(rec, rec.archived_on),
    ]
