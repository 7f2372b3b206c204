"""Assistance fixtures: a funding source and a cash grant in the catalogue, a planned case of a
Méri caseworker (Extrême-Nord), its supervisor, and helpers to propose and approve."""
import datetime as dt
import itertools

import pytest

from icrs.assistance import catalogue, services
from icrs.assistance.models import AssistanceKind
from icrs.people import services as people
from tests import factories

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def english(db):
    """Messages raised by services outside a request read in English (the users' locale)."""
    from flask_babel import force_locale
    with force_locale("en"):
        yield


@pytest.fixture
def admin(make):
    return make.user("admin", locale="en")


@pytest.fixture
def worker(make):
    return make.user("caseworker", site="MER", locale="en")


@pytest.fixture
def supervisor(make, worker):
    return make.user("supervisor", region=worker.site.region, locale="en")


@pytest.fixture
def source(db, admin):
    return catalogue.create_funding_source(admin, "iom_cm", "DDR reintegration", "IOM",
                                           "Lake Chad 2025")


@pytest.fixture
def make_type(db, admin, source):
    def _make(code=None, **data):
        fields = {"kind": AssistanceKind.CASH_GRANT.value, "name_fr": "Subvention de démarrage",
                  "name_en": "Start-up grant", "unit_value": 150000, "currency": "XAF",
                  "funding_source_id": source.id}
        fields.update(data)
        made = catalogue.create_type(admin, code or f"grant_{next(_n)}", fields)
        db.session.commit()
        return made
    return _make


@pytest.fixture
def grant(make_type):
    return make_type("startup_grant", cap_per_person=150000)


@pytest.fixture
def register(db, worker):
    def _register(actor=None, plan=True, **data):
        actor = actor or worker
        n = next(_n)
        identity = {"first_name": f"Moussa{n}", "last_name": "Bakari", "sex": "male",
                    "birth_date": dt.date(1990, 3, 2), "birth_year": 1990,
                    "category": "adult_man", "languages": ["ff"],
                    "phone": f"+237 6 77 {n:02d} 33 44", "id_number": f"CNI-55{n:03d}"}
        identity.update(data)
        person = people.register_person(actor, actor.site, identity)
        if plan:
            factories.counselled(actor, person, "Wants a workshop.", "small_business",
                                 "Open a repair workshop.")
        db.session.commit()
        return person
    return _register


@pytest.fixture
def person(register):
    return register()


@pytest.fixture
def propose(db, worker):
    def _propose(person, kind, amount=100000, actor=None):
        entitlement = services.propose_entitlement(actor or worker, person, kind, amount,
                                                   "Needs tools to restart his trade.")
        db.session.commit()
        return entitlement
    return _propose


@pytest.fixture
def approve(db):
    def _approve(entitlement, actor):
        from icrs.approvals import services as approvals
        approvals.approve(actor, services.pending_request(entitlement))
        db.session.commit()
        return entitlement
    return _approve
