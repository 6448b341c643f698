"""Start-up (issue 16), the real processes signed in as the benchmark runs them (``--user … --password-stdin``):
both start without cyclic garbage collection and freeze what start-up built once signed in (the window: once
shown); the window, once 工作台 shows its figures, has not loaded what it only needs later (ReportLab, XlsxWriter,
pandas, pypinyin, qtawesome and the qtpy it star-imports, keyring's macOS backend on another OS, the holiday
import/export); ``print agreement`` loads no Qt and no pandas. Checked by the modules a child process loaded,
not by a wall time, so a gain cannot silently regress. The password check itself stays the same with the
work done meanwhile (``passwords.verify_password(meanwhile=…)``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop.services import structure as st
from desktop.services.accounts import passwords
from desktop.services.accounts.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from desktop.services.context import ServiceContext

from .test_mediation_helpers import full_case, setup_committee

ROOT = Path(__file__).resolve().parents[2]

#: loaded only when first used, never on the way to the first window
LATER = [
    "reportlab",
    "xlsxwriter",
    "pandas",
    "pypinyin",
    "qtawesome",
    "qtpy",
    "openpyxl",
    "desktop.services.judicial.holidays",
    "desktop.services.mediation.printing",
    "desktop.documents",
]
if sys.platform != "darwin":
    LATER.append("keyring.backends.macOS")

WINDOW_PROBE = """
import gc, json, sys
from desktop.core import startup
startup.begin()  # as desktop.app.entry does
import desktop.ui.application as application
from desktop.app import main

seen = {}
quit_when_ready = application._quit_when_ready


def spy(window, started):
    close = window.close

    def closing():  # the moment --smoke found 工作台's figures shown and quits
        seen["ready"] = bool(getattr(window.pages.get("home"), "figures", None))
        seen["modules"] = sorted(sys.modules)
        seen["gc"] = [gc.isenabled(), gc.get_freeze_count()]
        return close()

    window.close = closing
    quit_when_ready(window, started)


application._quit_when_ready = spy
status = main(sys.argv[1:])
print(json.dumps([status, seen.get("ready"), seen.get("modules", []), seen.get("gc")]))
"""

PRINT_PROBE = """
import gc, json, sys
from desktop.core import startup
startup.begin()  # as desktop.app.entry does
from desktop.app import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(sys.modules), [gc.isenabled(), gc.get_freeze_count()]]))
"""


def _run(probe: str, *argv: str) -> list[object]:
    run = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=ROOT,
        input=DEMO_PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result: list[object] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _loaded(modules: object, names: list[str]) -> list[str]:
    assert isinstance(modules, list)
    return sorted({n for m in modules for n in names if m == n or m.startswith(n + ".")})


@pytest.fixture
def signed_db(file_keys: None, street_ctx: ServiceContext) -> tuple[Path, str]:
    """The street's database with a closed case that has a written agreement, and the demo accounts."""
    communities = {c.name: c.id for c in st.list_communities(street_ctx)}
    cid, m1, _ = setup_committee(street_ctx, communities["新华社区"])
    case_no = full_case(street_ctx, cid, m1)
    create_demo_accounts(street_ctx)
    path = Path(str(street_ctx.database.url.database))
    street_ctx.database.dispose()
    return path, case_no


def test_the_window_signed_in_is_ready_without_what_it_needs_only_later(signed_db: tuple[Path, str]) -> None:
    db, _ = signed_db
    status, ready, modules, collector = _run(
        WINDOW_PROBE, "--db", str(db), "--user", "street", "--password-stdin", "--smoke"
    )
    assert status == 0 and ready is True
    assert _loaded(modules, LATER) == []
    assert "desktop.ui.main_window" in modules  # the probe saw the real window
    # start-up ran without cyclic collection; once the window shows, what it built is frozen (never walked
    # again, not even at exit) and the collector is back on for the day's work (desktop.core.startup)
    assert isinstance(collector, list) and collector[0] is True and collector[1] > 100_000


