"""Mediation demo data: committees per community, two years of cases in every stage, consistent numbers."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

from desktop.documents import mediation as docs
from desktop.services import demo
from desktop.services import mediation as med
from desktop.services.context import ServiceContext

from .test_mediation_helpers import intake


def test_small_demo_has_cases_in_every_stage(ctx: ServiceContext, tmp_path: Path) -> None:
    summary = demo.generate(ctx, "small")
    assert any(step.label.startswith("人民调解案件") for step in summary.steps)
    rows = med.list_cases(ctx, today=demo.DEMO_DATE)
    assert 30 <= len(rows) <= 60
    stages = collections.Counter(r.stage for r in rows)
    assert {"ACCEPTED", "MEDIATING", "PERFORMING", "CLOSED", "ARCHIVED"} <= set(stages) or (
        {"MEDIATING", "PERFORMING", "CLOSED", "ARCHIVED"} <= set(stages)
    )
    assert {r.source for r in rows} == {"APPLICATION", "OWN_INITIATIVE", "REFERRAL"} or len(
        {r.source for r in rows}
    ) >= 2
    assert any(r.level == "red" for r in rows)  # one case is past the 30-day limit
    assert {r.agreement_form for r in rows} >= {"书面", "口头"}
    # numbers follow the counter: the next intake takes the next number of the year
    committee = med.list_committees(ctx)[0]
    year = demo.DEMO_DATE.year
    last = max(int(r.case_no.split("第")[1][:-1]) for r in rows if r.case_no.startswith(f"（{year}）"))
    no = intake(ctx, committee.id, None, accepted_on=dt.date(year, 11, 1))
    assert no == f"（{year}）{committee.short_name}人调字第{last + 1:03d}号"
    # every archived file holds its mandatory items, as archiving requires
    for r in rows:
        if r.stage == "ARCHIVED":
            assert not [
                i.title for i in med.get_case(ctx, r.id).file_items if i.required and not i.present
            ], r.case_no
    # a demo case prints
    archived = next(r for r in rows if r.stage == "ARCHIVED" and r.agreement_form == "书面")
    rec = med.get_case(ctx, archived.case_no)
    assert rec.parties and rec.agreement and rec.agreement.terms
    assert docs.write(rec, "case_file", tmp_path / "f.pdf").stat().st_size > 10_000
    # force replaces everything, cases included
    demo.generate(ctx, "small", force=True)
    assert len(med.list_cases(ctx)) == len(rows)
