"""The demo's people: households of consistent residents (names, ages, ID numbers, phones, tags)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypinyin import Style, lazy_pinyin

from desktop.domain.identity import id_check_char
from desktop.services.demo.names import (
    DISABILITY_KINDS,
    DISABILITY_LEVELS,
    ETHNIC_REGIONS,
    ETHNICITY_WEIGHTS,
    GANSU_REGIONS,
    GIVEN_NAMES,
    HUI_SURNAMES,
    LOCAL_REGIONS,
    MOBILE_PREFIXES,
    MONGOLIAN_NAMES,
    MOVED_NOTES,
    NAME_CHARS,
    OTHER_REGIONS,
    PERSON_TAGS,
    SURNAME_INITIALS,
    SURNAMES,
    TAG_TIERS,
    TIBETAN_NAMES,
    TIER_RANK,
    UYGHUR_NAMES,
)

GRANDCHILDREN = ("孙子", "孙女", "外孙子", "外孙女")
STATUS_REASONS = {"DECEASED": "死亡注销", "LEFT": "离开本街道，不再居住"}
MIDDLE_GENERATION = ("子", "女", "儿媳", "女婿")


class Pick:
    """A weighted choice over ``(item, weight)`` pairs, drawn with one ``rng.random()``."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(itertools.accumulate(p[1] for p in pairs))

    def __call__(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(slots=True)
class Person:
    name: str
    gender: str
    phone: str | None


@dataclass(slots=True)
class Member:
    """One member of a generated household; ``line`` is the family line the surname comes from."""

    relation: str
    gender: str
    age: int
    line: int
    floating: bool = False
    ethnicity: str = "汉族"
    region: str = ""
    name: str = ""
    initials: str = ""
    birth: dt.date = dt.date.min
    status: str = "ACTIVE"
    status_changed_on: dt.date | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    care_tier: str = "GREEN"


_INITIALS: dict[str, str] = {}


def char_initial(ch: str) -> str:
    """First letter of a character's pinyin (cached: pypinyin is slow per call, names repeat)."""
    v = _INITIALS.get(ch)
    if v is None:
        if ch.isascii():
            v = ch.lower() if ch.isalnum() else ""
        else:
            letters = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
            v = letters[0][:1].lower() if letters and letters[0] else ""
        _INITIALS[ch] = v
    return v


def name_initials(surname: str, given: str) -> str:
    """王 + 建国 → "wjg"; surnames read their surname way (曾 zeng, 单 shan)."""
    head = "".join(SURNAME_INITIALS.get(c) or char_initial(c) for c in surname)
    return head + "".join(char_initial(c) for c in given)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class PeopleFactory:
    """Households of consistent people; every random draw comes from the one ``rng``."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng, self.as_of = rng, as_of
        self.surname, self.hui_surname = Pick(SURNAMES), Pick(HUI_SURNAMES)
        self.ethnicity = Pick(ETHNICITY_WEIGHTS)
        self.local, self.gansu, self.other = Pick(LOCAL_REGIONS), Pick(GANSU_REGIONS), Pick(OTHER_REGIONS)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self._spans: dict[int, tuple[int, int]] = {}

    # -------------------------------------------------------- single values

    def birth(self, age: int) -> dt.date:
        """A birth date for someone exactly ``age`` years old on ``as_of``."""
        span = self._spans.get(age)
        if span is None:
            hi = _years_before(self.as_of, age).toordinal()
            span = self._spans[age] = (_years_before(self.as_of, age + 1).toordinal() + 1, hi)
        return dt.date.fromordinal(self.rng.randint(*span))

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        """18 characters: region, birth date, sequence (odd for men), GB 11643 check character; unique."""
        base = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        parity = 1 if gender == "男" else 2
        while True:
            first17 = f"{base}{self.rng.randrange(499) * 2 + parity:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + id_check_char(first17)

    def phone(self) -> str:
        rng = self.rng
        while True:
            prefix = MOBILE_PREFIXES[rng.randrange(len(MOBILE_PREFIXES))]
            if rng.random() < 0.35:  # older numbers carry the local segment, e.g. 138 0937 xxxx
                number = f"{prefix}0937{rng.randrange(10_000):04d}"
            else:
                number = f"{prefix}{rng.randrange(100_000_000):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def given_name(self, gender: str, year: int) -> str:
        rng = self.rng
        cohort = "old" if year < 1960 else "mid" if year < 1985 else "young" if year < 2005 else "kid"
        if rng.random() < 0.7 or cohort == "kid":
            pool = GIVEN_NAMES[(cohort, gender)]
            return pool[rng.randrange(len(pool))]
        first, second = NAME_CHARS[gender]
        return first[rng.randrange(len(first))] + second[rng.randrange(len(second))]

    def adult(self, gender: str, age: int) -> Person:
        """A grid worker or helper: a Han name and a mobile phone."""
        surname = self.surname(self.rng)
        return Person(surname + self.given_name(gender, self.as_of.year - age), gender, self.phone())

    def _region(self, floating: bool, ethnicity: str) -> str:
        rng = self.rng
        r = rng.random()
        if not floating and r < 0.78:
            return self.local(rng)
        if ethnicity in ETHNIC_REGIONS and rng.random() < 0.7:
            choices = ETHNIC_REGIONS[ethnicity]
            return choices[rng.randrange(len(choices))]
        gansu_share = 0.64 if not floating else 0.6  # of the people not registered here from birth
        return self.gansu(rng) if rng.random() < gansu_share else self.other(rng)

    # -------------------------------------------------------- households

    def family(self, size: int, floating: bool) -> list[Member]:
        """A household of ``size`` people: relations, ages, ethnicity, names, birthplaces, birth dates."""
        rng = self.rng
        members = self._compose(size, floating)
        ethnicity = self.ethnicity(rng)
        origin = self._region(floating, ethnicity)
        surnames: dict[int, str] = {}
        spouse_ethnicity = ethnicity if rng.random() < 0.9 else self.ethnicity(rng)
        for m in members:
            m.floating = floating
            if m.relation in ("配偶", "岳父", "岳母", "公公", "婆婆"):
                m.ethnicity = spouse_ethnicity
            elif m.relation in ("儿媳", "女婿") and rng.random() < 0.1:
                m.ethnicity = self.ethnicity(rng)
            else:
                m.ethnicity = ethnicity
            m.birth = self.birth(m.age)
            if m.age < 18:
                m.region = origin if floating else self.local(rng)
            else:
                m.region = origin if rng.random() < 0.6 else self._region(floating, m.ethnicity)
            if m.line not in surnames:
                hui = m.ethnicity in ("回族", "东乡族")
                surnames[m.line] = (self.hui_surname if hui else self.surname)(rng)
            self._name(m, surnames[m.line])
        return members

    def _name(self, m: Member, surname: str) -> None:
        rng, gender = self.rng, m.gender
        given = ""
        if m.ethnicity == "藏族" and rng.random() < 0.85:
            surname, given = "", TIBETAN_NAMES[gender][rng.randrange(len(TIBETAN_NAMES[gender]))]
        elif m.ethnicity == "蒙古族" and rng.random() < 0.4:
            surname, given = "", MONGOLIAN_NAMES[gender][rng.randrange(len(MONGOLIAN_NAMES[gender]))]
        elif m.ethnicity in ("维吾尔族", "哈萨克族"):
            own, father = UYGHUR_NAMES[gender], UYGHUR_NAMES["男"]
            surname, given = "", f"{own[rng.randrange(len(own))]}·{father[rng.randrange(len(father))]}"
        if not given:
            given = self.given_name(gender, m.birth.year)
        m.name, m.initials = surname + given, name_initials(surname, given)

    def _compose(self, size: int, floating: bool) -> list[Member]:
        rng = self.rng
        r = rng.random()
        if size == 1:
            return [self._single(floating)]
        if size == 2:
            if r < 0.50:
                return self._couple(self._couple_age(floating))[0]
            if r < 0.72:
                return self._single_parent(1)
            if r < 0.88 and not floating:
                return self._with_parents(0, 1, married=False)
            if r < 0.9 and not floating:
                return self._skip_generation(1, 1)
            return self._siblings()
        if size == 3:
            if r < 0.78:
                return self._couple_with_kids(1)
            if r < 0.88:
                return self._with_parents(0, 1)
            if r < 0.975 or floating:
                return self._single_parent(2)
            return self._skip_generation(2, 1)
        if size == 4:
            if r < 0.50:
                return self._couple_with_kids(2)
            if r < 0.82:
                return self._with_parents(1, 1)
            return self._three_generations(0)
        if size == 5:
            if r < 0.42:
                return self._with_parents(1, 2)
            if r < 0.88:
                return self._three_generations(1)
            return self._couple_with_kids(3)
        if r < 0.55:
            return self._three_generations(2)
        return self._with_parents(2, 2)

    def _gender(self, p_male: float = 0.515) -> str:
        return "男" if self.rng.random() < p_male else "女"

    def _elder_age(self, mode: float = 12) -> int:
        return 60 + int(self.rng.triangular(0, 34, mode))

    def _single(self, floating: bool) -> Member:
        rng = self.rng
        if not floating and rng.random() < 0.2:
            return Member("户主", self._gender(0.38), self._elder_age(), 0)
        return Member("户主", self._gender(0.62), 18 + int(rng.triangular(0, 44, 8)), 0)

    def _couple_age(self, floating: bool) -> int:
        r = self.rng.random()
        if r < 0.45 and not floating:
            return self._elder_age(6)
        return self.rng.randint(22, 35) if r < 0.75 else self.rng.randint(45, 59)

    def _couple(self, head_age: int) -> tuple[list[Member], int, int]:
        """Head and spouse; returns them, the children's surname line and the mother's age."""
        rng = self.rng
        male_head = rng.random() < 0.85
        gap = rng.randint(-2, 5)  # the husband is usually a little older
        spouse_age = max(20, head_age - gap if male_head else head_age + gap)
        head = Member("户主", "男" if male_head else "女", head_age, 0)
        spouse = Member("配偶", "女" if male_head else "男", min(spouse_age, 99), 1)
        return [head, spouse], (0 if male_head else 1), (spouse.age if male_head else head_age)

    def _kids(
        self, n: int, mother_age: int, line: int, son: str = "子", daughter: str = "女"
    ) -> list[Member]:
        rng = self.rng
        age = mother_age - rng.randint(22, 33)
        if age > 32:  # grown-up children who still live at home
            age = rng.randint(16, 32)
        if age < 0:
            age = rng.randint(0, max(0, mother_age - 21))
        kids = []
        for _ in range(n):
            gender = self._gender()
            kids.append(Member(son if gender == "男" else daughter, gender, age, line))
            age = max(0, age - rng.randint(2, 7))
        return kids

    def _couple_with_kids(self, n: int) -> list[Member]:
        couple, line, mother_age = self._couple(24 + int(self.rng.triangular(0, 36, 14)))
        return couple + self._kids(n, mother_age, line)

    def _single_parent(self, n: int) -> list[Member]:
        rng = self.rng
        parent = Member("户主", self._gender(0.28), 26 + int(rng.triangular(0, 36, 12)), 0)
        line = 0 if parent.gender == "男" or rng.random() < 0.3 else 2
        return [parent, *self._kids(n, parent.age, line)]

    def _parents_of(self, base_age: int, n: int, head_male: bool, in_law: bool, line: int) -> list[Member]:
        rng = self.rng
        father_rel, mother_rel = ("父亲", "母亲")
        if in_law:
            father_rel, mother_rel = ("岳父", "岳母") if head_male else ("公公", "婆婆")
        father_age = min(99, base_age + rng.randint(24, 34))
        mother_age = max(base_age + 20, father_age - rng.randint(0, 5))
        if n == 2:
            return [
                Member(father_rel, "男", father_age, line),
                Member(mother_rel, "女", mother_age, line + 10),
            ]
        if rng.random() < 0.7:  # widowed mothers outnumber widowed fathers
            return [Member(mother_rel, "女", mother_age, line + 10)]
        return [Member(father_rel, "男", father_age, line)]

    def _with_parents(self, kids: int, parents: int, married: bool = True) -> list[Member]:
        rng = self.rng
        head_age = rng.randint(28, 58)
        if not married:
            head = Member("户主", self._gender(0.55), rng.randint(25, 55), 0)
            return [head, *self._parents_of(head.age, parents, head.gender == "男", False, 0)]
        couple, line, mother_age = self._couple(head_age)
        head, spouse = couple
        in_law = rng.random() < 0.3
        base = spouse.age if in_law else head.age
        elders = self._parents_of(base, parents, head.gender == "男", in_law, 1 if in_law else 0)
        return couple + self._kids(kids, mother_age, line) + elders

    def _skip_generation(self, grandparents: int, grandkids: int) -> list[Member]:
        """Grandparents raising grandchildren whose parents work elsewhere (留守)."""
        rng = self.rng
        age = rng.randint(55, 78)
        if grandparents == 2:
            members, line, _ = self._couple(age)
        else:
            head = Member("户主", self._gender(0.4), age, 0)
            members, line = [head], (0 if head.gender == "男" else 3)
        via_daughter = rng.random() < 0.3
        if via_daughter:
            line = 4
        for _ in range(grandkids):
            gender = self._gender()
            rel = (
                ("外孙子" if gender == "男" else "外孙女")
                if via_daughter
                else ("孙子" if gender == "男" else "孙女")
            )
            members.append(Member(rel, gender, rng.randint(3, 15), line))
        return members

    def _three_generations(self, grandkids: int) -> list[Member]:
        rng = self.rng
        couple, line, mother_age = self._couple(rng.randint(52, 78))
        child_age = max(22, min(45, mother_age - rng.randint(22, 32)))
        if rng.random() < 0.8:  # a married son stays with his parents, more rarely a daughter
            child, partner = Member("子", "男", child_age, line), Member("儿媳", "女", 0, 5)
            partner.age = max(20, child_age - rng.randint(-2, 4))
            young_mother, kid_line, names = partner.age, line, ("孙子", "孙女")
        else:
            child, partner = Member("女", "女", child_age, line), Member("女婿", "男", 0, 6)
            partner.age = child_age + rng.randint(-2, 4)
            young_mother, kid_line, names = child_age, 6, ("外孙子", "外孙女")
        return [*couple, child, partner, *self._kids(grandkids, young_mother, kid_line, *names)]

    def _siblings(self) -> list[Member]:
        rng = self.rng
        head = Member("户主", self._gender(), rng.randint(20, 50), 0)
        gender = self._gender()
        age = max(16, head.age + rng.choice((-1, 1)) * rng.randint(1, 6))
        return [head, Member("兄弟" if gender == "男" else "姐妹", gender, age, 0)]

    # -------------------------------------------------------- status, tags, tiers

    def mark_inactive(self, members: list[Member], n: int) -> None:
        """Mark ``n`` members (never a head of household) as deceased, moved out or left."""
        rng = self.rng
        others = [m for m in members if m.relation != "户主"]
        pools = (
            ("DECEASED", [m for m in others if m.age >= 68], round(n * 0.35)),
            ("LEFT", [m for m in others if m.floating and m.age >= 16], round(n * 0.2)),
            ("MOVED", [m for m in others if not m.floating and 18 <= m.age <= 40], n),
        )
        left = n
        for status, pool, want in pools:
            free = [m for m in pool if m.status == "ACTIVE"]
            for m in rng.sample(free, min(want, left, len(free))):
                self._retire(m, status)
                left -= 1
        if left:  # very small scales: anyone who is not a head
            free = [m for m in others if m.status == "ACTIVE"]
            for m in rng.sample(free, min(left, len(free))):
                self._retire(m, "MOVED")

    def _retire(self, m: Member, status: str) -> None:
        m.status = status
        m.status_changed_on = self.as_of - dt.timedelta(days=self.rng.randint(7, 720))
        if status == "MOVED":
            m.notes = MOVED_NOTES[self.rng.randrange(len(MOVED_NOTES))]

    def tag_household(self, members: list[Member]) -> None:
        rng = self.rng
        active = [m for m in members if m.status == "ACTIVE"]
        if not active:
            return
        if len(active) == 1 and active[0].age >= 60:
            active[0].tags.append("独居老人")
        elif len(active) > 1 and all(m.age >= 60 for m in active) and rng.random() < 0.7:
            for m in active:
                m.tags.append("空巢老人")
        left_behind = any(m.relation in GRANDCHILDREN for m in active) and not any(
            m.relation in MIDDLE_GENERATION for m in active
        )
        for m in active:
            self._person_tags(m, left_behind)
        registered = not active[0].floating
        needy = any("残疾人" in m.tags or "独居老人" in m.tags for m in active)
        poor = registered and rng.random() < (0.05 if needy else 0.01)
        for m in active:
            if poor:
                m.tags.append("低保户")
                if "独居老人" in m.tags and m.age >= 70 and rng.random() < 0.3:
                    m.tags.append("特困供养人员")
            if m.age < 18 and rng.random() < (0.12 if poor else 0.0008):
                m.tags.append("困境儿童")
            self._tier(m)

    def _person_tags(self, m: Member, left_behind: bool) -> None:
        rng, age, tags = self.rng, m.age, m.tags
        if left_behind:
            if m.relation in GRANDCHILDREN and age < 16:
                tags.append("留守儿童")
            elif m.relation not in GRANDCHILDREN and age >= 55 and rng.random() < 0.8:
                tags.append("留守老人")
        if age >= 80:
            tags.append("高龄老人")
        disabled = 0.006 if age < 18 else 0.015 if age < 60 else 0.045 if age < 80 else 0.09
        if rng.random() < disabled:
            tags.append("残疾人")
            kind = DISABILITY_KINDS[rng.randrange(len(DISABILITY_KINDS))]
            m.notes = f"{kind}残疾{DISABILITY_LEVELS[rng.randrange(len(DISABILITY_LEVELS))]}级"
        male = m.gender == "男"
        for tag, lo, hi, p_male, p_female in PERSON_TAGS:
            if lo <= age <= hi and rng.random() < (p_male if male else p_female):
                if tag == "优抚对象" and m.floating:
                    continue
                if tag not in tags:
                    tags.append(tag)

    def _tier(self, m: Member) -> None:
        if not m.tags:
            return
        best = "GREEN"
        for tag in m.tags:
            r, tier = self.rng.random(), "GREEN"
            for candidate, upto in TAG_TIERS.get(tag, ()):
                if r < upto:
                    tier = candidate
                    break
            if tag == "独居老人" and m.age >= 85 and ("残疾人" in m.tags or "特困供养人员" in m.tags):
                tier = "RED"
            if TIER_RANK[tier] > TIER_RANK[best]:
                best = tier
        m.care_tier = best

    @staticmethod
    def status_event_row(m: Member, rid: int, now: dt.datetime) -> dict[str, Any] | None:
        """The ``resident_event`` row of a member who is no longer 在册, as the register's 状态变更 writes it
        (desktop.services.residents.register.change_status): 在册 → 迁出/离开/死亡 on the day it took effect.
        The report counts the month's moves from these rows and the register at a month's end from the
        same rows, so stock and flow agree."""
        if m.status == "ACTIVE" or m.status_changed_on is None:
            return None
        reason = m.notes if m.status == "MOVED" else STATUS_REASONS.get(m.status)
        return {"resident_id": rid, "kind": "STATUS", "on_date": m.status_changed_on, "from_value": "ACTIVE",
                "to_value": m.status, "reason": reason, "approver": None, "user": "演示数据", "recorded_at": now}  # fmt: skip

    def resident_row(self, m: Member, rid: int, community_id: int, grid_id: int, household_id: int) -> dict[str, Any]:
        """The ``resident`` row; ID number and phone are drawn here, in household order."""
        rng, age = self.rng, m.age
        if age >= 18:
            has_phone = rng.random() < (0.96 if age < 75 else 0.65 if age < 85 else 0.35)
        else:
            has_phone = age >= 14 and rng.random() < 0.4
        phone = self.phone() if has_phone else None
        id_number = self.id_number(m.region, m.birth, m.gender)
        return {
            "id": rid,
            "name": m.name,
            "name_initials": m.initials,
            "gender": m.gender,
            "ethnicity": m.ethnicity,
            "id_number": id_number,
            "id_number_bidx": id_number,  # blind indexes take the plain value (db.crypto.BlindIndex)
            "id_region": id_number[:6],
            "birth_date": m.birth,
            "phone": phone,
            "phone_bidx": phone,
            "phone_tail": phone[-4:] if phone else None,
            "residence_kind": "FLOATING" if m.floating else "REGISTERED",
            "community_id": community_id,
            "grid_id": grid_id,
            "household_id": household_id,
            "relation_to_head": m.relation,
            "care_tier": m.care_tier,
            "status": m.status,
            "status_changed_on": m.status_changed_on,
            "notes": m.notes,
        }
