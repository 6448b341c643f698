"""党建 scope in the services (issue 13 §2): a community's account (社区书记, or a 党务 account given a community)
reads and changes the party records of its community only — organisations (an organisation without a
community belongs to the one above it), members, posts, meetings, dues, recruitment, cards, the roster and
its exports; the street's 党工委 and organisations of no community are the street's; a 在职党员报到 record is
also the community's it checks into; a 网格员 reaches party data only if the role is given 党建."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update

from db.schema.party import DuesPayment, PartyMember, PartyOrg
from desktop.core.errors import PermissionDenied, ValidationError
from desktop.domain.accounts import GRIDS, PARTY, RESIDENTS_READ
from desktop.services import accounts, party, structure
from desktop.services.accounts import AccountInput
from desktop.services.party import roster, roster_exchange
from tests.unit.test_party_services import member

PW = "Scope#2026x"
D = dt.date
HIDDEN = "朝阳藏青"  # 朝阳's member: no 新华 account may ever read this name
STREET_ONLY = "街道机关丙"  # a member of the street's own branch


@pytest.fixture
def world(street_ctx):
    ctx = street_ctx
    comm = {c.name: c.id for c in structure.list_communities(ctx)}
    grid = {g.name: g.id for g in structure.list_grids(ctx)}
    xinhua, chaoyang = comm["新华社区"], comm["朝阳社区"]
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    org = {"top": top}
    org["xh"] = party.save_org(
        ctx, party.OrgInput("新华社区党委", "COMMITTEE", parent_id=top, community_id=xinhua)
    )
    org["xh1"] = party.save_org(
        ctx, party.OrgInput("新华一网格党支部", "BRANCH", parent_id=org["xh"], grid_id=grid["新华一网格"])
    )
    org["xh2"] = party.save_org(ctx, party.OrgInput("新华商圈党支部", "BRANCH", parent_id=org["xh"]))
    org["cy"] = party.save_org(
        ctx, party.OrgInput("朝阳社区党委", "COMMITTEE", parent_id=top, community_id=chaoyang)
    )
    org["cy1"] = party.save_org(ctx, party.OrgInput("朝阳第一党支部", "BRANCH", parent_id=org["cy"]))
    org["jg"] = party.save_org(ctx, party.OrgInput("街道机关党支部", "BRANCH", parent_id=top))
    with ctx.write() as uow:  # a branch recorded without its community: it is 新华's through its parent
        uow.session.execute(update(PartyOrg).where(PartyOrg.id == org["xh2"]).values(community_id=None))
    people = {
        "新华甲": member(ctx, org["xh1"], "新华甲", phone="13800001111"),
        "新华乙": member(ctx, org["xh2"], "新华乙"),
        HIDDEN: member(ctx, org["cy1"], HIDDEN, phone="13900001111", address="朝阳路1号"),
        STREET_ONLY: member(ctx, org["jg"], STREET_ONLY),
    }
    accounts.create_account(ctx, AccountInput("admin", "系统管理员"), PW)
    admin = ctx.signed_in(accounts.sign_in(ctx, "admin", PW).account)
    made = {
        "secretary": AccountInput(
            "secretary", "社区书记/主任", community_id=xinhua, must_change_password=False
        ),
        "cy_party": AccountInput("cy_party", "党务", community_id=chaoyang, must_change_password=False),
        "street": AccountInput("street", "街道管理员/统计员", must_change_password=False),
        "party": AccountInput("party", "党务", must_change_password=False),
        "grid": AccountInput("grid", "网格员", grid_ids=[grid["新华一网格"]], must_change_password=False),
    }
    signed = {"admin": admin, "ctx": ctx}
    for login, data in made.items():
        accounts.create_account(admin, data, PW)
        signed[login] = ctx.signed_in(accounts.sign_in(ctx, login, PW).account)
    return signed, org, people, {"xinhua": xinhua, "chaoyang": chaoyang, **grid}


def _members(ctx, **kw) -> set[str]:
    return {r.name for r in party.list_members(ctx, party.MemberFilter(**kw))}


def test_each_account_lists_its_own_organisations_and_members(world):
    signed, org, _people, _ = world
    street_names = {n.name for n in party.list_org_tree(signed["street"])}
    assert {"钢城街道党工委", "街道机关党支部", "朝阳第一党支部", "新华商圈党支部"} <= street_names
    assert {n.name for n in party.list_org_tree(signed["secretary"])} == {
        "新华社区党委",
        "新华一网格党支部",
        "新华商圈党支部",  # no community of its own: its parent's
    }
    assert {n.name for n in party.list_org_tree(signed["cy_party"])} == {"朝阳社区党委", "朝阳第一党支部"}
    assert _members(signed["street"]) == {"新华甲", "新华乙", HIDDEN, STREET_ONLY}
    assert _members(signed["party"]) == {"新华甲", "新华乙", HIDDEN, STREET_ONLY}
    assert _members(signed["secretary"]) == {"新华甲", "新华乙"}
    assert _members(signed["cy_party"]) == {HIDDEN}
    assert _members(signed["secretary"], text=HIDDEN) == set()
    assert _members(signed["secretary"], text="1111") == {"新华甲"}  # the phone tail of 新华 only
    assert _members(signed["secretary"], stage=None, status=None) == {"新华甲", "新华乙"}
    with pytest.raises(PermissionDenied, match="党组织“朝阳社区党委”不在账号 secretary"):
        party.list_members(signed["secretary"], party.MemberFilter(org_id=org["cy"]))
    with pytest.raises(PermissionDenied, match="党组织“钢城街道党工委”不在账号 secretary"):
        party.get_org(signed["secretary"], org["top"])
    with pytest.raises(PermissionDenied, match="朝阳社区党委"):
        party.find_org(signed["secretary"], "朝阳社区党委")
    assert party.find_org(signed["secretary"], "新华社区党委") == org["xh"]
    assert {n for _i, n, _o in party.sponsor_candidates(signed["secretary"])} == {"新华甲", "新华乙"}


def test_cards_dues_meetings_and_recruitment_of_another_community_are_refused(world):
    signed, org, people, _ = world
    sec, cy = signed["secretary"], people[HIDDEN]
    party.save_meeting(
        signed["street"], party.MeetingInput(org["cy1"], "THEME_DAY", D(2026, 11, 2), "朝阳主题党日")
    )
    party.save_meeting(
        signed["street"], party.MeetingInput(org["xh1"], "THEME_DAY", D(2026, 11, 3), "新华主题党日")
    )
    for call in (
        lambda: party.get_member(sec, cy),
        lambda: party.member_dues(sec, cy),
        lambda: party.payments_of(sec, cy),
        lambda: party.list_steps(sec, cy),
        lambda: party.post_history(sec, org["cy"]),
        lambda: party.expected_attendees(sec, org["cy1"]),
        lambda: party.reveal_member(sec, cy, "核对"),
    ):
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert HIDDEN not in str(caught.value) and "secretary" in str(caught.value)
    assert {r.name for r in party.dues_overview(sec, arrears_only=False)} == {"新华甲", "新华乙"}
    assert {m.topic for m in party.list_meetings(sec)} == {"新华主题党日"}
    assert {o.org_name for o in party.meeting_overview(sec)} <= {
        "新华社区党委",
        "新华一网格党支部",
        "新华商圈党支部",
    }
    meeting = next(m.id for m in party.list_meetings(signed["street"]) if m.topic == "朝阳主题党日")
    with pytest.raises(PermissionDenied):
        party.get_meeting(sec, meeting)
    with pytest.raises(PermissionDenied):
        party.retire_meeting(sec, meeting, "误登")
    assert party.get_member(sec, people["新华甲"]).name == "新华甲"


def test_writes_outside_the_community_are_refused_and_write_nothing(world):
    signed, org, people, places = world
    sec, cy, ctx = signed["secretary"], people[HIDDEN], signed["ctx"]
    card = party.get_member(signed["street"], cy)
    with ctx.read() as s:
        before = (s.scalar(select(func.count()).select_from(DuesPayment)), s.get(PartyMember, cy).version)
    refused = [
        lambda: party.save_member(sec, card.edit),
        lambda: party.transfer_out(sec, cy, D(2026, 11, 1), "外地"),
        lambda: party.change_status(sec, cy, "DECEASED", D(2026, 11, 1), "去世"),
        lambda: party.set_lost_contact(sec, cy, D(2026, 1, 1), "7"),
        lambda: party.record_payments(sec, cy, ["2026-10"], D(2026, 11, 1), amount_fen=100),
        lambda: party.record_extra(sec, cy, 1000, D(2026, 11, 1)),
        lambda: party.assign_post(sec, party.PostInput(org["cy1"], cy, "SECRETARY", D(2026, 1, 1))),
        lambda: party.save_meeting(sec, party.MeetingInput(org["cy1"], "THEME_DAY", D(2026, 11, 2), "x")),
        lambda: party.save_org(sec, party.OrgInput("新支部", "BRANCH", parent_id=org["cy"])),
        lambda: party.save_org(sec, party.OrgInput("街道新支部", "BRANCH", parent_id=org["top"])),
        lambda: party.save_org(sec, party.OrgInput("无上级支部", "BRANCH", community_id=places["chaoyang"])),
        lambda: party.retire_org(sec, org["jg"], D(2026, 11, 1), "撤销"),
        lambda: party.record_step(sec, party.StepInput(cy, "TALK", D(2026, 11, 1))),
        lambda: party.set_tracking_start(sec, "2026-01"),  # street-wide settings are the street's
        lambda: party.set_meeting_frequencies(sec, {"THEME_DAY": "MONTH"}),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied, match="secretary"):
            call()
    # its own member cannot be moved into another community's branch either
    own = party.get_member(sec, people["新华甲"])
    with pytest.raises(PermissionDenied, match="朝阳第一党支部"):
        party.save_member(
            sec, own.edit.__class__(**{**own.edit.__dict__, "org_id": org["cy1"], "group_id": None})
        )
    with ctx.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(DuesPayment)),
            s.get(PartyMember, cy).version,
        ) == before
    # inside its community, the same writes work
    new_branch = party.save_org(sec, party.OrgInput("新华第三党支部", "BRANCH", parent_id=org["xh"]))
    party.save_member(
        sec, own.edit.__class__(**{**own.edit.__dict__, "org_id": new_branch, "group_id": None})
    )
    party.record_payments(sec, people["新华乙"], ["2026-10"], D(2026, 11, 1), amount_fen=100)
    party.set_tracking_start(signed["party"], "2026-01")  # a street 党务 account may


def test_a_transfer_between_communities(world):
    """新华 transfers out its member; 朝阳 takes the member in with the same 身份证号; the record is then 朝阳's."""
    signed, org, people, _ = world
    sec, cy_party = signed["secretary"], signed["cy_party"]
    mid = people["新华乙"]
    edit = party.get_member(signed["street"], mid).edit
    id_number = party.reveal_member(signed["street"], mid, "核对")[0]
    party.transfer_out(sec, mid, D(2026, 11, 2), "朝阳社区党委朝阳第一党支部", letter_no="NO.7")
    assert "新华乙" in _members(sec, status=None)  # the sender keeps its 已转出 record until it is taken in
    # 新华 cannot take in an active member of 朝阳 (and is not told the name)
    hidden_id = party.reveal_member(signed["street"], people[HIDDEN], "核对")[0]
    with pytest.raises(ValidationError) as caught:
        party.transfer_in(sec, party.MemberInput(name="某人", org_id=org["xh1"], id_number=hidden_id,
                                                 joined_on=D(2000, 7, 1), confirmed_on=D(2001, 7, 1)),
                          D(2026, 11, 3), "外地")  # fmt: skip
    assert HIDDEN not in str(caught.value)
    data = edit.__class__(**{**edit.__dict__, "org_id": org["cy1"], "group_id": None, "id_number": id_number})
    taken = party.transfer_in(cy_party, data, D(2026, 11, 5), "新华社区党委", letter_no="NO.7")
    assert taken == mid
    assert "新华乙" in _members(cy_party) and "新华乙" not in _members(sec, status=None)
    kinds = [e.kind for e in party.get_member(cy_party, mid).events]
    assert kinds.index("TRANSFER_OUT") < kinds.index("TRANSFER_IN")  # the history came with the record


