"""Stage approvals through the pages: the caseworker asks on the case page, the supervisor finds
it in the worklist (age, overdue, the navigation's count) and decides on the case page, the
caseworker reads the decision and its comment; the stage form no longer offers these moves; the
plan's goals keep their lines."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.core.timeutil import utcnow
from icrs.people import casework, stages
from icrs.people.models import Person
from icrs.people.states import Stage
from icrs.referrals.notifications import Notification
from tests import factories


@pytest.fixture
def worker(make):
    return make.user("caseworker", locale="en")


@pytest.fixture
def supervisor(make):
    return make.user("supervisor", region="EN", locale="en")


@pytest.fixture
def case(register, worker, db):
    """A follow-up case whose visit is done: ready for reintegration."""
    person = register(worker)
    person.stage = Stage.FOLLOW_UP
    done = casework.schedule_follow_up(worker, person, dt.date.today(), "Home visit")
    casework.complete_follow_up(worker, person, done, "Doing well")
    db.session.commit()
    return person


def _html(client, url, **kw):
    return client.get(url, **kw).get_data(as_text=True)


def _ask(client, person, kind="person.reintegration", reason="Visits done; shop running."):
    return client.post(f"/people/{person.id}/approval-request",
                       data={"ask-kind": kind, "ask-reason": reason})


def _switch(client, login_as, user):
    client.post("/logout")
    login_as(user)


def test_ask_reject_with_comment_ask_again_approve(client, login_as, db, worker, supervisor,
                                                   case):
    login_as(worker)
    page = _html(client, f"/people/{case.id}")
    assert "Ask a supervisor&#39;s approval" in page or "Ask a supervisor's approval" in page
    assert 'value="person.reintegration"' in page and ">Reintegrated</option>" not in page
    assert _ask(client, case).status_code == 302
    page = _html(client, f"/people/{case.id}")
    assert "Waiting for approval" in page and "See or cancel my request" in page
    assert 'value="person.reintegration"' not in page  # one open request at a time
    req = db.session.scalar(sa.select(ApprovalRequest))

    _switch(client, login_as, supervisor)
    worklist = _html(client, "/approvals/")
    assert case.case_number in worklist and "Reintegration" in worklist
    assert "0 days" in worklist and "Overdue" not in worklist
    assert 'aria-label="1 waiting"' in worklist  # the navigation's count
    page = _html(client, f"/people/{case.id}")
    assert "shop running" in page and f'/approvals/{req.id}/reject' in page
    refused = client.post(f"/approvals/{req.id}/reject",
                          data={"comment": "", "row_version": str(req.version), "back": "case"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(ApprovalRequest, req.id).is_open
    done = client.post(f"/approvals/{req.id}/reject", data={
        "comment": "One more visit to\nthe family first.", "row_version": str(req.version),
        "back": "case"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/people/{case.id}")

    _switch(client, login_as, worker)
    page = _html(client, f"/people/{case.id}")
    assert "Rejected" in page and "One more visit to\nthe family first." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == worker.id, Notification.kind == "approval_rejected")) == 1
    notes = _html(client, "/referrals/notifications")
    assert f"Your request about case {case.case_number} was rejected" in notes
    assert "family" not in notes
    assert _ask(client, case, reason="Family visited on 10 May.").status_code == 302
    again = db.session.scalar(sa.select(ApprovalRequest).where(
        ApprovalRequest.status == ApprovalStatus.REQUESTED))

    _switch(client, login_as, supervisor)
    done = client.post(f"/approvals/{again.id}/approve",
                       data={"comment": "", "row_version": str(again.version), "back": "case"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, case.id).stage == Stage.REINTEGRATED
    assert 'aria-label="1 waiting"' not in _html(client, "/approvals/")


def test_the_caseworker_may_not_decide_nor_a_colleague_ask(client, login_as, db, make, worker,
                                                           case):
    login_as(make.user("caseworker", site=worker.site, locale="en"))
    assert _ask(client, case).status_code == 403
    _switch(client, login_as, worker)
    _ask(client, case)
    req = db.session.scalar(sa.select(ApprovalRequest))
    assert f'/approvals/{req.id}/approve' not in _html(client, f"/people/{case.id}")
    assert client.post(f"/approvals/{req.id}/approve",
                       data={"row_version": str(req.version)}).status_code == 403
    db.session.expire_all()
    assert db.session.get(ApprovalRequest, req.id).is_open


def test_asking_in_the_wrong_stage_says_why_at_the_field(client, login_as, db, worker, case):
    login_as(worker)
    response = _ask(client, case, kind="person.reopening")
    assert response.status_code == 400
    assert "Only a closed case can be reopened." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApprovalRequest)) == 0


@pytest.mark.parametrize("days, limit, overdue", [(3, 5, False), (6, 5, True), (3, 2, True)])
def test_worklist_shows_age_and_overdue(app, client, login_as, db, worker, supervisor, case,
                                        days, limit, overdue):
    login_as(worker)
    _ask(client, case)
    req = db.session.scalar(sa.select(ApprovalRequest))
    req.requested_at = utcnow() - dt.timedelta(days=days, hours=1)
    db.session.commit()
    app.config["ICRS_APPROVAL_OVERDUE_DAYS"] = limit
    try:
        _switch(client, login_as, supervisor)
        worklist = _html(client, "/approvals/")
    finally:
        app.config["ICRS_APPROVAL_OVERDUE_DAYS"] = 5
    assert f"{days} days" in worklist
    assert ("Overdue" in worklist) is overdue
    assert "Waiting for me" in worklist


def test_the_stage_form_offers_no_approval_move(client, login_as, db, worker, supervisor,
                                                register):
    person = register(worker)
    stages.change_stage(worker, person, Stage.EXITED, "dropped_out")
    db.session.commit()
    login_as(supervisor)
    page = _html(client, f"/people/{person.id}")
    assert 'value="reopen"' not in page and 'value="found_ineligible"' not in page
    response = client.post(f"/people/{person.id}/stage", data={"stage-target": "reopen"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Person, person.id).stage == Stage.EXITED
    _switch(client, login_as, worker)
    page = _html(client, f"/people/{person.id}")
    assert 'value="person.reopening"' in page


def test_exit_as_ineligible_is_asked_not_chosen(client, login_as, db, worker, register):
    person = register(worker)
    login_as(worker)
    page = _html(client, f"/people/{person.id}")
    assert 'value="found_ineligible"' not in page and 'value="dropped_out"' in page
    response = client.post(f"/people/{person.id}/stage",
                           data={"stage-target": "exited", "stage-reason": "found_ineligible"})
    assert response.status_code == 400
    assert _ask(client, person, kind="person.exit_ineligible").status_code == 302


def test_plan_goals_keep_their_lines_and_stay_escaped(client, login_as, db, worker, register):
    person = register(worker)
    factories.counselled(worker, person, "Talked", "small_business",
                         "Open a shop:\n- buy stock\n- rent a stall <b>soon</b>")
    db.session.commit()
    login_as(worker)
    page = _html(client, f"/people/{person.id}")
    assert ('<li>Open a shop:<br>\n- buy stock<br>\n- rent a stall '
            '&lt;b&gt;soon&lt;/b&gt;</li>') in page
