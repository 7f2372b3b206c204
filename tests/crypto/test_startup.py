"""Start-up: refuse without valid keys (naming the key and where it looked), except for
`flask icrs keys init`, which creates them."""
import os
import stat
import sys

import pytest

from icrs.crypto import KeyringError, keys_init_requested
from icrs.crypto.cli import keys_cli
from icrs.extensions import db
from tests.crypto.conftest import build_app, make_keys
from tests.crypto.testmodels import TPerson


@pytest.fixture
def no_env_keys(monkeypatch):
    monkeypatch.delenv("ICRS_MASTER_KEY", raising=False)
    monkeypatch.delenv("ICRS_BLIND_INDEX_KEY", raising=False)
    monkeypatch.delenv("ICRS_AUDIT_KEY", raising=False)
    monkeypatch.setattr(sys, "argv", ["flask", "run"])


def test_refuses_to_start_without_keys(tmp_path, no_env_keys):
    with pytest.raises(KeyringError) as info:
        build_app(tmp_path)
    assert str(tmp_path / "keys") in str(info.value) and "KEK" in str(info.value)


def test_keys_init_runs_without_keys_then_app_starts(tmp_path, no_env_keys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["flask", "--app", "icrs", "icrs", "keys", "init"])
    app = build_app(tmp_path)  # no keys yet: allowed for this command only
    result = app.test_cli_runner().invoke(keys_cli, ["init"])
    assert result.exit_code == 0, result.output
    keys_dir = tmp_path / "keys"
    assert stat.S_IMODE(os.stat(keys_dir).st_mode) == 0o700
    for name in ("kek-v1.key", "blind-index.key", "audit.key"):
        assert stat.S_IMODE(os.stat(keys_dir / name).st_mode) == 0o600
    again = app.test_cli_runner().invoke(keys_cli, ["init"])
    assert again.exit_code != 0 and "Refusing to overwrite" in again.output
    assert app.test_cli_runner().invoke(keys_cli, ["init", "--if-missing"]).exit_code == 0
    monkeypatch.setattr(sys, "argv", ["flask", "run"])
    assert build_app(tmp_path).extensions["icrs_crypto"].keyring.current_version == 1


def test_init_refuses_partial_keyring(tmp_path, no_env_keys, monkeypatch):
    make_keys(tmp_path)
    os.remove(tmp_path / "keys" / "blind-index.key")
    monkeypatch.setattr(sys, "argv", ["flask", "icrs", "keys", "init"])
    app = build_app(tmp_path)
    result = app.test_cli_runner().invoke(keys_cli, ["init", "--if-missing"])
    assert result.exit_code != 0 and "restored from backup" in result.output


def test_keys_init_detection():
    assert keys_init_requested(["flask", "icrs", "keys", "init", "--if-missing"])
    assert not keys_init_requested(["flask", "icrs", "keys", "status"])
    assert not keys_init_requested(["gunicorn", "icrs:create_app()"])


