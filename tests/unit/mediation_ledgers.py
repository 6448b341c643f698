"""Helpers for the 调解台账 tests (no tests here): valid ID numbers, and a held-out ledger workbook.

:func:`write_held_out_ledger` writes, with openpyxl and hand-typed headers (not the program's writer), the
kind of 台账 a community keeps: a three-party case with a minor applicant and her 法定代理人 and an
organisation respondent; a minor without a 法定代理人; the same person twice in one case; an organisation
without its 法定代表人; a case with an organisation applicant and a party lacking capacity. Every case's
涉及金额 is blank while its agreement terms carry the amounts. :data:`HELD_OUT` says what a correct import
makes of it, so the import, printing and report tests (and a reviewer) can reuse it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from desktop.domain.identity import id_check_char

D = dt.date


def make_id(birth: dt.date, seq: int, *, male: bool = True, region: str = "620202") -> str:
    """A valid 18-character ID number (GB 11643-1999) of a person born on ``birth``."""
    sex = (seq % 5) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq % 100:02d}{sex}"
    return first17 + id_check_char(first17)


CASE_HEADER = [
    "案件编号", "受理日期", "案件来源", "纠纷类型", "纠纷简要情况", "调解员", "调解结果", "协议形式",
    "协议编号", "协议日期", "履行方式", "履行期限", "履行情况", "涉及金额（元）", "结案日期", "所属社区",
]  # fmt: skip
PARTY_HEADER = [
    "案件编号", "序号", "身份", "类别", "姓名或名称", "性别", "民族", "出生日期", "公民身份号码", "联系电话",
    "住址", "法定代表人", "法定代表人职务", "无民事行为能力或限制民事行为能力", "法定代理人姓名",
    "法定代理人与当事人关系", "法定代理人身份证号", "法定代理人电话", "委托代理人", "委托代理人身份",
    "委托代理人身份证号", "委托代理人电话",
]  # fmt: skip
TERM_HEADER = ["案件编号", "序号", "条款内容", "金额（元）", "履行期限"]


def _no(seq: int) -> str:
    return f"(2026)新华社区人调字第{seq}号"


def case_no(seq: int) -> str:
    """The number as the program stores it: （2026）新华社区人调字第021号."""
    return f"（2026）新华社区人调字第{seq:03d}号"


# people (ID numbers typed as text, as a careful ledger keeps them)
ADULT_1 = make_id(D(1979, 8, 12), 11, male=False)  # 马秀英, the minor's mother
MINOR_1 = make_id(D(2010, 4, 15), 12, male=False)  # 马小雨, 16 on 2026-10-09
MINOR_2 = make_id(D(2009, 12, 1), 13)  # 赵小刚, 16, no 法定代理人 in the ledger
SAME = make_id(D(1966, 3, 3), 14)  # 钱进, entered twice in case 23
ADULT_2 = make_id(D(1958, 1, 20), 15)  # 孙大海, lacks capacity
GUARDIAN_2 = make_id(D(1984, 7, 7), 16, male=False)  # 孙丽, his daughter and 法定代理人
AGENT_1 = make_id(D(1975, 9, 9), 17)  # 周平, a lawyer


@dataclass(frozen=True)
class HeldOut:
    """What a correct import of the held-out ledger gives."""

    imported: tuple[str, ...]  # case numbers (as stored)
    rejected: tuple[str, ...]
    #: (案件编号, sheet row of the 当事人 sheet, the column the error names, a word of its reason)
    party_errors: tuple[tuple[str, int, str, str], ...]
    #: per imported case: the sum of its agreement terms' amounts (its 涉及金额 cell is blank)
    term_totals: dict[str, decimal.Decimal]
    #: per imported case: party names in order, with their roles
    parties: dict[str, tuple[tuple[str, str], ...]]


HELD_OUT = HeldOut(
    imported=(case_no(21), case_no(25)),
    rejected=(case_no(22), case_no(23), case_no(24)),
    party_errors=(
        (case_no(22), 6, "当事人·法定代理人姓名", "法定代理人"),
        (case_no(23), 9, "当事人·公民身份号码", "同一人"),
        (case_no(24), 10, "当事人·法定代表人", "法定代表人"),
    ),
    term_totals={case_no(21): decimal.Decimal("12500.00"), case_no(25): decimal.Decimal("3600.00")},
    parties={
        case_no(21): (
            ("马秀英", "APPLICANT"),
            ("马小雨", "APPLICANT"),
            ("嘉峪关市新华物业服务有限公司", "RESPONDENT"),
        ),
        case_no(25): (("嘉峪关市长城区鑫源商贸有限公司", "APPLICANT"), ("孙大海", "RESPONDENT")),
    },
)


def _case(seq: int, accepted: dt.date, kind: str, summary: str, **kw: object) -> list[object]:
    row: dict[str, object] = {
        "案件编号": _no(seq),
        "受理日期": accepted,
        "案件来源": "申请调解",
        "纠纷类型": kind,
        "纠纷简要情况": summary,
        "调解员": "王秀兰、陈志强",
        "所属社区": "新华社区",
        **kw,
    }
    return [row.get(h) for h in CASE_HEADER]


def _party(seq: int, n: int, role: str, name: str, **kw: object) -> list[object]:
    row: dict[str, object] = {
        "案件编号": _no(seq),
        "序号": n,
        "身份": role,
        "类别": "自然人",
        "姓名或名称": name,
    }
    row.update(kw)
    return [row.get(h) for h in PARTY_HEADER]


def write_held_out_ledger(path: Path) -> Path:
    """Write the held-out 台账 (.xlsx) to ``path``; :data:`HELD_OUT` describes the right import of it."""
    signed = {"调解结果": "调解成功", "协议形式": "书面", "履行情况": "已履行"}
    cases = [
        _case(
            21,
            D(2026, 10, 9),
            "物业纠纷",
            "申请人马秀英与其女马小雨在小区内被脱落的外墙砖砸伤，与物业公司就医疗费和赔偿协商未果。",
            **signed,
            协议编号=_no(21),
            协议日期=D(2026, 10, 16),
            履行方式="银行转账",
            履行期限=D(2026, 10, 26),
            结案日期=D(2026, 10, 28),
        ),
        _case(22, D(2026, 10, 12), "邻里纠纷", "赵小刚骑自行车撞伤邻居钱某，双方就赔偿发生争议。"),
        _case(23, D(2026, 10, 13), "邻里纠纷", "钱进与邻居因楼道堆放杂物发生争执。"),
        _case(24, D(2026, 10, 14), "合同纠纷", "某公司与个体户就货款结算发生争议。"),
        _case(
            25,
            D(2026, 10, 19),
            "合同纠纷",
            "商贸公司与孙大海就租赁店面的拖欠租金发生争议，孙大海经鉴定为限制民事行为能力人。",
            **signed,
            协议编号=_no(25),
            协议日期=D(2026, 10, 22),
            履行方式="现金",
            履行期限=D(2026, 11, 5),
            结案日期=D(2026, 11, 6),
        ),
    ]
    home = "嘉峪关市长城区新华小区5号楼1单元301室"
    parties = [
        # row 2–4: case 21, three parties: a mother, her minor daughter (with her 法定代理人), a company
        _party(21, 1, "申请人", "马秀英", 性别="女", 民族="回族", 公民身份号码=ADULT_1, 联系电话="13809371001", 住址=home),
        _party(
            21, 2, "申请人", "马小雨", 性别="女", 民族="回族", 公民身份号码=MINOR_1, 住址=home,
            无民事行为能力或限制民事行为能力="否", 法定代理人姓名="马建军", 法定代理人与当事人关系="父亲",
            法定代理人身份证号=make_id(D(1977, 2, 2), 18), 法定代理人电话="13809371002",
            委托代理人="周平", 委托代理人身份="律师", 委托代理人身份证号=AGENT_1, 委托代理人电话="13909371003",
        ),
        _party(
            21, 3, "被申请人", "嘉峪关市新华物业服务有限公司", 类别="法人或其他组织", 联系电话="0937-6201234",
            住址="嘉峪关市长城区新华路8号", 法定代表人="刘强", 法定代表人职务="总经理",
        ),
        # row 5–6: case 22, a minor without 法定代理人 → the row and the case are rejected
        _party(22, 1, "申请人", "钱红", 性别="女", 出生日期=D(1970, 5, 5), 住址=home),
        _party(22, 2, "被申请人", "赵小刚", 性别="男", 公民身份号码=MINOR_2, 住址=home),
        # row 7–9: case 23, the same ID number twice (applicant and respondent) → rejected
        _party(23, 1, "申请人", "钱进", 性别="男", 公民身份号码=SAME, 住址=home),
        _party(23, 2, "被申请人", "吴敏", 性别="女", 出生日期=D(1972, 2, 2), 住址=home),
        _party(23, 3, "被申请人", "钱进", 性别="男", 公民身份号码=SAME, 住址=home),
        # row 10–11: case 24, an organisation without 法定代表人 → rejected
        _party(24, 1, "申请人", "嘉峪关市某建材有限公司", 类别="法人或其他组织", 住址="嘉峪关市迎宾路3号"),
        _party(24, 2, "被申请人", "郑强", 性别="男", 出生日期=D(1980, 8, 8), 住址=home),
        # row 12–13: case 25, an organisation applicant; a respondent lacking capacity with his 法定代理人
        _party(
            25, 1, "申请人", "嘉峪关市长城区鑫源商贸有限公司", 类别="法人或其他组织", 住址="嘉峪关市新华路20号",
            法定代表人="陈鑫", 法定代表人职务="执行董事", 联系电话="0937-6205678",
        ),
        _party(
            25, 2, "被申请人", "孙大海", 性别="男", 公民身份号码=ADULT_2, 住址=home,
            无民事行为能力或限制民事行为能力="是", 法定代理人姓名="孙丽", 法定代理人与当事人关系="女儿",
            法定代理人身份证号=GUARDIAN_2,
        ),
    ]  # fmt: skip
    terms = [
        [_no(21), 1, "被申请人向申请人马秀英支付医疗费人民币捌仟元。", 8000, D(2026, 10, 26)],
        [_no(21), 2, "被申请人向申请人马小雨支付赔偿金人民币肆仟伍佰元。", 4500, D(2026, 10, 26)],
        [_no(21), 3, "被申请人于2026年10月31日前修复外墙。", None, D(2026, 10, 31)],
        [_no(25), 1, "被申请人向申请人支付所欠租金人民币叁仟陆佰元。", 3600, D(2026, 11, 5)],
        [_no(25), 2, "双方解除店面租赁合同。", None, None],
    ]
    wb = openpyxl.Workbook()
    sheets = (
        ("案件", CASE_HEADER, cases),
        ("当事人", PARTY_HEADER, parties),
        ("协议条款", TERM_HEADER, terms),
    )
    for i, (title, header, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append(header)
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.isdigit():
                    cell.number_format = "@"  # ID numbers and phones stay text
    wb.save(path)
    return path
