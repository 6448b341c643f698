"""Resident import: every row rule, proved with real files (.xlsx with merged titles and totals, .xls,
GBK and UTF-8-BOM CSV) as communities send them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.crypto import keys_of
from db.schema.people import Household, Resident, ResidentEvent, ResidentTag
from desktop.domain.identity import id_number_problem, upgrade_15_digit_id
from desktop.services import residents as rs
from desktop.services.residents.exchange import import_residents
from tests.unit.resident_rosters import (
    id_ending_in_x,
    make_id,
    person,
    rounded_id_pair,
    write_csv,
    write_xls,
    write_xlsx,
)

WANG = make_id(born="19600512", seq="011")  # 男
LI = make_id(born="19620303", seq="022")  # 女
ZHANG = make_id("410102", "19850101", "033")  # 男
FIRST = 5  # Excel row of the first data row under write_xlsx's title, note, blank row and header


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c for c in text)


def register(ctx) -> dict[str, dict[str, Any]]:
    """id_number → the resident's columns, plus ``tags`` and ``address``/``household_no``."""
    with ctx.read() as s:
        rows = {r.id_number: dict(r._mapping) for r in s.execute(select(Resident.__table__))}
        tags: dict[int, list[str]] = {}
        for rid, tag in s.execute(select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.id)):
            tags.setdefault(rid, []).append(tag)
        households = {h.id: h for h in s.scalars(select(Household))}
        for r in rows.values():
            r["tags"] = tags.get(r["id"], [])
            h = households.get(r["household_id"])
            r["address"] = rs.format_address(h.estate, h.building, h.unit, h.room) if h else None
            r["household_no"] = h.household_no if h else None
    return rows


def count(ctx, model) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def errors(report) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.field, i.reason) for i in report.errors]


def warnings(report) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.field, i.reason) for i in report.warnings]


# ---------------------------------------------------------------- a messy but correct roster


def test_a_messy_roster_is_imported_exactly(street_ctx, tmp_path):
    x_id = id_ending_in_x(born="19750101")
    rows = [
        person("王建国", WANG, gender="男", birth=dt.datetime(1960, 5, 12), phone="13809371234",
               estate="新华小区", building="3", unit="2", room="301", household="H001", relation="户主",
               tags="空巢老人、独居老人", tier="蓝"),
        person(" 李 秀兰 ", f" {LI[:6]} {LI[6:14]} {LI[14:]} ", birth="1962.03.03", ethnicity="汉",
               household="H001", relation="配偶", estate="新华小区", building="3", unit="2", room="301"),
        person("赵　磊", x_id.lower(), birth="1975年1月1日", phone=" 13909375678 ", grid="GC-01-002",
               kind="流动人口", tier="橙色"),
        person("张伟", full_width(ZHANG), birth="1985-01-01", phone=full_width("13919370001"), community="朝阳社区",
               grid="朝阳一网格", tags="低保户，残疾人", notes="租住，房东：刘某（电话见备注本）"),
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "新华社区实有人口.xlsx", rows, blank_every=2)
    report = import_residents(street_ctx, path)
    assert report.issues == [i for i in report.issues if not i.is_error]
    assert (report.rows_read, report.created, report.rejected, report.exit_status) == (4, 4, 0, 0)
    assert report.header_row == 4
    assert [why for _n, why in report.skipped] == ["合计行", "表尾说明"]
    assert report.households_created == 1
    got = register(street_ctx)
    wang, li, zhao, zhang = got[WANG], got[LI], got[x_id], got[ZHANG]
    assert (li["name"], li["gender"], li["birth_date"], li["ethnicity"]) == (
        "李秀兰",
        "女",
        dt.date(1962, 3, 3),
        "汉族",
    )
    assert wang["tags"] == ["空巢老人", "独居老人"] and wang["care_tier"] == "BLUE"
    assert wang["household_id"] == li["household_id"] and wang["relation_to_head"] == "户主"
    assert wang["address"] == "新华小区3号楼2单元301室" and wang["household_no"] == "H001"
    assert (zhao["name"], zhao["id_number"][-1], zhao["phone"], zhao["phone_tail"]) == (
        "赵磊",
        "X",
        "13909375678",
        keys_of(street_ctx.database).blind("phone_tail", "5678"),  # the tail's keyed hash, not the digits
    )
    assert (zhao["residence_kind"], zhao["care_tier"], zhao["birth_date"]) == (
        "FLOATING",
        "ORANGE",
        dt.date(1975, 1, 1),
    )
    assert zhang["phone"] == "13919370001" and zhang["tags"] == ["低保户", "残疾人"]
    assert zhang["notes"] == "租住，房东：刘某（电话见备注本）"  # Chinese punctuation kept
    assert zhang["community_id"] != wang["community_id"] and zhang["name_initials"] == "zw"
    # the totals row is not a resident and the head of household is set once
    assert count(street_ctx, Resident) == 4


