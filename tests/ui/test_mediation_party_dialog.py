"""The party dialog: the capacity box and the 法定代理人 group (shown and required for a minor or a ticked
box), the organisation's 法定代表人 in place of the personal fields, the 委托代理人 fields, inline errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from desktop.services import mediation as med
from desktop.ui.dialogs.mediation_party_dialog import MediationPartyDialog
from tests.unit.mediation_ledgers import make_id
from tests.unit.test_mediation_helpers import intake, person, setup_committee

D = dt.date


@pytest.fixture
def case_id(street_ctx) -> int:
    cid, m1, _ = setup_committee(street_ctx)
    return med.get_case(street_ctx, intake(street_ctx, cid, m1)).id  # accepted 2026-03-02


def _dialog(qtbot, ctx, case_id: int, party=None) -> MediationPartyDialog:
    dialog = MediationPartyDialog(ctx, case_id, party)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _shot(dialog: MediationPartyDialog, name: str) -> None:
    """A PNG for review when SHOTS_DIR is set (not part of the test's verdict)."""
    out = os.environ.get("SHOTS_DIR")
    if out:
        dialog.grab().save(str(Path(out) / f"{name}.png"))


def _person(form, name: str, birth: dt.date | None) -> None:
    form.name_edit.setText(name)
    form.gender_combo.setCurrentIndex(form.gender_combo.findData("男"))
    form.birth_edit.set_value(birth)
    form.address_edit.setText("嘉峪关市长城区新华小区3号楼2单元502室")
    form.occupation_edit.setText("退休工人")
    form.phone_edit.setText("13809371234")


def test_ticking_capacity_requires_a_guardian_shown_inline(qtbot, street_ctx, case_id) -> None:
    d = _dialog(qtbot, street_ctx, case_id)
    f = d.party_form
    _person(f, "王大成", D(1970, 2, 3))
    assert not f.guardian_box.isVisibleTo(d)  # an adult: no 法定代理人
    f.capacity_check.setChecked(True)
    assert f.guardian_box.isVisibleTo(d)
    d.ok_button.click()
    assert d.result() == 0 and d.isVisible()  # refused, the dialog stays
    assert d.error_label.isVisibleTo(d) and "法定代理人" in d.error_label.text()
    assert f.guardian_name_edit.property("invalid") is True
    _shot(d, "party_capacity_refused")
    f.guardian_name_edit.setText("王小燕")
    f.guardian_relation_combo.setCurrentText("子女")
    f.guardian_id_edit.setText(make_id(D(1995, 6, 1), 22, male=False))
    d.ok_button.click()
    assert "与当事人的关系" not in d.error_label.text()
    assert d.result() == 1, d.error_label.text()
    saved = med.get_case(street_ctx, case_id).parties[-1]
    assert (saved.name, saved.lacks_capacity, saved.guardian_name, saved.guardian_relation) == (
        "王大成",
        True,
        "王小燕",
        "子女",
    )


def test_a_minor_by_birth_date_or_id_shows_the_guardian_group(qtbot, street_ctx, case_id) -> None:
    d = _dialog(qtbot, street_ctx, case_id)
    f = d.party_form
    _person(f, "李小军", D(2009, 5, 1))  # 16 on the 受理日期 2026-03-02
    assert f.guardian_box.isVisibleTo(d)
    f.birth_edit.set_value(None)
    assert not f.guardian_box.isVisibleTo(d)
    f.id_edit.setText(make_id(D(2008, 3, 3), 31))  # turns 18 the day after acceptance
    assert f.guardian_box.isVisibleTo(d)
    d.ok_button.click()
    assert d.result() == 0 and "未满 18 周岁" in d.error_label.text()
    f.guardian_name_edit.setText("李建国")
    f.guardian_relation_combo.setCurrentText("父亲")
    f.guardian_id_edit.setText(make_id(D(2009, 1, 1), 41))  # a minor cannot be the guardian
    d.ok_button.click()
    assert d.result() == 0 and "须为成年人" in d.error_label.text()
    assert f.guardian_id_edit.property("invalid") is True
    _shot(d, "party_minor_guardian_is_minor")
    f.guardian_id_edit.setText(make_id(D(1980, 1, 1), 41))
    f.guardian_phone_edit.setText("13809375555")
    f.agent_edit.setText("周律师")
    f.agent_relation_combo.setCurrentText("律师")
    f.agent_id_edit.setText(make_id(D(1985, 4, 4), 51))
    f.agent_phone_edit.setText("13909376666")
    d.ok_button.click()
    assert d.result() == 1, d.error_label.text()
    p = med.get_case(street_ctx, case_id).parties[-1]
    assert (p.guardian_name, p.guardian_phone, p.agent, p.agent_relation, p.agent_phone) == (
        "李建国",
        "13809375555",
        "周律师",
        "律师",
        "13909376666",
    )
    assert p.agent_id_number == make_id(D(1985, 4, 4), 51)


def test_an_organisation_has_its_legal_representative_not_the_personal_fields(
    qtbot, street_ctx, case_id
) -> None:
    d = _dialog(qtbot, street_ctx, case_id)
    f = d.party_form
    f.capacity_check.setChecked(True)
    f.kind_combo.setCurrentIndex(f.kind_combo.findData("ORGANISATION"))
    for w in (f.gender_combo, f.birth_edit, f.id_edit, f.capacity_check, f.guardian_box):
        assert not w.isVisibleTo(d)
    assert f.rep_edit.isVisibleTo(d) and f.rep_title_edit.isVisibleTo(d)
    f.name_edit.setText("嘉峪关市某物业服务有限公司")
    f.address_edit.setText("新华路1号")
    f.rep_edit.setText("刘强")
    d.ok_button.click()
    assert d.result() == 0 and "职务" in d.error_label.text()
    assert f.rep_title_edit.property("invalid") is True
    _shot(d, "party_organisation_refused")
    f.rep_title_edit.setText("总经理")
    d.ok_button.click()
    assert d.result() == 1, d.error_label.text()
    p = med.get_case(street_ctx, case_id).parties[-1]
    assert (p.kind, p.legal_rep, p.legal_rep_title, p.lacks_capacity, p.guardian_name) == (
        "ORGANISATION",
        "刘强",
        "总经理",
        False,
        None,
    )


def test_the_same_id_twice_in_a_case_is_refused_inline(qtbot, street_ctx, case_id) -> None:
    first = make_id(D(1968, 5, 4), 11)
    case = med.get_case(street_ctx, case_id)
    med.save_party(
        street_ctx,
        case_id,
        person("张建华", id_number=first),
        case.parties[0].id,
        case.parties[0].version,
    )
    d = _dialog(qtbot, street_ctx, case_id)
    f = d.party_form
    _person(f, "张建华", None)
    f.id_edit.setText(first)
    d.ok_button.click()
    assert d.result() == 0 and "第 1 位当事人（张建华）" in d.error_label.text()
    assert f.id_edit.property("invalid") is True


def test_the_intake_form_opens_the_tab_of_the_party_in_error(qtbot, street_ctx) -> None:
    from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog

    setup_committee(street_ctx)
    d = MediationCaseDialog(street_ctx, None, today=D(2026, 11, 23))
    qtbot.addWidget(d)
    d.show()
    d.accepted_edit.set_value(D(2026, 10, 9))
    d.summary_edit.setPlainText("楼上卫生间漏水，损坏楼下天花板。")
    same = make_id(D(1968, 5, 4), 61)
    applicant, respondent = d.party_forms
    for form, name in ((applicant, "张建华"), (respondent, "张华")):
        _person(form, name, None)
        form.id_edit.setText(same)
    kid = d.add_party_form("RESPONDENT")
    _person(kid, "张小明", D(2012, 1, 1))
    assert kid.guardian_box.isVisibleTo(d)  # a minor on the 受理日期 of this form
    d.party_tabs.setCurrentIndex(0)
    d.ok_button.click()
    assert (
        d.result() == 0
        and "第 2 位当事人（张华）的公民身份号码与第 1 位当事人（张建华）相同" in d.error_label.text()
    )
    assert d.party_tabs.currentWidget() is respondent and respondent.id_edit.property("invalid") is True
    respondent.id_edit.setText(make_id(D(1970, 1, 1), 62))
    d.ok_button.click()
    assert d.party_tabs.currentWidget() is kid and kid.guardian_name_edit.property("invalid") is True
    kid.guardian_name_edit.setText("张建华")
    kid.guardian_relation_combo.setCurrentText("父亲")
    kid.guardian_id_edit.setText(same)  # a party of the case cannot be another party's 法定代理人
    d.ok_button.click()
    assert d.result() == 0 and "不能担任另一位当事人的法定代理人" in d.error_label.text()
    _shot(d, "intake_guardian_is_a_party")
    kid.guardian_name_edit.setText("张丽")
    kid.guardian_relation_combo.setCurrentText("母亲")
    kid.guardian_id_edit.setText(make_id(D(1985, 2, 2), 63, male=False))
    d.ok_button.click()
    assert d.result() == 1, d.error_label.text()
    rec = med.get_case(street_ctx, d.saved_case_no)
    assert [(p.name, p.guardian_name) for p in rec.parties] == [
        ("张建华", None),
        ("张华", None),
        ("张小明", "张丽"),
    ]
