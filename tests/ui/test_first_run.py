"""An empty database leads the way: 工作台's 开始使用 path, computed from the records, one click per step,
and the pages that cannot be used yet say what to do first."""

from __future__ import annotations

import warnings

import pytest

from desktop.services import dashboard
from desktop.services import residents as rs
from desktop.services import structure as st
from desktop.services.mediation import committee as mc
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import Qt, QtWidgets

STEPS = ["street", "communities", "grids", "residents", "committee"]


@pytest.fixture
def window(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def _home(window, qtbot):
    home = window.page("home")
    qtbot.waitUntil(lambda: home.figures is not None and not home._loading, timeout=5000)
    return home


def _states(home) -> dict[str, str]:
    return {key: label.text() for key, (label, _button) in home.setup_card.rows.items()}


def test_the_path_follows_the_records(ctx):
    def done() -> list[str]:
        return [s.key for s in dashboard.setup_steps(ctx) if s.done]

    assert [s.key for s in dashboard.setup_steps(ctx)] == STEPS
    assert done() == []
    st.save_street(ctx, "钢城街道")
    assert done() == ["street"]
    c = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    st.save_grid(ctx, st.GridInput(c, "GC-01-001", "新华一网格", "BASIC", None, 10, 20))
    rs.save_resident(ctx, rs.ResidentInput(name="王建国", community_id=c, gender="男"))
    assert done() == STEPS[:4]
    mc.save_committee(ctx, mc.CommitteeInput("新华社区人民调解委员会", "新华社区"))
    figures = dashboard.street_figures(ctx)
    assert figures.setup_done and figures.next_step is None


def test_empty_database_shows_the_first_run_path(window, qtbot):
    home = _home(window, qtbot)
    assert home.setup_card.isVisible()
    states = _states(home)
    assert list(states) == STEPS
    assert states["street"] == "→ 下一步" and states["committee"] == "待完成"
    texts = [home.warnings_list.item(i).text() for i in range(home.warnings_list.count())]
    assert texts[0].startswith("下一步：") and "街道名称" in texts[0]


def test_each_step_is_one_click_from_home(window, qtbot, ctx):
    home = _home(window, qtbot)
    _label, button = home.setup_card.rows["street"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settings = window.page("settings")
    assert window.current_area() == "settings"
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is settings.street_name, timeout=2000)
    # 新增社区 is greyed, and says why, with a link to the step before it
    assert not settings.add_community_button.isEnabled()
    assert settings.community_hint.isVisible() and "街道名称" in settings.community_hint.text()
    assert "街道名称" in settings.add_community_button.toolTip()

    settings.street_name.setText("钢城街道")
    qtbot.mouseClick(settings.save_street_button, Qt.MouseButton.LeftButton)
    assert settings.add_community_button.isEnabled() and not settings.community_hint.isVisible()

    window.show_area("home")
    qtbot.waitUntil(lambda: _states(home).get("street") == "✓ 已完成", timeout=5000)
    assert _states(home)["communities"] == "→ 下一步"

    # the community step opens the community dialog on 设置
    from desktop.ui.dialogs.community_dialog import CommunityDialog

    qtbot.mouseClick(home.setup_card.rows["communities"][1], Qt.MouseButton.LeftButton)
    assert window.current_area() == "settings"
    dialogs = [
        w
        for w in QtWidgets.QApplication.topLevelWidgets()
        if isinstance(w, CommunityDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialogs[0].reject()


def test_residents_page_says_to_add_a_community_first(window, qtbot, ctx):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no SAWarning on the way
        window.show_area("residents")
        page = window.page("residents")
        assert not page.add_button.isEnabled() and not page.import_button.isEnabled()
        assert page.step_hint.isVisible() and "新增社区" in page.step_hint.text()
        assert "社区" in page.add_button.toolTip()
        page.step_hint.linkActivated.emit(page.step_hint.target)
        assert window.current_area() == "settings"


def test_saving_a_resident_without_community_is_refused_cleanly(ctx):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Exception) as raised:
            rs.save_resident(ctx, rs.ResidentInput(name="张三", community_id=None, gender="男"))
    assert getattr(raised.value, "field", None) == "community_id"
    assert "社区" in str(raised.value)


def test_the_path_disappears_when_done(qtbot, ctx):
    st.save_street(ctx, "钢城街道")
    c = st.save_community(ctx, st.CommunityInput("新华社区", code="01"))
    st.save_grid(ctx, st.GridInput(c, "GC-01-001", "新华一网格", "BASIC", None, 10, 20))
    rs.save_resident(ctx, rs.ResidentInput(name="王建国", community_id=c, gender="男"))
    mc.save_committee(ctx, mc.CommitteeInput("新华社区人民调解委员会", "新华社区"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    home = _home(window, qtbot)
    assert not home.setup_card.isVisible() and home.figures is not None and home.figures.setup_done
