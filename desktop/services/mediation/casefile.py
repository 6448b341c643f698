"""The 卷宗 checklist (the 13 items of the 卷内目录): which items a case file holds, which are mandatory,
what is missing.

Items the program prints from the record (申请书/受理登记表, 告知书, 调查记录, 调解记录, 协议书, 回访记录,
封底) are present when the record has what they print; paper items (身份证明, 委托书, 证据材料, 履行凭证,
司法确认材料, 情况说明) are confirmed by the mediator in ``case_file_item`` with their page count.
Archiving is refused while a mandatory item is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.mediation import FileItemRecord


@dataclass(frozen=True)
class ItemSpec:
    no: int
    code: str
    title: str
    generated: bool
    always_required: bool


ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(1, "APPLICATION", "人民调解申请书或人民调解受理登记表", True, True),
    ItemSpec(2, "RIGHTS_NOTICE", "当事人权利义务告知书", True, True),
    ItemSpec(3, "ID_PROOF", "当事人身份证明", False, True),
    ItemSpec(4, "POWER_OF_ATTORNEY", "授权委托书", False, False),
    ItemSpec(5, "INVESTIGATION", "人民调解调查记录", True, False),
    ItemSpec(6, "EVIDENCE", "证据材料", False, False),
    ItemSpec(7, "MINUTES", "人民调解记录", True, True),
    ItemSpec(8, "AGREEMENT", "人民调解协议书", True, False),
    ItemSpec(9, "PERFORMANCE_PROOF", "履行凭证", False, False),
    ItemSpec(10, "FOLLOW_UP", "人民调解回访记录", True, False),
    ItemSpec(11, "JUDICIAL", "司法确认有关材料", False, False),
    ItemSpec(12, "NOTES", "卷宗情况说明", False, False),
    ItemSpec(13, "BACK_COVER", "封底", True, True),
)
PAPER_CODES = tuple(i.code for i in ITEMS if not i.generated)
ITEM_TITLES = {i.code: i.title for i in ITEMS}


@dataclass(frozen=True)
class CaseFacts:
    """What the checklist needs to know about a case."""

    rights_notified: bool
    has_agent: bool
    investigations: int
    sessions: int
    outcome: str | None
    agreement_oral: bool | None  # None: no agreement
    agreement_effective: bool
    follow_ups_done: int
    paper: dict[str, tuple[bool, int | None, str | None]]  # code → (present, pages, note)


def checklist(f: CaseFacts) -> list[FileItemRecord]:
    out: list[FileItemRecord] = []
    for item in ITEMS:
        title, required, present, note = item.title, item.always_required, False, None
        pages: int | None = None
        if item.code == "APPLICATION":
            present = True
        elif item.code == "RIGHTS_NOTICE":
            present = f.rights_notified
            note = None if present else "当事人尚未签收告知书"
        elif item.code == "POWER_OF_ATTORNEY":
            required = f.has_agent
        elif item.code == "INVESTIGATION":
            present = f.investigations > 0
        elif item.code == "MINUTES":
            present = f.sessions > 0
            note = None if present else "尚无调解记录"
        elif item.code == "AGREEMENT":
            if f.agreement_oral:
                title = "人民调解口头协议登记表"
            required = f.outcome == "SUCCESS"
            present = f.agreement_oral is not None and (f.agreement_oral or f.agreement_effective)
            if required and f.agreement_oral is None:
                note = "调解成功但尚未录入协议"
            elif required and not present:
                note = "协议尚未签名盖章生效"
        elif item.code == "FOLLOW_UP":
            present = f.follow_ups_done > 0
        elif item.code == "BACK_COVER":
            present = True
        if not item.generated:
            present, pages, note = f.paper.get(item.code, (False, None, None))
        out.append(FileItemRecord(item.no, item.code, title, required, present, item.generated, pages, note))
    return out


def missing_required(items: list[FileItemRecord] | tuple[FileItemRecord, ...]) -> list[FileItemRecord]:
    return [i for i in items if i.required and not i.present]
