"""党员名册 columns (issue 11, points 11 and 21): 工作岗位/单位, 党籍状态, 外出流向 and 失联日期 where they apply,
the branch's name on every continuation page, no blank cell where the record has a value, dates as
2026年2月26日 — read back from the PDF's text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.documents.party_roster import entry_values, section_columns
from desktop.services import party, structure
from desktop.services.party import roster
from tests.unit.test_party_roster import make_id

D = dt.date
TODAY = D(2026, 11, 23)
BRANCH = "中共新华社区第一网格支部委员会"


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(str(path)).pages]


@pytest.fixture
def branch(street_ctx: Any) -> tuple[Any, dict[str, int]]:
    ctx = street_ctx
    grid = structure.list_grids(ctx)[0].id
    top = party.save_org(ctx, party.OrgInput("钢城街道党工委", "WORKING_COMMITTEE"))
    big = party.save_org(
        ctx, party.OrgInput("新华一网格党支部", "BRANCH", parent_id=top, grid_id=grid, full_name=BRANCH)
    )
    quiet = party.save_org(ctx, party.OrgInput("新华二网格党支部", "BRANCH", parent_id=top))
    ids: dict[str, int] = {}
    for i in range(36):
        ids[f"m{i}"] = party.save_member(
            ctx,
            party.MemberInput(
                f"党员{i:02d}", big, id_number=make_id(D(1950 + i % 20, 2, 26), i), joined_on=D(1990 + i % 20, 2, 26),
                confirmed_on=D(1991 + i % 20, 2, 26), address=f"新华小区{i % 9 + 1}号楼{i + 100}室",
                occupation="会计" if i == 1 else None, work_unit="钢城市第一中学" if i in (1, 2) else None,
            ),
        )  # fmt: skip
    party.set_mobile(ctx, ids["m3"], party.MobileInput("OUT", D(2025, 3, 1), "广东省深圳市"))
    party.set_lost_contact(ctx, ids["m4"], D(2024, 5, 6), "1")
    party.save_member(
        ctx, party.MemberInput("安静", quiet, id_number=make_id(D(1980, 5, 5), 99), joined_on=D(2020, 7, 1))
    )
    return ctx, ids


def test_roster_columns_values_and_dates(branch: tuple[Any, dict[str, int]], tmp_path: Path) -> None:
    ctx, _ids = branch
    out = roster.print_party_roster(
        ctx, tmp_path / "名册.pdf", today=TODAY
    )  # every branch: header is the 党工委
    pages = _pages(out.path)
    first = [p for p in pages if BRANCH in p]
    assert len(first) >= 2, "the big branch spans pages"
    for text in first:
        # the branch's name heads the table on every page of its section, with the columns
        assert f"党组织：{BRANCH}" in text
        for header in ("工作岗位/单位", "党籍状态", "外出流向", "失联日期", "入党日期", "家庭住址"):
            assert header in text, header
    everything = "".join(first)
    assert "截至2026年11月23日" in everything
    assert "1950年2月26日" in everything and "1990年2月26日" in everything  # 出生, 入党: 年月日, not ISO
    assert not re.search(r"\d{4}-\d{2}-\d{2}", everything)
    assert "会计/钢城市第一中学" in everything and "钢城市第一中学" in everything.replace(
        "会计/钢城市第一中学", ""
    )
    assert "广东省深圳市" in everything and "2024年5月6日" in everything
    assert everything.count("正常") >= 36  # 党籍状态 of every member
    assert "流动党员" not in everything and "失联党员" not in everything.replace("失联日期", "")
    # a branch without 流动/失联 members has no such columns
    quiet = next(p for p in pages if "新华二网格党支部" in p)
    assert (
        "外出流向" not in quiet
        and "失联日期" not in quiet
        and "党籍状态" in quiet
        and "2020年7月1日" in quiet
    )


def test_no_blank_cell_where_the_record_has_a_value(branch: tuple[Any, dict[str, int]]) -> None:
    ctx, _ids = branch
    _header, sections = roster.roster_sections(ctx, today=TODAY)
    big = next(s for s in sections if s.full_name == BRANCH)
    by_name = {e.name: e for e in big.entries}
    assert by_name["党员01"].work == "会计/钢城市第一中学" and by_name["党员02"].work == "钢城市第一中学"
    assert by_name["党员03"].mobile == "广东省深圳市" and not by_name["党员03"].is_lost
    assert by_name["党员04"].is_lost and by_name["党员04"].lost_since == D(2024, 5, 6)
    assert {e.status_label for e in big.entries} == {"正常"}
    keys = [k for k, _h, _w, _a in section_columns(big)]
    for i, e in enumerate(big.entries, start=1):
        values = entry_values(i, e)
        for key, field in (
            ("work", e.work),
            ("mobile", e.mobile),
            ("birth", e.birth_date),
            ("joined", e.joined_on),
        ):
            if field:
                assert key in keys and values[key], (e.name, key)
