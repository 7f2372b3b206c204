"""Erasure through the pages: ask, see in the worklist, approve; refusals by role, bad input,
the four-eyes rule; erased cases answer 410 and leave the lists."""
import datetime as dt

import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.people.models import Person
from icrs.people.states import Stage


def _count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _ask(client, person, reason="She asked for erasure in writing."):
    return client.post(f"/people/{person.id}/erasure", data={"reason": reason})


def test_caseworker_asks_supervisor_approves_case_is_gone(client, login_as, db, worker,
                                                         supervisor, person):
    login_as(worker)
    before = _count(db, AuditEntry)
    assert client.get(f"/people/{person.id}/erasure").status_code == 200
    assert _count(db, AuditEntry) == before  # the form shows no personal data
    response = _ask(client, person)
    assert response.status_code == 302
    req = db.session.scalar(sa.select(ApprovalRequest))
    assert person.case_number in client.get("/approvals/").get_data(as_text=True)
    client.post("/logout")

    login_as(supervisor)
    page = client.get("/approvals/").get_data(as_text=True)
    assert "Waiting for me" in page and person.case_number in page
    before = _count(db, AuditEntry)
    detail = client.get(f"/approvals/{req.id}")
    assert detail.status_code == 200 and "She asked for erasure" in detail.get_data(as_text=True)
    assert _count(db, AuditEntry) == before + 1  # the reason was shown: one audit entry
    response = client.post(f"/approvals/{req.id}/approve",
                           data={"comment": "", "row_version": str(req.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, person.id).erased_at is not None
    gone = client.get(f"/people/{person.id}")
    assert gone.status_code == 410 and "erased" in gone.get_data(as_text=True)
    listing = client.get("/people/").get_data(as_text=True)
    assert person.case_number not in listing and str(person.id) not in listing
    found = client.get("/people/", query_string={"kind": "case", "q": person.case_number})
    assert str(person.id) not in found.get_data(as_text=True)
    assert client.get(f"/people/{person.id}/profile").status_code in (404, 410)


def test_reason_is_required(client, login_as, db, worker, person):
    login_as(worker)
    response = _ask(client, person, reason="")
    assert response.status_code == 400 and "Say why." in response.get_data(as_text=True)
    assert _count(db, ApprovalRequest) == 0


def test_requester_cannot_approve_own_request(client, login_as, db, supervisor, person):
    login_as(supervisor)
    assert _ask(client, person).status_code == 302
    req = db.session.scalar(sa.select(ApprovalRequest))
    assert "Waiting for me" in client.get("/approvals/").get_data(as_text=True)
    assert str(req.id) not in client.get("/approvals/").get_data(as_text=True).split(
        "My requests")[0]
    response = client.post(f"/approvals/{req.id}/approve", data={"row_version": "1"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(ApprovalRequest, req.id).status == ApprovalStatus.REQUESTED
    assert db.session.get(Person, person.id).erased_at is None


def test_caseworker_cannot_decide_and_strangers_get_404(client, login_as, db, make, worker,
                                                       supervisor, person):
    login_as(supervisor)
    _ask(client, person)
    req = db.session.scalar(sa.select(ApprovalRequest))
    client.post("/logout")
    login_as(worker)  # the assigned caseworker, but not an approver
    assert client.post(f"/approvals/{req.id}/approve", data={}).status_code == 403
    assert client.get(f"/approvals/{req.id}").status_code == 404
    client.post("/logout")
    login_as(make.user("supervisor", region=make.region("SW")))
    assert client.get(f"/approvals/{req.id}").status_code == 404
    assert client.post(f"/approvals/{req.id}/reject", data={"comment": "no"}).status_code == 404
    assert client.get(f"/people/{person.id}/erasure").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApprovalRequest, req.id).status == ApprovalStatus.REQUESTED


def test_reject_without_comment_is_refused_at_the_field(client, login_as, db, worker,
                                                        supervisor, person):
    login_as(worker)
    _ask(client, person)
    req = db.session.scalar(sa.select(ApprovalRequest))
    client.post("/logout")
    login_as(supervisor)
    response = client.post(f"/approvals/{req.id}/reject", data={"comment": ""})
    assert response.status_code == 400 and "Say why." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ApprovalRequest, req.id).status == ApprovalStatus.REQUESTED


def test_retention_candidates_page(client, login_as, db, admin, person):
    p = db.session.get(Person, person.id)
    p.stage_before, p.stage = p.stage, Stage.REINTEGRATED  # the CHECK keeps the pair
    p.stage_changed_at = utcnow() - dt.timedelta(days=3000)
    db.session.commit()
    login_as(admin)
    page = client.get("/people/erasure/candidates")
    assert page.status_code == 200 and p.case_number in page.get_data(as_text=True)
    assert client.get(f"/people/{person.id}/erasure").status_code == 200
    assert _ask(client, person, "Retention period ended.").status_code == 302


def test_candidates_cli(app, db, person):
    p = db.session.get(Person, person.id)
    p.stage_before, p.stage = p.stage, Stage.EXITED  # the CHECK keeps the pair
    p.stage_changed_at = utcnow() - dt.timedelta(days=3000)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["icrs", "erasure", "candidates"])
    assert result.exit_code == 0 and p.case_number in result.output
    assert p.first_name not in result.output
