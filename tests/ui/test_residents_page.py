"""居民 page and dialogs, driven through real widgets (offscreen).

Chinese text is typed with setText()/insert() — qtbot.keyClicks() aborts on non-ASCII — and ASCII/digits
with keyClicks(), which exercises the debounced search-as-you-type.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.domain.identity import id_check_char
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.ui.dialogs.resident_card_dialog import ResidentCardDialog
from desktop.ui.dialogs.resident_dialog import ResidentDialog
from desktop.ui.dialogs.resident_household_dialog import ResidentHouseholdDialog
from desktop.ui.dialogs.resident_status_dialog import ResidentStatusDialog
from desktop.ui.dialogs.resident_tier_dialog import ResidentTierDialog
from desktop.ui.dialogs.reveal_dialog import RevealDialog
from desktop.ui.models.resident_table_model import ID_ROLE, ResidentTableModel
from desktop.ui.pages.residents.residents_page import ResidentsPage
from desktop.ui.qt import Qt, QtCore, QtWidgets

M = ResidentTableModel


def make_id(region: str, born: str, seq: str) -> str:
    return region + born + seq + id_check_char(region + born + seq)


WANG = make_id("620201", "19600512", "001")


@pytest.fixture
def data(street_ctx):
    """新华社区: 王建国 (户主, 空巢老人), 李秀兰, 王小明 in one household; 张伟 (流动); 朝阳社区: 欧阳娜娜
    (低保户, 橙色) and 赵志刚 (迁出)."""
    ctx = street_ctx
    comms = {c.name: c.id for c in st.list_communities(ctx)}
    grids = {g.name: g.id for g in st.list_grids(ctx)}
    x, c = comms["新华社区"], comms["朝阳社区"]
    ids: dict[str, int] = {}

    def add(name: str, **kw) -> int:
        ids[name] = rs.save_resident(ctx, rs.ResidentInput(name=name, **kw))
        return ids[name]

    add("王建国", community_id=x, grid_id=grids["新华一网格"], id_number=WANG, phone="13809378000",
        relation_to_head="户主", tags=["空巢老人"],
        new_household=rs.HouseholdInput(x, estate="新华小区", building="3", unit="2", room="301"))  # fmt: skip
    hh = rs.get_resident(ctx, ids["王建国"]).household
    assert hh is not None
    add("李秀兰", community_id=x, id_number=make_id("620201", "19620303", "002"), household_id=hh.id,
        relation_to_head="配偶")  # fmt: skip
    add(
        "王小明",
        community_id=x,
        birth_date=dt.date(2015, 6, 1),
        gender="男",
        household_id=hh.id,
        relation_to_head="子",
    )
    add("张伟", community_id=x, grid_id=grids["新华二网格"], id_number=make_id("410102", "19850101", "003"),
        residence_kind="FLOATING", relation_to_head="户主",
        new_household=rs.HouseholdInput(x, estate="钢城花园", building="12号楼", unit="1单元", room="502"))  # fmt: skip
    add("欧阳娜娜", community_id=c, grid_id=grids["朝阳一网格"], relation_to_head="户主", tags=["低保户"],
        new_household=rs.HouseholdInput(c, estate="朝阳小区", building="5号楼", room="101"))  # fmt: skip
    add(
        "赵志刚",
        community_id=c,
        relation_to_head="父亲",
        household_id=rs.get_resident(ctx, ids["欧阳娜娜"]).household.id,
    )
    rs.change_status(ctx, ids["赵志刚"], "MOVED", dt.date(2026, 1, 5), "迁往兰州市")
    rs.set_care_tier(ctx, ids["欧阳娜娜"], "ORANGE", "低保边缘")
    return ctx, ids, x, c


@pytest.fixture
def page(qtbot, data):
    ctx = data[0]
    p = ResidentsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1090, 760)
    p.show()
    p.activate()
    wait_search(qtbot, p)
    return p


def wait_search(qtbot, page: ResidentsPage) -> None:
    qtbot.waitUntil(lambda: not page.is_searching() and not page.search_timer.isActive(), timeout=5000)


def names(page: ResidentsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, M.NAME)) for r in range(m.rowCount())]


def cell(page: ResidentsPage, name: str, column: int) -> str:
    m = page.model
    row = names(page).index(name)
    return m.data(m.index(row, column))


# ---------------------------------------------------------------- the model


def fake_row(i: int) -> rs.ResidentRow:
    active = i % 7 != 0
    return rs.ResidentRow(
        id=i,
        name=f"居民{i}",
        gender="男",
        age=30,
        id_number="620201********0011",
        phone="138****8000",
        residence_kind="REGISTERED",
        residence_kind_label="户籍",
        community_id=1,
        community_name="新华社区",
        grid_id=2,
        grid_name="新华社区第一网格",
        household_id=3,
        address="新华小区1号楼",
        relation_to_head="户主",
        tags=("低保户",),
        care_tier="GREEN",
        status="ACTIVE" if active else "MOVED",
        status_label="在册" if active else "迁出",
    )


class FakeRows:
    """A fetch function that records its calls; id 13 vanished between the search and the fetch."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, ids):
        self.calls.append(list(ids))
        return [fake_row(i) for i in ids if i != 13]


