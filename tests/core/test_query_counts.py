"""The main pages send the same number of SQL statements whether they show N or 3N rows: no
query per row (N+1). Every row gets its own related objects (person, caseworker, service,
organisation, region, data key) so that a lazy load per row cannot hide in the identity map."""
import datetime as dt
import itertools
from collections import Counter
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from icrs.crypto import blind_index
from icrs.directory.details import ServiceLanguage
from icrs.directory.models import Service
from icrs.directory.taxonomy import category_by_code, ensure_taxonomy
from icrs.extensions import db as _db
from icrs.people.models import FollowUp, Person
from icrs.people.services import index_names
from icrs.people.states import Stage
from icrs.profiling.models import ProfileDraft, ProfileSection
from icrs.referrals.models import Referral

N = 4
_n = itertools.count(1)
CATEGORIES = ["vocational_training", "health", "mhpss", "formal_education", "employment"]


@contextmanager
def counted():
    """The statements of every engine: the dashboard's spare connection reads some of them."""
    statements = []
    engine = sa.engine.Engine

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def world(db, make):
    ensure_taxonomy()
    w = type("World", (), {})()
    w.region = make.region("EN")
    w.site = make.site("MER", "EN")
    w.caseworker = make.user("caseworker", site=w.site)
    w.org = make.organisation("Provider organisation")
    w.provider = make.user("provider", organisation=w.org)
    w.supervisor = make.user("supervisor")  # national
    db.session.commit()
    return w


def add_rows(w, make, count):
    """`count` people, each with its own caseworker, service (own organisation and region), a
    referral to that service, a referral to the provider's organisation, a profile section and
    an overdue follow-up."""
    today = dt.date.today()
    for _ in range(count):
        n = next(_n)
        worker = make.user("caseworker", site=w.site)
        region = make.region(f"R{n}")
        org = make.organisation(f"Organisation {n}", regions=[region])
        service = _service(org, f"Service {n:03d}", CATEGORIES[n % len(CATEGORIES)], region)
        own = _service(w.org, f"Provider service {n:03d}", CATEGORIES[n % len(CATEGORIES)],
                       region)
        person = Person(case_number=f"EN-MER-2024-{n:05d}", site_id=w.site.id,
                        region_id=w.region.id, sex="female", birth_year=1990,
                        category="adult_woman", stage=Stage.REFERRED,
                        registered_at=dt.datetime(2024, 1, 1) + dt.timedelta(days=n),
                        caseworker_id=worker.id)
        _db.session.add(person)
        person.first_name, person.last_name = "Aïssatou", "Bello"
        person.name_bidx = blind_index("name_year", ("Aïssatou Bello", None))
        _db.session.flush()
        index_names(person)  # what a name search reads
        sent = dt.datetime(2024, 2, 1) + dt.timedelta(days=n)
        for svc in (service, own):
            referral = Referral(person_id=person.id, service_id=svc.id,
                                organisation_id=svc.organisation_id, created_by_id=worker.id,
                                status="sent", sent_at=sent, created_at=sent,
                                accept_by=sent + dt.timedelta(days=14))
            _db.session.add(referral)
            referral.reason = "Wants to learn a trade."
        draft = ProfileDraft(person_id=person.id)
        _db.session.add(draft)
        _db.session.flush()
        section = ProfileSection(person_id=person.id, draft_id=draft.id, section="household",
                                 answered=1, missing=[])
        section.answers = {"household_size": 3}
        _db.session.add(section)
        _db.session.add(FollowUp(person_id=person.id, due_date=today - dt.timedelta(days=3),
                                 created_by_id=worker.id, assigned_to_id=worker.id))
    _db.session.commit()


def _service(org, name, category, region):
    service = Service(organisation=org, name=name, description=name,
                      category=category_by_code(category), regions=[region])
    service.set_categories(["adult_man", "adult_woman"])
    service.languages = [ServiceLanguage(code="fr", name="fr")]
    _db.session.add(service)
    _db.session.flush()
    return service


PAGES = [
    ("people list", "caseworker", "/people/", {}),
    ("people list, search by name", "caseworker", "/people/", {"kind": "name",
                                                              "q": "Aïssatou Bello"}),
    ("referrals list", "caseworker", "/referrals/", {}),
    ("provider inbox", "provider", "/referrals/inbox", {}),
    ("directory list", "caseworker", "/directory/", {}),
    ("dashboard", "supervisor", "/dashboard/", {"date_from": "2024-01-01",
                                                "date_to": "2024-12-31"}),
    ("follow-ups", "caseworker", "/people/follow-ups", {}),
    ("HSDS services", "caseworker", "/hsds/services", {}),
    ("HSDS services, full", "caseworker", "/hsds/services", {"full": "true"}),
]
POSTED = {"people list, search by name"}


@pytest.mark.parametrize(("label", "role", "url", "query"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_rows(app, client, make, world, label, role, url,
                                             query):
    user = {"caseworker": world.caseworker, "provider": world.provider,
            "supervisor": world.supervisor}[role]
    client.post("/login", data={"username": user.username, "password": make.password})

    def send():
        if label in POSTED:  # identity searches are POSTed (never in a URL)
            return client.post(url, data=query)
        return client.get(url, query_string=query)

    def count():
        send()  # warm caches that fill once (taxonomy, labels)
        with counted() as statements:
            response = send()
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return statements, response.get_data(as_text=True)

    add_rows(world, make, N)
    few, _ = count()
    add_rows(world, make, 2 * N)
    many, html = count()
    if label.startswith(("people list", "referrals list", "provider inbox")):
        assert html.count("<tr>") >= 3 * N  # the rows really are shown
    repeated = Counter(many) - Counter(few)
    assert len(many) == len(few), (
        f"{label}: {len(few)} queries for {N} rows, {len(many)} for {3 * N}; the extra ones: "
        + "\n".join(f"{n} x {s[:300]}" for s, n in repeated.most_common(5)))
