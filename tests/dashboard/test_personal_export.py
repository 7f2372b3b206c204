"""The admin's list with personal data: permission, stated reason, audit entry without personal
data, no-store, and only the chosen fields decrypted."""
import datetime as dt
import io
import json
import re
import zipfile

import pytest
import pyzipper
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


def _ready(response):
    """(token, filename, password) from the page shown after the export."""
    page = response.get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    filename = re.search(r'name="filename" value="([^"]+)"', page).group(1)
    password = re.search(r"<code>([^<]+)</code>", page).group(1)
    return token, filename, password


def _download(client, response):
    token, filename, password = _ready(response)
    file = client.post("/dashboard/export/personal/download",
                       data={"token": token, "filename": filename})
    assert file.status_code == 200 and file.headers["Cache-Control"] == "no-store"
    return file, password


def _csv(client, response):
    file, password = _download(client, response)
    with pyzipper.AESZipFile(io.BytesIO(file.data)) as archive:
        archive.setpassword(password.encode())
        return archive.read(archive.namelist()[0]).decode("utf-8")


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
    lines = _csv(client, response).lstrip("\ufeff").splitlines()
    assert lines[0] == "Case number,Site,Site p-code,First name"
    assert lines[1:] == [f"NW-BAM-2024-n{i},BAM,CM008,Ngozi{i}" for i in range(3)]
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
    text = _csv(client, response)
    assert "NW-BAM-2024-n0" not in text and "NW-BAM-2024-n1" in text


def _export(client, reason=REASON_TEXT, category="court_order"):
    return client.post("/dashboard/export/personal", data={
        "reason_category": category, "reason": reason, "fields": ["first_name", "phone"]})


def test_the_file_is_encrypted_and_downloads_once(client, named, login_as):
    login_as("admin", locale="en")
    response = _export(client)
    assert "Ngozi" not in response.get_data(as_text=True)
    token, filename, password = _ready(response)
    file, password = _download(client, response)
    assert file.headers["Content-Type"] == "application/zip"
    assert b"Ngozi" not in file.data and b"677" not in file.data
    with zipfile.ZipFile(io.BytesIO(file.data)) as plain, pytest.raises(RuntimeError):
        plain.read(plain.namelist()[0])  # encrypted: no password, no content
    with pyzipper.AESZipFile(io.BytesIO(file.data)) as archive:
        with pytest.raises(RuntimeError):
            archive.setpassword(b"wrong password")
            archive.read(archive.namelist()[0])
        archive.setpassword(password.encode())
        assert "Ngozi0" in archive.read(archive.namelist()[0]).decode()
    again = client.post("/dashboard/export/personal/download",
                        data={"token": token, "filename": filename})
    assert again.status_code == 404


def test_another_admin_cannot_take_the_file(client, named, login_as):
    login_as("admin", locale="en")
    token, filename, _ = _ready(_export(client))
    client.post("/logout")
    login_as("admin", locale="en")
    assert client.post("/dashboard/export/personal/download",
                       data={"token": token}).status_code == 404


def test_justification_is_kept_sealed_and_shown_to_admins_in_the_log(client, named, login_as):
    from icrs.audit.models import ExportJustification

    login_as("admin", locale="en")
    assert _export(client).status_code == 200
    row = db.session.scalar(sa.select(ExportJustification))
    entry = db.session.get(AuditEntry, row.audit_seq)
    assert entry.action == "dashboard.personal_export" and row.category == "court_order"
    assert b"ticket" not in row.text_sealed and b"Request" not in row.text_sealed
    log = client.get("/audit/").get_data(as_text=True)
    assert REASON_TEXT in log


@pytest.mark.parametrize("reason", ["aaaaaaaaaaaaaaaaaaaaaaaa", "x" * 5 + " " + "y" * 20,
                                    "12345678901234567890123"])
def test_a_meaningless_reason_is_refused(client, named, login_as, reason):
    login_as("admin", locale="en")
    response = _export(client, reason=reason)
    assert response.status_code == 400 and "at least four words" in response.get_data(
        as_text=True)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "dashboard.personal_export"))


def test_a_reason_category_is_required(client, named, login_as):
    login_as("admin", locale="en")
    assert _export(client, category="").status_code == 400