def test_a_check_in_is_seen_by_the_community_it_checks_into(world):
    signed, _org, people, places = world
    sec, cy = signed["secretary"], people[HIDDEN]
    party.record_payments(signed["street"], cy, ["2026-10"], D(2026, 11, 1), amount_fen=100)
    with pytest.raises(PermissionDenied):  # a new check-in is registered by the member's own organisation
        party.save_check_in(sec, party.CheckInInput(cy, "钢城医院", D(2026, 11, 1), places["xinhua"]))
    cid = party.save_check_in(
        signed["cy_party"], party.CheckInInput(cy, "钢城医院", D(2026, 11, 1), places["xinhua"])
    )
    assert HIDDEN not in _members(sec)
    assert _members(sec, flag="CHECK_IN") == {HIDDEN}  # 新华 sees who checked in with it
    card = party.get_member(sec, cy)  # a reduced card: the check-in, not the member's dues or history
    assert [c.id for c in card.check_ins] == [cid]
    assert card.dues is None and card.payments == () and card.events == () and card.steps == ()
    assert party.get_member(signed["cy_party"], cy).payments != ()
    party.save_check_in(
        sec,
        party.CheckInInput(
            cy, "钢城医院", D(2026, 11, 1), places["xinhua"], service_hours=6, id=cid, version=1
        ),
    )
    party.end_check_in(sec, cid, D(2026, 11, 20), version=2)
    with pytest.raises(PermissionDenied):
        party.save_member(sec, card.edit)
    other = party.save_check_in(
        signed["street"], party.CheckInInput(people[STREET_ONLY], "区委", D(2026, 11, 1))
    )
    with pytest.raises(PermissionDenied, match="报到记录"):
        party.end_check_in(sec, other, D(2026, 11, 20), version=1)


