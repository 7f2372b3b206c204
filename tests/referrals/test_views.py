"""Referral pages per role: allowed, 403 wrong role, 404 out of scope, 400/409 with a message,
nothing written; the provider's pages show only the packet."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.people.models import Consent
from icrs.referrals import services
from icrs.referrals.models import Referral
from icrs.referrals.notifications import Notification
from icrs.referrals.states import ReferralStatus as S
from tests.referrals.conftest import GOOD, make_service

FORM = {"service_id": "", "priority": "normal", "reason": "Wants to train as a tailor",
        "needs": "Sewing kit", "complete_by": "", "share": ["first_name", "age_band"]}


def n_referrals(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Referral))


def body(response):
    return response.get_data(as_text=True)


# --- creating -------------------------------------------------------------------------------------
def test_new_page_suggests_and_explains(client, switch_to, world, person, db):
    make_service(world.org, "Men only workshop", sexes="m", regions=[world.en])
    db.session.commit()
    switch_to(world.caseworker)
    page = body(client.get(f"/referrals/new/{person.id}"))
    assert "Tailoring apprenticeship" in page and "Speaks" in page
    assert page.index("Tailoring apprenticeship") < page.index("Men only workshop")
    assert "Not eligible" in page and "for Male only" in page


def test_caseworker_refers(client, switch_to, world, person, db):
    switch_to(world.caseworker)
    response = client.post(f"/referrals/new/{person.id}",
                           data={**FORM, "service_id": str(world.service.id)})
    assert response.status_code == 302, body(response)[:3000]
    r = db.session.scalar(sa.select(Referral))
    assert r.status == S.SENT and r.share == ["age_band", "first_name"]
    assert person.case_number not in response.headers["Location"]
    assert person.first_name not in response.headers["Location"]
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200 and person.first_name in body(detail)


def test_keep_as_draft(client, switch_to, world, person, db):
    switch_to(world.caseworker)
    client.post(f"/referrals/new/{person.id}",
                data={**FORM, "service_id": str(world.service.id), "keep_draft": "y"})
    r = db.session.scalar(sa.select(Referral))
    assert r.status == S.DRAFT
    send = client.post(f"/referrals/{r.id}/send", data={"send-version": r.version})
    assert send.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.SENT


@pytest.mark.parametrize("change,message", [
    ({"reason": ""}, "This field is required"),
    ({"service_id": "not-a-uuid"}, "Choose a service"),
    ({"priority": "whenever"}, "Not a valid choice"),
    ({"complete_by": "2001-01-01"}, "cannot be in the past"),
])
def test_bad_input(client, switch_to, world, person, db, change, message):
    switch_to(world.caseworker)
    response = client.post(f"/referrals/new/{person.id}",
                           data={**FORM, "service_id": str(world.service.id), **change})
    assert response.status_code == 400 and message in body(response)
    assert n_referrals(db) == 0


def test_no_consent_for_category_is_refused_at_the_field(client, switch_to, world, person, db):
    clinic = make_service(world.org, "Clinic", category="health", regions=[world.en])
    db.session.commit()
    switch_to(world.caseworker)
    response = client.post(f"/referrals/new/{person.id}",
                           data={**FORM, "service_id": str(clinic.id)})
    assert response.status_code == 400 and "not consented" in body(response)
    assert n_referrals(db) == 0


def test_who_may_refer(client, switch_to, world, person, make, db):
    switch_to(world.colleague)  # same site, not assigned: read-only
    assert client.get(f"/referrals/new/{person.id}").status_code == 403
    assert client.post(f"/referrals/new/{person.id}",
                       data={**FORM, "service_id": str(world.service.id)}).status_code == 403
    switch_to(make.user("caseworker", site=world.bam))
    assert client.get(f"/referrals/new/{person.id}").status_code == 404
    switch_to(world.provider)
    assert client.get(f"/referrals/new/{person.id}").status_code == 403
    assert n_referrals(db) == 0


# --- provider portal ------------------------------------------------------------------------------
def test_provider_sees_only_the_packet(client, switch_to, world, person, sent, db):
    r = sent()
    switch_to(world.provider)
    inbox = body(client.get("/referrals/inbox"))
    # the inbox shows the shared first name (and age band), never the rest of the identity
    assert r.reference in inbox and person.first_name in inbox
    assert person.last_name not in inbox and person.phone not in inbox
    page = client.get(f"/referrals/received/{r.id}")
    html = body(page)
    assert page.status_code == 200
    assert person.first_name in html and person.case_number in html
    assert "Wants to train as a tailor" in html
    for secret in (person.last_name, person.id_number, person.phone, person.address):
        assert secret not in html
    assert f"/people/{person.id}" not in html
    assert client.get(f"/people/{person.id}").status_code in (403, 404)
    viewed = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "referrals.viewed")).all()
    assert len(viewed) == 1 and person.first_name not in viewed[0].details


def test_phone_only_when_chosen(client, switch_to, world, person, sent, db):
    r = sent(share=["phone"])
    switch_to(world.provider)
    html = body(client.get(f"/referrals/received/{r.id}"))
    assert person.phone in html and person.first_name not in html


def test_withdrawn_consent_hides_the_packet(client, switch_to, world, person, sent, db):
    r = sent(share=["first_name", "phone"])
    consent = db.session.scalar(sa.select(Consent).where(Consent.service_category.is_not(None)))
    switch_to(world.caseworker)
    client.post(f"/people/{person.id}/consent/{consent.id}/withdraw")
    switch_to(world.provider)
    html = body(client.get(f"/referrals/received/{r.id}"))
    for secret in (person.first_name, person.case_number, person.phone, GOOD["reason"]):
        assert secret not in html
    assert "no longer shared" in html


def test_other_organisation_gets_404(client, switch_to, world, person, sent, db):
    r = sent()
    draft = services.refer(world.caseworker, person, world.service, GOOD, send=False)
    db.session.commit()
    switch_to(world.other_provider)
    assert r.reference not in body(client.get("/referrals/inbox"))
    assert client.get(f"/referrals/received/{r.id}").status_code == 404
    response = client.post(f"/referrals/received/{r.id}/accept", data={"acc-version": r.version})
    assert response.status_code == 404
    switch_to(world.provider)
    assert client.get(f"/referrals/received/{draft.id}").status_code == 404
    assert client.get(f"/referrals/{r.id}").status_code == 403
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.SENT


def test_provider_answers(client, switch_to, world, sent, db):
    r = sent()
    switch_to(world.provider)
    assert client.post(f"/referrals/received/{r.id}/accept",
                       data={"acc-version": r.version}).status_code == 302
    db.session.expire_all()
    r = db.session.get(Referral, r.id)
    assert r.status == S.ACCEPTED
    assert client.post(f"/referrals/received/{r.id}/progress",
                       data={"prog-version": r.version, "prog-target": "in_service"}
                       ).status_code == 302
    db.session.expire_all()
    r = db.session.get(Referral, r.id)
    response = client.post(f"/referrals/received/{r.id}/outcome",
                           data={"out-version": r.version, "out-target": "completed",
                                 "out-outcome": "served", "out-note": "Certificate given"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.COMPLETED


def test_decline_without_reason_is_400_with_message(client, switch_to, world, sent, db):
    r = sent()
    switch_to(world.provider)
    response = client.post(f"/referrals/received/{r.id}/decline",
                           data={"dec-version": r.version, "dec-reason": "other"})
    assert response.status_code == 400 and "Say why in the note" in body(response)
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.SENT


def test_stale_form_is_409(client, switch_to, world, sent, db):
    r = sent()
    old = r.version
    services.respond(world.provider, r, S.DECLINED, reason="no_capacity")
    db.session.commit()
    switch_to(world.provider)
    response = client.post(f"/referrals/received/{r.id}/accept", data={"acc-version": old})
    assert response.status_code == 409 and "Someone else changed" in body(response)
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.DECLINED


def test_accept_beyond_capacity_is_409(client, switch_to, world, sent, db):
    world.service.open_slots = 0
    db.session.commit()
    r = sent()
    switch_to(world.provider)
    response = client.post(f"/referrals/received/{r.id}/accept", data={"acc-version": r.version})
    assert response.status_code == 409 and "no open place" in body(response)


# --- closing the loop, lists ----------------------------------------------------------------------
def test_caseworker_acknowledges(client, switch_to, world, person, sent, db):
    r = sent()
    services.respond(world.provider, r, S.DECLINED, reason="not_eligible")
    db.session.commit()
    switch_to(world.caseworker)
    case = body(client.get(f"/people/{person.id}"))
    assert "To acknowledge" in case and "Refer to a service" in case
    assert "Referral to Tailoring apprenticeship: Declined" in case  # the case timeline
    response = client.post(f"/referrals/{r.id}/acknowledge",
                           data={"ack-version": r.version, "ack-next_step": "Try the NGO"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, r.id).acknowledged_at is not None
    switch_to(world.colleague)
    assert client.post(f"/referrals/{r.id}/acknowledge",
                       data={"ack-version": r.version}).status_code == 403


def test_lists_are_scoped(client, switch_to, world, person, sent, make, db):
    r = sent(priority="emergency")
    r.accept_by = utcnow() - timedelta(hours=1)
    db.session.commit()
    switch_to(world.colleague)
    assert person.case_number in body(client.get("/referrals/"))
    assert client.get(f"/referrals/{r.id}").status_code == 200
    switch_to(world.supervisor)
    assert person.case_number in body(client.get("/referrals/overdue"))
    switch_to(make.user("caseworker", site=world.bam))
    assert person.case_number not in body(client.get("/referrals/"))
    assert client.get(f"/referrals/{r.id}").status_code == 404
    switch_to(make.user("supervisor", region=world.nw))
    assert person.case_number not in body(client.get("/referrals/overdue"))
    switch_to(world.provider)
    assert "Overdue" in body(client.get("/referrals/inbox?overdue=y"))
    assert client.get("/referrals/").status_code == 403


def test_lists_leave_out_erased_people_and_filter_mine(client, switch_to, world, person, sent,
                                                       db):
    from tests.referrals.conftest import new_person
    sent()
    other = new_person(world, db)
    services.refer(world.caseworker, other, world.service, GOOD)
    other.caseworker_id = world.colleague.id
    db.session.commit()
    switch_to(world.caseworker)
    page = body(client.get("/referrals/"))
    assert person.case_number in page and other.case_number in page
    mine = body(client.get("/referrals/?mine=y"))
    assert person.case_number in mine and other.case_number not in mine
    person.erased_at = utcnow()
    db.session.commit()
    for url in ("/referrals/", "/referrals/?status=sent"):
        page = body(client.get(url))
        assert person.case_number not in page and other.case_number in page
    switch_to(world.supervisor)
    assert person.case_number not in body(client.get("/referrals/"))


def test_notifications(client, switch_to, world, sent, db):
    r = sent()
    switch_to(world.provider)
    page = body(client.get("/referrals/notifications"))
    assert "A new referral arrived" in page
    note = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == world.provider.id))
    response = client.post(f"/referrals/notifications/{note.id}/open")
    assert response.status_code == 302 and str(r.id) in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    switch_to(world.other_provider)
    assert client.post(f"/referrals/notifications/{note.id}/open").status_code == 404


def test_unread_count_in_top_bar(client, switch_to, world, sent, db):
    sent()
    switch_to(world.provider)
    assert re.search(r'class="badge"[^>]*>1</span>', body(client.get("/account")))
    client.post("/referrals/notifications/read")
    assert 'class="badge"' not in body(client.get("/account"))
    switch_to(world.other_provider)
    page = body(client.get("/account"))
    assert "/referrals/notifications" in page and 'class="badge"' not in page


def test_contradictory_outcome_says_why_at_the_field(client, switch_to, world, sent, db):
    """Regression: "completed" with "did not come" was refused with "Choose an outcome that
    fits." — it did not say that the two contradict each other, nor what fits."""
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    switch_to(world.provider)
    response = client.post(f"/referrals/received/{r.id}/outcome",
                           data={"out-version": r.version, "out-target": "completed",
                                 "out-outcome": "no_show", "out-note": ""})
    html = body(response)
    assert response.status_code == 400
    assert "“Did not come” contradicts “Completed”" in html
    assert "ends with: Served, Partially served." in html
    db.session.expire_all()
    assert db.session.get(Referral, r.id).status == S.ACCEPTED
