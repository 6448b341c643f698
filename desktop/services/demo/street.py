"""The street itself: communities, estates, grids and their staff, households and residents (Core bulk inserts).

Numbering and scales are described in ``desktop.services.demo``; run by its ``generate`` inside its transaction.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.base import Base
from db.schema.people import CareTier, Household, Resident, ResidentEvent, ResidentStatus, ResidentTag
from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff, Street
from desktop.services.demo import names as data
from desktop.services.demo import people
from desktop.services.demo.scales import (
    CHUNK,
    FLOATING_SHARE,
    HOUSEHOLD_SIZE_WEIGHTS,
    HOUSEHOLD_SIZES,
    INACTIVE_SHARE,
    Address,
    DemoStep,
    DemoSummary,
    Progress,
    Scale,
)


@dataclass
class _GridPlan:
    id: int
    community: int  # index into the communities
    seq: int
    kind: GridKind
    site: str | None = None  # dedicated / micro grids: the shopping area, school, village …
    addresses: list[Address] = field(default_factory=list)
    households: int = 0
    population: int = 0

    @property
    def code(self) -> str:
        return f"GC-{self.community + 1:02d}-{self.seq:03d}"


#: the grid register was built then (the residents already living here were entered over about a year)
REGISTER_BUILT = dt.date(2019, 4, 1)


class _Generator:
    def __init__(
        self,
        scale: Scale,
        rng: random.Random,
        as_of: dt.date,
        now: dt.datetime,
        report: Progress,
        registration_seed: int = 0,
    ) -> None:
        self.scale, self.rng, self.report = scale, rng, report
        self.as_of = as_of
        #: the day each resident was entered in the register, drawn apart from ``rng`` (the rest of the
        #: demo stays what the seed gave before registration dates were drawn)
        self.registration_rng = random.Random(registration_seed)
        self.people = people.PeopleFactory(rng, as_of)
        self.now = now
        inactive = round(scale.residents * INACTIVE_SHARE)
        self.rows = scale.residents + inactive
        self.inactive = inactive
        self.total = self.rows + self.rows // 20 + 1
        self.ids: dict[str, int] = {}

    def _next_ids(self, s: Session, model: type[Base], n: int) -> range:
        """Primary keys for ``n`` new rows, after the highest one in the table (nothing is read back)."""
        table = _table(model)
        start = self.ids.get(table.name)
        if start is None:
            start = (s.scalar(select(func.max(table.c.id))) or 0) + 1
        self.ids[table.name] = start + n
        return range(start, start + n)

    def _stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        row["created_at"] = row["updated_at"] = self.now
        row["version"] = 1
        return row

    def _insert(self, s: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        table = _table(model)
        for i in range(0, len(rows), CHUNK):
            s.execute(insert(table), rows[i : i + CHUNK])

    # -------------------------------------------------------- structure

    def run(self, s: Session, summary: DemoSummary) -> None:
        rng, sc = self.rng, self.scale
        tick = time.perf_counter()
        self.report(0, self.total, "正在生成街道、社区和网格…")
        street_id = self._next_ids(s, Street, 1)[0]
        self._insert(s, Street, [self._stamp({"id": street_id, **data.STREET})])
        communities = data.COMMUNITIES[: sc.communities]
        comm_ids = list(self._next_ids(s, Community, len(communities)))
        comm_rows, comm_phones = [], []
        for i, (name, road) in enumerate(communities):
            phone = f"{data.AREA_CODE}-62{rng.randrange(10_000, 100_000)}"
            comm_phones.append(phone)
            address = f"嘉峪关市长城区{road}{rng.randint(2, 260)}号"
            comm_rows.append(
                self._stamp(
                    {"id": comm_ids[i], "street_id": street_id, "name": name, "code": f"{i + 1:02d}",
                     "address": address, "phone": phone}
                )
            )  # fmt: skip
        self._insert(s, Community, comm_rows)
        grids, roads, estates = self._plan_grids(len(communities))
        grid_ids = self._next_ids(s, Grid, len(grids))
        for g, gid in zip(grids, grid_ids, strict=True):
            g.id = gid
        staff_rows = self._staff(grids, communities, comm_phones, estates)
        staff_ids = self._next_ids(s, GridStaff, len(staff_rows))
        for row, sid in zip(staff_rows, staff_ids, strict=True):
            row["id"] = sid
        summary.communities, summary.estates = len(communities), sum(len(e) for e in estates)
        summary.grids, summary.staff = len(grids), len(staff_rows)
        summary.grids_by_kind = {k.value: sum(1 for g in grids if g.kind == k) for k in GridKind}
        # population is filled in once the residents exist
        grid_rows = [self._grid_row(g, communities, roads, comm_ids) for g in grids]
        self._insert(s, Grid, grid_rows)
        self._insert(s, GridStaff, staff_rows)
        structure_rows = 1 + len(comm_rows) + len(grid_rows) + len(staff_rows)
        summary.steps.append(
            DemoStep("街道、社区、网格、网格人员", time.perf_counter() - tick, structure_rows)
        )
        self._residents(s, grids, comm_ids, summary)
        tick = time.perf_counter()
        s.execute(
            sa.update(_table(Grid))
            .where(_table(Grid).c.id == sa.bindparam("gid"))
            .values(households=sa.bindparam("hh"), population=sa.bindparam("pop")),
            [{"gid": g.id, "hh": g.households, "pop": g.population} for g in grids],
        )
        if s.get_bind().dialect.name == "postgresql":  # keys were assigned here: move the sequences on
            for model in (Street, Community, Grid, GridStaff, Household, Resident, ResidentTag, ResidentEvent):
                name = _table(model).name
                s.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
        summary.steps.append(DemoStep("网格户数、人数", time.perf_counter() - tick, len(grids)))

    def _plan_grids(self, n_comm: int) -> tuple[list[_GridPlan], list[list[str]], list[list[str]]]:
        rng, sc = self.rng, self.scale
        per_comm = _apportion(sc.grids, [rng.uniform(0.8, 1.2) for _ in range(n_comm)], minimum=6)
        dedicated = _spread(rng, sc.dedicated, n_comm)
        micro = _spread(rng, sc.micro, n_comm)
        basic = [per_comm[c] - dedicated[c] - micro[c] for c in range(n_comm)]
        estate_counts = _apportion(sc.estates, [float(b) for b in basic], minimum=2)
        pool = list(data.ESTATE_POOL)
        rng.shuffle(pool)
        sites = list(data.DEDICATED_SITES)
        rng.shuffle(sites)
        micro_sites = list(data.MICRO_SITES)
        rng.shuffle(micro_sites)
        roads: list[list[str]] = []
        estates: list[list[str]] = []
        grids: list[_GridPlan] = []
        for c in range(n_comm):
            name, main_road = data.COMMUNITIES[c]
            others = [r for r in data.ROADS if r != main_road]
            roads.append([main_road, *rng.sample(others, 7)])
            estates.append(
                [name.removesuffix("社区") + "小区"] + [pool.pop() for _ in range(estate_counts[c] - 1)]
            )
            seq = itertools.count(1)
            grids += [_GridPlan(0, c, next(seq), GridKind.BASIC) for _ in range(basic[c])]
            for _ in range(dedicated[c]):
                _kind, site, homes = (
                    sites.pop() if sites else ("商圈", f"{main_road}商圈", f"{main_road}商住楼")
                )
                grids.append(
                    _GridPlan(0, c, next(seq), GridKind.DEDICATED, site, [(homes, None, None, None)])
                )
            yard_roads = rng.sample(roads[c], len(roads[c]))
            for j in range(micro[c]):  # every other one a 城中村, the rest 私人自建大院 along a road
                site = micro_sites.pop() if j % 2 == 0 and micro_sites else f"{yard_roads.pop()}自建大院"
                grids.append(_GridPlan(0, c, next(seq), GridKind.MICRO, site))
        # households per grid: basic 300–480, dedicated and micro much smaller; basic ones fill the target
        quotas = {id(g): rng.randint(25, 110) if g.kind == GridKind.DEDICATED else rng.randint(60, 170)
                  for g in grids if g.kind != GridKind.BASIC}  # fmt: skip
        basic_grids = [g for g in grids if g.kind == GridKind.BASIC]
        basic_total = sc.households - sum(quotas.values())
        basic_quota = _apportion(basic_total, [rng.uniform(300, 480) for _ in basic_grids])
        quotas.update({id(g): q for g, q in zip(basic_grids, basic_quota, strict=True)})
        for c in range(n_comm):
            comm_basic = [g for g in basic_grids if g.community == c]
            addresses = self._estate_addresses(estates[c], sum(quotas[id(g)] for g in comm_basic))
            start = 0
            for g in comm_basic:
                g.addresses = addresses[start : start + quotas[id(g)]]
                start += quotas[id(g)]
        for g in grids:
            if g.kind == GridKind.DEDICATED:
                g.addresses = self._dedicated_addresses(g.addresses[0][0], quotas[id(g)])
            elif g.kind == GridKind.MICRO:
                g.addresses = self._micro_addresses(g.site or "", quotas[id(g)])
        return grids, roads, estates

    def _estate_addresses(self, names: list[str], n: int) -> list[Address]:
        rng = self.rng
        shares = _apportion(n, [rng.uniform(0.5, 1.6) for _ in names], minimum=1)
        out: list[Address] = []
        for estate, m in zip(names, shares, strict=True):
            units, floors = rng.choice((2, 3, 3, 4)), rng.choice((5, 6, 6, 6, 7, 11, 18))
            out += itertools.islice(self._flats(estate, units, floors, 2), m)
        return out

    def _flats(self, estate: str, units: int, floors: int, doors: int) -> Iterator[tuple[str, str, str, str]]:
        rng = self.rng
        for b in itertools.count(1):
            for u in range(1, units + 1):
                for f in range(1, floors + 1):
                    for d in range(1, doors + 1):
                        if rng.random() >= 0.06:  # about one flat in 16 stands empty
                            yield estate, f"{b}号楼", f"{u}单元", f"{f}{d:02d}"

    def _dedicated_addresses(self, homes: str, n: int) -> list[Address]:
        return list(itertools.islice(self._flats(homes, 2, 5, 2), n))

    def _micro_addresses(self, site: str, n: int) -> list[Address]:
        rng = self.rng
        out: list[Address] = []
        for yard in itertools.count(1):
            for k in range(1, rng.randint(1, 4 if site.endswith("城中村") else 10) + 1):
                out.append((site, f"{yard}号院", None, f"{k}号房"))
            if len(out) >= n:
                return out[:n]
        return out  # pragma: no cover

    def _grid_row(
        self,
        g: _GridPlan,
        communities: Sequence[tuple[str, str]],
        roads: list[list[str]],
        comm_ids: list[int],
    ) -> dict[str, Any]:
        rng = self.rng
        comm = communities[g.community][0]
        e, s_, w, n = rng.sample(roads[g.community], 4)
        four = f"东至{e}，南至{s_}，西至{w}，北至{n}"
        if g.kind == GridKind.BASIC:
            name = f"{comm}第{data.chinese_number(g.seq)}网格"
            boundary, notes = four, "覆盖：" + _coverage(g.addresses)
        elif g.kind == GridKind.DEDICATED:
            name = f"{comm}{g.site}专属网格"
            boundary, notes = f"{g.site}及周边商户、单位，{four}", f"专属网格：{g.site}"
        else:
            name = f"{comm}{g.site}微网格"
            yards = len({a[1] for a in g.addresses})
            boundary, notes = f"{g.site}片区，{four}", f"微网格：{g.site}，{yards} 个院落"
        return self._stamp(
            {"id": g.id, "community_id": comm_ids[g.community], "code": g.code, "name": name, "kind": g.kind.value,
             "boundary": boundary, "households": len(g.addresses), "population": None, "notes": notes,
             "retired_on": None, "retired_reason": None}
        )  # fmt: skip

    def _staff(
        self,
        grids: list[_GridPlan],
        communities: Sequence[tuple[str, str]],
        phones: list[str],
        estates: list[list[str]],
    ) -> list[dict[str, Any]]:
        rng, pf = self.rng, self.people
        police = [pf.adult("男", rng.randint(28, 50)) for _ in communities]
        company = {e: rng.choice(data.PROPERTY_COMPANIES) for es in estates for e in es}
        kinds = people.Pick(
            (
                ("党员", 26),
                ("楼栋长", 30),
                ("志愿者", 20),
                ("民警", 8),
                ("物业人员", 10),
                ("驻区单位人员", 4),
                ("其他", 2),
            )
        )
        rows: list[dict[str, Any]] = []

        def add(
            g: _GridPlan, role: GridRole, person: people.Person, kind: str | None, org: str, sort: int
        ) -> None:
            office = phones[g.community] if role != GridRole.HELPER else None
            rows.append(
                self._stamp(
                    {"id": 0, "grid_id": g.id, "role": role.value, "helper_kind": kind, "name": person.name,
                     "gender": person.gender, "phone": person.phone, "office_phone": office, "organisation": org,
                     "notes": None, "sort_key": sort, "retired_on": None, "retired_reason": None}
                )
            )  # fmt: skip

        for g in grids:
            comm = communities[g.community][0]
            chief_post = rng.choice(("居委会副主任", "居委会委员", "党委委员", "党委副书记"))
            add(g, GridRole.CHIEF, pf.adult("女" if rng.random() < 0.6 else "男", rng.randint(30, 55)),
                None, f"{comm}{chief_post}", 0)  # fmt: skip
            add(g, GridRole.WORKER, pf.adult("女" if rng.random() < 0.65 else "男", rng.randint(24, 45)),
                None, f"{comm}专职网格员", 1)  # fmt: skip
            for _ in range(rng.randint(2, 6)):
                kind = kinds(rng)
                estate, building = g.addresses[rng.randrange(len(g.addresses))][:2]
                if kind == "民警":
                    add(g, GridRole.HELPER, police[g.community], kind, f"{data.POLICE_STATION}社区民警", 2)
                    continue
                org = {
                    "党员": rng.choice(
                        ("退休党员", "在职党员（酒钢集团）", "在职党员（市直单位）", "社区党员")
                    ),
                    "楼栋长": f"{estate}{building}楼栋长"
                    if g.kind != GridKind.MICRO
                    else f"{estate}{building}院长",
                    "志愿者": f"{comm}志愿服务队",
                    "物业人员": company.get(estate, rng.choice(data.PROPERTY_COMPANIES)),
                    "驻区单位人员": g.site
                    or rng.choice(("酒钢集团宏兴股份公司", "国网嘉峪关供电公司", "中国移动嘉峪关分公司")),
                    "其他": "居民代表",
                }[kind]
                age = rng.randint(55, 72) if kind == "党员" and org == "退休党员" else rng.randint(25, 65)
                add(g, GridRole.HELPER, pf.adult("男" if rng.random() < 0.5 else "女", age), kind, org, 2)
        return rows

    # -------------------------------------------------------- households and residents

    def _residents(
        self, s: Session, grids: list[_GridPlan], comm_ids: list[int], summary: DemoSummary
    ) -> None:
        rng, pf = self.rng, self.people
        sizes = _household_sizes(rng, sum(len(g.addresses) for g in grids), self.rows)
        n_comm = len(comm_ids)
        by_comm = [[g for g in grids if g.community == c] for c in range(n_comm)]
        cursor = 0
        comm_sizes = []
        for c in range(n_comm):
            n_hh = sum(len(g.addresses) for g in by_comm[c])
            comm_sizes.append(sizes[cursor : cursor + n_hh])
            cursor += n_hh
        inactive = _apportion(self.inactive, [float(sum(cs)) for cs in comm_sizes])
        done = 0
        gen_seconds = insert_seconds = 0.0
        tiers = {t.value: 0 for t in CareTier}
        for c in range(n_comm):
            tick = time.perf_counter()
            self.report(done, self.total, f"正在生成居民：{data.COMMUNITIES[c][0]}…")
            families: list[tuple[_GridPlan, int, Address, list[people.Member]]] = []
            k = 0
            for g in by_comm[c]:
                for i, address in enumerate(g.addresses):
                    floating = rng.random() < FLOATING_SHARE[g.kind]
                    families.append((g, i, address, pf.family(comm_sizes[c][k], floating)))
                    k += 1
            pf.mark_inactive([m for f in families for m in f[3]], inactive[c])
            hh_ids = self._next_ids(s, Household, len(families))
            n_members = sum(len(f[3]) for f in families)
            res_ids = iter(self._next_ids(s, Resident, n_members))
            hh_rows, res_rows, tag_rows, event_rows = [], [], [], []
            for (g, i, (estate, building, unit, room), members), hid in zip(families, hh_ids, strict=True):
                hh_rows.append(
                    self._stamp(
                        {"id": hid, "community_id": comm_ids[c], "grid_id": g.id,
                         "household_no": f"{c + 1:02d}{g.seq:03d}{i + 1:04d}", "estate": estate,
                         "building": building, "unit": unit, "room": room, "notes": None}
                    )
                )  # fmt: skip
                pf.tag_household(members)
                g.households += 1
                for m in members:
                    rid = next(res_ids)
                    row = self._stamp(pf.resident_row(m, rid, comm_ids[c], g.id, hid))
                    row["created_at"] = self._registered(m)
                    res_rows.append(row)
                    tag_rows += [{"resident_id": rid, "tag": t} for t in m.tags]
                    event = pf.status_event_row(m, rid, self.now)
                    if event is not None:
                        event_rows.append(event)
                    if m.status == ResidentStatus.ACTIVE:
                        g.population += 1
                        summary.active_residents += 1
                        summary.floating_residents += m.floating
                        summary.tagged_residents += bool(m.tags)
                        tiers[m.care_tier] += 1
            for row, tid in zip(tag_rows, self._next_ids(s, ResidentTag, len(tag_rows)), strict=True):
                row["id"] = tid
            for row, eid in zip(event_rows, self._next_ids(s, ResidentEvent, len(event_rows)), strict=True):
                row["id"] = eid
            gen_seconds += time.perf_counter() - tick
            tick = time.perf_counter()
            self.report(done + len(res_rows) // 2, self.total, f"正在写入居民：{data.COMMUNITIES[c][0]}…")
            self._insert(s, Household, hh_rows)
            self._insert(s, Resident, res_rows)
            if tag_rows:
                self._insert(s, ResidentTag, tag_rows)
            if event_rows:  # every status change with its change record (迁出、离开、死亡)
                self._insert(s, ResidentEvent, event_rows)
            insert_seconds += time.perf_counter() - tick
            done += len(res_rows)
            summary.households += len(hh_rows)
            summary.residents += len(res_rows)
            summary.tags += len(tag_rows)
        summary.care_tiers = tiers
        rows = summary.households + summary.residents + summary.tags
        summary.steps.append(DemoStep("生成住户、居民、标签（Python）", gen_seconds, rows))
        summary.steps.append(DemoStep("写入住户、居民、标签（SQL）", insert_seconds, rows))
        self.report(done, self.total, "正在更新网格户数和人数…")

    def _registered(self, m: people.Member) -> dt.datetime:
        """When the resident was entered in the register (UTC): the register was begun in 2019; most residents
        were entered before the last year, a few are new this year (more of the floating population); never
        after the day they left, nor after the demo's day."""
        rng, as_of = self.registration_rng, self.as_of
        recent = rng.random() < (0.12 if m.floating else 0.025)
        first = as_of - dt.timedelta(days=365) if recent else REGISTER_BUILT
        last = as_of - dt.timedelta(days=1 if recent else 366)
        if m.status_changed_on is not None:
            last = min(last, m.status_changed_on - dt.timedelta(days=30))
            first = min(first, last)
        day = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))
        return dt.datetime.combine(day, dt.time(1 + rng.randrange(8), rng.randrange(60)))