@pytest.mark.parametrize("kind", ["gbk_csv", "bom_csv", "xls"])
def test_gbk_csv_utf8_bom_csv_and_xls_give_the_same_register(street_ctx, tmp_path, kind):
    rows = [
        person("王建国", WANG, birth="1960-05-12", phone="13809371234", estate="新华小区", building="3号楼",
               unit="2单元", room="301室", household="H001", relation="户主", tags="空巢老人", tier="绿"),
        person("李秀兰", LI, birth="1962年3月3日", household="H001", relation="配偶"),
        person("欧阳娜娜", ZHANG.replace("19850101033", "19850101043")[:17] + "0", community="朝阳社区", grid="朝阳一网格"),
    ]  # fmt: skip
    if kind == "xls":
        pytest.importorskip("xlwt")
        path = write_xls(tmp_path / "名册.xls", rows)
        first = 4
    else:
        path = write_csv(tmp_path / "名册.csv", rows, encoding="gbk" if kind == "gbk_csv" else "utf-8-sig")
        first = 4
    report = import_residents(street_ctx, path)
    # the third ID has a wrong check character on purpose: the same error, on the same row, in every format
    assert [(i.row, i.field) for i in report.errors] == [(first + 2, "公民身份号码")]
    assert "校验位错误" in report.errors[0].reason
    assert (report.created, report.rejected, report.exit_status) == (2, 1, 2)
    got = register(street_ctx)
    assert got[WANG]["address"] == "新华小区3号楼2单元301室"
    assert got[LI]["household_id"] == got[WANG]["household_id"]
    assert got[LI]["birth_date"] == dt.date(1962, 3, 3)


# ---------------------------------------------------------------- ID numbers


def test_an_id_stored_as_a_number_is_refused_even_when_the_rounded_number_passes_the_check(
    street_ctx, tmp_path
):
    true_id, rounded = rounded_id_pair()
    assert (
        true_id != rounded and id_number_problem(rounded) is None
    )  # the trap: the rounded number "looks" valid
    rows = [
        person("王建国", WANG),
        person("钱学文", float(rounded)),  # what Excel keeps of a typed 18-digit ID
        person("孙丽", float(LI)),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert [(i.row, i.field) for i in report.errors] == [
        (FIRST + 1, "公民身份号码"),
        (FIRST + 2, "公民身份号码"),
    ]
    reason = report.errors[0].reason
    assert "存成了数字" in reason and "最后几位已经丢失" in reason and "文本" in reason
    assert "E+17" in reason and rounded in reason  # shown the way Excel shows it, and what it kept
    assert report.errors[0].value == rounded  # the error workbook shows the digits Excel kept
    assert report.created == 1 and report.exit_status == 2
    got = register(street_ctx)
    assert rounded not in got and true_id not in got


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("6.20201E+17", "科学计数法"),
        ("620201********011X", "脱敏"),
        ("62020119800506011", "应为 18 位"),
        ("620201198013060112", "不是有效日期"),
        ("62020119800506011Y", "只能由数字和末位 X 组成"),
        (None, "不能为空"),
    ],
)
def test_unusable_id_numbers_are_refused_with_the_reason(street_ctx, tmp_path, typed, why):
    report = import_residents(
        street_ctx, write_csv(tmp_path / "r.csv", [person("王建国", typed)], encoding="utf-8-sig")
    )
    assert [(i.row, i.field) for i in report.errors] == [(4, "公民身份号码")]
    assert why in report.errors[0].reason
    assert report.created == 0 and report.exit_status == 1  # nothing imported