def test_model_passes_the_model_tester(qtmodeltester):
    model = ResidentTableModel(FakeRows())
    model.set_tiers([rs.CareTierInfo("GREEN", "绿色", "#2e7d32", 30)])
    model.set_ids(list(range(1, 451)))
    qtmodeltester.check(model, force_py=True)


def test_model_fetches_pages_lazily_and_forgets_old_ones():
    fetch = FakeRows()
    model = ResidentTableModel(fetch)
    model.set_ids(list(range(1, 10_001)))
    assert fetch.calls == [] and model.rowCount() == 10_000
    assert model.data(model.index(0, M.NAME)) == "居民1"
    assert model.data(model.index(199, M.NAME)) == "居民200"
    assert len(fetch.calls) == 1 and len(fetch.calls[0]) == 200
    assert model.data(model.index(9_999, M.NAME)) == "居民10000"
    assert fetch.calls[-1][0] == 9_801 and len(fetch.calls) == 2
    for page in range(30):
        model.data(model.index(page * 200, M.NAME))
    assert len(model.cached_pages()) == M.CACHE_PAGES
    assert model.data(model.index(12, M.NAME)) is None  # id 13 vanished: an empty row, no crash
    assert model.data(model.index(6, M.NAME)) == "居民7（迁出）"
    assert model.data(model.index(6, M.NAME), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, M.GRID)) == "第一网格"  # 新华社区 is already in its own column
    assert model.data(model.index(0, 0), ID_ROLE) == 1


def test_model_seeded_first_page_needs_no_fetch():
    fetch = FakeRows()
    model = ResidentTableModel(fetch)
    model.set_ids([5, 6, 8], first_rows=FakeRows()([5, 6, 8]))
    assert model.data(model.index(2, M.NAME)) == "居民8" and fetch.calls == []


def test_header_click_asks_for_a_sorted_query():
    model = ResidentTableModel(FakeRows())
    requested: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, desc: requested.append((key, desc)))
    model.sort(M.NAME, Qt.SortOrder.DescendingOrder)
    model.sort(M.ID_NUMBER)  # not sortable: masked
    assert requested == [("name", True)]


# ---------------------------------------------------------------- the page


def test_page_lists_active_residents_masked(page, qtmodeltester):
    assert page.count_label.text() == "共 5 人"
    assert names(page) == ["王建国", "李秀兰", "王小明", "张伟", "欧阳娜娜"]
    assert cell(page, "王建国", M.ID_NUMBER) == "620201********0011"[:6] + "********" + WANG[-4:]
    assert cell(page, "王建国", M.PHONE) == "138****8000"
    assert cell(page, "王建国", M.ADDRESS) == "新华小区3号楼2单元301室"
    assert cell(page, "王建国", M.TAGS) == "空巢老人" and cell(page, "欧阳娜娜", M.TIER) == "橙色"
    shown = [page.model.data(page.model.index(r, c)) for r in range(5) for c in range(M.TIER + 1)]
    assert WANG not in shown and "13809378000" not in shown
    qtmodeltester.check(page.model, force_py=True)


def test_search_filters_as_you_type(page, qtbot):
    page.search_edit.setText("王")
    assert page.search_timer.isActive()  # debounced, not run on every keystroke
    wait_search(qtbot, page)
    assert names(page) == ["王建国", "王小明"] and page.count_label.text() == "共 2 人"
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "wjg")
    wait_search(qtbot, page)
    assert names(page) == ["王建国"]
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "8000")
    wait_search(qtbot, page)
    assert names(page) == ["王建国"]
    page.search_edit.setText("钢城花园")
    wait_search(qtbot, page)
    assert names(page) == ["张伟"]
    page.search_edit.setText(WANG[:10])
    wait_search(qtbot, page)
    assert names(page) == ["王建国"]


