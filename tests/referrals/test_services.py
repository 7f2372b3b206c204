"""Referral operations: new status, event and audit row; consent; capacity; acknowledgement."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.directory.models import Service
from icrs.people import services as people
from icrs.people.models import Consent, ConsentPurpose
from icrs.people.states import Stage
from icrs.referrals import services
from icrs.referrals.models import Referral, ReferralEvent
from icrs.referrals.notifications import EmailOutbox, Notification
from icrs.referrals.packet import packet_visible
from icrs.referrals.states import ReferralStatus as S
from tests.referrals.conftest import GOOD, make_service


def audit(action):
    return [e for e in _entries() if e.action == action]


def _entries():
    from icrs.extensions import db
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)).all()


def count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_refer_sends_with_packet_event_audit_and_notification(world, person, sent, db):
    r = sent()
    assert r.status == S.SENT
    assert r.accept_by == r.sent_at + timedelta(days=14)
    assert [(e.from_status, e.to_status) for e in r.events] == [(None, S.DRAFT),
                                                                (S.DRAFT, S.SENT)]
    assert r.packet["case_number"] == person.case_number
    assert r.packet["first_name"] == person.first_name
    assert "phone" not in r.packet and "last_name" not in r.packet
    assert len(audit("referrals.created")) == 1 and len(audit("referrals.sent")) == 1
    assert person.first_name not in audit("referrals.sent")[0].details
    note = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == world.provider.id))
    assert note.kind == "received" and note.referral_id == r.id
    mail = db.session.scalar(sa.select(EmailOutbox))
    assert mail.to_address == "p@example.org"
    for secret in (person.first_name, person.case_number, person.last_name, str(person.id)):
        assert secret not in mail.body and secret not in mail.subject
    assert f"/referrals/received/{r.id}" in mail.body


def test_packet_is_encrypted_at_rest(world, sent, person, db):
    r = sent()
    raw = db.session.execute(sa.text("SELECT packet_ct, reason_ct FROM referral")).one()
    assert person.first_name.encode() not in raw[0]
    assert b"tailor" not in raw[1]
    assert r.reason == GOOD["reason"]


def test_emergency_deadline(sent):
    r = sent(priority="emergency")
    assert r.accept_by - r.sent_at == timedelta(hours=24)
    r2 = sent(priority="urgent")
    assert r2.accept_by - r2.sent_at == timedelta(hours=72)


def test_draft_then_send(world, person, db):
    r = services.refer(world.caseworker, person, world.service, GOOD, send=False)
    db.session.commit()
    assert r.status == S.DRAFT and r.packet is None and r.sent_at is None
    assert count(db, Notification) == 0
    services.send_referral(world.caseworker, r, version=r.version)
    db.session.commit()
    assert r.status == S.SENT and r.packet is not None


def test_no_consent_refused_and_nothing_written(world, person, db):
    health = make_service(world.org, "Clinic", category="health", regions=[world.en])
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        services.refer(world.caseworker, person, health, GOOD)
    assert exc.value.field == "service_id"
    db.session.rollback()
    assert count(db, Referral) == 0


def test_only_the_assigned_caseworker_refers(world, person, db):
    with pytest.raises(AccessDenied):
        services.refer(world.colleague, person, world.service, GOOD)
    with pytest.raises(AccessDenied):
        services.refer(world.provider, person, world.service, GOOD)


def test_withdrawn_consent_blocks_new_and_hides_open(world, person, sent, db):
    r = sent()
    consent = db.session.scalar(sa.select(Consent).where(
        Consent.purpose == ConsentPurpose.SHARING))
    people.withdraw_consent(world.caseworker, person, consent)
    db.session.commit()
    assert r.packet_hidden_at is not None and not packet_visible(r)
    assert r.events[-1].kind == "consent_withdrawn"
    assert len(audit("referrals.packet_hidden")) == 1
    assert db.session.scalar(sa.select(Notification.kind).where(
        Notification.kind == "consent_withdrawn")) == "consent_withdrawn"
    with pytest.raises(DomainError):
        services.refer(world.caseworker, person, world.service, GOOD)


def test_read_time_check_without_the_signal(world, person, sent, db):
    r = sent()
    db.session.execute(sa.update(Consent).values(withdrawn_at=sa.func.current_timestamp()))
    db.session.commit()
    assert r.packet_hidden_at is None and not packet_visible(r)


def test_accept_uses_a_slot_and_moves_the_stage(world, person, sent, db):
    person.stage = Stage.REFERRED
    db.session.commit()
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED, version=r.version)
    db.session.commit()
    assert r.status == S.ACCEPTED and r.holds_slot and r.accepted_at
    assert db.session.get(Service, world.service.id).open_slots == 1
    change = audit("referrals.status_changed")[-1]
    assert '"from_status":"sent"' in change.details and '"to_status":"accepted"' in change.details
    assert person.stage == Stage.IN_SERVICE
    assert db.session.scalar(sa.select(Notification.kind).where(
        Notification.user_id == world.caseworker.id)) == "accepted"


def test_first_sent_referral_moves_planned_to_referred(world, person, sent, db):
    person.stage = Stage.PLANNED
    db.session.commit()
    sent()
    assert person.stage == Stage.REFERRED


def test_accept_beyond_capacity_refused(world, person, sent, db):
    world.service.open_slots = 1
    db.session.commit()
    first, second = sent(), sent()
    services.respond(world.provider, first, S.ACCEPTED)
    db.session.commit()
    with pytest.raises(ConflictError):
        services.respond(world.provider, second, S.ACCEPTED)
    db.session.rollback()
    assert db.session.get(Referral, second.id).status == S.SENT
    assert db.session.get(Service, world.service.id).open_slots == 0


def test_unlimited_capacity(world, person, sent, db):
    world.service.open_slots = None
    db.session.commit()
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    assert r.status == S.ACCEPTED and db.session.get(Service, world.service.id).open_slots is None


def test_slot_released_once_at_the_end(world, sent, db):
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    services.respond(world.provider, r, S.IN_SERVICE)
    services.respond(world.provider, r, S.ON_HOLD)
    services.respond(world.provider, r, S.COMPLETED, outcome="served", note="Finished well")
    db.session.commit()
    assert db.session.get(Service, world.service.id).open_slots == 2
    assert not r.holds_slot and r.outcome_note == "Finished well"
    with pytest.raises(ConflictError):
        services.withdraw_referral(world.caseworker, r)


def test_decline_needs_a_coded_reason(world, sent, db):
    r = sent()
    with pytest.raises(DomainError) as exc:
        services.respond(world.provider, r, S.DECLINED, reason="")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        services.respond(world.provider, r, S.DECLINED, reason="other")
    assert exc.value.field == "note"
    services.respond(world.provider, r, S.DECLINED, reason="no_capacity")
    db.session.commit()
    assert r.status == S.DECLINED and r.decline_reason == "no_capacity"
    assert r.needs_acknowledgement


def test_outcome_must_fit(world, sent, db):
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    with pytest.raises(DomainError) as exc:
        services.respond(world.provider, r, S.COMPLETED, outcome="no_show")
    assert exc.value.field == "outcome"


def test_roles_cannot_make_each_others_moves(world, sent, db):
    r = sent()
    with pytest.raises(AccessDenied):
        services.respond(world.caseworker, r, S.ACCEPTED)
    with pytest.raises(AccessDenied):
        services.respond(world.other_provider, r, S.ACCEPTED)
    with pytest.raises(AccessDenied):
        services.withdraw_referral(world.provider, r)
    with pytest.raises(ConflictError):
        services.respond(world.provider, r, S.COMPLETED, outcome="served")


def test_withdraw_notifies_provider_and_frees_slot(world, sent, db):
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    services.withdraw_referral(world.caseworker, r, "Moved away", version=r.version)
    db.session.commit()
    assert r.status == S.WITHDRAWN and r.finished_at
    assert db.session.get(Service, world.service.id).open_slots == 2
    kinds = db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == world.provider.id)).all()
    assert "withdrawn" in kinds


def test_acknowledge_closes_the_loop(world, person, sent, db):
    r = sent()
    with pytest.raises(ConflictError):
        services.acknowledge_outcome(world.caseworker, r)
    services.respond(world.provider, r, S.ACCEPTED)
    services.respond(world.provider, r, S.NOT_COMPLETED, outcome="no_show")
    db.session.commit()
    services.acknowledge_outcome(world.caseworker, r, "Refer to another centre",
                                 version=r.version)
    db.session.commit()
    assert r.acknowledged_at and r.acknowledged_by_id == world.caseworker.id
    assert r.next_step == "Refer to another centre" and not r.needs_acknowledgement
    assert len(audit("referrals.acknowledged")) == 1
    assert services.referral_counts(person) == {"sent": 1, "accepted": 1, "open": 0}


def test_stale_version_is_a_conflict(world, sent, db):
    r = sent()
    old = r.version
    services.respond(world.provider, r, S.ACCEPTED, version=old)
    db.session.commit()
    with pytest.raises(ConflictError):
        services.respond(world.provider, r, S.IN_SERVICE, version=old)


def test_counts_and_timeline(world, person, sent, db):
    r = sent()
    services.respond(world.provider, r, S.DECLINED, reason="not_in_area")
    db.session.commit()
    sent()
    assert services.referral_counts(person) == {"sent": 2, "accepted": 0, "open": 1}
    events = list(services.timeline_events(person))
    assert len(events) == 5
    assert all(kind == "referral" for _, kind, *_ in events)
    assert any("Declined" in str(title) for _, _, title, *_ in events)


def test_case_panel(world, person, sent, db):
    r = sent()
    panel = services.case_referrals(person, world.caseworker)
    assert panel["can_refer"] and panel["items"] == [r] and not panel["propose_follow_up"]
    assert not services.case_referrals(person, world.colleague)["can_refer"]
    person.stage = Stage.REFERRED
    services.withdraw_referral(world.caseworker, r)
    db.session.commit()
    assert services.case_referrals(person, world.caseworker)["propose_follow_up"]


def test_event_count_matches(world, sent, db):
    r = sent()
    services.respond(world.provider, r, S.ACCEPTED)
    db.session.commit()
    assert count(db, ReferralEvent, ReferralEvent.referral_id == r.id) == 3