@pytest.mark.parametrize("as_number", [False, True])
def test_a_15_digit_legacy_id_is_upgraded_to_18_with_a_warning(street_ctx, tmp_path, as_number):
    """Decision: a 15-digit number (issued before 1999) is converted per GB 11643 and imported, with a
    warning to check it. Fifteen digits survive being stored as a number, so that is accepted too."""
    old = "620201600512011"
    new = upgrade_15_digit_id(old)
    rows = [person("王建国", float(old) if as_number else old, birth="1960-05-12")]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert report.created == 1 and report.rejected == 0 and report.exit_status == 0
    assert [(i.row, i.field) for i in report.warnings] == [(FIRST, "公民身份号码")]
    assert new in report.warnings[0].reason and "15 位" in report.warnings[0].reason
    assert register(street_ctx)[new]["birth_date"] == dt.date(1960, 5, 12)


# ---------------------------------------------------------------- name, birth date, gender


@pytest.mark.parametrize(
    "birth",
    [
        dt.datetime(1980, 5, 6),
        "1980.05.06",
        "1980年5月6日",
        "1980-05-06",
        "1980/5/6",
        "19800506",
        "１９８０－０５－０６",
    ],
)
def test_birth_dates_in_every_form_must_equal_the_ids(street_ctx, tmp_path, birth):
    good = make_id(born="19800506", seq="015")
    bad = make_id(born="19800605", seq="015")
    rows = [person("王建国", good, birth=birth), person("李秀兰", bad, birth=birth)]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert report.created == 1
    assert errors(report) == [
        (FIRST + 1, "出生日期", "1980-05-06 与身份证号码中的出生日期 1980-06-05 不一致")
    ]
    assert register(street_ctx)[good]["birth_date"] == dt.date(1980, 5, 6)


def test_an_unreadable_birth_date_is_an_error(street_ctx, tmp_path):
    report = import_residents(
        street_ctx, write_xlsx(tmp_path / "r.xlsx", [person("王建国", WANG, birth="六十年代")])
    )
    assert [(i.row, i.field) for i in report.errors] == [(FIRST, "出生日期")]
    assert "不是有效日期" in report.errors[0].reason


