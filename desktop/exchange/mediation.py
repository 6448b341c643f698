"""The 调解台账 workbook: the sheets and columns of ``shequ export/import mediation-cases``.

Five sheets, rows linked by 案件编号: 案件, 当事人, 协议条款, 回访, 司法确认 (the last is written by the
judicial-confirmation module; this module writes its header). ``write_workbook`` writes them all into one
.xlsx atomically, with the house rules of ``desktop.exchange.writing`` (text IDs, formula defang).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from desktop.core.errors import ShequError
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec
from desktop.exchange.writing import (
    Row,
    _close_quietly,
    _fill_sheet,
    atomic_output,
    check_suffix,
    safe_sheet_name,
)

TEXT, NUMBER, DATE = ColumnKind.TEXT, ColumnKind.NUMBER, ColumnKind.DATE

CASES_SHEET, PARTIES_SHEET, TERMS_SHEET, VISITS_SHEET, JUDICIAL_SHEET = (
    "案件",
    "当事人",
    "协议条款",
    "回访",
    "司法确认",
)

CASE_COLUMNS = ColumnSpec(
    (
        Column("case_no", "案件编号", ("案号", "编号", "卷号"), required=True, kind=TEXT, max_width=32),
        Column("accepted_on", "受理日期", ("受理时间", "受案时间", "登记日期"), kind=DATE),
        Column("source", "案件来源", ("来源",), kind=TEXT, max_width=14),
        Column("dispute_type", "纠纷类型", ("纠纷类别", "案件类型"), kind=TEXT, max_width=16),
        Column("summary", "纠纷简要情况", ("简要案情", "纠纷简要事实", "纠纷情况"), kind=TEXT, max_width=60),
        Column("mediators", "调解员", ("承办人", "人民调解员"), kind=TEXT, max_width=20),
        Column("result", "调解结果", ("结果",), kind=TEXT, max_width=12),
        Column("form", "协议形式", (), kind=TEXT, max_width=10),
        Column("agreement_no", "协议编号", (), kind=TEXT, max_width=32),
        Column("made_on", "协议日期", ("协议达成日期",), kind=DATE),
        Column("manner", "履行方式", (), kind=TEXT, max_width=30),
        Column("deadline", "履行期限", (), kind=DATE),
        Column("place", "履行地点", (), kind=TEXT, max_width=30),
        Column("performance", "履行情况", (), kind=TEXT, max_width=10),
        Column("amount", "涉及金额（元）", ("涉及金额", "申请涉及金额", "金额"), kind=NUMBER, max_width=14),
        Column("closed_on", "结案日期", ("结案时间",), kind=DATE),
        Column("community", "所属社区", ("社区",), kind=TEXT, max_width=16),
        Column("grid", "所属网格", ("网格",), kind=TEXT, max_width=20),
    )
)

PARTY_COLUMNS = ColumnSpec(
    (
        Column("case_no", "案件编号", ("案号", "编号"), required=True, kind=TEXT, max_width=32),
        Column("seq", "序号", (), kind=NUMBER, max_width=6),
        Column("kind", "类别", ("当事人类别",), kind=TEXT, max_width=14),
        Column("name", "姓名或名称", ("姓名", "名称", "当事人"), required=True, kind=TEXT, max_width=24),
        Column("gender", "性别", (), kind=TEXT, max_width=6),
        Column("ethnicity", "民族", (), kind=TEXT, max_width=8),
        Column("birth_date", "出生日期", ("出生年月",), kind=DATE),
        Column("id_number", "公民身份号码", ("身份证号", "身份证号码"), kind=TEXT, max_width=20),
        Column("occupation", "职业或职务", ("职业", "职务"), kind=TEXT, max_width=16),
        Column("phone", "联系电话", ("电话", "联系方式"), kind=TEXT, max_width=16),
        Column("address", "住址", ("单位或住址", "地址"), kind=TEXT, max_width=40),
        Column("role", "身份", ("当事人身份", "申请人或被申请人"), kind=TEXT, max_width=10),
        Column("legal_rep", "法定代表人", ("负责人", "法定代表人或负责人"), kind=TEXT, max_width=16),
        Column("legal_rep_title", "法定代表人职务", ("负责人职务",), kind=TEXT, max_width=14),
        Column(
            "lacks_capacity",
            "无民事行为能力或限制民事行为能力",
            ("无民事行为能力", "限制民事行为能力", "无或限制民事行为能力"),
            kind=TEXT,
            max_width=10,
        ),
        Column(
            "guardian_name", "法定代理人姓名", ("法定代理人", "监护人", "监护人姓名"), kind=TEXT, max_width=12
        ),
        Column(
            "guardian_relation",
            "法定代理人与当事人关系",
            ("法定代理人关系", "与当事人关系", "监护人关系", "监护关系"),
            kind=TEXT,
            max_width=10,
        ),
        Column(
            "guardian_id_number",
            "法定代理人身份证号",
            ("法定代理人身份证号码", "法定代理人公民身份号码", "监护人身份证号"),
            kind=TEXT,
            max_width=20,
        ),
        Column(
            "guardian_phone", "法定代理人电话", ("法定代理人联系电话", "监护人电话"), kind=TEXT, max_width=16
        ),
        Column(
            "agent",
            "委托代理人",
            ("代理人", "委托代理人姓名", "受托人", "受托人姓名"),
            kind=TEXT,
            max_width=12,
        ),
        Column(
            "agent_relation",
            "委托代理人身份",
            ("委托代理人关系", "受托人身份", "与委托人关系", "代理人身份"),
            kind=TEXT,
            max_width=16,
        ),
        Column(
            "agent_id_number",
            "委托代理人身份证号",
            ("委托代理人身份证号码", "委托代理人公民身份号码", "受托人身份证号"),
            kind=TEXT,
            max_width=20,
        ),
        Column(
            "agent_phone", "委托代理人电话", ("委托代理人联系电话", "受托人电话"), kind=TEXT, max_width=16
        ),
    )
)

#: the ledger's 是/否 cells (无民事行为能力或限制民事行为能力)
YES, NO = "是", "否"
#: the PARTY_COLUMNS that hold an ID number or a phone: masked on an ordinary export
PARTY_ID_COLUMNS = ("id_number", "guardian_id_number", "agent_id_number")
PARTY_PHONE_COLUMNS = ("phone", "guardian_phone", "agent_phone")

TERM_COLUMNS = ColumnSpec(
    (
        Column("case_no", "案件编号", ("案号", "编号"), required=True, kind=TEXT, max_width=32),
        Column("seq", "序号", (), kind=NUMBER, max_width=6),
        Column("text", "条款内容", ("协议内容", "内容"), required=True, kind=TEXT, max_width=60),
        Column("amount", "金额（元）", ("金额",), kind=NUMBER, max_width=14),
        Column("due_on", "履行期限", (), kind=DATE),
    )
)

VISIT_COLUMNS = ColumnSpec(
    (
        Column("case_no", "案件编号", ("案号", "编号"), required=True, kind=TEXT, max_width=32),
        Column("visited_on", "回访日期", ("回访时间",), kind=DATE),
        Column("visitor", "回访人", (), kind=TEXT, max_width=12),
        Column("notes", "回访情况", (), kind=TEXT, max_width=60),
    )
)

JUDICIAL_COLUMNS = ColumnSpec(
    (
        Column("case_no", "案件编号", ("案号", "编号"), required=True, kind=TEXT, max_width=32),
        Column("applied_on", "申请日期", (), kind=DATE),
        Column("court", "法院", (), kind=TEXT, max_width=24),
        Column("court_case_no", "受理案号", (), kind=TEXT, max_width=30),
        Column("ruled_on", "裁定日期", (), kind=DATE),
        Column("ruling", "裁定结果", (), kind=TEXT, max_width=16),
    )
)

SHEETS: tuple[tuple[str, ColumnSpec], ...] = (
    (CASES_SHEET, CASE_COLUMNS),
    (PARTIES_SHEET, PARTY_COLUMNS),
    (TERMS_SHEET, TERM_COLUMNS),
    (VISITS_SHEET, VISIT_COLUMNS),
    (JUDICIAL_SHEET, JUDICIAL_COLUMNS),
)

PARTY_KIND_LABELS = {"PERSON": "自然人", "ORGANISATION": "法人或其他组织"}
PARTY_ROLE_LABELS = {"APPLICANT": "申请人", "RESPONDENT": "被申请人"}


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[Column], Iterable[Row]]]
) -> dict[str, int]:
    """Several sheets in one .xlsx (atomic); returns the number of data rows per sheet."""
    path = Path(path)
    check_suffix(path, (".xlsx",))
    counts: dict[str, int] = {}
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        try:
            for name, columns, rows in sheets:
                counts[name] = _fill_sheet(wb, list(columns), rows, safe_sheet_name(name), None)
        except BaseException:
            _close_quietly(wb)
            raise
        try:
            wb.close()
        except (XlsxWriterException, OSError) as exc:
            raise ShequError(f"无法写入“{path.name}”（{exc}）。") from exc
    return counts
