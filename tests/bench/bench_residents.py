"""Benchmark: the resident register at street scale (钢城街道: 14 社区, 187 网格, 61,256 户, 130,590 人).

Run: ``.venv/bin/python -m tests.bench.bench_residents [--db PATH] [--keep]``. Prints a table; not pass/fail.

Measures what the user feels on the 居民 page:
* page open → first rows: the id query for the default list, the model reset and the first page fetch;
* each search keystroke: ``search_resident_ids`` + the first page of rows, for typical inputs;
* filters, a header-click sort, a card and a page fetch from the middle of the list.

The data comes from ``desktop.services.demo.generate(ctx, "street")`` when that exists and works;
otherwise this module writes 130,590 plausible residents itself with Core inserts (a few seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlalchemy as sa

STREET_RESIDENTS = 130_590
STREET_HOUSEHOLDS = 61_256
COMMUNITIES = (
    "新华", "朝阳", "建设", "胜利", "五一", "前进", "光明", "和平", "长城", "雄关", "明珠", "峪泉", "紫轩", "迎宾",
)  # fmt: skip
ESTATE_SUFFIXES = ("小区", "花园", "家园", "苑", "东区", "西区", "南苑")
SURNAMES = (
    ("王", 72), ("李", 71), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("赵", 20), ("黄", 19), ("周", 17),
    ("吴", 16), ("徐", 14), ("孙", 13), ("胡", 12), ("朱", 11), ("高", 11), ("林", 10), ("何", 10), ("郭", 10),
    ("马", 9), ("罗", 8), ("梁", 7), ("宋", 7), ("郑", 7), ("谢", 6), ("韩", 6), ("唐", 6), ("冯", 6), ("于", 5),
    ("董", 5), ("萧", 5), ("程", 5), ("曹", 5), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4), ("曾", 4),
    ("彭", 4), ("吕", 4), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 3), ("丁", 3), ("魏", 3), ("薛", 3),
    ("叶", 3), ("阎", 3), ("余", 3), ("潘", 3), ("杜", 3), ("戴", 3), ("夏", 3), ("钟", 3), ("汪", 3), ("田", 3),
    ("任", 3), ("姜", 3), ("范", 3), ("方", 3), ("石", 3), ("姚", 3), ("谭", 2), ("廖", 2), ("邹", 2), ("单", 1),
    ("欧阳", 1), ("司马", 1),
)  # fmt: skip
GIVEN = (
    "建国军华明红英伟芳秀兰玉梅丽强磊洋勇艳杰娟涛超霞平刚桂英志勇晓东海燕小龙文斌佳怡子涵浩然欣怡宇轩雨萱梓轩"
)
REGIONS = (
    ("620201", 70),
    ("620102", 8),
    ("622101", 8),
    ("620302", 4),
    ("410102", 4),
    ("510104", 3),
    ("640104", 3),
)
TAGS = (
    "独居老人",
    "空巢老人",
    "高龄老人",
    "残疾人",
    "低保户",
    "留守儿童",
    "刑满释放人员",
    "严重精神障碍患者",
)
TIERS = (("GREEN", 85), ("BLUE", 10), ("ORANGE", 4), ("RED", 1))


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def populate(
    ctx, residents: int = STREET_RESIDENTS, households: int = STREET_HOUSEHOLDS, seed: int = 7
) -> None:
    """Write a street with ``residents`` people in ``households`` households, fast (Core inserts)."""
    from db.schema.people import Household, Resident, ResidentTag
    from desktop.domain.identity import id_check_char
    from desktop.services import structure as st
    from desktop.services.residents import name_initials

    rnd = random.Random(seed)
    st.save_street(ctx, "钢城街道", district="长城区", city="嘉峪关市")
    grid_ids: list[tuple[int, int]] = []  # (community_id, grid_id)
    per_comm = [13 + (i % 3) for i in range(len(COMMUNITIES))]  # 14 communities, 187 grids
    per_comm[-1] += 187 - sum(per_comm)
    for ci, prefix in enumerate(COMMUNITIES):
        cid = st.save_community(ctx, st.CommunityInput(f"{prefix}社区", code=f"{ci + 1:02d}"))
        for gi in range(per_comm[ci]):
            gid = st.save_grid(
                ctx, st.GridInput(cid, f"GC-{ci + 1:02d}-{gi + 1:03d}", f"{prefix}{gi + 1}网格", "BASIC")
            )
            grid_ids.append((cid, gid))
    comm_of = {}
    for cid, gid in grid_ids:
        comm_of.setdefault(cid, []).append(gid)
    estates = {
        cid: [
            f"{COMMUNITIES[i]}{ESTATE_SUFFIXES[k]}"
            if k == 0
            else f"{rnd.choice(COMMUNITIES)}{ESTATE_SUFFIXES[k]}"
            for k in range(6 + i % 2)
        ]
        for i, cid in enumerate(comm_of)
    }
    surnames, sweights = _weighted(SURNAMES)
    regions, rweights = _weighted(REGIONS)
    tiers, tweights = _weighted(TIERS)
    today = ctx.today()
    engine = ctx.database.engine
    seen_ids: set[str] = set()
    hh_rows, res_rows, tag_rows = [], [], []
    rid = 0
    relations_after_head = ("配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "儿媳", "女婿")
    for h in range(1, households + 1):
        cid, gid = grid_ids[(h * len(grid_ids)) // (households + 1)]
        floating = rnd.random() < 0.12
        hh_rows.append(
            {
                "id": h,
                "community_id": cid,
                "grid_id": gid,
                "household_no": f"{h:08d}",
                "estate": rnd.choice(estates[cid]),
                "building": f"{rnd.randint(1, 30)}号楼",
                "unit": f"{rnd.randint(1, 6)}单元",
                "room": f"{rnd.randint(1, 18)}{rnd.randint(1, 4):02d}",
                "version": 1,
            }
        )
        left = residents - rid
        left_hh = households - h + 1
        size = (
            1 if left_hh == left else max(1, min(left - (left_hh - 1), round(rnd.gauss(left / left_hh, 0.9))))
        )
        surname = rnd.choices(surnames, sweights)[0]
        for m in range(size):
            rid += 1
            born = today - dt.timedelta(days=rnd.randint(1 * 365, 95 * 365))
            male = rnd.random() < 0.5
            while True:
                first17 = (
                    rnd.choices(regions, rweights)[0]
                    + born.strftime("%Y%m%d")
                    + f"{rnd.randint(0, 99):02d}"
                    + str(rnd.choice("13579" if male else "02468"))
                )
                idn = first17 + id_check_char(first17)
                if idn not in seen_ids:
                    seen_ids.add(idn)
                    break
            name = (
                surname if m == 0 or rnd.random() < 0.6 else rnd.choices(surnames, sweights)[0]
            ) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
            phone = (
                f"1{rnd.choice('3456789')}{rnd.randint(0, 999_999_999):09d}" if rnd.random() < 0.8 else None
            )
            status = "ACTIVE" if rnd.random() < 0.97 else rnd.choice(("MOVED", "LEFT", "DECEASED"))
            res_rows.append(
                {
                    "id": rid,
                    "name": name,
                    "name_initials": name_initials(name),
                    "gender": "男" if male else "女",
                    "ethnicity": "汉族"
                    if rnd.random() < 0.95
                    else rnd.choice(("回族", "藏族", "蒙古族", "满族")),
                    "id_number": idn,
                    "id_region": idn[:6],  # (set by the ORM validator; Core inserts bypass it)
                    "birth_date": born,
                    "phone": phone,
                    "phone_tail": phone[-4:] if phone else None,
                    "residence_kind": "FLOATING" if floating else "REGISTERED",
                    "community_id": cid,
                    "grid_id": gid,
                    "household_id": h,
                    "relation_to_head": "户主" if m == 0 else rnd.choice(relations_after_head),
                    "care_tier": rnd.choices(tiers, tweights)[0],
                    "status": status,
                    "status_changed_on": None
                    if status == "ACTIVE"
                    else today - dt.timedelta(days=rnd.randint(1, 900)),
                    "version": 1,
                }
            )
            if rnd.random() < 0.06:
                for tag in rnd.sample(TAGS, rnd.choice((1, 1, 2))):
                    tag_rows.append({"resident_id": rid, "tag": tag})
    with engine.begin() as conn:
        for table, rows in (
            (Household.__table__, hh_rows),
            (Resident.__table__, res_rows),
            (ResidentTag.__table__, tag_rows),
        ):
            for i in range(0, len(rows), 5000):
                conn.execute(sa.insert(table), rows[i : i + 5000])


def _try_demo(ctx) -> bool:
    try:
        from desktop.services import demo
    except ImportError:
        return False
    generate = getattr(demo, "generate", None)
    if generate is None:
        return False
    try:
        generate(ctx, "street")
    except Exception as exc:  # the demo generator is someone else's work in progress: fall back, say so
        print(
            f"demo.generate(ctx, 'street') failed ({type(exc).__name__}: {exc}); using the bench's own data"
        )
        return False
    return True


def _time(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """Median and worst wall time in ms over ``repeat`` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