def test_stale_results_are_dropped(page, qtbot):
    page.search_edit.setText("王")
    page.search_now()
    first = page._seq
    page.search_edit.setText("欧阳")
    page.search_now()
    wait_search(qtbot, page)
    assert names(page) == ["欧阳娜娜"]
    page._on_search_done(first, ([1, 2, 3], []), 5)  # the older search answers late
    assert names(page) == ["欧阳娜娜"]


def test_filters(page, qtbot, data):
    _ctx, _ids, xinhua, chaoyang = data
    assert not page.grid_combo.isEnabled()
    page.community_combo.setCurrentIndex(page.community_combo.findData(xinhua))
    wait_search(qtbot, page)
    assert names(page) == ["王建国", "李秀兰", "王小明", "张伟"]
    assert page.grid_combo.isEnabled() and page.grid_combo.count() == 3  # 全部网格 + two grids
    page.grid_combo.setCurrentIndex(page.grid_combo.findText("新华二网格"))
    wait_search(qtbot, page)
    assert names(page) == ["张伟"]
    page.clear_button.click()
    wait_search(qtbot, page)
    assert len(names(page)) == 5 and not page.grid_combo.isEnabled()
    page.tag_combo.setCurrentIndex(page.tag_combo.findData("低保户"))
    wait_search(qtbot, page)
    assert names(page) == ["欧阳娜娜"]
    page.tag_combo.setCurrentIndex(0)
    page.tier_combo.setCurrentIndex(page.tier_combo.findData("ORANGE"))
    wait_search(qtbot, page)
    assert names(page) == ["欧阳娜娜"]
    page.tier_combo.setCurrentIndex(0)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("FLOATING"))
    wait_search(qtbot, page)
    assert names(page) == ["张伟"]
    page.kind_combo.setCurrentIndex(0)
    page.community_combo.setCurrentIndex(page.community_combo.findData(chaoyang))
    page.inactive_check.setChecked(True)
    wait_search(qtbot, page)
    assert names(page) == ["欧阳娜娜", "赵志刚（迁出）"]


def test_header_click_sorts_by_pinyin(page, qtbot):
    page.table.sortByColumn(M.NAME, Qt.SortOrder.AscendingOrder)
    wait_search(qtbot, page)
    assert names(page) == ["李秀兰", "欧阳娜娜", "王建国", "王小明", "张伟"]
    page.table.sortByColumn(M.AGE, Qt.SortOrder.DescendingOrder)
    wait_search(qtbot, page)
    assert names(page)[0] == "王建国"


def test_activating_a_row_opens_its_card(page, qtbot, monkeypatch, data):
    opened: list[int] = []
    monkeypatch.setattr(ResidentCardDialog, "open", lambda self: opened.append(self.resident_id))
    row = names(page).index("张伟")
    page.table.selectRow(row)
    assert page.open_button.isEnabled()
    page.table.activated.emit(page.model.index(row, M.NAME))
    assert opened == [data[1]["张伟"]]


def test_main_window_shows_the_residents_page(qtbot, data):
    from desktop.ui.main_window import MainWindow

    w = MainWindow(data[0])
    qtbot.addWidget(w)
    w.show_area("residents")
    assert isinstance(w.stack.currentWidget(), ResidentsPage)
    wait_search(qtbot, w.page("residents"))
    assert w.page("residents").count_label.text() == "共 5 人"


# ---------------------------------------------------------------- card, reveal, dialogs


def _answer_modal(qtbot, dialog_type, act) -> None:
    """The window-modal ``dialog_type`` just opened (``open()``, non-blocking): run ``act(dialog)`` on it."""
    dialog = QtWidgets.QApplication.activeModalWidget()
    assert isinstance(dialog, dialog_type) and dialog.isVisible()
    act(dialog)


def test_card_shows_everything_masked(qtbot, data):
    ctx, ids, *_ = data
    card = ResidentCardDialog(ctx, ids["王建国"])
    qtbot.addWidget(card)
    assert card.name_label.text() == "王建国" and "绿色" in card.tier_label.text()
    assert card.values["id_number"].text() == WANG[:6] + "********" + WANG[-4:]
    assert card.values["phone"].text() == "138****8000"
    assert card.values["address"].text() == "新华小区3号楼2单元301室"
    members = [card.members_model.item(r, 0).text() for r in range(card.members_model.rowCount())]
    assert members == ["王建国", "李秀兰", "王小明"]
    history = ResidentCardDialog(ctx, ids["赵志刚"])
    qtbot.addWidget(history)
    assert history.history_model.item(0, 2).text() == "在册 → 迁出"
    assert history.history_model.item(0, 3).text() == "迁往兰州市"


