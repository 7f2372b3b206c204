"""`flask icrs init` on an empty database: migrations, reference regions with p-codes, the first
administrator, nothing fictitious; a second run changes nothing."""
import pytest
import sqlalchemy as sa

from icrs import create_app
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.config import TestingConfig
from icrs.core.models import Region, Site
from icrs.extensions import db
from icrs.people.models import Person
from tests.core.test_migrations import _differences, _empty_database_url

PASSWORD = "a long first admin password"  # noqa: S105


@pytest.fixture
def empty_app(tmp_path):
    gen = _empty_database_url(tmp_path)

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = next(gen)

    app = create_app(Cfg)
    app.instance_path = str(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    next(gen, None)


def _init(app, *args, env=None, input=None):
    runner = app.test_cli_runner()
    return runner.invoke(args=["icrs", "init", *args], env=env, input=input,
                         catch_exceptions=False)


def test_init_sets_up_an_empty_database_without_demo_data(empty_app):
    result = _init(empty_app, "--admin", "Chief", "--admin-email", "chief@example.org",
                   env={"ICRS_ADMIN_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "Administrator: chief created." in result.output
    assert _differences(empty_app) == []
    users = db.session.scalars(sa.select(User)).all()
    assert [(u.username, u.role, u.email) for u in users] == [
        ("chief", Role.ADMIN, "chief@example.org")]
    assert users[0].check_password(PASSWORD)
    pcodes = dict(db.session.execute(sa.select(Region.code, Region.pcode)).all())
    assert len(pcodes) == 10 and pcodes["EN"] == "CM004" and pcodes["SW"] == "CM010"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
    assert PASSWORD not in result.output


def test_init_again_changes_nothing(empty_app):
    _init(empty_app, "--admin", "chief", env={"ICRS_ADMIN_PASSWORD": PASSWORD})
    again = _init(empty_app, "--admin", "other", env={"ICRS_ADMIN_PASSWORD": PASSWORD})
    assert again.exit_code == 0, again.output
    assert "chief already exists, none created" in again.output
    assert "Reference data: already present." in again.output
    assert db.session.scalars(sa.select(User.username)).all() == ["chief"]


def test_init_asks_for_the_password_when_no_variable_is_set(empty_app):
    result = _init(empty_app, env={"ICRS_ADMIN_PASSWORD": ""},
                   input=f"chief\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User).where(User.username == "chief")).check_password(
        PASSWORD)


def test_init_refuses_a_weak_password_and_creates_no_admin(empty_app):
    result = empty_app.test_cli_runner().invoke(
        args=["icrs", "init", "--admin", "chief"], env={"ICRS_ADMIN_PASSWORD": "short"})
    assert result.exit_code != 0
    assert "Error" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
