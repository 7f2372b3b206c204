"""Fixtures: app (TestingConfig on SQLite or ICRS_TEST_DATABASE_URL), db cleaned per test,
client, factories and login_as(role).

The schema is created once per session; after each test every table is emptied. Tests commit for
real (as views do), so transactions, constraints and concurrency behave as in production.
"""
import os
import tempfile

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from icrs import create_app
from icrs.config import TestingConfig
from icrs.extensions import db as _db
from tests import factories

TEST_PASSWORD = "correct horse battery"


def _database_url(tmpdir):
    return os.environ.get("ICRS_TEST_DATABASE_URL") or f"sqlite:///{tmpdir}/test.sqlite"


class IsolatedClient(FlaskClient):
    """Each request gets a fresh app context (new `g`, new DB session), as in production,
    even though the test itself holds one open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    tmpdir = tempfile.mkdtemp(prefix="icrs-test-")

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(tmpdir)

    application = create_app(Cfg)
    application.test_client_class = IsolatedClient
    application.instance_path = tmpdir
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _empty_all_tables():
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
        _empty_all_tables()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def make(db):
    """Factories: make.user(role=...), make.site(...), make.organisation(...)."""
    return factories.Factory(TEST_PASSWORD)


@pytest.fixture
def login_as(client, make):
    """login_as("caseworker", **user_fields) -> the logged-in user."""

    def _login(role_or_user, **fields):
        user = role_or_user if not isinstance(role_or_user, str) else make.user(role=role_or_user,
                                                                                **fields)
        _db.session.commit()
        response = client.post("/login", data={"username": user.username,
                                               "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


@pytest.fixture
def team(make, db):
    """A Méri team (all English-speaking): the assigned caseworker ("owner"), a colleague of the
    same site, the region's supervisor, a supervisor of another region ("elsewhere"), a
    caseworker of another site, a provider, an administrator and an M&E reader."""
    users = {"owner": make.user("caseworker", site="MER", locale="en"),
             "colleague": make.user("caseworker", site="MER", locale="en"),
             "supervisor": make.user("supervisor", region="EN", locale="en"),
             "elsewhere": make.user("supervisor", region="NW", locale="en"),
             "other_site": make.user("caseworker", site=make.site("MOR"), locale="en"),
             "provider": make.user("provider", locale="en"),
             "admin": make.user("admin", locale="en"),
             "monitoring": make.user("monitoring", locale="en")}
    _db.session.commit()
    return users


def signed_in(app, user):
    """A new client signed in as `user` (several users side by side in one test)."""
    client = app.test_client()
    assert client.post("/login", data={"username": user.username,
                                       "password": TEST_PASSWORD}).status_code == 302
    return client
