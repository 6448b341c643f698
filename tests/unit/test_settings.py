"""The one reader of JSON settings: what was stored comes back; anything missing, damaged or refused
falls back to the default."""

from __future__ import annotations

from typing import Any

from db.schema.audit import AuditRecord
from db.schema.settings import Setting
from desktop.services.party.meetings import load_meeting_frequencies, set_meeting_frequencies
from desktop.services.settings import json_object, load_setting, store_setting


def test_reads_what_the_writer_stored(ctx: Any) -> None:
    with ctx.write() as uow:
        store_setting(uow, "x.value", {"a": 1}, "测试")
    with ctx.read() as s:
        assert load_setting(s, "x.value", {}, json_object) == {"a": 1}
        assert load_setting(s, "x.missing", "默认") == "默认"
        assert s.query(AuditRecord).filter_by(entity="setting", entity_id="x.value").count() == 1


def test_damaged_or_refused_values_give_the_default(ctx: Any) -> None:
    with ctx.write() as uow:
        uow.session.add(Setting(key="x.broken", value="{not json"))
        uow.session.add(Setting(key="x.list", value="[1, 2]"))
    with ctx.read() as s:
        assert load_setting(s, "x.broken", {"d": 0}) == {"d": 0}
        assert load_setting(s, "x.list", {}, json_object) == {}
        assert load_setting(s, "x.list", None) == [1, 2]  # no parse: any JSON value


def test_meeting_frequencies_keep_defaults_for_unknown_values(ctx: Any) -> None:
    set_meeting_frequencies(ctx, {"GROUP": "QUARTER"})
    with ctx.read() as s:
        assert load_meeting_frequencies(s)["GROUP"] == "QUARTER"
        assert load_meeting_frequencies(s)["THEME_DAY"] == "MONTH"
    with ctx.write() as uow:
        uow.session.get(Setting, "party.meeting_frequency").value = '{"GROUP": "WEEKLY", "NOPE": "MONTH"}'
    with ctx.read() as s:
        frequencies = load_meeting_frequencies(s)
    assert frequencies["GROUP"] == "MONTH" and "NOPE" not in frequencies
