from desktop.services.dashboard import street_figures


def test_figures(street_ctx):
    f = street_figures(street_ctx)
    assert f.communities == 2 and f.grids == 3 and f.staff == 3
    assert f.grids_by_kind == {"BASIC": 1, "DEDICATED": 1, "MICRO": 1}
    assert any("没有网格长" in w.text for w in f.warnings)
