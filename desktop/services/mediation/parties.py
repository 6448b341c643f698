"""A party of a mediation case as typed: checked and normalised, with who acts for it.

* a natural person who is under 18 on the case's 受理日期 (民法典 §17–20), or who is marked 无民事行为能力
  或限制民事行为能力 (民法典 §21–22), acts through a 法定代理人 (民法典 §23): name, relation and a valid
  公民身份号码 of an adult are required, the phone is optional;
* a legal person or other organisation acts through its 法定代表人 (or 负责人) and states the post
  (民法典 §61; 民事诉讼法 §51); it has no capacity question and no 法定代理人;
* anyone may have a 委托代理人 (受托人, 民事诉讼法 §61–62): name, relation or identity (近亲属、律师 …),
  ID number and phone;
* one person is one party of a case: the same ID number may not stand twice in a case, and a party may
  not be the 法定代理人 of another party of the same case (:func:`identity_clash`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db.schema.mediation import PartyKind, PartyRole
from desktop.core.errors import ValidationError
from desktop.domain.identity import (
    age_on,
    birth_date_from_id,
    check_person,
    normalize_id_number,
    normalize_person_name,
    normalize_phone,
    phone_problem,
)
from desktop.domain.mediation import ADULT_AGE, PartyRecord
from desktop.domain.text import clean_text

#: 与当事人关系 offered for a 法定代理人 (民法典 §27–28: the persons who may be a guardian)
GUARDIAN_RELATIONS = (
    "父亲",
    "母亲",
    "祖父",
    "祖母",
    "外祖父",
    "外祖母",
    "兄",
    "姐",
    "配偶",
    "子女",
    "其他监护人",
)
#: 身份 offered for a 委托代理人 (民事诉讼法 §61)
AGENT_RELATIONS = (
    "近亲属",
    "律师",
    "基层法律服务工作者",
    "当事人所在社区推荐的公民",
    "当事人所在单位推荐的公民",
    "单位工作人员",
)


@dataclass
class PartyInput:
    name: str
    role: str = PartyRole.APPLICANT
    kind: str = PartyKind.PERSON
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    age: int | None = None
    occupation: str | None = None
    phone: str | None = None
    address: str | None = None
    id_number: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    agent: str | None = None  # 委托代理人（受托人）姓名
    resident_id: int | None = None
    agent_relation: str | None = None
    agent_id_number: str | None = None
    agent_phone: str | None = None
    lacks_capacity: bool = False  # 无民事行为能力或限制民事行为能力 (other than by age)
    guardian_name: str | None = None  # 法定代理人
    guardian_relation: str | None = None
    guardian_id_number: str | None = None
    guardian_phone: str | None = None


def _opt(value: object, limit: int, label: str, field_name: str) -> str | None:
    text = clean_text(value)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字符。", field=field_name)
    return text or None


def needs_guardian(values: Mapping[str, object], day: dt.date) -> bool:
    """Whether cleaned party ``values`` describe someone who acts through a 法定代理人 on ``day``."""
    return _record(values).needs_guardian_on(day)


def _record(values: Mapping[str, object]) -> PartyRecord:
    birth, age = values.get("birth_date"), values.get("age")
    return PartyRecord(
        0,
        0,
        str(values.get("role") or PartyRole.APPLICANT),
        str(values.get("kind") or PartyKind.PERSON),
        str(values.get("name") or ""),
        birth_date=birth if isinstance(birth, dt.date) else None,
        age=age if isinstance(age, int) else None,
        lacks_capacity=bool(values.get("lacks_capacity")),
    )


def guardian_reason(values: Mapping[str, object], day: dt.date) -> str:
    """Why the party needs a 法定代理人, for messages: "受理时未满 18 周岁（16 周岁）"."""
    rec = _record(values)
    if rec.is_minor_on(day):
        return f"受理时未满 {ADULT_AGE} 周岁（{rec.age_on(day)} 周岁）"
    return "无民事行为能力或限制民事行为能力"


def _adult_id(raw: object, *, label: str, field: str, day: dt.date, today: dt.date) -> str | None:
    """A checked ID number of a representative who must be an adult on ``day`` (None when blank)."""
    number = normalize_id_number(raw)
    if not number:
        return None
    try:
        person = check_person("代理人", today=today, id_number=number, subject=label)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from exc
    assert person.id_number is not None
    born = birth_date_from_id(person.id_number)
    age = age_on(born, day)
    if age is not None and age < ADULT_AGE:
        raise ValidationError(
            f"{label}：按身份证号码，{day.year}年{day.month}月{day.day}日未满 {ADULT_AGE} 周岁（{age} 周岁），"
            f"不能担任代理人（须为成年人）。",
            field=field,
        )
    return person.id_number


def _phone(raw: object, label: str, field: str) -> str | None:
    phone = normalize_phone(raw) or None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"{label}的{problem}。", field=field)
    return phone


def _guardian(
    p: PartyInput, values: dict[str, object], who: str, *, day: dt.date, today: dt.date
) -> dict[str, object]:
    """The capacity flag and the 法定代理人 of a person (required when :func:`needs_guardian`)."""
    name = normalize_person_name(p.guardian_name)
    relation = clean_text(p.guardian_relation)
    if not needs_guardian(values, day):
        # an adult with full capacity acts for himself: a guardian typed for him is not kept
        return dict.fromkeys(("guardian_name", "guardian_relation", "guardian_id_number", "guardian_phone"))
    why = guardian_reason(values, day)
    label = f"{who}的法定代理人" + (f"（{name}）" if name else "")
    if not name:
        raise ValidationError(f"{who}{why}，须填写法定代理人的姓名。", field="guardian_name")
    if len(name) > 50:
        raise ValidationError(f"{label}的姓名不能超过 50 个字。", field="guardian_name")
    if not relation:
        raise ValidationError(f"请填写{label}与当事人的关系（如父亲、母亲）。", field="guardian_relation")
    if len(relation) > 20:
        raise ValidationError(f"{label}与当事人的关系不能超过 20 个字。", field="guardian_relation")
    if values.get("id_number") and normalize_id_number(p.guardian_id_number) == values["id_number"]:
        raise ValidationError(
            f"{label}的公民身份号码与当事人本人相同：法定代理人不能是当事人自己。", field="guardian_id_number"
        )
    number = _adult_id(p.guardian_id_number, label=label, field="guardian_id_number", day=day, today=today)
    if number is None:
        raise ValidationError(
            f"{who}{why}，须填写法定代理人（{name}）的公民身份号码。", field="guardian_id_number"
        )
    return {
        "guardian_name": name,
        "guardian_relation": relation,
        "guardian_id_number": number,
        "guardian_phone": _phone(p.guardian_phone, label, "guardian_phone"),
    }


def _agent(
    p: PartyInput, values: dict[str, object], who: str, *, day: dt.date, today: dt.date
) -> dict[str, object]:
    """The 委托代理人 (受托人), if any: a name, and with it what else is known."""
    name = normalize_person_name(p.agent)
    relation = _opt(p.agent_relation, 30, f"{who}的委托代理人身份", "agent_relation")
    if not name:
        if relation or clean_text(p.agent_id_number) or clean_text(p.agent_phone):
            raise ValidationError(f"请填写{who}的委托代理人的姓名。", field="agent")
        return dict.fromkeys(("agent", "agent_relation", "agent_id_number", "agent_phone"))
    if len(name) > 50:
        raise ValidationError(f"{who}的委托代理人姓名不能超过 50 个字。", field="agent")
    label = f"{who}的委托代理人（{name}）"
    if values.get("id_number") and normalize_id_number(p.agent_id_number) == values["id_number"]:
        raise ValidationError(
            f"{label}的公民身份号码与当事人本人相同：委托代理人不能是当事人自己。", field="agent_id_number"
        )
    number = _adult_id(p.agent_id_number, label=label, field="agent_id_number", day=day, today=today)
    return {
        "agent": name,
        "agent_relation": relation,
        "agent_id_number": number,
        "agent_phone": _phone(p.agent_phone, label, "agent_phone"),
    }


#: what a 人民调解协议书 states of a natural person (人民调解法 第二十九条：当事人的基本情况), as
#: (column, label); 出生日期 may be given as an age instead
AGREEMENT_PERSON_NEEDS: tuple[tuple[str, str], ...] = (
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期或年龄"),
    ("occupation", "职业或职务"),
    ("phone", "联系电话"),
    ("address", "住址"),
)
#: what it states of a legal person or other organisation
AGREEMENT_ORGANISATION_NEEDS: tuple[tuple[str, str], ...] = (
    ("address", "单位地址"),
    ("legal_rep", "法定代表人"),
)
#: of those, what a case made from a resident's record (转人民调解) may leave to be filled in later
DETAILS_LATER = frozenset({"ethnicity", "occupation", "phone"})


def agreement_needs(kind: str) -> tuple[tuple[str, str], ...]:
    """The party fields the agreement needs for a party of ``kind`` (the forms mark them with *)."""
    return AGREEMENT_PERSON_NEEDS if kind == PartyKind.PERSON else AGREEMENT_ORGANISATION_NEEDS


def agreement_gaps(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """The (column, label) pairs the agreement needs and ``values`` (a party's columns) lacks.

    The one rule: 受理登记 and 编辑当事人 refuse a party with a gap (:func:`clean_party`), and the
    agreement refuses a case whose stored parties still have one (records imported or made from an event).
    """
    gaps = []
    for key, label in agreement_needs(str(values.get("kind"))):
        value = values.get(key)
        if key == "birth_date":
            value = value or values.get("age")
        if value is None or (isinstance(value, str) and not clean_text(value)):
            gaps.append((key, label))
    return gaps


def clean_party(
    p: PartyInput,
    n: int | None = None,
    *,
    today: dt.date,
    day: dt.date | None = None,
    strict: bool = True,
    details_later: bool = False,
) -> dict[str, object]:
    """Checked and normalised column values of a party; ``n`` names it in messages (第 n 位当事人).

    ``day`` is the case's 受理日期 (default ``today``): whether the party is a minor is decided on it.
    ``strict`` (an intake, a party's form) insists on what the agreement will need (:func:`agreement_gaps`)
    and on the 法定代表人's post; ``details_later`` leaves :data:`DETAILS_LATER` to be filled in before the
    agreement (a case made from a resident's record). ``strict=False`` (imports of old ledgers) checks what
    is given but insists on none of it; a 法定代理人 where one is needed and the 法定代表人 of an
    organisation are required either way.
    """
    day = day or today
    who = f"第 {n} 位当事人" if n else "当事人"
    if p.kind not in (PartyKind.PERSON, PartyKind.ORGANISATION):
        raise ValidationError(f"{who}的类别无效。", field="kind")
    if p.role not in (PartyRole.APPLICANT, PartyRole.RESPONDENT):
        raise ValidationError(f"{who}的身份应为申请人或被申请人。", field="role")
    values: dict[str, object] = {"kind": p.kind, "role": p.role, "resident_id": p.resident_id}
    age = None
    if p.kind == PartyKind.PERSON:
        typed = normalize_person_name(p.name)
        person = check_person(
            p.name,
            today=today,
            id_number=p.id_number,
            gender=p.gender,
            birth_date=p.birth_date,
            phone=p.phone,
            subject=f"{who}（{typed}）" if typed else who,
        )
        name, id_number, phone = person.name, person.id_number, person.phone
        gender, birth = person.gender, person.birth_date
        age = None if birth else p.age
        if age is not None and not 0 <= age <= 130:
            raise ValidationError(f"{who}（{name}）的年龄无效。", field="age")
    else:
        name = clean_text(p.name)
        if not name:
            raise ValidationError(f"请填写{who}的名称。", field="name")
        if len(name) > 100:
            raise ValidationError(f"{who}的名称不能超过 100 个字符。", field="name")
        if clean_text(p.id_number):
            raise ValidationError(f"{who}是单位，不应填写公民身份号码。", field="id_number")
        id_number, gender, birth = None, None, None
        phone = normalize_phone(p.phone) or None
        if phone and (problem := phone_problem(phone)):
            raise ValidationError(f"{who}（{name}）的{problem}", field="phone")
    values["name"] = name
    who = f"{who}（{name}）"
    address = _opt(p.address, 200, f"{who}的住址", "address")
    if p.kind == PartyKind.PERSON:
        legal_rep = legal_title = None
    else:
        legal_rep = normalize_person_name(p.legal_rep) or None
        if legal_rep and len(legal_rep) > 50:
            raise ValidationError(f"{who}的法定代表人姓名不能超过 50 个字。", field="legal_rep")
        if not legal_rep:
            raise ValidationError(
                f"{who}是法人或其他组织，须填写其法定代表人（或负责人）的姓名。", field="legal_rep"
            )
        legal_title = _opt(p.legal_rep_title, 30, f"{who}的法定代表人职务", "legal_rep_title")
        if not legal_title and strict:
            raise ValidationError(
                f"请填写{who}的法定代表人（{legal_rep}）的职务（如董事长、总经理、负责人）。",
                field="legal_rep_title",
            )
        if p.lacks_capacity or clean_text(p.guardian_name) or clean_text(p.guardian_id_number):
            raise ValidationError(
                f"{who}是单位，由法定代表人代表，不适用无民事行为能力或限制民事行为能力，也没有法定代理人。",
                field="lacks_capacity" if p.lacks_capacity else "guardian_name",
            )
    values.update(
        gender=gender,
        birth_date=birth,
        age=age,
        phone=phone,
        address=address,
        id_number=id_number,
        ethnicity=_opt(p.ethnicity, 20, "民族", "ethnicity") if p.kind == PartyKind.PERSON else None,
        occupation=_opt(p.occupation, 60, "职业或职务", "occupation"),
        legal_rep=legal_rep,
        legal_rep_title=legal_title,
        lacks_capacity=bool(p.lacks_capacity) and p.kind == PartyKind.PERSON,
    )
    if strict:
        for key, label in agreement_gaps(values):
            if not (details_later and key in DETAILS_LATER):
                raise ValidationError(f"请填写{who}的{label}。", field=key)
    if p.kind == PartyKind.PERSON:
        values.update(_guardian(p, values, who, day=day, today=today))
    else:
        values.update(
            dict.fromkeys(("guardian_name", "guardian_relation", "guardian_id_number", "guardian_phone"))
        )
    values.update(_agent(p, values, who, day=day, today=today))
    return values


def missing_guardian(values: Mapping[str, object], day: dt.date) -> bool:
    """A stored party who needs a 法定代理人 on ``day`` and has none (records from before the rule)."""
    return needs_guardian(values, day) and not values.get("guardian_name")


@dataclass(frozen=True)
class Clash:
    """Why a party cannot stand in a case beside the others: the message and the field it concerns."""

    message: str
    field: str


def identity_clash(
    values: Mapping[str, object], who: str, others: Iterable[tuple[str, Mapping[str, object]]]
) -> Clash | None:
    """The first clash of ``values`` (called ``who``) with the ``others`` of the same case (label, values).

    One person is one party of a case: the same 公民身份号码 twice, or a party who is the 法定代理人 of
    another party, would be counted and listed twice (一式N份, the court application).
    """
    own, guardian = values.get("id_number"), values.get("guardian_id_number")
    for label, other in others:
        if own and own == other.get("id_number"):
            return Clash(
                f"{who}的公民身份号码与{label}相同：同一人在一个案件中只能作为一位当事人登记一次。",
                "id_number",
            )
        if guardian and guardian == other.get("id_number"):
            return Clash(
                f"{who}的法定代理人的公民身份号码与{label}相同：本案当事人不能担任另一位当事人的法定代理人。",
                "guardian_id_number",
            )
        if own and own == other.get("guardian_id_number"):
            return Clash(
                f"{who}的公民身份号码与{label}的法定代理人相同：本案当事人不能担任另一位当事人的法定代理人。",
                "id_number",
            )
    return None


#: the columns of a party that :func:`clean_party` fills (for copying a stored party into a mapping)
PARTY_VALUE_KEYS = (
    "kind",
    "role",
    "name",
    "birth_date",
    "age",
    "id_number",
    "lacks_capacity",
    "guardian_name",
    "guardian_id_number",
)


def stored_values(party: object) -> dict[str, object]:
    """The values :func:`identity_clash` and :func:`missing_guardian` read, from a stored ``CaseParty``."""
    return {key: getattr(party, key) for key in PARTY_VALUE_KEYS}
