"""Scope holds through every command (issue 13 §2): a 网格员 of one grid runs every command of the command line
on the demo database, and nothing they get — printed, JSON, a workbook, a PDF — names a resident of another
grid. A resident with a name found nowhere else is planted in another grid (with an event and a visit), and
one in the worker's own grid proves the walk does read data. A command the role may not run (exit 4) holds.

The walk covers the parser's every command: a new command fails the test until it is placed here, either
with the arguments to run it or among those that only write (imports, restore, account changes)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from db.schema.events import GridEvent
from db.schema.structure import Grid
from desktop.app import main
from desktop.cli import _parser
from desktop.core.clock import FixedClock
from desktop.services import events as ev
from desktop.services import residents as rs
from desktop.services import visits as vs
from desktop.services.accounts import sign_in
from desktop.services.bootstrap import open_database

HIDDEN, SHOWN = "甄秘藏", "甄公开"
PASSWORD = "Demo@2026"
NOW = dt.datetime(2026, 12, 3, 10, 0)

#: commands that only change data or files of their own (nothing to read back), with why they are not run
WRITES = {
    "demo": "replaces the data",
    "import grids": "writes", "import residents": "writes", "import mediation-cases": "writes",
    "import party-members": "writes", "import events": "writes", "import visits": "writes",
    "holidays import": "writes", "restore": "replaces the database", "wal": "files beside the database",
    "db-password": "a server password", "users add": "writes", "users set-role": "writes",
    "users disable": "writes", "users enable": "writes", "users reset-password": "writes",
    "users passwd": "one's own password", "keys import": "writes a key",
}  # fmt: skip


def _commands() -> list[str]:
    names: list[str] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*prefix, name])
                return
        names.append(" ".join(prefix))

    walk(_parser(), [])
    return names


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("SHEQU_TODAY", "2026-12-03")
    opened = open_database(db, clock=FixedClock(NOW))
    from desktop.services import demo
    from desktop.services.accounts.demo_accounts import create_demo_accounts

    demo.generate(opened.ctx, "small")
    create_demo_accounts(opened.ctx)
    street = opened.ctx.signed_in(sign_in(opened.ctx, "street", PASSWORD).account)
    worker = sign_in(opened.ctx, "gridworker", PASSWORD).account
    own = worker.grid_ids[0]
    with street.read() as s:
        grid_ids = list(s.scalars(select(Grid.id).order_by(Grid.id)))
        other = next(g for g in grid_ids if g != own)
        other_grid = s.get(Grid, other)
        assert other_grid is not None
        community = other_grid.community_id
        other_event = s.scalar(select(GridEvent.event_no).where(GridEvent.grid_id == other).limit(1))
    planted = {}
    for name, grid in ((HIDDEN, other), (SHOWN, own)):
        rid = rs.save_resident(
            street,
            rs.ResidentInput(name, community, gender="女", birth_date=dt.date(1958, 3, 2), grid_id=grid,
                             phone="13911112222", notes=f"{name}独居"),
        )  # fmt: skip
        ev.create_event(
            street,
            ev.EventInput("居民反映", dt.datetime(2026, 12, 2, 9, 0), grid, f"{name}家楼道", "市政设施",
                          f"{name}反映楼道灯坏了", reporter_name=name, resident_id=rid),
        )  # fmt: skip
        vs.record_visit(
            street, vs.VisitInput(dt.date(2026, 12, 2), "李晓梅", "入户", f"{name}身体尚好", None, [rid])
        )
        planted[name] = rid
    opened.ctx.database.dispose()
    return db, other_event


def _text_of(path: Path) -> str:
    if not path.exists():
        return ""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return path.read_text(encoding="utf-8-sig", errors="replace")


def read_arguments(out: Path, **overrides: list[str]) -> dict[str, list[str]]:
    """Each reading command with arguments that make it print or write what it reads (files into ``out``);
    ``overrides`` by command name ("print event", …) for a walk's own records."""
    reads: dict[str, list[str]] = {
        "export grids": ["--out", str(out / "grids.xlsx")],
        "export residents": ["--out", str(out / "residents.xlsx")],
        "export mediation-cases": ["--out", str(out / "cases.xlsx")],
        "export party-members": ["--out", str(out / "members.xlsx"), "--reason", "核对"],
        "export events": ["--out", str(out / "events.xlsx")],
        "residents anonymise": ["--dry-run"],
        "print agreement": ["X", "--out", str(out / "a.pdf")],
        "print case-file": ["X", "--out", str(out / "cf.pdf")],
        "print mediation": ["X", "--out", str(out / "m.pdf"), "--document", "application"],
        "print confirmation-application": ["X", "--out", str(out / "ca.pdf")],
        "print confirmation-package": ["X", "--out", str(out / "cp.pdf")],
        "print party-roster": ["--out", str(out / "roster.pdf")],
        "print event": ["X", "--out", str(out / "event.pdf")],
        "mediation list": ["--json"],
        "mediation show": ["X"],
        "holidays list": [],
        "holidays export": ["--out", str(out / "holidays.xlsx")],
        "confirmations list": [],
        "report monthly": ["--month", "2026-11", "--out", str(out / "monthly.pdf")],
        "report mediation": ["--period", "2026-11", "--out", str(out / "mediation.pdf")],
        "report grid-bulletin": ["--month", "2026-11", "--out", str(out / "bulletin.pdf")],
        "report grid-ranking": ["--quarter", "2026Q3", "--out", str(out / "ranking.pdf")],
        "report event-ledger": ["--month", "2026-12", "--out", str(out / "ledger.pdf")],
        "backup": ["--list"],
        "events list": ["--json"],
        "visits due": ["--json", "--date", "2026-12-03"],
        "users list": [],
        "keys recovery": [],
        "audit verify": [],
    }
    return {**reads, **overrides}


def walk_reads(
    db: Path, login: str, reads: dict[str, list[str]], out: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> Iterator[tuple[str, int, str]]:
    """Run every reading command as ``login``; yield (command, exit code, what it printed and wrote). A new
    command fails here until it is walked or listed as a write."""
    commands = _commands()
    assert set(commands) == set(reads) | set(WRITES), "a command is neither walked nor listed as a write"
    for command in commands:
        if command in WRITES:
            continue
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        argv = ["--db", str(db), "--user", login, "--password-stdin", *command.split(), *reads[command]]
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse refusing an argument
            status = int(exc.code or 0)
        printed = "".join(capsys.readouterr())
        files = "".join(_text_of(p) for p in out.iterdir())
        yield command, status, printed + files
        for p in out.iterdir():
            p.unlink()


def test_a_grid_worker_reads_nothing_of_another_grid_through_any_command(
    world, tmp_path, monkeypatch, capsys
):
    db, other_event = world
    out = tmp_path / "out"
    out.mkdir()
    reads = read_arguments(out, **{"print event": [other_event, "--out", str(out / "event.pdf")]})
    seen_own = []
    for command, status, text in walk_reads(db, "gridworker", reads, out, monkeypatch, capsys):
        assert HIDDEN not in text, (command, status)
        if SHOWN in text:
            seen_own.append(command)
    # the walk did read the worker's own grid: the planted neighbour shows in the lists that carry names
    assert {"visits due", "export events"} <= set(seen_own), seen_own
    # and the check would see a leak: the street's statistician, who sees every grid, gets the hidden one
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--db", str(db), "--user", "street", "--password-stdin", "visits", "due", "--json",
                 "--date", "2026-12-03"]) == 0  # fmt: skip
    assert HIDDEN in capsys.readouterr().out
