"""Every response that shows a case, a profile or a referral records exactly one view entry,
whatever the path: the page itself, or a refused action (invalid form, domain refusal) that
shows the page again. A guard makes sure no case/referral route escapes the walk."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.extensions import db as _db
from icrs.people import casework
from tests.referrals.conftest import english, new_person, person, sent, switch_to, world  # noqa: F401

VIEW_ACTIONS = ("people.viewed", "profiling.viewed", "profiling.section_viewed",
                "referrals.viewed")

# Routes under a person or referral id that do not render the case, profile or referral page
# (they redirect, or render a page of their own that is audited in its own test).
NOT_A_CASE_PAGE = {
    "plans.version",  # needs a version id: its one view is tested in tests/plans/test_views.py
    "plans.discard",  # a button: redirects, or a bare 400 without a draft
    "people.edit",  # identity form: its GET is audited as people.viewed/identity_edit
    "referrals.new",  # shows the case number and service suggestions only
    "audit.person_history",  # audited as audit.case_history_viewed
    "profiling.version",  # one GET path, audited with the versions it shows
    "people.erasure_request",  # shows the case number only (no personal field)
    "people.follow_up_done",  # the visit form: case number and due date only (its GET and a
    # refused POST write nothing: tests/people/test_follow_up_visits.py)
    "feedback.issue_code",  # redirects to the case page (a new code, nothing shown)
    "people.merge",  # case numbers and counts of what moves only (no personal field)
    "people.merge_apply",  # redirects, or the merge page again
    "documents.download",  # a file, audited as documents.downloaded (tests/people)
    "documents.view",  # a file, audited as documents.viewed (tests/people)
    "people.break_glass",  # the assigned caseworker gets a bare 403; a colleague's refusal
    # shows the case page, one view (tests/people/test_break_glass.py)
    "links.slip",  # the referral slip (packet only): audited as exchange.slip_viewed
    # (tests/exchange/test_slip.py)
    "links.create",  # makes a provider link and shows the slip, audited as the slip
    "links.revoke",  # a button: redirects (404 for another referral's link)
    "transfers.new",  # the transfer form: the case number only (no personal field)
    "people.best_interest_add",  # a child's case only: the walk's adult gets a bare 403; a
    # child's refused assessment shows the case page, one view (tests/minors/test_views.py)
}


def _views():
    return _db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action.in_(VIEW_ACTIONS)))


def _one_view(client, method, url, data=None, statuses=(200,)):
    before = _views()
    response = client.open(url, method=method, data=data or {})
    _db.session.expire_all()
    assert response.status_code in statuses, (method, url, response.status_code)
    assert _views() - before == 1, (method, url, response.status_code)
    return response


@pytest.fixture
def case(world, person, sent, db):  # noqa: F811 - the referral fixtures
    referral = sent()
    follow_up = casework.schedule_follow_up(world.caseworker, person,
                                            dt.date.today() + dt.timedelta(days=3), "check")
    db.session.commit()
    return person, referral, follow_up


CASEWORKER_WALK = [
    ("GET", "/people/{p}", None, (200,)),
    ("POST", "/people/{p}/consent", {"consent-purpose": "nonsense"}, (400,)),
    ("POST", "/people/{p}/notes", {}, (400,)),
    ("POST", "/people/{p}/counselling", {}, (400,)),
    ("GET", "/people/{p}/plan", None, (200,)),
    ("GET", "/people/{p}/plan/edit", None, (200,)),
    ("POST", "/people/{p}/plan/edit", {}, (400,)),
    ("POST", "/people/{p}/plan/agreement", {}, (302,)),  # no draft: redirect, no view
    ("POST", "/people/{p}/follow-ups", {}, (400,)),
    ("POST", "/people/{p}/feedback", {}, (400,)),
    ("POST", "/people/{p}/stage", {}, (400,)),
    ("POST", "/people/{p}/stage", {"stage-target": "reintegrated"}, (400, 409)),
    ("POST", "/people/{p}/approval-request", {}, (400,)),
    ("POST", "/people/{p}/approval-request", {"ask-kind": "person.reintegration",
                                              "ask-reason": "Ready"}, (400, 409)),
    ("POST", "/people/{p}/documents", {}, (400,)),
    ("POST", "/assistance/people/{p}/entitlements", {}, (400,)),
    ("POST", "/people/{p}/consent/{c}/withdraw", {}, (302,)),  # redirect: no view
    ("POST", "/people/{p}/household", {}, (302,)),  # redirect: no view
    ("POST", "/people/{p}/household/members", {}, (400,)),
    ("POST", "/people/{p}/household/members", {"hhreg-case_number": "NONE-1",
                                               "hhreg-relationship": "child"}, (400, 409)),
    ("POST", "/people/{p}/household/light-members", {}, (400,)),
    ("POST", "/people/{p}/household/members/1/leave", {}, (400,)),
    ("POST", "/people/{p}/household/members/1", {}, (400,)),
    ("GET", "/people/{p}/profile", None, (200,)),
    ("GET", "/people/{p}/profile/education", None, (200,)),
    ("POST", "/people/{p}/profile/education", {"row_version": "x"}, (400, 409)),
    ("POST", "/people/{p}/profile/submit", {}, (400,)),
    ("POST", "/people/{p}/profile/submit", {"row_version": "0"}, (400, 409)),
    ("GET", "/referrals/{r}", None, (200,)),
    ("POST", "/referrals/{r}/send", {}, (400,)),
    ("POST", "/referrals/{r}/send", {"send-version": "999"}, (400, 409)),
    ("POST", "/referrals/{r}/withdraw", {}, (400,)),
    ("POST", "/referrals/{r}/consent", {}, (400,)),
    ("POST", "/referrals/{r}/acknowledge", {}, (400,)),
    ("POST", "/referrals/{r}/provider-answer", {}, (400,)),
]

PROVIDER_WALK = [
    ("GET", "/referrals/received/{r}", None, (200,)),
    ("POST", "/referrals/received/{r}/accept", {}, (400,)),
    ("POST", "/referrals/received/{r}/decline", {}, (400,)),
    ("POST", "/referrals/received/{r}/progress", {}, (400,)),
    ("POST", "/referrals/received/{r}/outcome", {}, (400,)),
]

SUPERVISOR_WALK = [
    ("GET", "/people/{p}", None, (200,)),
    ("POST", "/people/{p}/reassign", {}, (400,)),
]


def _walk(client, walk, ids):
    for method, url, data, statuses in walk:
        if statuses == (302,):
            continue  # a redirect shows nothing
        url = url.format(**ids)
        _one_view(client, method, url, data, statuses)


def test_every_case_response_records_one_view(client, login_as, switch_to, world, case):  # noqa: F811
    case_person, referral, follow_up = case
    ids = {"p": case_person.id, "r": referral.id, "f": follow_up.id}
    login_as(world.caseworker)
    _walk(client, CASEWORKER_WALK, ids)
    switch_to(world.provider)
    _walk(client, PROVIDER_WALK, ids)
    switch_to(world.supervisor)
    _walk(client, SUPERVISOR_WALK, ids)


def test_a_domain_refusal_without_a_form_records_one_view(client, login_as, world, case):  # noqa: F811
    case_person = case[0]
    login_as(world.caseworker)
    _one_view(client, "POST", f"/people/{case_person.id}/approval-request",
              {"ask-kind": "person.reopening", "ask-reason": "She came back"},
              statuses=(400, 409))


def test_walk_covers_every_case_route(app):
    walked = {url for walk in (CASEWORKER_WALK, PROVIDER_WALK, SUPERVISOR_WALK)
              for _, url, _, _ in walk}
    adapter = app.url_map.bind("localhost")
    covered = set()
    for url in walked:
        path = url.format(p="00000000-0000-0000-0000-000000000001",
                          r="00000000-0000-0000-0000-000000000002",
                          f="00000000-0000-0000-0000-000000000003",
                          c="00000000-0000-0000-0000-000000000004")
        for m in ("GET", "POST"):
            try:
                covered.add(adapter.match(path, method=m)[0])
            except Exception:  # noqa: BLE001,S112 - the method is not allowed on this rule
                continue
    missing = {rule.endpoint for rule in app.url_map.iter_rules()
               if ("<uuid:person_id>" in rule.rule or "<uuid:referral_id>" in rule.rule)
               and rule.endpoint not in covered and rule.endpoint not in NOT_A_CASE_PAGE}
    assert not missing, f"routes that show a case page but are not walked: {sorted(missing)}"