# ---------------------------------------------------------------- helpers


def _table(model: type[Base]) -> sa.Table:
    return cast(sa.Table, model.__table__)


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each part at least ``minimum``."""
    n = len(weights)
    if n == 0:
        return []
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total too small for the minimum")
    wsum = sum(weights)
    raw = [rest * w / wsum for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(n), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def _spread(rng: random.Random, count: int, n: int) -> list[int]:
    """``count`` items over ``n`` communities as evenly as possible, the extras to random communities."""
    base, extra = divmod(count, n)
    lucky = set(rng.sample(range(n), extra))
    return [base + (1 if i in lucky else 0) for i in range(n)]


def _household_sizes(rng: random.Random, n: int, persons: int) -> list[int]:
    """``n`` household sizes (1–6) with the usual shape, nudged so they add up to exactly ``persons``."""
    if not n <= persons <= 6 * n:
        raise ValueError("cannot fit the persons into the households")
    cum = list(itertools.accumulate(HOUSEHOLD_SIZE_WEIGHTS))
    sizes = [HOUSEHOLD_SIZES[bisect.bisect(cum, rng.random() * cum[-1])] for _ in range(n)]
    diff = persons - sum(sizes)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and sizes[i] < 6:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
    return sizes


def _coverage(addresses: list[Address]) -> str:
    """ "新华小区1–12号楼、丽景苑1–3号楼" for a basic grid's flats."""
    spans: dict[str, list[int]] = {}
    for estate, building, _u, _r in addresses:
        n = int((building or "0").removesuffix("号楼") or 0)
        lo_hi = spans.setdefault(estate, [n, n])
        lo_hi[0], lo_hi[1] = min(lo_hi[0], n), max(lo_hi[1], n)
    return "、".join(f"{e}{lo}号楼" if lo == hi else f"{e}{lo}–{hi}号楼" for e, (lo, hi) in spans.items())
