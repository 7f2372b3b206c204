"""Consent texts: versions, publication, the version a consent is recorded under, re-consent
(and its effect wherever consent is asked), the admin pages and the printable texts."""
import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.errors import ConflictError, DomainError
from icrs.extensions import db
from icrs.people import services
from icrs.people.models import Consent, ConsentMethod, ConsentPurpose, ConsentText
from icrs.people.services import consent_texts

SHARING, REGISTRATION = ConsentPurpose.SHARING, ConsentPurpose.REGISTRATION


def _actions(db, action):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == action))


def _new_version(make, db, purpose=SHARING, reconsent=False, text="Nouveau texte"):
    admin = make.user("admin")
    draft = consent_texts.create_draft(admin, purpose, text, "New text", reconsent)
    consent_texts.publish(admin, draft)
    db.session.commit()
    return draft


# --- versions ---------------------------------------------------------------------------------
def test_versions_number_per_purpose_and_publication_is_audited(make, db):
    admin = make.user("admin")
    assert consent_texts.current_text(SHARING) is None
    first = consent_texts.text_in_force(SHARING, admin)  # built-in version 1, published
    draft = consent_texts.create_draft(admin, SHARING, "Texte 2", "Text 2", False)
    assert (first.version, draft.version, draft.published) == (1, 2, False)
    assert consent_texts.current_text(SHARING).id == first.id  # a draft is not in force
    other = consent_texts.create_draft(admin, REGISTRATION, "Texte", "Text", False)
    assert other.version == 1  # numbers are per purpose
    consent_texts.publish(admin, draft)
    assert consent_texts.current_text(SHARING).id == draft.id
    assert _actions(db, "consent_text.drafted") == 2
    assert _actions(db, "consent_text.published") == 2


def test_a_published_version_never_changes(make, db):
    admin = make.user("admin")
    text = consent_texts.text_in_force(SHARING, admin)
    with pytest.raises(ConflictError):
        consent_texts.update_draft(admin, text, "Autre", "Other", True)
    with pytest.raises(ConflictError):
        consent_texts.publish(admin, text)
    with pytest.raises(ConflictError):
        consent_texts.discard_draft(admin, text)


def test_one_draft_per_purpose_and_both_languages_required(make, db):
    admin = make.user("admin")
    consent_texts.create_draft(admin, SHARING, "Texte", "Text", False)
    with pytest.raises(DomainError):
        consent_texts.create_draft(admin, SHARING, "Encore", "Again", False)
    with pytest.raises(DomainError) as exc:
        consent_texts.create_draft(admin, REGISTRATION, "Texte", "  ", False)
    assert exc.value.field == "text_en"


def test_shown_token_round_trip(make, db):
    texts = consent_texts.texts_to_show()
    token = consent_texts.shown_token(texts)
    assert consent_texts.shown_id(token, SHARING) is None  # built-in text, nothing saved yet
    assert consent_texts.shown_id("sharing:7", SHARING) == 7
    assert consent_texts.shown_id("registration:3", SHARING) == consent_texts.NOT_SHOWN
    assert consent_texts.shown_id("sharing:x", SHARING) == consent_texts.NOT_SHOWN


# --- recording under a version ---------------------------------------------------------------
def test_consent_keeps_the_version_it_was_given_under(make, db):
    person = make.person(consent_to=())
    worker = person.caseworker
    consent = services.record_consent(worker, person, REGISTRATION, ConsentMethod.SIGNED)
    assert consent.text.version == 1 and consent.text_version == "1"
    shown = consent_texts.current_text(SHARING) or consent_texts.text_in_force(SHARING, worker)
    consent = services.record_consent(worker, person, SHARING, ConsentMethod.SIGNED,
                                      service_category="health", shown_text_id=shown.id)
    assert consent.text_id == shown.id


def test_a_version_published_meanwhile_is_refused_nothing_written(make, db):
    person = make.person(consent_to=())
    worker = person.caseworker
    shown = consent_texts.text_in_force(SHARING, worker)
    db.session.commit()
    _new_version(make, db)
    with pytest.raises(ConflictError) as exc:
        services.record_consent(worker, person, SHARING, ConsentMethod.SIGNED,
                                service_category="health", shown_text_id=shown.id)
    assert exc.value.field == "purpose" and exc.value.status == 409
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0


