"""GBV and MHPSS referrals, survivor-centred: consent asked for each referral with the details
shown, the survivor code, and the non-specific label for those outside the need to know."""
import json

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.errors import DomainError
from icrs.people import services as people
from icrs.people.models import Consent, ConsentMethod, ConsentPurpose
from icrs.referrals import sensitive, services
from icrs.referrals.models import Referral
from icrs.referrals.packet import packet_visible
from icrs.referrals.states import ReferralStatus as S
from tests.referrals.conftest import GOOD, make_service, new_person

PROTECTION = "Specialised protection service"
DATA = {**GOOD, "reason": "Needs specialised support", "needs": "",
        "share": ["first_name", "age_band", "phone"]}


@pytest.fixture
def gbv(world, db):
    service = make_service(world.org, "Centre d'écoute VBG de Mora", category="gbv",
                           regions=[world.en])
    db.session.commit()
    return service


def count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def consent_for(person, data, **form):
    """What the referral form sends once the details were read to the person."""
    fields = {"method": "signed", "witness_name": "", "confirmed": True,
              "fingerprint": sensitive.fingerprint(sensitive.draft_packet(person, data))}
    return {**data, "consent": {**fields, **form}}


def refer_gbv(world, person, service, db, send=True, **data):
    data = {**DATA, **data}
    r = services.refer(world.caseworker, person, service, consent_for(person, data), send=send)
    db.session.commit()
    return r


# --- consent per referral -------------------------------------------------------------------------
def test_category_consent_for_gbv_does_not_count(world, person, gbv, db):
    people.record_consent(world.caseworker, person, ConsentPurpose.SHARING,
                          ConsentMethod.SIGNED, service_category="gbv")
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        services.refer(world.caseworker, person, gbv, DATA)
    assert exc.value.field == "consent_confirmed"
    db.session.rollback()
    assert count(db, Referral) == 0


def test_category_consent_does_not_let_a_draft_be_sent(world, person, gbv, db):
    people.record_consent(world.caseworker, person, ConsentPurpose.SHARING,
                          ConsentMethod.SIGNED, service_category="gbv")
    r = refer_gbv(world, person, gbv, db, send=False)
    people.withdraw_consent(world.caseworker, person, db.session.get(Consent, r.consent_id))
    db.session.commit()
    with pytest.raises(DomainError, match="consent"):
        services.send_referral(world.caseworker, r)
    db.session.rollback()
    assert db.session.get(Referral, r.id).status == S.DRAFT


def test_consent_recorded_with_the_referral(world, person, gbv, db):
    r = refer_gbv(world, person, gbv, db)
    consent = db.session.get(Consent, r.consent_id)
    assert consent.for_referral and consent.purpose == ConsentPurpose.SHARING
    assert consent.service_category == "gbv" and consent.method == ConsentMethod.SIGNED
    assert consent.shared_fields == sorted(r.packet)
    assert consent.shared_packet == r.packet and r.status == S.SENT
    entry = audit(db, "referrals.consent_given")[0]
    assert json.loads(entry.details)["fields"] == consent.shared_fields
    assert person.first_name not in str(entry.details)
    # another GBV referral needs its own consent: this one covers only its referral
    with pytest.raises(DomainError):
        services.refer(world.caseworker, person, gbv, DATA)


@pytest.mark.parametrize("form,field", [
    ({"method": ""}, "consent_method"),
    ({"method": "verbal_witnessed", "witness_name": " "}, "consent_witness"),
    ({"confirmed": False}, "consent_confirmed"),
    ({"fingerprint": "0" * 40}, "consent_confirmed"),
])
def test_invalid_consent_writes_nothing(world, person, gbv, db, form, field):
    before = count(db, Consent)
    with pytest.raises(DomainError) as exc:
        services.refer(world.caseworker, person, gbv, consent_for(person, DATA, **form))
    assert exc.value.field == field
    db.session.rollback()
    assert count(db, Referral) == 0 and count(db, Consent) == before


def test_verbal_consent_with_witness(world, person, gbv, db):
    r = services.refer(world.caseworker, person, gbv, consent_for(
        person, DATA, method="verbal_witnessed", witness_name="Aïssatou (social worker)"))
    db.session.commit()
    assert db.session.get(Consent, r.consent_id).witness_name == "Aïssatou (social worker)"


def test_share_changed_after_consent_refuses_sending(world, person, gbv, db):
    r = refer_gbv(world, person, gbv, db, send=False)
    r.share = ["age_band", "first_name", "languages"]
    db.session.commit()
    assert not sensitive.consent_state(r)["current"]
    with pytest.raises(DomainError, match="changed since the person consented"):
        services.send_referral(world.caseworker, r)
    db.session.rollback()
    old = r.consent_id
    shown = sensitive.fingerprint(services.build_packet(r, person))
    sensitive.ask_consent_again(world.caseworker, r, {"method": "thumbprint", "confirmed": True,
                                                      "fingerprint": shown})
    db.session.commit()
    assert r.consent_id != old and db.session.get(Consent, old).superseded_by_id == r.consent_id
    services.send_referral(world.caseworker, r)
    db.session.commit()
    assert r.status == S.SENT and r.packet["languages"]


def test_withdrawing_the_referral_consent_hides_the_packet(world, person, gbv, db, client,
                                                          switch_to):
    r = refer_gbv(world, person, gbv, db)
    assert packet_visible(r)
    people.withdraw_consent(world.caseworker, person, db.session.get(Consent, r.consent_id))
    db.session.commit()
    assert r.packet_hidden_at is not None and not packet_visible(r)
    switch_to(world.provider)
    page = client.get(f"/referrals/received/{r.id}").get_data(as_text=True)
    assert "no longer shared" in page and "specialised support" not in page