def test_a_missing_name_is_an_error_and_a_name_with_digits_too(street_ctx, tmp_path):
    rows = [
        person(None, WANG),
        person("  ", LI),
        person("13809371234", ZHANG),
        person("张伟", make_id(seq="055")),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert [(i.row, i.field, i.reason) for i in report.errors][:2] == [
        (FIRST, "姓名", "不能为空"),
        (FIRST + 1, "姓名", "不能为空"),
    ]
    assert report.errors[2].row == FIRST + 2 and "数字" in report.errors[2].reason
    assert report.created == 1 and report.rejected == 3


def test_a_gender_contradicting_the_id_is_a_warning_and_the_row_is_imported(street_ctx, tmp_path):
    rows = [person("王建国", WANG, gender="女"), person("李秀兰", LI, gender="不详")]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert report.created == 2 and report.rejected == 0 and report.exit_status == 0
    assert [(i.row, i.field) for i in report.warnings] == [(FIRST, "性别"), (FIRST + 1, "性别")]
    assert "与身份证号码不符" in report.warnings[0].reason
    got = register(street_ctx)
    assert got[WANG]["gender"] == "男" and got[LI]["gender"] == "女"


# ---------------------------------------------------------------- grids and communities


def test_grids_by_name_or_code_and_unknown_grids(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(101, 108)]
    rows = [
        person("甲一", ids[0], grid="新华二网格"),  # by name, in its community
        person(
            "甲二", ids[1], grid=" gc－01－002 ", community=None
        ),  # by code (full-width, lower case), community from the grid
        person("甲三", ids[2], grid="新华九网格"),  # unknown name
        person("甲四", ids[3], grid="GC-09-001", community=None),  # unknown code
        person("甲五", ids[4], grid="朝阳一网格"),  # a grid of another community
        person("甲六", ids[5], grid="GC-02-001"),  # a code of another community
        person("甲七", ids[6], community="幸福社区"),  # unknown community
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert report.created == 2
    found = {(i.row - FIRST, i.field): i.reason for i in report.errors}
    assert set(found) == {(2, "所属网格"), (3, "所属网格"), (4, "所属网格"), (5, "所属网格"), (6, "社区")}
    assert "新华社区中没有编号或名称为“新华九网格”的网格" in found[(2, "所属网格")]
    assert "“GC-09-001”" in found[(3, "所属网格")]
    assert "没有编号或名称为“朝阳一网格”" in found[(4, "所属网格")]
    assert "属于朝阳社区，与本行的社区“新华社区”不符" in found[(5, "所属网格")]
    assert "没有名为“幸福社区”的社区（现有：新华社区、朝阳社区）" in found[(6, "社区")]
    got = register(street_ctx)
    assert got[ids[0]]["grid_id"] == got[ids[1]]["grid_id"] is not None


def test_without_community_or_grid_two_communities_need_one(street_ctx, tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx", [["王建国", WANG]], header=["姓名", "公民身份号码"], title=False, totals=False
    )
    report = import_residents(street_ctx, path)
    assert errors(report) == [(2, "社区", "请填写社区或所属网格（数据库中有多个社区）")]


def test_a_single_community_is_taken_when_the_file_names_none(ctx, tmp_path):
    from desktop.services import structure as st

    st.save_street(ctx, "钢城街道")
    st.save_community(ctx, st.CommunityInput("新华社区"))
    path = write_xlsx(
        tmp_path / "r.xlsx", [["王建国", WANG]], header=["姓名", "身份证号码"], title=False, totals=False
    )
    report = import_residents(ctx, path)
    assert report.created == 1 and report.exit_status == 0


# ---------------------------------------------------------------- phones, tiers, tags, other values


def test_phones(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(201, 206)]
    rows = [
        person("甲一", ids[0], phone="12345"),
        person("甲二", ids[1], phone="10809371234"),
        person("甲三", ids[2], phone="+86 138 0937 1234"),
        person("甲四", ids[3], phone="0937-6221234"),
        person("甲五", ids[4], phone="13809371234/13909375678"),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert [(i.row - FIRST, i.field) for i in report.errors] == [(0, "联系电话"), (1, "联系电话")]
    assert "格式不正确" in report.errors[0].reason and "13–19 开头" in report.errors[1].reason
    assert [(i.row - FIRST, i.field) for i in report.warnings] == [(4, "联系电话")]
    assert "只导入了第一个（13809371234）" in report.warnings[0].reason
    got = register(street_ctx)
    assert got[ids[2]]["phone"] == "13809371234" and got[ids[3]]["phone"] == "0937-6221234"
    assert got[ids[4]]["phone"] == "13809371234"


def test_unknown_tier_and_tag_name_the_allowed_values(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(301, 306)]
    rows = [
        person("甲一", ids[0], tier="紫", tags="吃低保"),  # both problems of the row are listed
        person("甲二", ids[1], tags="留守老人、吃低保"),
        person("甲三", ids[2], tags="留守老人,低保户；残疾人 空巢老人/独居老人", tier="RED"),
        person("甲四", ids[3], tier="红色"),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    found = {(i.row - FIRST, i.field): i.reason for i in report.errors}
    assert set(found) == {(0, "分色等级"), (0, "特殊人群"), (1, "特殊人群")}
    assert found[(0, "分色等级")] == "“紫”无效，应为绿色、蓝色、橙色或红色"
    assert found[(1, "特殊人群")].startswith("“吃低保”不在特殊人群标签字典中（可用：留守老人、独居老人")
    got = register(street_ctx)
    assert got[ids[2]]["tags"] == ["留守老人", "低保户", "残疾人", "空巢老人", "独居老人"]
    assert got[ids[2]]["care_tier"] == got[ids[3]]["care_tier"] == "RED"


def test_residence_kind_ethnicity_and_relation_values(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(401, 405)]
    rows = [
        person("甲一", ids[0], kind="外来人口", ethnicity="回", relation="本人", household="H9"),
        person("甲二", ids[1], kind="常住", ethnicity="穿青人"),
        person("甲三", ids[2], kind="游客"),
        person("甲四", ids[3], kind=None),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert errors(report) == [(FIRST + 2, "户籍/流动", "“游客”无效，应为“户籍”或“流动”")]
    assert [(i.row - FIRST, i.field) for i in report.warnings] == [(1, "民族")]
    got = register(street_ctx)
    assert (got[ids[0]]["residence_kind"], got[ids[0]]["ethnicity"], got[ids[0]]["relation_to_head"]) == (
        "FLOATING",
        "回族",
        "户主",
    )
    assert got[ids[1]]["residence_kind"] == got[ids[3]]["residence_kind"] == "REGISTERED"


# ---------------------------------------------------------------- duplicates, updates


def test_the_same_id_twice_in_the_file_rejects_the_later_row(street_ctx, tmp_path):
    rows = [
        person("王建国", WANG),
        person("李秀兰", LI),
        person("王建国", WANG.lower()),
        person("王建国", f" {WANG} "),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert errors(report) == [
        (FIRST + 2, "公民身份号码", f"与第 {FIRST} 行重复（同一身份证号码）"),
        (FIRST + 3, "公民身份号码", f"与第 {FIRST} 行重复（同一身份证号码）"),
    ]
    assert report.created == 2 and report.rejected == 2


def test_importing_a_corrected_file_again_updates_people_and_never_duplicates(street_ctx, tmp_path):
    rows = [
        person("王建国", WANG, phone="13809371234", tier="绿", tags="空巢老人", household="H1", relation="户主",
               estate="新华小区", building="3", unit="2", room="301"),
        person("李秀兰", LI, household="H1", relation="配偶"),
        person("张伟", "410102198501010330"),  # a typing mistake in the ID: rejected the first time
    ]  # fmt: skip
    first = import_residents(street_ctx, write_xlsx(tmp_path / "v1.xlsx", rows))
    assert (first.created, first.rejected) == (2, 1)
    rows[0] = person("王建国", WANG, phone="13909370000", tier="红", tags="独居老人、残疾人", household="H1",
                     relation="户主", estate="新华小区", building="3号楼", unit="2单元", room="301室")  # fmt: skip
    rows[2] = person("张伟", ZHANG)
    second = import_residents(street_ctx, write_xlsx(tmp_path / "v2.xlsx", rows))
    assert (second.created, second.updated, second.unchanged, second.rejected) == (1, 1, 1, 0)
    assert second.households_created == 0 and second.households_updated == 0  # 3号楼 is building 3
    third = import_residents(street_ctx, write_xlsx(tmp_path / "v3.xlsx", rows))
    assert (third.created, third.updated, third.unchanged) == (0, 0, 3)
    assert count(street_ctx, Resident) == 3 and count(street_ctx, Household) == 1
    got = register(street_ctx)
    assert got[WANG]["phone"] == "13909370000" and got[WANG]["tags"] == ["独居老人", "残疾人"]
    assert got[WANG]["care_tier"] == "RED" and got[WANG]["version"] == 2
    with street_ctx.read() as s:
        event = s.scalars(select(ResidentEvent)).one()
    assert (event.kind, event.from_value, event.to_value) == ("CARE_TIER", "GREEN", "RED")
    assert event.reason == "批量导入：v2.xlsx"


def test_a_blank_cell_keeps_what_is_registered(street_ctx, tmp_path):
    import_residents(
        street_ctx,
        write_xlsx(
            tmp_path / "a.xlsx",
            [person("王建国", WANG, phone="13809371234", tier="蓝", tags="残疾人", notes="备注一")],
        ),
    )
    report = import_residents(
        street_ctx,
        write_xlsx(tmp_path / "b.xlsx", [person("王建国", WANG, ethnicity=None, grid=None, community=None)]),
    )
    assert report.unchanged == 1
    got = register(street_ctx)[WANG]
    assert (got["phone"], got["care_tier"], got["tags"], got["notes"], got["ethnicity"]) == (
        "13809371234",
        "BLUE",
        ["残疾人"],
        "备注一",
        "汉族",
    )
    assert got["grid_id"] is not None


def test_a_registered_id_under_another_name_is_refused_never_overwritten(street_ctx, tmp_path):
    import_residents(
        street_ctx, write_xlsx(tmp_path / "a.xlsx", [person("王建国", WANG, phone="13809371234")])
    )
    report = import_residents(
        street_ctx, write_xlsx(tmp_path / "b.xlsx", [person("王建华", WANG, phone="13900000000")])
    )
    assert report.exit_status == 1 and report.updated == 0  # nothing imported
    [problem] = report.errors
    assert (problem.row, problem.field) == (FIRST, "姓名")
    assert "已登记为居民“王建国”（新华社区）" in problem.reason and "王建华" in problem.reason
    assert WANG not in problem.reason  # the registered number is masked in the message
    got = register(street_ctx)[WANG]
    assert (got["name"], got["phone"]) == ("王建国", "13809371234")


def test_an_inactive_resident_is_updated_with_a_warning_and_keeps_the_status(street_ctx, tmp_path):
    import_residents(street_ctx, write_xlsx(tmp_path / "a.xlsx", [person("王建国", WANG)]))
    rid = register(street_ctx)[WANG]["id"]
    rs.change_status(street_ctx, rid, "MOVED", dt.date(2026, 1, 5), "迁往兰州")
    report = import_residents(
        street_ctx, write_xlsx(tmp_path / "b.xlsx", [person("王建国", WANG, phone="13809371234")])
    )
    assert report.updated == 1 and [(i.field, i.code) for i in report.warnings] == [
        ("公民身份号码", "inactive")
    ]
    assert register(street_ctx)[WANG]["status"] == "MOVED"


# ---------------------------------------------------------------- households and heads


def test_households_by_number_or_by_full_address(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(501, 508)]
    rows = [
        person("甲一", ids[0], household="0001", relation="户主", estate="新华小区", building="1", unit="1", room="101"),
        person("甲二", ids[1], household="0001", relation="妻"),
        person("乙一", ids[2], relation="户主", estate="新华小区", building="2号楼", unit="1单元", room="202室"),
        person("乙二", ids[3], relation="子", estate="新华小区", building="2", unit="1", room="202"),
        person("丙一", ids[4], relation="户主", community="朝阳社区", grid="朝阳一网格", household="0001"),
        person("丁一", ids[5], relation="户主", estate="钢城花园", building="12号楼", room="502"),
        person("无住址", ids[6]),
    ]  # fmt: skip
    report = import_residents(street_ctx, write_xlsx(tmp_path / "r.xlsx", rows))
    assert report.rejected == 0 and report.households_created == 4
    got = register(street_ctx)
    assert got[ids[0]]["household_id"] == got[ids[1]]["household_id"]
    assert got[ids[1]]["relation_to_head"] == "配偶"
    assert got[ids[2]]["household_id"] == got[ids[3]]["household_id"] != got[ids[0]]["household_id"]
    assert got[ids[4]]["household_id"] not in (
        got[ids[0]]["household_id"],
        None,
    )  # same 户号, other community
    assert got[ids[5]]["address"] == "钢城花园12号楼502室"
    assert got[ids[6]]["household_id"] is None
    # the household takes its head's grid
    with street_ctx.read() as s:
        hh = s.get(Household, got[ids[4]]["household_id"])
        assert hh is not None and hh.grid_id == got[ids[4]]["grid_id"]


def test_a_full_address_string_is_split_and_matches_the_parts(street_ctx, tmp_path):
    header = ["姓名", "公民身份号码", "社区", "现住址", "与户主关系"]
    rows = [
        ["王建国", WANG, "新华社区", "新华小区3号楼2单元301室", "户主"],
        ["李秀兰", LI, "新华社区", "新华小区3-2-301", "配偶"],
        ["张伟", ZHANG, "新华社区", "建设路12号", "户主"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows, header=header, title=False, totals=False)
    report = import_residents(street_ctx, path)
    assert report.rejected == 0 and report.households_created == 2
    got = register(street_ctx)
    assert got[WANG]["household_id"] == got[LI]["household_id"]
    assert got[WANG]["address"] == "新华小区3号楼2单元301室"
    assert got[ZHANG]["address"] == "建设路12号"


def test_a_household_has_one_head_in_the_file_and_in_the_register(street_ctx, tmp_path):
    ids = [make_id(seq=f"{n:03d}") for n in range(601, 606)]
    rows = [
        person("甲一", ids[0], household="0007", relation="户主"),
        person("甲二", ids[1], household="0007", relation="户主"),
        person("甲三", ids[2], household="0007", relation="子"),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "a.xlsx", rows))
    assert errors(report) == [(FIRST + 1, "与户主关系", f"与第 {FIRST} 行同为该户户主，一户只能有一名户主")]
    # later: another file names a different head for the registered household
    report = import_residents(
        street_ctx,
        write_xlsx(tmp_path / "b.xlsx", [person("乙一", ids[3], household="0007", relation="户主")]),
    )
    [problem] = report.errors
    assert problem.field == "与户主关系" and "该户已有户主甲一" in problem.reason
    # … unless the same file moves the old head aside
    rows = [
        person("甲一", ids[0], household="0007", relation="父亲"),
        person("乙一", ids[3], household="0007", relation="户主"),
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "c.xlsx", rows))
    assert report.rejected == 0 and (report.created, report.updated) == (1, 1)
    got = register(street_ctx)
    assert got[ids[3]]["relation_to_head"] == "户主" and got[ids[0]]["relation_to_head"] == "父亲"
    assert count(street_ctx, Household) == 1


def test_row_numbers_are_the_excel_rows_with_blank_rows_counted(street_ctx, tmp_path):
    rows = [person("甲" + "一二三四五六"[n], make_id(seq=f"{700 + n:03d}")) for n in range(6)]
    rows[4] = person("甲四", "123")
    path = write_xlsx(tmp_path / "r.xlsx", rows, blank_every=2)  # a blank row after every second person
    report = import_residents(street_ctx, path)
    # person 5 sits on row FIRST + 4 + 2 blank rows
    assert [(i.row, i.field) for i in report.errors] == [(FIRST + 6, "公民身份号码")]


def test_a_missing_required_column_reads_nothing(street_ctx, tmp_path):
    from desktop.core.errors import ValidationError

    path = write_xlsx(
        tmp_path / "r.xlsx", [["王建国", "男"]], header=["姓名", "性别"], title=False, totals=False
    )
    with pytest.raises(ValidationError, match="缺少：公民身份号码"):
        import_residents(street_ctx, Path(path))


def test_a_tag_retired_from_the_dictionary_may_stay_on_who_has_it_but_not_spread(street_ctx, tmp_path):
    from db.schema.settings import DictionaryEntry

    import_residents(street_ctx, write_xlsx(tmp_path / "a.xlsx", [person("王建国", WANG, tags="残疾人")]))
    with street_ctx.write() as uow:  # the locality's dictionary no longer has 残疾人
        uow.session.add_all(
            [
                DictionaryEntry(kind="SPECIAL_GROUP", code=c, label=c, sort_key=i)
                for i, c in enumerate(("低保户", "留守老人"))
            ]
        )
    rows = [person("王建国", WANG, tags="残疾人、低保户"), person("李秀兰", LI, tags="残疾人")]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "b.xlsx", rows))
    assert [(i.row, i.field) for i in report.errors] == [(FIRST + 1, "特殊人群")]
    assert "（可用：低保户、留守老人）" in report.errors[0].reason
    assert register(street_ctx)[WANG]["tags"] == ["残疾人", "低保户"]


def test_a_household_found_by_its_number_takes_the_new_address_and_keeps_its_members(street_ctx, tmp_path):
    rows = [
        person(
            "王建国",
            WANG,
            household="H1",
            relation="户主",
            estate="新华小区",
            building="3",
            unit="2",
            room="301",
        ),
        person("李秀兰", LI, household="H1", relation="配偶"),
    ]
    import_residents(street_ctx, write_xlsx(tmp_path / "a.xlsx", rows))
    moved = [
        person(
            "王建国", WANG, household="H1", relation="户主", estate="钢城花园", building="12号楼", room="502"
        )
    ]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "b.xlsx", moved))
    assert (report.households_created, report.households_updated, report.unchanged) == (0, 1, 1)
    got = register(street_ctx)
    assert got[WANG]["address"] == got[LI]["address"] == "钢城花园12号楼502室"
    assert count(street_ctx, Household) == 1
    with street_ctx.read() as s:
        from desktop.services.audit import iter_rows

        [update] = iter_rows(s, entity="household", action="update")
    assert "钢城花园12号楼502室" in update.summary


def test_moving_to_another_community_leaves_the_old_grid_and_household(street_ctx, tmp_path):
    rows = [
        person(
            "王建国",
            WANG,
            household="H1",
            relation="户主",
            estate="新华小区",
            building="3",
            unit="2",
            room="301",
        )
    ]
    import_residents(street_ctx, write_xlsx(tmp_path / "a.xlsx", rows))
    moved = [person("王建国", WANG, community="朝阳社区", grid=None)]
    report = import_residents(street_ctx, write_xlsx(tmp_path / "b.xlsx", moved))
    assert report.updated == 1
    got = register(street_ctx)[WANG]
    assert (got["grid_id"], got["household_id"]) == (None, None)
    with street_ctx.read() as s:
        from db.schema.structure import Community

        assert s.get(Community, got["community_id"]).name == "朝阳社区"
