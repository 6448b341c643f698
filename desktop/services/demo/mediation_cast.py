"""Who the parties of a demo 人民调解 case are: residents of the register chosen to fit the dispute.

A 赡养 case pits an elderly parent against children 20–40 years younger (a father's children carry his
surname); 继承 is among siblings of one surname and similar age; 婚姻 between the two spouses of a household;
抚养 between a minor child — acting through the parent of the household who is the 法定代理人 (民法典 §23, §27)
— and the other parent; neighbours live in the same estate. Every party is 18 or older on the day the case
is accepted unless it is a minor with a 法定代理人 from its own household; a few elderly parties lack full
capacity (民法典 §22, §28) and act through their spouse or child. Organisations (物业公司, 建筑公司 …) have the
same 法定代表人 in every case. Some parties are represented by a 委托代理人 (民事诉讼法 §61: 近亲属、律师、
社区推荐的公民). No ID number appears twice in a case.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.services.demo.mediation_texts import ORG_CASTS, ORGS, SCHOOLS, Org
from desktop.services.demo.people import PeopleFactory

# relation of the child to the household head → relations to head of its parents and grandparents
_PARENTS = {"子": ("户主", "配偶"), "女": ("户主", "配偶"), "孙子": ("子", "儿媳"), "孙女": ("子", "儿媳"),
            "外孙子": ("女", "女婿"), "外孙女": ("女", "女婿")}  # fmt: skip
_GRANDPARENTS = {
    "孙子": ("祖父", "祖母"),
    "孙女": ("祖父", "祖母"),
    "外孙子": ("外祖父", "外祖母"),
    "外孙女": ("外祖父", "外祖母"),
}
ORG_AGENT = "本单位工作人员"
AGENT_KINDS = (("近亲属", 45), ("律师", 25), ("社区推荐的公民", 30))


@dataclass
class Cast:
    parties: list[dict[str, Any]]
    fill: dict[str, str] = field(default_factory=dict)
    home: Any = None  # the resident whose flat and grid the case is about


def upstairs(room: str | None) -> str | None:
    """The door right above: "1201" → "1301" (floor, then a two-digit door number)."""
    if not room or len(room) < 3 or not room.isdigit():
        return None
    return f"{int(room[:-2]) + 1}{room[-2:]}"


def _years(p: Any, day: dt.date) -> int:
    """Age on ``day`` (as ``desktop.domain.identity.age_on``; every loaded resident has a birth date)."""
    b: dt.date = p.birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def _pick(items: Sequence[Any], rng: random.Random, ok: Callable[[Any], bool], tries: int = 60) -> Any:
    if not items:
        return None
    for _ in range(tries):
        x = items[rng.randrange(len(items))]
        if ok(x):
            return x
    return None


class Casting:
    """Chooses parties from the loaded residents; every random draw comes from ``rng``."""

    def __init__(self, rng: random.Random, pf: PeopleFactory, people: Iterable[Any], as_of: dt.date) -> None:
        self.rng, self.pf, self.as_of = rng, pf, as_of
        self.everyone: list[Any] = []
        self.by_comm: dict[int, list[Any]] = defaultdict(list)
        self.by_hh: dict[int, list[Any]] = defaultdict(list)
        self.by_estate: dict[tuple[int, str], list[Any]] = defaultdict(list)
        self.by_id: dict[int, Any] = {}
        self.by_flat: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        self.by_surname: dict[tuple[int, str], list[Any]] = defaultdict(list)  # community 0: the street
        for p in people:
            self.everyone.append(p)
            self.by_id[p.id] = p
            self.by_surname[(p.community_id, p.name[0])].append(p)
            self.by_surname[(0, p.name[0])].append(p)
            self.by_comm[p.community_id].append(p)
            if p.household_id:
                self.by_hh[p.household_id].append(p)
            if p.estate:
                self.by_estate[(p.community_id, p.estate)].append(p)
                self.by_flat[(p.estate, p.building, p.unit, p.room)].append(p)
        self.minors: dict[int, list[tuple[Any, Any, str]]] = defaultdict(list)  # child, guardian, relation
        self.couples: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
        for members in self.by_hh.values():
            rel = {m.relation_to_head: m for m in members}
            if "户主" in rel and "配偶" in rel:
                self.couples[rel["户主"].community_id].append((rel["户主"], rel["配偶"]))
            for m in members:
                if _years(m, as_of) < 18 and _years(m, as_of) >= 4:
                    g = self._guardian_of(m, members)
                    if g:
                        self.minors[m.community_id].append((m, *g))
        self._orgs: dict[str, tuple[str, str, str]] = {}
        self.want_frail = (
            True  # until one party lacks full capacity, 赡养 prefers a frail parent with a carer
        )
        pf.used_ids.update(p.id_number[:17] for p in self.everyone if p.id_number)

    # ------------------------------------------------------------------ people

    def _guardian_of(self, child: Any, members: list[Any]) -> tuple[Any, str] | None:
        """The child's parent in the household (else a grandparent who raises it), by relations to head."""
        parents = _PARENTS.get(child.relation_to_head or "")
        if not parents:
            return None
        found = [m for m in members if m.relation_to_head in parents and _years(m, child.birth_date) >= 18]
        if found:
            g = found[self.rng.randrange(len(found))]
            return g, "父亲" if g.gender == "男" else "母亲"
        elders = _GRANDPARENTS.get(child.relation_to_head or "")
        found = [
            m for m in members if m.relation_to_head in ("户主", "配偶") and _years(m, child.birth_date) >= 36
        ]
        if elders and found:
            g = found[self.rng.randrange(len(found))]
            return g, elders[0] if g.gender == "男" else elders[1]
        return None

    def adult(self, comm: int, day: dt.date, ok: Callable[[Any], bool] = lambda p: True, lo: int = 20,
              hi: int = 85, taken: set[int] | None = None, surname: str | None = None) -> Any:  # fmt: skip
        """A resident ``lo``–``hi`` years old on ``day`` (of the community if one fits, else of the street),
        of the given surname if one is given."""
        used = taken or set()

        def fits(p: Any) -> bool:
            return p.id not in used and lo <= _years(p, day) <= hi and ok(p)

        if surname is not None:
            near, far = self.by_surname.get((comm, surname), []), self.by_surname.get((0, surname), [])
        else:
            near, far = self.by_comm.get(comm, []), self.everyone
        return _pick(near, self.rng, fits) or _pick(far, self.rng, fits, 200)

    def person(self, p: Any, role: str, day: dt.date) -> dict[str, Any]:
        home = "".join(x for x in (p.estate, p.building, p.unit, f"{p.room}室" if p.room else None) if x)
        age = _years(p, day)
        job = "学生" if age < 18 else self.rng.choice(
            ("退休职工", "退休职工", "无业") if age >= 60 else ("个体经营", "企业职工", "自由职业", "务工", "企业职工")
        )  # fmt: skip
        return {"role": role, "kind": "PERSON", "name": p.name, "gender": p.gender, "ethnicity": p.ethnicity,
                "birth_date": p.birth_date, "age": None, "occupation": job, "phone": p.phone,
                "address": f"嘉峪关市长城区{home}" if home else "嘉峪关市长城区", "id_number": p.id_number,
                "legal_rep": None, "legal_rep_title": None, "resident_id": p.id, **_NO_AGENT, **_NO_GUARDIAN}  # fmt: skip

    def org(self, kind: str, role: str) -> dict[str, Any]:
        org: Org = self.rng.choice(ORGS[kind])
        if org.name not in self._orgs:  # one 法定代表人 per company, in every case
            g = "男" if self.rng.random() < 0.75 else "女"
            rep = self.pf.adult(g, self.rng.randint(38, 58))
            self._orgs[org.name] = (
                rep.name,
                self.rng.choice(org.titles),
                f"0937-62{self.rng.randrange(10_000, 100_000)}",
            )
        rep_name, title, phone = self._orgs[org.name]
        return {"role": role, "kind": "ORGANISATION", "name": org.name, "gender": None, "ethnicity": None,
                "birth_date": None, "age": None, "occupation": None, "phone": phone, "address": org.address,
                "id_number": None, "legal_rep": rep_name, "legal_rep_title": title, "resident_id": None,
                **_NO_AGENT, **_NO_GUARDIAN}  # fmt: skip

    def _stranger(self, lo: int, hi: int) -> tuple[str, str, str, str]:
        """Someone not in the register: name, gender, ID number, phone."""
        g = "男" if self.rng.random() < 0.6 else "女"
        age = self.rng.randint(lo, hi)
        p = self.pf.adult(g, age)
        return p.name, g, self.pf.id_number("620201", self.pf.birth(age), g), p.phone or self.pf.phone()

    # ------------------------------------------------------------------ casts

    def cast(self, kind: str, comm: int, day: dt.date, three: bool) -> Cast | None:
        """The parties of a case of the cast ``kind``; None when the register has no family that fits
        (family casts never fall back on strangers: the caller then draws another dispute)."""
        if kind in ORG_CASTS:
            return self._cast_org(kind, comm, day)
        make = getattr(self, f"_cast_{kind}")
        for _ in range(4):
            out: Cast | None = make(comm, day, three)
            if out is not None and len({p["name"] for p in out.parties}) == len(out.parties):
                return out  # two parties of one name would confuse every paper of the case
        out = self._cast_any(comm, day, three) if kind in ("neighbours", "victim") else None
        return out if out is not None and len({p["name"] for p in out.parties}) == len(out.parties) else None

    def _cast_any(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        a = self.adult(comm, day)
        if a is None:
            return None
        b = self.adult(comm, day, lambda p: p.household_id != a.household_id, taken={a.id})
        if b is None:
            return None
        people = [(a, "APPLICANT"), (b, "RESPONDENT")]
        if three:
            c = self.adult(
                comm,
                day,
                lambda p: p.household_id not in (a.household_id, b.household_id),
                taken={a.id, b.id},
            )
            if c is not None:
                people.append((c, "RESPONDENT"))
        return Cast([self.person(p, r, day) for p, r in people], home=a)

    def _cast_victim(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        if self.rng.random() < 0.3:  # a child was hurt: the parent acts for it
            found = _pick(self.minors.get(comm, []), self.rng, lambda m: _years(m[0], day) >= 6)
            if found:
                child, g, rel = found
                b = self.adult(comm, day, lambda p: p.household_id != child.household_id, lo=22, hi=70)
                if b is not None:
                    out = Cast(
                        [self.person(child, "APPLICANT", day), self.person(b, "RESPONDENT", day)], home=child
                    )
                    self._guard(out.parties[0], g, rel)
                    return out
        return self._cast_any(comm, day, three)

    def _cast_neighbours(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        a = self.adult(comm, day, lambda p: bool(p.estate and p.building))
        if a is None:
            return None
        near = self.by_estate.get((a.community_id, a.estate), [])
        same = [p for p in near if p.building == a.building and p.household_id != a.household_id]
        people = [a]
        for _ in range(3 if three else 2):
            pool = same if same and self.rng.random() < 0.7 else near
            hh = {p.household_id for p in people}

            def apart(p: Any, hh: set[Any] = hh) -> bool:
                return p.household_id not in hh and 20 <= _years(p, day) <= 85

            n = _pick(pool, self.rng, apart)
            if n is not None:
                people.append(n)
            if len(people) == (3 if three else 2):
                break
        if len(people) < 2:
            return self._cast_any(comm, day, three)
        roles = ["APPLICANT"] + ["RESPONDENT"] * (len(people) - 1)
        return Cast([self.person(p, r, day) for p, r in zip(people, roles, strict=True)], home=a)

    def _cast_upstairs(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        """The applicant and the neighbour in the flat right above (a leak, noise through the ceiling)."""

        def below(p: Any) -> bool:
            return bool(p.room and self.by_flat.get((p.estate, p.building, p.unit, upstairs(p.room))))

        a = self.adult(comm, day, below)
        if a is None:
            return None
        above = self.by_flat[(a.estate, a.building, a.unit, upstairs(a.room))]
        b = _pick(above, self.rng, lambda p: 20 <= _years(p, day) <= 85)
        if b is None:
            return None
        return Cast([self.person(a, "APPLICANT", day), self.person(b, "RESPONDENT", day)], home=a)

    def _cast_elder_children(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        a = (
            self.adult(comm, day, lambda p: self._carer(p, day, set()) is not None, lo=72)
            if self.want_frail
            else None
        )
        a = a or self.adult(comm, day, lo=62, hi=92)
        if a is None:
            return None
        kids: list[Any] = []
        for _ in range(2 if three else 1):
            taken = {a.id, *(k.id for k in kids)}
            first = kids[0] if kids else None

            def child(p: Any, first: Any = first) -> bool:
                gap = _years(a, day) - _years(p, day)
                return 20 <= gap <= 40 and (first is None or abs(_years(p, day) - _years(first, day)) <= 14)

            # a father's children carry his surname, and the second child the first one's
            name = a.name[0] if first is None else first.name[0]
            k = (
                self.adult(comm, day, child, lo=25, taken=taken, surname=name)
                if a.gender == "男" or kids
                else None
            )
            k = k or self.adult(comm, day, child, lo=25, taken=taken)
            if k is not None:
                kids.append(k)
        if not kids:
            return None
        out = Cast(
            [self.person(a, "APPLICANT", day)] + [self.person(k, "RESPONDENT", day) for k in kids], home=a
        )
        k = kids[0]
        brel = "儿子" if k.gender == "男" else "女儿"
        kids_named = f"{brel}{k.name}" if len(kids) == 1 else "子女" + "、".join(x.name for x in kids)
        out.fill = {"brel": brel, "kids": kids_named, "arel": "父亲" if a.gender == "男" else "母亲",
                    "age_a": str(_years(a, day))}  # fmt: skip
        return out

    def _cast_minor_parent(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        found = _pick(self.minors.get(comm, []), self.rng, lambda m: m[2] in ("父亲", "母亲"))
        if found is None:
            return None
        child, g, rel = found
        other = "女" if g.gender == "男" else "男"

        def parent(p: Any) -> bool:
            return (p.gender == other and p.household_id != child.household_id and abs(_years(p, day) - _years(g, day)) <= 6
                    and _years(p, day) - _years(child, day) >= 20)  # fmt: skip

        # the child carries its father's surname
        b = self.adult(comm, day, parent, surname=child.name[0]) if other == "男" else None
        b = b or self.adult(comm, day, parent)
        if b is None:
            return None
        out = Cast([self.person(child, "APPLICANT", day), self.person(b, "RESPONDENT", day)], home=child)
        self._guard(out.parties[0], g, rel)
        years = _years(child, day)
        level = "幼儿园" if years < 6 else "小学" if years < 12 else "初中" if years < 15 else "高中"
        school = self.rng.choice(SCHOOLS[level])
        out.fill = {
            "g": g.name,
            "grel": rel,
            "brel": "父亲" if b.gender == "男" else "母亲",
            "school": school,
        }
        return out

    def _cast_siblings(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        a = self.adult(comm, day, lo=38, hi=66)
        if a is None:
            return None
        people = [a]
        for _ in range(2 if three else 1):
            taken = {p.id for p in people}
            hh = {p.household_id for p in people}

            def sibling(p: Any, hh: set[Any] = hh) -> bool:
                return p.household_id not in hh and abs(_years(p, day) - _years(a, day)) <= 12

            s = self.adult(comm, day, sibling, lo=34, hi=70, taken=taken, surname=a.name[0])
            if s is not None:
                people.append(s)
        if len(people) < 2:
            return None
        oldest = max(_years(p, day) for p in people)
        dead = a.name[0] + self.pf.given_name("男", day.year - oldest - self.rng.randint(24, 32))
        roles = ["APPLICANT"] + ["RESPONDENT"] * (len(people) - 1)
        out = Cast([self.person(p, r, day) for p, r in zip(people, roles, strict=True)], home=a)
        out.fill = {"dead": dead}
        return out

    def _cast_couple(self, comm: int, day: dt.date, three: bool) -> Cast | None:
        pair = _pick(
            self.couples.get(comm, []),
            self.rng,
            lambda c: 22 <= min(_years(c[0], day), _years(c[1], day)) <= 70,
        )
        if pair is None:
            return None
        a, b = pair if self.rng.random() < 0.5 else pair[::-1]
        out = Cast([self.person(a, "APPLICANT", day), self.person(b, "RESPONDENT", day)], home=a)
        young = min(_years(a, day), _years(b, day))
        out.fill = {"married": f"{day.year - self.rng.randint(2, max(2, young - 21))}年"}
        return out

    def _cast_org(self, kind: str, comm: int, day: dt.date) -> Cast | None:
        hi = 58 if kind == "worker_vs_org" else 80
        p = self.adult(
            comm, day, lambda x: kind != "worker_vs_org" or x.gender == "男" or self.rng.random() < 0.2, hi=hi
        )
        if p is None:
            return None
        org = self.org(ORG_CASTS[kind], "APPLICANT" if kind == "org_vs_owner" else "RESPONDENT")
        if kind == "org_vs_owner":
            return Cast([org, self.person(p, "RESPONDENT", day)], home=p)
        worker = self.person(p, "APPLICANT", day)
        if kind == "worker_vs_org":
            worker["occupation"] = self.rng.choice(("建筑工人", "务工人员", "木工", "钢筋工"))
        return Cast([worker, org], home=p)

    # ------------------------------------------------------------------ representation

    def _guard(self, party: dict[str, Any], g: Any, relation: str) -> None:
        party.update(guardian_name=g.name, guardian_relation=relation, guardian_id_number=g.id_number,
                     guardian_phone=g.phone or self.pf.phone())  # fmt: skip

    def incapacitate(self, party: dict[str, Any], day: dt.date, parties: list[dict[str, Any]]) -> bool:
        """An elderly party who lacks full capacity, with the spouse or a grown child of the household as guardian."""
        me = self.by_id.get(party.get("resident_id") or 0)
        if me is None or _years(me, day) < 72 or party["guardian_name"]:
            return False
        found = self._carer(me, day, {p["resident_id"] for p in parties})
        if found is None:
            return False
        party["lacks_capacity"] = True
        party["occupation"] = "无"
        self._guard(party, *found)
        return True

    def _carer(self, me: Any, day: dt.date, in_case: set[Any]) -> tuple[Any, str] | None:
        """The spouse or a grown child living with ``me`` who would be the guardian (民法典 §28)."""
        for m in self.by_hh.get(me.household_id, []):
            if m.id in in_case or m.id == me.id or _years(m, day) < 25:
                continue
            if {m.relation_to_head, me.relation_to_head} == {"户主", "配偶"}:
                return m, "配偶"
            if (me.relation_to_head in ("父亲", "母亲") and m.relation_to_head == "户主") or (
                me.relation_to_head in ("户主", "配偶") and m.relation_to_head in ("子", "女")
            ):
                return m, "儿子" if m.gender == "男" else "女儿"
        return None

    def represent(self, party: dict[str, Any], taken: set[str]) -> None:
        """Give the party a 委托代理人: a close relative from its household, a lawyer or a recommended citizen."""
        rng = self.rng
        if party["kind"] == "ORGANISATION":
            name, _g, idn, phone = self._stranger(25, 50)
            relation = ORG_AGENT
        else:
            relation = rng.choices([k for k, _w in AGENT_KINDS], [w for _k, w in AGENT_KINDS])[0]
            me = party.get("resident_id")
            kin = [
                m
                for m in self._household_of(me)
                if m.id != me and m.id_number not in taken and _years(m, self.as_of) >= 20
            ]
            if relation == "近亲属" and kin:
                k = kin[rng.randrange(len(kin))]
                name, idn, phone = k.name, k.id_number, k.phone or self.pf.phone()
            else:
                relation = "律师" if relation == "近亲属" else relation
                name, _g, idn, phone = self._stranger(28, 60)
        if idn in taken:
            return
        taken.add(idn)
        party.update(agent=name, agent_relation=relation, agent_id_number=idn, agent_phone=phone)

    def _household_of(self, rid: int | None) -> list[Any]:
        me = self.by_id.get(rid or 0)
        return self.by_hh.get(me.household_id, []) if me is not None and me.household_id else []


_NO_AGENT = {"agent": None, "agent_relation": None, "agent_id_number": None, "agent_phone": None}
_NO_GUARDIAN = {"lacks_capacity": False, "guardian_name": None, "guardian_relation": None,
                "guardian_id_number": None, "guardian_phone": None}  # fmt: skip
