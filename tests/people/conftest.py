"""People fixtures: register people through the real service, as a caseworker would."""
import datetime as dt
import itertools

import pytest

from icrs.people import services
from icrs.people.models import ConsentMethod, ConsentPurpose

_n = itertools.count(1)


@pytest.fixture
def register(make, db):
    """register(actor=None, **identity) -> Person (committed)."""

    def _register(actor=None, **data):
        actor = actor or make.user("caseworker")
        n = next(_n)
        defaults = {"first_name": f"Aïcha{n}", "last_name": "Mahamat", "sex": "female",
                    "birth_date": dt.date(1995, 3, 14), "birth_year": 1995,
                    "category": "adult_woman", "languages": ["fr", "ff"],
                    "phone": f"+237 6 99 {n:02d} 34 56", "id_number": f"CNI-{1000 + n}",
                    "address": "Quartier Domayo, Maroua"}
        defaults.update(data)
        person = services.register_person(actor, actor.site, defaults)
        db.session.commit()
        return person

    return _register


@pytest.fixture
def consent_all(db):
    def _consent(actor, person):
        for purpose in (ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE):
            services.record_consent_of_all(actor, person, purpose, ConsentMethod.SIGNED)
        db.session.commit()

    return _consent
