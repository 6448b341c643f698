"""Party scope holds through every command (issue 13 §2): the 社区书记 of one community runs every command of
the command line on the demo database, and nothing they get — printed, JSON, a workbook, a PDF — names a
party member of another community (planted with a name found nowhere else, with a meeting of their branch
named after them) or of the street's own branch. A member planted in the secretary's own community proves
the walk reads party data; the street's 党务 account, who sees every community, gets the hidden one."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from db.schema.party import PartyOrg
from desktop.app import main
from desktop.core.clock import FixedClock
from desktop.services import party, structure
from desktop.services.accounts import sign_in
from desktop.services.bootstrap import open_database
from tests.unit.test_party_services import make_id
from tests.unit.test_scope_cli_walk import NOW, PASSWORD, _text_of, read_arguments, walk_reads

HIDDEN, STREET_ONLY, SHOWN = "党秘藏", "党街道", "党公开"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("SHEQU_TODAY", "2026-12-03")
    opened = open_database(db, clock=FixedClock(NOW))
    from desktop.services import demo
    from desktop.services.accounts.demo_accounts import create_demo_accounts

    demo.generate(opened.ctx, "small")
    create_demo_accounts(opened.ctx)
    ctx = opened.ctx
    party_ctx = ctx.signed_in(sign_in(ctx, "party", PASSWORD).account)
    own = sign_in(ctx, "secretary", PASSWORD).account.community_id
    with party_ctx.read() as s:
        branches = list(
            s.scalars(select(PartyOrg).where(PartyOrg.kind == "BRANCH", PartyOrg.retired_on.is_(None)))
        )
        mine = next(o.id for o in branches if o.community_id == own)
        top = s.scalar(select(PartyOrg.id).where(PartyOrg.kind == "WORKING_COMMITTEE"))
    street = ctx.signed_in(sign_in(ctx, "street", PASSWORD).account)
    elsewhere = structure.save_community(street, structure.CommunityInput("远方社区", code="99"))
    committee = party.save_org(
        party_ctx, party.OrgInput("远方社区党委", "COMMITTEE", parent_id=top, community_id=elsewhere)
    )
    other = party.save_org(party_ctx, party.OrgInput("远方第一党支部", "BRANCH", parent_id=committee))
    street_branch = party.save_org(party_ctx, party.OrgInput("街道机关党支部", "BRANCH", parent_id=top))
    for seq, (name, org) in enumerate(((HIDDEN, other), (STREET_ONLY, street_branch), (SHOWN, mine)), 1):
        birth = dt.date(1966, 4, seq)
        party.save_member(
            party_ctx,
            party.MemberInput(name=name, org_id=org, id_number=make_id(birth, 900 + seq), birth_date=birth,
                              joined_on=dt.date(1995, 7, 1), confirmed_on=dt.date(1996, 7, 1), phone="13911112222",
                              work_unit=f"{name}所在单位"),
        )  # fmt: skip
        party.save_meeting(
            party_ctx, party.MeetingInput(org, "THEME_DAY", dt.date(2026, 12, 1), f"{name}讲党课")
        )
    ctx.database.dispose()
    return db


def test_a_community_secretary_reads_no_party_member_of_another_community(
    world, tmp_path, monkeypatch, capsys
):
    db = world
    out = tmp_path / "out"
    out.mkdir()
    reads = read_arguments(out, **{"confirmations list": ["--json"]})
    seen_own = []
    for command, status, text in walk_reads(db, "secretary", reads, out, monkeypatch, capsys):
        assert HIDDEN not in text, (command, status)
        assert STREET_ONLY not in text, (command, status)
        if SHOWN in text:
            seen_own.append(command)
    # the walk did read the community's party data: its own planted member is in the roster and the export
    assert {"export party-members", "print party-roster"} <= set(seen_own), seen_own
    # naming another community's organisation is refused (exit 4), not answered
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["--db", str(db), "--user", "secretary", "--password-stdin", "print", "party-roster",
            "--org", "街道机关党支部", "--out", str(out / "x.pdf")]  # fmt: skip
    assert main(argv) == 4
    assert "街道机关党支部" in capsys.readouterr().err
    # and the check would see a leak: the street's 党务 account, who sees every community, gets both
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["--db", str(db), "--user", "party", "--password-stdin", "export", "party-members",
            "--out", str(out / "all.xlsx"), "--reason", "核对"]  # fmt: skip
    assert main(argv) == 0
    text = _text_of(out / "all.xlsx")
    assert HIDDEN in text and STREET_ONLY in text
