"""演示数据 (``shequ demo``): a believable street, generated in one transaction.

Scales: ``street`` is 钢城街道 of the seed document (嘉峪关市; 14 communities, 92 estates, 187 grids,
61,256 households, 130,590 residents in the register); ``small`` is one community with 6 grids and
2,000 residents, for tests.

Numbering
  网格编号  ``GC-<cc>-<nnn>``: GC (钢城), the community's code ``cc`` (01–14, in the order of the
            communities) and the grid's number within its community: basic grids first (001…), then
            dedicated grids, then micro grids. Example: ``GC-03-012``.
  户号      ``<cc><nnn><hhhh>``: community code, grid number, household number within the grid
            (9 digits, e.g. ``030120047``).

Everything (clearing old data with ``force``, generating, the audit record) is one transaction: the
database ends up either unchanged or completely filled (a kill -9 at any point: tests/unit/test_safety_faults.py).
That transaction holds SQLite's write lock throughout (about 1 s for ``small``, much longer for ``street``):
the demo replaces the whole database, so nobody else's work could be kept anyway; a save from another window
meanwhile waits, and past the busy timeout is told the database is busy. Rows are written with Core bulk inserts and
primary keys assigned here, so the street scale takes seconds, not minutes. The same seed gives the
same data (one ``random.Random(seed)``; dates are counted back from a fixed day).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.people import Household, Resident
from db.schema.structure import Community, Grid, Street
from desktop.core.errors import ConflictError, ValidationError
from desktop.services import backups
from desktop.services.context import ServiceContext
from desktop.services.demo import names as data
from desktop.services.demo.scales import SCALES, DemoStep, DemoSummary, Progress, Scale
from desktop.services.demo.street import _Generator

__all__ = ["DEMO_DATE", "SCALES", "DemoStep", "DemoSummary", "Progress", "Scale", "generate"]

#: the day ages are counted back from (never later than today, so no one is born in the future)
DEMO_DATE = dt.date(2026, 11, 23)


def generate(
    ctx: ServiceContext,
    scale: str = "small",
    seed: int = 20261123,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with demo data; with ``force``, replace what is there. One transaction."""
    if scale not in SCALES:
        raise ValidationError(f"演示数据规模“{scale}”无效，应为 small 或 street。", field="scale")
    report = progress or (lambda _done, _total, _text: None)
    started = time.perf_counter()
    as_of, now = min(DEMO_DATE, ctx.today()), ctx.utcnow()
    gen = _Generator(SCALES[scale], random.Random(seed), as_of, now, report, registration_seed=seed + 8)
    summary = DemoSummary(scale=scale, seed=seed, street=data.STREET["name"])
    if force:
        with ctx.read() as session:
            replacing = bool(_existing_counts(session))
        if replacing:  # the data about to be replaced is kept in a verified backup first
            report(0, gen.total, "正在备份原有数据…")
            kept = backups.backup_before(ctx, "demo")
            summary.backup_path = str(kept.path) if kept else None
    with ctx.write() as uow:
        s = uow.session
        tick = time.perf_counter()
        existing = _existing_counts(s)
        if existing and not force:
            raise ConflictError(
                f"数据库中已有数据（{_describe_counts(existing)}），未做任何修改。"
                "如确需清空后重新生成演示数据，请加 --force。"
            )
        if existing:
            report(0, gen.total, "正在清空原有数据…")
            summary.replaced_rows = _clear(s)
        summary.steps.append(
            DemoStep("检查并清空原有数据", time.perf_counter() - tick, summary.replaced_rows)
        )
        gen.run(s, summary)
        _party(s, scale, seed, summary, as_of, now)
        _mediation(s, scale, seed, summary, as_of, now)
        _judicial(s, scale, seed, summary, as_of)
        _events(s, scale, seed, summary, as_of, ctx.now(), now)
        _visits(s, seed, summary, as_of, now)
        tick = time.perf_counter()
        uow.audit(
            "demo",
            "database",
            None,
            summary=summary.describe(with_time=False).replace("\n", " "),
            after={
                "scale": scale,
                "seed": seed,
                "communities": summary.communities,
                "grids": summary.grids,
                "staff": summary.staff,
                "households": summary.households,
                "residents": summary.residents,
                "tags": summary.tags,
            },
        )
        summary.steps.append(DemoStep("审计记录", time.perf_counter() - tick, 1))
        report(gen.total - 1, gen.total, "正在提交…")
        tick = time.perf_counter()
    summary.steps.append(DemoStep("提交事务", time.perf_counter() - tick, 0))
    summary.seconds = time.perf_counter() - started
    report(gen.total, gen.total, "完成")
    return summary


