"""The plot of a demo 人民调解 case: its story, amounts, the agreement's terms and due dates, its texts."""

from __future__ import annotations

import datetime as dt
import random

from desktop.services.demo import mediation_texts as tx
from desktop.services.demo.mediation_cast import Cast
from desktop.services.demo.mediation_stories import GENERIC, GENERIC_DETAILS, Story
from desktop.services.demo.people import Pick

D = dt.timedelta
Term = tuple[str, int | None, dt.date | None]


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pick_story(kind: str, rng: random.Random) -> tuple[str | None, Story, str]:
    """The sub-type, the story and the detail a generic story names."""
    subs = tx.SUBTYPES.get(kind)
    sub = Pick(subs)(rng) if subs else None
    story = tx.STORIES.get((kind, sub)) or GENERIC
    detail = GENERIC_DETAILS.get(sub or "") or GENERIC_DETAILS.get(kind) or "琐事"
    return sub, story, detail


def plan_amounts(story: Story, rng: random.Random) -> tuple[int, int]:
    """The agreed amount (monthly where the terms pay monthly) and the amount asked for, round figures."""
    lo, hi, step = story.money
    if hi <= 0:
        return 0, 0
    agreed = rng.randrange(lo, hi + 1, step)
    asked = agreed * rng.choice((1.0, 1.0, 1.2, 1.25, 1.5, 2.0))
    return agreed, int(round(asked / step) * step)


def _schedule(kinds: set[str], made: dt.date, rng: random.Random) -> tuple[dt.date, dt.date]:
    """(first due date, 履行期限): both on or after the agreement date, the first not after the last."""
    if "monthly" in kinds:
        nxt = (made.replace(day=1) + D(32)).replace(day=10)
        first = nxt if (nxt - made).days <= 40 else made + D(7)
        last = max(first, made + D(rng.choice((15, 30)))) if kinds & {"all", "back"} else first
        return first, last
    if "first" in kinds:
        first = made + D(rng.choice((7, 10, 15, 30)))
        return first, first + D(rng.choice((30, 60, 90)))
    if "all" in kinds:  # paid on the spot (当场) or within days
        last = made + D(rng.choice((0, 0, 3, 7, 10, 15, 30, 60)))
    else:  # work to be done: a repair, a clearance
        last = made + D(rng.choice((7, 10, 15, 30)))
    return min(made + D(rng.randint(3, 7)), last), last


def plan_terms(story: Story, fill: dict[str, str], v: int, three: bool, agreed: int, rng: random.Random,
           made: dt.date) -> tuple[list[tuple[str, int | None, dt.date | None]], dt.date]:  # fmt: skip
    """The agreement's terms (text, amount, due date) and its 履行期限 (the last due date)."""
    chosen = [t for t in story.terms[v % len(story.terms)] if three or "{c}" not in t[0]]
    kinds = {k for _t, k in chosen}
    first, last = _schedule(kinds, made, rng)
    fill.update(d=_cn(last), d1=_cn(first))
    step = story.money[2]
    part = max(step, round(agreed * rng.choice((0.4, 0.5, 0.6)) / step) * step)
    part = min(part, agreed - step) if agreed > step else part
    amounts = {"all": agreed, "first": part, "rest": agreed - part, "monthly": agreed,
               "back": agreed * rng.randint(2, 8)}  # fmt: skip
    out = []
    for text, k in chosen:
        if "{d1}" in text or k in ("first", "monthly"):
            due: dt.date | None = first
        elif "{d}" in text or k in ("all", "rest", "due", "back"):
            due = last
        else:
            due = None
        if due == made:
            text = text.replace("于{d}前", "于签订本协议时当场").replace("于{d1}前", "于签订本协议时当场")
        out.append((text.format(**fill) + "。", amounts.get(k) or None, due))
    return out, last


def fill_for(
    c: Cast, lead: str, kind: str, detail: str, accepted: dt.date, rng: random.Random
) -> dict[str, str]:
    names = [p["name"] for p in c.parties]
    home = c.home
    place = "".join(
        x for x in (home.estate, home.building, home.unit, f"{home.room}室" if home.room else None) if x
    )
    since = accepted - D(rng.randint(25, 420))
    fill = {
        "a": names[0], "b": names[1], "c": names[2] if len(names) > 2 else "", "bs": "、".join(names[1:]),
        "sides": "双方" if len(names) == 2 else "各方", "place": place or "当事人住处", "estate": home.estate or "小区",
        "since": f"{since.year}年{since.month}月", "lead": lead, "pet": rng.choice(tx.PETS), "t": kind if kind.endswith("纠纷") else f"{kind}纠纷",
        "plate": f"甘B·{rng.choice('ACDEFGHJK')}{rng.randrange(1000, 10000)}", "detail": detail,
        "months": str(rng.randint(5, 30)), "illness": rng.choice(tx.ILLNESSES), "school": "学校",
        "pension": str(rng.randrange(1200, 3200, 100)), "hurt": rng.choice(("左腿", "右手腕", "腰部", "头部", "右膝")),
        "brel": "子女", "kids": "子女", "arel": "父母", "age_a": "", "g": "", "grel": "", "dead": "", "married": "",
    }  # fmt: skip
    fill.update(c.fill)
    return fill


def case_text(
    options: tuple[str, ...], v: int, lines: int, fill: dict[str, str], rng: random.Random, three: bool
) -> str:
    """Template ``v`` of the case's line of story; a list longer than the story's lines keeps its extra
    variants for the last line. A template naming the third party serves only a three-party case."""
    i = v % len(options)
    if len(options) > lines and v == lines - 1:
        i = rng.randrange(lines - 1, len(options))
    chosen = options[i]
    if "{c}" in chosen and not three:
        chosen = next((o for o in options if "{c}" not in o), chosen)
    return chosen.format(**fill)


def manner(story: Story, v: int, rng: random.Random) -> str:
    """履行方式, as the terms pay: monthly, in two instalments, at once, or no money at all."""
    kinds = {k for _t, k in story.terms[v % len(story.terms)]}
    if "monthly" in kinds:
        return "按月通过银行转账支付"
    if "first" in kinds:
        return "分两期支付，现金或银行转账"
    if kinds & {"all", "back"}:
        return rng.choice(("现金一次性支付", "银行转账一次性支付", "现金支付"))
    return "按协议约定自行履行"
