"""Referral fixtures: a small world (site, caseworker, two provider organisations, services) and a
person registered and consented through the real services."""
import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from icrs.directory.details import ServiceLanguage
from icrs.directory.models import Service
from icrs.directory.taxonomy import category_by_code, ensure_taxonomy
from icrs.extensions import db as _db
from icrs.people import services as people
from icrs.people.models import ConsentMethod, ConsentPurpose
from icrs.referrals import services

EVERYONE = ["adult_man", "adult_woman", "caafag", "person_with_disability", "dependant"]
_n = itertools.count(1)


@pytest.fixture(autouse=True)
def english(request):
    """Messages asserted on in English, whatever the default locale (French); inside the `db`
    fixture's app context when the test uses it."""
    from flask_babel import force_locale

    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    with force_locale("en"):
        yield


@pytest.fixture
def world(db, make):
    ensure_taxonomy()
    en = make.region("EN", "Extrême-Nord", "Far North")
    mer = make.site("MER", "EN")
    w = SimpleNamespace(en=en, mer=mer, nw=make.region("NW"), bam=make.site("BAM", "NW"))
    w.caseworker = make.user("caseworker", site=mer, locale="en")
    w.colleague = make.user("caseworker", site=mer, locale="en")
    w.org = make.organisation("Centre de Formation aux Métiers de Maroua", regions=[en])
    w.other_org = make.organisation("Bamenda Psychosocial Support Network")
    w.provider = make.user("provider", organisation=w.org, locale="en", email="p@example.org")
    w.other_provider = make.user("provider", organisation=w.other_org, locale="en")
    w.supervisor = make.user("supervisor", region=en, locale="en")
    w.service = make_service(w.org, "Tailoring apprenticeship", capacity=2, open_slots=2,
                             regions=[en], languages=["fr", "ff"])
    db.session.commit()
    return w


def make_service(org, name, category="vocational_training", min_age=None, max_age=None,
                 sexes="fm", categories=EVERYONE, regions=(), sites=(), languages=(), **kw):
    from icrs.extensions import db
    service = Service(organisation=org, name=name, description=name,
                      category=category_by_code(category), minimum_age=min_age,
                      maximum_age=max_age, serves_female="f" in sexes, serves_male="m" in sexes,
                      regions=list(regions), sites=list(sites), **kw)
    service.set_categories(categories)
    service.languages = [ServiceLanguage(code=c, name=c) for c in languages]
    db.session.add(service)
    db.session.flush()
    return service


@pytest.fixture
def person(world, db):
    """A registered adult woman of Méri with consent to share for vocational training."""
    return new_person(world, db)


def new_person(world, db, categories=("vocational_training",), **data):
    n = next(_n)
    identity = {"first_name": f"Hadidja{n}", "last_name": "Zoubairou", "sex": "female",
                "birth_date": dt.date(1996, 4, 2), "birth_year": 1996, "category": "adult_woman",
                "languages": ["fr", "ff"], "phone": f"+237 6 77 {n:02d} 11 22",
                "id_number": f"DDR-EN-{9000 + n}", "address": "Quartier Founangué, Maroua"}
    identity.update(data)
    p = people.register_person(world.caseworker, world.mer, identity)
    for code in categories:
        people.record_consent(world.caseworker, p, ConsentPurpose.SHARING, ConsentMethod.SIGNED,
                              service_category=code)
    db.session.commit()
    return p


GOOD = {"priority": "normal", "reason": "Wants to train as a tailor",
        "needs": "Sewing kit after training", "complete_by": None,
        "share": ["first_name", "age_band", "languages"]}


@pytest.fixture
def sent(world, person, db):
    """sent(**data) -> a committed referral in status `sent`."""
    def _sent(service=None, actor=None, **data):
        r = services.refer(actor or world.caseworker, person, service or world.service,
                           {**GOOD, **data})
        db.session.commit()
        return r
    return _sent


@pytest.fixture
def switch_to(client, login_as):
    """Sign out whoever is signed in, then sign in as `user` (or a new user of that role)."""
    def _switch(user, **fields):
        _db.session.commit()  # a user made by the test is saved before logout writes (SQLite lock)
        client.post("/logout")
        return login_as(user, **fields)
    return _switch
