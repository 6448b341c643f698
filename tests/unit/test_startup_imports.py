"""Start-up (issue 16): ``shequ --version`` and ``--help`` answer from the parser alone, and parsing any
command imports neither SQLAlchemy, the schema, Qt, ReportLab nor pypinyin; each command's handler imports
its services when it runs. Checked in a fresh interpreter: the modules loaded, not a wall time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "db", "PySide6", "reportlab", "pypinyin", "pandas", "xlsxwriter", "desktop.services")

PROBE = """
import json, sys
from desktop.app import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
heavy = sorted({m for m in sys.modules for h in HEAVY if m == h or m.startswith(h + ".")})
print(json.dumps([status, heavy]))
"""


def _loaded(*argv: str) -> tuple[object, list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, heavy = json.loads(run.stdout.strip().splitlines()[-1])
    return status, heavy


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["print", "--help"],
        ["print", "agreement", "--help"],
        ["import", "residents", "--help"],
        ["users", "add", "--help"],
    ],
)
def test_version_and_help_import_no_heavy_library(argv: list[str]) -> None:
    status, heavy = _loaded(*argv)
    assert status == 0
    assert heavy == []


def test_a_bad_command_line_is_refused_before_any_heavy_import() -> None:
    status, heavy = _loaded("print", "agreement")  # --out missing
    assert status == 2
    assert heavy == []


def test_the_parser_still_reaches_every_handler() -> None:
    from desktop.cli import parse_args

    args = parse_args(
        ["--db", "x.sqlite3", "print", "agreement", "（2026）新华社区人调字第001号", "--out", "a.pdf"]
    )
    assert args.handler.__module__ == "desktop.cli.mediation" and args.document_key == "agreement"
    args = parse_args(["users", "list"])
    assert args.handler.__module__ == "desktop.cli.users"


def test_the_window_and_its_first_page_need_neither_reportlab_nor_pypinyin() -> None:
    # what the window imports before 工作台 shows its figures: printing (ReportLab) and the names' initials
    # (pypinyin, 0.5 s for its phrase dictionary) are imported when first used
    probe = (
        "import sys\n"
        "import desktop.ui.application, desktop.ui.main_window, desktop.ui.pages.home_page\n"
        "import desktop.services.bootstrap, desktop.services.dashboard, desktop.services.accounts\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'pypinyin', 'pandas'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"
