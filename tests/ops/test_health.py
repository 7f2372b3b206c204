"""/healthz: 200 JSON when the database answers, the keys are loaded and the database is at the
migrations' head; 503 naming the failing check otherwise; no login, no personal data."""
import pytest
import sqlalchemy as sa

from icrs.extensions import db as _db


@pytest.fixture
def at_head(app, db):
    heads = sorted(app.extensions["icrs_ops"]["migration_heads"])
    with _db.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(64) NOT NULL)"))
        for head in heads:
            conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
    yield heads
    with _db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))


def test_healthy(client, at_head):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == {"status": "ok", "checks": {
        "database": "ok", "keys": "ok", "migrations": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_migrations_behind_is_503(client, at_head):
    with _db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "keys": "ok",
                                             "migrations": "failing"}


def test_never_migrated_is_503(client, db):
    body = client.get("/healthz")
    assert body.status_code == 503 and body.get_json()["checks"]["migrations"] == "failing"


def test_database_down_is_503(client, at_head, monkeypatch):
    from icrs.ops import health

    def broken():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "failing"
    assert "refused" not in response.get_data(as_text=True)


def test_keys_missing_is_503(client, at_head, app, monkeypatch):
    from icrs.crypto import KeyringError

    state = app.extensions["icrs_crypto"]

    def no_keys(self):
        raise KeyringError("no key file")

    monkeypatch.setattr(type(state), "keyring", property(no_keys))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["checks"]["keys"] == "failing"


def test_heads_are_the_migration_files(app):
    heads = app.extensions["icrs_ops"]["migration_heads"]
    assert len(heads) == 1 and next(iter(heads)).startswith("00")
