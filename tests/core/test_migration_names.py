"""0009_names builds the name keys of the people already registered, with the app's keyring
(the same keys the app writes); an erased person gets none; downgrading drops the table."""
import datetime as dt

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from icrs.crypto import shred
from icrs.extensions import db
from icrs.people import services as people
from icrs.people.models import PersonNameKey
from tests import factories
from tests.core.test_migrations import _differences, migrated_app  # noqa: F401

IDENTITY = {"first_name": "Aboubakar", "last_name": "Goni", "other_names": "Le Lion",
            "sex": "male", "birth_year": 1990, "birth_date": dt.date(1990, 2, 3),
            "category": "adult_man", "languages": ["fr"]}


def _keys():
    return set(db.session.execute(sa.select(PersonNameKey.person_id, PersonNameKey.kind,
                                            PersonNameKey.value)).all())


def test_names_migration_builds_the_keys_of_existing_people(migrated_app):  # noqa: F811
    worker = factories.Factory("long-test-password-1").user("caseworker")
    kept = people.register_person(worker, worker.site, IDENTITY)
    erased = people.register_person(worker, worker.site, {**IDENTITY, "first_name": "Hawa",
                                                          "sex": "female",
                                                          "category": "adult_woman"})
    db.session.commit()
    kept_id = kept.id
    before = {k for k in _keys() if k.person_id == kept_id}
    assert len(before) == 8  # aboubakar, goni, le, lion: token and phonetic
    erased_id = erased.id
    shred(erased_id)
    db.session.commit()
    db.session.remove()

    downgrade(revision="0008_lookups")
    assert not sa.inspect(db.engine).has_table("person_name_key")
    upgrade()
    assert _keys() == before
    assert [c.person.id for c in people.find_duplicate_candidates(
        {**IDENTITY, "first_name": "Aboubacar"})] == [kept_id]
    assert _differences(migrated_app) == []
