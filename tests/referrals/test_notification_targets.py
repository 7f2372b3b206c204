"""Notifications name the case and the referral and link to it; they become read by a POST only
(the list's "Open", or the target page's "Mark as read"), never by the GET that opens a page.
The provider inbox shows the first name and age band only when the packet shares them, and the
referring caseworker's contact."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.referrals import services
from icrs.referrals.notifications import Notification
from icrs.referrals.states import ReferralStatus as S


def body(response):
    return response.get_data(as_text=True)


def note_of(db, user):
    db.session.expire_all()
    return db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id)
                             .order_by(Notification.id.desc()))


def test_notification_names_case_reference_and_service(client, switch_to, world, sent, db):
    r = sent()
    switch_to(world.provider)
    page = body(client.get("/referrals/notifications"))
    assert r.reference in page and "Tailoring apprenticeship" in page
    assert r.person.case_number in page
    assert r.person.first_name not in page and r.person.last_name not in page
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    switch_to(world.caseworker)
    page = body(client.get("/referrals/notifications"))
    assert "was accepted" in page and r.reference in page and r.person.case_number in page


def test_provider_loses_the_case_number_when_the_packet_is_withheld(client, switch_to, world,
                                                                    sent, db):
    r = sent()
    r.packet_hidden_at = utcnow()
    db.session.commit()
    switch_to(world.provider)
    page = body(client.get("/referrals/notifications"))
    assert r.reference in page and r.person.case_number not in page


def test_opening_the_target_by_get_changes_nothing(client, switch_to, world, sent, db):
    r = sent()
    switch_to(world.provider)
    page = body(client.get(f"/referrals/received/{r.id}"))
    note = note_of(db, world.provider)
    assert note.read_at is None  # GET: nothing changes
    assert f"/referrals/notifications/{note.id}/open" in page and "Mark as read" in page
    response = client.post(f"/referrals/notifications/{note.id}/open")
    assert response.status_code == 302 and str(r.id) in response.headers["Location"]
    assert note_of(db, world.provider).read_at is not None
    assert "Mark as read" not in body(client.get(f"/referrals/received/{r.id}"))


def test_caseworker_marks_read_on_the_referral_page(client, switch_to, world, sent, db):
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    switch_to(world.caseworker)
    note = note_of(db, world.caseworker)
    assert f"/referrals/notifications/{note.id}/open" in body(client.get(f"/referrals/{r.id}"))
    assert note_of(db, world.caseworker).read_at is None
    client.post(f"/referrals/notifications/{note.id}/open")
    assert note_of(db, world.caseworker).read_at is not None


def test_another_users_notification_is_404_and_not_offered(client, switch_to, world, sent, db):
    r = sent()
    note = note_of(db, world.provider)
    switch_to(world.other_provider)
    assert client.get(f"/referrals/notifications/{note.id}/open").status_code == 405
    assert client.post(f"/referrals/notifications/{note.id}/open").status_code == 404
    assert client.post("/referrals/notifications/987654/open").status_code == 404
    assert note_of(db, world.provider).read_at is None
    switch_to(world.provider)
    assert r.reference in body(client.get("/referrals/notifications"))


def test_inbox_shows_shared_first_name_age_band_and_caseworker_contact(client, switch_to,
                                                                        world, sent, db):
    world.caseworker.email = "amina@cnddr.example"
    shared = sent()
    hidden = sent(share=["languages"])
    switch_to(world.provider)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "referrals.inbox_viewed"))
    page = body(client.get("/referrals/inbox"))
    assert shared.person.first_name in page
    assert "amina@cnddr.example" in page and world.caseworker.full_name in page
    assert page.count(shared.person.first_name) == 1  # the second referral shares no name
    assert "Not shared" in page and hidden.reference in page
    assert shared.person.last_name not in page and shared.person.phone not in page
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "referrals.inbox_viewed"))
    assert after == before + 1


def test_inbox_hides_the_name_once_consent_is_withdrawn(client, switch_to, world, sent, db):
    r = sent()
    r.packet_hidden_at = utcnow()
    db.session.commit()
    switch_to(world.provider)
    page = body(client.get("/referrals/inbox"))
    assert r.person.first_name not in page and "Not shared" in page
