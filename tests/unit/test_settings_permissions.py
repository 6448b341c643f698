"""Who may change a setting: the street-wide rules edited in 设置 need 系统与安全设置; the settings an area keeps
on its own page (人民调解 time limits and 纠纷类型, 司法确认 courts, 党建 frequencies) need that area's permission;
grids, communities and staff need 网格与社区结构. A refused change leaves the stored value as it was."""

from __future__ import annotations

import pytest

from desktop.core.errors import PermissionDenied
from desktop.domain.bulletin import RankingWeights
from desktop.services import mediation as med
from desktop.services import structure as st
from desktop.services.events.config import save_whistlers, whistlers
from desktop.services.party.meetings import meeting_frequencies, set_meeting_frequencies
from desktop.services.reports.grid_bulletin import ranking_weights, save_ranking_weights
from desktop.services.visits.config import frequencies, save_frequencies
from tests.unit.test_account_scope import world  # noqa: F401  (the fixture)


def test_street_wide_settings_need_the_settings_permission(world):  # noqa: F811
    signed, _, _ = world
    admin, street, grid = signed["admin"], signed["street"], signed["grid"]
    now = frequencies(admin)
    for who in (street, grid):  # they work with events and visits, but do not set the street's rules
        with pytest.raises(PermissionDenied, match="系统与安全设置"):
            save_whistlers(who, ["王书记"])
        with pytest.raises(PermissionDenied, match="系统与安全设置"):
            save_ranking_weights(who, RankingWeights(visits=50.0))
        with pytest.raises(PermissionDenied, match="系统与安全设置"):
            save_frequencies(who, dict(now.tiers), {**now.groups, "吸毒人员": "WEEK"})
    assert whistlers(admin) != ("王书记",)
    save_whistlers(admin, ["王书记"])
    save_ranking_weights(admin, RankingWeights(visits=50.0))
    assert whistlers(admin) == ("王书记",)
    assert ranking_weights(admin).visits == 50.0
    assert frequencies(admin) == now
    save_frequencies(admin, dict(now.tiers), {**now.groups, "吸毒人员": "WEEK"})
    assert frequencies(admin).groups["吸毒人员"] == "WEEK"


def test_an_areas_own_settings_need_its_permission(world):  # noqa: F811
    signed, _, _ = world
    rules = med.rules(signed["secretary"])
    changed = med.MediationRules(**{**rules.__dict__, "warn_days": rules.warn_days + 1})
    with pytest.raises(PermissionDenied, match="办理人民调解"):
        med.save_rules(signed["grid"], changed)
    with pytest.raises(PermissionDenied, match="办理人民调解"):
        med.save_rules(signed["street"], changed)  # 街道管理员 reads mediation, does not run it
    med.save_rules(signed["secretary"], changed)
    assert med.rules(signed["street"]).warn_days == rules.warn_days + 1
    med.save_rules(signed["admin"], rules)  # 系统与安全设置 may change every setting
    with pytest.raises(PermissionDenied, match="办理人民调解"):
        med.save_dispute_types(signed["grid"], med.dispute_types(signed["secretary"]))
    frequencies_now = meeting_frequencies(signed["party"])
    with pytest.raises(PermissionDenied, match="党建"):
        set_meeting_frequencies(signed["grid"], frequencies_now)
    set_meeting_frequencies(signed["party"], frequencies_now)


def test_structure_needs_the_grids_permission(world):  # noqa: F811
    signed, _, grids = world
    community = st.list_communities(signed["admin"])[0].id
    for who in ("grid", "secretary", "mediator", "party"):
        with pytest.raises(PermissionDenied, match="网格与社区结构"):
            st.save_grid(signed[who], st.GridInput(community, "GC-09-001", "新网格", "BASIC"))
        with pytest.raises(PermissionDenied, match="网格与社区结构"):
            st.save_community(signed[who], st.CommunityInput("新社区"))
        with pytest.raises(PermissionDenied, match="网格与社区结构"):
            st.save_staff(signed[who], st.StaffInput(grids["新华二网格"], "WORKER", "孙丽"))
    assert st.save_grid(signed["admin"], st.GridInput(community, "GC-09-001", "新网格", "BASIC")) > 0
    assert "新网格" in {g.name for g in st.list_grids(signed["street"])}
