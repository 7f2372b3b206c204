"""Approvals through their first user, erasure: the four-eyes rule, refusals that write nothing,
and what an approved erasure leaves behind."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.approvals import services
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.crypto import ERASED
from icrs.crypto.models import DataKey
from icrs.people import casework, erasure
from icrs.people.models import DuplicateDecision, FollowUp, Person
from icrs.people.states import Stage
from icrs.referrals.notifications import Notification


def _actions(db):
    return [a for (a,) in db.session.execute(sa.select(AuditEntry.action)
                                             .order_by(AuditEntry.seq))]


def _ask(db, actor, person, reason="The person asked for erasure on 2 March."):
    req = erasure.request_erasure(actor, person, reason)
    db.session.commit()
    return req


def test_request_is_encrypted_audited_and_notifies_the_approvers(db, worker, supervisor, admin,
                                                                person):
    req = _ask(db, worker, person)
    assert req.status == ApprovalStatus.REQUESTED and req.reason.startswith("The person")
    raw = db.session.execute(sa.text("SELECT reason_ct FROM approval_request")).scalar()
    assert b"erasure" not in raw
    assert "approvals.requested" in _actions(db)
    notified = set(db.session.scalars(sa.select(Notification.user_id)))
    assert notified == {supervisor.id, admin.id}


def test_requester_cannot_approve_even_as_supervisor(db, supervisor, person):
    req = _ask(db, supervisor, person)
    with pytest.raises(ConflictError):
        services.approve(supervisor, req)
    db.session.rollback()
    assert db.session.get(Person, person.id).erased_at is None


def test_caseworker_cannot_approve_and_other_region_cannot_see(db, make, worker, person):
    req = _ask(db, make.user("supervisor", region=worker.site.region), person)
    with pytest.raises(AccessDenied):
        services.approve(worker, req)
    db.session.rollback()
    stranger = make.user("supervisor", region=make.region("NW"))
    with pytest.raises(AccessDenied):
        services.approve(stranger, req)
    db.session.rollback()
    with pytest.raises(AccessDenied):
        erasure.request_erasure(stranger, person, "why")


def test_one_open_request_per_case_and_a_reason_is_required(db, worker, supervisor, person):
    with pytest.raises(DomainError) as info:
        erasure.request_erasure(worker, person, "  ")
    assert info.value.field == "reason"
    db.session.rollback()
    _ask(db, worker, person)
    with pytest.raises(ConflictError):
        erasure.request_erasure(supervisor, person, "again")


def test_reject_needs_a_comment_and_closes_the_request(db, worker, supervisor, person):
    req = _ask(db, worker, person)
    with pytest.raises(DomainError):
        services.reject(supervisor, req, "")
    db.session.rollback()
    services.reject(supervisor, req, "Not before the court's decision.")
    db.session.commit()
    assert req.status == ApprovalStatus.REJECTED and req.open_key is None
    assert db.session.get(Person, person.id).erased_at is None
    with pytest.raises(ConflictError):
        services.approve(supervisor, req)
    db.session.rollback()
    _ask(db, worker, person)  # a new request may start again


def test_only_the_requester_cancels(db, worker, supervisor, person):
    req = _ask(db, worker, person)
    with pytest.raises(ConflictError):
        services.cancel(supervisor, req)
    db.session.rollback()
    services.cancel(worker, req)
    db.session.commit()
    assert req.status == ApprovalStatus.CANCELLED


def test_database_refuses_an_approval_by_the_requester(db, worker, person):
    req = _ask(db, worker, person)
    req.status, req.decided_by_id, req.decided_at, req.open_key = \
        ApprovalStatus.APPROVED, worker.id, utcnow(), None
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_approved_erasure_destroys_and_anonymises(db, register, worker, supervisor, person):
    other = register()
    db.session.add(DuplicateDecision(person_id=other.id, candidate_id=person.id,
                                     decided_by_id=worker.id))
    follow_up = casework.schedule_follow_up(worker, person, today() + dt.timedelta(days=3),
                                            "Visit at the uncle's house")
    db.session.commit()
    number = person.case_number
    req = _ask(db, worker, person)
    services.approve(supervisor, req, "Checked the signed request.")
    db.session.commit()
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert person.erased_at is not None and person.case_number != number
    assert person.case_number.startswith("ERASED-")
    assert (person.id_number_bidx, person.phone_bidx, person.name_bidx,
            person.name_year_bidx) == (None, None, None, None)
    assert person.first_name is ERASED and person.languages == []
    assert person.sex.value == "female" and person.birth_year == 1994  # anonymous counts stay
    assert db.session.get(DataKey, person.id).is_shredded
    assert db.session.get(FollowUp, follow_up.id).done_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateDecision)) == 0
    assert req.comment is ERASED and req.reason is ERASED  # shredded with the person
    assert {"people.erased", "approvals.approved", "crypto.data_key_shredded",
            "approvals.requested"} <= set(_actions(db))
    assert not person.can_edit(worker)


def test_admin_asks_only_for_retention_candidates(db, worker, supervisor, admin, person):
    with pytest.raises(AccessDenied):
        erasure.request_erasure(admin, person, "retention")
    db.session.rollback()
    person = db.session.get(Person, person.id)
    person.stage_before, person.stage = person.stage, Stage.EXITED  # the CHECK keeps the pair
    person.stage_changed_at = utcnow() - dt.timedelta(days=6 * 366)
    db.session.commit()
    assert [p.id for p in db.session.scalars(erasure.retention_candidates(5))] == [person.id]
    assert list(db.session.scalars(erasure.retention_candidates(7))) == []
    req = _ask(db, admin, person, "Retention period ended.")
    with pytest.raises(ConflictError):
        services.approve(admin, req)
    db.session.rollback()
    services.approve(supervisor, db.session.get(ApprovalRequest, req.id))
    db.session.commit()
    assert list(db.session.scalars(erasure.retention_candidates(5))) == []
