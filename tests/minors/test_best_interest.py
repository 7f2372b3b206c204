"""The best-interest step: a child goes to child protection by default; elsewhere only after a
supervisor of the region signs the assessment off (icrs/approvals, kind person.best_interest)."""
import pytest
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.people import best_interest
from icrs.people.best_interest import BestInterestAssessment
from icrs.people.erasure import erase_person
from icrs.referrals.models import Referral
from icrs.referrals.services import send_referral
from tests.minors.conftest import consent


@pytest.fixture
def consented(db, child, worker):
    for category in ("vocational_training", "child_protection"):
        consent(worker, child, "caregiver", category=category)
        consent(worker, child, "child_assent", category=category)
    db.session.commit()
    return child


def _assess(worker, child, recommendation="other_services"):
    return best_interest.record_best_interest(worker, child, recommendation,
                                              "Lives with grandmother; wants to learn a trade.")


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_no_referral_to_other_services_without_sign_off(db, make, consented, worker):
    with pytest.raises(DomainError) as refused:
        make.referral(consented, make.service(category="vocational_training"), worker)
    assert refused.value.field == "service_id"


def test_child_protection_needs_no_sign_off(db, make, consented, worker):
    referral = make.referral(consented, make.service(category="child_protection"), worker)
    assert referral.status.value == "sent"


def test_sending_a_draft_is_refused_too(db, make, consented, worker, supervisor):
    assessment = _assess(worker, consented)
    approvals.approve(supervisor, assessment.approval)
    draft = make.referral(consented, make.service(category="vocational_training"), worker,
                          send=False)
    assessment.approved_at = assessment.approved_by_id = None  # as if never signed off
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        send_referral(worker, draft)
    assert refused.value.field == "service_id" and draft.status.value == "draft"


def test_allowed_after_approval(db, make, consented, worker, supervisor):
    assessment = _assess(worker, consented)
    assert assessment.approval.is_open
    with pytest.raises(DomainError):
        make.referral(consented, make.service(category="vocational_training"), worker)
    approvals.approve(supervisor, assessment.approval, "Agreed.")
    assert assessment.approved_by_id == supervisor.id
    referral = make.referral(consented, make.service(category="vocational_training"), worker)
    assert referral.status.value == "sent"
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"people.best_interest_recorded", "people.best_interest_approved"} <= actions


def test_child_protection_only_recommendation_still_refuses(db, make, consented, worker,
                                                          supervisor):
    assessment = _assess(worker, consented, "child_protection_only")
    approvals.approve(supervisor, assessment.approval)
    with pytest.raises(DomainError):
        make.referral(consented, make.service(category="vocational_training"), worker)


def test_the_requester_cannot_approve(db, consented, worker):
    assessment = _assess(worker, consented)
    with pytest.raises((ConflictError, AccessDenied)):
        approvals.approve(worker, assessment.approval)
    assert assessment.approved_at is None


def test_another_regions_supervisor_is_refused(db, consented, worker, far_supervisor):
    assessment = _assess(worker, consented)
    with pytest.raises(AccessDenied):
        approvals.approve(far_supervisor, assessment.approval)
    assert assessment.approved_at is None and assessment.approval.is_open


def test_rejection_needs_a_comment_and_keeps_the_refusal(db, make, consented, worker,
                                                       supervisor):
    assessment = _assess(worker, consented)
    with pytest.raises(DomainError):
        approvals.reject(supervisor, assessment.approval, "")
    approvals.reject(supervisor, assessment.approval, "Talk to the family first.")
    assert assessment.approval.status == ApprovalStatus.REJECTED
    assert assessment.approval.comment == "Talk to the family first."
    assert assessment.approved_at is None
    with pytest.raises(DomainError):
        make.referral(consented, make.service(category="vocational_training"), worker)
    _assess(worker, consented)  # a new assessment may be recorded after a rejection


@pytest.mark.parametrize("who", ["colleague", "supervisor"])
def test_only_the_assigned_caseworker_records(db, make, consented, supervisor, who):
    actor = make.user("caseworker") if who == "colleague" else supervisor
    with pytest.raises(AccessDenied):
        _assess(actor, consented)
    assert _count(db, BestInterestAssessment) == 0


def test_bad_input_writes_nothing(db, consented, worker):
    with pytest.raises(DomainError) as refused:
        best_interest.record_best_interest(worker, consented, "maybe", "text")
    assert refused.value.field == "recommendation"
    with pytest.raises(DomainError) as refused:
        best_interest.record_best_interest(worker, consented, "other_services", "  ")
    assert refused.value.field == "assessment"
    assert _count(db, BestInterestAssessment) == 0 and _count(db, ApprovalRequest) == 0


def test_one_waiting_at_a_time(db, consented, worker):
    _assess(worker, consented)
    with pytest.raises(DomainError):
        _assess(worker, consented)


def test_no_step_for_an_adult(db, make, adult, worker):
    with pytest.raises(AccessDenied):
        _assess(worker, adult)
    consent(worker, adult, "self")
    assert make.referral(adult, make.service(category="vocational_training"), worker)


def test_erasure_removes_the_assessments_and_closes_the_request(db, consented, worker,
                                                               supervisor):
    assessment = _assess(worker, consented)
    req = assessment.approval
    erase_person(supervisor, consented)
    assert _count(db, BestInterestAssessment) == 0
    assert req.status == ApprovalStatus.CANCELLED and req.open_key is None


def test_merge_moves_the_assessments(db, make, consented, worker, supervisor):
    from icrs.people.merge import merge_people
    from tests.minors.conftest import years_ago
    born = years_ago(15)
    other = make.person(worker, consent_to=(), birth_date=born, birth_year=born.year,
                        category="caafag", caregiver_name="Hawa Modu")
    assessment = _assess(worker, other)
    approvals.approve(supervisor, assessment.approval)
    merge_people(supervisor, consented, other)
    db.session.flush()
    assert assessment.person_id == consented.id
    assert best_interest.approved_assessment(consented) is not None
    assert _count(db, Referral) == 0
