"""Approval fixtures: a caseworker's case in Extrême-Nord, its supervisor, an admin."""
import datetime as dt
import itertools

import pytest

from icrs.people import services as people

_n = itertools.count(1)


@pytest.fixture
def worker(make):
    return make.user("caseworker", site="MER", locale="en")


@pytest.fixture
def supervisor(make, worker):
    return make.user("supervisor", region=worker.site.region, locale="en")


@pytest.fixture
def admin(make):
    return make.user("admin", locale="en")


@pytest.fixture
def register(db, worker):
    def _register(actor=None, **data):
        actor = actor or worker
        n = next(_n)
        identity = {"first_name": f"Hadiza{n}", "last_name": "Oumarou", "sex": "female",
                    "birth_date": dt.date(1994, 1, 9), "birth_year": 1994,
                    "category": "adult_woman", "languages": ["ff"],
                    "phone": f"+237 6 55 {n:02d} 12 12", "id_number": f"CNI-77{n:03d}"}
        identity.update(data)
        person = people.register_person(actor, actor.site, identity)
        db.session.commit()
        return person

    return _register


@pytest.fixture
def person(register):
    return register()
