"""A hand-built world with known answers: three regions (one without data), four sites, nine
people, five sent referrals, follow-ups, exits and consent withdrawals. See test_indicators for
the expected figures."""
import datetime as dt
from types import SimpleNamespace

import pytest

from icrs.directory.models import Service
from icrs.directory.taxonomy import category_by_code, ensure_taxonomy
from icrs.extensions import db as _db
from icrs.people.models import Consent, FollowUp, Person, StageChange
from icrs.people.states import CLOSED, Stage

D = dt.datetime
PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
EVERYONE = ["adult_man", "adult_woman", "caafag", "person_with_disability", "dependant"]

# name: (registered, site, sex, birth_year, category, stage, caseworker key)
PEOPLE = {
    "p1": (D(2024, 1, 10), "MER", "female", 1990, "adult_woman", "registered", "mer"),
    "p2": (D(2024, 1, 20), "MER", "male", 2008, "caafag", "profiled", "mer"),
    "p3": (D(2024, 2, 5), "MER", "male", 1980, "adult_man", "referred", "mer"),
    "p4": (D(2024, 3, 15), "MER", "female", 2012, "dependant", "exited", "mer"),
    "p5": (D(2024, 3, 20), "MER", "female", None, "person_with_disability", "in_service", None),
    "p6": (D(2024, 2, 10), "MOR", "male", 2001, "adult_man", "planned", "mor"),
    "p7": (D(2023, 12, 20), "MOR", "male", 1995, "adult_man", "reintegrated", "mor"),
    "p8": (D(2024, 1, 5), "BAM", "female", 1999, "adult_woman", "registered", "bam"),
    "p9": (D(2024, 5, 5), "BAM", "male", 1985, "adult_man", "suspended", "bam"),
}


def add_person(name, registered, site, sex, birth_year, category, stage, caseworker=None,
               **identity):
    person = Person(case_number=f"{site.region.code}-{site.code}-{registered.year}-{name}",
                    site_id=site.id, region_id=site.region_id, sex=sex, birth_year=birth_year,
                    category=category, stage=Stage(stage), registered_at=registered,
                    caseworker_id=getattr(caseworker, "id", None),
                    # a closed case keeps the stage it left (the stage_before CHECK)
                    stage_before=Stage.REGISTERED if Stage(stage) in CLOSED else None)
    _db.session.add(person)
    for field, value in identity.items():
        setattr(person, field, value)
    _db.session.flush()
    return person


@pytest.fixture
def world(db, make):
    ensure_taxonomy()
    w = SimpleNamespace()
    w.en = make.region("EN", "Extrême-Nord", "Far North", pcode="CM004")
    w.nw = make.region("NW", "Nord-Ouest", "North-West", pcode="CM008")
    w.sw = make.region("SW", "Sud-Ouest", "South-West", pcode="CM011")  # no data at all
    w.sites = {code: make.site(code, region) for code, region in
               (("MER", w.en), ("MOR", w.en), ("BAM", w.nw), ("BUE", w.sw))}
    w.workers = {key: make.user("caseworker", site=w.sites[code], username=f"worker_{key}")
                 for key, code in (("mer", "MER"), ("mor", "MOR"), ("bam", "BAM"))}
    w.people = {name: add_person(name, reg, w.sites[site], sex, year, cat, stage,
                                 w.workers.get(cw))
                for name, (reg, site, sex, year, cat, stage, cw) in PEOPLE.items()}
    _history(w)
    _referrals(w, make)
    _db.session.commit()
    return w


def _history(w):
    p, worker = w.people, w.workers["mer"]
    _db.session.add(StageChange(person_id=p["p4"].id, from_stage=Stage.REGISTERED,
                                to_stage=Stage.EXITED, at=D(2024, 4, 1), reason="dropped_out"))
    for name, purpose, withdrawn in (("p1", "registration", D(2024, 2, 1)),
                                     ("p8", "sharing", D(2024, 6, 1)),
                                     ("p2", "reporting", D(2023, 11, 1))):
        _db.session.add(Consent(person_id=p[name].id, purpose=purpose, text_version="1",
                                method="signed", recorded_by_id=worker.id, given_at=D(2023, 1, 1),
                                withdrawn_at=withdrawn,
                                service_category="health" if purpose == "sharing" else None))
    past, future = dt.date(2024, 6, 1), dt.date.today() + dt.timedelta(days=10)
    for name, due, done in (("p3", past, None), ("p6", future, None),
                            ("p8", dt.date(2024, 3, 1), D(2024, 3, 1)), ("p9", past, None)):
        _db.session.add(FollowUp(person_id=p[name].id, due_date=due, done_at=done,
                                 created_by_id=worker.id, assigned_to_id=worker.id))


def _service(org, name, category):
    service = Service(organisation=org, name=name, description=name,
                      category=category_by_code(category))
    service.set_categories(EVERYONE)
    _db.session.add(service)
    _db.session.flush()
    return service


def _referrals(w, make):
    """r1..r5 sent in 2024 (known times), r6 a draft, r7 sent in 2023."""
    try:
        from icrs.referrals.models import Referral
    except ModuleNotFoundError:
        w.referrals_ready = False
        return
    w.referrals_ready = True
    w.org_a, w.org_b = make.organisation("Org A"), make.organisation("Org B")
    w.services = {"a1": _service(w.org_a, "A vocational", "vocational_training"),
                  "a2": _service(w.org_a, "A health", "health"),
                  "b1": _service(w.org_b, "B protection", "gbv")}
    p, far = w.people, D.now() + dt.timedelta(days=300)
    rows = [
        ("p3", "a1", "completed", D(2024, 2, 10, 8), D(2024, 2, 12, 8), D(2024, 3, 12, 8), {
            "outcome": "served"}),
        ("p5", "a2", "in_service", D(2024, 3, 21), D(2024, 3, 22), None, {
            "complete_by": far.date()}),
        ("p2", "a1", "declined", D(2024, 2, 1), None, D(2024, 2, 3), {
            "decline_reason": "no_capacity"}),
        ("p6", "a1", "sent", D(2024, 4, 1), None, None, {"accept_by": D(2024, 4, 15)}),
        ("p8", "b1", "accepted", D(2024, 2, 1), D(2024, 2, 5), None, {
            "complete_by": dt.date(2024, 5, 1)}),
        ("p1", "a2", "draft", None, None, None, {}),
        ("p7", "a1", "completed", D(2023, 12, 21), D(2023, 12, 22), D(2024, 1, 2), {
            "outcome": "served"}),
    ]
    w.referrals = []
    for name, svc, status, sent, accepted, finished, extra in rows:
        service = w.services[svc]
        referral = Referral(person_id=p[name].id, service_id=service.id,
                            organisation_id=service.organisation_id,
                            created_by_id=w.workers["mer"].id, status=status, sent_at=sent,
                            accepted_at=accepted, finished_at=finished, **extra)
        _db.session.add(referral)
        w.referrals.append(referral)
    _db.session.flush()


@pytest.fixture
def national(login_as):
    return login_as("supervisor", locale="en")


@pytest.fixture
def regional(login_as, world):
    return login_as("supervisor", region=world.en, locale="en")
