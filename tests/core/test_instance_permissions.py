"""The instance folder and the SQLite database are owner-only: created so, and repaired at start."""
import os
import sqlite3
import stat

import pytest

from icrs import create_app
from icrs.config import TestingConfig
from icrs.instance_setup import secure_instance, sqlite_path


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def restore_umask():
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def test_existing_world_readable_files_are_repaired(tmp_path, restore_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # noqa: S103 - the unsafe mode under test
    db_file = instance / "icrs.sqlite"
    for suffix in ("", "-wal", "-shm"):
        (instance / f"icrs.sqlite{suffix}").write_bytes(b"")
        os.chmod(instance / f"icrs.sqlite{suffix}", 0o644)
    changed = secure_instance(str(instance), f"sqlite:///{db_file}")
    assert _mode(instance) == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert _mode(f"{db_file}{suffix}") == 0o600
    assert len(changed) == 4
    assert secure_instance(str(instance), f"sqlite:///{db_file}") == []  # already right


def test_create_app_makes_the_database_and_its_wal_owner_only(tmp_path, restore_umask):
    os.umask(0o022)
    db_file = tmp_path / "fresh.sqlite"
    (tmp_path / "old.sqlite").write_bytes(b"")
    os.chmod(tmp_path / "old.sqlite", 0o644)

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{db_file}"

    create_app(Cfg)
    conn = sqlite3.connect(db_file)  # created after start-up: under the app's umask
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    for suffix in ("", "-wal", "-shm"):
        assert _mode(f"{db_file}{suffix}") == 0o600, suffix
    conn.close()

    class Old(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/old.sqlite"

    create_app(Old)
    assert _mode(tmp_path / "old.sqlite") == 0o600


def test_sqlite_path():
    path = "/srv/icrs/instance/icrs.sqlite"
    assert sqlite_path(f"sqlite:///{path}") == path
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql+psycopg://icrs@db/icrs") is None