# --- re-consent --------------------------------------------------------------------------------
def test_new_version_without_reconsent_keeps_older_consents(make, db):
    person = make.person()  # sharing, vocational training, under version 1
    _new_version(make, db, reconsent=False)
    assert services.has_consent(person, SHARING, "vocational_training")
    assert services.consents_needing_renewal(person) == set()


def test_reconsent_version_stops_older_consents_counting_everywhere(make, db):
    from icrs.referrals.packet import packet_visible
    from icrs.referrals.services import sharing_consent

    service = make.service()
    person = make.person()
    referral = make.referral(person=person, service=service)
    db.session.commit()
    old = db.session.scalar(sa.select(Consent).where(Consent.purpose == SHARING))
    _new_version(make, db, reconsent=True)
    assert services.consents_needing_renewal(person) == {old.id}
    assert not services.has_consent(person, SHARING, "vocational_training")
    assert sharing_consent(person, service) is None
    assert not packet_visible(referral)
    with pytest.raises(DomainError):  # a new referral needs the renewed consent
        make.referral(person=person, service=service)
    db.session.rollback()
    # consents of other purposes are untouched
    assert services.has_consent(person, REGISTRATION) == services.has_consent(person,
                                                                              REGISTRATION)


def test_renewal_closes_the_older_consent_and_counts_again(make, db):
    person = make.person()
    old = db.session.scalar(sa.select(Consent).where(Consent.purpose == SHARING))
    new_text = _new_version(make, db, reconsent=True)
    renewed = services.record_consent(person.caseworker, person, SHARING, ConsentMethod.SIGNED,
                                      service_category="vocational_training",
                                      shown_text_id=new_text.id)
    db.session.commit()
    db.session.refresh(old)
    assert old.superseded_by_id == renewed.id and old.withdrawn_at is not None
    assert person.consent_withdrawn_at is None  # a renewal is not a withdrawal
    assert services.has_consent(person, SHARING, "vocational_training")
    assert services.consents_needing_renewal(person) == set()
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "people.consent_given").order_by(AuditEntry.seq.desc()).limit(1))
    assert '"renewed":1' in entry.details and '"text_version":"2"' in entry.details


# --- pages -------------------------------------------------------------------------------------
def test_case_page_shows_texts_and_needs_reconsent(client, login_as, make, db):
    worker = login_as("caseworker", locale="en")
    person = make.person(actor=worker)
    db.session.commit()
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Needs re-consent" not in page and "version 1" in page
    assert "we pass the provider" in page  # the sharing text, in English
    _new_version(make, db, reconsent=True)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Needs re-consent" in page and "version 2" in page


def _post_consent(client, person, token):
    from icrs.directory.taxonomy import ensure_taxonomy
    ensure_taxonomy()
    db.session.commit()
    return client.post(f"/people/{person.id}/consent", data={
        "consent-purpose": "sharing", "consent-method": "thumbprint",
        "consent-service_category": "health", "consent-witness_name": "",
        "consent-shown_texts": token})


def test_form_records_the_version_shown(client, login_as, make, db):
    worker = login_as("caseworker", locale="en")
    person = make.person(actor=worker)
    text = _new_version(make, db)
    token = consent_texts.shown_token(consent_texts.texts_to_show())
    assert _post_consent(client, person, token).status_code == 302
    consent = db.session.scalar(sa.select(Consent).where(Consent.service_category == "health"))
    assert consent.text_id == text.id


def test_form_with_an_outdated_version_is_refused(client, login_as, make, db):
    worker = login_as("caseworker", locale="en")
    person = make.person(actor=worker)
    text = _new_version(make, db)
    token = consent_texts.shown_token(consent_texts.texts_to_show())
    _new_version(make, db, text="Version trois")
    response = _post_consent(client, person, token)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "A new version of this consent text was published" in body
    assert f"sharing:{text.id}" not in body  # the page now carries the new version
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent).where(
        Consent.service_category == "health")) == 0
    assert _post_consent(client, person, "").status_code == 409  # no version shown at all


