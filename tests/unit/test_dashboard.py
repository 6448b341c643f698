from desktop.services.dashboard import street_figures


def test_figures(street_ctx):
    f = street_figures(street_ctx)
    assert f.communities == 2 and f.grids == 3 and f.staff == 3
    assert f.grids_by_kind == {"BASIC": 1, "DEDICATED": 1, "MICRO": 1}
    assert any("没有网格长" in w.text for w in f.warnings)


def test_log_file_follows_the_data_folder(tmp_path, monkeypatch):
    from desktop.core.logs import log_exception

    for name in ("a", "b"):
        monkeypatch.setenv("SHEQU_HOME", str(tmp_path / name))
        try:
            raise RuntimeError(f"boom-{name}")
        except RuntimeError as exc:
            path = log_exception(exc)
        assert path == tmp_path / name / "logs" / "shequ.log"
        assert f"boom-{name}" in path.read_text(encoding="utf-8")