def test_grid_accounts_reach_party_data_only_through_the_role(world):
    signed, _org, _people, _places = world
    with pytest.raises(PermissionDenied, match="没有权限：党建"):
        party.list_members(signed["grid"], party.MemberFilter())
    accounts.save_role_permissions(signed["admin"], "网格员", [RESIDENTS_READ, PARTY])
    grid = signed["ctx"].signed_in(accounts.sign_in(signed["ctx"], "grid", PW).account)
    assert {n.name for n in party.list_org_tree(grid)} == {"新华一网格党支部"}  # the branch of its grid
    assert _members(grid) == {"新华甲"}
    assert GRIDS not in grid.account.permissions  # (sanity: the role was changed, nothing else)


def test_roster_and_exports_hold_the_community_only(world, tmp_path):
    signed, org, _people, _ = world
    sec = signed["secretary"]
    pdf = roster.print_party_roster(sec, tmp_path / "roster.pdf").path
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "新华甲" in text and HIDDEN not in text and STREET_ONLY not in text
    with pytest.raises(PermissionDenied):
        roster.print_party_roster(sec, tmp_path / "x.pdf", org_name="朝阳社区党委")
    out = tmp_path / "members.xlsx"
    assert roster_exchange.export_members(sec, out, reason="核对") == 2
    cells = {str(c.value) for row in load_workbook(out).active.iter_rows() for c in row}
    assert "新华甲" in cells and HIDDEN not in cells and STREET_ONLY not in cells
    with pytest.raises(PermissionDenied):
        roster_exchange.export_members(sec, out, org_id=org["cy"], reason="核对")


def test_an_import_rejects_the_rows_of_another_community(world, tmp_path):
    signed, _org, people, _ = world
    sec = signed["secretary"]
    hidden_id = party.reveal_member(signed["street"], people[HIDDEN], "核对")[0]
    own_id = party.reveal_member(signed["street"], people["新华甲"], "核对")[0]
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "所在党支部", "学历"])
    sheet.append(["新华甲", own_id, "新华一网格党支部", "大学本科"])
    sheet.append([HIDDEN, hidden_id, "朝阳第一党支部", "大学本科"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    report = roster_exchange.import_members(sec, path)
    assert report.updated == 1 and report.rejected == 1
    assert [i.row for i in report.issues if "没有权限" in i.reason] == [3]
    sheet.delete_rows(2, 2)
    sheet.append([HIDDEN, hidden_id, "新华一网格党支部", "大学本科"])  # pulling 朝阳's member into 新华
    book.save(path)
    report = roster_exchange.import_members(sec, path)
    assert report.rejected == 1 and "没有权限" in report.issues[0].reason
    assert HIDDEN not in report.issues[0].reason
    assert party.get_member(signed["street"], people[HIDDEN]).education is None
