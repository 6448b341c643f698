"""The rules of a confirmation track, as pure functions: subject hints, the competent court, the materials.

* **Subject** (法释〔2011〕5号 §4; 民诉法解释): a court does not confirm agreements that settle personal
  status (身份关系), marriage (婚姻关系), adoption (收养关系), or title to property or intellectual
  property (物权、知识产权确权). The mediator decides (``Subject`` on the track); the program gives hints
  from the dispute type and the agreement's words, and a hint must be answered with a note before a
  track starts as ORDINARY (e.g. “只涉及赡养费给付，不确认身份关系”).
* **Court** (民诉法 §201; 法释〔2011〕5号 §2): a court-referred (委派) case goes to the referring court;
  otherwise the base-level court of the committee's seat (设置), which may be changed to the court of a
  party's domicile or of the subject matter.
* **Materials** (法释〔2011〕5号 §3): 申请书, 调解协议, each party's identity papers, capacity documents
  of organisations, property-right proofs when the agreement involves property, a power of attorney
  when an agent applies, and the service addresses (送达地址确认书).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.schema import CaseParty
from db.schema.mediation import PartyKind
from desktop.domain.judicial import APPLICATION_CODE
from desktop.domain.text import clean_text
from desktop.services.mediation.parties import needs_guardian, stored_values


@dataclass(frozen=True)
class SubjectHint:
    subject: str  # a Subject value
    reason: str


_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("MARRIAGE", ("离婚", "解除婚姻", "婚姻关系", "确认婚姻", "婚约", "同居关系")),
    ("ADOPTION", ("收养", "送养", "解除收养")),
    ("PERSONAL_STATUS", ("亲子关系", "身份关系", "亲生", "认领", "父子关系", "母子关系", "监护关系")),
    ("PROPERTY_TITLE", ("确权", "所有权归", "产权归", "使用权归", "承包经营权归", "不动产权属")),
    ("IP_TITLE", ("专利权归", "著作权归", "商标权归", "知识产权归")),
)
_TYPE_HINTS = {
    "婚姻家庭": (
        "MARRIAGE",
        "纠纷类型为婚姻家庭：如协议确认或解除婚姻、收养、亲子等身份关系，不能申请司法确认",
    ),
    "房屋宅基地": ("PROPERTY_TITLE", "纠纷类型为房屋宅基地：如协议确认房屋或宅基地的权属，不能申请司法确认"),
    "山林土地": ("PROPERTY_TITLE", "纠纷类型为山林土地：如协议确认林权、土地权属，不能申请司法确认"),
    "知识产权": ("IP_TITLE", "纠纷类型为知识产权：如协议确认知识产权权属，不能申请司法确认"),
}
_SUBTYPE_HINTS = {
    "婚姻": ("MARRIAGE", "纠纷小类为婚姻"),
    "宅基地": ("PROPERTY_TITLE", "纠纷小类为宅基地"),
    "林权": ("PROPERTY_TITLE", "纠纷小类为林权"),
}


def subject_hints(dispute_type: str, subtype: str | None, texts: Iterable[str | None]) -> list[SubjectHint]:
    """What in the case suggests an agreement the court will not confirm (hints, never decisions)."""
    found: dict[str, str] = {}
    code = (dispute_type or "").removesuffix("纠纷")
    if code in _TYPE_HINTS:
        subject, reason = _TYPE_HINTS[code]
        found.setdefault(subject, reason)
    if subtype and subtype in _SUBTYPE_HINTS:
        subject, reason = _SUBTYPE_HINTS[subtype]
        found[subject] = reason + "；" + found.get(subject, "请核对协议是否确认权属或身份关系")
    body = "\n".join(clean_text(t) for t in texts if t)
    for subject, words in _KEYWORDS:
        hits = [w for w in words if w in body]
        if hits:
            found[subject] = f"协议或案情中有“{'”“'.join(hits[:3])}”等字样" + (
                "；" + found[subject] if subject in found else ""
            )
    return [SubjectHint(s, r) for s, r in found.items()]


def refusal_reason(subject: str) -> str | None:
    """Why a track cannot start for ``subject``; None when it can."""
    reasons = {
        "PERSONAL_STATUS": "协议涉及确认身份关系，人民法院不予受理司法确认申请（法释〔2011〕5号第四条）",
        "MARRIAGE": "协议涉及确认婚姻关系，人民法院不予受理司法确认申请（法释〔2011〕5号第四条）",
        "ADOPTION": "协议涉及确认收养关系，人民法院不予受理司法确认申请（法释〔2011〕5号第四条）",
        "PROPERTY_TITLE": "协议涉及物权确权，人民法院不予受理司法确认申请（民诉法解释）",
        "IP_TITLE": "协议涉及知识产权确权，人民法院不予受理司法确认申请（民诉法解释）",
    }
    return reasons.get(subject)


@dataclass(frozen=True)
class CourtSuggestion:
    court: str | None
    basis: str


def suggest_court(referring_court: str | None, committee_court: str | None) -> CourtSuggestion:
    if referring_court:
        return CourtSuggestion(
            referring_court,
            "法院委派调解的案件，向委派的人民法院申请（《民事诉讼法》第二百零五条第一项；法释〔2011〕5号第二条）",
        )
    if committee_court:
        return CourtSuggestion(
            committee_court,
            "调委会所在地基层人民法院（法释〔2011〕5号第二条）；也可向当事人住所地、标的物所在地"
            "基层人民法院申请（《民事诉讼法》第二百零五条第二项）",
        )
    return CourtSuggestion(
        None, "尚未设置调委会所在地基层人民法院：请在“司法确认 → 设置”中填写，或直接填写受理法院"
    )


def court_from_referral_text(referred_by: str | None) -> str | None:
    """The court named in a case's 移送/委托单位, if it is a court (委派 by ××人民法院)."""
    text = clean_text(referred_by or "")
    m = re.search(r"[\u4e00-\u9fff（）()]{2,40}?(?:人民法院|法庭)", text)
    return m.group(0) if m else None


