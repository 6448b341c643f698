"""The structure services: grids and staff (1+1+N), validation, optimistic locking, retire-never-delete."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.structure import Community, Grid, GridStaff
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.core.identity import Actor
from desktop.services import structure as st
from desktop.services.context import ServiceContext
from tests.conftest import TODAY

# ---------------------------------------------------------------- helpers


def audit_count(ctx: ServiceContext) -> int:
    with ctx.read() as s:
        return s.scalar(select(func.count()).select_from(AuditRecord)) or 0


def row_count(ctx: ServiceContext, model: type) -> int:
    with ctx.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def grid_by_code(ctx: ServiceContext, code: str) -> st.GridRow:
    [row] = [g for g in st.list_grids(ctx, include_retired=True) if g.code == code]
    return row


def community_id(ctx: ServiceContext, name: str = "新华社区") -> int:
    return next(c.id for c in st.list_communities(ctx) if c.name == name)


@pytest.fixture
def other_ctx(street_ctx):
    """A second user on another PC, on the same database (its own engine, like a second app)."""
    from db.engine import Database

    other = ServiceContext(Database(street_ctx.database.url), Actor("李四", "pc-2"))
    yield other
    other.database.dispose()


# ---------------------------------------------------------------- grids: save and update


def test_street_fixture_lists_grids_with_staff(street_ctx) -> None:
    rows = st.list_grids(street_ctx)
    assert [r.code for r in rows] == ["GC-01-001", "GC-01-002", "GC-02-001"]
    first = rows[0]
    assert (first.chiefs, first.workers, first.helper_count) == ("王建国", "李晓梅", 1)
    assert (first.community_name, first.kind_label, first.version) == ("新华社区", "基础网格", 1)
    assert [r.kind_label for r in rows] == ["基础网格", "专属网格", "微网格"]
    assert [(c.name, c.grid_count) for c in st.list_communities(street_ctx)] == [
        ("新华社区", 2),
        ("朝阳社区", 1),
    ]


def test_new_grid_is_saved_and_listed(street_ctx) -> None:
    cid = community_id(street_ctx)
    gid = st.save_grid(
        street_ctx,
        st.GridInput(
            cid, " ＧＣ－０１－００３ ", " 新华三网格 ", "MICRO", "东至铁路\u200b", 55, 130, notes="  "
        ),
    )
    detail = st.get_grid(street_ctx, gid)
    g = detail.grid
    assert (g.code, g.name, g.kind, g.kind_label) == ("GC-01-003", "新华三网格", "MICRO", "微网格")
    assert (g.boundary, g.households, g.population) == ("东至铁路", 55, 130)
    assert detail.notes is None  # blank text is stored as NULL
    assert (g.community_name, g.version, g.retired_on) == ("新华社区", 1, None)
    assert (g.chiefs, g.workers, g.helper_count, g.registered_residents) == ("", "", 0, 0)
    assert [r.code for r in st.list_grids(street_ctx, community_id=cid)] == [
        "GC-01-001",
        "GC-01-002",
        "GC-01-003",
    ]
    assert [r.code for r in st.list_grids(street_ctx, search="铁路")] == ["GC-01-003"]


def test_update_bumps_the_version(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    st.save_grid(
        street_ctx,
        st.GridInput(
            g.community_id, g.code, "新华商圈网格", g.kind, g.boundary, 130, 320, id=g.id, version=g.version
        ),
    )
    after = grid_by_code(street_ctx, "GC-01-002")
    assert (after.name, after.households, after.population) == ("新华商圈网格", 130, 320)
    assert after.version == g.version + 1
    assert row_count(street_ctx, Grid) == 3


def test_grid_can_move_to_another_community(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    target = community_id(street_ctx, "朝阳社区")
    st.save_grid(street_ctx, st.GridInput(target, g.code, g.name, g.kind, id=g.id, version=g.version))
    assert grid_by_code(street_ctx, "GC-01-002").community_name == "朝阳社区"
    counts = {c.name: c.grid_count for c in st.list_communities(street_ctx)}
    assert counts == {"新华社区": 1, "朝阳社区": 2}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": ""}, "code", "网格编号不能为空"),
        ({"code": "  \u3000 "}, "code", "网格编号不能为空"),
        ({"code": "G" * 31}, "code", "不能超过 30 个字符"),
        ({"name": ""}, "name", "网格名称不能为空"),
        ({"name": "\xa0"}, "name", "网格名称不能为空"),
        ({"kind": "BIG"}, "kind", "网格类型“BIG”无效"),
        ({"kind": "基础网格"}, "kind", "无效"),  # labels are for the importer; the service wants the code
        ({"households": -1}, "households", "户数应为不小于 0 的整数"),
        ({"population": -5}, "population", "人数应为不小于 0 的整数"),
        ({"households": 1.5}, "households", "户数"),
        ({"population": "100"}, "population", "人数"),
    ],
)
def test_grid_validation(street_ctx, changes, field, message) -> None:
    data = st.GridInput(community_id(street_ctx), "GC-01-009", "新网格", "BASIC", None, 10, 20)
    for k, v in changes.items():
        setattr(data, k, v)
    audits = audit_count(street_ctx)
    with pytest.raises(ValidationError, match=message) as info:
        st.save_grid(street_ctx, data)
    assert info.value.field == field
    assert row_count(street_ctx, Grid) == 3 and audit_count(street_ctx) == audits


def test_zero_households_is_allowed(street_ctx) -> None:
    gid = st.save_grid(
        street_ctx, st.GridInput(community_id(street_ctx), "GC-01-010", "空网格", "BASIC", None, 0, 0)
    )
    assert st.get_grid(street_ctx, gid).grid.households == 0


def test_duplicate_grid_code_is_a_conflict(street_ctx) -> None:
    cid = community_id(street_ctx, "朝阳社区")
    audits = audit_count(street_ctx)
    with pytest.raises(ConflictError, match="网格编号“GC-01-001”已被网格“新华一网格”使用"):
        st.save_grid(street_ctx, st.GridInput(cid, "GC-01-001", "另一个网格"))
    # full-width input is the same code after normalisation
    with pytest.raises(ConflictError):
        st.save_grid(street_ctx, st.GridInput(cid, "ＧＣ-01-001", "另一个网格"))
    # renaming a grid's code onto another grid's code
    g = grid_by_code(street_ctx, "GC-01-002")
    with pytest.raises(ConflictError):
        st.save_grid(
            street_ctx, st.GridInput(g.community_id, "GC-02-001", g.name, g.kind, id=g.id, version=g.version)
        )
    assert row_count(street_ctx, Grid) == 3 and audit_count(street_ctx) == audits
    assert grid_by_code(street_ctx, "GC-01-002").version == g.version
    # a grid keeps its own code when saved again
    st.save_grid(
        street_ctx, st.GridInput(g.community_id, g.code, "新名字", g.kind, id=g.id, version=g.version)
    )


def test_a_retired_grid_keeps_its_code(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-02-001")
    st.retire_grid(street_ctx, g.id, "区划调整", version=g.version)
    with pytest.raises(ConflictError, match="朝阳一网格"):
        st.save_grid(street_ctx, st.GridInput(g.community_id, "GC-02-001", "新朝阳一网格"))


def test_grid_needs_an_existing_active_community(street_ctx) -> None:
    with pytest.raises(NotFoundError, match="社区（编号 999）不存在"):
        st.save_grid(street_ctx, st.GridInput(999, "GC-09-001", "无主网格"))
    cid = community_id(street_ctx, "朝阳社区")
    with street_ctx.write() as uow:
        c = uow.session.get(Community, cid)
        c.retired_on, c.retired_reason = dt.date(2026, 1, 1), "合并"
    with pytest.raises(ValidationError, match="朝阳社区”已撤销"):
        st.save_grid(street_ctx, st.GridInput(cid, "GC-02-009", "新网格"))
    with pytest.raises(NotFoundError, match="网格（编号 999）"):
        st.get_grid(street_ctx, 999)


# ---------------------------------------------------------------- grids: retire, never delete


def test_retire_keeps_the_row_and_hides_it(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    st.retire_grid(street_ctx, g.id, " 商圈拆迁并入一网格 ", on=dt.date(2026, 11, 1), version=g.version)

    assert row_count(street_ctx, Grid) == 3  # never deleted
    with street_ctx.read() as s:
        row = s.get(Grid, g.id)
        assert (row.retired_on, row.retired_reason) == (dt.date(2026, 11, 1), "商圈拆迁并入一网格")
        assert row.version == g.version + 1
    assert [r.code for r in st.list_grids(street_ctx)] == ["GC-01-001", "GC-02-001"]
    all_rows = st.list_grids(street_ctx, include_retired=True)
    assert [r.code for r in all_rows] == ["GC-01-001", "GC-01-002", "GC-02-001"]
    assert grid_by_code(street_ctx, "GC-01-002").retired_on == dt.date(2026, 11, 1)
    detail = st.get_grid(street_ctx, g.id)  # still readable
    assert detail.retired_reason == "商圈拆迁并入一网格"
    assert {c.name: c.grid_count for c in st.list_communities(street_ctx)}["新华社区"] == 1


def test_free_text_keeps_chinese_punctuation(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    st.retire_grid(street_ctx, g.id, "商圈拆迁，并入一网格（见街道通知）", version=g.version)
    assert st.get_grid(street_ctx, g.id).retired_reason == "商圈拆迁，并入一网格（见街道通知）"


def test_retire_defaults_to_today_and_needs_a_reason(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    audits = audit_count(street_ctx)
    with pytest.raises(ValidationError, match="请填写撤销网格的原因") as info:
        st.retire_grid(street_ctx, g.id, "  ")
    assert info.value.field == "reason" and audit_count(street_ctx) == audits
    st.retire_grid(street_ctx, g.id, "撤并")
    assert grid_by_code(street_ctx, "GC-01-002").retired_on == TODAY
    with pytest.raises(ConflictError, match=r"已于 .* 撤销"):
        st.retire_grid(street_ctx, g.id, "再撤一次")
    with pytest.raises(NotFoundError):
        st.retire_grid(street_ctx, 999, "不存在")


def test_restore_brings_a_grid_back(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    st.retire_grid(street_ctx, g.id, "撤并")
    st.restore_grid(street_ctx, g.id)
    back = grid_by_code(street_ctx, "GC-01-002")
    assert back.retired_on is None and back.version == g.version + 2
    assert st.get_grid(street_ctx, g.id).retired_reason is None
    assert "GC-01-002" in [r.code for r in st.list_grids(street_ctx)]
    audits = audit_count(street_ctx)
    st.restore_grid(street_ctx, g.id)  # already active: nothing to do, nothing recorded
    assert audit_count(street_ctx) == audits and grid_by_code(street_ctx, "GC-01-002").version == back.version


# ---------------------------------------------------------------- staff


def test_staff_is_saved_normalised_and_ordered(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    helper = st.save_staff(
        street_ctx, st.StaffInput(g.id, "HELPER", " 孙丽 ", helper_kind="志愿者", phone="+86 139 0937 0001")
    )
    worker = st.save_staff(
        street_ctx,
        st.StaffInput(g.id, "WORKER", "周强", helper_kind="党员", gender="男", office_phone="0937-6221234"),
    )
    chief = st.save_staff(
        street_ctx, st.StaffInput(g.id, "CHIEF", "吴敏", gender="女", phone="(138)09370002")
    )
    staff = st.get_grid(street_ctx, g.id).staff
    assert [m.id for m in staff] == [chief, worker, helper]  # 网格长, 专职, 兼职
    by_id = {m.id: m for m in staff}
    assert (by_id[helper].name, by_id[helper].phone, by_id[helper].helper_kind) == (
        "孙丽",
        "13909370001",
        "志愿者",
    )
    assert by_id[worker].helper_kind is None  # only 兼职网格员 have a kind
    assert by_id[worker].office_phone == "0937-6221234"
    assert (by_id[chief].role_label, by_id[chief].phone) == ("网格长", "13809370002")
    row = grid_by_code(street_ctx, "GC-01-002")
    assert (row.chiefs, row.workers, row.helper_count) == ("吴敏", "周强", 1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "手机号码：联系电话格式不正确"),
        ({"phone": "23809371234"}, "phone", "手机号码：手机号码应以 13–19 开头"),
        ({"phone": "1380937123"}, "phone", "手机号码"),
        ({"office_phone": "6221234"}, "office_phone", "办公电话"),
        ({"name": "  "}, "name", "姓名不能为空"),
        ({"role": "BOSS"}, "role", "岗位“BOSS”无效"),
        ({"gender": "M"}, "gender", "性别应为“男”或“女”"),
    ],
)
def test_staff_validation(street_ctx, changes, field, message) -> None:
    data = st.StaffInput(grid_by_code(street_ctx, "GC-01-002").id, "WORKER", "周强", phone="13909370001")
    for k, v in changes.items():
        setattr(data, k, v)
    audits = audit_count(street_ctx)
    with pytest.raises(ValidationError, match=message) as info:
        st.save_staff(street_ctx, data)
    assert info.value.field == field
    assert row_count(street_ctx, GridStaff) == 3 and audit_count(street_ctx) == audits


def test_one_active_chief_per_grid(street_ctx) -> None:
    g1 = grid_by_code(street_ctx, "GC-01-001")  # 王建国 is its 网格长
    audits = audit_count(street_ctx)
    with pytest.raises(ConflictError, match="已有网格长王建国") as info:
        st.save_staff(street_ctx, st.StaffInput(g1.id, "CHIEF", "陈刚"))
    assert info.value.detail == "role"
    # a worker promoted to chief is the same conflict
    worker = next(m for m in st.get_grid(street_ctx, g1.id).staff if m.role == "WORKER")
    with pytest.raises(ConflictError):
        st.save_staff(
            street_ctx, st.StaffInput(g1.id, "CHIEF", worker.name, id=worker.id, version=worker.version)
        )
    assert row_count(street_ctx, GridStaff) == 3 and audit_count(street_ctx) == audits
    # the chief himself can be edited; another grid can have its own chief
    chief = next(m for m in st.get_grid(street_ctx, g1.id).staff if m.role == "CHIEF")
    st.save_staff(
        street_ctx,
        st.StaffInput(g1.id, "CHIEF", chief.name, phone="13809379999", id=chief.id, version=chief.version),
    )
    st.save_staff(street_ctx, st.StaffInput(grid_by_code(street_ctx, "GC-01-002").id, "CHIEF", "陈刚"))
    # once the chief has left, the grid can get a new one
    chief = next(m for m in st.get_grid(street_ctx, g1.id).staff if m.role == "CHIEF")
    st.retire_staff(street_ctx, chief.id, "退休", version=chief.version)
    st.save_staff(street_ctx, st.StaffInput(g1.id, "CHIEF", "陈强"))
    assert grid_by_code(street_ctx, "GC-01-001").chiefs == "陈强"


def test_retired_staff_is_kept_but_hidden(street_ctx) -> None:
    g1 = grid_by_code(street_ctx, "GC-01-001")
    helper = next(m for m in st.get_grid(street_ctx, g1.id).staff if m.role == "HELPER")
    with pytest.raises(ValidationError, match="请填写调离原因"):
        st.retire_staff(street_ctx, helper.id, "")
    st.retire_staff(street_ctx, helper.id, "搬离本社区", on=dt.date(2026, 10, 8), version=helper.version)
    assert row_count(street_ctx, GridStaff) == 3
    assert helper.id not in [m.id for m in st.get_grid(street_ctx, g1.id).staff]
    [gone] = [
        m for m in st.get_grid(street_ctx, g1.id, include_retired_staff=True).staff if m.id == helper.id
    ]
    assert (gone.retired_on, gone.retired_reason) == (dt.date(2026, 10, 8), "搬离本社区")
    assert grid_by_code(street_ctx, "GC-01-001").helper_count == 0
    with pytest.raises(ConflictError, match="已于 2026-10-08 调离"):
        st.retire_staff(street_ctx, helper.id, "再调离")


def test_no_staff_for_a_retired_grid(street_ctx) -> None:
    g = grid_by_code(street_ctx, "GC-01-002")
    st.retire_grid(street_ctx, g.id, "撤并")
    with pytest.raises(ValidationError, match="已撤销，不能再配备人员"):
        st.save_staff(street_ctx, st.StaffInput(g.id, "WORKER", "周强"))
    with pytest.raises(NotFoundError, match="网格（编号 999）"):
        st.save_staff(street_ctx, st.StaffInput(999, "WORKER", "周强"))


# ---------------------------------------------------------------- street and communities


def test_street_and_community_rules(ctx) -> None:
    assert st.get_street(ctx) is None
    with pytest.raises(ValidationError, match="请先在“设置”中填写街道名称"):
        st.save_community(ctx, st.CommunityInput("新华社区"))
    with pytest.raises(ValidationError, match="街道名称不能为空"):
        st.save_street(ctx, " ")
    sid = st.save_street(ctx, "钢城街道", district="长城区")
    assert st.save_street(ctx, "钢城街道办事处", version=1) == sid  # one street: saving again updates it
    street = st.get_street(ctx)
    assert (street.name, street.district, street.version) == ("钢城街道办事处", None, 2)
    c = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    with pytest.raises(ConflictError, match="已有名为“新华社区”的社区"):
        st.save_community(ctx, st.CommunityInput("新华社区"))
    with pytest.raises(ValidationError, match="社区名称不能为空"):
        st.save_community(ctx, st.CommunityInput(""))
    st.save_community(ctx, st.CommunityInput("新华社区", code="001", id=c, version=1))
    assert [(r.name, r.code, r.version) for r in st.list_communities(ctx)] == [("新华社区", "001", 2)]


# ---------------------------------------------------------------- optimistic locking


def test_stale_grid_edit_is_refused_and_the_other_edit_survives(street_ctx, other_ctx) -> None:
    gid = grid_by_code(street_ctx, "GC-01-001").id
    mine = st.get_grid(street_ctx, gid).grid  # I open the grid (version N)
    theirs = st.get_grid(other_ctx, gid).grid  # so does someone on another PC
    assert mine.version == theirs.version

    st.save_grid(
        other_ctx,
        st.GridInput(
            theirs.community_id,
            theirs.code,
            theirs.name,
            theirs.kind,
            "他们改的四至",
            430,
            1020,
            id=gid,
            version=theirs.version,
        ),
    )  # version N+1
    audits = audit_count(street_ctx)
    with pytest.raises(ConflictError, match="已被其他用户修改，请重新打开后再编辑。您的修改尚未保存"):
        st.save_grid(
            street_ctx,
            st.GridInput(
                mine.community_id,
                mine.code,
                mine.name,
                mine.kind,
                "我改的四至",
                999,
                9999,
                id=gid,
                version=mine.version,
            ),
        )
    now = st.get_grid(street_ctx, gid).grid
    assert (now.boundary, now.households, now.version) == ("他们改的四至", 430, mine.version + 1)
    assert audit_count(street_ctx) == audits


@pytest.mark.parametrize(
    "what", ["retire_grid", "save_staff", "retire_staff", "save_community", "save_street"]
)
def test_stale_versions_are_refused_everywhere(street_ctx, what: str) -> None:
    g = grid_by_code(street_ctx, "GC-01-001")
    chief = next(m for m in st.get_grid(street_ctx, g.id).staff if m.role == "CHIEF")
    community = st.list_communities(street_ctx)[0]
    stale = {
        "retire_grid": lambda: st.retire_grid(street_ctx, g.id, "撤并", version=g.version - 1),
        "save_staff": lambda: st.save_staff(
            street_ctx, st.StaffInput(g.id, "CHIEF", "王建国", id=chief.id, version=chief.version + 1)
        ),
        "retire_staff": lambda: st.retire_staff(street_ctx, chief.id, "调走", version=chief.version + 1),
        "save_community": lambda: st.save_community(
            street_ctx, st.CommunityInput(community.name, id=community.id, version=community.version + 1)
        ),
        "save_street": lambda: st.save_street(street_ctx, "另一个街道", version=99),
    }[what]
    audits = audit_count(street_ctx)
    with pytest.raises(ConflictError, match="已被其他用户修改"):
        stale()
    assert audit_count(street_ctx) == audits


def test_a_change_between_load_and_flush_is_a_conflict(street_ctx) -> None:
    """The ORM's own version check (StaleDataError) surfaces as the same Chinese ConflictError."""
    gid = grid_by_code(street_ctx, "GC-01-001").id
    with pytest.raises(ConflictError, match="记录已被其他用户修改"), street_ctx.write() as uow:
        g = uow.session.get(Grid, gid)
        # what another writer would have done after we loaded the row
        uow.session.execute(
            sa.text("UPDATE grid SET name = '别人改的', version = version + 1 WHERE id = :id"), {"id": gid}
        )
        g.name = "我改的"
        uow.session.flush()
    assert grid_by_code(street_ctx, "GC-01-001").name == "新华一网格"  # the whole transaction rolled back
