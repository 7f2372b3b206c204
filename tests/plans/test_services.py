"""The plan's services: versions and their history, actions carried out by the person's
referral or entitlement, the person's agreement, the budget approval over the threshold."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.approvals.models import ApprovalRequest
from icrs.assistance import services as assistance
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import today
from icrs.plans import approval
from icrs.plans import services as plans
from icrs.plans.models import ActionStatus, AgreementMethod, PlanStatus
from icrs.plans.queries import current_plan, open_version, versions
from icrs.referrals.notifications import Notification
from tests.plans.conftest import action, audit_actions, plan_rows


def _agreed(worker, person, goals=("Open a workshop",), actions=(), pathway="small_business",
            method="signed", witness=None):
    version = plans.save_draft(worker, person, pathway, list(goals), list(actions))
    plans.record_agreement(worker, version, today(), method, witness)
    return version


def test_plan_with_two_actions_carried_out_by_a_referral_and_an_entitlement(
        db, worker, person, referral, entitlement, supervisor):
    version = plans.save_draft(worker, person, "small_business",
                               ["Open a tailoring workshop:\n- rent a stall\n- buy a machine",
                                "Get a birth certificate"],
                               [action("Vocational training", "referral", owner=worker.id,
                                       budget=20000, carrier=f"referral:{referral.id}"),
                                action("Start-up grant", "assistance", budget=150000,
                                       carrier=f"entitlement:{entitlement.id}")])
    plans.record_agreement(worker, version, today(), "thumbprint")
    db.session.commit()
    assert version.status == PlanStatus.AGREED and current_plan(person) == version
    assert [g.text for g in version.goals][1] == "Get a birth certificate"
    first, second = version.actions
    assert first.referral == referral and second.entitlement == entitlement
    assert first.shown_status == ActionStatus.IN_PROGRESS  # the referral is sent
    assert second.shown_status == ActionStatus.PLANNED  # proposed, not yet approved
    approvals.approve(supervisor, assistance.pending_request(entitlement))
    db.session.commit()
    assert second.shown_status == ActionStatus.IN_PROGRESS
    assert version.total_budget == 170000 and version.agreement_method.value == "thumbprint"
    raw = db.session.execute(sa.text("SELECT description_ct FROM plan_action")).scalars().all()
    assert all(b"training" not in r and b"grant" not in r for r in raw)
    assert audit_actions(db, "plans.") == ["plans.draft_saved", "plans.agreement_recorded",
                                           "plans.agreed"]


def test_an_agreed_version_never_changes_a_revision_is_a_new_draft(db, worker, person):
    first = _agreed(worker, person, ["Grow onions"])
    db.session.commit()
    draft = plans.save_draft(worker, person, "agriculture", ["Grow onions and peppers"],
                             [action()])
    db.session.commit()
    assert draft.number == 2 and draft.based_on_id == first.id and draft.is_draft
    assert current_plan(person) == first and [g.text for g in first.goals] == ["Grow onions"]
    plans.save_draft(worker, person, "agriculture", ["Peppers only"], [])  # the same draft
    plans.record_agreement(worker, draft, today(), "signed")
    db.session.commit()
    assert first.status == PlanStatus.SUPERSEDED and current_plan(person) == draft
    assert [v.number for v in versions(person)] == [2, 1]
    third = plans.save_draft(worker, person, "agriculture", ["Something else"], [])
    assert third.number == 3 and [g.text for g in draft.goals] == ["Peppers only"]


def test_the_agreement_is_recorded_with_its_method_and_witness(db, worker, person):
    version = plans.save_draft(worker, person, "livestock", ["Goats"], [])
    with pytest.raises(DomainError) as refused:
        plans.record_agreement(worker, version, today(), "verbal_witnessed")
    assert refused.value.field == "witness_name"
    with pytest.raises(DomainError) as refused:
        plans.record_agreement(worker, version, today() + dt.timedelta(days=2), "signed")
    assert refused.value.field == "agreed_on"
    with pytest.raises(DomainError) as refused:
        plans.record_agreement(worker, version, today(), "by_telepathy")
    assert refused.value.field == "method"
    plans.record_agreement(worker, version, today(), "verbal_witnessed", "Chef de quartier")
    db.session.commit()
    assert (version.agreed_on, version.agreement_method, version.witness_name) == (
        today(), AgreementMethod.VERBAL_WITNESSED, "Chef de quartier")
    assert version.agreement_recorded_by_id == worker.id and version.agreed_at is not None
    raw = db.session.execute(sa.text("SELECT witness_name_ct FROM plan_version")).scalar()
    assert b"Chef" not in raw


def _requests(db):
    return db.session.scalars(sa.select(ApprovalRequest).where(
        ApprovalRequest.kind == approval.KIND)).all()


def test_under_the_threshold_the_agreement_needs_no_approval(db, worker, person):
    version = _agreed(worker, person, actions=[action(budget=200000), action(budget=100000)])
    db.session.commit()
    assert version.total_budget == 300000 and version.status == PlanStatus.AGREED
    assert _requests(db) == []


def test_over_the_threshold_a_supervisor_approves_and_the_requester_never(
        db, app, worker, person, supervisor):
    version = _agreed(worker, person, actions=[action(budget=250000), action(budget=60000)])
    db.session.commit()
    assert version.status == PlanStatus.AWAITING_APPROVAL and current_plan(person) is None
    [req] = _requests(db)
    assert "310" in req.reason and "300" in req.reason
    assert db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "approval_requested")).all() == [supervisor.id]
    with pytest.raises(DomainError):  # waiting: it cannot be changed meanwhile
        plans.save_draft(worker, person, "small_business", ["Other"], [])
    with pytest.raises((ConflictError, AccessDenied)):
        approvals.approve(worker, req)
    approvals.approve(supervisor, req)
    db.session.commit()
    assert version.status == PlanStatus.AGREED and current_plan(person) == version
    assert "plans.agreed" in audit_actions(db, "plans.")


def test_a_rejected_budget_returns_the_plan_to_draft_with_the_comment(
        db, worker, person, supervisor):
    version = _agreed(worker, person, actions=[action(budget=400000)])
    db.session.commit()
    [req] = _requests(db)
    with pytest.raises(DomainError):
        approvals.reject(supervisor, req, "")  # a rejection says why
    approvals.reject(supervisor, req, "Get a second quote first.")
    db.session.commit()
    assert version.status == PlanStatus.DRAFT and version.agreement_method is None
    assert req.comment == "Get a second quote first."
    assert db.session.scalar(sa.select(Notification.user_id).where(
        Notification.kind == "approval_rejected")) == worker.id
    plans.save_draft(worker, person, "small_business", ["Open a workshop"],
                     [action(budget=250000)])
    plans.record_agreement(worker, version, today(), "signed")
    db.session.commit()
    assert version.status == PlanStatus.AGREED


def test_the_threshold_is_configurable(db, app, worker, person):
    app.config["ICRS_PLAN_APPROVAL_BUDGET"] = 1000
    try:
        version = _agreed(worker, person, actions=[action(budget=1001)])
    finally:
        app.config["ICRS_PLAN_APPROVAL_BUDGET"] = 300000
    assert version.status == PlanStatus.AWAITING_APPROVAL


def test_an_action_cannot_be_carried_out_by_another_persons_referral(
        db, make, worker, person):
    other = make.person(worker)
    theirs = make.referral(other, actor=worker)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "small_business", ["Goal"],
                         [action(carrier=f"referral:{theirs.id}")])
    assert refused.value.field == "actions-0-carrier"
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "small_business", ["Goal"],
                         [None, action(carrier="referral:not-a-uuid")])
    assert refused.value.field == "actions-1-carrier"
    db.session.rollback()
    assert plan_rows(db) == (0, 0, 0)


@pytest.mark.parametrize("change, field", [
    ({"budget": -5}, "budget"), ({"due_date": None}, "due_date"),
    ({"due_date": dt.date(1900, 1, 1)}, "due_date"), ({"description": "  "}, "description"),
    ({"action_type": "magic"}, "action_type"), ({"status": "lost"}, "status"),
])
def test_bad_action_values_are_refused_at_their_field(db, worker, person, change, field):
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "small_business", ["Goal"], [{**action(), **change}])
    assert refused.value.field == f"actions-0-{field}"


def test_an_owner_is_the_person_or_someone_of_the_site(db, make, worker, person):
    elsewhere = make.user("caseworker", site="BAM", region="NW")
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "small_business", ["Goal"],
                         [action(owner=elsewhere.id)])
    assert refused.value.field == "actions-0-owner"
    version = plans.save_draft(worker, person, "small_business", ["Goal"],
                               [action(owner=worker.id), action(owner="person")])
    assert [a.owner_is_person for a in version.actions] == [False, True]


def test_only_the_assigned_caseworker_prepares_the_plan(db, make, worker, person):
    colleague = make.user("caseworker", site="MER")
    for actor in (colleague, make.user("supervisor", region="EN")):
        with pytest.raises(AccessDenied):
            plans.save_draft(actor, person, "small_business", ["Goal"], [])
    version = plans.save_draft(worker, person, "small_business", ["Goal"], [])
    with pytest.raises(AccessDenied):
        plans.record_agreement(colleague, version, today(), "signed")


def test_a_pathway_and_a_goal_are_needed(db, worker, person):
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "teleportation", ["Goal"], [])
    assert refused.value.field == "pathway"
    with pytest.raises(DomainError) as refused:
        plans.save_draft(worker, person, "small_business", ["", "  "], [])
    assert refused.value.field == "goals-0-text"


def test_the_pathway_defaults_from_the_profiles_preferred_option(db, worker, person):
    from icrs.profiling.models import ProfileVersion
    db.session.add(ProfileVersion(person_id=person.id, number=1, preferred_option="livestock",
                                  submitted_by_id=worker.id))
    db.session.flush()
    assert plans.default_pathway(person) == "livestock"
    _agreed(worker, person, pathway="agriculture")
    assert plans.default_pathway(person) == "agriculture"  # the plan in force's, once agreed


def test_progress_of_the_plan_in_force_links_a_referral_made_later(
        db, worker, person, referral):
    version = _agreed(worker, person, actions=[action(kind="referral")])
    [act] = version.actions
    plans.update_progress(worker, act, "in_progress", f"referral:{referral.id}")
    db.session.commit()
    assert act.referral_id == referral.id and act.shown_status == ActionStatus.IN_PROGRESS
    assert [g.text for g in version.goals] == ["Open a workshop"]  # content untouched


def test_discarding_a_draft_keeps_the_plan_in_force(db, worker, person):
    first = _agreed(worker, person)
    draft = plans.save_draft(worker, person, "small_business", ["New"], [action()])
    plans.discard_draft(worker, draft)
    db.session.commit()
    assert open_version(person) is None and current_plan(person) == first
    with pytest.raises(DomainError):
        plans.discard_draft(worker, first)


def test_erasure_shreds_the_plan_and_closes_its_budget_request(db, worker, person, make):
    from icrs.crypto import is_erased
    from icrs.people.erasure import erase_person

    version = _agreed(worker, person, ["Secret goal"],
                      actions=[action("Secret action", budget=500000)],
                      method="verbal_witnessed", witness="Secret witness")
    db.session.commit()
    erase_person(make.user("admin"), person)
    db.session.commit()
    db.session.expire_all()
    assert version.status == PlanStatus.DRAFT and is_erased(version.goals[0])
    assert not version.goals[0].text and not version.actions[0].description
    assert [r.status.value for r in _requests(db)] == ["cancelled"]
