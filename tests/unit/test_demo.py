"""``shequ demo``: the small scale's shape, consistency of the people, refusal, --force, determinism, CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from db.crypto import keys_of
from db.schema.audit import AuditRecord
from db.schema.judicial import JudicialConfirmation
from db.schema.mediation import AgreementTerm, CaseParty, MediationCase
from db.schema.people import Household, Resident, ResidentTag
from db.schema.structure import Community, Grid, GridStaff, Street
from desktop.core.errors import CancelledError, ConflictError, ValidationError
from desktop.core.identity import Actor
from desktop.domain.identity import MOBILE_RE, birth_date_from_id, gender_from_id, id_number_problem
from desktop.services import dashboard, demo
from desktop.services.bootstrap import open_database
from desktop.services.demo import names
from desktop.services.demo.people import name_initials
from desktop.services.dictionaries import RELATIONS_TO_HEAD, SPECIAL_GROUPS
from desktop.services.structure import HELPER_KINDS
from tests.conftest import TODAY

REGIONS = {
    code
    for codes in (names.LOCAL_REGIONS, names.GANSU_REGIONS, names.OTHER_REGIONS)
    for code, _weight in codes
} | {code for codes in names.ETHNIC_REGIONS.values() for code in codes}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    """One small demo database shared by the read-only tests of this module."""
    opened = open_database(
        tmp_path_factory.mktemp("demo") / "small.sqlite3", actor=Actor("测试员", "test-pc")
    )
    summary = demo.generate(opened.ctx, scale="small")
    yield opened.ctx, summary
    opened.ctx.database.dispose()


def _age(born: dt.date, on: dt.date = demo.DEMO_DATE) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _counts(ctx) -> dict[str, int]:
    with ctx.read() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Street, Community, Grid, GridStaff, Household, Resident, ResidentTag, AuditRecord)
        }


def _fingerprint(ctx) -> list[tuple]:
    """Everything the generator decides (no timestamps), the mediation cases and court tracks included."""
    with ctx.read() as s:
        grids = s.execute(
            select(Grid.code, Grid.name, Grid.kind, Grid.boundary, Grid.households, Grid.population).order_by(
                Grid.id
            )
        ).all()
        staff = s.execute(
            select(GridStaff.grid_id, GridStaff.role, GridStaff.name, GridStaff.phone).order_by(GridStaff.id)
        ).all()
        people = s.execute(
            select(
                Resident.id,
                Resident.name,
                Resident.id_number,
                Resident.phone,
                Resident.household_id,
                Resident.relation_to_head,
                Resident.care_tier,
                Resident.status,
            ).order_by(Resident.id)
        ).all()
        tags = s.execute(select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.id)).all()
        cases = s.execute(
            select(
                MediationCase.case_no,
                MediationCase.summary,
                MediationCase.requests,
                MediationCase.amount_involved,
            ).order_by(MediationCase.id)
        ).all()
        parties = s.execute(
            select(
                CaseParty.name,
                CaseParty.id_number,
                CaseParty.guardian_id_number,
                CaseParty.agent,
                CaseParty.legal_rep,
            ).order_by(CaseParty.id)
        ).all()
        terms = s.execute(
            select(AgreementTerm.text, AgreementTerm.amount, AgreementTerm.due_on).order_by(AgreementTerm.id)
        ).all()
        court = s.execute(
            select(JudicialConfirmation.court_case_no, JudicialConfirmation.filed_on).order_by(
                JudicialConfirmation.id
            )
        ).all()
    return [*grids, *staff, *people, *tags, *cases, *parties, *terms, *court]


# ---------------------------------------------------------------- shape of the small scale


def test_small_scale_is_one_community_six_grids_two_thousand_residents(small) -> None:
    ctx, summary = small
    counts = _counts(ctx)
    assert (counts["street"], counts["community"], counts["grid"]) == (1, 1, 6)
    assert summary.active_residents == 2000
    assert counts["resident"] == summary.residents == 2000 + summary.inactive_residents
    assert 0 < summary.inactive_residents <= 40
    assert counts["household"] == summary.households == 940
    assert counts["resident_tag"] == summary.tags > 0
    figures = dashboard.street_figures(ctx)
    assert (figures.street_name, figures.residents, figures.households) == ("钢城街道", 2000, 940)
    assert figures.grids_by_kind == {"BASIC": 4, "DEDICATED": 1, "MICRO": 1}
    assert [
        w for w in figures.warnings if w.area == "grids"
    ] == []  # every grid has its 网格长 and 专职网格员
    assert 0.12 < figures.floating / figures.residents < 0.35


def test_grids_are_numbered_named_bounded_and_staffed_1_1_n(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        grids = s.scalars(select(Grid).order_by(Grid.code)).all()
        staff = s.scalars(select(GridStaff)).all()
        live = dict(
            s.execute(
                select(Resident.grid_id, func.count())
                .where(Resident.status == "ACTIVE")
                .group_by(Resident.grid_id)
            ).all()
        )
        homes = dict(s.execute(select(Household.grid_id, func.count()).group_by(Household.grid_id)).all())
    assert [g.code for g in grids] == [f"GC-01-{i:03d}" for i in range(1, 7)]
    assert [g.kind for g in grids] == ["BASIC"] * 4 + ["DEDICATED", "MICRO"]
    assert grids[0].name == "新华社区第一网格"
    assert grids[4].name.endswith("专属网格") and grids[5].name.endswith("微网格")
    for g in grids:
        assert re.search(r"东至.+，南至.+，西至.+，北至.+", g.boundary or ""), g.boundary
        assert g.households == homes[g.id] and g.population == live[g.id]  # declared = register
        roles = Counter(m.role for m in staff if m.grid_id == g.id)
        assert roles["CHIEF"] == 1 and roles["WORKER"] == 1 and 2 <= roles["HELPER"] <= 6
    for m in staff:
        assert m.phone and MOBILE_RE.match(m.phone)
        assert (m.helper_kind in HELPER_KINDS) if m.role == "HELPER" else m.helper_kind is None


# ---------------------------------------------------------------- the people


def test_every_id_number_is_valid_unique_and_matches_birth_date_and_gender(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        rows = s.execute(select(Resident.id_number, Resident.birth_date, Resident.gender)).all()
    assert len({r.id_number for r in rows}) == len(rows)
    for number, born, gender in rows:
        assert id_number_problem(number) is None, number
        assert birth_date_from_id(number) == born
        assert gender_from_id(number) == gender
        assert number[:6] in REGIONS
    local = sum(1 for r in rows if r.id_number.startswith("6202"))
    assert local > len(rows) * 0.5  # mostly 嘉峪关


def test_households_are_consistent(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        homes = {h.id: h for h in s.scalars(select(Household))}
        people = s.scalars(select(Resident)).all()
    members: dict[int, list[Resident]] = defaultdict(list)
    for r in people:
        members[r.household_id].append(r)
    assert set(members) == set(homes)
    for hid, group in members.items():
        home = homes[hid]
        assert 1 <= len(group) <= 6
        assert all((r.community_id, r.grid_id) == (home.community_id, home.grid_id) for r in group)
        assert len({r.residence_kind for r in group}) == 1
        heads = [r for r in group if r.relation_to_head == "户主"]
        assert len(heads) == 1 and heads[0].status == "ACTIVE"
        head_age = _age(heads[0].birth_date)
        for r in group:
            assert r.relation_to_head in RELATIONS_TO_HEAD
            gap = _age(r.birth_date) - head_age
            if r.relation_to_head in ("子", "女"):
                assert gap <= -16, (r.name, gap)
            if r.relation_to_head in ("孙子", "孙女", "外孙子", "外孙女"):
                assert gap <= -36, (r.name, gap)
            if r.relation_to_head in ("父亲", "母亲"):
                assert gap >= 18, (r.name, gap)
            if r.relation_to_head in ("子", "孙子", "外孙子", "父亲", "岳父", "公公", "女婿"):
                assert r.gender == "男"
            if r.relation_to_head in ("女", "孙女", "外孙女", "母亲", "岳母", "婆婆", "儿媳"):
                assert r.gender == "女"
            if r.relation_to_head == "配偶":
                assert r.gender != heads[0].gender
        assert home.estate and (home.building or "").endswith(("号楼", "号院"))


def test_names_phones_and_addresses_look_right(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        people = s.scalars(select(Resident)).all()
    keys = keys_of(ctx.database)  # the phone's last four digits are kept as their keyed hash
    assert name_initials("王", "建国") == "wjg" and name_initials("曾", "丽红") == "zlh"
    phones = [r.phone for r in people if r.phone]
    assert len(set(phones)) == len(phones)
    for r in people:
        han = [c for c in r.name if c != "·"]
        assert 2 <= len(han) <= 9
        assert r.name_initials and re.fullmatch(r"[a-z]+", r.name_initials)
        assert len(r.name_initials) == len(han)
        if r.phone:
            assert MOBILE_RE.match(r.phone) and r.phone_tail == keys.blind("phone_tail", r.phone[-4:])
        else:
            assert r.phone_tail is None
        if _age(r.birth_date) < 14:
            assert r.phone is None
    surnames = Counter(r.name[0] for r in people)
    assert surnames.most_common(1)[0][0] in "王李张刘"
    assert Counter(r.ethnicity for r in people).most_common(1)[0] == (
        "汉族",
        pytest.approx(len(people), rel=0.1),
    )


def test_tags_tiers_and_statuses(small) -> None:
    ctx, _ = small
    with ctx.read() as s:
        people = {r.id: r for r in s.scalars(select(Resident))}
        tags = s.execute(select(ResidentTag.resident_id, ResidentTag.tag)).all()
    by_person: dict[int, set[str]] = defaultdict(set)
    for rid, tag in tags:
        assert tag in SPECIAL_GROUPS
        by_person[rid].add(tag)
    household_active = Counter(r.household_id for r in people.values() if r.status == "ACTIVE")
    for rid, group in by_person.items():
        r = people[rid]
        assert r.status == "ACTIVE"
        if "独居老人" in group:
            assert household_active[r.household_id] == 1 and _age(r.birth_date) >= 60
        if "高龄老人" in group:
            assert _age(r.birth_date) >= 80
    tiers = Counter(r.care_tier for r in people.values())
    assert tiers["GREEN"] > 0.8 * len(people) and tiers["BLUE"] > 0 and tiers["ORANGE"] > 0
    assert all(by_person.get(r.id) for r in people.values() if r.care_tier != "GREEN")  # tiers follow tags
    inactive = [r for r in people.values() if r.status != "ACTIVE"]
    assert {r.status for r in inactive} <= {"MOVED", "DECEASED", "LEFT"} and "MOVED" in {
        r.status for r in inactive
    }
    assert all(r.status_changed_on and r.status_changed_on <= TODAY for r in inactive)
    assert all(r.status_changed_on is None for r in people.values() if r.status == "ACTIVE")


def test_one_audit_record_for_the_whole_generation(small) -> None:
    ctx, summary = small
    with ctx.read() as s:
        records = s.scalars(select(AuditRecord)).all()
    assert [(r.action, r.entity) for r in records] == [("demo", "database")]
    assert "2,000" in records[0].summary and "钢城街道" in records[0].summary
    text = summary.describe()
    assert "6 个网格" in text and "2,000" in text and text.count("\n") == 1


# ---------------------------------------------------------------- refusal, force, one transaction


def test_refuses_a_filled_database_and_changes_nothing(ctx) -> None:
    demo.generate(ctx, scale="small")
    before, fingerprint = _counts(ctx), _fingerprint(ctx)
    with pytest.raises(ConflictError) as err:
        demo.generate(ctx, scale="small", seed=7)
    assert (
        "已有数据" in err.value.message and "6 个网格" in err.value.message and "--force" in err.value.message
    )
    assert _counts(ctx) == before and _fingerprint(ctx) == fingerprint


def test_refuses_even_a_database_with_only_a_street(ctx) -> None:
    from desktop.services import structure

    structure.save_street(ctx, "钢城街道")
    with pytest.raises(ConflictError, match="1 个街道"):
        demo.generate(ctx)


def test_force_replaces_everything_including_rows_of_other_areas(ctx) -> None:
    demo.generate(ctx, scale="small")
    first = _fingerprint(ctx)
    with ctx.write() as uow:  # a table of another area that points at residents (e.g. visits)
        uow.session.execute(
            sa.text(
                "CREATE TABLE visit_probe (id INTEGER PRIMARY KEY, resident_id INTEGER REFERENCES resident(id))"
            )
        )
        uow.session.execute(sa.text("INSERT INTO visit_probe (resident_id) VALUES (1)"))
    summary = demo.generate(ctx, scale="small", seed=99, force=True)
    assert summary.replaced_rows > 2000 and "已清空原有数据" in summary.describe()
    counts = _counts(ctx)
    assert (counts["street"], counts["community"], counts["grid"], counts["household"]) == (1, 1, 6, 940)
    # two generations, and the verified backup taken before the second replaced the data (issue 15 §5)
    assert counts["resident"] == summary.residents and counts["audit_record"] == 3
    assert summary.backup_path is not None and Path(summary.backup_path).exists()
    assert _fingerprint(ctx) != first
    with ctx.read() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM visit_probe")) == 0
        assert s.scalar(select(func.min(Resident.id))) == 1  # keys start afresh


def test_an_interrupted_generation_leaves_the_database_untouched(ctx) -> None:
    demo.generate(ctx, scale="small")
    before = _fingerprint(ctx)
    calls = []

    def cancel_midway(done: int, total: int, text: str) -> None:
        calls.append(text)
        if text.startswith("正在写入居民"):
            raise CancelledError()

    with pytest.raises(CancelledError):
        demo.generate(ctx, scale="small", seed=5, force=True, progress=cancel_midway)
    assert "正在清空原有数据…" in calls
    assert _fingerprint(ctx) == before


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    prints = []
    for name, seed in (("a", 42), ("b", 42), ("c", 43)):
        opened = open_database(tmp_path / f"{name}.sqlite3", actor=Actor("测试员", "test-pc"))
        demo.generate(opened.ctx, scale="small", seed=seed)
        prints.append(_fingerprint(opened.ctx))
        opened.ctx.database.dispose()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_progress_is_reported_in_chinese_and_ends_at_the_total(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.sqlite3")
    seen: list[tuple[int, int, str]] = []
    demo.generate(opened.ctx, progress=lambda d, t, text: seen.append((d, t, text)))
    opened.ctx.database.dispose()
    assert len(seen) >= 4
    assert all(0 <= d <= t for d, t, _ in seen)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert seen[-1][0] == seen[-1][1] and any("居民" in text for _, _, text in seen)


def test_unknown_scale_is_refused(ctx) -> None:
    with pytest.raises(ValidationError, match="small 或 street"):
        demo.generate(ctx, scale="city")
    assert _counts(ctx)["street"] == 0


# ---------------------------------------------------------------- the command line


def test_cli_generates_then_refuses_then_forces(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.app import main

    assert main(["--db", str(db_path), "demo", "--scale", "small"]) == 0
    out = capsys.readouterr().out
    assert "已生成演示数据" in out and "6 个网格" in out
    # the accounts' table lines up on a terminal: each column starts at the same display column (CJK = 2)
    import unicodedata

    lines = [ln for ln in out.splitlines() if "密码：" in ln]
    assert len(lines) == 7
    starts = set()
    for ln in lines:
        head = ln[: ln.index("密码：")]
        starts.add(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in head))
    assert len(starts) == 1, lines

    # the demo made its accounts: from now on the demo, too, needs an account that may change the settings
    assert main(["--db", str(db_path), "demo", "--scale", "small"]) == 3
    assert "需要登录" in capsys.readouterr().err
    login = ["--db", str(db_path), "--user", "admin", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("Demo@2026\n"))
    assert main([*login, "demo", "--scale", "small"]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "错误：数据库中已有数据" in captured.err and "--force" in captured.err

    monkeypatch.setattr("sys.stdin", io.StringIO("Demo@2026\n"))
    assert main([*login, "demo", "--scale", "small", "--seed", "1", "--force"]) == 0
    assert "已清空原有数据" in capsys.readouterr().out