def _mediation(
    s: Session, scale: str, seed: int, summary: DemoSummary, as_of: dt.date, now: dt.datetime
) -> None:
    """人民调解: committees, mediators and two years of cases (desktop.services.demo.mediation)."""
    from desktop.services.demo import mediation as mediation_demo

    made = mediation_demo.generate(s, scale, random.Random(seed + 5), as_of, now)
    summary.steps.append(DemoStep(f"人民调解案件 {made.cases:,} 件", made.seconds, made.rows))


def _judicial(s: Session, scale: str, seed: int, summary: DemoSummary, as_of: dt.date) -> None:
    """司法确认: tracks in every state and court referrals on the mediation cases (desktop.services.demo.judicial)."""
    from desktop.services.demo import judicial as judicial_demo

    made = judicial_demo.generate(s, scale, random.Random(seed + 6), as_of)
    summary.steps.append(DemoStep(f"司法确认 {made.tracks} 件、委派调解 {made.referrals} 件", made.seconds, made.rows))


def _events(
    s: Session, scale: str, seed: int, summary: DemoSummary, as_of: dt.date, local: dt.datetime, now: dt.datetime
) -> None:
    """网格事件: a year of events through the loop, every step recorded (desktop.services.demo.events)."""
    from desktop.services.demo import events as events_demo

    made = events_demo.generate(s, scale, random.Random(seed + 7), as_of, local, now)
    summary.events = made.events
    summary.steps.append(DemoStep(f"网格事件 {made.events:,} 件（{made.steps:,} 个环节）", made.seconds, made.rows))


def _visits(s: Session, seed: int, summary: DemoSummary, as_of: dt.date, now: dt.datetime) -> None:
    """分色走访: when each tier took effect and a year of visits (desktop.services.demo.visits)."""
    from desktop.services.demo import visits as visits_demo

    made = visits_demo.generate(s, random.Random(seed + 9), as_of, now)
    summary.visits = made.visits
    text = f"分色走访 {made.visits:,} 次（{made.members:,} 人次），等级调整 {made.tier_changes:,} 条"
    summary.steps.append(DemoStep(text, made.seconds, made.rows))


_CHECKED = (
    (Street, "个街道"),
    (Community, "个社区"),
    (Grid, "个网格"),
    (Household, "户"),
    (Resident, "名居民"),
)


def _existing_counts(s: Session) -> dict[str, int]:
    counts = {}
    for model, unit in _CHECKED:
        n = s.scalar(select(func.count()).select_from(model)) or 0
        if n:
            counts[unit] = n
    return counts


def _describe_counts(counts: dict[str, int]) -> str:
    return "、".join(f"{n:,} {unit}" for unit, n in counts.items())


_CORE_TABLES = {"street", "community", "grid", "grid_staff", "household", "resident", "resident_tag"}


def _clear(s: Session) -> int:
    """Delete the street and everything that hangs off it (children first); settings and audit stay."""
    md = sa.MetaData()
    md.reflect(s.connection())
    doomed = set(_CORE_TABLES) & set(md.tables)
    grown = True
    while grown:  # tables of other areas that reference these (visits, cases, …) go too
        grown = False
        for t in md.tables.values():
            if t.name not in doomed and any(fk.column.table.name in doomed for fk in t.foreign_keys):
                doomed.add(t.name)
                grown = True
    deleted = 0
    for t in reversed(md.sorted_tables):
        if t.name in doomed:
            deleted += cast("sa.CursorResult[Any]", s.execute(sa.delete(t))).rowcount or 0
    return deleted


# ---------------------------------------------------------------- the generator


def _party(
    s: Session, scale: str, seed: int, summary: DemoSummary, as_of: dt.date, now: dt.datetime
) -> None:
    """党建: the organisation tree, members, recruitment, dues and meetings (desktop.services.demo.party)."""
    from desktop.services.demo import party as party_demo

    tick = time.perf_counter()
    made = party_demo.generate_party(s, random.Random(seed + 4), scale, as_of, now)
    summary.steps.append(DemoStep(f"党建：{made.describe()}", time.perf_counter() - tick, made.members))
