"""The data key: kept outside the database (keyring, else an owner-only key file in the config folder), subkeys,
the recovery key, and a clear message when a database arrives on a PC without its key."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import null

from db.crypto import keys_of
from desktop.cli import parse_args, run
from desktop.core import keys as k
from desktop.core.errors import DatabaseError
from desktop.core.identity import Actor
from desktop.services.bootstrap import open_database


def test_field_encryption_round_trip_and_is_authenticated() -> None:
    keys = k.new_keys("00000000-0000-4000-8000-000000000001")
    a, b = (
        keys.encrypt("11010519491231002X", "resident.id_number"),
        keys.encrypt("11010519491231002X", "resident.id_number"),
    )
    assert a != b and a.startswith("v1:") and "11010519491231002X" not in a  # random nonce
    assert keys.decrypt(a, "resident.id_number") == "11010519491231002X"
    with pytest.raises(DatabaseError, match="无法用本机的数据密钥解开"):
        keys.decrypt(a, "party_member.id_number")  # bound to its column
    raw = bytearray(a.encode())
    raw[10] = ord("A") if raw[10] != ord("A") else ord("B")
    with pytest.raises(DatabaseError):
        keys.decrypt(raw.decode(), "resident.id_number")
    other = k.new_keys(keys.identity)
    with pytest.raises(DatabaseError):
        other.decrypt(a, "resident.id_number")


def test_subkeys_are_separate_and_blind_index_is_keyed() -> None:
    keys = k.new_keys("00000000-0000-4000-8000-000000000001")
    again = k.DataKeys(keys.identity, keys.master)
    assert keys.blind("id", "11010519491231002X") == again.blind("id", "11010519491231002X")
    assert keys.blind("id", "1234") != keys.blind("phone_tail", "1234")  # kinds are separated
    assert keys.blind("id", "x") != k.new_keys(keys.identity).blind("id", "x")
    assert len(keys.blind("id", "x")) == 32
    assert keys.audit_mac(b"x") != again.blind("audit", "x")


def test_recovery_key_round_trip_and_typos() -> None:
    keys = k.new_keys("00000000-0000-4000-8000-000000000001")
    text = keys.recovery_key()
    assert len(text.split("-")) == 11
    assert k.decode_recovery(text) == keys.master
    assert k.decode_recovery(text.lower().replace("-", " ")) == keys.master
    wrong = ("A" if text[0] != "A" else "B") + text[1:]
    with pytest.raises(k.KeyMissingError, match="校验不符"):
        k.decode_recovery(wrong)
    with pytest.raises(k.KeyMissingError, match="格式不正确"):
        k.decode_recovery("!!")


def test_without_a_keyring_the_key_goes_to_an_owner_only_file_in_the_config_folder(
    isolated_home: Path, db_path: Path
) -> None:
    keyring.set_keyring(null.Keyring())
    assert isinstance(k.default_store(), k.FileStore)
    opened = open_database(db_path, actor=Actor("测试员", "pc"))
    identity = keys_of(opened.ctx.database).identity
    opened.ctx.database.dispose()
    key_file = k.config_dir() / "keys" / f"{identity}.key"
    assert key_file.exists()
    assert not key_file.is_relative_to(isolated_home)  # not in the data folder
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    master = k.FileStore().load(identity)
    assert master is not None and master not in db_path.read_bytes()


def test_a_session_bus_is_found_by_its_address_or_the_per_user_socket(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr(os, "getuid", lambda: 2**31 - 7, raising=False)  # a uid with no /run/user folder
    assert not k.session_bus_reachable()
    (tmp_path / "bus").touch()
    assert k.session_bus_reachable()
    (tmp_path / "bus").unlink()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nowhere/bus")
    assert k.session_bus_reachable()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the D-Bus session bus is Linux's")
def test_with_no_session_bus_keyring_is_not_asked_unless_the_user_configured_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(k, "session_bus_reachable", lambda: False)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in [m for m in sys.modules if m == "keyring" or m.startswith("keyring.")]:
        monkeypatch.delitem(sys.modules, name)  # put back afterwards
    assert isinstance(k.default_store(), k.FileStore)
    assert "keyring" not in sys.modules  # not even imported
    rc = tmp_path / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir()
    rc.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n", encoding="utf-8")
    assert not k._nothing_to_ask()  # keyring's own configuration is honoured: keyring decides
    monkeypatch.setattr(k, "session_bus_reachable", lambda: True)
    rc.unlink()
    assert not k._nothing_to_ask()


def test_a_database_on_a_pc_without_its_key_is_refused_clearly_then_opens_after_import(
    db_path: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = open_database(db_path, actor=Actor("测试员", "pc"))
    recovery = k.DataKeys(
        keys_of(opened.ctx.database).identity, keys_of(opened.ctx.database).master
    ).recovery_key()
    opened.ctx.database.dispose()
    assert run(parse_args(["--db", str(db_path), "keys", "recovery"])) == 0
    assert recovery in capsys.readouterr().out
    memory_keyring.store.clear()  # "another PC"

    with pytest.raises(k.KeyMissingError, match=r"本机没有此数据库.*shequ keys import"):
        open_database(db_path, actor=Actor("测试员", "pc"))
    assert run(parse_args(["--db", str(db_path), "keys", "recovery"])) == 5
    assert "本机没有此数据库" in capsys.readouterr().err

    # the recovery key of another database is refused
    other = open_database(db_path.with_name("other.sqlite3"), actor=Actor("测试员", "pc"))
    foreign = keys_of(other.ctx.database).recovery_key()
    other.ctx.database.dispose()
    monkeypatch.setattr(sys, "stdin", io.StringIO(foreign + "\n"))
    assert run(parse_args(["--db", str(db_path), "keys", "import", "--recovery-stdin"])) == 5
    assert "属于另一个数据库" in capsys.readouterr().err

    monkeypatch.setattr(sys, "stdin", io.StringIO(recovery + "\n"))
    assert run(parse_args(["--db", str(db_path), "keys", "import", "--recovery-stdin"])) == 0
    assert "恢复密钥正确" in capsys.readouterr().out
    again = open_database(db_path, actor=Actor("测试员", "pc"))
    assert keys_of(again.ctx.database).recovery_key() == recovery
    again.ctx.database.dispose()
