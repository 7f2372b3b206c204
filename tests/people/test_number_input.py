"""Huge numbers and ids posted to the people forms: a 400 with a message, nothing written."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.people.models import Person
from tests.people.test_views import GOOD

HUGE = "9" * 400


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _count_views(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.viewed"))


def test_register_with_a_huge_estimated_age(client, login_as, db):
    login_as("caseworker", locale="en")
    audit = _count(db, AuditEntry)
    response = client.post("/people/new", data={**GOOD, "birth_date": "", "estimated_age": HUGE})
    assert response.status_code == 400
    assert "This number is too large." in response.get_data(as_text=True)
    assert _count(db, Person) == 0 and _count(db, AuditEntry) == audit


def test_edit_with_a_huge_estimated_age(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    audit = _count(db, AuditEntry)
    response = client.post(f"/people/{person.id}/edit",
                           data={**GOOD, "birth_date": "", "estimated_age": HUGE})
    assert response.status_code == 400
    assert "This number is too large." in response.get_data(as_text=True)
    assert _count(db, AuditEntry) == audit
    db.session.expire_all()
    assert db.session.get(Person, person.id).birth_year == 1995


def test_reassign_to_a_huge_or_odd_caseworker_id(client, login_as, register, make, db):
    person = register()
    worker_id = person.caseworker_id
    login_as("supervisor", region="EN", locale="en")
    audit = _count(db, AuditEntry)
    for bad in (HUGE, str(2**63), "²", "-1", "1.5"):
        response = client.post(f"/people/{person.id}/reassign",
                               data={"assign-caseworker_id": bad})
        assert response.status_code == 400, bad
        assert "Choose a caseworker." in response.get_data(as_text=True)
    # each refusal shows the case again: one view each, nothing else written
    assert _count(db, AuditEntry) == audit + 5
    assert _count_views(db) == 5
    db.session.expire_all()
    assert db.session.get(Person, person.id).caseworker_id == worker_id
