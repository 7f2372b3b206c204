"""The best-interest step of a child's case: the assigned caseworker records an assessment, a
supervisor of the region signs it off through the one approval mechanism (icrs/approvals, kind
"person.best_interest"). Until one is approved, a child is referred to child-protection
services only (the default pathway); referrals asks `require_best_interest`."""
import uuid

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.approvals import kinds
from icrs.approvals import services as approvals
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.enums import LabelledEnum, enum_column, with_labels
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.directory.taxonomy import CHILD_PROTECTION
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import Person

KIND = "person.best_interest"
MAX_TEXT = 2000  # the text is also the approval request's reason (icrs.approvals: 2,000)


class Recommendation(LabelledEnum):
    OTHER_SERVICES = "other_services"
    CHILD_PROTECTION_ONLY = "child_protection_only"


with_labels(Recommendation, {
    "other_services": _l("Referral to other services is in the child's best interest"),
    "child_protection_only": _l("Child-protection services only, for now"),
})


class BestInterestAssessment(db.Model):
    __tablename__ = "best_interest_assessment"
    __crypto_owner__ = "person_id"
    __table_args__ = (sa.CheckConstraint("(approved_at IS NULL) = (approved_by_id IS NULL)",
                                         name="best_interest_approved_with_approver"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    recommendation: Mapped[Recommendation] = mapped_column(enum_column(Recommendation),
                                                           nullable=False)
    assessment = encrypted_column(str)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    recorded_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_at = mapped_column(sa.DateTime)

    person = relationship("Person")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def approval(self):
        """The latest approval request about this assessment (open or decided)."""
        return db.session.scalar(sa.select(ApprovalRequest).where(
            ApprovalRequest.kind == KIND, ApprovalRequest.subject_id == str(self.id))
            .order_by(ApprovalRequest.requested_at.desc()).limit(1))


# --- the rule referrals ask -----------------------------------------------------------------------
def approved_assessment(person):
    """The latest signed-off assessment of the person, or None."""
    return db.session.scalar(sa.select(BestInterestAssessment).where(
        BestInterestAssessment.person_id == person.id,
        BestInterestAssessment.approved_at.is_not(None))
        .order_by(BestInterestAssessment.approved_at.desc()).limit(1))


def allows_other_services(person) -> bool:
    approved = approved_assessment(person)
    return approved is not None and approved.recommendation == Recommendation.OTHER_SERVICES


def require_best_interest(person, category_code):
    """A child goes to a service outside child protection only after a signed-off
    best-interest assessment recommending it (message at the service field)."""
    if not person.is_minor or category_code == CHILD_PROTECTION:
        return
    approved = approved_assessment(person)
    if approved is None:
        raise DomainError(_l("This is a child: before a referral to a service outside child "
                             "protection, a best-interest assessment must be signed off by a "
                             "supervisor. Refer to a child-protection service, or record the "
                             "assessment on the case page."), "service_id")
    if approved.recommendation != Recommendation.OTHER_SERVICES:
        raise DomainError(_l("The signed-off best-interest assessment recommends "
                             "child-protection services only."), "service_id")


# --- who may ask, who may decide ------------------------------------------------------------------
def can_record(user, person) -> bool:
    return person.is_minor and person.can_edit(user)


def _can_request(user, assessment) -> bool:
    return assessment.approved_at is None and can_record(user, assessment.person)


def _can_approve(user, assessment) -> bool:
    """A supervisor of the child's region (the requester never: the approvals' rule)."""
    person = assessment.person
    return not person.is_erased and person.can_supervise(user)


def _decidable_by(user):
    if user.role != Role.SUPERVISOR:
        return sa.false()
    return ApprovalRequest.person_id.in_(sa.select(Person.id).where(user.scope.clause(Person)))


def _approvers(assessment):
    person = assessment.person
    return db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role == Role.SUPERVISOR, User.site_id.is_(None),
        sa.or_(User.region_id == person.region_id, User.region_id.is_(None)))).all()


def _load(subject_id):
    try:
        return db.session.get(BestInterestAssessment, uuid.UUID(str(subject_id)))
    except ValueError:
        return None


def _subject_url(assessment, user):
    person = assessment.person
    return url_for("people.detail", person_id=person.id) \
        if not person.is_erased and person.can_view(user) else None


def _on_approved(request, assessment, actor):
    assessment.approved_at, assessment.approved_by_id = utcnow(), actor.id
    record("people.best_interest_approved", actor=actor, obj=assessment.person,
           assessment=str(assessment.id), recommendation=assessment.recommendation.value)


# --- recording ------------------------------------------------------------------------------------
def record_best_interest(actor, person, recommendation, text) -> BestInterestAssessment:
    """Record the assessment and ask a supervisor of the region to sign it off."""
    if not can_record(actor, person):
        raise AccessDenied(_l("Only the assigned caseworker of a child records a best-interest "
                              "assessment."))
    try:
        recommendation = Recommendation(recommendation)
    except ValueError:
        raise DomainError(_l("Choose a recommendation."), "recommendation") from None
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("This field is required."), "assessment")
    if len(text) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), "assessment")
    if pending_assessment(person) is not None:
        raise DomainError(_l("An assessment is already waiting for sign-off."), "assessment")
    assessment = BestInterestAssessment(person_id=person.id, recommendation=recommendation,
                                        recorded_by_id=actor.id)
    db.session.add(assessment)
    assessment.assessment = text
    db.session.flush()
    record("people.best_interest_recorded", actor=actor, obj=person,
           assessment=str(assessment.id), recommendation=recommendation.value)
    approvals.request_approval(actor, KIND, assessment, person.id, text)
    return assessment


def pending_assessment(person):
    """The assessment waiting for sign-off, if any (a child has a few assessments at most)."""
    return next((a for a in assessments(person) if a.approval is not None and a.approval.is_open),
                None)


def assessments(person):
    return db.session.scalars(sa.select(BestInterestAssessment).where(
        BestInterestAssessment.person_id == person.id)
        .order_by(BestInterestAssessment.recorded_at.desc())).all()


KINDS = kinds.register(kinds.ApprovalKind(
    code=KIND, label=_l("Best-interest assessment of a child"), subject_type="best_interest",
    load=_load, can_request=_can_request, can_approve=_can_approve,
    decidable_by=_decidable_by, on_approved=_on_approved,
    subject_label=lambda a: a.person.case_number, subject_url=_subject_url,
    approvers=_approvers))


# --- answers to the people domain's signals -------------------------------------------------------
@signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """The rows go with the person (the data key is shredded right after); a sign-off still
    waiting is closed, since there is nothing left to decide."""
    for req in db.session.scalars(sa.select(ApprovalRequest).where(
            ApprovalRequest.kind == KIND, ApprovalRequest.person_id == person.id,
            ApprovalRequest.open_key.is_not(None))):
        req.status, req.decided_at, req.open_key = ApprovalStatus.CANCELLED, utcnow(), None
        req.decided_by_id = getattr(actor, "id", None)
    db.session.execute(sa.delete(BestInterestAssessment).where(
        BestInterestAssessment.person_id == person.id))


@signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    return {_l("Best-interest assessments"): db.session.scalar(
        sa.select(sa.func.count()).select_from(BestInterestAssessment).where(
            BestInterestAssessment.person_id == merged.id))}


@signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    """The assessments follow the case (re-encrypted under the survivor's key at flush)."""
    for assessment in db.session.scalars(sa.select(BestInterestAssessment).where(
            BestInterestAssessment.person_id == merged.id)):
        assessment.person_id = survivor.id
