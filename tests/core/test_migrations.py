"""`flask db upgrade` from an empty database gives exactly the models' schema, on SQLite and on
PostgreSQL (when ICRS_TEST_DATABASE_URL points at one)."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from icrs import create_app
from icrs.config import TestingConfig
from icrs.extensions import db


def _empty_database_url(tmp_path):
    base = os.environ.get("ICRS_TEST_DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/migrated.sqlite"
        return
    name = f"icrs_mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_app(tmp_path):
    gen = _empty_database_url(tmp_path)
    url = next(gen)

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Cfg)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    try:
        next(gen)
    except StopIteration:
        pass


def _differences(app):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "render_as_batch": True})
        return compare_metadata(ctx, db.metadata)


def test_upgrade_from_empty_matches_models(migrated_app):
    diffs = _differences(migrated_app)
    assert diffs == [], f"models and migrations differ: {diffs}"


def test_downgrade_to_base_and_up_again(migrated_app):
    downgrade(revision="base")
    with db.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _differences(migrated_app) == []


def test_upgrade_seeds_the_taxonomies_a_fresh_install_needs(migrated_app):
    """Without the demo, a new database must still describe services and serve HSDS."""
    from icrs.auth.models import Role, User
    from icrs.directory.models import Organisation, OrganisationType, TaxonomyTerm
    from icrs.directory.taxonomy import TAXONOMIES, ensure_taxonomy

    expected = sum(len(terms) for *_, terms in TAXONOMIES)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaxonomyTerm)) == expected
    assert ensure_taxonomy() == 0  # the demo and the importer find the same rows
    admin = User(username="root", role=Role.ADMIN, full_name="Root", email="r@example.org")
    admin.set_password("a-long-test-password")
    db.session.add_all([admin, Organisation(name="Centre A", type=OrganisationType.NGO)])
    db.session.commit()
    client = migrated_app.test_client()
    client.post("/login", data={"username": "root", "password": "a-long-test-password"})
    response = client.get("/hsds/organizations?full=true")
    assert response.status_code == 200 and response.get_json()["contents"][0]["attributes"]


def test_0005_copies_the_persons_dimensions_onto_existing_referrals(migrated_app):
    """Upgrading a database that holds referrals fills their copy of the person's dimensions
    (and rebuilding the referral table on SQLite keeps every row and foreign key)."""
    from icrs.demo import DemoContext
    from icrs.referrals.models import Referral, ReferralEvent
    from tests.referrals.test_demo import _load
    from tests.referrals.test_dimensions import mismatches

    _load(DemoContext(password="demo-password-1"))
    db.session.commit()
    referrals, events = (db.session.scalar(sa.select(sa.func.count()).select_from(t))
                         for t in (Referral, ReferralEvent))
    db.session.remove()
    downgrade(revision="0004")
    with db.engine.connect() as conn:
        assert "person_sex" not in {c["name"] for c in sa.inspect(conn).get_columns("referral")}
    upgrade()
    assert referrals > 50 and mismatches(db) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == referrals
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralEvent)) == events
    assert _differences(migrated_app) == []
