"""The case page of a child and of an adult; the consent form's giver fields; recording an
assessment; the referral form preselecting child protection."""
import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.audit.models import AuditEntry
from icrs.people.best_interest import BestInterestAssessment
from icrs.people.models import Consent
from tests.minors.conftest import consent, years_ago


def _consent_post(client, person, **data):
    form = {"consent-purpose": "sharing", "consent-service_category": "vocational_training",
            "consent-method": "signed", "consent-witness_name": "",
            "consent-shown_texts": "registration: storage: sharing: reporting:", **data}
    return client.post(f"/people/{person.id}/consent", data=form)


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_childs_page_says_when_they_turn_18_and_shows_the_caregiver(client, login_as, db,
                                                                      worker, child):
    login_as(worker, locale="en")
    consent(worker, child, "caregiver", relationship="grandparent")
    db.session.commit()
    body = client.get(f"/people/{child.id}").get_data(as_text=True)
    assert "Turns 18 on" in body and str(child.birth_date.year + 18) in body
    assert "the caregiver&#39;s consent stops counting" in body or \
        "the caregiver's consent stops counting" in body
    assert "Hawa Modu" in body and "Grandparent" in body and "99 11 22 33" in body
    assert "Who gives this consent" in body and 'value="Hawa Modu"' in body
    assert "Record a best-interest assessment" in body


def test_estimated_age_gives_the_year(client, login_as, db, worker, child):
    child.birth_date, child.birth_year = None, years_ago(16).year
    child.birth_date_estimated = True
    db.session.commit()
    login_as(worker, locale="en")
    body = client.get(f"/people/{child.id}").get_data(as_text=True)
    assert f"Turns 18 during {years_ago(16).year + 18}" in body


def test_an_adults_page_is_unchanged(client, login_as, db, worker, adult):
    login_as(worker, locale="en")
    response = client.get(f"/people/{adult.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Turns 18" not in body and "Who gives this consent" not in body
    assert "best-interest" not in body


def test_a_caregiver_consent_without_relationship_is_refused(client, login_as, db, worker,
                                                           child):
    login_as(worker, locale="en")
    response = _consent_post(client, child, **{"consent-given_by": "caregiver",
                                               "consent-caregiver_name": "Hawa Modu"})
    assert response.status_code == 400
    assert "Say how the caregiver is related" in response.get_data(as_text=True)
    assert _count(db, Consent) == 0


def test_a_child_consent_without_giver_is_refused(client, login_as, db, worker, child):
    login_as(worker, locale="en")
    response = _consent_post(client, child)
    assert response.status_code == 400 and "say who gives this consent" in \
        response.get_data(as_text=True)
    assert _count(db, Consent) == 0


def test_caregiver_then_assent_through_the_form(client, login_as, db, worker, child):
    login_as(worker, locale="en")
    assert _consent_post(client, child, **{
        "consent-given_by": "caregiver", "consent-caregiver_relationship": "mother",
        "consent-caregiver_name": "Hawa Modu"}).status_code == 302
    assert _consent_post(client, child, **{"consent-given_by": "child_assent"}
                         ).status_code == 302
    givers = set(db.session.scalars(sa.select(Consent.given_by)))
    assert {g.value for g in givers} == {"caregiver", "child_assent"}


def test_french_message(client, login_as, db, worker, child):
    worker.locale = "fr"
    login_as(worker)
    response = _consent_post(client, child, **{"consent-given_by": "caregiver"})
    assert response.status_code == 400
    assert "lien" in response.get_data(as_text=True).lower()


def test_recording_an_assessment_from_the_case_page(client, login_as, db, worker, supervisor,
                                                    child):
    login_as(worker, locale="en")
    bad = client.post(f"/people/{child.id}/best-interest",
                      data={"bia-recommendation": "other_services", "bia-assessment": ""})
    assert bad.status_code == 400 and _count(db, BestInterestAssessment) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.viewed")) == 1  # the case page again: one view
    done = client.post(f"/people/{child.id}/best-interest", data={
        "bia-recommendation": "other_services", "bia-assessment": "Safe with her aunt."})
    assert done.status_code == 302
    body = client.get(f"/people/{child.id}").get_data(as_text=True)
    assert "Waiting for a supervisor" in body and "Safe with her aunt." in body
    client.post("/logout")
    login_as(supervisor, locale="en")
    assert child.case_number in client.get("/approvals/").get_data(as_text=True)
    req = db.session.scalar(sa.select(ApprovalRequest))
    assert client.post(f"/approvals/{req.id}/approve", data={
        "comment": "", "row_version": str(req.version)}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(BestInterestAssessment)).approved_at is not None


def test_a_colleague_cannot_record(client, login_as, db, make, child):
    login_as(make.user("caseworker"))
    response = client.post(f"/people/{child.id}/best-interest", data={
        "bia-recommendation": "other_services", "bia-assessment": "x"})
    assert response.status_code == 403 and _count(db, BestInterestAssessment) == 0


def test_the_referral_form_preselects_child_protection(client, login_as, db, make, worker,
                                                       child):
    other = make.service(category="vocational_training", name="Atelier couture")
    cp = make.service(category="child_protection", name="Espace ami des enfants")
    db.session.commit()
    login_as(worker, locale="en")
    body = client.get(f"/referrals/new/{child.id}").get_data(as_text=True)
    assert f'value="{cp.id}" selected' in body or f'selected value="{cp.id}"' in body
    assert body.index("Espace ami des enfants") < body.index("Atelier couture")
    assert other is not None
