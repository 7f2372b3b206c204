"""Stage moves a supervisor approves (icrs/people/stage_approvals.py): reintegration, exit as
found ineligible, reopening. Who may ask and decide over every kind, the four-eyes rule, the
comment a rejection needs, asking again, what the approval does, refusals in an illegal state,
the notifications (exactly once, to the right people) and the audit entries."""
import datetime as dt

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs.approvals import services
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.people import casework, stage_approvals, stages
from icrs.people.models import Person, StageChange
from icrs.people.stage_approvals import EXIT_INELIGIBLE, REINTEGRATION, REOPENING
from icrs.people.states import Stage
from icrs.referrals.notifications import Notification

KINDS = (REINTEGRATION, EXIT_INELIGIBLE, REOPENING)
REASON = "Home visit on 3 May: she runs her shop."


def _ready(db, worker, person, code):
    """Bring the case to a state where `code` may be asked for."""
    if code == REINTEGRATION:
        person.stage = Stage.FOLLOW_UP
        done = casework.schedule_follow_up(worker, person, dt.date.today(), "Home visit")
        casework.complete_follow_up(worker, person, done, "Doing well")
    elif code == REOPENING:
        stages.change_stage(worker, person, Stage.EXITED, "dropped_out")
    db.session.commit()
    return person


@pytest.fixture
def ready(db, worker, person):
    return lambda code: _ready(db, worker, person, code)


def _ask(db, actor, person, code, reason=REASON):
    req = stage_approvals.request_move(actor, person, code, reason)
    db.session.commit()
    return req


def _notes(db, kind=None):
    query = sa.select(Notification.user_id, Notification.kind, Notification.person_id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.execute(query).all()


def _actions(db):
    return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)).all()


# --- who may ask ----------------------------------------------------------------------------------
@pytest.mark.parametrize("code", KINDS)
@pytest.mark.parametrize("who", ["colleague", "supervisor", "provider", "monitoring", "admin"])
def test_only_the_assigned_caseworker_may_ask(db, make, worker, supervisor, person, ready, code,
                                              who):
    ready(code)
    actor = {"colleague": lambda: make.user("caseworker", site=worker.site),
             "supervisor": lambda: supervisor,
             "provider": lambda: make.user("provider"),
             "monitoring": lambda: make.user("monitoring", region=worker.site.region),
             "admin": lambda: make.user("admin")}[who]()
    with pytest.raises(AccessDenied):
        stage_approvals.request_move(actor, person, code, REASON)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApprovalRequest)) == 0


@pytest.mark.parametrize("code", KINDS)
def test_the_caseworker_asks_with_a_reason_once(db, worker, person, ready, code):
    ready(code)
    with pytest.raises(DomainError) as info:
        stage_approvals.request_move(worker, person, code, "  ")
    assert info.value.field == "reason"
    db.session.rollback()
    req = _ask(db, worker, person, code)
    assert req.status == ApprovalStatus.REQUESTED and req.kind == code
    assert b"shop" not in db.session.execute(sa.text("SELECT reason_ct FROM approval_request"))\
        .scalar()
    with pytest.raises(ConflictError):
        stage_approvals.request_move(worker, person, code, REASON)  # one open at a time
    assert code not in stage_approvals.requestable(person, worker)


# --- illegal states -------------------------------------------------------------------------------
@pytest.mark.parametrize("code, stage", [
    (REINTEGRATION, Stage.REGISTERED), (REINTEGRATION, Stage.IN_SERVICE),
    (REOPENING, Stage.REGISTERED), (REOPENING, Stage.FOLLOW_UP)])
def test_asking_from_a_stage_the_rules_forbid_is_refused(db, worker, person, code, stage):
    person.stage = stage
    db.session.commit()
    with pytest.raises(DomainError) as info:
        stage_approvals.request_move(worker, person, code, REASON)
    assert info.value.field == "kind"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApprovalRequest)) == 0


def test_exit_of_an_exited_case_is_refused(db, worker, person, ready):
    ready(REOPENING)
    with pytest.raises(DomainError):
        stage_approvals.request_move(worker, person, EXIT_INELIGIBLE, REASON)


