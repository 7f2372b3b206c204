"""0007_h5 encrypts the flags and purposes already stored in plain text (and downgrading puts them
back), with the app's keyring; an erased person's values are dropped."""
import datetime as dt
import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from icrs.core.timeutil import today
from icrs.crypto import shred
from icrs.extensions import db
from icrs.people import casework
from icrs.people import services as people
from icrs.people.models import FollowUp
from icrs.profiling.models import ProfileVersion
from tests import factories
from tests.core.test_migrations import _differences, migrated_app  # noqa: F401

IDENTITY = {"first_name": "Kaltouma", "last_name": "Ali", "sex": "female", "birth_year": 1990,
            "category": "adult_woman", "languages": ["fr"]}


def _make_case(worker, n, flags, purpose):
    person = people.register_person(worker, worker.site, dict(IDENTITY, phone=f"69900000{n}"))
    version = ProfileVersion(person_id=person.id, number=1, complete=True)
    db.session.add(version)
    version.vulnerability_flags = flags
    follow_up = casework.schedule_follow_up(worker, person, today() + dt.timedelta(days=5),
                                            purpose)
    db.session.flush()
    return person, version.id, follow_up.id


def _plain(table, column):
    with db.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT {column} FROM {table}")).scalars().all()  # noqa: S608


def test_0007_encrypts_existing_plain_values(migrated_app):  # noqa: F811
    worker = factories.Factory("long-test-password-1").user("caseworker")
    kept, version_id, follow_up_id = _make_case(worker, 1, ["protection_support"], "Visite GBV")
    erased, *_ = _make_case(worker, 2, ["pregnant_or_lactating"], "Visite grossesse")
    erased_id = erased.id
    shred(erased_id)
    db.session.commit()
    db.session.remove()

    downgrade(revision="0006")  # back to plain columns: the values come back out
    flags = [json.loads(f) if isinstance(f, str) else f  # SQLite hands JSON back as text
             for f in _plain("profile_version", "vulnerability_flags")]
    assert sorted(flags) == [[], ["protection_support"]]  # the erased one: empty
    assert sorted(_plain("follow_up", "purpose")) == ["", "Visite GBV"]

    upgrade()
    assert "Visite" not in repr(_plain("follow_up", "purpose_ct"))
    assert "protection" not in repr(_plain("profile_version", "vulnerability_flags_ct"))
    assert db.session.get(ProfileVersion, version_id).vulnerability_flags == \
        ["protection_support"]
    assert db.session.get(FollowUp, follow_up_id).purpose == "Visite GBV"
    erased_values = db.session.scalars(sa.select(FollowUp.purpose_ct).where(
        FollowUp.person_id == erased_id)).all()
    assert erased_values == [None]
    assert len(_plain("key_check", "value")) == 1
    assert _differences(migrated_app) == []
