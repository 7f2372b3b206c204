"""People pages per role: allowed, 403 wrong role, 404 out of scope, 4xx on bad input."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.people import services
from icrs.people.models import Consent, ConsentMethod, ConsentPurpose, Note, Person
from icrs.people.states import Stage

GOOD = {"first_name": "Moussa", "last_name": "Abakar", "sex": "male", "birth_date": "1990-05-02",
        "category": "adult_man", "languages": ["fr", "ha"], "phone": "699 55 44 33",
        "id_number": "DDR-EN-0042", "address": "Mora"}


def test_caseworker_registers_and_sees_case(client, login_as, db):
    worker = login_as("caseworker")
    response = client.post("/people/new", data=GOOD)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    person = db.session.scalar(sa.select(Person))
    assert person.site_id == worker.site_id
    page = client.get(f"/people/{person.id}")
    assert page.status_code == 200 and "Moussa" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.viewed")) == 1
    assert "Moussa" not in response.headers.get("Location", "")


@pytest.mark.parametrize("change,field_text", [
    ({"birth_date": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "future"),
    ({"birth_date": "", "estimated_age": "130"}, "100"),
    ({"birth_date": "", "estimated_age": ""}, "estimated age"),
    ({"first_name": ""}, "required"),
    ({"phone": "not a phone"}, "phone"),
    ({"sex": "unknown"}, "Not a valid choice"),
])
def test_registration_bad_input(client, login_as, db, change, field_text):
    login_as("caseworker", locale="en")
    response = client.post("/people/new", data={**GOOD, **change})
    assert response.status_code == 400
    assert field_text.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_duplicate_warning_then_confirm(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    existing = register(worker, phone="+237 699 55 44 33")
    warned = client.post("/people/new", data=GOOD)
    body = warned.get_data(as_text=True)
    assert warned.status_code == 409 and existing.case_number in body
    assert "Possible duplicate" in body
    confirmed = client.post("/people/new", data={**GOOD, "not_duplicate_of": str(existing.id)})
    assert confirmed.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_other_roles_cannot_see_people(client, login_as, register, role):
    person = register()
    login_as(role)
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{person.id}").status_code == 403
    assert client.post("/people/new", data=GOOD).status_code == 403


def test_scope(client, login_as, register, make, db):
    person = register()  # site MER, region EN
    login_as("caseworker", site=make.site("BAM", region="NW"))
    assert client.get(f"/people/{person.id}").status_code == 404
    listing = client.get("/people/").get_data(as_text=True)
    assert person.case_number not in listing


def test_supervisor_scope(app, register, make, db):
    from tests.conftest import TEST_PASSWORD
    person = register()
    near = make.user("supervisor", region="EN")
    far = make.user("supervisor", region="NW")
    national = make.user("supervisor")
    db.session.commit()
    for user, expected in ((near, 200), (far, 404), (national, 200)):
        c = app.test_client()
        c.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
        assert c.get(f"/people/{person.id}").status_code == expected, user.username


def test_same_site_colleague_reads_but_cannot_edit(client, login_as, register, db):
    person = register()
    login_as("caseworker")  # same default site, not assigned
    assert client.get(f"/people/{person.id}").status_code == 200
    assert client.post(f"/people/{person.id}/notes", data={"note-text": "x"}).status_code == 403
    assert client.get(f"/people/{person.id}/edit").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 0


def test_search_by_phone_and_name(client, login_as, register):
    worker = login_as("caseworker")
    person = register(worker, first_name="Zénabou", last_name="Hamidou", phone="+237677112233")
    other = register(worker)
    found = client.post("/people/", data={"kind": "phone", "q": "677 11 22 33"})
    assert found.status_code == 200 and found.headers["Cache-Control"] == "no-store"
    page = found.get_data(as_text=True)
    assert person.case_number in page and other.case_number not in page
    page = client.post("/people/", data={"kind": "name", "q": "zenabou hamidou"}).get_data(
        as_text=True)
    assert person.case_number in page and other.case_number not in page
    page = client.get(f"/people/?kind=case&q={other.case_number.lower()}").get_data(as_text=True)
    assert other.case_number in page and person.case_number not in page


def test_identity_search_never_goes_through_a_url(client, login_as, register):
    """A name, ID number or phone in a query string is ignored (it would sit in proxy logs and
    the browser history); searching by case number or filtering redirects to a shareable GET."""
    worker = login_as("caseworker")
    person = register(worker, first_name="Zénabou", last_name="Hamidou", phone="+237677112233")
    other = register(worker)
    page = client.get("/people/?kind=phone&q=677112233").get_data(as_text=True)
    assert person.case_number in page and other.case_number in page
    assert 'value="677112233"' not in page  # the search box does not take it either
    posted = client.post("/people/", data={"kind": "case", "q": person.case_number,
                                           "sort": "case"})
    assert posted.status_code == 302
    assert f"q={person.case_number}" in posted.headers["Location"]
    filtered = client.post("/people/", data={"kind": "name", "q": "", "sex": "female"})
    assert filtered.status_code == 302 and "sex=female" in filtered.headers["Location"]
    found = client.post("/people/", data={"kind": "id_number", "q": "DDR-EN-9999"})
    assert found.status_code == 200
    assert "No person matches this search" in found.get_data(as_text=True) or \
        "Aucune personne" in found.get_data(as_text=True)


def test_identity_search_refuses_bad_input_and_missing_token(app, client, login_as, register,
                                                             db):
    worker = login_as("caseworker")
    person = register(worker)
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    bad = client.post("/people/", data={"kind": "name", "q": "x" * 121},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 400 and "120" in bad.get_data(as_text=True)
    assert person.case_number not in bad.get_data(as_text=True)  # the errors, no rows
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries
    assert client.post("/people/", data={"kind": "bogus", "q": "x"}).status_code == 400
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/people/", data={"kind": "name", "q": "A B"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_filters_and_bad_filter_values(client, login_as, register):
    worker = login_as("caseworker")
    man = register(worker, sex="male", category="adult_man")
    woman = register(worker)
    page = client.get("/people/?sex=male").get_data(as_text=True)
    assert man.case_number in page and woman.case_number not in page
    assert client.get("/people/?stage=nonsense&page=abc").status_code == 200


def test_consent_record_and_withdraw_via_pages(client, login_as, register, db):
    worker = login_as("caseworker")
    person = register(worker)
    ok = client.post(f"/people/{person.id}/consent", data={
        "consent-purpose": "registration", "consent-method": "signed",
        "consent-service_category": "", "consent-witness_name": "",
        "consent-shown_texts": "registration: storage: sharing: reporting:"})
    assert ok.status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    bad = client.post(f"/people/{person.id}/consent", data={
        "consent-purpose": "storage", "consent-method": "verbal_witnessed",
        "consent-service_category": "", "consent-witness_name": ""})
    assert bad.status_code == 400
    assert client.post(f"/people/{person.id}/consent/{consent.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Consent, consent.id).withdrawn_at is not None


def test_illegal_stage_move_is_a_clear_400(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    response = client.post(f"/people/{person.id}/stage", data={"stage-target": "referred"})
    assert response.status_code == 400
    assert "It must first reach: Profiled, Planned." in response.get_data(as_text=True)
    response = client.post(f"/people/{person.id}/stage", data={"stage-target": "profiled"})
    assert response.status_code == 400 and "consent" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, person.id).stage == Stage.REGISTERED


def test_supervisor_reassigns(client, login_as, register, make, db):
    person = register()
    colleague = make.user("caseworker")
    db.session.commit()
    login_as("supervisor", region="EN")
    response = client.post(f"/people/{person.id}/reassign",
                           data={"assign-caseworker_id": str(colleague.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, person.id).caseworker_id == colleague.id


def test_caseworker_cannot_reassign(client, login_as, register, make):
    person = register()
    login_as("caseworker")
    assert client.post(f"/people/{person.id}/reassign",
                       data={"assign-caseworker_id": "1"}).status_code == 403


def test_follow_up_pages(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    past = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    bad = client.post(f"/people/{person.id}/follow-ups", data={"fu-due_date": past})
    assert bad.status_code == 400 and "past" in bad.get_data(as_text=True)
    ok = client.post(f"/people/{person.id}/follow-ups",
                     data={"fu-due_date": dt.date.today().isoformat(), "fu-purpose": "Visit"})
    assert ok.status_code == 302
    assert client.get("/people/follow-ups").status_code == 200


def test_case_page_is_not_cached(client, login_as, register):
    worker = login_as("caseworker")
    person = register(worker)
    assert client.get(f"/people/{person.id}").headers["Cache-Control"] == "no-store"


def test_case_page_shows_labels_not_codes(client, login_as, register, db):
    """Stage targets and the consent's service category appear as words in the user's language."""
    from icrs.directory.taxonomy import ensure_taxonomy

    ensure_taxonomy()
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    services.record_consent(worker, person, ConsentPurpose.SHARING, ConsentMethod.SIGNED,
                            service_category="vocational_training")
    db.session.commit()
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert ">Profiled</option>" in html and ">profiled<" not in html
    assert "Vocational training" in html and "— vocational_training" not in html


@pytest.mark.parametrize("who, allowed", [("assigned", True), ("colleague", False),
                                          ("supervisor", True), ("other_region", False)])
def test_withdraw_button_and_service_agree(client, login_as, register, make, db, who, allowed):
    """Regression: any caseworker of the site could withdraw (service) though only the assigned
    caseworker or a supervisor saw the button (page). One rule: Person.can_withdraw_consent."""
    worker = make.user("caseworker")
    person = register(worker)
    services.record_consent(worker, person, ConsentPurpose.REGISTRATION, ConsentMethod.SIGNED)
    db.session.commit()
    consent = db.session.scalar(sa.select(Consent))
    user = {"assigned": lambda: worker, "colleague": lambda: make.user("caseworker"),
            "supervisor": lambda: make.user("supervisor", region="EN"),
            "other_region": lambda: make.user("supervisor", region="NW")}[who]()
    login_as(user)
    url = f"/people/{person.id}/consent/{consent.id}/withdraw"
    page = client.get(f"/people/{person.id}")
    if who != "other_region":
        assert (url in page.get_data(as_text=True)) is allowed
    response = client.post(url)
    assert response.status_code == (302 if allowed else 403 if who == "colleague" else 404)
    db.session.expire_all()
    assert (db.session.get(Consent, consent.id).withdrawn_at is not None) is allowed