def test_printable_texts(client, login_as, db):
    login_as("caseworker", locale="fr")
    page = client.get("/consent-texts/print").get_data(as_text=True)
    assert "Acceptez-vous ce partage" in page and "Do you agree to this sharing" not in page
    page = client.get("/consent-texts/print?lang=en&purpose=sharing").get_data(as_text=True)
    assert "Do you agree to this sharing" in page and "Do you agree that we keep" not in page
    assert client.get("/consent-texts/print?purpose=nonsense").status_code == 404
    assert "<script" not in page.split("<main", 1)[-1]


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "provider", "monitoring"])
def test_only_admins_edit_consent_texts(client, login_as, make, db, role):
    draft = consent_texts.create_draft(make.user("admin"), SHARING, "Texte", "Text", False)
    db.session.commit()
    login_as(role)
    assert client.get("/admin/consent-texts").status_code == 403
    assert client.post("/admin/consent-texts/sharing/new", data={}).status_code == 403
    assert client.post(f"/admin/consent-texts/{draft.id}/publish").status_code == 403
    db.session.expire_all()
    assert db.session.get(ConsentText, draft.id).published_at is None


def test_admin_drafts_and_publishes_a_version(client, login_as, db):
    login_as("admin", locale="en")
    assert "No version published yet" in client.get("/admin/consent-texts").get_data(
        as_text=True)
    form = client.get("/admin/consent-texts/sharing/new").get_data(as_text=True)
    assert "we pass the provider" in form  # starts from the text in force
    response = client.post("/admin/consent-texts/sharing/new", data={
        "text_fr": "Texte révisé", "text_en": "Revised text", "requires_reconsent": "y"})
    assert response.status_code == 302
    text = db.session.scalar(sa.select(ConsentText))
    assert (text.version, text.requires_reconsent, text.published) == (1, True, False)
    assert client.post(f"/admin/consent-texts/{text.id}", data={
        "text_fr": "Texte révisé 2", "text_en": "Revised text 2"}).status_code == 302
    assert client.post(f"/admin/consent-texts/{text.id}/publish").status_code == 302
    db.session.expire_all()
    text = db.session.get(ConsentText, text.id)
    assert text.published and text.text_en == "Revised text 2" and not text.requires_reconsent
    for action in ("consent_text.drafted", "consent_text.draft_updated",
                   "consent_text.published"):
        assert _actions(db, action) == 1


def test_admin_refusals_write_nothing(client, login_as, make, db):
    login_as("admin", locale="en")
    response = client.post("/admin/consent-texts/sharing/new",
                           data={"text_fr": "", "text_en": "Text"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentText)) == 0
    text = _new_version(make, db)
    response = client.post(f"/admin/consent-texts/{text.id}",
                           data={"text_fr": "Changé", "text_en": "Changed"})
    assert response.status_code == 409
    assert "cannot be changed" in response.get_data(as_text=True)
    response = client.post(f"/admin/consent-texts/{text.id}/publish")
    assert response.status_code == 409
    assert client.post(f"/admin/consent-texts/{text.id}/discard").status_code == 409
    db.session.expire_all()
    assert db.session.get(ConsentText, text.id).text_fr == "Nouveau texte"
    assert client.get("/admin/consent-texts/nonsense/new").status_code == 404
    assert client.get("/admin/consent-texts/987654").status_code == 404


def test_admin_discards_a_draft(client, login_as, make, db):
    login_as("admin", locale="en")
    draft = consent_texts.create_draft(make.user("admin"), SHARING, "Texte", "Text", False)
    db.session.commit()
    # a second draft of the same purpose opens the existing one
    assert client.get("/admin/consent-texts/sharing/new").headers["Location"].endswith(
        f"/admin/consent-texts/{draft.id}")
    assert client.post(f"/admin/consent-texts/{draft.id}/discard").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentText)) == 0
    assert _actions(db, "consent_text.draft_discarded") == 1