def test_print_agreement_signed_in_loads_no_qt_and_no_pandas(
    signed_db: tuple[Path, str], tmp_path: Path
) -> None:
    db, case_no = signed_db
    out = tmp_path / "agreement.pdf"
    args = ("--db", str(db), "--user", "mediator", "--password-stdin", "print", "agreement", case_no)
    status, modules, collector = _run(PRINT_PROBE, *args, "--out", str(out))
    assert status == 0
    assert isinstance(collector, list) and collector[0] is True and collector[1] > 100_000  # frozen once signed in
    assert out.read_bytes().startswith(b"%PDF")
    assert _loaded(modules, ["PySide6", "shiboken6", "qtawesome", "qtpy", "pandas", "desktop.ui"]) == []
    assert "reportlab" in modules  # the probe saw the real print


def test_work_done_meanwhile_leaves_the_password_check_as_it_was() -> None:
    stored = passwords.hash_password("Gc@2026-secret")
    threads: list[str] = []

    def meanwhile() -> None:
        threads.append(threading.current_thread().name)

    def failing() -> None:
        raise RuntimeError("a preparation that fails")

    assert passwords.verify_password("Gc@2026-secret", stored, meanwhile)
    assert threads == [threading.current_thread().name]  # in the caller's thread, scrypt in another
    assert not passwords.verify_password("Gc@2026-wrong", stored, meanwhile)
    assert passwords.verify_password("Gc@2026-secret", stored, failing)  # preparation only: never decides
    assert not passwords.verify_password("Gc@2026-wrong", stored, failing)
    assert not passwords.verify_password(
        "Gc@2026-secret", passwords.PasswordHash("00", "00", "md5:x"), meanwhile
    )
    passwords.burn_time("whatever", meanwhile)
    assert len(threads) == 3  # not for a hash it cannot read: no scrypt, nothing meanwhile


SCHEMA_PROBE = """
import importlib, json, sys
import sqlalchemy.orm
from db.base import Base
importlib.import_module("db.schema." + sys.argv[1])
sqlalchemy.orm.configure_mappers()
unresolved = []
for table in Base.metadata.tables.values():
    for fk in table.foreign_keys:
        try:
            fk.column
        except Exception as exc:
            unresolved.append(f"{table.name}.{fk.parent.name}: {exc}")
print(json.dumps([sorted(Base.metadata.tables), unresolved]))
"""


def test_each_schema_module_alone_brings_the_tables_its_foreign_keys_point_at() -> None:
    # a process maps only the schema modules it imports (print agreement never builds the party tables);
    # every flush sorts tables by their foreign keys, so each module must register what they point at
    import db.schema

    db.schema.load_all()
    from db.base import Base

    every = set(Base.metadata.tables)
    seen: set[str] = set()
    for name in db.schema.MODULES:
        run = subprocess.run(
            [sys.executable, "-c", SCHEMA_PROBE, name], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr[-2000:]
        tables, unresolved = json.loads(run.stdout.strip().splitlines()[-1])
        assert unresolved == [], name
        seen |= set(tables)
        if name == "mediation":  # what printing an agreement maps
            assert {"party_member", "grid_event", "visit", "judicial_confirmation"}.isdisjoint(tables)
    assert seen == every  # MODULES names every module


def test_the_program_run_inside_another_leaves_its_collector_alone(shequ, tmp_path: Path) -> None:
    # only desktop.app.entry (the program's own process) holds collection at start; main() called in a running
    # interpreter (these tests, an embedding script) neither disables nor freezes anything
    import gc

    frozen = gc.get_freeze_count()
    status, out, _ = shequ("--db", str(tmp_path / "x.sqlite3"), "mediation", "list", "--json")
    assert status == 0 and json.loads(out) == []
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_startup_holds_collection_until_finished_and_then_freezes_once() -> None:
    import gc

    from desktop.core import startup

    assert gc.isenabled()
    try:
        startup.begin()
        assert not gc.isenabled() and startup.holding()
        startup.finished()
        assert gc.isenabled() and not startup.holding() and gc.get_freeze_count() > 0
        gc.unfreeze()
        startup.finished()  # a second call: nothing more frozen
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.enable()
