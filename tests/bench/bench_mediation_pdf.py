"""Mediation PDF benchmark: one agreement (target < 0.3 s) and a ~30-page case file (target < 3 s).

Run: ``.venv/bin/python -m tests.bench.bench_mediation_pdf [--repeat N]``. Prints a table; not a pass/fail
test. The fonts are registered once before timing (a process does that once); each figure is the median
of ``--repeat`` runs, building the record from the database (``get_case``) and writing the PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

AGREEMENT_TARGET_S = 0.3
CASE_FILE_TARGET_S = 3.0


def _big_case(ctx, committee_id: int, mediator_id: int) -> str:
    """A case whose 卷宗 runs to about 30 pages: many sessions, investigations and visits, long texts."""
    from desktop.services import mediation as med
    from tests.unit.test_mediation_helpers import D, agreement_input, intake, person

    today = D(2026, 11, 23)
    long = "".join(
        f"{i}. 申请人陈述：被申请人长期在楼道堆放杂物、占用公共空间，影响通行和消防安全，多次协商未果。"
        for i in range(1, 25)
    )
    parties = [
        person("张建华"),
        person("李桂芳", "RESPONDENT", gender="女"),
        person("王五", "RESPONDENT"),
        person("赵䶮", "RESPONDENT"),
    ]
    no = intake(ctx, committee_id, mediator_id, summary=long, parties=parties)
    case = med.get_case(ctx, no)
    med.set_rights_notified(ctx, case.id, D(2026, 3, 2), today=today)
    for k in range(3):
        med.save_investigation(
            ctx,
            case.id,
            med.InvestigationInput(D(2026, 3, 3 + k), "王秀兰", f"邻居{k + 1}", long),
            today=today,
        )
    for k in range(3):
        med.save_session(
            ctx,
            case.id,
            med.SessionInput(dt.datetime(2026, 3, 5 + k, 9), "调解室", long, attendees="楼长"),
            today=today,
        )
    terms = [
        med.TermInput(f"第{k}项：被申请人于期限前清理楼道杂物并恢复原状，费用自理。", None, D(2026, 4, 10))
        for k in range(1, 13)
    ]
    med.save_agreement(ctx, case.id, agreement_input(terms=terms, facts=long), today=today)
    med.record_performance(ctx, case.id, D(2026, 4, 20), "PERFORMED", today=today)
    case = med.get_case(ctx, no)
    for f in case.follow_ups:
        med.record_follow_up(
            ctx,
            case.id,
            med.FollowUpInput(f.due_on or D(2026, 5, 1), "王秀兰", long[:400]),
            f.id,
            f.version,
            today=today,
        )
    case = med.get_case(ctx, no)
    med.close_case(ctx, case.id, case.version, D(2026, 5, 20), today=today)
    return no


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("SHEQU_HOME", tempfile.mkdtemp(prefix="shequ-bench-"))
    from pypdf import PdfReader

    from desktop.core.identity import Actor
    from desktop.documents import layout
    from desktop.documents import mediation as docs
    from desktop.services import mediation as med
    from desktop.services.bootstrap import open_database
    from tests.unit.test_mediation_helpers import full_case, setup_committee

    folder = Path(tempfile.mkdtemp(prefix="shequ-bench-pdf-"))
    ctx = open_database(folder / "bench.sqlite3", actor=Actor("bench", "bench")).ctx
    cid, m1, _ = setup_committee(ctx)
    small = full_case(ctx, cid, m1)
    big = _big_case(ctx, cid, m1)
    t = time.perf_counter()
    layout.styles()  # registers the fonts
    fonts_s = time.perf_counter() - t

    def agreement() -> None:
        docs.write(med.get_case(ctx, small), "agreement", folder / "agreement.pdf")

    def case_file() -> None:
        docs.write(med.get_case(ctx, big), "case_file", folder / "case_file.pdf")

    a = _time(agreement, args.repeat)
    c = _time(case_file, args.repeat)
    pages_a = len(PdfReader(folder / "agreement.pdf").pages)
    pages_c = len(PdfReader(folder / "case_file.pdf").pages)
    print(f"{'figure':<34}{'seconds':>9}{'target':>9}{'pages':>7}")
    print(f"{'font registration (once)':<34}{fonts_s:>9.3f}{'':>9}{'':>7}")
    print(f"{'人民调解协议书':<28}{a:>9.3f}{AGREEMENT_TARGET_S:>9.1f}{pages_a:>7}")
    print(f"{'人民调解卷宗（整卷）':<28}{c:>9.3f}{CASE_FILE_TARGET_S:>9.1f}{pages_c:>7}")
    print(f"files: {folder}")
    ctx.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