def test_reveal_asks_a_reason_shows_the_full_values_and_is_recorded(qtbot, data):
    ctx, ids, *_ = data
    card = ResidentCardDialog(ctx, ids["王建国"])
    qtbot.addWidget(card)
    card.show()

    def answer(dialog: RevealDialog) -> None:
        dialog.ok_button.click()  # no reason yet: refused, the dialog stays open
        assert dialog.isVisible() and "原因" in dialog.error_label.text()
        line = dialog.reason_combo.lineEdit()
        line.setText("入户走访核实身份")
        dialog.ok_button.click()

    card.reveal_button.click()
    _answer_modal(qtbot, RevealDialog, answer)
    assert card.values["id_number"].text() == WANG
    assert card.values["phone"].text() == "13809378000"
    assert not card.reveal_button.isEnabled()
    with ctx.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "reveal")).one()
    assert rec.entity_id == str(ids["王建国"]) and json.loads(rec.after)["reason"] == "入户走访核实身份"


def test_cancelling_the_reveal_shows_nothing_and_records_nothing(qtbot, data):
    ctx, ids, *_ = data
    card = ResidentCardDialog(ctx, ids["王建国"])
    qtbot.addWidget(card)
    card.show()
    card.reveal_button.click()
    _answer_modal(qtbot, RevealDialog, lambda d: d.reject())
    assert card.values["id_number"].text() != WANG and card.reveal_button.isEnabled()
    with ctx.read() as s:
        assert s.scalars(select(AuditRecord).where(AuditRecord.action == "reveal")).first() is None


