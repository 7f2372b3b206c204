"""Erasure of a person (right to erasure, end of retention): asked for with a reason, approved by a
second person (icrs/approvals), then done in one transaction. The row stays, anonymous, so the
dashboard's totals do not change; everything that could identify the person goes.

What erasure does (the approver's transaction):
- the domains that hold the person's data are told (signal `person_erasing`): referrals are
  withdrawn, the profile's plain coded answers cleared;
- open follow-ups are closed, duplicate decisions deleted, the blind indexes (the name keys too)
  and the plain person-specific columns cleared, the case number replaced;
- the data key is destroyed (crypto-shredding: every encrypted field is gone for good);
- `erased_at` is set and the erasure is audited.
Kept, for anonymous counts: sex, birth year, category, region, site, stage and its history,
registration and consent dates, caseworker (caseload).
"""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from icrs.approvals import kinds
from icrs.approvals import services as approvals
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import ConflictError
from icrs.core.timeutil import utcnow
from icrs.crypto import shred
from icrs.extensions import db
from icrs.people import signals
from icrs.people.follow_ups import clear_visit_codes
from icrs.people.models import DuplicateDecision, FollowUp, Person, PersonNameKey
from icrs.people.states import Stage

KIND = "person.erasure"
RETAINED_STAGES = (Stage.EXITED, Stage.REINTEGRATED)
BLIND_INDEXES = ("id_number_bidx", "phone_bidx", "name_bidx", "name_year_bidx")


# --- who may ask, who may decide ----------------------------------------------------------------
def can_request(user, person) -> bool:
    """The assigned caseworker, a supervisor of the case's region, or an administrator for a
    case past its retention period."""
    if person is None or person.is_erased:
        return False
    if user.role == Role.ADMIN:
        return user.can("people.erase") and is_retention_candidate(person)
    return person.can_edit(user) or person.can_supervise(user)


def can_approve(user, person) -> bool:
    """A supervisor of the case's region or an administrator (never the requester: the
    approvals' state machine says so)."""
    if person is None or person.is_erased:
        return False
    return person.can_supervise(user) or user.can("people.erase")


def _decidable_by(user):
    from icrs.approvals.models import ApprovalRequest

    if user.can("people.erase"):
        return sa.true()
    if user.role != Role.SUPERVISOR:
        return sa.false()
    return ApprovalRequest.person_id.in_(sa.select(Person.id).where(user.scope.clause(Person)))


def _approvers(person):
    """Supervisors of the region (and national ones) and administrators, for the notification."""
    return db.session.scalars(sa.select(User).where(User.active.is_(True), sa.or_(
        User.role == Role.ADMIN,
        sa.and_(User.role == Role.SUPERVISOR,
                sa.or_(User.region_id == person.region_id, User.region_id.is_(None)),
                User.site_id.is_(None))))).all()


def _load(subject_id):
    try:
        return db.session.get(Person, uuid.UUID(str(subject_id)))
    except ValueError:
        return None


def _subject_url(person, user):
    return url_for("people.detail", person_id=person.id) \
        if not person.is_erased and person.can_view(user) else None


# --- asking ---------------------------------------------------------------------------------------
def request_erasure(actor, person, reason):
    """Ask for the erasure of `person` (ApprovalRequest); nothing is erased until approved."""
    return approvals.request_approval(actor, KIND, person, person.id, reason)


def pending_request(person):
    return approvals.open_request(KIND, person.id)


# --- doing ----------------------------------------------------------------------------------------
def erase_person(actor, person, request=None):
    """Erase now (the approval's action). Flushes; the caller commits once."""
    if person.is_erased:
        raise ConflictError(_l("This case is already erased."))
    now = utcnow()
    signals.person_erasing.send(person, actor=actor)
    for follow_up in db.session.scalars(sa.select(FollowUp).where(
            FollowUp.person_id == person.id, FollowUp.done_at.is_(None))):
        follow_up.done_at, follow_up.done_by_id = now, actor.id
    clear_visit_codes(person)
    db.session.execute(sa.delete(DuplicateDecision).where(sa.or_(
        DuplicateDecision.person_id == person.id, DuplicateDecision.candidate_id == person.id)))
    db.session.execute(sa.delete(PersonNameKey).where(PersonNameKey.person_id == person.id))
    for name in BLIND_INDEXES:
        setattr(person, name, None)
    person.case_number = erased_case_number(person)
    person.languages, person.birth_date_estimated = [], False
    person.erased_at = now
    shred(person.id, actor)
    record("people.erased", actor=actor, obj=person,
           request=str(request.id) if request is not None else None,
           requested_by=request.requested_by_id if request is not None else None)
    db.session.flush()


def erased_case_number(person) -> str:
    """Unique, and tells nothing (the readable number gave site, year and order)."""
    return f"ERASED-{person.id.hex[:16].upper()}"


def _on_approved(request, person, actor):
    erase_person(actor, person, request)


# --- retention ------------------------------------------------------------------------------------
def retention_years() -> int:
    return int(current_app.config["ICRS_RETENTION_YEARS"])


def retention_cutoff(years=None, now=None) -> dt.datetime:
    years = retention_years() if years is None else years
    now = now or utcnow()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def retention_candidates(years=None, now=None):
    """Cases exited or reintegrated more than `years` ago, not erased: SELECT, oldest first."""
    return (sa.select(Person).where(Person.erased_at.is_(None),
                                    Person.stage.in_(RETAINED_STAGES),
                                    Person.stage_changed_at < retention_cutoff(years, now))
            .order_by(Person.stage_changed_at, Person.case_number))


def is_retention_candidate(person, years=None) -> bool:
    return (person.erased_at is None and person.stage in RETAINED_STAGES
            and person.stage_changed_at < retention_cutoff(years))


KINDS = kinds.register(kinds.ApprovalKind(
    code=KIND, label=_l("Erasure of a case"), subject_type="person", load=_load,
    can_request=can_request, can_approve=can_approve, decidable_by=_decidable_by,
    on_approved=_on_approved, subject_label=lambda p: p.case_number,
    subject_url=_subject_url, approvers=_approvers))
