"""The Party member roster (党员名册) as a spreadsheet: columns for export and import.

The headers follow the 全国党员管理信息系统 member items (姓名, 性别, 公民身份号码, 民族, 出生日期, 学历,
所在党支部, 入党日期, 转正日期, 联系电话, 家庭住址, 党籍状态, 是否失联党员 + 失联日期, 是否流动党员 + 外出流向)
plus this app's own (党小组, 网格, 党费). Columns marked export-only are written for reading and ignored
on import (每月党费 is computed from the bands; 党内职务 are kept in the program).
"""

from __future__ import annotations

from desktop.exchange.columns import Column, ColumnKind, ColumnSpec

T, D, N = ColumnKind.TEXT, ColumnKind.DATE, ColumnKind.NUMBER

PARTY_MEMBER_COLUMNS = ColumnSpec(
    (
        Column("name", "姓名", ("党员姓名", "名字"), required=True, kind=T, max_width=12),
        Column("gender", "性别", (), kind=T, max_width=6),
        Column(
            "id_number",
            "公民身份号码",
            ("身份证号", "身份证号码", "身份证", "公民身份证号码", "公民身份证号"),
            required=True,
            kind=T,
            max_width=22,
        ),
        Column("ethnicity", "民族", (), kind=T, max_width=10),
        Column("birth_date", "出生日期", ("出生年月", "出生年月日"), kind=D, max_width=12),
        Column("education", "学历", ("文化程度", "最高学历"), kind=T, max_width=10),
        Column("native_place", "籍贯", (), kind=T, max_width=12),
        Column(
            "org",
            "所在党支部",
            ("所在党组织", "党支部", "支部", "所属支部", "所属党支部", "所在支部", "党组织"),
            required=True,
            kind=T,
            max_width=28,
        ),
        Column("group", "党小组", ("所在党小组",), kind=T, max_width=16),
        Column("stage", "党员类别", ("党员类型", "发展阶段", "党员身份", "人员身份"), kind=T, max_width=12),
        Column("joined_on", "入党日期", ("入党时间",), kind=D, max_width=12),
        Column("confirmed_on", "转正日期", ("转正时间",), kind=D, max_width=12),
        Column("occupation", "工作岗位", ("人员类别", "职业", "岗位"), kind=T, max_width=14),
        Column("work_unit", "工作单位", ("单位", "工作单位及职务"), kind=T, max_width=24),
        Column("phone", "联系电话", ("手机号码", "手机号", "手机", "电话"), kind=T, max_width=14),
        Column("address", "家庭住址", ("住址", "现住址", "家庭地址"), kind=T, max_width=30),
        Column("grid", "所属网格", ("网格", "网格名称"), kind=T, max_width=16),
        Column("status", "党籍状态", ("状态",), kind=T, max_width=10),
        Column("is_mobile", "是否流动党员", ("流动党员",), kind=T, max_width=8),
        Column("mobile_destination", "外出流向", ("流向", "流出去向"), kind=T, max_width=20),
        Column("is_lost", "是否失联党员", ("失联党员",), kind=T, max_width=8),
        Column("lost_since", "失联日期", ("失联时间",), kind=D, max_width=12),
        Column("dues_category", "党费类别", ("交纳类别",), kind=T, max_width=10),
        Column(
            "dues_base",
            "党费基数（元）",
            ("党费基数", "计算基数", "月工资基数", "工资基数"),
            kind=N,
            max_width=12,
        ),
        Column(
            "monthly_dues", "每月党费（元）", ("月交党费", "每月党费"), kind=N, max_width=12
        ),  # export only
        Column("posts", "党内职务", ("职务",), kind=T, max_width=16),  # export only
        Column("notes", "备注", (), kind=T, max_width=30),
    )
)
EXPORT_ONLY = ("monthly_dues", "posts")
