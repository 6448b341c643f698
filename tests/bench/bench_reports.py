"""Report benchmark: the whole street's monthly report at street scale, PDF and workbook; 人民调解统计表.

Run: ``.venv/bin/python -m tests.bench.bench_reports [--month 2026-10] [--repeat 3]``. Builds the 钢城街道
demo (``desktop.services.demo.generate(ctx, "street")``: 130,590 residents, 187 grids, and whatever party,
mediation and judicial demo data the other areas add) in a temp database, then times each step and prints
a table. Not a pass/fail test; target: the monthly report, PDF and workbook under 5 s together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

TARGET_S = 5.0


def _pad(text: str, width: int) -> str:
    from desktop.exchange.writing import display_width

    return text + " " * max(width - display_width(text), 0)


def _best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--repeat", type=int, default=3, help="runs per step (the median is printed)")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="copy the PDF and the workbook there")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SHEQU_HOME"] = str(folder / "home")
        from sqlalchemy import func, select

        from db.schema.mediation import MediationCase
        from db.schema.party import PartyMember
        from db.schema.people import Resident
        from desktop.services import demo
        from desktop.services.bootstrap import open_database
        from desktop.services.reports import files, mediation_statistics, monthly_report

        ctx = open_database(folder / "bench.sqlite3").ctx
        t = time.perf_counter()
        demo.generate(ctx, scale="street")
        demo_s = time.perf_counter() - t
        with ctx.read() as s:
            counts = {
                "居民": s.scalar(select(func.count()).select_from(Resident)),
                "党员": s.scalar(select(func.count()).select_from(PartyMember)),
                "调解案件": s.scalar(select(func.count()).select_from(MediationCase)),
            }

        rows: list[tuple[str, float]] = []
        report_s, report = _best(lambda: monthly_report(ctx, args.month), args.repeat)
        rows.append((f"月报计算（全街道，{args.month}）", report_s))
        pdf_s, _ = _best(lambda: files.save_monthly_pdf(report, folder / "月报.pdf"), args.repeat)
        rows.append(("月报 PDF（含图表）", pdf_s))
        xlsx_s, _ = _best(lambda: files.save_monthly_workbook(report, folder / "月报.xlsx"), args.repeat)
        rows.append(("月报工作簿", xlsx_s))
        total_s, _ = _best(
            lambda: files.export_monthly(ctx, args.month, folder / "m2.pdf", folder / "m2.xlsx"), args.repeat
        )
        rows.append(("合计：计算 + PDF + 工作簿（export_monthly）", total_s))
        comm_s, _ = _best(lambda: monthly_report(ctx, args.month, _first_community(ctx)), args.repeat)
        rows.append(("月报计算（一个社区）", comm_s))
        year_s, stats = _best(lambda: mediation_statistics(ctx, args.month[:4]), args.repeat)
        rows.append((f"人民调解统计表（{args.month[:4]} 全年）", year_s))
        ctx.database.dispose()

        print(f"演示数据（street）：{demo_s:.1f} s；" + "，".join(f"{k} {v:,}" for k, v in counts.items()))
        print(
            f"月报共 {sum(1 for _ in report.indicators())} 项指标，PDF {(folder / '月报.pdf').stat().st_size / 1024:.0f} KB"
        )
        total = stats.by_type[-1]
        print(f"{args.month[:4]} 年受理 {total.received} 件，调解成功 {total.settled} 件")
        from desktop.exchange.writing import display_width

        width = max(display_width(label) for label, _s in rows) + 4
        print(f"{_pad('步骤', width)}秒（中位数）")
        for label, seconds in rows:
            print(f"{_pad(label, width)}{seconds:>8.3f}")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name in ("月报.pdf", "月报.xlsx"):
                shutil.copy2(folder / name, args.keep / name)
        verdict = "达标" if total_s < TARGET_S else "未达标"
        print(f"目标：计算 + PDF + 工作簿 < {TARGET_S:.0f} s —— {verdict}（{total_s:.2f} s）")


def _first_community(ctx) -> str:
    from desktop.services.structure import list_communities

    return list_communities(ctx)[0].name


if __name__ == "__main__":
    main()
