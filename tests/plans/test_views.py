"""The plan's pages: each role's access, the draft's form (rows, messages at the fields,
nothing written on a refusal), the agreement, what the case page shows, one audit entry per
page that shows the plan and no write on GET."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import today
from icrs.plans import services as plans
from icrs.plans.models import PlanStatus
from icrs.plans.queries import current_plan, open_version
from tests.plans.conftest import action, plan_rows


def _form(referral=None, entitlement=None, **extra):
    due = (today() + dt.timedelta(days=20)).isoformat()
    data = {"pathway": "small_business", "goals-0-text": "Open a shop:\n- rent\n- stock",
            "goals-1-text": "",
            "actions-0-description": "Tailoring course", "actions-0-action_type": "referral",
            "actions-0-owner": "person", "actions-0-due_date": due, "actions-0-budget": "25000",
            "actions-0-status": "planned",
            "actions-0-carrier": f"referral:{referral.id}" if referral else "",
            "actions-1-description": "Start-up grant", "actions-1-action_type": "assistance",
            "actions-1-owner": "person", "actions-1-due_date": due, "actions-1-budget": "",
            "actions-1-status": "planned",
            "actions-1-carrier": f"entitlement:{entitlement.id}" if entitlement else "",
            "actions-2-description": "", "actions-2-action_type": "", "actions-2-owner": "person",
            "actions-2-due_date": "", "actions-2-budget": "", "actions-2-status": "planned",
            "actions-2-carrier": ""}
    data.update(extra)
    return data


def _views(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.viewed"))


def test_the_caseworker_prepares_and_agrees_a_plan_through_the_pages(
        client, login_as, db, worker, person, referral, entitlement):
    login_as(worker)
    page = client.get(f"/people/{person.id}/plan/edit").get_data(as_text=True)
    assert 'name="actions-0-description"' in page and 'name="goals-1-text"' in page
    response = client.post(f"/people/{person.id}/plan/edit",
                           data=_form(referral, entitlement))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    draft = open_version(person)
    assert [a.description for a in draft.actions] == ["Tailoring course", "Start-up grant"]
    assert draft.actions[0].referral_id == referral.id
    assert draft.actions[1].entitlement_id == entitlement.id
    assert len(draft.goals) == 1
    response = client.post(f"/people/{person.id}/plan/agreement", data={
        "version_id": str(draft.id), "agreed_on": today().isoformat(), "method": "signed"})
    assert response.status_code == 302
    db.session.expire_all()
    assert current_plan(person).status == PlanStatus.AGREED
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "<li>Open a shop:<br>\n- rent<br>\n- stock</li>" in case
    assert f"/people/{person.id}/plan" in case and "In progress" in case  # the sent referral


def test_get_writes_nothing_and_each_page_showing_the_plan_audits_one_view(
        client, login_as, db, worker, person):
    version = plans.save_draft(worker, person, "small_business", ["Goal"], [action()])
    plans.record_agreement(worker, version, today(), "signed")
    db.session.commit()
    login_as(worker)
    before_rows = plan_rows(db)
    for url in (f"/people/{person.id}/plan", f"/people/{person.id}/plan/edit",
                f"/people/{person.id}/plan/versions/{version.id}"):
        before = _views(db)
        assert client.get(url).status_code == 200
        assert _views(db) - before == 1, url
    assert plan_rows(db) == before_rows and open_version(person) is None


def test_earlier_versions_stay_readable(client, login_as, db, worker, person):
    first = plans.save_draft(worker, person, "small_business", ["First goal"], [])
    plans.record_agreement(worker, first, today(), "signed")
    second = plans.save_draft(worker, person, "small_business", ["Second goal"], [])
    plans.record_agreement(worker, second, today(), "thumbprint")
    db.session.commit()
    login_as(worker)
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Second goal" in case and "First goal" not in case and "Earlier versions (1)" in case
    old = client.get(f"/people/{person.id}/plan/versions/{first.id}").get_data(as_text=True)
    assert "First goal" in old and "Replaced by a later version" in old


@pytest.mark.parametrize("extra, field_error", [
    ({"actions-0-budget": "-100"}, "Give a whole amount, zero or more."),
    ({"actions-0-due_date": "2024-13-45"}, "Not a valid date value."),
    ({"actions-0-due_date": "next week"}, "Not a valid date value."),
    ({"actions-0-description": ""}, "Say what is done."),
    ({"actions-0-action_type": ""}, "Choose a type."),
    ({"goals-0-text": ""}, "Write at least one goal."),
    ({"pathway": ""}, "Choose a pathway."),
])
def test_bad_input_is_refused_at_the_field_and_nothing_is_written(
        client, login_as, db, worker, person, extra, field_error):
    login_as(worker)
    response = client.post(f"/people/{person.id}/plan/edit", data=_form(**extra))
    assert response.status_code == 400
    assert field_error in response.get_data(as_text=True)
    db.session.expire_all()
    assert plan_rows(db) == (0, 0, 0)


def test_a_link_to_another_persons_referral_is_refused(client, login_as, db, make, worker,
                                                        person):
    other = make.person(worker)
    theirs = make.referral(other, actor=worker)
    db.session.commit()
    login_as(worker)
    response = client.post(f"/people/{person.id}/plan/edit", data=_form(theirs))
    assert response.status_code == 400
    assert 'id="actions-0-carrier-err">Choose one of the person' in \
        response.get_data(as_text=True)
    db.session.expire_all()
    assert plan_rows(db) == (0, 0, 0)


def test_a_verbal_agreement_without_witness_is_refused_at_the_field(
        client, login_as, db, worker, person):
    draft = plans.save_draft(worker, person, "small_business", ["Goal"], [])
    db.session.commit()
    login_as(worker)
    response = client.post(f"/people/{person.id}/plan/agreement", data={
        "version_id": str(draft.id), "agreed_on": today().isoformat(),
        "method": "verbal_witnessed"})
    assert response.status_code == 400
    assert "A verbal agreement needs the witness" in response.get_data(as_text=True)
    db.session.expire_all()
    assert open_version(person).is_draft and open_version(person).agreement_method is None


def test_over_the_budget_the_agreement_waits_for_the_supervisor(
        client, login_as, db, worker, person, supervisor):
    login_as(worker)
    client.post(f"/people/{person.id}/plan/edit", data=_form(**{"actions-0-budget": "400000"}))
    draft = open_version(person)
    response = client.post(f"/people/{person.id}/plan/agreement", data={
        "version_id": str(draft.id), "agreed_on": today().isoformat(), "method": "signed"},
        follow_redirects=True)
    assert "a supervisor must approve the plan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert open_version(person).status == PlanStatus.AWAITING_APPROVAL
    login_as(supervisor)
    worklist = client.get("/approvals/").get_data(as_text=True)
    assert "Plan over the budget threshold" in worklist and person.case_number in worklist


def test_who_may_see_and_who_may_prepare(client, login_as, db, make, worker, person):
    version = plans.save_draft(worker, person, "small_business", ["Goal"], [action()])
    db.session.commit()
    urls = [f"/people/{person.id}/plan", f"/people/{person.id}/plan/versions/{version.id}"]
    posts = [f"/people/{person.id}/plan/edit", f"/people/{person.id}/plan/agreement",
             f"/people/{person.id}/plan/discard",
             f"/plan-actions/{version.actions[0].id}/progress"]
    cases = [(make.user("caseworker", site="BAM", region="NW"), 404, 404),  # another site
             (make.user("provider"), 403, 403), (make.user("monitoring"), 403, 403),
             (make.user("supervisor", region="EN"), 200, 403),
             (make.user("caseworker", site="MER"), 200, 403)]  # same site, not assigned
    for user, reads, writes in cases:
        client.post("/logout")
        login_as(user)
        for url in urls:
            assert client.get(url).status_code == reads, (user.role, url)
        for url in posts:
            assert client.post(url, data=_form()).status_code == writes, (user.role, url)
    db.session.expire_all()
    assert plan_rows(db) == (1, 1, 1) and open_version(person).pathway == "small_business"