KEYSTROKES = ("王", "wj", "6202", "8000", "新华", "王建", "wjg", "620201198", "新华小区3号楼")


def _service_rows(ctx) -> list[tuple[str, str, float, float, str]]:
    from desktop.services import residents as rs

    rows = []

    def measure(label: str, flt: rs.ResidentFilter, target: str) -> None:
        n = len(rs.search_resident_ids(ctx, flt))

        def step() -> None:
            ids = rs.search_resident_ids(ctx, flt)
            rs.fetch_resident_rows(ctx, ids[:200])

        med, worst = _time(step)
        rows.append((label, f"{n:,}", med, worst, target))

    measure("默认列表（在册，全部）", rs.ResidentFilter(), "< 200")
    for text in KEYSTROKES:
        measure(f"搜索 “{text}”", rs.ResidentFilter(text=text), "< 100")
    communities = rs.search_resident_ids(ctx, rs.ResidentFilter())
    first = rs.fetch_resident_rows(ctx, communities[:1])[0]
    measure("筛选：一个社区", rs.ResidentFilter(community_id=first.community_id), "< 100")
    measure("筛选：红色等级", rs.ResidentFilter(care_tier="RED"), "< 100")
    measure("筛选：标签 独居老人", rs.ResidentFilter(tag="独居老人"), "< 100")
    measure("筛选：含已迁出/死亡", rs.ResidentFilter(status=None), "< 200")
    measure("排序：姓名（拼音）", rs.ResidentFilter(sort="name"), "< 200")
    measure("排序：年龄 降序", rs.ResidentFilter(sort="age", descending=True), "< 200")
    middle = communities[len(communities) // 2 : len(communities) // 2 + 200]
    med, worst = _time(lambda: rs.fetch_resident_rows(ctx, middle))
    rows.append(("滚动：取中间一页 200 行", "200", med, worst, "< 50"))
    med, worst = _time(lambda: rs.get_resident(ctx, first.id))
    rows.append(("居民详情 get_resident", "1", med, worst, "< 50"))
    return rows


def _page_rows(ctx) -> list[tuple[str, str, float, float, str]]:
    """The real page, offscreen: from activate()/typing to the rows being in the model (thread hop included)."""
    from desktop.ui.application import create_application
    from desktop.ui.pages.residents.residents_page import ResidentsPage
    from desktop.ui.qt import QtCore

    app = create_application()  # noqa: F841  (keep the QApplication referenced while pages live)
    rows = []

    def until_shown(page: ResidentsPage) -> None:
        # wait in an event loop, as the app does: a busy processEvents() loop would hold the GIL and
        # starve the worker thread, inflating every figure
        # and no polling timer either: the model's reset (the latest result arriving) ends the wait
        if page.is_searching():
            loop = QtCore.QEventLoop()
            page.model.modelReset.connect(loop.quit)
            loop.exec()
            page.model.modelReset.disconnect(loop.quit)

    def visible_cells(page: ResidentsPage) -> None:
        m = page.model
        for r in range(min(25, m.rowCount())):
            for c in range(m.columnCount()):
                m.data(m.index(r, c))

    times = []
    n = 0
    for _ in range(5):
        page = ResidentsPage(ctx)
        page.resize(1090, 760)
        t0 = time.perf_counter()
        page.activate()
        until_shown(page)
        visible_cells(page)
        times.append((time.perf_counter() - t0) * 1000)
        n = page.model.rowCount()
        page.deleteLater()
    rows.append(
        ("页面打开 → 首屏行（含筛选项、线程往返）", f"{n:,}", statistics.median(times), max(times), "< 200")
    )
    page = ResidentsPage(ctx)
    page.activate()
    until_shown(page)
    for text in KEYSTROKES:
        times = []
        for _ in range(5):
            page.search_edit.blockSignals(True)
            page.search_edit.setText(text)
            page.search_edit.blockSignals(False)
            t0 = time.perf_counter()
            page.search_now()  # what the 150 ms debounce timer calls
            until_shown(page)
            visible_cells(page)
            times.append((time.perf_counter() - t0) * 1000)
        rows.append(
            (
                f"页面：输入 “{text}” → 显示",
                f"{page.model.rowCount():,}",
                statistics.median(times),
                max(times),
                "< 100",
            )
        )
    fetches = page.model.fetch_count
    t0 = time.perf_counter()
    m = page.model
    page.search_edit.setText("")
    page.search_now()
    until_shown(page)
    for row in range(0, m.rowCount(), max(1, m.rowCount() // 40)):  # jump through the list
        m.data(m.index(row, 0))
    rows.append((f"页面：跳转浏览 40 处（取页 {m.fetch_count - fetches + 1} 次）", f"{m.rowCount():,}",
                 (time.perf_counter() - t0) * 1000 / 40, float("nan"), "< 50"))  # fmt: skip
    page.deleteLater()
    return rows


def _print(title: str, rows: list[tuple[str, str, float, float, str]]) -> None:
    print(f"\n{title}")
    print(f"{'测量项':<40}{'结果行数':>10}{'中位 ms':>10}{'最慢 ms':>10}{'目标 ms':>10}")
    for label, n, med, worst, target in rows:
        worst_text = "" if worst != worst else f"{worst:.1f}"
        print(f"{label:<40}{n:>10}{med:>10.1f}{worst_text:>10}{target:>10}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="居民名册街道规模基准测试")
    parser.add_argument(
        "--db", type=Path, help="use (and keep) this SQLite file; generated if it has no residents"
    )
    parser.add_argument(
        "--own-data", action="store_true", help="use this module's generator, not desktop.services.demo"
    )
    args = parser.parse_args(argv)

    from desktop.core.identity import Actor
    from desktop.services import residents as rs
    from desktop.services.bootstrap import open_database

    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_residents_")
        path = Path(tmp.name) / "street.sqlite3"
        os.environ.setdefault("SHEQU_HOME", str(Path(tmp.name) / "home"))
    opened = open_database(path, actor=Actor("bench", "bench-pc"))
    ctx = opened.ctx
    source = "已有数据"
    if rs.count_residents(ctx, status=None) == 0:
        t0 = time.perf_counter()
        if not args.own_data and _try_demo(ctx):
            source = "desktop.services.demo.generate(ctx, 'street')"
        else:
            populate(ctx)
            source = "本基准自带生成器（Core 批量插入）"
        print(f"生成数据用时 {time.perf_counter() - t0:.1f} 秒")
    with ctx.read() as s:
        stats = s.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar()
    print(f"数据库：{path}（{source}；在册 {rs.count_residents(ctx):,} 人，共 {rs.count_residents(ctx, None):,} 人；"
          f"{'已' if stats else '未'} ANALYZE）")  # fmt: skip
    print(f"Python {sys.version.split()[0]}，SQLite {__import__('sqlite3').sqlite_version}")
    _print("服务层（search_resident_ids + 首页 200 行，GUI 线程外执行的部分）", _service_rows(ctx))
    _print("居民页面（offscreen，真实控件与后台线程）", _page_rows(ctx))
    ctx.database.dispose()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
