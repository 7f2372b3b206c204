"""The admin's list with personal data: permission, stated reason, audit entry without personal
data, no-store, and only the chosen fields decrypted."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.crypto import envelope
from icrs.extensions import db
from tests.dashboard.conftest import add_person

REASON_TEXT = "Request from the person for a copy of their record (ticket 42)"


@pytest.fixture
def named(world):
    site = world.sites["BAM"]
    people = [add_person(f"n{i}", dt.datetime(2024, 7, i + 1), site, "female", 1990,
                         "adult_woman", "registered", first_name=f"Ngozi{i}",
                         last_name="Tanyi", phone=f"+237 677 00 00 0{i}") for i in range(3)]
    db.session.commit()
    return people


def _count_decryptions(monkeypatch):
    calls = []
    original = envelope.decrypt_field

    def counting(cipher, token, table, column, row_id):
        calls.append((table, column))
        return original(cipher, token, table, column, row_id)

    monkeypatch.setattr(envelope, "decrypt_field", counting)
    return calls


def test_admin_gets_the_form_uncached(client, world, login_as):
    login_as("admin", locale="en")
    response = client.get("/dashboard/export/personal")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Reason" in response.get_data(as_text=True)


def test_export_decrypts_only_chosen_fields_and_is_audited(client, named, login_as,
                                                           monkeypatch):
    admin = login_as("admin", locale="en")
    calls = _count_decryptions(monkeypatch)
    response = client.post("/dashboard/export/personal", query_string={
        "date_from": "2024-07-01", "date_to": "2024-07-31"}, data={
        "reason_category": "data_subject_request", "reason": REASON_TEXT,
        "fields": ["site", "first_name"]})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Cache-Control"] == "no-store"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Case number,Site,First name"
    assert lines[1:] == [f"NW-BAM-2024-n{i},BAM,Ngozi{i}" for i in range(3)]
    assert calls == [("person", "first_name")] * 3  # never the phone or the last name
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "dashboard.personal_export"))
    details = json.loads(entry.details)
    assert entry.actor_id == admin.id
    assert details["rows"] == 3 and details["fields"] == ["site", "first_name"]
    assert details["reason_category"] == "data_subject_request"
    assert details["reason_length"] == len(REASON_TEXT)
    assert "ticket" not in entry.details and "Ngozi" not in entry.details


def test_no_audit_entry_without_a_valid_reason(client, named, login_as):
    login_as("admin", locale="en")
    response = client.post("/dashboard/export/personal", data={
        "reason_category": "legal", "reason": "", "fields": ["first_name"]})
    assert response.status_code == 400
    assert "Ngozi" not in response.get_data(as_text=True)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "dashboard.personal_export"))


def test_erased_people_are_left_out(client, named, login_as):
    named[0].erased_at = dt.datetime(2024, 8, 1)
    db.session.commit()
    login_as("admin", locale="en")
    response = client.post("/dashboard/export/personal", data={
        "reason_category": "legal", "reason": REASON_TEXT, "fields": ["last_name"]})
    text = response.get_data(as_text=True)
    assert "NW-BAM-2024-n0" not in text and "NW-BAM-2024-n1" in text