def test_reintegration_with_a_follow_up_still_open_is_refused(db, worker, person, ready):
    ready(REINTEGRATION)
    casework.schedule_follow_up(worker, person, dt.date.today(), "Another visit")
    db.session.commit()
    with pytest.raises(DomainError) as info, force_locale("en"):
        stage_approvals.request_move(worker, person, REINTEGRATION, REASON)
    with force_locale("en"):
        assert "no follow-up still open" in str(info.value.message)


def test_follow_ups_scheduled_ahead_do_not_block_reintegration(db, worker, person, ready):
    """The 6- and 12-month follow-ups made after a completed referral are the monitoring that
    goes on after reintegration: only a follow-up due by today and not done blocks it."""
    ready(REINTEGRATION)
    casework.schedule_follow_up(worker, person, dt.date.today() + dt.timedelta(days=90),
                                "Six-month visit")
    db.session.commit()
    assert _ask(db, worker, person, REINTEGRATION).is_open


def test_reintegration_is_refused_while_a_referral_is_open(db, monkeypatch, worker, person,
                                                          ready):
    """The stage rules want every referral finished (the referrals domain counts them)."""
    ready(REINTEGRATION)
    monkeypatch.setattr("icrs.referrals.services.referral_counts",
                        lambda p: {"sent": 2, "accepted": 2, "open": 1})
    with pytest.raises(DomainError):
        stage_approvals.request_move(worker, person, REINTEGRATION, REASON)
    monkeypatch.undo()
    assert stage_approvals.possible_now(person, REINTEGRATION)


def test_the_guard_is_checked_again_at_approval(db, worker, supervisor, person, ready):
    ready(REINTEGRATION)
    req = _ask(db, worker, person, REINTEGRATION)
    casework.schedule_follow_up(worker, person, dt.date.today(), "Another visit")
    db.session.commit()
    with pytest.raises(DomainError):
        services.approve(supervisor, req)
    db.session.rollback()
    assert db.session.get(Person, person.id).stage == Stage.FOLLOW_UP
    assert db.session.get(ApprovalRequest, req.id).is_open


# --- who may decide -------------------------------------------------------------------------------
@pytest.mark.parametrize("code", KINDS)
@pytest.mark.parametrize("who", ["other_region", "caseworker", "admin", "monitoring"])
def test_only_a_supervisor_of_the_area_decides(db, make, worker, person, ready, code, who):
    ready(code)
    req = _ask(db, worker, person, code)
    actor = {"other_region": lambda: make.user("supervisor", region=make.region("NW")),
             "caseworker": lambda: make.user("caseworker", site=worker.site),
             "admin": lambda: make.user("admin"),
             "monitoring": lambda: make.user("monitoring", region=worker.site.region)}[who]()
    for decide in (services.approve, lambda a, r: services.reject(a, r, "No")):
        with pytest.raises(AccessDenied):
            decide(actor, req)
        db.session.rollback()
    assert db.session.get(ApprovalRequest, req.id).is_open


@pytest.mark.parametrize("code", KINDS)
def test_the_requester_never_approves(db, worker, person, ready, code):
    ready(code)
    req = _ask(db, worker, person, code)
    with pytest.raises(ConflictError):
        services.approve(worker, req)
    db.session.rollback()
    req = db.session.get(ApprovalRequest, req.id)
    req.status, req.decided_by_id, req.decided_at, req.open_key = \
        ApprovalStatus.APPROVED, worker.id, dt.datetime(2025, 1, 1), None
    with pytest.raises(sa.exc.IntegrityError):  # the CHECK constraint backs the rule
        db.session.commit()
    db.session.rollback()


# --- deciding -------------------------------------------------------------------------------------
EXPECTED = {REINTEGRATION: (Stage.REINTEGRATED, None), EXIT_INELIGIBLE: (Stage.EXITED,
                                                                         "found_ineligible"),
            REOPENING: (Stage.REGISTERED, None)}  # reopened to the stage it left


