"""Keyring loading: formats, files, permissions and the error messages operators will read."""
import os
import stat

import pytest

from icrs.crypto import keyring
from icrs.crypto.errors import KeyringError
from icrs.crypto.keyring import Keyring, from_config, from_files, parse_master_key


def test_parse_master_key_versions():
    keks = parse_master_key("v1:" + "11" * 32 + ", v2:" + "ab" * 32)
    assert keks == {1: b"\x11" * 32, 2: b"\xab" * 32}
    assert Keyring(keks, b"x" * 32, "t").current_version == 2


@pytest.mark.parametrize("value", ["11" * 32, "v1:" + "11" * 31, "v1:" + "zz" * 32,
                                   "v1:" + "11" * 32 + ",v1:" + "22" * 32, "v0:" + "11" * 32])
def test_malformed_master_key_names_the_variable(value):
    with pytest.raises(KeyringError, match="ICRS_MASTER_KEY"):
        parse_master_key(value)


def test_testing_config_format_derives_stable_blind_key(monkeypatch):
    monkeypatch.delenv("ICRS_MASTER_KEY", raising=False)
    monkeypatch.delenv("ICRS_BLIND_INDEX_KEY", raising=False)
    one = from_config({"ICRS_MASTER_KEY": "v1:" + "11" * 32}, testing=True)
    two = from_config({"ICRS_MASTER_KEY": "v1:" + "11" * 32 + ",v2:" + "22" * 32}, testing=True)
    assert one.blind_key("phone") == two.blind_key("phone")  # rotation keeps indexes valid
    assert one.blind_key("phone") != one.blind_key("id_number")


def test_env_master_key_without_blind_key_refused_outside_tests(monkeypatch):
    monkeypatch.delenv("ICRS_BLIND_INDEX_KEY", raising=False)
    with pytest.raises(KeyringError, match="ICRS_BLIND_INDEX_KEY"):
        from_config({"ICRS_MASTER_KEY": "v1:" + "11" * 32})


def test_env_blind_key_used(monkeypatch):
    ring = from_config({"ICRS_MASTER_KEY": "v1:" + "11" * 32,
                        "ICRS_BLIND_INDEX_KEY": "33" * 32})
    assert ring.blind_secret == b"\x33" * 32


def _make(keys_dir):
    keyring.write_key_file(os.path.join(keys_dir, "kek-v1.key"))
    keyring.write_key_file(os.path.join(keys_dir, "blind-index.key"))


def test_key_files_are_0600_and_never_overwritten(tmp_path):
    keys_dir = str(tmp_path / "keys")
    _make(keys_dir)
    for name in ("kek-v1.key", "blind-index.key"):
        assert stat.S_IMODE(os.stat(os.path.join(keys_dir, name)).st_mode) == 0o600
    with pytest.raises(FileExistsError):
        keyring.write_key_file(os.path.join(keys_dir, "kek-v1.key"))
    ring = from_files(keys_dir)
    assert ring.current_version == 1 and len(ring.current_kek) == 32


def test_missing_kek_names_key_and_location(tmp_path):
    with pytest.raises(KeyringError) as info:
        from_files(str(tmp_path / "keys"))
    message = str(info.value)
    assert "Master key (KEK)" in message and str(tmp_path / "keys") in message
    assert "ICRS_MASTER_KEY" in message and "flask icrs keys init" in message


def test_missing_blind_key_names_file(tmp_path):
    keys_dir = str(tmp_path)
    keyring.write_key_file(os.path.join(keys_dir, "kek-v1.key"))
    with pytest.raises(KeyringError, match="Blind-index key.*blind-index.key"):
        from_files(keys_dir)


def test_group_readable_key_refused(tmp_path):
    keys_dir = str(tmp_path)
    _make(keys_dir)
    path = os.path.join(keys_dir, "kek-v1.key")
    os.chmod(path, 0o644)
    with pytest.raises(KeyringError, match=r"kek-v1.key is readable by other users.*chmod 600"):
        from_files(keys_dir)


def test_corrupt_key_file_named(tmp_path):
    keys_dir = str(tmp_path)
    _make(keys_dir)
    path = os.path.join(keys_dir, "kek-v1.key")
    with open(path, "w") as fh:
        fh.write("not a key")
    with pytest.raises(KeyringError, match=r"KEK v1 in .*kek-v1.key is malformed"):
        from_files(keys_dir)


def test_highest_file_version_is_current(tmp_path):
    keys_dir = str(tmp_path)
    _make(keys_dir)
    keyring.write_key_file(os.path.join(keys_dir, "kek-v2.key"))
    ring = from_files(keys_dir)
    assert sorted(ring.keks) == [1, 2] and ring.current_version == 2