def test_edit_with_a_bad_id_keeps_the_dialog_open_with_the_message(qtbot, data):
    ctx, ids, *_ = data
    card = rs.get_resident(ctx, ids["李秀兰"])
    dialog = ResidentDialog(ctx, card=card)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.notes_edit.setPlainText("腿脚不便，需上门服务")
    bad = WANG[:17] + ("0" if WANG[17] != "0" else "1")
    dialog.id_edit.clear()
    qtbot.keyClicks(dialog.id_edit, bad)
    save = dialog.findChild(QtWidgets.QDialogButtonBox).button(QtWidgets.QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.isVisible() and dialog.result() == 0
    assert "校验位错误" in dialog.error_text("id_number")
    assert dialog.id_edit.property("invalid") is True
    assert dialog.id_edit.text() == bad and dialog.notes_edit.toPlainText() == "腿脚不便，需上门服务"
    dialog.id_edit.setText("")  # empty: keep the stored number
    save.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert rs.get_resident(ctx, ids["李秀兰"]).notes == "腿脚不便，需上门服务"


def test_a_typed_id_fills_birth_date_and_sex_and_a_new_household_is_created(qtbot, data):
    ctx, _ids, xinhua, _c = data
    dialog = ResidentDialog(ctx, community_id=xinhua)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("钱多多")
    number = make_id("620201", "19880808", "022")
    qtbot.keyClicks(dialog.id_edit, number)
    assert dialog.birth_edit.date() == QtCore.QDate(1988, 8, 8) and dialog.gender_combo.currentText() == "女"
    assert dialog.new_radio.isChecked()
    save = dialog.findChild(QtWidgets.QDialogButtonBox).button(QtWidgets.QDialogButtonBox.StandardButton.Save)
    save.click()
    assert "住址" in dialog.error_text("estate")  # no address yet
    dialog.address_edits["estate"].setText("建设小区")
    dialog.address_edits["building"].setText("7")
    save.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted and dialog.saved_id is not None
    card = rs.get_resident(ctx, dialog.saved_id)
    assert card.household is not None and card.household.address == "建设小区7号楼"
    assert card.relation_to_head == "户主" and card.birth_date == dt.date(1988, 8, 8)


def test_duplicate_id_is_shown_under_the_id_field(qtbot, data):
    ctx, _ids, xinhua, _c = data
    dialog = ResidentDialog(ctx, community_id=xinhua)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("冒名者")
    dialog.id_edit.setText(WANG)
    dialog.address_edits["estate"].setText("新华小区")
    dialog.findChild(QtWidgets.QDialogButtonBox).button(
        QtWidgets.QDialogButtonBox.StandardButton.Save
    ).click()
    assert "王建国" in dialog.error_text("id_number") and WANG not in dialog.error_text("id_number")


def test_joining_an_existing_household_through_the_address_finder(qtbot, data):
    ctx, _ids, xinhua, _c = data
    dialog = ResidentDialog(ctx, community_id=xinhua)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("王二小")
    dialog.existing_radio.setChecked(True)
    dialog.household_edit.setText("钢城花园")
    dialog.household_edit.textEdited.emit("钢城花园")
    assert dialog.household_model.rowCount() == 1
    dialog._on_completer_activated(dialog.household_model.index(0, 0))
    qtbot.waitUntil(lambda: dialog.household_edit.text() == "钢城花园12号楼1单元502室")
    dialog.relation_combo.setCurrentText("其他")
    dialog.findChild(QtWidgets.QDialogButtonBox).button(
        QtWidgets.QDialogButtonBox.StandardButton.Save
    ).click()
    assert dialog.saved_id is not None
    household = rs.get_resident(ctx, dialog.saved_id).household
    assert household is not None and household.head is not None and household.head.name == "张伟"


def test_status_dialog_records_a_death_and_the_card_shows_it(qtbot, data):
    ctx, ids, *_ = data
    card = ResidentCardDialog(ctx, ids["张伟"])
    qtbot.addWidget(card)
    card.show()

    def answer(dialog: ResidentStatusDialog) -> None:
        dialog.choose("DECEASED")
        dialog.reason_edit.setText("病故")
        dialog.findChild(QtWidgets.QDialogButtonBox).button(
            QtWidgets.QDialogButtonBox.StandardButton.Save
        ).click()

    card.status_button.click()
    _answer_modal(qtbot, ResidentStatusDialog, answer)
    assert card.changed and card.status_label.text().startswith("死亡")
    assert card.history_model.item(0, 2).text() == "在册 → 死亡"


def test_undoing_a_death_needs_a_reason(qtbot, data):
    ctx, ids, *_ = data
    rs.change_status(ctx, ids["张伟"], "DECEASED", dt.date(2026, 3, 1), "病故")
    dialog = ResidentStatusDialog(ctx, rs.get_resident(ctx, ids["张伟"]))
    qtbot.addWidget(dialog)
    dialog.choose("ACTIVE")
    dialog.findChild(QtWidgets.QDialogButtonBox).button(
        QtWidgets.QDialogButtonBox.StandardButton.Save
    ).click()
    assert dialog.result() == 0 and "更正原因" in dialog.error_label.text()


def test_tier_dialog_needs_a_reason(qtbot, data):
    ctx, ids, *_ = data
    dialog = ResidentTierDialog(ctx, rs.get_resident(ctx, ids["王建国"]))
    qtbot.addWidget(dialog)
    assert dialog.tier_combo.currentData() == "BLUE"  # one step up by default
    save = dialog.findChild(QtWidgets.QDialogButtonBox).button(QtWidgets.QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.result() == 0 and "原因" in dialog.error_label.text()
    dialog.tier_combo.setCurrentIndex(dialog.tier_combo.findData("RED"))
    dialog.reason_edit.setText("独居且突发疾病")
    dialog.approver_edit.setText("社区主任")
    save.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert rs.get_resident(ctx, ids["王建国"]).care_tier.code == "RED"


def test_household_dialog_lists_members_and_saves_the_address(qtbot, data):
    ctx, ids, *_ = data
    hh = rs.get_resident(ctx, ids["王建国"]).household
    assert hh is not None
    dialog = ResidentHouseholdDialog(ctx, hh.id)
    qtbot.addWidget(dialog)
    rows = [
        (dialog.members_model.item(r, 0).text(), dialog.members_model.item(r, 1).text())
        for r in range(dialog.members_model.rowCount())
    ]
    assert rows == [("王建国", "户主"), ("李秀兰", "配偶"), ("王小明", "子")]
    dialog.edits["room"].setText("302")
    dialog.save_button.click()
    assert dialog.changed and dialog.title_label.text() == "新华小区3号楼2单元302室"
    for key in ("estate", "building", "unit", "room"):
        dialog.edits[key].setText("")
    dialog.save_button.click()
    assert "住址" in dialog.error_label.text()
