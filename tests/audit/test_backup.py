"""`flask icrs backup`: the copy opens as a new app's database and, with the same keys, decrypts;
it holds no key material. Uses its own SQLite apps, whatever database the suite runs on."""
import datetime as dt
import os
import shutil
import sqlite3

import pytest
import sqlalchemy as sa

from icrs import create_app
from icrs.audit.cli import backup_command
from icrs.audit.services import verify_chain
from icrs.config import TestingConfig
from icrs.extensions import db as _db

MASTER = "v1:" + "ab" * 32
BLIND = "cd" * 32


def _app(path, master=MASTER):
    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        ICRS_MASTER_KEY = master
        ICRS_BLIND_INDEX_KEY = BLIND

    return create_app(Cfg)


def _register(app):
    from icrs.people import services
    from tests.factories import Factory

    with app.app_context():
        _db.create_all()
        caseworker = Factory("pw-for-tests").user("caseworker")
        person = services.register_person(caseworker, caseworker.site, {
            "first_name": "Aïcha", "last_name": "Mahamat", "sex": "female",
            "birth_date": dt.date(1995, 3, 14), "birth_year": 1995, "category": "adult_woman",
            "languages": ["fr"], "phone": "+237 6 99 12 34 56", "id_number": "CNI-4242",
            "address": "Quartier Domayo, Maroua"})
        _db.session.commit()
        return person.id


@pytest.fixture
def source(tmp_path):
    app = _app(tmp_path / "live.sqlite")
    person_id = _register(app)
    yield app, person_id
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_backup_restores_and_decrypts(source, tmp_path):
    from icrs.people.models import Person

    app, person_id = source
    dest = tmp_path / "copy.sqlite"
    result = app.test_cli_runner().invoke(backup_command, [str(dest)])
    assert result.exit_code == 0, result.output
    assert "NOT in this backup" in result.output
    assert oct(os.stat(dest).st_mode & 0o777) == "0o600"
    restored = _app(dest)
    with restored.app_context():
        person = _db.session.get(Person, person_id)
        assert person.last_name == "Mahamat" and person.id_number == "CNI-4242"
        assert verify_chain().ok
        actions = _db.session.scalars(sa.text("SELECT action FROM audit_entry")).all()
        assert "audit.backup_started" in actions
        _db.session.remove()
        _db.engine.dispose()


def test_backup_takes_what_is_still_in_the_wal_and_stands_alone(source, tmp_path):
    app, person_id = source
    assert os.path.getsize(tmp_path / "live.sqlite-wal") > 0  # not yet in the main file
    dest = tmp_path / "copy.sqlite"
    result = app.test_cli_runner().invoke(backup_command, [str(dest)])
    assert result.exit_code == 0, result.output
    assert not os.path.exists(f"{dest}-wal")
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT count(*) FROM person WHERE id = ?",
                            (person_id.hex,)).fetchone()[0] == 1
    finally:
        copy.close()


def test_backup_holds_no_key_material(source, tmp_path):
    app, _ = source
    dest = tmp_path / "copy.sqlite"
    app.test_cli_runner().invoke(backup_command, [str(dest)])
    raw = dest.read_bytes()
    for secret in (MASTER.split(":")[1], BLIND):
        assert secret.encode() not in raw and bytes.fromhex(secret) not in raw
    assert b"Mahamat" not in raw and b"CNI-4242" not in raw


def test_backup_is_useless_with_other_keys(source, tmp_path):
    from icrs.crypto import KeyringError

    app, _ = source
    dest = tmp_path / "copy.sqlite"
    app.test_cli_runner().invoke(backup_command, [str(dest)])
    with pytest.raises(KeyringError):
        _app(dest, master="v1:" + "ef" * 32)


def test_backup_into_a_directory_and_no_overwrite(source, tmp_path):
    app, _ = source
    runner = app.test_cli_runner()
    first = runner.invoke(backup_command, [str(tmp_path)])
    assert first.exit_code == 0, first.output
    made = [p for p in os.listdir(tmp_path) if p.startswith("icrs-") and p.endswith(".sqlite")]
    assert len(made) == 1
    dest = tmp_path / "copy.sqlite"
    assert runner.invoke(backup_command, [str(dest)]).exit_code == 0
    again = runner.invoke(backup_command, [str(dest)])
    assert again.exit_code == 1 and "exists" in again.output
    assert runner.invoke(backup_command, [str(dest), "--force"]).exit_code == 0


@pytest.mark.skipif(not os.environ.get("ICRS_TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_postgresql_backup(app, db, make, tmp_path):
    make.user("admin")
    db.session.commit()
    result = app.test_cli_runner().invoke(backup_command, [str(tmp_path / "pg.dump")])
    if shutil.which("pg_dump") is None:
        assert result.exit_code == 1 and "pg_dump --format=custom" in result.output
        return
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pg.dump").read_bytes()[:5] == b"PGDMP"
