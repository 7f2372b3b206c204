"""Issue 22's "done when", through the pages: a plan with two actions → the referral and the
kit carried out → follow-ups at 1 and 3 months with coded outcomes → a proposal for
reintegration → the supervisor finds it in the worklist and rejects it with a comment → the
caseworker adds a follow-up → a new proposal → approval; the notifications at each step; and
the dashboard's sustainability page showing the change from the baseline.

Only what has no page of its own goes through the services: registering the person with a
complete profile (the journey starts at the plan) and the kit in the catalogue."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.assistance import catalogue
from icrs.assistance.models import Entitlement
from icrs.assistance.services import pending_request
from icrs.assistance.states import EntitlementStatus
from icrs.core.timeutil import today
from icrs.people import services as people
from icrs.people.models import ConsentMethod, ConsentPurpose, FollowUp, Person
from icrs.people.states import Stage
from icrs.plans.models import PlanStatus
from icrs.plans.queries import current_plan, open_version
from icrs.profiling import services as profiling
from icrs.profiling.queries import get_draft
from icrs.referrals.models import Referral
from icrs.referrals.notifications import Notification
from icrs.referrals.states import ReferralStatus
from tests.dashboard.cells import has_cell
from tests.profiling.conftest import COMPLETE

DAY = dt.timedelta(days=1)
# visits: the 1-month one middling, the 3-month one better, the one added after the rejection
# the best on every item (overall 1.0)
VISITS = {
    1: {"visit_type": "home", "activity": "training", "income_band": "lt25k",
        "business_running": "yes", "housing": "temporary", "family_acceptance": "3",
        "community_acceptance": "2", "safety": "some", "who5_cheerful": "3", "who5_calm": "2",
        "who5_active": "2", "who5_rested": "3", "who5_interest": "2"},
    3: {"visit_type": "phone", "activity": "own_business", "income_band": "25k_50k",
        "business_running": "yes", "housing": "stable", "family_acceptance": "4",
        "community_acceptance": "3", "safety": "none", "who5_cheerful": "4", "who5_calm": "3",
        "who5_active": "4", "who5_rested": "3", "who5_interest": "4"},
    "added": {"visit_type": "centre", "activity": "own_business", "income_band": "gt100k",
              "business_running": "yes", "housing": "stable", "family_acceptance": "4",
              "community_acceptance": "4", "safety": "none",
              **{f"who5_{n}": "5" for n in ("cheerful", "calm", "active", "rested",
                                            "interest")}},
}


@pytest.fixture
def cast(make, db):
    org = make.organisation("Centre de Formation aux Métiers de Maroua")
    users = {"worker": make.user("caseworker", site="MER", locale="en"),
             "supervisor": make.user("supervisor", region="EN", locale="en"),
             "provider": make.user("provider", organisation=org, locale="en"),
             "monitoring": make.user("monitoring", locale="en")}
    users["service"] = make.service(org, "Tailoring apprenticeship")
    admin = make.user("admin", locale="en")
    source = catalogue.create_funding_source(admin, "iom_cm", "DDR", "IOM", "Lake Chad 2025")
    users["kit"] = catalogue.create_type(admin, "tailoring_kit", {
        "kind": "kit", "name_fr": "Kit de couture", "name_en": "Tailoring kit",
        "unit_value": 90000, "currency": "XAF", "funding_source_id": source.id,
        "items": "1 | Machine à coudre | Sewing machine\n5 | Coupon de tissu | Fabric length"})
    db.session.commit()
    return users


@pytest.fixture
def person(make, db, cast):
    """Registered four months ago with a complete first profile (the baseline: economic 0.6,
    social 7/18, no psychosocial; overall 0.4944…)."""
    worker = cast["worker"]
    person = make.person(worker)
    person.registered_at -= dt.timedelta(days=120)
    for purpose in (ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE):
        people.record_consent(worker, person, purpose, ConsentMethod.SIGNED)
    for code, answers in COMPLETE.items():
        draft = get_draft(person)
        profiling.save_section(worker, person, code, answers, draft.version if draft else 0)
    profiling.submit_profile(worker, person, get_draft(person).version)
    db.session.commit()
    assert person.stage == Stage.PROFILED
    return person


def _as(client, login_as, user):
    client.post("/logout")
    login_as(user)


def _errors(response):
    """The page's messages, to say why a step was refused."""
    text = response.get_data(as_text=True)
    return re.findall(r'class="(?:error|flash[^"]*)"[^>]*>(.*?)<', text) or text[-2000:]


def _ok(response, status=302):
    assert response.status_code == status, _errors(response)
    return response


def _html(client, url, **kw):
    return _ok(client.get(url, **kw), 200).get_data(as_text=True)


