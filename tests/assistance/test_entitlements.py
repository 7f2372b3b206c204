"""Entitlements: proposed by the assigned caseworker, approved by a supervisor of the area
through the approvals, never by the proposer; caps, eligibility and likely duplicates at any
site refuse the approval with a message, nothing written."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.assistance import catalogue, services
from icrs.assistance.models import Entitlement
from icrs.assistance.states import EntitlementStatus as S
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import today
from icrs.people.models import DuplicateDecision


def _fresh(db, entitlement):
    db.session.expire_all()
    return db.session.get(Entitlement, entitlement.id)


def test_caseworker_proposes_supervisor_approves_through_the_worklist(
        client, login_as, db, worker, supervisor, person, grant):
    login_as(worker)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Propose assistance" in page and "Start-up grant" in page
    response = client.post(f"/assistance/people/{person.id}/entitlements",
                           data={"ent-assistance_type_id": str(grant.id), "ent-amount": "100000",
                                 "ent-justification": "Tools for his repair workshop."})
    assert response.status_code == 302
    entitlement = db.session.scalar(sa.select(Entitlement))
    assert entitlement.status == S.REQUESTED and entitlement.plan_id is not None
    assert entitlement.justification == "Tools for his repair workshop."
    client.post("/logout")

    login_as(supervisor)
    worklist = client.get("/approvals/").get_data(as_text=True)
    assert person.case_number in worklist and "Reintegration assistance" in worklist
    req = services.pending_request(entitlement)
    response = client.post(f"/approvals/{req.id}/approve",
                           data={"comment": "", "row_version": str(req.version)})
    assert response.status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.APPROVED and entitlement.approved_by_id == supervisor.id
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Approved" in case and "100,000 XAF" in case


def test_proposer_never_approves_and_caseworker_cannot_decide(client, login_as, db, worker,
                                                              person, grant, propose):
    entitlement = propose(person, grant)
    req = services.pending_request(entitlement)
    with pytest.raises(ConflictError):
        approvals.approve(worker, req)
    db.session.rollback()
    login_as(worker)
    assert client.post(f"/approvals/{req.id}/approve",
                       data={"row_version": str(req.version)}).status_code == 403
    assert _fresh(db, entitlement).status == S.REQUESTED


def test_supervisor_of_another_region_is_refused(client, login_as, db, make, person, grant,
                                                 propose):
    other = make.user("supervisor", region="NO", locale="en")
    entitlement = propose(person, grant)
    req = services.pending_request(entitlement)
    with pytest.raises(AccessDenied):
        approvals.approve(other, req)
    db.session.rollback()
    login_as(other)
    assert person.case_number not in client.get("/approvals/").get_data(as_text=True)
    assert client.post(f"/approvals/{req.id}/approve",
                       data={"row_version": str(req.version)}).status_code == 404
    assert _fresh(db, entitlement).status == S.REQUESTED


def test_reject_with_comment_then_resubmit(client, login_as, db, worker, supervisor, person,
                                           grant, propose, approve):
    entitlement = propose(person, grant)
    approvals.reject(supervisor, services.pending_request(entitlement), "Too much for now.")
    db.session.commit()
    assert _fresh(db, entitlement).status == S.REJECTED
    login_as(worker)
    entitlement = _fresh(db, entitlement)
    prefix = f"re-{entitlement.id.hex[:8]}"
    response = client.post(f"/assistance/entitlements/{entitlement.id}/resubmit",
                           data={f"{prefix}-amount": "75000",
                                 f"{prefix}-justification": "Smaller start, as advised.",
                                 f"{prefix}-row_version": str(entitlement.version)})
    assert response.status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.REQUESTED and entitlement.amount == 75000
    approve(entitlement, supervisor)
    assert _fresh(db, entitlement).status == S.APPROVED


def test_cap_per_person_refuses_approval(db, supervisor, person, grant, propose, approve):
    approve(propose(person, grant, 100000), supervisor)
    second = propose(person, grant, 60000)
    with pytest.raises(DomainError, match="cap per person"):
        approvals.approve(supervisor, services.pending_request(second))
    db.session.rollback()
    assert _fresh(db, second).status == S.REQUESTED
    assert db.session.get(ApprovalRequest, services.pending_request(second).id).status == \
        ApprovalStatus.REQUESTED


def test_cap_per_period_refuses_approval(db, admin, supervisor, person, make_type, propose,
                                         approve):
    catalogue.create_period(admin, "Phase 1", today() - dt.timedelta(days=30),
                            today() + dt.timedelta(days=30))
    db.session.commit()
    kind = make_type(cap_per_period=100000)
    approve(propose(person, kind, 80000), supervisor)
    second = propose(person, kind, 30000)
    assert second.period_id is not None
    with pytest.raises(DomainError, match="programme period"):
        approvals.approve(supervisor, services.pending_request(second))
    db.session.rollback()
    assert _fresh(db, second).status == S.REQUESTED


def test_cap_per_household_counts_the_other_members(db, worker, supervisor, register, make_type,
                                                    propose, approve):
    from icrs.households import services as households

    kind = make_type(cap_per_household=150000)
    mother = register(first_name="Hawa", last_name="Modu", sex="female",
                      category="adult_woman", birth_year=1988, birth_date=dt.date(1988, 5, 1))
    son = register(first_name="Ali", last_name="Modu", birth_year=2004,
                   birth_date=dt.date(2004, 7, 9))
    neighbour = register(first_name="Oumarou", last_name="Tchari", birth_year=1975,
                         birth_date=dt.date(1975, 1, 20))
    households.create_household(worker, mother)
    households.add_registered_member(worker, mother, son.case_number, "child", True)
    db.session.commit()
    approve(propose(mother, kind, 100000), supervisor)
    second = propose(son, kind, 60000)
    with pytest.raises(DomainError, match="cap per household"):
        approvals.approve(supervisor, services.pending_request(second))
    db.session.rollback()
    assert _fresh(db, second).status == S.REQUESTED
    approve(propose(neighbour, kind, 60000), supervisor)  # not of the household: no cap shared


def test_period_cap_needs_a_period(db, person, make_type, propose):
    kind = make_type(cap_per_period=100000)
    with pytest.raises(DomainError, match="No programme period"):
        propose(person, kind)


def test_approval_refusal_shows_the_message(client, login_as, db, supervisor, person, grant,
                                            propose, approve):
    approve(propose(person, grant, 100000), supervisor)
    second = propose(person, grant, 60000)
    login_as(supervisor)
    req = services.pending_request(second)
    response = client.post(f"/approvals/{req.id}/approve",
                           data={"comment": "", "row_version": str(req.version)})
    assert response.status_code == 400 and "cap per person" in response.get_data(as_text=True)
    assert _fresh(db, second).status == S.REQUESTED


def test_likely_duplicate_at_another_site_blocks_until_resolved(
        client, login_as, db, make, worker, supervisor, register, grant, propose, approve):
    first = register(id_number="CNI-DOUBLE-1", first_name="Ibrahim", last_name="Goni")
    approve(propose(first, grant), supervisor)
    other_worker = make.user("caseworker", site=make.site("BDA", region="NO"), locale="en")
    other_supervisor = make.user("supervisor", region="NO", locale="en")
    second = register(actor=other_worker, id_number="CNI-DOUBLE-1", first_name="Ibrahim",
                      last_name="Goni")
    entitlement = propose(second, grant, actor=other_worker)
    with pytest.raises(DomainError, match="may be the same person"):
        approvals.approve(other_supervisor, services.pending_request(entitlement))
    db.session.rollback()
    assert _fresh(db, entitlement).status == S.REQUESTED

    login_as(other_supervisor)
    page = client.get(f"/people/{second.id}").get_data(as_text=True)
    assert "Possible double entitlement" in page and first.case_number not in page
    response = client.post(f"/assistance/entitlements/{entitlement.id}/duplicates",
                           data={"dup-shown": "1"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(DuplicateDecision.candidate_id)) == first.id
    req = services.pending_request(entitlement)
    assert client.post(f"/approvals/{req.id}/approve",
                       data={"row_version": str(req.version)}).status_code == 302
    assert _fresh(db, entitlement).status == S.APPROVED


def test_caseworker_cannot_resolve_duplicates(client, login_as, db, worker, person, grant,
                                              propose):
    entitlement = propose(person, grant)
    login_as(worker)
    assert client.post(f"/assistance/entitlements/{entitlement.id}/duplicates",
                       data={"dup-shown": "1"}).status_code == 403


@pytest.mark.parametrize("eligibility, message", [
    ({"eligible_categories": ["adult_woman"]}, "category"),
    ({"eligible_regions": [-1]}, "region"),
    ({"eligible_pathways": ["agriculture"]}, "pathways"),
])
def test_ineligible_person_is_refused(client, login_as, db, worker, person, make_type,
                                      eligibility, message):
    if eligibility.get("eligible_regions"):
        from tests.factories import Factory
        eligibility = {"eligible_regions": [Factory("x").region("NO").id]}
        db.session.commit()
    kind = make_type(**eligibility)
    login_as(worker)
    response = client.post(f"/assistance/people/{person.id}/entitlements",
                           data={"ent-assistance_type_id": str(kind.id), "ent-amount": "1000",
                                 "ent-justification": "Needs it."})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Entitlement)) == 0


@pytest.mark.parametrize("amount, message", [
    ("abc", "Not a valid integer"), ("-5", "above zero"), ("150001", "At most"),
])
def test_bad_amount_is_refused_at_the_field(client, login_as, db, worker, person, grant,
                                            amount, message):
    login_as(worker)
    response = client.post(f"/assistance/people/{person.id}/entitlements",
                           data={"ent-assistance_type_id": str(grant.id), "ent-amount": amount,
                                 "ent-justification": "Needs it."})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="ent-amount-err"' in body and message in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Entitlement)) == 0


def test_only_the_assigned_caseworker_proposes(client, login_as, db, make, person, grant):
    colleague = make.user("caseworker", site="MER", locale="en")
    login_as(colleague)
    response = client.post(f"/assistance/people/{person.id}/entitlements",
                           data={"ent-assistance_type_id": str(grant.id), "ent-amount": "1000",
                                 "ent-justification": "Needs it."})
    assert response.status_code == 403