# ---------------------------------------------------------------- materials


@dataclass(frozen=True)
class MaterialSpec:
    code: str
    label: str
    required: bool


@dataclass(frozen=True)
class PartyBrief:
    seq: int
    name: str
    is_person: bool
    has_agent: bool
    has_guardian: bool = False  # acts through a 法定代理人 (a minor, or without full capacity)


def brief_of(party: CaseParty, day: dt.date) -> PartyBrief:
    """What the checklist needs of a stored party; ``day`` is the case's 受理日期 (as eligibility judges)."""
    return PartyBrief(
        party.seq,
        party.name,
        party.kind == PartyKind.PERSON,
        bool(party.agent),
        needs_guardian(stored_values(party), day),
    )


def materials_for(
    parties: Sequence[PartyBrief], agent_applies: bool, involves_property: bool
) -> list[MaterialSpec]:
    """The checklist of one application, in the order the court's intake lists it."""
    sides = "各方" if len(parties) > 2 else "双方"
    out = [
        MaterialSpec(APPLICATION_CODE, f"司法确认申请书（{sides}当事人签名或按指印）", True),
        MaterialSpec("AGREEMENT", "人民调解协议书（原件）", True),
    ]
    for p in parties:
        if p.is_person:
            out.append(MaterialSpec(f"ID:{p.seq}", f"{p.name}：居民身份证复印件（身份证明）", True))
            if p.has_guardian:
                # 民事诉讼法 §60: 无诉讼行为能力人由他的监护人作为法定代理人代为诉讼
                out.append(
                    MaterialSpec(
                        f"GUARDIAN:{p.seq}",
                        f"{p.name}的法定代理人：身份证明及监护关系证明（户口簿、出生医学证明或指定监护的文书）",
                        True,
                    )
                )
        else:
            out.append(MaterialSpec(f"ID:{p.seq}", f"{p.name}：营业执照或统一社会信用代码证复印件", True))
            out.append(MaterialSpec(f"CAPACITY:{p.seq}", f"{p.name}：法定代表人身份证明书（资格证明）", True))
    out.append(
        MaterialSpec(
            "PROPERTY", "与调解协议相关的财产权利证明（如房产证、车辆登记证、借据）", involves_property
        )
    )
    needs_poa = agent_applies or any(p.has_agent for p in parties)
    out.append(MaterialSpec("POA", "授权委托书（委托人签名或盖章）及代理人身份证明", needs_poa))
    out.append(MaterialSpec("SERVICE_ADDRESS", f"送达地址确认书（{sides}当事人的送达地址和联系电话）", True))
    return out


# ---------------------------------------------------------------- court case numbers

_CASE_NO = re.compile(r"^[（(]\s*(\d{4})\s*[）)]\s*(\S+?)(诉前调确|调确|民特)\s*(\S*?)\s*(\d+)\s*号$")


def normalize_court_case_no(text: str) -> str:
    """ "(2026)甘0202民特 12 号" → "（2026）甘0202民特12号"; raises ValueError when it is not a confirmation number."""
    t = clean_text(text).replace(" ", "")
    m = _CASE_NO.match(t)
    if not m:
        raise ValueError(
            f"受理案号“{text}”格式不对，应为“（年度）法院代字+调确/诉前调确/民特+序号+号”，例如（2026）甘0202民特12号"
        )
    year, court, kind, mid, seq = m.groups()
    return f"（{year}）{court}{kind}{mid}{int(seq)}号"


def case_no_kind(case_no: str | None) -> str:
    if not case_no:
        return ""
    for kind in ("诉前调确", "调确", "民特"):
        if kind in case_no:
            return kind
    return ""