def _notes(db, user, kind):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind))


def _fresh(db, model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def _plan(client, person):
    due = (today() + 30 * DAY).isoformat()
    rows = [("Tailoring apprenticeship", "referral"), ("Tailoring kit", "assistance"), ("", "")]
    data = {"pathway": "small_business", "goals-0-text": "Open a tailoring shop in Mora",
            "goals-1-text": ""}
    for i, (text, kind) in enumerate(rows):
        data.update({f"actions-{i}-description": text, f"actions-{i}-action_type": kind,
                     f"actions-{i}-owner": "person", f"actions-{i}-due_date": due if text else "",
                     f"actions-{i}-budget": "", f"actions-{i}-status": "planned",
                     f"actions-{i}-carrier": ""})
    _ok(client.post(f"/people/{person.id}/plan/edit", data=data))
    draft = open_version(person)
    _ok(client.post(f"/people/{person.id}/plan/agreement", data={
        "version_id": str(draft.id), "agreed_on": today().isoformat(), "method": "signed"}))


def _link(client, action, carrier):
    _ok(client.post(f"/plan-actions/{action.id}/progress", data={
        f"p-{action.id.hex[:8]}-status": "in_progress",
        f"p-{action.id.hex[:8]}-carrier": carrier}))


def _provider_completes(client, db, referral):
    _ok(client.post(f"/referrals/received/{referral.id}/accept",
                    data={"acc-version": referral.version}))
    referral = _fresh(db, Referral, referral.id)
    _ok(client.post(f"/referrals/received/{referral.id}/progress",
                    data={"prog-version": referral.version, "prog-target": "in_service"}))
    referral = _fresh(db, Referral, referral.id)
    _ok(client.post(f"/referrals/received/{referral.id}/outcome",
                    data={"out-version": referral.version, "out-target": "completed",
                          "out-outcome": "served", "out-note": "Certificate given"}))


def _hand_over(client, entitlement):
    prefix = f"ho-{entitlement.id.hex[:8]}"
    data = {"handed_on": today().isoformat(), "site_id": str(entitlement.person.site_id),
            "value": str(entitlement.amount), "receipt_method": "thumbprint",
            "witness_name": "Aissatou Mal", "row_version": str(entitlement.version),
            **{f"item-{item.id}": str(item.quantity)
               for item in entitlement.assistance_type.items}}  # the whole kit
    _ok(client.post(f"/assistance/entitlements/{entitlement.id}/handovers",
                    data={f"{prefix}-{k}": v for k, v in data.items()},
                    content_type="multipart/form-data"))


def _visit(client, person, follow_up, codes, day):
    data = {f"visit-{k}": v for k, v in {**codes, "visit_date": day.isoformat()}.items()}
    _ok(client.post(f"/people/{person.id}/follow-ups/{follow_up.id}/done", data=data))


def _ask(client, person, reason):
    _ok(client.post(f"/people/{person.id}/approval-request",
                    data={"ask-kind": "person.reintegration", "ask-reason": reason}))


def _decide(client, req, verb, comment=""):
    _ok(client.post(f"/approvals/{req.id}/{verb}",
                    data={"comment": comment, "row_version": str(req.version), "back": "case"}))


def _open_request(db):
    return db.session.scalar(sa.select(ApprovalRequest).where(
        ApprovalRequest.kind == "person.reintegration",
        ApprovalRequest.status == ApprovalStatus.REQUESTED))


def test_plan_to_reintegration_with_the_score_on_the_dashboard(client, login_as, db, cast,
                                                               person):
    worker, supervisor, provider = cast["worker"], cast["supervisor"], cast["provider"]
    login_as(worker)

    # a plan with two actions, agreed: the case is planned
    _plan(client, person)
    plan = current_plan(person)
    assert plan.status == PlanStatus.AGREED and len(plan.actions) == 2
    assert _fresh(db, Person, person.id).stage == Stage.PLANNED

    # the referral, and the kit proposed then approved by the supervisor (who is told)
    _ok(client.post(f"/referrals/new/{person.id}", data={
        "service_id": str(cast["service"].id), "priority": "normal",
        "reason": "Wants to train as a tailor", "needs": "", "complete_by": "",
        "share": ["first_name", "age_band"]}))
    referral = db.session.scalar(sa.select(Referral))
    assert referral.status == ReferralStatus.SENT
    _ok(client.post(f"/assistance/people/{person.id}/entitlements", data={
        "ent-assistance_type_id": str(cast["kit"].id), "ent-amount": "90000",
        "ent-justification": "Sewing machine for the shop."}))
    entitlement = db.session.scalar(sa.select(Entitlement))
    assert _notes(db, supervisor, "approval_requested") == 1
    _as(client, login_as, supervisor)
    _decide(client, pending_request(entitlement), "approve")
    assert _fresh(db, Entitlement, entitlement.id).status == EntitlementStatus.APPROVED
    assert _notes(db, worker, "approval_approved") == 1

    # the caseworker links both to the plan's actions
    _as(client, login_as, worker)
    actions = current_plan(person).actions
    _link(client, actions[0], f"referral:{referral.id}")
    _link(client, actions[1], f"entitlement:{entitlement.id}")

    # carried out: the provider completes the referral (follow-ups at 1, 3, 6 and 12 months
    # are scheduled), the caseworker hands the kit over
    _as(client, login_as, provider)
    _provider_completes(client, db, _fresh(db, Referral, referral.id))
    assert _fresh(db, Referral, referral.id).status == ReferralStatus.COMPLETED
    scheduled = db.session.scalars(sa.select(FollowUp).where(FollowUp.person_id == person.id)
                                   .order_by(FollowUp.offset_months)).all()
    assert [f.offset_months for f in scheduled] == [1, 3, 6, 12]
    _as(client, login_as, worker)
    _hand_over(client, _fresh(db, Entitlement, entitlement.id))
    assert _fresh(db, Entitlement, entitlement.id).status == EntitlementStatus.DISBURSED
    assert [a.shown_status.value for a in current_plan(person).actions] == ["done", "done"]

    # follow-up stage, then the visits at 1 and 3 months with coded outcomes
    _ok(client.post(f"/people/{person.id}/stage", data={"stage-target": "follow_up"}))
    assert _fresh(db, Person, person.id).stage == Stage.FOLLOW_UP
    _visit(client, person, scheduled[0], VISITS[1], today() - 40 * DAY)
    _visit(client, person, scheduled[1], VISITS[3], today() - 10 * DAY)

    # the proposal: the region's supervisor is told and finds it in the worklist; the
    # follow-ups due in 6 and 12 months do not stand in the way
    before = _notes(db, supervisor, "approval_requested")
    _ask(client, person, "Shop open, family supportive.")
    assert _notes(db, supervisor, "approval_requested") == before + 1
    _as(client, login_as, supervisor)
    worklist = _html(client, "/approvals/")
    assert person.case_number in worklist and "Reintegration" in worklist
    _decide(client, _open_request(db), "reject", "Visit the family once more.")
    assert _fresh(db, Person, person.id).stage == Stage.FOLLOW_UP
    assert _notes(db, worker, "approval_rejected") == 1

    # the caseworker reads the comment, adds a follow-up and records it, asks again
    _as(client, login_as, worker)
    assert "Visit the family once more." in _html(client, f"/people/{person.id}")
    assert f"Your request about case {person.case_number} was rejected" in _html(
        client, "/referrals/notifications")
    _ok(client.post(f"/people/{person.id}/follow-ups",
                    data={"fu-due_date": today().isoformat(), "fu-purpose": "Family visit"}))
    added = db.session.scalar(sa.select(FollowUp).where(
        FollowUp.person_id == person.id, FollowUp.source_kind.is_(None)))
    _visit(client, person, added, VISITS["added"], today())
    _ask(client, person, "Family visited: they support her.")
    assert _notes(db, supervisor, "approval_requested") == before + 2

    # approval: the case is reintegrated, the caseworker told (once per decision)
    _as(client, login_as, supervisor)
    approval_page = _html(client, f"/people/{person.id}")
    assert "Family visited" in approval_page
    _decide(client, _open_request(db), "approve")
    assert _fresh(db, Person, person.id).stage == Stage.REINTEGRATED
    assert _notes(db, worker, "approval_approved") == 2  # the kit's, then this one
    assert _notes(db, worker, "approval_rejected") == 1

    # the dashboard: the supervisor (figures unsuppressed) sees the change from the baseline:
    # latest 1.0 − baseline 0.4944… = +50.6 points (economic 1 − 0.6, social 1 − 7/18)
    page = _html(client, "/dashboard/sustainability")
    assert "Change from the baseline" in page
    assert has_cell(page, "+50.6") and has_cell(page, "+40.0") and has_cell(page, "+61.1")
    by_pathway = _html(client, "/dashboard/sustainability", query_string={"by": "pathway"})
    assert "Small business" in by_pathway and has_cell(by_pathway, "+50.6")

    # the M&E reader sees it suppressed: one person is behind it
    _as(client, login_as, cast["monitoring"])
    shared = _html(client, "/dashboard/sustainability")
    assert "50.6" not in shared and has_cell(shared, "&lt;5")
