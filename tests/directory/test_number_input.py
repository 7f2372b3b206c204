"""Huge numbers posted to the service forms (new, edit, capacity) and the search: a 400 with a
message at the field, nothing written."""
import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.directory.models import Service
from tests.directory.test_views import _form

HUGE = "9" * 400


def _counts(db):
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Service, AuditEntry)]


@pytest.mark.parametrize("field", ["minimum_age", "maximum_age", "capacity", "open_slots",
                                   "response_time_hours"])
def test_new_and_edit_service_with_a_huge_number(client, login_as, db, directory, field):
    login_as("admin", locale="en")
    service = directory.adults_en
    before = _counts(db)
    data = _form(service, name="Huge", organisation_id=str(directory.org.id), **{field: HUGE})
    for url in ("/directory/services/new", f"/directory/services/{service.id}/edit"):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "This number is too large." in response.get_data(as_text=True)
    assert _counts(db) == before
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Adults EN"


@pytest.mark.parametrize("data", [{"capacity": HUGE, "open_slots": "2"},
                                  {"capacity": "20", "open_slots": HUGE},
                                  {"capacity": str(2**31), "open_slots": "2"}])
def test_capacity_with_a_huge_number(client, login_as, db, directory, data):
    login_as("provider", organisation=directory.org, locale="en")
    before = _counts(db)
    response = client.post(f"/directory/services/{directory.adults_en.id}/capacity", data=data)
    assert response.status_code == 400
    assert "This number is too large." in response.get_data(as_text=True)
    assert _counts(db) == before
    db.session.expire_all()
    assert db.session.get(Service, directory.adults_en.id).open_slots == 5


def test_search_with_a_huge_age(client, login_as, directory):
    login_as("caseworker", locale="en")
    response = client.get(f"/directory/?age={HUGE}")
    assert response.status_code == 400
    assert "This number is too large." in response.get_data(as_text=True)
