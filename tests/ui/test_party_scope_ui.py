"""The 党建 page signed in as a 社区书记 (offscreen, real widgets): its tree, member list, dues, recruitment and
meetings hold its own community only — no organisation or member of the other community, none of the street's
党工委 — and the street's 党务 account, on the same database, sees both (issue 13 §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import accounts, party, structure
from desktop.services.accounts import AccountInput
from desktop.ui.pages.party.party_page import PartyPage
from desktop.ui.qt import QtWidgets
from tests.ui.test_party_page import make_id

D = dt.date
PW = "Scope#2026x"
HIDDEN = "朝阳藏青"


@pytest.fixture
def signed(street_ctx):
    ctx = street_ctx
    comm = {c.name: c.id for c in structure.list_communities(ctx)}
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    for i, (community, member) in enumerate((("新华社区", "新华党员"), ("朝阳社区", HIDDEN))):
        short = community.removesuffix("社区")
        committee = party.save_org(
            ctx, party.OrgInput(f"{short}社区党委", "COMMITTEE", parent_id=top, community_id=comm[community])
        )
        branch = party.save_org(ctx, party.OrgInput(f"{short}第一党支部", "BRANCH", parent_id=committee))
        party.save_member(
            ctx,
            party.MemberInput(member, branch, id_number=make_id(D(1970, 1, 1 + i), 60 + i), joined_on=D(2000, 7, 1),
                              confirmed_on=D(2001, 7, 1), dues_category="RETIRED", dues_base_fen=300_000,
                              dues_start_month="2026-01"),
        )  # fmt: skip
        party.save_meeting(ctx, party.MeetingInput(branch, "THEME_DAY", D(2026, 11, 2), f"{member}主题党日"))
    accounts.create_account(ctx, AccountInput("admin", "系统管理员"), PW)
    admin = ctx.signed_in(accounts.sign_in(ctx, "admin", PW).account)
    for data in (
        AccountInput("secretary", "社区书记/主任", community_id=comm["新华社区"], must_change_password=False),
        AccountInput("party", "党务", must_change_password=False),
    ):
        accounts.create_account(admin, data, PW)
    return {
        login: ctx.signed_in(accounts.sign_in(ctx, login, PW).account) for login in ("secretary", "party")
    }


def _open(qtbot, ctx) -> PartyPage:
    page = PartyPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.activate()
    return page


def _wait(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: not tab.loading and not tab._stale, timeout=5000)


def test_a_community_secretary_sees_no_member_of_another_community(qtbot, signed) -> None:
    page = _open(qtbot, signed["secretary"])
    tree = page.tree_model
    top = [tree.index(r, 0).data() for r in range(tree.rowCount())]
    assert top == ["新华社区党委"]  # the root of its reach: not the street's 党工委, not 朝阳's
    assert "党员 1 名" in page.header.subtitle_label.text()
    texts = []
    for tab in page.all_tabs:  # 党员, 发展党员, 党费, 三会一课, 组织与班子: every table each tab shows
        page.tabs.setCurrentWidget(tab)
        tab.reload()
        _wait(qtbot, tab)
        for view in tab.findChildren(QtWidgets.QAbstractItemView):
            model = view.model()
            if model is not None:
                texts += [
                    str(model.index(r, c).data())
                    for r in range(model.rowCount())
                    for c in range(model.columnCount())
                ]
    shown = " ".join(texts)
    assert "新华党员" in shown and HIDDEN not in shown and "朝阳" not in shown
    # the same page for the street's 党务 account lists both communities
    street = _open(qtbot, signed["party"])
    assert [street.tree_model.index(r, 0).data() for r in range(street.tree_model.rowCount())] == [
        "钢城街道党工委"
    ]
    _wait(qtbot, street.members_tab)
    assert HIDDEN in [r.name for r in street.members_tab.model.rows()]
