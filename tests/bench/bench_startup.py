"""Start-up benchmark (issue 16): each row is the project beside the raw limit, run interleaved.

The project runs with its bytecode written (as installed), after one untimed round.

Run: ``.venv/bin/python -m tests.bench.bench_startup [--db PATH] [--runs N]`` — without --db a street-scale
database is generated first (``shequ demo --scale street``, its data key in a temporary SHEQU_HOME); with
--db, SHEQU_HOME is taken from the environment (the home the database's key was made in). Prints a
table; not a pass/fail test.

Rows, each timed as a whole process (start → answer), project and raw limit alternating run by run:

* ``shequ --version`` — raw: ``python -c pass``;
* ``shequ print agreement`` (signed in, on the database's first written agreement) — raw: a ReportLab
  script registering the same two font files and setting the same text (taken from the project's PDF);
* window ready (工作台 showing its figures: ``--smoke`` prints ``ready`` then), signed in as the demo
  account ``street`` with ``--password-stdin`` (no login dialog; the one scrypt check of the password is
  included, as a user's click on 登录 would be) — raw: a minimal PySide6 window showing three counts read
  with sqlite3. The time is taken when ``ready`` is printed; closing (which may back the database up) is
  not part of start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Demo@2026"  # the demo's accounts (README: 演示账号)

RAW_WINDOW = """
import sqlite3, sys
from PySide6 import QtWidgets
app = QtWidgets.QApplication(sys.argv[:1])
con = sqlite3.connect(sys.argv[1])
counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("resident", "household", "grid")]
w = QtWidgets.QMainWindow()
box = QtWidgets.QWidget()
lay = QtWidgets.QHBoxLayout(box)
for label, n in zip(("居民", "户", "网格"), counts):
    lay.addWidget(QtWidgets.QLabel(f"{label} {n:,}"))
w.setCentralWidget(box)
w.show()
app.processEvents()
print("ready", flush=True)
"""

RAW_PDF = """
import sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate
body, heading, text, out = sys.argv[1:5]
pdfmetrics.registerFont(TTFont("B", body))
pdfmetrics.registerFont(TTFont("H", heading))
lines = open(text, encoding="utf-8").read().splitlines()
st = ParagraphStyle("b", fontName="B", fontSize=12, leading=20)
title = ParagraphStyle("t", fontName="H", fontSize=18, leading=28)
story = [Paragraph(lines[0], title)] + [Paragraph(l, st) for l in lines[1:] if l.strip()]
SimpleDocTemplate(out, pagesize=A4).build(story)
"""


def _street_db(folder: Path, env: dict[str, str]) -> Path:
    path = folder / "street.sqlite3"
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "desktop.app", "--db", str(path), "demo", "--scale", "street"],
        check=True,
        cwd=ROOT,
        env=env,
    )
    print(f"（生成街道规模演示库用时 {time.perf_counter() - t:.1f} 秒）")
    return path


def _timed(
    cmd: list[str], env: dict[str, str], stdin: str = "", until: str | None = None, cwd: Path | None = None
) -> float:
    """Seconds from starting ``cmd`` to its end, or to the first stdout line starting with ``until``."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd or ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
        elapsed = None
        for line in proc.stdout:
            if elapsed is None and until is not None and line.startswith(until):
                elapsed = time.perf_counter() - t
        status = proc.wait()
        if elapsed is None and until is None:
            elapsed = time.perf_counter() - t
        if status != 0 or elapsed is None:
            err.seek(0)
            raise RuntimeError(f"{cmd[3:]} failed ({status}): {err.read()[-2000:]}")
        return elapsed


def _shequ(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "desktop.app", "--db", str(db), *args]


