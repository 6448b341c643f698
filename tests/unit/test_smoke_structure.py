from desktop.services import structure as st


def test_street_fixture_lists_grids_with_staff(street_ctx):
    rows = st.list_grids(street_ctx)
    assert [r.code for r in rows] == ["GC-01-001", "GC-01-002", "GC-02-001"]
    first = rows[0]
    assert (first.chiefs, first.workers, first.helper_count) == ("王建国", "李晓梅", 1)
    assert first.community_name == "新华社区" and first.kind_label == "基础网格"