def test_non_sensitive_category_still_uses_the_category_consent(world, person, db):
    r = services.refer(world.caseworker, person, world.service, GOOD)
    db.session.commit()
    consent = db.session.get(Consent, r.consent_id)
    assert r.status == S.SENT and not consent.for_referral
    assert consent.service_category == "vocational_training" and packet_visible(r)


# --- survivor code --------------------------------------------------------------------------------
def test_survivor_code_replaces_name_case_number_and_phone(world, person, gbv, db):
    r = refer_gbv(world, person, gbv, db, survivor_code=True)
    code = r.survivor_code
    assert len(code) == 8 and set(code) <= set(sensitive.ALPHABET)
    assert r.packet["survivor_code"] == code
    for key in ("first_name", "case_number", "phone"):
        assert key not in r.packet
    text = str(r.packet)
    assert person.first_name not in text and person.case_number not in text
    assert person.phone not in text
    assert not any(code in str(e.details) for e in db.session.scalars(sa.select(AuditEntry)))


def test_survivor_codes_are_random_and_unique(world, person, gbv, db):
    other = new_person(world, db)
    codes = {refer_gbv(world, p, gbv, db, survivor_code=True).survivor_code
             for p in (person, other, person)}
    assert len(codes) == 3
    drawn = {sensitive.new_survivor_code() for _ in range(50)}
    assert len(drawn) == 50 and not codes & drawn


def test_survivor_code_only_for_gbv_services(world, person, db):
    with pytest.raises(DomainError) as exc:
        services.refer(world.caseworker, person, world.service, {**GOOD, "survivor_code": True})
    assert exc.value.field == "survivor_code"


def test_provider_sees_the_code_and_caseworker_sees_which(world, person, gbv, db, client,
                                                         switch_to):
    r = refer_gbv(world, person, gbv, db, survivor_code=True)
    switch_to(world.provider)
    page = client.get(f"/referrals/received/{r.id}").get_data(as_text=True)
    assert r.survivor_code in page and person.first_name not in page
    assert person.case_number not in page
    switch_to(world.caseworker)
    page = client.get(f"/referrals/{r.id}").get_data(as_text=True)
    assert "Survivor code given to the provider" in page and r.survivor_code in page
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert r.survivor_code in case


# --- who sees what --------------------------------------------------------------------------------
def test_same_site_colleague_sees_the_non_specific_label(world, person, gbv, db, client,
                                                        switch_to):
    r = refer_gbv(world, person, gbv, db)
    switch_to(world.caseworker)
    assert gbv.name in client.get(f"/people/{person.id}").get_data(as_text=True)
    switch_to(world.colleague)
    for url in (f"/people/{person.id}", "/referrals/", f"/referrals/{r.id}"):
        page = client.get(url).get_data(as_text=True)
        assert PROTECTION in page, url
        assert gbv.name not in page and "Gender-based violence" not in page, url
        assert "specialised support" not in page, url
    switch_to(world.other_provider)
    assert client.get(f"/referrals/received/{r.id}").status_code == 404
    inbox = client.get("/referrals/inbox").get_data(as_text=True)
    assert gbv.name not in inbox and PROTECTION not in inbox


def test_case_page_does_not_offer_a_gbv_category_consent(world, person, client, switch_to,
                                                         db):
    switch_to(world.caseworker)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert 'value="gbv"' not in page and 'value="mhpss"' not in page
    response = client.post(f"/people/{person.id}/consent", data={
        "consent-purpose": "sharing", "consent-method": "signed",
        "consent-service_category": "gbv"})
    assert response.status_code == 400
    assert count(db, Consent, Consent.service_category == "gbv") == 0


# --- the referral form ----------------------------------------------------------------------------
FORM = {"priority": "normal", "reason": "Needs specialised support", "needs": "",
        "complete_by": "", "share": ["first_name", "age_band"]}


def test_form_shows_the_details_then_records_consent(world, person, gbv, db, client,
                                                     switch_to):
    switch_to(world.caseworker)
    url = f"/referrals/new/{person.id}"
    first = client.post(url, data={**FORM, "service_id": str(gbv.id)})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "Consent to share, for this referral" in page
    assert person.first_name in page and "Needs specialised support" in page
    assert count(db, Referral) == 0 and count(db, Consent, Consent.for_referral) == 0
    shown = sensitive.fingerprint(sensitive.draft_packet(
        person, {**FORM, "share": ["first_name", "age_band"]}))
    assert shown in page
    filled = {**FORM, "service_id": str(gbv.id), "consent_fingerprint": shown}
    missing = client.post(url, data={**filled, "consent_confirmed": "y",
                                     "consent_method": "verbal_witnessed"})
    assert missing.status_code == 400 and "needs a witness" in missing.get_data(as_text=True)
    assert count(db, Referral) == 0 and count(db, Consent, Consent.for_referral) == 0
    changed = client.post(url, data={**filled, "share": ["first_name", "phone"],
                                     "consent_confirmed": "y", "consent_method": "signed"})
    assert changed.status_code == 400 and "changed" in changed.get_data(as_text=True)
    assert count(db, Referral) == 0
    done = client.post(url, data={**filled, "consent_confirmed": "y",
                                  "consent_method": "signed"})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    r = db.session.scalar(sa.select(Referral))
    assert r.status == S.SENT and db.session.get(Consent, r.consent_id).for_referral
