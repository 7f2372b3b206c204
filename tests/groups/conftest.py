"""Groups fixtures: a Méri caseworker, three ex-associates with a plan, two community members,
a facilitating organisation with its provider, and a cash grant in the catalogue."""
import datetime as dt
import itertools

import pytest

from icrs.assistance import catalogue
from icrs.assistance.models import AssistanceKind
from icrs.people import services as people
from tests import factories

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def english(db):
    from flask_babel import force_locale
    with force_locale("en"):
        yield


@pytest.fixture
def worker(make):
    return make.user("caseworker", site="MER", locale="en")


@pytest.fixture
def facilitator(make, db):
    organisation = make.organisation("Coopérative Espoir Mora")
    provider = make.user("provider", organisation=organisation, locale="en")
    db.session.commit()
    return provider


@pytest.fixture
def ex_associate(db, worker):
    def _make(actor=None, sex="male"):
        actor = actor or worker
        n = next(_n)
        person = people.register_person(actor, actor.site, {
            "first_name": f"Moussa{n}", "last_name": "Bakari", "sex": sex,
            "birth_date": dt.date(1990, 3, 2), "birth_year": 1990,
            "category": "adult_man" if sex == "male" else "adult_woman", "languages": ["ff"],
            "phone": f"+237 6 77 {n:02d} 33 44"})
        factories.counselled(actor, person, "Wants to farm.", "agriculture", "Grow onions.")
        db.session.commit()
        return person
    return _make


@pytest.fixture
def community_member(db, worker):
    def _make(actor=None, sex="female", category="host_community"):
        actor = actor or worker
        n = next(_n)
        person = people.register_community_member(actor, actor.site, {
            "first_name": f"Hadja{n}", "last_name": "Oumarou", "sex": sex,
            "birth_year": 1988, "community_category": category,
            "phone": f"+237 6 55 {n:02d} 11 22"}, "signed")
        db.session.commit()
        return person
    return _make


@pytest.fixture
def cash_grant(db, make):
    admin = make.user("admin", locale="en")
    source = catalogue.create_funding_source(admin, "iom_cm", "DDR reintegration", "IOM",
                                             "Lake Chad 2025")
    made = catalogue.create_type(admin, "group_grant", {
        "kind": AssistanceKind.CASH_GRANT.value, "name_fr": "Subvention de groupe",
        "name_en": "Group grant", "unit_value": 200000, "currency": "XAF",
        "funding_source_id": source.id})
    db.session.commit()
    return made