def _store_one_person(app):
    with app.app_context():
        db.create_all()
        TPerson.metadata.create_all(db.engine)
        db.session.add(TPerson(first_name="Amina"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_wrong_kek_refused_at_start(tmp_path, no_env_keys):
    make_keys(tmp_path)
    _store_one_person(build_app(tmp_path))
    with open(tmp_path / "keys" / "kek-v1.key", "w") as fh:
        fh.write("ab" * 32)  # a valid-looking but different key
    with pytest.raises(KeyringError, match="KEK v1 from .* is wrong"):
        build_app(tmp_path)


def test_missing_kek_version_refused_at_start(tmp_path, no_env_keys):
    make_keys(tmp_path)
    app = build_app(tmp_path)
    _store_one_person(app)
    assert app.test_cli_runner().invoke(keys_cli, ["rotate"]).exit_code == 0
    os.remove(tmp_path / "keys" / "kek-v2.key")
    with pytest.raises(KeyringError, match=r"KEK v2.*only has v1.*kek-v2.key"):
        build_app(tmp_path)


def test_env_master_key_starts(tmp_path, no_env_keys):
    app = build_app(tmp_path, ICRS_MASTER_KEY="v1:" + "11" * 32, ICRS_BLIND_INDEX_KEY="22" * 32,
                    ICRS_AUDIT_KEY="33" * 32)
    assert app.extensions["icrs_crypto"].keyring.source.startswith("ICRS_MASTER_KEY")
    assert app.extensions["icrs_crypto"].audit_key == bytes.fromhex("33" * 32)


def test_refuses_to_start_without_the_audit_key(tmp_path, no_env_keys):
    make_keys(tmp_path)
    os.remove(tmp_path / "keys" / "audit.key")
    with pytest.raises(KeyringError, match=r"Audit key not found.*audit\.key.*keys init"):
        build_app(tmp_path)


def test_env_keys_without_the_audit_key_refused(tmp_path, no_env_keys):
    with pytest.raises(KeyringError, match="ICRS_AUDIT_KEY"):
        build_app(tmp_path, ICRS_MASTER_KEY="v1:" + "11" * 32, ICRS_BLIND_INDEX_KEY="22" * 32)


def test_malformed_audit_key_refused(tmp_path, no_env_keys):
    make_keys(tmp_path)
    with pytest.raises(KeyringError, match="audit key in ICRS_AUDIT_KEY is malformed"):
        build_app(tmp_path, ICRS_AUDIT_KEY="12ab")


def test_keys_init_adds_a_missing_audit_key_after_an_upgrade(tmp_path, no_env_keys,
                                                             monkeypatch):
    make_keys(tmp_path)
    os.remove(tmp_path / "keys" / "audit.key")
    blind = (tmp_path / "keys" / "blind-index.key").read_text()
    monkeypatch.setattr(sys, "argv", ["flask", "icrs", "keys", "init"])
    app = build_app(tmp_path)
    result = app.test_cli_runner().invoke(keys_cli, ["init", "--if-missing"])
    assert result.exit_code == 0 and "audit.key" in result.output
    assert stat.S_IMODE(os.stat(tmp_path / "keys" / "audit.key").st_mode) == 0o600
    assert (tmp_path / "keys" / "blind-index.key").read_text() == blind
    monkeypatch.setattr(sys, "argv", ["flask", "run"])
    assert len(build_app(tmp_path).extensions["icrs_crypto"].audit_key) == 32


def test_malformed_env_master_key_refused(tmp_path, no_env_keys):
    with pytest.raises(KeyringError, match="ICRS_MASTER_KEY is malformed"):
        build_app(tmp_path, ICRS_MASTER_KEY="11" * 32)


def _key_check_value(app):
    import sqlalchemy as sa

    from icrs.crypto.models import KeyCheck

    with app.app_context():
        value = db.session.scalar(sa.select(KeyCheck.value))
        db.session.remove()
        db.engine.dispose()
        return value


def test_wrong_blind_index_key_refused_at_start(tmp_path, no_env_keys):
    make_keys(tmp_path)
    _store_one_person(build_app(tmp_path))
    first = _key_check_value(build_app(tmp_path))  # the first start writes the check value
    assert first and len(first) == 64
    assert _key_check_value(build_app(tmp_path)) == first  # the right key starts again
    with open(tmp_path / "keys" / "blind-index.key", "w") as fh:
        fh.write("cd" * 32)  # a valid-looking but different key
    with pytest.raises(KeyringError, match=r"blind-index key from .*blind-index.key is not"):
        build_app(tmp_path)


def test_wrong_env_blind_index_key_refused_at_start(tmp_path, no_env_keys):
    keys = {"ICRS_MASTER_KEY": "v1:" + "11" * 32, "ICRS_BLIND_INDEX_KEY": "22" * 32,
            "ICRS_AUDIT_KEY": "44" * 32}
    _store_one_person(build_app(tmp_path, **keys))
    assert _key_check_value(build_app(tmp_path, **keys))
    with pytest.raises(KeyringError, match="ICRS_BLIND_INDEX_KEY is not the one"):
        build_app(tmp_path, **{**keys, "ICRS_BLIND_INDEX_KEY": "33" * 32})
