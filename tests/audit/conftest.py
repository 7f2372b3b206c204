"""Audit fixtures: a registered person (through the real service) in region EN."""
import datetime as dt

import pytest

from icrs.people import services


@pytest.fixture
def person(make, db):
    caseworker = make.user("caseworker", username="cw.audit")
    data = {"first_name": "Aïcha", "last_name": "Mahamat", "sex": "female",
            "birth_date": dt.date(1995, 3, 14), "birth_year": 1995, "category": "adult_woman",
            "languages": ["fr"], "phone": "+237 6 99 12 34 56", "id_number": "CNI-4242",
            "address": "Quartier Domayo, Maroua"}
    p = services.register_person(caseworker, caseworker.site, data)
    db.session.commit()
    return p
