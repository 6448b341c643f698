"""The resident register service: search keys, filters, masking, reveal, validation, locking, history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from db.schema.people import Resident, ResidentEvent
from db.schema.settings import DictionaryEntry
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.domain.identity import id_check_char
from desktop.services import residents as rs
from desktop.services import structure as st
from tests.conftest import TODAY


def make_id(region: str, born: str, seq: str) -> str:
    first17 = region + born + seq
    return first17 + id_check_char(first17)


WANG = make_id("620201", "19600512", "001")  # male (odd)
LI = make_id("620201", "19620303", "002")  # female
ZHANG = make_id("410102", "19850101", "003")
OUYANG = make_id("620202", "19900708", "004")
SHAN = make_id("620201", "19701111", "005")


@pytest.fixture
def reg(street_ctx):
    """新华社区: two households (5 people); 朝阳社区: one household (2 people, one moved away)."""
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    grids = {g.name: g for g in st.list_grids(ctx)}
    xinhua, chaoyang = comms["新华社区"], comms["朝阳社区"]
    g1, g2, g3 = grids["新华一网格"].id, grids["新华二网格"].id, grids["朝阳一网格"].id
    ids: dict[str, int] = {}

    def add(name: str, **kw) -> int:
        ids[name] = rs.save_resident(ctx, rs.ResidentInput(name=name, **kw))
        return ids[name]

    add(
        "王建国",
        community_id=xinhua,
        grid_id=g1,
        id_number=WANG,
        phone="138 0937 8000",
        relation_to_head="户主",
        tags=["空巢老人"],
        new_household=rs.HouseholdInput(xinhua, estate="新华小区", building="3", unit="2", room="301"),
    )
    h1 = rs.get_resident(ctx, ids["王建国"]).household.id
    add(
        "李秀兰",
        community_id=xinhua,
        id_number=LI,
        phone="13919371111",
        household_id=h1,
        relation_to_head="配偶",
    )
    add(
        "王小明",
        community_id=xinhua,
        gender="男",
        birth_date=dt.date(2015, 6, 1),
        household_id=h1,
        relation_to_head="子",
    )
    add(
        "张伟",
        community_id=xinhua,
        grid_id=g2,
        id_number=ZHANG,
        phone="15009376666",
        residence_kind="FLOATING",
        relation_to_head="户主",
        new_household=rs.HouseholdInput(
            xinhua, estate="钢城花园", building="12号楼", unit="1单元", room="502"
        ),
    )
    add(
        "单雄信",
        community_id=xinhua,
        grid_id=g2,
        id_number=SHAN,
        household_id=rs.get_resident(ctx, ids["张伟"]).household.id,
        relation_to_head="其他",
    )
    add(
        "欧阳娜娜",
        community_id=chaoyang,
        grid_id=g3,
        id_number=OUYANG,
        relation_to_head="户主",
        tags=["低保户"],
        new_household=rs.HouseholdInput(
            chaoyang, estate="朝阳小区", building="5号楼", unit="1单元", room="101"
        ),
    )
    add(
        "赵志刚",
        community_id=chaoyang,
        grid_id=g3,
        household_id=rs.get_resident(ctx, ids["欧阳娜娜"]).household.id,
        relation_to_head="父亲",
    )
    rs.change_status(ctx, ids["赵志刚"], "MOVED", dt.date(2026, 1, 5), "迁往兰州市")
    rs.set_care_tier(ctx, ids["欧阳娜娜"], "ORANGE", "低保边缘，独自抚养子女", approver="社区主任")
    return dataclasses.make_dataclass("Reg", ["ctx", "ids", "xinhua", "chaoyang", "g1", "g2", "g3", "h1"])(
        ctx, ids, xinhua, chaoyang, g1, g2, g3, h1
    )


def names(reg, **kw) -> list[str]:
    ids = rs.search_resident_ids(reg.ctx, rs.ResidentFilter(**kw))
    return [r.name for r in rs.fetch_resident_rows(reg.ctx, ids)]


# ---------------------------------------------------------------- pure helpers


def test_name_initials_use_first_letters_and_surname_readings():
    assert rs.name_initials("王建国") == "wjg"
    assert rs.name_initials("欧阳娜娜") == "oynn"
    assert rs.name_initials("单雄信") == "sxx"  # 单 as a surname is shàn, not dān
    assert rs.name_initials("曾国藩") == "zgf"
    assert rs.name_initials("买买提·艾力") == "mmtal"
    assert rs.name_initials("单") == "d"  # a lone character is not a surname + given name


def test_address_format_and_phone_tail():
    assert rs.format_address("新华小区", "3", "2", "301") == "新华小区3号楼2单元301室"
    assert rs.format_address("钢城花园", "12号楼", "1单元", "502") == "钢城花园12号楼1单元502室"
    assert rs.format_address(None, None, None, None) == ""
    assert rs.phone_tail("0937-6221234") == "1234"
    assert rs.phone_tail(None) is None


# ---------------------------------------------------------------- search


def test_search_by_name_substring_and_prefix(reg):
    assert names(reg, text="建国") == ["王建国"]
    assert sorted(names(reg, text="王")) == ["王小明", "王建国"]
    assert names(reg, text="雄信") == ["单雄信"]


def test_search_by_pinyin_initials_prefix(reg):
    assert names(reg, text="wjg") == ["王建国"]
    assert sorted(names(reg, text="WX")) == ["王小明"]
    assert names(reg, text="sxx") == ["单雄信"]
    assert names(reg, text="oy") == ["欧阳娜娜"]


def test_search_by_id_number_prefix_full_and_lower_case_x(reg):
    assert names(reg, text=WANG[:12]) == ["王建国"]
    assert names(reg, text=ZHANG) == ["张伟"]
    assert names(reg, text="410102") == ["张伟"]
    assert sorted(names(reg, text="620201")) == ["单雄信", "李秀兰", "王建国"]
    x_id = make_id("620201", "19450101", "017")
    while not x_id.endswith("X"):  # find a sequence number whose check character is X
        x_id = make_id("620201", "19450101", f"{int(x_id[14:17]) + 2:03d}")
    rs.save_resident(reg.ctx, rs.ResidentInput("钱多多", reg.xinhua, id_number=x_id))
    assert names(reg, text=x_id.lower()) == ["钱多多"]
    # the number is stored encrypted: a start of it is answered from the region code and the birth date
    assert names(reg, text=WANG[:10]) == ["王建国"] and names(reg, text=WANG[:6] + "2999") == []


def test_search_by_phone_tail_and_full_phone(reg):
    assert names(reg, text="8000") == ["王建国"]
    assert names(reg, text="6666") == ["张伟"]
    assert names(reg, text="13919371111") == ["李秀兰"]
    assert names(reg, text="1391937") == []  # a partial phone is not a key (masked everywhere)


def test_search_by_household_address(reg):
    assert sorted(names(reg, text="钢城花园")) == ["单雄信", "张伟"]
    assert sorted(names(reg, text="新华小区3号楼")) == [
        "李秀兰",
        "王小明",
        "王建国",
    ]  # stored as building "3"
    assert sorted(names(reg, text="12号楼1单元")) == ["单雄信", "张伟"]


def test_several_words_must_all_match(reg):
    assert names(reg, text="王 新华小区") == ["王建国", "王小明"]
    assert names(reg, text="wjg 钢城花园") == []


def test_search_text_is_not_sql(reg):
    assert names(reg, text="%") == []
    assert names(reg, text="王'; DROP TABLE resident; --") == []
    assert len(names(reg)) == 6


def test_selective_words_combine_with_filters_and_sorts(reg):
    # "wjg"/"8000" are answered from their own index; the list-order columns are then hidden from SQLite
    assert names(reg, text="wjg", community_id=reg.xinhua, grid_id=reg.g1) == ["王建国"]
    assert names(reg, text="wjg", community_id=reg.chaoyang) == []
    assert names(reg, text="8000", status=None, sort="name") == ["王建国"]
    assert names(reg, text="620201", sort="name", descending=True) == ["王建国", "单雄信", "李秀兰"]


def test_filters(reg):
    assert names(reg, community_id=reg.chaoyang) == ["欧阳娜娜"]
    assert sorted(names(reg, grid_id=reg.g2)) == ["单雄信", "张伟"]
    assert names(reg, tag="低保户") == ["欧阳娜娜"]
    assert names(reg, care_tier="ORANGE") == ["欧阳娜娜"]
    assert names(reg, residence_kind="FLOATING") == ["张伟"]
    assert names(reg, community_id=reg.xinhua, text="王", tag="空巢老人") == ["王建国"]


def test_moved_residents_are_hidden_unless_asked_for(reg):
    assert "赵志刚" not in names(reg)
    assert "赵志刚" in names(reg, status=None)
    assert names(reg, status="MOVED") == ["赵志刚"]


def test_default_order_is_community_grid_household_and_sorts_work(reg):
    assert names(reg) == ["王建国", "李秀兰", "王小明", "张伟", "单雄信", "欧阳娜娜"]
    assert names(reg, sort="name") == ["李秀兰", "欧阳娜娜", "单雄信", "王建国", "王小明", "张伟"]
    assert names(reg, sort="name", descending=True)[0] == "张伟"
    assert names(reg, sort="age")[0] == "王小明"
    rs.save_resident(reg.ctx, rs.ResidentInput("无名氏", reg.chaoyang))  # no birth date: last either way
    assert names(reg, sort="age")[-1] == names(reg, sort="age", descending=True)[-1] == "无名氏"
    assert names(reg, sort="care_tier", descending=True)[0] == "欧阳娜娜"
    with pytest.raises(ValidationError):
        names(reg, sort="id_number")


# ---------------------------------------------------------------- rows, cards, masking


def test_rows_are_masked_and_complete(reg):
    ids = rs.search_resident_ids(reg.ctx, rs.ResidentFilter(text="王建国"))
    (row,) = rs.fetch_resident_rows(reg.ctx, ids, today=dt.date(2026, 5, 12))
    assert row.id_number == WANG[:6] + "********" + WANG[-4:]
    assert row.phone == "138****8000"
    assert WANG not in repr(row) and "13809378000" not in repr(row)
    assert row.age == 66 and row.gender == "男"
    assert (row.community_name, row.grid_name) == ("新华社区", "新华一网格")
    assert row.address == "新华小区3号楼2单元301室"
    assert row.tags == ("空巢老人",) and row.residence_kind_label == "户籍" and row.relation_to_head == "户主"


def test_rows_keep_the_requested_order_and_skip_missing(reg):
    a, b = reg.ids["张伟"], reg.ids["王建国"]
    assert [r.id for r in rs.fetch_resident_rows(reg.ctx, [a, 999_999, b])] == [a, b]
    assert rs.fetch_resident_rows(reg.ctx, []) == []


def test_card_is_masked_and_shows_household_and_history(reg):
    card = rs.get_resident(reg.ctx, reg.ids["欧阳娜娜"])
    assert card.id_number == mask(OUYANG) and card.phone == ""
    assert card.gender == "女" and card.birth_date == dt.date(1990, 7, 8)
    assert card.care_tier.code == "ORANGE" and card.care_tier.label == "橙色"
    assert card.tags == ("低保户",)
    assert card.household is not None and card.household.address == "朝阳小区5号楼1单元101室"
    assert [(m.name, m.relation_to_head, m.status_label) for m in card.household.members] == [
        ("欧阳娜娜", "户主", "在册"),
        ("赵志刚", "父亲", "迁出"),
    ]
    (event,) = card.history
    assert (event.kind_label, event.from_label, event.to_label) == ("等级调整", "绿色", "橙色")
    assert event.approver == "社区主任" and event.user == "测试员"


def mask(idn: str) -> str:
    return idn[:6] + "********" + idn[-4:]


def test_reveal_returns_full_values_and_records_the_reason(reg):
    rid = reg.ids["王建国"]
    revealed = rs.reveal_resident(reg.ctx, rid, "  入户走访核实身份 ")
    assert (revealed.id_number, revealed.phone) == (WANG, "13809378000")
    with reg.ctx.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "reveal")).one()
    assert rec.entity == "resident" and rec.entity_id == str(rid) and rec.user == "测试员"
    assert "入户走访核实身份" in rec.summary and json.loads(rec.after)["reason"] == "入户走访核实身份"
    assert WANG not in (rec.summary + (rec.after or ""))


def test_reveal_without_a_reason_is_refused_and_not_recorded(reg):
    with pytest.raises(ValidationError, match="原因"):
        rs.reveal_resident(reg.ctx, reg.ids["王建国"], "  ")
    with reg.ctx.read() as s:
        assert s.scalars(select(AuditRecord).where(AuditRecord.action == "reveal")).first() is None
    with pytest.raises(NotFoundError):
        rs.reveal_resident(reg.ctx, 999_999, "核实")


def test_audit_snapshots_never_hold_full_id_numbers_or_phones(reg):
    with reg.ctx.read() as s:
        texts = [(r.before or "") + (r.after or "") + r.summary for r in s.scalars(select(AuditRecord))]
    assert texts and not any(WANG in t or "13809378000" in t or OUYANG in t for t in texts)


# ---------------------------------------------------------------- validation


def base(reg, **kw) -> rs.ResidentInput:
    return rs.ResidentInput(
        name=kw.pop("name", "钱多多"), community_id=kw.pop("community_id", reg.xinhua), **kw
    )


@pytest.mark.parametrize(
    ("kw", "field", "text"),
    [
        ({"name": "  "}, "name", "姓名不能为空"),
        ({"id_number": WANG[:17] + ("0" if WANG[17] != "0" else "1")}, "id_number", "校验位错误"),
        ({"id_number": "62020119600512001"}, "id_number", "应为 18 位"),
        ({"id_number": "620201600512001"}, "id_number", "15 位"),
        ({"id_number": make_id("620201", "19600230", "001")}, "id_number", "不是有效日期"),
        ({"id_number": WANG, "birth_date": dt.date(1960, 5, 13)}, "birth_date", "不一致"),
        ({"id_number": WANG, "gender": "女"}, "gender", "与身份证号码不符"),
        ({"phone": "12345678901"}, "phone", "手机号码"),
        ({"phone": "8000"}, "phone", "格式不正确"),
        ({"residence_kind": "TOURIST"}, "residence_kind", "户籍"),
        ({"birth_date": TODAY + dt.timedelta(days=1)}, "birth_date", "晚于今天"),
    ],
)
def test_validation_messages_name_the_field(reg, kw, field, text):
    if "id_number" in kw and kw["id_number"] == WANG:
        kw["id_number"] = make_id("620201", "19600512", "011")  # same birth date and sex, not yet registered
    with pytest.raises(ValidationError, match=text) as err:
        rs.save_resident(reg.ctx, base(reg, **kw))
    assert err.value.field == field


def test_grid_must_belong_to_the_community(reg):
    with pytest.raises(ValidationError, match="不属于新华社区") as err:
        rs.save_resident(reg.ctx, base(reg, grid_id=reg.g3))
    assert err.value.field == "grid_id"


def test_birth_date_and_gender_come_from_the_id_number(reg):
    rid = rs.save_resident(reg.ctx, base(reg, id_number=" " + make_id("620201", "19880808", "022").lower()))
    card = rs.get_resident(reg.ctx, rid)
    assert card.birth_date == dt.date(1988, 8, 8) and card.gender == "女"
    with reg.ctx.read() as s:
        r = s.get(Resident, rid)
        assert r is not None and r.name_initials == "qdd" and r.id_number.isdigit()


def test_duplicate_id_number_names_the_other_resident_masked(reg):
    with pytest.raises(ConflictError) as err:
        rs.save_resident(reg.ctx, base(reg, id_number=WANG))
    assert "王建国" in err.value.message and mask(WANG) in err.value.message and WANG not in err.value.message
    assert err.value.detail == "id_number"


def test_a_household_has_one_head(reg):
    with pytest.raises(ValidationError, match="已有户主王建国") as err:
        rs.save_resident(reg.ctx, base(reg, household_id=reg.h1, relation_to_head="户主"))
    assert err.value.field == "relation_to_head"


def test_unknown_tags_are_refused_and_the_dictionary_is_data(reg):
    with pytest.raises(ValidationError, match="不在特殊人群标签字典中"):
        rs.set_tags(reg.ctx, reg.ids["张伟"], ["外星人"])
    assert "留守老人" in rs.special_groups(reg.ctx)
    with reg.ctx.write() as uow:
        uow.session.add(DictionaryEntry(kind="SPECIAL_GROUP", code="X1", label="外星人", sort_key=1))
    assert rs.special_groups(reg.ctx) == ["外星人"]
    rs.set_tags(reg.ctx, reg.ids["张伟"], ["外星人", "外星人"])
    assert rs.get_resident(reg.ctx, reg.ids["张伟"]).tags == ("外星人",)
    # a label retired from the dictionary stays on the residents who carry it
    rs.set_tags(reg.ctx, reg.ids["王建国"], ["空巢老人", "外星人"])
    assert rs.get_resident(reg.ctx, reg.ids["王建国"]).tags == ("空巢老人", "外星人")


# ---------------------------------------------------------------- updates, locking, history


def test_update_keeps_hidden_values_and_checks_the_version(reg):
    rid = reg.ids["王建国"]
    card = rs.get_resident(reg.ctx, rid)
    data = rs.ResidentInput(
        name="王建国",
        community_id=card.community_id,
        grid_id=card.grid_id,
        gender=card.gender,
        birth_date=card.birth_date,
        household_id=card.household.id if card.household else None,
        relation_to_head=card.relation_to_head,
        notes="腿脚不便",
        id=rid,
        version=card.version,
    )
    rs.save_resident(reg.ctx, data)  # id_number/phone None: kept
    assert rs.reveal_resident(reg.ctx, rid, "核对").id_number == WANG
    after = rs.get_resident(reg.ctx, rid)
    assert after.notes == "腿脚不便" and after.version == card.version + 1 and after.tags == ("空巢老人",)
    with pytest.raises(ConflictError, match="已被其他用户修改"):
        rs.save_resident(reg.ctx, dataclasses.replace(data, notes="另一人的修改"))  # stale version
    assert rs.get_resident(reg.ctx, rid).notes == "腿脚不便"


def test_status_change_keeps_the_row_and_records_history(reg):
    rid = reg.ids["张伟"]
    rs.change_status(reg.ctx, rid, "DECEASED", dt.date(2026, 3, 1), "病故")
    with reg.ctx.read() as s:
        r = s.get(Resident, rid)
        assert r is not None and r.status == "DECEASED" and r.status_changed_on == dt.date(2026, 3, 1)
    assert "张伟" not in names(reg) and "张伟" in names(reg, status=None)
    with pytest.raises(ValidationError, match="更正原因") as err:
        rs.change_status(reg.ctx, rid, "ACTIVE", dt.date(2026, 3, 2))
    assert err.value.field == "reason"
    rs.change_status(reg.ctx, rid, "ACTIVE", dt.date(2026, 3, 2), "误登记，本人仍在册")
    history = rs.get_resident(reg.ctx, rid).history
    assert [(e.from_label, e.to_label, e.reason) for e in history] == [
        ("在册", "死亡", "病故"),
        ("死亡", "在册", "误登记，本人仍在册"),
    ]
    with reg.ctx.read() as s:
        actions = list(s.scalars(select(AuditRecord.action).where(AuditRecord.entity_id == str(rid))))
    assert actions.count("status") == 2


def test_status_change_checks(reg):
    rid = reg.ids["王建国"]
    with pytest.raises(ValidationError, match="已是“在册”"):
        rs.change_status(reg.ctx, rid, "ACTIVE", dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        rs.change_status(reg.ctx, rid, "LEFT", TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="早于出生日期"):
        rs.change_status(reg.ctx, rid, "MOVED", dt.date(1950, 1, 1))
    with pytest.raises(ValidationError, match="无效"):
        rs.change_status(reg.ctx, rid, "DELETED", dt.date(2026, 1, 1))
    with pytest.raises(ConflictError):
        rs.change_status(reg.ctx, rid, "MOVED", dt.date(2026, 1, 1), version=0)


def test_care_tier_change_needs_a_reason_and_is_dated(reg):
    rid = reg.ids["王建国"]
    with pytest.raises(ValidationError, match="原因"):
        rs.set_care_tier(reg.ctx, rid, "RED", " ")
    with pytest.raises(ValidationError, match="已是绿色"):
        rs.set_care_tier(reg.ctx, rid, "GREEN", "复核")
    rs.set_care_tier(reg.ctx, rid, "RED", "独居且突发疾病", on_date=dt.date(2026, 2, 1))
    with reg.ctx.read() as s:
        e = s.scalars(select(ResidentEvent).where(ResidentEvent.resident_id == rid)).one()
    assert (e.kind, e.from_value, e.to_value, e.on_date) == ("CARE_TIER", "GREEN", "RED", dt.date(2026, 2, 1))
    assert names(reg, care_tier="RED") == ["王建国"]


def test_care_tier_settings_are_data(reg):
    tiers = rs.care_tiers(reg.ctx)
    assert [(t.code, t.label, t.visit_days) for t in tiers][:2] == [
        ("GREEN", "绿色", 30),
        ("BLUE", "蓝色", 15),
    ]
    changed = [dataclasses.replace(t, visit_days=60, label="一般") if t.code == "GREEN" else t for t in tiers]
    rs.set_care_tiers(reg.ctx, changed)
    assert rs.care_tier_info(reg.ctx, "GREEN") == rs.CareTierInfo("GREEN", "一般", tiers[0].colour, 60)
    with pytest.raises(ValidationError, match="颜色"):
        rs.set_care_tiers(reg.ctx, [dataclasses.replace(t, colour="green") for t in tiers])
    with pytest.raises(ValidationError, match="缺少"):
        rs.set_care_tiers(reg.ctx, tiers[:3])


# ---------------------------------------------------------------- households


def test_household_card_and_address_edit(reg):
    hh = rs.get_household(reg.ctx, reg.h1)
    assert hh.head is not None and hh.head.name == "王建国"
    assert [m.relation_to_head for m in hh.members] == ["户主", "配偶", "子"]
    rs.save_household(
        reg.ctx,
        rs.HouseholdInput(
            reg.xinhua,
            reg.g1,
            estate="新华小区",
            building="3",
            unit="2",
            room="302",
            id=hh.id,
            version=hh.version,
        ),
    )
    assert rs.get_household(reg.ctx, reg.h1).address == "新华小区3号楼2单元302室"
    assert sorted(names(reg, text="302室")) == ["李秀兰", "王小明", "王建国"]
    with pytest.raises(ConflictError):
        rs.save_household(reg.ctx, rs.HouseholdInput(reg.xinhua, estate="x", id=hh.id, version=hh.version))
    with pytest.raises(ValidationError, match="住址"):
        rs.save_household(reg.ctx, rs.HouseholdInput(reg.xinhua))


def test_members_move_with_their_household(reg):
    hh = rs.get_household(reg.ctx, reg.h1)
    rs.save_household(
        reg.ctx,
        rs.HouseholdInput(
            reg.chaoyang, reg.g3, estate="朝阳小区", building="9", id=hh.id, version=hh.version
        ),
    )
    assert sorted(names(reg, community_id=reg.chaoyang)) == ["李秀兰", "欧阳娜娜", "王小明", "王建国"]
    with pytest.raises(ValidationError, match="不属于"):
        rs.save_household(reg.ctx, rs.HouseholdInput(reg.xinhua, reg.g3, estate="x"))


def test_search_households_for_a_picker(reg):
    (row,) = rs.search_households(reg.ctx, reg.xinhua, "钢城花园")
    assert row.head_name == "张伟" and row.members == 2 and row.address == "钢城花园12号楼1单元502室"
    assert rs.search_households(reg.ctx, reg.chaoyang, "钢城花园") == []