def _agreement_case(db: Path, env: dict[str, str]) -> str:
    out = subprocess.run(
        _shequ(db, "--user", "mediator", "--password-stdin", "mediation", "list", "--json"),
        input=PASSWORD + "\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(c["case_no"] for c in json.loads(out) if c["agreement_no"] and c["agreement_form"] == "书面")


def _agreement_text(pdf: Path, folder: Path) -> Path:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    path = folder / "agreement.txt"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--tree", type=Path, help="run the project from this checkout (e.g. the code before a change)"
    )
    ap.add_argument("--compare", type=Path, help="also time the project from this checkout, interleaved")
    args = ap.parse_args()
    global ROOT
    ROOT = args.tree.resolve() if args.tree else ROOT
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "SHEQU_HOME": os.environ.get("SHEQU_HOME", tmp) if args.db else tmp,
        }
        # as installed (pip, a frozen build): the project's modules have their bytecode. A shell with
        # PYTHONDONTWRITEBYTECODE would compile every module from source in every run (~0.1–0.4 s).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = args.db or _street_db(folder, env)
        case_no = _agreement_case(db, env)
        pdf = folder / "agreement.pdf"
        login = PASSWORD + "\n"
        print_cmd = _shequ(
            db, "--user", "mediator", "--password-stdin", "print", "agreement", case_no, "--out", str(pdf)
        )
        _timed(print_cmd, env, login)  # once untimed: the PDF whose text the raw script sets
        from desktop.documents.fonts import BODY, HEADING, face_of

        text = _agreement_text(pdf, folder)
        raw_pdf = [
            sys.executable,
            "-c",
            RAW_PDF,
            face_of(BODY).path,
            face_of(HEADING).path,
            str(text),
            str(folder / "raw.pdf"),
        ]
        rows: list[tuple[str, Callable[..., float], Callable[[], float], float]] = [
            (
                "shequ --version",
                lambda cwd=None: _timed([sys.executable, "-m", "desktop.app", "--version"], env, cwd=cwd),
                lambda: _timed([sys.executable, "-c", "pass"], env),
                0.15,
            ),
            (
                "shequ print agreement",
                lambda cwd=None: _timed(print_cmd, env, login, cwd=cwd),
                lambda: _timed(raw_pdf, env),
                0.6,
            ),
            (
                "window ready (工作台 figures)",
                lambda cwd=None: _timed(
                    _shequ(db, "--user", "street", "--password-stdin", "--smoke"), env, login, "ready", cwd
                ),
                lambda: _timed([sys.executable, "-c", RAW_WINDOW, str(db)], env, until="ready"),
                0.8,
            ),
        ]
        times: dict[str, tuple[list[float], list[float], list[float]]] = {n: ([], [], []) for n, *_ in rows}
        # one untimed round: bytecode written, files in the page cache
        for _name, project, raw, _goal in rows:
            project(), raw()
            if args.compare:
                project(args.compare.resolve())
        for _ in range(args.runs):
            for name, project, raw, _goal in rows:  # interleaved: the machine's load hits both alike
                times[name][0].append(project())
                times[name][1].append(raw())
                if args.compare:
                    times[name][2].append(project(args.compare.resolve()))
    print()
    print(
        "| process (start → answer)        | project median (s) | raw limit median (s) | ratio | goal (s) |"
    )
    print(
        "|---------------------------------|-------------------:|---------------------:|------:|---------:|"
    )
    for name, *_r, goal in rows:
        p, r = (statistics.median(v) for v in times[name][:2])
        print(f"| {name:<31} | {p:18.3f} | {r:20.3f} | {p / r:4.1f}× | {goal:8.2f} |")
    if args.compare:
        print(f"\n{args.compare} (same runs, interleaved):")
        for name, *_r in rows:
            c, r = statistics.median(times[name][2]), statistics.median(times[name][1])
            print(f"| {name:<31} | {c:18.3f} | {r:20.3f} | {c / r:4.1f}× |")
    print(f"runs: {args.runs}, database: {db.name if args.db else 'street-scale demo'}")


if __name__ == "__main__":
    main()
