"""The 司法确认 lines of 工作台's 今日提醒: counted per kind, the most urgent cases named."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.lapsed import lapsed_agreements
from desktop.services.judicial.queries import _names, list_candidates, list_tracks
from desktop.services.judicial.referrals import list_referrals


@dataclass(frozen=True)
class JudicialWarning:
    level: str  # red | orange | yellow | info
    text: str


def _some(items: list[str], n: int = 2) -> str:
    return "、".join(items[:n]) + (f" 等 {len(items)} 件" if len(items) > n else "")


def _bucket(a: dl.Alert, today: dt.date) -> tuple[int, str, str]:
    """(sort order, level, heading) of one alert on 工作台."""
    if a.kind == "deadline":
        if a.overdue:
            return 0, "red", "司法确认申请期限已过"
        if a.due_on is not None and (a.due_on - today).days <= dl.URGENT_DAYS:
            return 1, "red", "司法确认申请期限 3 日内届满"
        return 4, "yellow", "司法确认申请期限 10 日内届满"
    if a.kind == "acceptance_late":
        return 2, "orange", "法院逾期未决定是否受理"
    if a.kind == "ruling_late":
        return 2, "orange", "法院逾期未作出裁定"
    if a.kind == "rejected":
        return 3, "orange", "裁定驳回，需重新调解或告知起诉"
    if a.kind == "enforcement":
        return (
            (1, "red", "申请强制执行期限已过或将届满")
            if a.level == "red"
            else (5, "yellow", "申请强制执行期限临近")
        )
    if a.kind == "referral":
        if a.overdue:
            return 0, "red", "委派调解期限已过"
        return (
            (1, "red", "委派调解期限 3 日内届满")
            if a.level == "red"
            else (4, "yellow", "委派调解期限 10 日内届满")
        )
    return 3, "orange", "委派调解结果尚未反馈法院"


LAPSED_BUCKET = (0, "red", "司法确认申请期限已过")  # a track still 准备申请: close it or record why late
UNAPPLIED = "书面调解协议的司法确认申请期限届满、未申请"  # no track (or 不申请): for information


def recent_lapses_from(today: dt.date) -> dt.date:
    """工作台 names the windows that ended since the first day of last month (a whole month, at least)."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=1)


def dashboard_warnings(ctx: ServiceContext, today: dt.date | None = None) -> list[JudicialWarning]:
    today = today or ctx.today()
    groups: dict[tuple[int, str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    # 申请期限届满未申请: the rule of the 台账 and the 月报, for the windows ended since last month began;
    # a track still 准备申请 after an older window stays below, as its own overdue alert
    since = recent_lapses_from(today)
    unapplied = (6, "info", f"自{since.month}月{since.day}日以来{UNAPPLIED}")
    with ctx.read() as s:
        lapsed = lapsed_agreements(s, today, since)
        names = _names(s, list(lapsed))
    waiting: set[int] = set()  # lapsed with a track still 准备申请: the track's own overdue alert says it
    for t in list_tracks(ctx, "ATTENTION", today=today):
        for a in t.alerts:
            if a.kind == "deadline" and a.overdue and t.case_id in lapsed:
                waiting.add(t.case_id)
                groups[LAPSED_BUCKET].append((lapsed[t.case_id].deadline, f"{t.case_no}（{t.parties}）"))
                continue
            groups[_bucket(a, today)].append((a.due_on or today, f"{t.case_no}（{t.parties}）"))
    for cid, gone in lapsed.items():
        if cid not in waiting:
            groups[unapplied].append((gone.deadline, f"{gone.case_no}（{'、'.join(names.get(cid, []))}）"))
    for r in list_referrals(ctx, "ATTENTION", today=today):
        for a in r.alerts:
            who = f"（{r.parties}）" if r.parties else ""
            groups[_bucket(a, today)].append((a.due_on or today, f"{r.referral_no}{who}"))
    out = []
    for (_order, level, heading), items in sorted(groups.items()):
        items.sort()
        first = items[0][0]
        when = f"，最早 {first:%m月%d日}" if heading.endswith(("届满", "临近")) else ""
        out.append(
            JudicialWarning(level, f"{heading} {len(items)} 件{when}：{_some([x for _d, x in items])}")
        )
    candidates = [c for c in list_candidates(ctx, today) if c.days_left <= dl.WARN_DAYS]
    if candidates:
        c = candidates[0]
        out.append(
            JudicialWarning(
                "yellow",
                f"{len(candidates)} 件书面协议的司法确认申请期限 10 日内届满、尚未登记是否申请"
                f"（最早 {c.deadline:%m月%d日}：{c.case_no}）",
            )
        )
    return out
