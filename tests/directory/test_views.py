"""Directory pages per role: allowed, 403 wrong role, 404 out of scope, 400 bad input."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.directory.models import ApiToken, Organisation, Service


def _form(service, **kw):
    data = {"name": service.name, "category": service.category.code, "status": "active",
            "description": "Updated description", "sexes": ["female", "male"],
            "categories": ["adult_man", "adult_woman"], "minimum_age": "18",
            "referral_method": "icrs", "capacity": "20", "open_slots": "5"}
    data.update(kw)
    return data


def test_search_page_filters(client, login_as, directory):
    login_as("caseworker")
    body = client.get("/directory/?category=gbv").get_data(as_text=True)
    assert "Women Bamenda" in body and "Adults EN" not in body
    body = client.get("/directory/?age=12&sex=male&person_category=caafag").get_data(as_text=True)
    assert "Children nationwide" in body and "Adults EN" not in body


def test_search_bad_input_is_400(client, login_as, directory):
    login_as("caseworker", locale="en")
    response = client.get("/directory/?age=abc")
    assert response.status_code == 400
    assert "Not a valid integer value" in response.get_data(as_text=True)


def test_service_page_shows_what_a_caseworker_needs(client, login_as, rich_service):
    login_as("caseworker")
    body = client.get(f"/directory/services/{rich_service.id}?age=12&sex=male"
                      "&person_category=caafag").get_data(as_text=True)
    for text in ("Centre de formation de Méri", "+237 650 000 001", "Point focal", "08:00",
                 "Route de Mokolo", "Attestation DDR", "72", rich_service.name):
        assert text in body, text
    assert "18" in body  # the ineligibility reason


def test_provider_edits_own_service(client, login_as, db, directory):
    login_as("provider", organisation=directory.org)
    url = f"/directory/services/{directory.adults_en.id}/edit"
    assert client.get(url).status_code == 200
    response = client.post(url, data=_form(directory.adults_en, name="Adults EN renamed"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Service, directory.adults_en.id).name == "Adults EN renamed"
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "directory.service_updated"))


def test_provider_cannot_touch_other_organisation(client, login_as, db, directory):
    login_as("provider", organisation=directory.other)
    service_id = directory.adults_en.id
    assert client.get(f"/directory/services/{service_id}/edit").status_code == 404
    assert client.post(f"/directory/services/{service_id}/edit",
                       data=_form(directory.adults_en, name="Hijack")).status_code == 404
    assert client.post(f"/directory/services/{service_id}/capacity",
                       data={"open_slots": "0"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Service, service_id).name == "Adults EN"


def test_wrong_role_is_403(client, login_as, directory):
    login_as("caseworker")
    assert client.get(f"/directory/services/{directory.adults_en.id}/edit").status_code == 403
    assert client.get("/directory/services/new").status_code == 403
    assert client.get("/directory/tokens").status_code == 403


def test_provider_cannot_create(client, login_as, directory):
    login_as("provider", organisation=directory.org)
    assert client.get("/directory/services/new").status_code == 403
    assert client.get("/directory/organisations/new").status_code == 403


def test_bad_input_400_with_field_message_nothing_saved(client, login_as, db, directory):
    login_as("admin", locale="en")
    url = f"/directory/services/{directory.adults_en.id}/edit"
    response = client.post(url, data=_form(directory.adults_en, name="Changed",
                                           minimum_age="30", maximum_age="20"))
    assert response.status_code == 400
    assert "The maximum age must not be below the minimum age." in response.get_data(
        as_text=True)
    response = client.post(url, data=_form(directory.adults_en, name=""))
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Service, directory.adults_en.id).name == "Adults EN"
    assert not db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "directory.service_updated"))


def test_admin_creates_service_and_organisation(client, login_as, db, directory):
    login_as("admin")
    response = client.post("/directory/organisations/new", data={
        "name": "New NGO", "type": "ngo", "description": "x", "regions": [directory.org
                                                                          .regions[0].id],
        "active": "y"})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "New NGO"))
    data = _form(directory.adults_en, name="Fresh service", organisation_id=str(org.id),
                 phone="+237 600", schedule_days=["MO"], opens_at="08:00",
                 required_documents="ID card\nDDR certificate", languages=["fr", "ha"])
    response = client.post("/directory/services/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    service = db.session.scalar(sa.select(Service).where(Service.name == "Fresh service"))
    assert [d.document for d in service.required_documents] == ["DDR certificate", "ID card"]
    assert service.phones[0].number == "+237 600" and service.schedules[0].byday == "MO"


def test_capacity_update(client, login_as, db, directory):
    login_as("provider", organisation=directory.org)
    url = f"/directory/services/{directory.adults_en.id}/capacity"
    assert client.post(url, data={"capacity": "20", "open_slots": "25"}).status_code == 400
    assert client.post(url, data={"capacity": "20", "open_slots": "2"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, directory.adults_en.id).open_slots == 2


def test_csv_export(client, login_as, directory):
    login_as("supervisor")
    response = client.get("/directory/export.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("service_id,service,organisation")
    assert any("Adults EN" in line for line in lines)
    assert not any("Inactive service" in line for line in lines)


def test_token_shown_once_then_revoked(client, login_as, db):
    login_as("admin")
    response = client.post("/directory/tokens", data={"label": "Partner CMS"})
    body = response.get_data(as_text=True)
    token = db.session.scalar(sa.select(ApiToken))
    raw = body.split("<code>")[1].split("</code>")[0]
    assert raw.startswith("icrs_") and raw not in client.get("/directory/tokens").get_data(
        as_text=True)
    assert client.post(f"/directory/tokens/{token.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked


def test_service_website_must_be_http_or_https(client, login_as, db, directory):
    """WTForms' URL() alone lets `javascript://…` through: partners would get a live script."""
    login_as("admin", locale="en")
    url = f"/directory/services/{directory.adults_en.id}/edit"
    for bad in ("javascript://example.org/%0Aalert(1)", "data://example.org/x", "ftp://a.org"):
        response = client.post(url, data=_form(directory.adults_en, name="Changed", url=bad))
        assert response.status_code == 400, bad
        assert "starting with http:// or https://" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Service, directory.adults_en.id).name == "Adults EN"