@pytest.mark.parametrize("code", KINDS)
@pytest.mark.parametrize("national", [False, True])
def test_approval_makes_the_move_in_the_supervisors_name(db, make, worker, supervisor, person,
                                                        ready, code, national):
    ready(code)
    req = _ask(db, worker, person, code)
    approver = make.user("supervisor") if national else supervisor
    services.approve(approver, req)
    db.session.commit()
    stage, reason = EXPECTED[code]
    person = db.session.get(Person, person.id)
    assert person.stage == stage
    change = db.session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert (change.to_stage, change.reason, change.actor_id) == (stage, reason, approver.id)
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.in_(
        ("people.stage_changed", "people.reopened"))).order_by(AuditEntry.seq.desc())).first()
    assert str(req.id) in entry.details and "shop" not in entry.details


@pytest.mark.parametrize("code", KINDS)
def test_reject_needs_a_comment_then_the_caseworker_asks_again(db, worker, supervisor, person,
                                                              ready, code):
    ready(code)
    before = db.session.get(Person, person.id).stage
    req = _ask(db, worker, person, code)
    with pytest.raises(DomainError) as info:
        services.reject(supervisor, req, " ")
    assert info.value.field == "comment"
    db.session.rollback()
    services.reject(supervisor, db.session.get(ApprovalRequest, req.id),
                    "Plan a last visit to the family first.")
    db.session.commit()
    assert db.session.get(Person, person.id).stage == before
    assert b"family" not in db.session.execute(sa.text(
        "SELECT comment_ct FROM approval_request")).scalar()
    again = _ask(db, worker, person, code, "Visit done on 10 May.")
    services.approve(supervisor, again)
    db.session.commit()
    assert db.session.get(Person, person.id).stage == EXPECTED[code][0]
    actions = _actions(db)
    assert actions.count("approvals.requested") == 2
    assert actions.count("approvals.rejected") == actions.count("approvals.approved") == 1
    details = " ".join(db.session.scalars(sa.select(AuditEntry.details)))
    assert "family" not in details and "shop" not in details and "Visit done" not in details


def test_the_stage_form_cannot_make_these_moves(db, worker, supervisor, person, ready):
    ready(REINTEGRATION)
    with pytest.raises(DomainError):
        stages.change_stage(supervisor, person, Stage.REINTEGRATED)
    for actor in (worker, supervisor):
        with pytest.raises(DomainError):
            stages.change_stage(actor, person, Stage.EXITED, "found_ineligible")
    stages.change_stage(worker, person, Stage.EXITED, "dropped_out")  # not an approval's
    db.session.commit()
    with pytest.raises(DomainError):
        stages.change_stage(supervisor, person, "reopen")
    assert "reopen" not in stages.available_moves(person, supervisor)


# --- notifications --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", KINDS)
def test_notifications_go_once_to_the_right_people(db, make, worker, supervisor, person, ready,
                                                   code):
    national = make.user("supervisor")
    make.user("supervisor", region=make.region("NW"))  # another region: not told
    make.user("admin")  # not an approver of stage moves
    make.user("supervisor", active=False, region=worker.site.region)
    ready(code)
    req = _ask(db, worker, person, code)
    told = _notes(db, "approval_requested")
    assert sorted(told) == sorted([(supervisor.id, "approval_requested", person.id),
                                   (national.id, "approval_requested", person.id)])
    services.reject(national, req, "Not yet.")
    db.session.commit()
    assert _notes(db, "approval_rejected") == [(worker.id, "approval_rejected", person.id)]
    again = _ask(db, worker, person, code)
    services.approve(supervisor, again)
    db.session.commit()
    assert _notes(db, "approval_approved") == [(worker.id, "approval_approved", person.id)]
    assert len(_notes(db, "approval_requested")) == 4  # two requests, two approvers each
    note = db.session.scalar(sa.select(Notification).where(
        Notification.kind == "approval_rejected"))
    with force_locale("en"):
        assert person.case_number in str(note.message) and "rejected" in str(note.message)
    assert "Not yet" not in str(note.message)
    assert len(_notes(db)) == 6  # and nothing else
