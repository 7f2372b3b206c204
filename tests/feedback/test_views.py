"""Feedback pages: recording from the case page and the hotline, the handler's list and page,
refusals at the field with nothing written, and the focal point flag on user accounts."""
import re

import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.feedback import services
from icrs.feedback.models import Feedback
from tests.conftest import signed_in
from tests.feedback.conftest import audit


def _csrf(page):
    """The page's CSRF token (tests run with CSRF off: then empty)."""
    found = re.search(r'name="[a-z-]*csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _count(db):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Feedback))


def _entries(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


def _post_case(client, person, **data):
    token = _csrf(client.get(f"/people/{person.id}").get_data(as_text=True))
    form = {"fb-csrf_token": token, "fb-kind": "complaint", "fb-category": "access_delay",
            "fb-channel": "in_person", "fb-service_id": "", "fb-satisfaction": "",
            "fb-concerns_user_id": "", "fb-text": "Nobody called me back."}
    form.update({f"fb-{k}": v for k, v in data.items()})
    return client.post(f"/people/{person.id}/feedback", data=form)


def test_the_caseworker_records_a_complaint_from_the_case_page(app, db, team, person):
    client = signed_in(app, team["owner"])
    response = _post_case(client, person)
    assert response.status_code == 302 and response.headers["Location"].endswith("#feedback-h")
    assert _count(db) == 1
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Access or delay" in page and "Nobody called me back." not in page


def test_bad_input_is_shown_at_the_field_and_nothing_is_written(app, db, team, person):
    client = signed_in(app, team["owner"])
    response = _post_case(client, person, text="", category="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write down what the person said." in page and "Choose what it is about." in page
    assert _post_case(client, person, satisfaction="9").status_code == 400
    assert _post_case(client, person, concerns_user_id="999999").status_code == 400
    assert _count(db) == 0


def test_people_outside_the_case_cannot_record(app, db, team, person):
    assert _post_case(signed_in(app, team["owner"]), person).status_code == 302
    for who, status in (("other_site", 404), ("provider", 403), ("monitoring", 403)):
        client = signed_in(app, team[who])
        response = client.post(f"/people/{person.id}/feedback", data={"fb-text": "x"})
        assert response.status_code == status, who
    assert _count(db) == 1


def test_a_sensitive_complaint_is_not_on_the_case_page_and_only_the_focal_point_opens_it(
        app, db, team, person, focal):
    client = signed_in(app, team["owner"])
    assert _post_case(client, person, category="staff_abuse",
                      concerns_user_id=str(team["supervisor"].id)).status_code == 302
    feedback = db.session.scalars(sa.select(Feedback)).one()
    assert feedback.sensitive
    for who in ("owner", "supervisor", "colleague"):
        other = signed_in(app, team[who])
        assert feedback.reference not in other.get(f"/people/{person.id}").get_data(as_text=True)
        assert other.get(f"/feedback/{feedback.id}").status_code == 404, who
        assert feedback.reference not in other.get("/feedback").get_data(as_text=True)
    handler = signed_in(app, focal)
    assert feedback.reference in handler.get("/feedback").get_data(as_text=True)
    page = handler.get(f"/feedback/{feedback.id}").get_data(as_text=True)
    assert "Nobody called me back." in page
    assert audit(db, "feedback.viewed")


def test_the_supervisor_answers_and_the_answer_is_kept(app, db, team, person):
    assert _post_case(signed_in(app, team["owner"]), person).status_code == 302
    feedback = db.session.scalars(sa.select(Feedback)).one()
    client = signed_in(app, team["supervisor"])
    token = _csrf(client.get(f"/feedback/{feedback.id}").get_data(as_text=True))
    refused = client.post(f"/feedback/{feedback.id}/status",
                          data={"st-csrf_token": token, "st-status": "answered"})
    assert refused.status_code == 400
    assert "Write down the answer given to the person." in refused.get_data(as_text=True)
    done = client.post(f"/feedback/{feedback.id}/status", data={
        "st-csrf_token": token, "st-status": "answered", "st-response": "We called back."})
    assert done.status_code == 302
    db.session.expire_all()
    assert feedback.status.value == "answered" and feedback.response == "We called back."
    bad = client.post(f"/feedback/{feedback.id}/status", data={
        "st-csrf_token": token, "st-status": "open"})
    assert bad.status_code == 400


def test_the_hotline_page_records_with_a_code_and_shows_only_the_reference(
        app, db, team, person):
    code = services.issue_code(team["owner"], person)
    db.session.commit()
    client = signed_in(app, team["colleague"])
    token = _csrf(client.get("/feedback/hotline").get_data(as_text=True))
    data = {"hl-csrf_token": token, "hl-code": code, "hl-kind": "feedback",
            "hl-category": "assistance", "hl-satisfaction": "2", "hl-text": "Kit incomplete."}
    response = client.post("/feedback/hotline", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    feedback = db.session.scalars(sa.select(Feedback)).one()
    assert feedback.reference in page
    assert person.case_number not in page and person.first_name not in page
    wrong = client.post("/feedback/hotline", data=dict(data, **{"hl-code": "ZZZZ-ZZZZ"}))
    assert wrong.status_code == 400
    assert "No one has this feedback code" in wrong.get_data(as_text=True)
    assert _count(db) == 1


def test_the_case_page_shows_the_code_to_the_assigned_caseworker_only(app, db, team, person):
    owner = signed_in(app, team["owner"])
    token = _csrf(owner.get(f"/people/{person.id}").get_data(as_text=True))
    assert owner.post(f"/people/{person.id}/feedback-code",
                      data={"fbcode-csrf_token": token}).status_code == 302
    code = services.code_of(person)
    assert code in owner.get(f"/people/{person.id}").get_data(as_text=True)
    colleague = signed_in(app, team["colleague"])
    assert code not in colleague.get(f"/people/{person.id}").get_data(as_text=True)
    assert colleague.post(f"/people/{person.id}/feedback-code", data={}).status_code == 403


def test_get_pages_change_nothing_but_the_audit_log(app, db, team, person):
    assert _post_case(signed_in(app, team["owner"]), person).status_code == 302
    feedback = db.session.scalars(sa.select(Feedback)).one()
    client = signed_in(app, team["supervisor"])
    before = _entries(db)
    for url in ("/feedback", f"/feedback/{feedback.id}", "/feedback/hotline"):
        assert client.get(url).status_code == 200
    assert _count(db) == 1
    assert _entries(db) == before + 2  # the list and the feedback's page, one entry each


def test_an_administrator_designates_a_focal_point(app, db, team):
    client = signed_in(app, team["admin"])
    user = team["supervisor"]
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Complaints focal point" in page
    data = {"csrf_token": _csrf(page), "full_name": user.full_name, "email": "",
            "role": "supervisor", "organisation_id": "", "site_id": "",
            "region_id": str(user.region_id), "active": "y", "complaints_focal_point": "y"}
    assert client.post(f"/admin/users/{user.id}", data=data).status_code == 302
    db.session.expire_all()
    assert user.complaints_focal_point
    provider = team["provider"]
    page = client.get(f"/admin/users/{provider.id}").get_data(as_text=True)
    refused = client.post(f"/admin/users/{provider.id}", data={
        "csrf_token": _csrf(page), "full_name": provider.full_name, "role": "provider",
        "organisation_id": str(provider.organisation_id), "site_id": "", "region_id": "",
        "active": "y", "complaints_focal_point": "y"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert not provider.complaints_focal_point


def _scores(team, person, service, scores):
    for score in scores:
        services.record_feedback(team["owner"], person, "feedback", "service_quality",
                                 "in_person", "About the service.", service=service,
                                 satisfaction=score)


def test_satisfaction_shows_in_the_directory_only_from_five_answers(app, db, make, team, person):
    busy, quiet = make.service(name="Couture Méri"), make.service(name="Forge Méri")
    _scores(team, person, busy, (5, 4, 4, 3, 5))
    _scores(team, person, quiet, (1, 2))
    db.session.commit()
    client = signed_in(app, team["owner"])
    assert "4.2 out of 5, from 5 answers" in client.get(
        f"/directory/services/{busy.id}").get_data(as_text=True)
    page = client.get(f"/directory/services/{quiet.id}").get_data(as_text=True)
    assert "Not shown: fewer than 5 answers" in page and "1.5" not in page


def test_the_figures_hide_small_counts_and_means(app, db, make, team, person):
    busy = make.service(organisation=make.organisation(name="Atelier Espoir"))
    quiet = make.service(organisation=make.organisation(name="Forge Solidaire"))
    _scores(team, person, busy, (5, 4, 4, 3, 5, 5))
    _scores(team, person, quiet, (1, 2))
    services.record_feedback(team["owner"], person, "complaint", "privacy", "phone", "Leak?")
    db.session.commit()
    page = signed_in(app, team["monitoring"]).get("/dashboard/feedback").get_data(as_text=True)
    cell = r"</td>\s*<td[^>]*>"  # the cells carry their column's name for phones
    assert re.search(rf"Atelier Espoir{cell}6{cell}4.3</td>", page)
    assert re.search(rf"Forge Solidaire{cell}&lt;5{cell}—</td>", page)
    assert re.search(rf"Privacy or personal data{cell}&lt;5</td>", page)
    assert "Leak?" not in page
    assert signed_in(app, team["owner"]).get("/dashboard/feedback").status_code == 403
