"""Crypto fixtures: test tables next to the app's, and `crypto_app`, a minimal app whose keys live
in files under its own instance folder (for key-file, CLI and start-up tests)."""
import os
import sys

import pytest
from flask import Flask

from icrs import crypto
from icrs.crypto import keyring
from icrs.crypto.auditkey import AUDIT_FILE
from icrs.extensions import db as _db
from tests.crypto.testmodels import CryptoTestBase


@pytest.fixture
def crypto_db(db):
    """The shared `db` fixture plus the crypto test tables (emptied after each test)."""
    CryptoTestBase.metadata.create_all(db.engine)
    yield db
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(CryptoTestBase.metadata.sorted_tables):
            conn.execute(table.delete())


def make_keys(instance_path):
    keys_dir = os.path.join(instance_path, "keys")
    keyring.write_key_file(os.path.join(keys_dir, "kek-v1.key"))
    keyring.write_key_file(os.path.join(keys_dir, keyring.BLIND_FILE))
    keyring.write_key_file(os.path.join(keys_dir, AUDIT_FILE))
    return keys_dir


def build_app(instance_path, **config):
    app = Flask("icrs_crypto_test", instance_path=str(instance_path))
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance_path}/crypto.sqlite",
                      SECRET_KEY="x", **config)
    _db.init_app(app)
    crypto.init_app(app)
    return app


@pytest.fixture
def crypto_app(tmp_path, monkeypatch):
    """A minimal app with file keys (no ICRS_MASTER_KEY) and its own SQLite database."""
    monkeypatch.delenv("ICRS_MASTER_KEY", raising=False)
    monkeypatch.delenv("ICRS_BLIND_INDEX_KEY", raising=False)
    monkeypatch.setattr(sys, "argv", ["pytest"])
    make_keys(tmp_path)
    app = build_app(tmp_path)
    import icrs.audit.models  # noqa: F401 - shred writes an audit entry

    with app.app_context():
        _db.create_all()
        CryptoTestBase.metadata.create_all(_db.engine)
        yield app
        _db.session.remove()
        _db.engine.dispose()
