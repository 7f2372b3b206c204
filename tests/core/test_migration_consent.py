"""Migration 0008_consent: version 1 of each consent text is seeded and the consents recorded
before it point at it; the M&E reader role is allowed by the role CHECK (and leaves on
downgrade as an inactive supervisor)."""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from icrs.auth.models import User
from icrs.extensions import db
from icrs.people.consent_defaults import DEFAULT_TEXTS
from icrs.people.models import Consent, ConsentText
from tests.core import test_migrations
from tests.factories import Factory

migrated_app = test_migrations.migrated_app  # the same fixture: an upgraded empty database


def test_upgrade_seeds_version_one_of_each_purpose(migrated_app):
    texts = db.session.scalars(sa.select(ConsentText).order_by(ConsentText.id)).all()
    assert [(t.purpose.value, t.version, t.published) for t in texts] == [
        (p, 1, True) for p in ("registration", "storage", "sharing", "reporting")]
    assert texts[2].text_fr == DEFAULT_TEXTS["sharing"][0]
    # the id sequence moved past the seeded rows: a new version gets a fresh id
    admin = Factory("a-long-test-password").user("admin")
    from icrs.people.services import consent_texts
    draft = consent_texts.create_draft(admin, "sharing", "Texte", "Text", False)
    db.session.commit()
    assert draft.id == 5 and draft.version == 2


def test_existing_consents_are_mapped_to_version_one(migrated_app):
    from icrs.people import services
    make = Factory("a-long-test-password")
    worker = make.user("caseworker")
    person = services.register_person(worker, worker.site, {
        "first_name": "Amina", "last_name": "Bello", "sex": "female", "birth_year": 1990,
        "birth_date": dt.date(1990, 1, 1), "category": "adult_woman", "languages": ["en"]})
    db.session.commit()
    person_id, worker_id = person.id, worker.id
    db.session.remove()  # no open transaction while the migration alters tables
    downgrade(revision="0007_h6")
    with db.engine.begin() as conn:  # a consent as the old code wrote it
        conn.execute(sa.text(
            "INSERT INTO consent (id, person_id, purpose, text_version, method, given_at, "
            "recorded_by_id) VALUES (:id, :p, 'storage', '2025-1', 'signed', :at, :u)"),
            {"id": uuid.uuid4().hex,
             "p": person_id.hex if db.engine.dialect.name == "sqlite" else person_id,
             "at": dt.datetime(2025, 3, 1), "u": worker_id})
    upgrade()
    consent = db.session.scalar(sa.select(Consent))
    assert consent.text.purpose.value == "storage" and consent.text.version == 1
    assert consent.text_version == "1"
    assert test_migrations._differences(migrated_app) == []


def test_monitoring_role_allowed_and_downgraded_to_inactive_supervisor(migrated_app):
    make = Factory("a-long-test-password")
    reader_id = make.user("monitoring", username="me.mig").id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0007_h6")
    with db.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT role, active FROM user_account "
                                   "WHERE username = 'me.mig'")).one()
    assert row.role == "supervisor" and not row.active
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE user_account SET role = 'monitoring' WHERE id = :i"),
                     {"i": reader_id})
    upgrade()
    assert db.session.get(User, reader_id).role.value == "supervisor"
